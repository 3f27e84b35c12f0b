"""coach/fields.py: the one way times, distances, pace bands and dates are typed into a form,
refused with a message, and shown back; and the field markup every form shares."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from coach import fields, formats
from coach.fields import DateField, DistanceField, PaceBand, PaceBandField, TimeField


def refusal(field: forms.Field, text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        field.clean(text)
    return " ".join(caught.value.messages)


# --- times ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,seconds", [
    ("64", 64.0), ("64.2", 64.2), ("64,2", 64.2), (" 64.25 ", 64.25), ("1:04.2", 64.2),
    ("3:43", 223.0), ("1:02:03", 3723.0), ('62"', 62.0), ("3'", 180.0), ("1'52\"", 112.0),
    ("1’52”", 112.0), ("1'52.3", 112.3),
])
def test_a_time_is_read_in_every_spelling_the_app_accepts(typed, seconds):
    assert TimeField().clean(typed) == pytest.approx(seconds)


@pytest.mark.parametrize("typed,message", [
    ("6o.2", '"6o.2" is not a time. Write it like 64, 64.2, 1:04.2 or 4:05.'),
    ("1:75", '"1:75" is not a time: seconds must be under 60. Write it like 64, 64.2, 1:04.2 '
             "or 4:05."),
    ("-5", '"-5" is not a time: times must be positive. Write it like 64, 64.2, 1:04.2 or 4:05.'),
    ("0", '"0" is not a time: times must be more than zero. Write it like 64, 64.2, 1:04.2 or '
          "4:05."),
    ("25:00:00", '"25:00:00" is not a time: that is over 24 hours. Write it like 64, 64.2, '
                 "1:04.2 or 4:05."),
    ("1:04,2", '"1:04,2" is not a time. Write it like 64, 64.2, 1:04.2 or 4:05.'),
    ("1" * 33, f'"{"1" * 33}" is not a time: too long. Write it like 64, 64.2, 1:04.2 or 4:05.'),
])
def test_a_time_it_cannot_read_is_refused_quoting_it_with_how_to_write_it(typed, message):
    assert refusal(TimeField(), typed) == message


def test_a_field_says_how_its_own_times_are_written():
    field = TimeField(hint="Write it like 3:56.8 or 13:32.4.")
    assert refusal(field, "13:2o") == '"13:2o" is not a time. Write it like 3:56.8 or 13:32.4.'


def test_a_blank_time_is_none_or_required():
    assert TimeField(required=False).clean("  ") is None
    assert refusal(TimeField(), "") == "This field is required."


@pytest.mark.parametrize("typed,seconds", [("95", 5700.0), ("95,5", 5730.0), ("1:35:00", 5700.0),
                                           ("45:00", 2700.0)])
def test_a_total_time_reads_a_bare_number_as_minutes(typed, seconds):
    assert TimeField(minutes=True).clean(typed) == seconds


@pytest.mark.parametrize("seconds", [64.2, 64.25, 99.99, 100.0, 245.3, 3723.0, 59.0])
def test_a_stored_split_goes_back_into_its_box_and_reads_the_same(seconds):
    field = TimeField(display=fields.split_text)
    shown = field.prepare_value(seconds)
    assert isinstance(shown, str) and field.clean(shown) == pytest.approx(seconds)
    assert not field.has_changed(seconds, shown)


def test_a_stored_time_is_shown_as_the_app_writes_it_and_typed_text_stays_as_typed():
    assert TimeField().prepare_value(236.8) == "3:56.8"
    assert TimeField(display=fields.whole_minutes_text).prepare_value(5700) == "1:35:00"
    assert TimeField().prepare_value("6o.2") == "6o.2"  # a re-shown form keeps the typo
    assert TimeField().prepare_value(None) is None


def test_a_time_changes_when_its_value_does_not_its_spelling():
    field = TimeField(required=False)
    assert not field.has_changed(64.2, "64.20") and not field.has_changed(64.2, "1:04.2")
    assert not field.has_changed(None, "") and not field.has_changed("3:55.0", "3:55")
    assert field.has_changed(64.2, "65") and field.has_changed(64.2, "")
    assert field.has_changed(64.2, "6o.2") and field.has_changed(None, "64")


def test_a_time_box_asks_for_the_number_pad_and_caps_its_length():
    field = TimeField()
    html = field.widget.render("t", None, attrs=field.widget_attrs(field.widget))
    assert 'inputmode="decimal"' in html and 'maxlength="32"' in html
    assert 'class="num"' in html and 'autocomplete="off"' in html


# --- distances --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,metres", [
    ("400", 400.0), ("1500", 1500.0), ("5000m", 5000.0), ("5k", 5000.0), ("5 km", 5000.0),
    ("10,000", 10000.0), ("1,500 m", 1500.0), ("10,5 km", 10500.0), ("0,4", 0.4),
    ("2mi", 2 * formats.MILE), ("1 mile", formats.MILE), ("mile", formats.MILE),
    ("HM", formats.HALF_MARATHON), ("Marathon", formats.MARATHON), ("3k", 3000.0),
])
def test_a_distance_is_read_in_every_spelling_the_app_accepts(typed, metres):
    assert DistanceField().clean(typed) == pytest.approx(metres)


@pytest.mark.parametrize("typed,message", [
    ("far", '"far" is not a distance: write e.g. 5000, 5k, 1mi, HM or marathon.'),
    ("5 parsecs", '"5 parsecs" is not a distance: write e.g. 5000, 5k, 1mi, HM or marathon.'),
    ("0", '"0" is not a distance: it must be above zero and at most 1000 km.'),
    ("6,4,2", '"6,4,2" is not a distance: write e.g. 5000, 5k, 1mi, HM or marathon.'),
])
def test_a_distance_it_cannot_read_is_refused_quoting_it(typed, message):
    assert refusal(DistanceField(), typed) == message


def test_a_session_distance_needs_its_unit_when_the_number_is_small():
    field = DistanceField(unit_below=100)
    assert refusal(field, "10") == "10 what? Give the unit: 10 km, 10 mi or metres (10000)."
    assert refusal(field, "6,2") == "6.2 what? Give the unit: 6.2 km, 6.2 mi or metres (10000)."
    assert field.clean("10 km") == 10000 and field.clean("10000") == 10000
    assert DistanceField().clean("10") == 10  # a rep of 10 m is short, but has its unit


def test_a_stored_distance_is_shown_as_each_form_writes_it():
    assert DistanceField().prepare_value(300.0) == "300"
    assert DistanceField(display=fields.race_or_metres).prepare_value(5000.0) == "5k"
    assert DistanceField(display=fields.race_or_metres).prepare_value(formats.MILE) == "mile"
    assert DistanceField(display=fields.race_or_metres).prepare_value(3200.0) == "3200"
    assert DistanceField(display=fields.amount_text).prepare_value(10000.0) == "10 km"
    assert DistanceField().prepare_value("far") == "far"


@pytest.mark.parametrize("display,within", [(fields.race_or_metres, 1e-9), (None, 1e-9),
                                            (fields.amount_text, 0.5)])
@pytest.mark.parametrize("metres", [400.0, 1500.0, formats.MILE, 5000.0, 3200.0, 10500.0,
                                    2 * formats.MILE, formats.HALF_MARATHON, 1234.5])
def test_a_shown_distance_reads_back_as_the_same_metres(display, within, metres):
    """To the metre as shown (``21.098 km`` for a half marathon): a form sent back as it was
    shown changes nothing."""
    field = DistanceField(display=display, unit_below=100)
    shown = field.prepare_value(metres)
    assert field.clean(shown) == pytest.approx(metres, abs=within)
    assert not field.has_changed(metres, shown)


# --- pace bands -------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,fast,slow,unit,written", [
    ("67.5", 168.75, 168.75, "per 400 m", False),
    ("67,5", 168.75, 168.75, "per 400 m", False),
    ("2:48/km", 168.0, 168.0, "per km", True),
    ("2:48 per km", 168.0, 168.0, "per km", True),
    ("4:30/mi", 270 / formats.MILE * 1000, 270 / formats.MILE * 1000, "per mile", True),
    ("61.4-64.0", 153.5, 160.0, "per 400 m", False),
    ("61.4 to 64", 153.5, 160.0, "per 400 m", False),
    ("2:45-2:50/km", 165.0, 170.0, "per km", True),
    ("66/400", 165.0, 165.0, "per 400 m", True),
])
def test_a_pace_or_band_is_read_per_400_km_or_mile(typed, fast, slow, unit, written):
    band = PaceBandField().clean(typed)
    assert isinstance(band, PaceBand)
    assert (band.fast_s_per_km, band.slow_s_per_km) == (pytest.approx(fast), pytest.approx(slow))
    assert (band.unit, band.unit_written, band.text) == (unit, written, typed)


@pytest.mark.parametrize("typed,message", [
    ("6o.2", '"6o.2" is not a time.'),
    ("60-62-64", '"60-62-64" is not a pace or a band: Per 400 m (67.5), or add /km or /mi '
                 "(2:48/km). A band: 61.4-64.0."),
    ("2:45/km-4:30/mi", "Write both ends of a band in the same unit."),
    ("64.0-61.4", "The slow end (61.4) is faster than the fast end (64.0): write the faster "
                  "pace first, e.g. 61.4-64.0."),
    ("", "This field is required."),
])
def test_a_pace_it_cannot_read_is_refused_saying_why(typed, message):
    assert refusal(PaceBandField(), typed) == message


def test_parse_pace_band_refuses_blank_text_itself():
    with pytest.raises(ValueError, match="Type a pace, e.g. 67.5 or 2:48/km."):
        fields.parse_pace_band("  ")


def test_a_stored_band_is_shown_per_400_m_and_reads_back_the_same():
    field = PaceBandField()
    assert field.prepare_value((150.0, 157.5)) == "60.0-63.0"
    assert field.prepare_value((165.0, 165.0)) == "66.0"
    band = field.clean(field.prepare_value((150.0, 157.5)))
    assert (band.fast_s_per_km, band.slow_s_per_km) == (150.0, 157.5)
    assert field.prepare_value(band) == "60.0-63.0"
    assert field.prepare_value("66 - 6x") == "66 - 6x"
    assert not field.has_changed((150.0, 157.5), "60-63") and field.has_changed(None, "60")


# --- dates ------------------------------------------------------------------------------------

def test_a_date_box_is_the_browsers_date_picker_with_iso_dates():
    field = DateField()
    fields.offer_days(field, dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    html = field.widget.render("day", dt.date(2026, 6, 5))
    assert 'type="date"' in html and 'value="2026-06-05"' in html
    assert 'min="2026-06-01"' in html and 'max="2026-06-30"' in html
    assert field.clean("2026-06-05") == dt.date(2026, 6, 5)
    assert DateField().widget.attrs == {}  # each field has its own widget


# --- the field markup -------------------------------------------------------------------------

class SampleForm(forms.Form):
    time = TimeField(help_text="e.g. 3:56.8")
    slot = forms.ChoiceField(choices=[("AM", "AM"), ("PM", "PM")], widget=forms.RadioSelect,
                             help_text="When")


def test_a_field_group_has_its_label_input_help_and_error_tied_together():
    form = SampleForm({"time": "6o.2", "slot": "AM"})
    html = form["time"].as_field_group()
    assert html.startswith('<div class="field has-error" id="field-time">')
    assert '<label for="id_time">Time</label>' in html
    assert 'aria-describedby="id_time_helptext id_time_error"' in html
    assert 'aria-invalid="true"' in html and 'value="6o.2"' in html
    assert '<small class="help" id="id_time_helptext">e.g. 3:56.8</small>' in html
    assert ('<p class="error" role="alert" id="id_time_error">&quot;6o.2&quot; is not a time. '
            "Write it like 64, 64.2, 1:04.2 or 4:05.</p>") in html


def test_a_field_group_without_an_error_has_no_error_markup():
    html = SampleForm()["time"].as_field_group()
    assert 'class="field"' in html and "has-error" not in html and "error" not in html
    assert 'aria-describedby="id_time_helptext"' in html


def test_radio_buttons_are_a_fieldset_named_by_a_legend():
    html = SampleForm({"time": "64"})["slot"].as_field_group()
    assert html.startswith('<fieldset class="field has-error" id="field-slot" '
                           'aria-describedby="id_slot_helptext id_slot_error">')
    assert "<legend>Slot</legend>" in html and html.rstrip().endswith("</fieldset>")
    assert 'id="id_slot_error">This field is required.</p>' in html


# --- inputs written in Python -------------------------------------------------------------------

@pytest.mark.parametrize("widget,value", [
    (fields.text_input(placeholder='a "quoted" <b>&', data_x=True, hidden=False), "64.2"),
    (fields.text_input(), None),
    (fields.text_input(placeholder=gettext_lazy("Time & <note>")), "6'"),
    (fields.text_input(), '"><script>'),
    (fields.text_input(), mark_safe("<i>safe</i>")),
    (forms.NumberInput(attrs={"step": 0.1, "min": 0}), 0),
    (forms.NumberInput(), 61.5),
    (forms.HiddenInput(), "7"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.CheckboxInput(), "on"),
    (forms.EmailInput(attrs={"autocomplete": "email"}), "a&b@example.com"),
    (forms.PasswordInput(render_value=True), "x'y"),
    (fields.DateInput(attrs={"min": "2026-11-02"}), dt.date(2026, 11, 3)),
    (forms.FileInput(), None),
])
def test_an_input_is_written_as_djangos_templates_write_it(widget, value):
    """FormRenderer writes <input>s in Python (the log form's render time): the same bytes as
    Django's input.html and attrs.html, escaping and boolean attributes included."""
    renderer = fields.FormRenderer()
    context = widget.get_context("rep-1-time", value, {"id": "id_rep-1-time", "required": True})
    fast = widget._render(widget.template_name, context, renderer)
    assert widget.template_name in fields.INPUT_TEMPLATES
    assert renderer._django_own(widget.template_name)  # the Python path was the one taken
    slow = forms.renderers.TemplatesSetting.render(renderer, widget.template_name, context)
    assert fast == slow


@pytest.mark.parametrize(("widget", "value"), [
    (forms.Select(choices=[("", "The whole session"), (1, "Rep 1 · 400 m"),
                           (2, "Rep <2> · \"200\" m & 'more'")]), 2),
    (forms.Select(choices=[("", "—")], attrs={"class": "wide", "disabled": True}), None),
    (forms.Select(choices=[("Track", [(1, "400 m"), (2, "800 m")]), ("Road", [("r&1", "5 km")]),
                           (3, "Other")]), "r&1"),
    (forms.SelectMultiple(choices=[(1, "a"), (2, "b"), (3, "c")]), [1, 3]),
    (forms.NullBooleanSelect(), True),
])
def test_a_select_of_the_log_forms_is_written_as_djangos_templates_write_it(widget, value):
    """FormRenderer writes a <select> and its options in Python: the same bytes as Django's
    select.html, select_option.html and attrs.html, optgroups and escaping included."""
    renderer = fields.FormRenderer()
    context = widget.get_context("rep", value, {"id": "id_rep", "required": False})
    fast = widget._render(widget.template_name, context, renderer)
    assert widget.template_name == fields.SELECT
    slow = forms.renderers.TemplatesSetting.render(renderer, widget.template_name, context)
    assert fast == slow
    assert fast == fields.select_html(context["widget"])  # the Python path was the one taken


def test_a_form_renders_through_the_python_inputs(settings):
    assert settings.FORM_RENDERER == "coach.fields.FormRenderer"

    class Form(forms.Form):
        split = TimeField(required=False, help_text="Your split")

    html = Form(data={"split": "64<"}).as_div()
    assert 'value="64&lt;"' in html and 'maxlength="32"' in html and 'inputmode="decimal"' in html
    assert "aria-invalid" in html


@pytest.mark.parametrize("context", [
    {"label": "Split", "attrs": {"for": "id_split"}, "use_tag": True, "tag": "label"},
    {"label": 'A "quoted" <b>&', "attrs": {"for": "id_x", "class": "required"},
     "use_tag": True, "tag": "label"},
    {"label": mark_safe("<i>safe</i>:"), "attrs": None, "use_tag": True, "tag": "label"},
    {"label": gettext_lazy("Time & <note>"), "attrs": {"for": 'a"b', "hidden": True,
                                                       "data-x": False, "n": 3},
     "use_tag": True, "tag": "legend"},
    {"label": "No id <here>", "attrs": {"for": "x"}, "use_tag": False, "tag": "label"},
    {"label": "", "attrs": {}, "use_tag": True, "tag": "label"},
])
def test_a_label_is_written_as_djangos_template_writes_it(context):
    renderer = fields.FormRenderer()
    assert renderer._django_own(fields.LABEL_TEMPLATE)  # the Python path is the one taken
    fast = renderer.render(fields.LABEL_TEMPLATE, context)
    slow = forms.renderers.TemplatesSetting.render(renderer, fields.LABEL_TEMPLATE, context)
    assert fast == slow


def test_a_bound_field_labels_itself_through_the_python_label():
    class Form(forms.Form):
        split = TimeField(label="Split <1>")

    label = Form()["split"].label_tag()
    assert label == '<label for="id_split">Split &lt;1&gt;:</label>'


@pytest.mark.parametrize("widget,value", [
    (forms.Select(choices=[("", "—"), ("1500", "1500 m"), ("mile", 'Mile "road" & <track>')]),
     "mile"),
    (forms.Select(choices=[("", "No squad"), (1, "A"), (2, mark_safe("<b>B</b>"))]), None),
    (forms.Select(choices=[("Track", [("800", "800 m"), ("1500", "1500 m")]),
                           ("Road", [("10k", gettext_lazy("10 km"))]), ("", "Other")],
                  attrs={"class": "num", "disabled": True, "hidden": False}), "10k"),
    (forms.SelectMultiple(choices=[(1, "a"), (2, "b"), (3, "c")]), [1, 3]),
    (forms.Select(choices=[]), ""),
    (forms.NullBooleanSelect(), None),
])
def test_a_select_is_written_as_djangos_templates_write_it(widget, value):
    """FormRenderer writes <select>s in Python too: the same bytes as select.html and
    select_option.html, option groups, escaping and the blank lines between options included."""
    renderer = fields.FormRenderer()
    context = widget.get_context("athlete-squad", value, {"id": "id_athlete-squad"})
    assert fields.select_html(context["widget"]) is not None  # the Python path is taken
    fast = widget._render(widget.template_name, context, renderer)
    slow = forms.renderers.TemplatesSetting.render(renderer, widget.template_name, context)
    assert fast == slow


def test_a_select_with_a_label_the_template_would_localize_is_left_to_the_templates():
    widget = forms.Select(choices=[(1, 1500.5)])
    assert fields.select_html(widget.get_context("x", 1, {})["widget"]) is None
    renderer = fields.FormRenderer()
    context = widget.get_context("x", 1, {})
    assert widget._render(widget.template_name, context, renderer) == \
        forms.renderers.TemplatesSetting.render(renderer, widget.template_name, context)


@pytest.mark.parametrize("widget", [
    forms.CheckboxSelectMultiple(choices=[(1, "Carla"), (2, 'O"Brien & <co>')]),
    forms.RadioSelect(choices=[("am", "AM"), ("pm", "PM")], attrs={"class": "slot"}),
])
def test_a_box_of_a_group_drawn_alone_is_written_as_djangos_templates_write_it(widget):
    class Form(forms.Form):
        pick = forms.MultipleChoiceField(choices=widget.choices, widget=widget) \
            if isinstance(widget, forms.CheckboxSelectMultiple) else \
            forms.ChoiceField(choices=widget.choices, widget=widget)

    form = Form(data={"pick": ["2"] if isinstance(widget, forms.CheckboxSelectMultiple)
                      else "pm"})
    renderer = fields.FormRenderer()
    for box in form["pick"]:
        context = {"widget": {**box.data, "wrap_label": False}}
        slow = forms.renderers.TemplatesSetting.render(renderer, box.template_name, context)
        assert box.tag() == slow
        assert str(box) == forms.renderers.TemplatesSetting.render(
            renderer, box.template_name, {"widget": {**box.data, "wrap_label": True}})


@pytest.mark.parametrize("widget,value", [
    (forms.Select(choices=[("", "—"), (5000, "5000 m"), ("mile", "Mile & <more>")]), 5000),
    (forms.Select(choices=[("", "—"), ("a", "A")], attrs={"class": "num", "data-x": True,
                                                           "hidden": False}), None),
    (forms.Select(choices=[('x"y', gettext_lazy("Quote ' & co")),
                           ("<b>", mark_safe("<i>i</i>"))]), "<b>"),
    (forms.Select(choices=[("Track", [(800, "800 m"), (1500, "1500 m")]),
                           ("Road", [(42195, "M")]), ("", "none")]), 1500),
    (forms.SelectMultiple(choices=[(1, "one"), (2, "two"), (3, "three")]), [1, 3]),
    (forms.NullBooleanSelect(), True),
    (forms.Select(choices=[]), None),
])
def test_selects_of_the_apps_forms_are_written_as_djangos_templates_write_them(widget, value):
    """FormRenderer writes <select>s in Python too: the same bytes as Django's select.html,
    select_option.html and attrs.html, option groups and escaping included."""
    renderer = fields.FormRenderer()
    context = widget.get_context("distance", value, {"id": "id_distance", "required": True})
    fast = widget._render(widget.template_name, context, renderer)
    assert widget.template_name == fields.SELECT
    assert fields.select_html(context["widget"]) is not None  # the Python path was the one taken
    slow = forms.renderers.TemplatesSetting.render(renderer, widget.template_name, context)
    assert fast == slow
