"""``{% admin_fieldset %}``: Django's ``admin/includes/fieldset.html`` written in Python
(``coach.admin_tables.fieldset_html``, docs/perf-admin.md); the project's
``templates/admin/includes/fieldset.html`` is that one tag."""

from django import template

from coach.admin_tables import fieldset_html

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_fieldset(context):
    """The fieldset of the ``{% include %}`` that drew ``fieldset.html``, from its variables
    (``fieldset``, ``heading_level``, ``prefix``, ``id_prefix``, ``id_suffix``; a missing one
    written as the template writes a missing variable: nothing)."""
    return fieldset_html(context, context["fieldset"], context.get("heading_level", ""),
                         context.get("prefix", ""), context.get("id_prefix", ""),
                         context.get("id_suffix", ""))
