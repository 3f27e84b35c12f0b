"""Form fields for what people type: times, distances, pace bands and dates, and the renderer
that gives every field the same markup.

Each field reads the spellings ``coach.formats`` accepts (docs/paces.md), refuses the rest
with one message wherever it is typed, and writes a stored value back the way the app shows
it (``prepare_value``); a form shown again after an error keeps what was typed. Plausibility
that depends on the form (a split against its rep, a goal time against its race) stays in the
form's ``clean_<field>``.

One addition for phones: a keypad with ``inputmode="decimal"`` shows only a comma on phones
set to a decimal-comma language, so a lone decimal comma (``64,2``, ``3,5``) is read as a
point. In a distance, a comma before three digits groups thousands (``10,000``). Nothing else
is guessed.

The markup of a field (label, input, help, errors, tied together with ``aria-describedby``)
is ``templates/forms/field.html``: templates write ``{{ form.x.as_field_group }}`` and
``FormRenderer`` (``settings.FORM_RENDERER``) supplies it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.template import defaultfilters
from django.template.backends.django import Template as DjangoTemplate
from django.utils.functional import Promise

from coach import formats, pace

# Django's widget templates that are only ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in (
        "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
        "password", "search", "tel", "text", "time", "url"))
LABEL_TEMPLATE = "django/forms/label.html"  # a field's <label> (or <legend>), by label_tag
_DJANGO_FORMS = str(Path(forms.__file__).parent / "templates")
_DJANGO_ADMIN = str(Path(forms.__file__).parent.parent / "contrib" / "admin" / "templates")
TEXTAREA = "django/forms/widgets/textarea.html"
# the admin's widgets that wrap Django's ``input.html`` (included, so not through ``render``)
RAW_ID = "admin/widgets/foreign_key_raw_id.html"
ADMIN_DATE = "admin/widgets/date.html"
DATE_INPUT = "django/forms/widgets/date.html"
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# a checkbox or radio button of a group: ``input_option.html``, which writes ``input.html``
# alone when the option is drawn without its label
CHOICE_INPUTS = frozenset(("django/forms/widgets/checkbox_option.html",
                           "django/forms/widgets/radio_option.html"))
INPUT_OPTION = "django/forms/widgets/input_option.html"
INPUT = "django/forms/widgets/input.html"
# a list of errors: ``default.html`` includes ``ul.html``, which writes nothing without errors
ERROR_LISTS = frozenset(("django/forms/errors/list/default.html",
                         "django/forms/errors/list/ul.html"))
ERROR_UL = "django/forms/errors/list/ul.html"
# a field group (``{{ form.x.as_field_group }}``): written in Python (``field_group_html``)
# only while the template resolves to exactly this text, in Django's language, autoescaped
FIELD_TEMPLATE = "forms/field.html"
FIELD_TEMPLATE_SOURCE = (
    '{% if field.use_fieldset %}<fieldset class="field{% if field.errors %} has-error{% endif %}"'
    ' id="field-{{ field.html_name }}"{% if field.aria_describedby %}'
    ' aria-describedby="{{ field.aria_describedby }}"{% endif %}>\n'
    '  <legend>{{ field.label }}</legend>{% else %}<div class="field{% if field.errors %}'
    ' has-error{% endif %}" id="field-{{ field.html_name }}">\n'
    '  <label for="{{ field.id_for_label }}">{{ field.label }}</label>{% endif %}\n'
    '  {{ field }}{% if field.help_text %}\n'
    '  <small class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</small>'
    '{% endif %}{% if field.errors %}\n'
    '  <p class="error" role="alert" id="{{ field.auto_id }}_error">'
    '{{ field.errors|join:" " }}</p>{% endif %}\n'
    '{% if field.use_fieldset %}</fieldset>{% else %}</div>{% endif %}')


class FormRenderer(TemplatesSetting):
    """The project's templates (and Django's widget templates) with one field template.

    An ``<input>`` is written in Python (``input_html``), byte for byte what Django's
    ``input.html`` and ``attrs.html`` write: the template engine made that the bulk of a
    form's render time (the log form renders ~90 inputs; README "Performance"). So are a
    field's ``<label>`` (``label_html``, Django's ``label.html``: a third of an admin change
    page's time, docs/perf-admin.md), a ``<select>`` with its options (``select_html``), a
    checkbox or radio button of a group drawn alone (``{{ box.tag }}``), an empty list of
    errors (nothing: the admin draws one per field twice, most of them empty), a
    ``<textarea>`` (``textarea_html``) and the admin's raw-id and date boxes (``raw_id_html``,
    ``admin_date_html``). A project template that overrides one of those templates is still
    used. A field group (``forms/field.html``) is written in Python too
    (``field_group_html``) while that template is the text it mirrors."""

    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        if template_name == FIELD_TEMPLATE and len(context) == 1 and "field" in context \
                and self._field_template_mirrored():
            written = field_group_html(context["field"])
            if written is not None:
                return written
        if template_name in ERROR_LISTS and not context.get("errors") \
                and self._django_own(template_name) and self._django_own(ERROR_UL):
            return ""  # ``{% if errors %}...{% endif %}``
        if template_name in INPUT_TEMPLATES and self._django_own(template_name):
            return input_html(context["widget"])
        if template_name == LABEL_TEMPLATE and self._django_own(template_name):
            return label_html(context)
        if template_name in CHOICE_INPUTS and not context["widget"].get("wrap_label") \
                and self._django_own(template_name) and self._django_own(INPUT_OPTION) \
                and self._django_own(INPUT):  # a box of a group alone (``{{ box.tag }}``)
            return input_html(context["widget"])
        if template_name == TEXTAREA and self._django_own(TEXTAREA):
            written = textarea_html(context["widget"])
            if written is not None:
                return written
        if template_name == RAW_ID and self._django_own(RAW_ID) and self._django_own(INPUT):
            return raw_id_html(context)
        if template_name == ADMIN_DATE and self._django_own(ADMIN_DATE) \
                and self._django_own(DATE_INPUT) and self._django_own(INPUT):
            return admin_date_html(context["widget"])
        if template_name == SELECT and self._django_own(SELECT) and self._django_own(OPTION):
            written = select_html(context["widget"])
            if written is not None:
                return written
        return super().render(template_name, context, request=request)

    def _django_own(self, template_name: str) -> bool:
        """Whether ``template_name`` resolves to Django's own file (checked once a name)."""
        own = self.__dict__.setdefault("_own", {})
        if template_name not in own:
            origin = str(self.get_template(template_name).template.origin.name)
            own[template_name] = origin.startswith((_DJANGO_FORMS, _DJANGO_ADMIN))
        return own[template_name]

    def _field_template_mirrored(self) -> bool:
        """Whether ``forms/field.html`` is ``FIELD_TEMPLATE_SOURCE`` in Django's template
        language, autoescaped, its ``join`` Django's own (checked once)."""
        if "_field_mirrored" not in self.__dict__:
            template = self.get_template(FIELD_TEMPLATE)
            mirrored = isinstance(template, DjangoTemplate) \
                and template.template.source.strip() == FIELD_TEMPLATE_SOURCE
            if mirrored:
                engine = template.template.engine
                joins = [lib.filters["join"] for lib in engine.template_builtins
                         if "join" in lib.filters]
                mirrored = engine.autoescape and joins[-1:] == [defaultfilters.join]
            self.__dict__["_field_mirrored"] = mirrored
        return self.__dict__["_field_mirrored"]


