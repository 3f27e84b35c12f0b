"""Read-only inlines of the Django admin drawn as one table from plain rows (docs/perf-admin.md).

A read-only ``TabularInline`` still builds a form per row and draws every cell through the
admin's templates (``AdminReadonlyField``, ``tabular.html``): a session's 80 planned steps
cost 80 ms of a 85 ms page. ``ReadOnlyTableInline`` keeps what the page showed (the same
columns, headings, cell texts, links to related objects, the row's name and its "Change"
link) but writes the cells and the table in Python (``table_markup``, what the Jinja2 fragment
``templates/jinja2/admin/readonly_table.html`` writes; a test renders both), and its formset
holds no form: its management form says 0 rows, so saving the parent changes nothing in them,
as before (they were read-only, without add or delete).

A cell is what the admin wrote for a read-only field: a foreign key as a link to the related
object's change page, anything else through ``display_for_field`` (choices by their label,
dates localised, booleans as the admin's icon, nothing as ``-``) and ``linebreaksbr``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable
from typing import NamedTuple

import markupsafe
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    label_for_field,
    lookup_field,
    quote,
)
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.template.base import render_value_in_context
from django.template.defaultfilters import linebreaksbr
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, numberformat
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from coach.jinja2 import MARKERS, django_escape, url_maker


class NoFormsFormSet(BaseInlineFormSet):
    """An inline formset without forms (its rows are drawn by ``ReadOnlyTableInline``)."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):  # once: the admin asks for the count many times
            self._queryset = self.queryset.none()
        return self._queryset


def _change_url(model, site_name: str):
    """``pk -> URL`` of ``model``'s admin change page, or None when it has none."""
    try:
        make = url_maker(f"{site_name}:{model._meta.app_label}_{model._meta.model_name}_change")
    except NoReverseMatch:
        return None
    return lambda pk: make(quote(pk))


class ReadOnlyTableInline(admin.TabularInline):
    """Rows shown, not edited, on their parent's page, as one table (module docstring).

    ``fields`` are the columns; ``select_related`` the foreign keys shown (one query for the
    rows); ``show_change_link`` a "Change" link after each row's name; ``list_link`` a link
    to these rows in their own changelist under the table."""

    template = "admin/edit_inline/readonly_table.html"
    formset = NoFormsFormSet
    extra = 0
    can_delete = False
    select_related: tuple[str, ...] = ()
    list_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def table_html(self, request, formset) -> SafeString:
        """The table of the rows of ``formset``'s parent: one query, cells written in Python."""
        opts = self.model._meta
        parent, fk = formset.instance, formset.fk
        rows = []
        if parent.pk is not None:
            queryset = self.get_queryset(request).filter(**{fk.name: parent})
            if self.select_related:
                queryset = queryset.select_related(*self.select_related)
            if not queryset.ordered:  # as the inline formset orders its rows
                queryset = queryset.order_by(opts.pk.name)
            rows = list(queryset)
            for row in rows:  # as the formset does: a row's ``__str__`` may name its parent
                fk.set_cached_value(row, parent)
        site = self.admin_site.name
        fields = [opts.get_field(name) for name in self.fields]
        related_urls = {f.name: _change_url(f.remote_field.model, site)
                        for f in fields if isinstance(f, models.ForeignKey)}
        own_url = (_change_url(self.model, site)
                   if self.show_change_link and self.has_registered_model else None)
        site_url = None
        if hasattr(self.model, "get_absolute_url"):  # the admin's "View on site" redirect
            make = url_maker(f"{site}:view_on_site", 2)
            type_id = ContentType.objects.get_for_model(self.model).pk
            site_url = lambda pk: make(type_id, quote(pk))  # noqa: E731
        empty = self.get_empty_value_display()
        shown = {f.name: field_display(f, empty) for f in fields}
        table = {
            "heads": [(name, capfirst(label_for_field(name, self.model, self)))
                      for name in self.fields],
            "rows": [{
                "name": _html(str(row)),
                "url": own_url(row.pk) if own_url else "",
                "site_url": site_url(row.pk) if site_url else "",
                "cells": [(f.name, _cell(row, f, related_urls.get(f.name), shown[f.name]))
                          for f in fields],
            } for row in rows],
            "link_text": "Change" if self.has_change_permission(request, parent) else "View",
            "list_url": "",
            "list_text": f"These {opts.verbose_name_plural} in their list",
        }
        if self.list_link and parent.pk is not None:
            table["list_url"] = (
                url_maker(f"{site}:{opts.app_label}_{opts.model_name}_changelist", 0)()
                + f"?{fk.name}__{fk.target_field.name}__exact={quote(parent.pk)}")
        return table_markup(table)


