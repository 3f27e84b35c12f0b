"""Implausible session volumes warn, in the live preview and when saving, but never refuse
(issue 9, item 8): over 50 km of work or over 5 hours by the estimate."""


import pytest
from django.urls import reverse

from coach import notation
from sessions import preview
from sessions.models import Session


@pytest.mark.parametrize(("text", "expected"), [
    ("500x400", ["200 km of work (500 reps)", "would take about"]),
    ("10x100000m", ["1000 km of work (10 reps)", "would take about"]),
    ("6x60min @ E (1min)", ["would take about 6 h"]),
])
def test_the_preview_warns_about_an_implausible_volume(coach_client, block, htmx, text,
                                                       expected):
    response = coach_client.post(reverse("training:session-preview", args=[block.pk]),
                                 {"notation": text}, **htmx)
    assert response.status_code == 200
    html = response.content.decode()
    warnings = response.context["preview"].volume_warnings
    assert len(warnings) == len(expected)
    for warning, words in zip(warnings, expected, strict=True):
        assert words in warning
        assert warning in html


@pytest.mark.parametrize("text", [
    "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD", "90min easy",
    "2x(25x1000 @ M (60s))", "4h easy",  # 50 km of work and 4 hours: at the limit, no warning
])
def test_a_real_session_gets_no_volume_warning(coach_client, block, htmx, text):
    response = coach_client.post(reverse("training:session-preview", args=[block.pk]),
                                 {"notation": text}, **htmx)
    assert response.context["preview"].volume_warnings == []
    assert "volume-warning" not in response.content.decode()


def test_the_limits_are_50_km_of_work_and_5_hours():
    workout = notation.parse("50x1000")
    assert preview.volume_warnings(workout, 5 * 3600) == []
    assert len(preview.volume_warnings(notation.parse("50x1001"), 0)) == 1
    assert len(preview.volume_warnings(workout, 5 * 3600 + 1)) == 1


def test_saving_an_implausible_session_saves_it_and_warns(coach_client, block):
    response = coach_client.post(reverse("training:session-new", args=[block.pk]), {
        "date": "2026-11-03", "slot": "AM", "title": "", "notation": "500x400", "notes": "",
        "tolerance_pct": "1.5"}, follow=True)
    assert response.status_code == 200
    session = Session.objects.get()
    assert session.rep_count == 500
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages[0][0] == "success"
    assert messages[1][0] == "warning" and "200 km of work" in messages[1][1]
    assert "200 km of work" in response.content.decode()


def test_saving_a_real_session_does_not_warn(coach_client, block):
    response = coach_client.post(reverse("training:session-new", args=[block.pk]), {
        "date": "2026-11-03", "slot": "AM", "title": "", "notation": "6x1k @ T 60s",
        "notes": "", "tolerance_pct": "1.5"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_an_own_version_with_an_implausible_volume_warns_on_saving_too(coach_client, block,
                                                                       athlete):
    """The squad's workout is sensible, Ada's own version is not: saved, with a warning that
    names her version."""
    response = coach_client.post(reverse("training:session-new", args=[block.pk]), {
        "date": "2026-11-03", "slot": "AM", "title": "Ks", "notation": "6x1k @ T 60s",
        "notes": "", "tolerance_pct": "1.5", f"version-{athlete.pk}": "500x400"}, follow=True)
    session = Session.objects.get()
    assert session.versions.get().notation == "500x400"
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages[0][0] == "success" and len(messages) == 3  # work, and time
    assert all(level == "warning" and "Ada Miler’s version" in text
               for level, text in messages[1:])
    assert "200 km of work" in messages[1][1] and "would take about" in messages[2][1]