def _escape(value) -> str:
    """``conditional_escape`` without its lazy-text wrapper (per attribute of every input):
    markup marked safe as it is, anything else through ``html.escape``, as templates do. Lazy
    text is made text first: a lazy ``str`` may give markup marked safe (the password
    validators' help)."""
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _text(value) -> str | None:
    """``{{ value }}`` for text (plain, lazy or marked safe); None for anything else (a
    number the template would localize, a callable it would call), for the template."""
    return _escape(value) if isinstance(value, str | Promise) else None


def field_group_html(field) -> str | None:
    """``forms/field.html`` for a ``BoundField``, byte for byte (``FIELD_TEMPLATE_SOURCE``,
    stripped as the renderer strips it): a ``<fieldset>`` with a ``<legend>`` for a widget
    drawn as one (radio buttons), else a ``<div>`` with a ``<label>``; the widget; the help;
    the errors joined by a space. None when a value is not text or the bound field is not
    Django's (a template looks ``field["label"]`` up before ``field.label``), for the template."""
    if not isinstance(field, BoundField) or type(field).__getitem__ is not BoundField.__getitem__:
        return None
    use_fieldset, errors, help_text = field.use_fieldset, field.errors, field.help_text
    name, label = _text(field.html_name), _text(field.label)
    if not isinstance(use_fieldset, bool) or name is None or label is None \
            or not isinstance(help_text, str | Promise) or callable(errors):
        return None
    has_error = " has-error" if errors else ""
    if use_fieldset:
        described = field.aria_describedby
        if described:
            described = _text(described)
            if described is None:
                return None
            described = f' aria-describedby="{described}"'
        parts = [f'<fieldset class="field{has_error}" id="field-{name}"{described or ""}>\n'
                 f"  <legend>{label}</legend>"]
    else:
        for_id = _text(field.id_for_label)
        if for_id is None:
            return None
        parts = [f'<div class="field{has_error}" id="field-{name}">\n'
                 f'  <label for="{for_id}">{label}</label>']
    parts.append(f"\n  {_escape(str(field))}")
    if help_text or errors:
        auto_id = _text(field.auto_id)
        if auto_id is None:
            return None
        if help_text:
            parts.append(f'\n  <small class="help" id="{auto_id}_helptext">'
                         f"{_escape(help_text)}</small>")
        if errors:
            parts.append(f'\n  <p class="error" role="alert" id="{auto_id}_error">'
                         f'{" ".join(_escape(error) for error in errors)}</p>')
    parts.append("\n</fieldset>" if use_fieldset else "\n</div>")
    return "".join(parts)