def table_markup(table: dict) -> SafeString:
    """What ``templates/jinja2/admin/readonly_table.html`` writes for ``table``, byte for byte,
    in Python: Jinja2's loop over every cell was a third of a session page's table (82 steps
    of 11 columns). Values are escaped as Jinja2 escapes them (``markupsafe.escape``: markup
    as it is), headings as ``|dj`` does; a test renders both."""
    link_text = table["link_text"]
    link_class = "inlinechangelink" if link_text == "Change" else "inlineviewlink"
    link_tail = f'" class="{_jinja(link_class)}">{_jinja(link_text)}</a>'
    out = ['<table>\n  <thead><tr>\n    <th class="original"></th>']
    out += [f'\n    <th class="column-{_jinja(name)}">{django_escape(label)}</th>'
            for name, label in table["heads"]]
    out.append("\n    <th></th>\n  </tr></thead>\n  <tbody>")
    for row in table["rows"]:
        out.append('\n    <tr class="form-row has_original">\n      <td class="original"><p>')
        out.append(_jinja(row["name"]))
        if row["url"]:
            out.append(f' <a href="{_jinja(row["url"])}{link_tail}')
        if row["site_url"]:
            out.append(f' <a href="{_jinja(row["site_url"])}">View on site</a>')
        out.append("</p></td>")
        out += [f'\n      <td class="field-{_jinja(name)}"><p>{_jinja(cell)}</p></td>'
                for name, cell in row["cells"]]
        out.append('\n      <td class="delete"></td>\n    </tr>')
    out.append("\n  </tbody>\n</table>")
    if table["list_url"]:
        out.append(f'\n<p class="help"><a href="{_jinja(table["list_url"])}">'
                   f'{_jinja(table["list_text"])}</a></p>')
    return SafeString("".join(out))  # nosec B703: every value went through an escape above


def _jinja(value) -> str:
    """``{{ value }}`` in a Jinja2 template with autoescape on: markup as it is (its
    ``__html__``), anything else escaped by ``markupsafe``. Markup is written as its
    ``__html__`` text without building the ``Markup`` that ``escape`` would wrap it in."""
    html_ = getattr(value, "__html__", None)
    return html_() if html_ is not None else markupsafe.escape(value)


