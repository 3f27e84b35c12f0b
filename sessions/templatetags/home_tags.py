"""The coach home's tags: its athlete table drawn by Jinja2 (``home_page.render_table``)."""

from django import template

from .. import home_page

register = template.Library()


@register.simple_tag
def athlete_table(table) -> str:
    """``coach_home.html``'s partial ``athlete-table``: the whole page's and the htmx answer's
    (another week or order), the same string."""
    return home_page.render_table(table)