def _attrs_html(attrs: dict | None) -> str:
    """Django's ``attrs.html``: each attribute (``True`` bare, ``False`` left out), escaped."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(f" {_escape(name)}" if value is True
                     else f' {_escape(name)}="{_escape(value)}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    """Django's ``input.html`` for a widget's context: ``type``, ``name``, ``value`` unless
    None, then each attribute (``True`` bare, ``False`` left out), escaped as templates do."""
    value = "" if widget["value"] is None else f' value="{_escape(widget["value"])}"'
    return (f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
            f'{value}{_attrs_html(widget["attrs"])}>')


def label_html(context: dict) -> str:
    """Django's ``label.html`` for ``BoundField.label_tag``'s context: the label, escaped
    unless it is markup already, in its tag with its attributes when ``use_tag``."""
    label = _escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = _escape(context["tag"])
    return f"<{tag}{_attrs_html(context['attrs'])}>{label}</{tag}>"


def textarea_html(widget: dict) -> str | None:
    """Django's ``textarea.html``: the text on the line after the tag, escaped; None for a
    value that is not text (the template would localize a number), for the template."""
    value = widget["value"]
    if value is not None and not isinstance(value, str):
        return None
    return (f'<textarea name="{_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>\n'
            f'{_escape(value) if value else ""}</textarea>')


def raw_id_html(context: dict) -> str:
    """The admin's ``foreign_key_raw_id.html``: the id's box (``input.html``, its line break
    included), the lookup link, and the chosen object's name linking to it."""
    widget = context["widget"]
    related_url, link_label = context.get("related_url"), context.get("link_label")
    parts = ["<div>" if related_url else "", input_html(widget), "\n"]
    if related_url:
        parts.append(f'<a href="{_escape(related_url)}" class="related-lookup" '
                     f'id="lookup_id_{_escape(widget["name"])}" '
                     f'title="{_escape(context.get("link_title", ""))}"></a>')
    if link_label:
        link_url = context.get("link_url")
        label = _escape(link_label)
        parts.append(f'\n<strong><a href="{_escape(link_url)}">{label}</a></strong>' if link_url
                     else f"\n<strong>{label}</strong>")
    if related_url:
        parts.append("</div>")
    return "".join(parts).strip()