def _escaped(text) -> str:
    """``conditional_escape(text)`` (what ``format_html`` does to each argument) without its
    lazy-text wrapper, the larger part of its time: markup as its ``__html__`` says."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _html(text) -> SafeString:
    """``text`` escaped as Django escapes it, or as it is when it is markup already: what
    ``|dj`` does, without its lazy-text wrapper (once per cell)."""
    if isinstance(text, SafeData):
        return text
    return SafeString(html.escape(str(text)))  # nosec


def _cell(row, field, related_url, shown: Callable) -> SafeString:
    """What the admin writes for ``field`` of ``row`` shown read-only (module docstring),
    escaped unless it is markup already (a link, an icon). ``shown``: the field's
    ``field_display``."""
    if isinstance(field, models.ForeignKey):
        value = getattr(row, field.name)
        if value is None:
            text = shown(None)
        elif related_url is None:
            text = str(value)
        else:
            text = format_html('<a href="{}">{}</a>', related_url(value.pk), value)
    else:
        text = shown(getattr(row, field.attname))
    return linebreaksbr(text) if "\n" in text or "\r" in text else _html(text)


def field_display(field, empty: str, avoid_link: bool = False) -> Callable:
    """``value -> display_for_field(value, field, empty, avoid_link)``, the same text, with
    what does not depend on the value looked up once per column: the field's choices, its
    boolean icons, the active language's number separators and date format (each
    ``get_format`` of a cell asked the active language again); text as it is. A date is
    formatted once per language and format (``_day_text``). Other fields go to
    ``display_for_field``."""
    def generic(value):
        return display_for_field(value, field, empty, avoid_link=avoid_link)

    if getattr(field, "flatchoices", None):
        try:
            labels = dict(field.flatchoices)
        except TypeError:  # list-like choices: Django makes them hashable per value
            return generic

        def choice(value):
            try:
                return labels.get(value, empty)
            except TypeError:  # an unhashable value
                return generic(value)
        return choice
    if isinstance(field, models.BooleanField):
        icons = {value: display_for_field(value, field, empty) for value in (True, False, None)}
        return lambda value: icons[value] if value in icons else generic(value)
    empties = field.empty_values
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        lang = get_language()
        day_format = get_format("DATE_FORMAT", lang)

        def day(value):
            if value in empties:
                return empty
            if type(value) is not dt.date:
                return generic(value)
            return _day_text(lang, day_format, value)
        return day
    if type(field) in (models.CharField, models.TextField):  # not a URL or an e-mail

        def text(value):
            if value in empties:
                return empty
            return value if type(value) is str else generic(value)  # ``str(value)``
        return text
    if isinstance(field, (models.IntegerField, models.FloatField)):
        lang = get_language()
        separator = get_format("DECIMAL_SEPARATOR", lang)
        grouping = get_format("NUMBER_GROUPING", lang)
        thousands = get_format("THOUSAND_SEPARATOR", lang)
        grouped = settings.USE_THOUSAND_SEPARATOR and grouping != 0

        def number(value):
            if value in empties:
                return empty
            if type(value) is int and not grouped:  # numberformat's own shortcut, called less
                return SafeString(value)  # nosec B703: an int's digits, nothing to escape
            return numberformat.format(value, separator, None, grouping, thousands,
                                       force_grouping=False, use_l10n=True)
        return number
    return generic


@functools.lru_cache(maxsize=4096)
def _day_text(lang: str, day_format: str, day: dt.date) -> str:
    """``day`` in ``day_format`` with ``lang``'s month and day names (the language active when
    it is called): what ``formats.localize`` writes for a date. A pure function of its
    arguments (a date has no time zone), so it is remembered."""
    return dateformat.format(day, day_format)


# --- changelists ------------------------------------------------------------------------------

QUICK_CHANGE_LIST = "admin/quick_change_list.html"  # a ModelAdmin's ``change_list_template``


def changelist_rows(cl) -> list[admin_list.ResultList]:
    """The rows of changelist ``cl`` as Django's ``items_for_result`` writes them, byte for
    byte, with what does not depend on the row decided once per page: which field or method
    a column shows, its cell classes and empty text, the change link's address (reversed
    once, the row's pk put in). Each row is one string of cells (``change_list_results.html``
    writes a row's items one after another). A list with editable columns is Django's."""
    if cl.formset:
        return list(admin_list.results(cl))
    columns = [_column(cl, index, name) for index, name in enumerate(cl.list_display)]
    link = _row_link(cl)
    rows = []
    for result in cl.result_list:
        cells, first = [], True
        for is_link, cell in columns:
            classes, content = cell(result)
            if is_link:
                tag, first = ("th" if first else "td"), False
                url = link(result)
                if url is not None:  # what format_html writes, without its lazy escapes
                    content = SafeString(f'<a href="{_escaped(url)}"'
                                         f"{_escaped(_popup(cl, result))}>"
                                         f"{_escaped(content)}</a>")  # nosec B703
            else:
                tag = "td"
            cells.append(f"<{tag}{classes}>{_html(content)}</{tag}>")
        # each cell's content went through _html above; the rest is the markup of a cell
        row = SafeString("".join(cells))  # nosec
        rows.append(admin_list.ResultList(None, [row]))
    return rows


def _column(cl, index: int, name) -> tuple[bool, Callable]:
    """``(links to the row, row -> (cell classes, content))`` for column ``name``."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    if cl.list_display_links is None:
        is_link = False
    else:
        is_link = (index == 0 and not cl.list_display_links) or name in cl.list_display_links
    base = f"field-{admin_list._coerce_field_name(name, index)}"
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is None or field.auto_created:
        if name == "action_checkbox":
            classes = ' class="action-checkbox"'
            checkbox = _checkbox(model_admin)
            return is_link, lambda row: (classes, checkbox(row))
        if name == "__str__":
            classes = f' class="{base}"'
            shown = getattr(cl.model.__str__, "empty_value_display", empty)

            def named(row):
                value = str(row)
                return classes, display_for_value("" if value.strip() == "" else value, shown)
            return is_link, named
        return is_link, lambda row: _any_cell(model_admin, name, row, base, empty)
    classes = (f' class="{base} nowrap"'
               if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
               else f' class="{base}"')
    if isinstance(field.remote_field, models.ManyToOneRel):
        def related(row):
            value = getattr(row, field.name)
            return classes, empty if value is None else value
        return is_link, related

    if isinstance(field, models.BooleanField) and not field.flatchoices:
        icons = {value: display_for_field(value, field, empty) for value in (True, False, None)}
        return is_link, lambda row: (classes, icons[getattr(row, name)])  # an icon per value
    display = field_display(field, empty, avoid_link=is_link)

    def shown(row):
        value = getattr(row, name)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        return classes, display(value)
    return is_link, shown


