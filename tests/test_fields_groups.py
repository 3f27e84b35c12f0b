"""FormRenderer writes ``templates/forms/field.html`` in Python (``fields.field_group_html``):
every field group of the app's forms, unbound, bound, with errors and with hostile text in
its label, help and value, is the same bytes as the template writes (coach/fields.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.test import RequestFactory
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from athletes import absence_forms
from athletes import forms as athlete_forms
from coach import accounts, fields
from sessions import comment_forms, log_forms, versions
from sessions import forms as session_forms
from sessions.import_views import WatchFileForm
from sessions.models import RepResult
from tests import factories as f

HOSTILE = "<&>'\" x"


def same_bytes(form: forms.Form) -> int:
    """Each field group of ``form`` through the Python path and through the template: the
    same bytes, and the Python path is the one ``as_field_group`` takes. Returns how many."""
    renderer = form.renderer
    assert isinstance(renderer, fields.FormRenderer)
    for bound in form:
        fast = bound.as_field_group()
        slow = TemplatesSetting.render(renderer, fields.FIELD_TEMPLATE, {"field": bound})
        assert fast == slow, bound.html_name
        assert fast == fields.field_group_html(bound), bound.html_name
    return len(form.fields)


def hostile(form: forms.Form) -> forms.Form:
    """``form`` with hostile text in every label and help (plain, lazy and marked safe)."""
    for index, field in enumerate(form.fields.values()):
        field.label = [HOSTILE, gettext_lazy(HOSTILE), mark_safe("<i>safe</i> &amp;")][index % 3]
        field.help_text = [gettext_lazy(HOSTILE), HOSTILE, ""][index % 3]
    return form


def posted(form_class, *args, prefix: str | None = None, **kwargs) -> list[forms.Form]:
    """The form unbound, bound with nothing (the required fields' errors), bound with hostile
    text in every box, and each of those with hostile labels and help."""
    made = [form_class(*args, prefix=prefix, **kwargs)]
    names = list(made[0].fields)
    blank = QueryDict(mutable=True)
    typed = QueryDict(mutable=True)
    for name in names:
        typed.setlist(made[0].add_prefix(name), [HOSTILE])
    for data in (blank, typed):
        made.append(form_class(*args, data=data, prefix=prefix, **kwargs))
        made[-1].is_valid()
    made += [hostile(form_class(*args, prefix=prefix, **kwargs)),
             hostile(form_class(*args, data=typed, prefix=prefix, **kwargs))]
    return made


@pytest.fixture
def log(block, athlete):
    session = f.planned(block, "4x400m @ 64")
    return f.make_log(session=session, athlete=athlete)


def forms_of_the_app(coach, athlete, admin_user, block, log):
    request = RequestFactory().post("/")
    request.user = coach
    rep = RepResult(pk=7, position=1, distance_m=400, planned_distance_m=400, target_lo_s=64.0,
                    target_hi_s=65.0, target_text="64-65", log=log)
    return {
        "AthleteForm": posted(athlete_forms.AthleteForm, user=coach),
        "CoachForm": posted(athlete_forms.CoachForm, user=admin_user),
        "SquadForm": posted(athlete_forms.SquadForm, user=coach),
        "MoveForm": posted(athlete_forms.MoveForm, user=coach),
        "AssignCoachForm": posted(athlete_forms.AssignCoachForm, user=admin_user),
        "RosterFilterForm": posted(athlete_forms.RosterFilterForm, squads=[], coaches=[coach]),
        "ImportForm": posted(athlete_forms.ImportForm, user=coach),
        "RaceResultForm": posted(athlete_forms.RaceResultForm),
        "PaceOverrideForm": posted(athlete_forms.PaceOverrideForm),
        "ZoneForm": posted(athlete_forms.ZoneForm),
        "AbsenceForm": posted(absence_forms.AbsenceForm, prefix="absence"),
        "WatchFileForm": posted(WatchFileForm),
        "RepForm": posted(log_forms.RepForm, rep=rep),
        "AddRepForm": posted(log_forms.AddRepForm, prefix="add"),
        "LogForm": posted(log_forms.LogForm, instance=log),
        "VersionsForm": [versions.VersionsForm(block=block, athletes=[athlete]),
                         versions.VersionsForm(QueryDict(f"v-{athlete.pk}=%3C%26"),
                                               block=block, athletes=[athlete])],
        "CommentForm": posted(comment_forms.CommentForm, log=log, user=coach)
        + posted(comment_forms.CommentForm, log=log, user=athlete.user),
        "BlockForm": posted(session_forms.BlockForm, coach=coach),
        "AthleteGoalForm": posted(session_forms.AthleteGoalForm, block=block),
        "SessionForm": posted(session_forms.SessionForm, block=block),
        "SlotForm": posted(session_forms.SlotForm, block=block),
        "CopyWeekForm": posted(session_forms.CopyWeekForm, block=block),
        "TemplateForm": posted(session_forms.TemplateForm, coach=coach),
        "LoginForm": posted(accounts.LoginForm, request=request),
        "PasswordChangeForm": posted(accounts.PasswordChangeForm, coach, request=request),
    }


@pytest.mark.django_db
def test_every_field_group_of_the_apps_forms_is_written_as_the_template_writes_it(
        coach, athlete, admin_user, block, log):
    made = forms_of_the_app(coach, athlete, admin_user, block, log)
    for name, variants in made.items():
        assert sum(same_bytes(form) for form in variants), name  # each has fields
    kinds = {(bound.use_fieldset, bool(bound.errors), bool(bound.help_text), bound.is_hidden)
             for variants in made.values() for form in variants for bound in form}
    assert {(False, False, False, False), (False, True, True, False), (True, True, True, False),
            (True, False, False, False)} <= kinds  # both tags, with and without help and errors


class Odd(forms.Form):
    slot = forms.ChoiceField(choices=[("AM", "AM")], widget=forms.RadioSelect,
                             help_text=mark_safe("<b>bold</b> & <i>x</i>"))
    ok = forms.BooleanField(label=gettext_lazy("Sure <&>?"), help_text=gettext_lazy("Tick & go"))
    secret = forms.CharField(widget=forms.HiddenInput, help_text="hidden <help>")
    shown = forms.CharField(show_hidden_initial=True, initial="a<b", label="")
    described = forms.CharField(widget=forms.TextInput(attrs={"aria-describedby": "elsewhere"}),
                                help_text="its own <description>")
    marked = forms.CharField(label=lazy(lambda: mark_safe("<b>L</b> &amp;"), str)(),
                             help_text=lazy(lambda: mark_safe("<ul><li>a</li></ul>"), str)())
    many = forms.MultipleChoiceField(choices=[("a", "A<"), ("b", "B&")],
                                     widget=forms.CheckboxSelectMultiple)


@pytest.mark.parametrize("kwargs", [
    {}, {"data": {"slot": "PM", "secret": "<s>", "shown": "'\""}}, {"auto_id": False},
    {"auto_id": "f<%s>", "prefix": "p&"}, {"data": {}, "auto_id": False},
    {"data": {"slot": "AM", "ok": "on", "secret": "x", "shown": "y", "described": "z",
              "many": "a"}},
])
def test_odd_fields_are_written_as_the_template_writes_them(kwargs):
    """Hidden, checkbox, radio and checkbox groups, a shown initial, an own aria-describedby,
    no ids, ids with markup in them, safe and lazy text (a lazy str that gives markup marked
    safe, as the password validators' help does), errors or none."""
    form = Odd(**kwargs)
    form.is_bound and form.is_valid()
    same_bytes(form)


def test_errors_are_escaped_and_joined_by_a_space():
    form = Odd({"slot": "<PM>"})
    form.add_error("slot", "Second <one> & more")
    html = form["slot"].as_field_group()
    assert same_bytes(form)
    assert '<p class="error" role="alert" id="id_slot_error">Select a valid choice. &lt;PM&gt; ' \
           "is not one of the available choices. Second &lt;one&gt; &amp; more</p>" in html


def test_a_label_that_is_not_text_is_left_to_the_template():
    form = Odd()
    form.fields["slot"].label = 3  # the template would localize a number
    bound = form["slot"]
    assert fields.field_group_html(bound) is None
    assert bound.as_field_group() == TemplatesSetting.render(
        form.renderer, fields.FIELD_TEMPLATE, {"field": bound})
    assert "<legend>3</legend>" in bound.as_field_group()


def test_a_template_other_than_the_mirrored_one_is_used(monkeypatch):
    """A changed field.html (or an overriding one) is drawn by the template, not by Python."""
    renderer = fields.FormRenderer()
    assert renderer._field_template_mirrored()
    monkeypatch.setattr(fields, "FIELD_TEMPLATE_SOURCE", fields.FIELD_TEMPLATE_SOURCE + " ")
    renderer = fields.FormRenderer()
    assert not renderer._field_template_mirrored()
    form = Odd(renderer=renderer)
    monkeypatch.setattr(fields, "field_group_html", lambda field: "not used")
    assert form["ok"].as_field_group().startswith('<div class="field" id="field-ok">')


def test_a_field_with_its_own_template_is_left_to_it():
    class Own(forms.Form):
        name = forms.CharField(template_name="django/forms/field.html")

    html = Own()["name"].as_field_group()
    assert 'id="field-name"' not in html and '<label for="id_name">Name:</label>' in html