def admin_date_html(widget: dict) -> str:
    """The admin's ``date.html``: ``<p class="date">`` around Django's ``date.html``, which
    is ``input.html`` (each template's closing line break kept, as an include keeps it)."""
    return f'<p class="date">\n  {input_html(widget)}\n\n\n</p>'


def select_html(widget: dict) -> str | None:
    """Django's ``select.html`` and ``select_option.html`` for a ``<select>``'s context, byte
    for byte (the blank lines between options included: the option template ends with a
    line break); None when an option has another template or a label that is not text (a
    number the template language would localize), for the templates to write."""
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in options:
            label = option["label"]
            if option["template_name"] != OPTION or not isinstance(label, str | Promise):
                return None
            parts.append(f'\n  <option value="{_escape(option["value"])}"'
                         f'{_attrs_html(option["attrs"])}>{_escape(label)}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


# --- typing on phones -------------------------------------------------------------------------

_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]+")
_GROUPED = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+)(\s*[a-z]*)", re.IGNORECASE)
_DECIMAL_COMMA_WITH_UNIT = re.compile(r"([0-9]+),([0-9]+)(\s*[a-z]*)", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def decimal_point(text: str) -> str:
    """``64,2`` -> ``64.2`` (a phone's decimal keypad may offer only a comma); else unchanged."""
    text = str(text).strip()
    return text.replace(",", ".") if _DECIMAL_COMMA.fullmatch(text) else text


def distance_commas(text: str) -> str:
    """``10,000`` -> ``10000`` (thousands grouped), ``10,5 km`` -> ``10.5 km`` (a decimal
    comma); anything else unchanged."""
    text = str(text).strip()
    if match := _GROUPED.fullmatch(text):
        return match.group(1).replace(",", "") + match.group(2)
    if match := _DECIMAL_COMMA_WITH_UNIT.fullmatch(text):
        return f"{match.group(1)}.{match.group(2)}{match.group(3)}"
    return text


def text_input(*, inputmode: str = "decimal", css: str = "num", **attrs) -> forms.TextInput:
    """A text box for numbers typed on a phone: the keypad asked for, nothing corrected."""
    return forms.TextInput(attrs={
        "inputmode": inputmode, "autocomplete": "off", "autocorrect": "off",
        "spellcheck": "false", **({"class": css} if css else {}), **attrs,
    })


class _TypedField(forms.Field):
    """Text in, a number (or a value made of numbers) out; blank is None. ``maxlength`` caps
    the box (the parsers cap their input too); ``display`` writes a stored value back."""

    def __init__(self, *, max_length: int = 32, display: Callable[[float], str] | None = None,
                 attrs: dict | None = None, **kwargs) -> None:
        self.max_length = max_length
        if display is not None:
            self.display = display
        kwargs.setdefault("widget", text_input(**(attrs or {})))
        super().__init__(**kwargs)

    def display(self, value: float) -> str:  # each field gives its own
        raise NotImplementedError

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(self.max_length)
        return attrs

    def parse(self, text: str):
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return value  # already a stored value (initial data)
        text = value.strip()
        return self.parse(text) if text else None

    def prepare_value(self, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.display(value)
        return value

    def has_changed(self, initial, data) -> bool:
        """Compares values as shown, not spellings: ``64.20`` typed over a stored 64.2 is no
        change, nor is a form sent back as it was shown (``21.098 km`` for 21097.5 m)."""
        if self.disabled:
            return False
        try:
            before = self.to_python(self.prepare_value(initial))
            after = self.to_python(data)
        except ValidationError:
            return True
        return _same_key(before) != _same_key(after)


def metres_text(value: float) -> str:
    """A number without a digit lost or a needless one: ``400``, ``1609.344``, ``0.4``."""
    return f"{value:.3f}".rstrip("0").removesuffix(".")


def _same_key(value):
    if isinstance(value, PaceBand):
        return _same_key((value.fast_s_per_km, value.slow_s_per_km))
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, tuple):
        return tuple(_same_key(v) for v in value)
    return value


# --- times ------------------------------------------------------------------------------------

TIME_EXAMPLES = "64, 64.2, 1:04.2 or 4:05"


def split_text(seconds: float | None) -> str:
    """A stored split as it goes back into an input, without losing a digit: 64.2, 64.25, 64,
    4:05 (as seconds below 100 s, the way splits are called)."""
    if seconds is None:
        return ""
    hundredths = round(seconds * 100)
    if hundredths < 100 * 100:  # called as seconds at the track: 71.5, not 1:11.5
        return f"{hundredths / 100:.2f}".removesuffix("0").removesuffix(".0")
    return formats.format_time(seconds, decimals=2 if hundredths % 10 else None)


def whole_minutes_text(seconds: float) -> str:
    """A session's total time as it is typed back: ``1:35:00``, ``45:00``."""
    return formats.format_time(seconds, decimals=0)


class TimeField(_TypedField):
    """A time as coaches write it (``64``, ``64,2``, ``1:04.2``, ``3'``, ``1:02:03``) ->
    seconds. A refusal quotes the input, says why, then ``hint``. With ``minutes`` a bare
    number is minutes (a session's total time: ``95``)."""

    def __init__(self, *, hint: str = f"Write it like {TIME_EXAMPLES}.", minutes: bool = False,
                 **kwargs) -> None:
        self.hint = hint
        self.minutes = minutes
        kwargs["display"] = kwargs.get("display") or formats.format_time
        super().__init__(**kwargs)

    def parse(self, text: str) -> float:
        text = decimal_point(text)
        if self.minutes and _BARE_NUMBER.fullmatch(text):
            return float(text) * 60
        try:
            return formats.parse_time(text)
        except ValueError as exc:
            raise ValidationError(f"{exc}. {self.hint}", code="time") from exc


# --- distances --------------------------------------------------------------------------------

class DistanceField(_TypedField):
    """A distance (``400``, ``1500``, ``5k``, ``10,000``, ``2mi``, ``mile``, ``HM``, ``10.5 km``)
    -> metres. ``unit_below``: a bare number under it needs its unit (``10`` is not 10 m of a
    session)."""

    def __init__(self, *, unit_below: float | None = None, **kwargs) -> None:
        self.unit_below = unit_below
        kwargs.setdefault("max_length", 16)
        kwargs["display"] = kwargs.get("display") or metres_text
        super().__init__(**kwargs)

    def parse(self, text: str) -> float:
        text = distance_commas(text)
        if (self.unit_below is not None and _BARE_NUMBER.fullmatch(text)
                and float(text) < self.unit_below):
            raise ValidationError(
                f"{text} what? Give the unit: {text} km, {text} mi or metres (10000).",
                code="unit")
        try:
            return formats.parse_distance(text)
        except ValueError as exc:
            raise ValidationError(f"{exc}.", code="distance") from exc


def race_or_metres(metres: float) -> str:
    """A goal distance as it goes back into its box: its race key when it is one (``5k``,
    ``mile``), else metres (``3200``)."""
    return pace.race_key(metres) or metres_text(metres)


def amount_text(metres: float) -> str:
    """A distance with its unit, as the app writes it: ``10 km``, ``6 mi``, ``1200 m``."""
    return formats.format_amount(metres, None)


# --- pace bands -------------------------------------------------------------------------------

PACE_HELP = "Per 400 m (67.5), or add /km or /mi (2:48/km). A band: 61.4-64.0."
PACE_UNITS = {"400": 2.5, "400m": 2.5, "km": 1.0, "k": 1.0, "mi": 1000 / formats.MILE,
              "mile": 1000 / formats.MILE}
UNIT_NAMES = {2.5: "per 400 m", 1.0: "per km", 1000 / formats.MILE: "per mile"}
_RANGE = re.compile(r"\s*(?:-|–|—|\bto\b)\s*")
_UNIT = re.compile(r"\s*(?:/|\bper\b)\s*(400m?|km|k|mi|mile)\s*$")


class PaceBand(NamedTuple):
    """A pace or a band as typed: both ends in seconds per km, the unit it was written in."""

    fast_s_per_km: float
    slow_s_per_km: float
    unit: str  # "per 400 m", "per km", "per mile"
    unit_written: bool  # False for a bare number (seconds per 400 m)
    text: str  # as typed, spaces tidied


def parse_pace_band(text: str) -> PaceBand:
    """``67.5`` (per 400 m), ``2:48/km``, ``4:30/mi``, ``61.4-64.0``, ``2:45-2:50/km``.
    Raises ValueError saying what is wrong."""
    tidy = " ".join(str(text).split())
    cleaned = tidy.casefold()
    if not cleaned:
        raise ValueError("Type a pace, e.g. 67.5 or 2:48/km.")
    parts = _RANGE.split(cleaned) if not cleaned.startswith("-") else [cleaned]
    if len(parts) > 2 or not all(parts):
        raise ValueError(f'"{text}" is not a pace or a band: {PACE_HELP}')
    units, seconds, written_as = [], [], []
    for part in parts:
        match = _UNIT.search(part)
        units.append(PACE_UNITS[match.group(1)] if match else None)
        written_as.append(part[:match.start()] if match else part)
        seconds.append(formats.parse_time(decimal_point(written_as[-1])))
    written_units = [u for u in units if u is not None]
    written = set(written_units)
    if len(written) > 1:
        raise ValueError("Write both ends of a band in the same unit.")
    factor = written.pop() if written else 2.5  # a bare number is seconds per 400 m
    fast, slow = seconds[0], seconds[-1]
    if slow < fast:
        first, second = written_as
        raise ValueError(f"The slow end ({second}) is faster than the fast end ({first}): "
                         f"write the faster pace first, e.g. {second}-{first}.")
    return PaceBand(fast * factor, slow * factor, UNIT_NAMES[factor], bool(written_units),
                    tidy)


def band_text(fast_s_per_km: float, slow_s_per_km: float) -> str:
    """A stored band (s/km) as it is typed back: seconds per 400 m, ``61.4-64.0``."""
    ends = [formats.format_split(v / 2.5) for v in (fast_s_per_km, slow_s_per_km)]
    return ends[0] if ends[0] == ends[1] else "-".join(ends)


class PaceBandField(_TypedField):
    """A training pace or band per 400 m, km or mile -> ``PaceBand`` (seconds per km)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", PACE_HELP)
        super().__init__(**kwargs)

    def parse(self, text: str) -> PaceBand:
        try:
            return parse_pace_band(text)
        except ValueError as exc:
            message = str(exc)
            raise ValidationError(message if message.endswith(".") else f"{message}.",
                                  code="pace") from exc

    def prepare_value(self, value):
        if isinstance(value, PaceBand):
            return value.text
        if isinstance(value, tuple):
            return band_text(*value)
        return value


# --- dates ------------------------------------------------------------------------------------

class DateInput(forms.DateInput):
    """The one date box: the browser's date picker, ISO dates in and out."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    widget = DateInput


def offer_days(field: forms.Field, first, last) -> None:
    """Let the date picker offer only ``first`` to ``last`` (the form still checks the day)."""
    field.widget.attrs.update(min=first.isoformat(), max=last.isoformat())