class _Stand(NamedTuple):
    """A row as ``action_checkbox`` reads it (its pk and its name): markers to fill in."""

    pk: str
    name: str

    def __str__(self) -> str:
        return self.name


def _checkbox(model_admin) -> Callable:
    """``row -> its action checkbox``: Django's drawn once, each row's pk and name put in."""
    if type(model_admin).action_checkbox is not admin.ModelAdmin.action_checkbox:
        return lambda row: display_for_value(model_admin.action_checkbox(row), "")
    pk, name = str(MARKERS[0]), f"name{MARKERS[1]}"
    drawn = str(model_admin.action_checkbox(_Stand(pk, name)))
    if drawn.count(pk) != 1 or drawn.count(name) != 1 or drawn.index(pk) > drawn.index(name):
        return lambda row: display_for_value(model_admin.action_checkbox(row), "")
    head, rest = drawn.split(pk)
    middle, tail = rest.split(name)
    def checkbox(row) -> SafeString:  # Django's markup around the row's escaped pk and name
        html_ = f"{head}{html.escape(str(row.pk))}{middle}{html.escape(str(row))}{tail}"
        return SafeString(html_)  # nosec B703
    return checkbox


def _any_cell(model_admin, name, row, base: str, empty: str) -> tuple[str, str]:
    """A method's or a property's cell, decided per row as ``items_for_result`` does."""
    classes = [base]
    try:
        field, attr, value = lookup_field(name, row, model_admin)
    except ObjectDoesNotExist:
        return f' class="{base}"', empty
    empty = getattr(attr, "empty_value_display", empty)
    if isinstance(value, str) and value.strip() == "":
        value = ""
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    shown = display_for_value(value, empty, boolean)
    if isinstance(value, (dt.date, dt.time)):
        classes.append("nowrap")
    return f' class="{" ".join(classes)}"', shown


def _row_link(cl) -> Callable:
    """``row -> the address of its change page`` (filters kept), or None without one."""
    marker = str(MARKERS[0])
    try:
        marked = reverse(f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                         args=(marker,), current_app=cl.model_admin.admin_site.name)
    except NoReverseMatch:
        return lambda row: None
    marked = add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, marked)
    if marked.count(marker) != 1:  # the filters hold the marker: each row its own
        return lambda row: add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts},
            cl.url_for_result(row))
    head, tail = marked.split(marker)
    return lambda row: f"{head}{quote(getattr(row, cl.pk_attname))}{tail}"


def _popup(cl, row) -> str:
    if not cl.is_popup:
        return ""
    return format_html(' data-popup-opener="{}"', row.serializable_value(
        str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname))


# --- a change form's fieldsets ----------------------------------------------------------------

def _get(obj, name: str):
    """``obj.name`` as the template language looks it up: a key first, then an attribute,
    called when callable; None when there is neither (a template writes nothing then)."""
    try:
        value = obj[name]
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        value = getattr(obj, name, None)
    if callable(value) and not getattr(value, "do_not_call_in_templates", False):
        value = value()
    return value


