"""``{% readonly_table inline_admin_formset %}``: a ``ReadOnlyTableInline``'s rows as one
table (``coach/admin_tables.py``)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def readonly_table(context, inline_admin_formset):
    return inline_admin_formset.opts.table_html(context["request"], inline_admin_formset.formset)
