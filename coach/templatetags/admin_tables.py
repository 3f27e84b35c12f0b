"""The admin's tables written in Python (``coach/admin_tables.py``):
``{% readonly_table inline_admin_formset %}``, a ``ReadOnlyTableInline``'s rows as one table,
and ``{% quick_result_list cl %}``, Django's ``{% result_list cl %}`` with its rows written
by ``changelist_rows`` (``templates/admin/quick_change_list.html``), and
``{% nav_app_list available_apps %}``, the sidebar's list of models."""

from django import template
from django.contrib.admin.templatetags import admin_list

from coach.admin_site import sidebar_html
from coach.admin_tables import changelist_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def readonly_table(context, inline_admin_formset):
    return inline_admin_formset.opts.table_html(context["request"], inline_admin_formset.formset)


@register.inclusion_tag("admin/change_list_results.html")
def quick_result_list(cl) -> dict:
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": changelist_rows(cl),
    }


@register.simple_tag(takes_context=True)
def nav_app_list(context, available_apps):
    """The admin's sidebar list of apps and models (``templates/admin/nav_sidebar.html``)."""
    return sidebar_html(context["request"].path, available_apps)