def fieldset_html(context, fieldset, heading_level, prefix, id_prefix, id_suffix) -> SafeString:
    """Django's ``admin/includes/fieldset.html`` in Python, byte for byte (its white space
    included): the template language looked up every line's and field's attributes several
    times over, a third of a change page's time (docs/perf-admin.md). Each value is written
    as the template writes it (``render_value_in_context``: localized, escaped unless it is
    markup already); ``|safe`` values as they are. ``templates/admin/includes/fieldset.html``
    calls it (``{% admin_fieldset %}``); tests compare it with Django's template."""
    def put(value) -> str:
        return render_value_in_context(value, context)

    named = bool(fieldset.name)
    heading = ""
    if named:
        heading_id = f"{put(prefix)}-{put(id_prefix)}-{put(id_suffix)}-heading"
        level = put(heading_level or 2)
        collapsible = fieldset.is_collapsible
        heading = (
            "\n        " + ("<details><summary>" if collapsible else "")
            + f'\n        <h{level} id="{heading_id}" class="fieldset-heading">'
            f"{put(fieldset.name)}</h{level}>\n        "
            + ("</summary>" if collapsible else "") + "\n    ")
    out = [f'<fieldset class="module aligned {put(fieldset.classes)}"',
           f' aria-labelledby="{heading_id}"' if named else "", ">\n    ", heading, "\n    "]
    if fieldset.description:
        out.append('\n        <div class="description">'
                   f"{put(mark_safe(str(fieldset.description)))}</div>\n    ")  # nosec
    out.append("\n    ")
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        out.append('\n        <div class="form-row')
        if single and line.errors():
            out.append(" errors")
        if not line.has_visible_field:
            out.append(" hidden")
        for field in fields:
            name = _get(field.field, "name")
            if name:
                out.append(f" field-{put(name)}")
        out.append('">\n            ')
        out.append(put(line.errors()) if single
                   else '<div class="flex-container form-multiline">')
        out.append("\n            ")
        for field in fields:
            out.append(_field_html(field, single, put))
        out.append("\n            ")
        if not single:
            out.append("</div>")
        out.append("\n        </div>\n    ")
    out.append("\n    ")
    if named and fieldset.is_collapsible:
        out.append("</details>")
    out.append("\n</fieldset>")
    # every value went through ``put`` (escaped as the template escapes it)
    return SafeString("".join(out))  # nosec


def _field_html(field, single: bool, put: Callable) -> str:
    """One field of a line of ``fieldset_html``: the loop body of ``fieldset.html``."""
    bound = field.field
    readonly = field.is_readonly
    out = ["\n                <div>\n                    "]
    if not single and not readonly:
        out.append(put(field.errors()))
    out.append('\n                        <div class="flex-container')
    hidden = _get(bound, "is_hidden")
    if not single:
        out.append(" fieldBox")
        name = _get(bound, "name")
        if name:
            out.append(f" field-{put(name)}")
        if not readonly and field.errors():
            out.append(" errors")
        if hidden:
            out.append(" hidden")
    if field.is_checkbox:
        out.append(" checkbox-row")
    out.append('">\n                            ')
    if field.is_checkbox:
        out.append(f"\n                                {put(bound)}{put(field.label_tag())}"
                   "\n                            ")
    else:
        out.append(f"\n                                {put(field.label_tag())}"
                   "\n                                ")
        if readonly:
            out.append('\n                                    <div class="readonly">'
                       f"{put(field.contents())}</div>\n                                ")
        else:
            out.append(f"\n                                    {put(bound)}"
                       "\n                                ")
        out.append("\n                            ")
    out.append("\n                        </div>\n                    ")
    help_text = _get(bound, "help_text")
    if help_text:
        out.append('\n                        <div class="help')
        if hidden:
            out.append(" hidden")
        out.append('"')
        label_id = _get(bound, "id_for_label")
        if label_id:
            out.append(f' id="{put(label_id)}_helptext"')
        out.append(">\n                            "
                   f"<div>{put(mark_safe(str(help_text)))}</div>"  # nosec
                   "\n                        </div>\n                    ")
    out.append("\n                </div>\n            ")
    return "".join(out)
