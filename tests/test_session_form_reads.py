"""The session form's reads compiled once (``coach.prepared``) and its workout kept by text:
the same chips, boxes and previews as the querysets and parsing they replace."""

from django.urls import reverse

from coach import notation
from sessions import views
from sessions.models import AthleteVersion, SessionTemplate
from sessions.planning import plan_session
from tests import factories as f


def test_the_chips_are_the_coachs_own_templates_by_title(coach_client, coach, other_coach,
                                                         block):
    for title in ("Tuesday 400s", "Hills & <strides>", "A tempo"):
        SessionTemplate.objects.create(coach=coach, title=title, notation="6x1k @ T")
    SessionTemplate.objects.create(coach=other_coach, title="Secret", notation="10x1k @ T")
    session = f.make_session(block=block, notation="12x400 @ T+ (200 jog)")
    for url in (reverse("training:session-new", args=[block.pk]),
                reverse("training:session-edit", args=[session.pk])):
        response = coach_client.get(url)
        html = response.content.decode()
        assert [t.title for t in response.context["templates"]] == [
            t.title for t in views._templates(response.wsgi_request)]
        assert [t.title for t in response.context["templates"]] == [
            "A tempo", "Hills & <strides>", "Tuesday 400s"]
        assert "Secret" not in html
        assert 'data-template-title="Hills &amp; &lt;strides&gt;"' in html


def test_the_boxes_hold_the_athletes_own_versions(coach_client, coach, block, athlete):
    other = f.make_athlete(name="Zed Other", coach=coach)
    block.athletes.add(other)
    session = f.make_session(block=block, notation="12x400 @ T+ (200 jog)")
    AthleteVersion.objects.create(session=session, athlete=athlete, notation="8x400 @ T+",
                                  squad_notation=session.notation)
    plan_session(session)
    response = coach_client.get(reverse("training:session-edit", args=[session.pk]))
    own = response.context["versions_form"]
    assert set(own.existing) == {athlete.pk}
    assert own.initial == {f"version-{athlete.pk}": "8x400 @ T+"}
    assert ">8x400 @ T+</textarea>" in response.content.decode()


def test_a_workout_is_read_once_per_text_and_errors_are_not_kept():
    views._parsed.cache_clear()
    first = views._parsed("5x1k @ T (2min)")
    assert views._parsed("5x1k @ T (2min)") is first
    assert first == notation.parse("5x1k @ T (2min)")
    assert views._parsed_or_none("5x((") is None
    assert views._parsed.cache_info().currsize == 1  # the error was not kept


def test_unbound_boxes_read_as_their_bound_fields_do(coach, block, athlete):
    from sessions.versions import VersionsForm  # noqa: PLC0415
    other = f.make_athlete(name="Zed <Other>", coach=coach)
    block.athletes.add(other)
    session = f.make_session(block=block, notation="12x400 @ T+ (200 jog)")
    AthleteVersion.objects.create(session=session, athlete=athlete, notation="8x400 @ T+",
                                  squad_notation=session.notation)
    form = VersionsForm(block=block, athletes=[athlete, other], session=session)
    rows = form.rows()
    assert [r["value"] for r in rows] == ["8x400 @ T+", ""]
    for row, a in zip(rows, [athlete, other], strict=True):
        field = form[f"version-{a.pk}"]
        value = field.value()
        assert (row["name"], row["id"], row["value"]) == (
            field.html_name, field.id_for_label, "" if value is None else value)
        assert list(row["errors"]) == list(field.errors) == []
    bound = VersionsForm({f"version-{other.pk}": "3x(("}, block=block,
                         athletes=[athlete, other], session=session)
    assert not bound.is_valid()
    assert [r["value"] for r in bound.rows()] == ["", "3x(("]
    assert list(bound.rows()[1]["errors"])


def test_a_box_is_the_field_the_form_built_before(coach, block, athlete):
    from django import forms  # noqa: PLC0415

    from sessions.versions import VersionsForm  # noqa: PLC0415
    built = forms.CharField(
        label=athlete.display_name, required=False, max_length=2000,
        widget=forms.Textarea(attrs={
            "class": "notation version-notation", "rows": 1, "spellcheck": "false",
            "autocapitalize": "off", "autocomplete": "off", "placeholder": "The squad’s workout",
        }))
    form = VersionsForm(block=block, athletes=[athlete])
    box = form.fields[f"version-{athlete.pk}"]
    for name in ("label", "required", "max_length", "error_messages", "help_text"):
        assert getattr(box, name) == getattr(built, name)
    assert box.widget.attrs == built.widget.attrs
    assert (box.widget.is_required, type(box.widget)) == (built.widget.is_required, forms.Textarea)
    assert [type(v) for v in box.validators] == [type(v) for v in built.validators]
    assert str(form[f"version-{athlete.pk}"]) == str(built.get_bound_field(
        form, f"version-{athlete.pk}"))
    # each box its own widget attributes: changing one leaves the others and the model alone
    other = VersionsForm(block=block, athletes=[athlete]).fields[f"version-{athlete.pk}"]
    box.widget.attrs["rows"] = 9
    assert other.widget.attrs["rows"] == built.widget.attrs["rows"] == 1
