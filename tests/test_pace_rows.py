"""Paces from plain rows (``athletes.models.keep_pace_rows``), as the session form, its live
preview and ``plan_session`` read them, and the event labels kept per language: the same
profiles, labels and targets as from the related managers, in fewer queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from athletes import models as athlete_models
from athletes.models import (
    Athlete,
    Event,
    PaceBasis,
    PaceOverride,
    RaceResult,
    distance_label,
    event_label,
    keep_pace_rows,
)
from coach import formats, pace
from sessions import planning
from sessions.models import PlannedTarget
from sessions.planning import plan_session
from sessions.preview import block_athletes
from tests import factories as f


def _squad(coach):
    """Four athletes: races and overrides, a tie that a date breaks, odd distances, none."""
    fast = f.make_athlete(name="Ada Fast", coach=coach)
    f.make_race(fast, distance_m=5000, time_s=812.4, date=dt.date(2026, 5, 1))
    f.make_race(fast, distance_m=1609.34, time_s=236.8, date=dt.date(2026, 4, 1))
    f.make_race(fast, distance_m=1500, time_s=218, date=dt.date(2026, 3, 1))
    PaceOverride.objects.create(athlete=fast, zone="T", fast_s_per_km=190, slow_s_per_km=195)
    PaceOverride.objects.create(athlete=fast, zone="E", fast_s_per_km=250, slow_s_per_km=280)
    tie = f.make_athlete(name="Ben Tie", coach=coach)
    f.make_race(tie, distance_m=10000, time_s=1800, date=dt.date(2026, 2, 1))
    f.make_race(tie, distance_m=10000, time_s=1800, date=dt.date(2026, 1, 1))
    odd = f.make_athlete(name="Cy Odd", coach=coach)
    f.make_race(odd, distance_m=3200, time_s=560.25, date=dt.date(2026, 2, 1))
    f.make_race(odd, distance_m=21097.5, time_s=3900, date=dt.date(2025, 2, 1))
    PaceOverride.objects.create(athlete=odd, zone="R", fast_s_per_km=150, slow_s_per_km=150)
    none = f.make_athlete(name="Di None", coach=coach)
    return [fast, tie, odd, none]


@pytest.mark.django_db
def test_profiles_from_rows_equal_those_from_the_managers(coach):
    ids = [a.pk for a in _squad(coach)]
    kept = keep_pace_rows(list(Athlete.objects.filter(pk__in=ids)))
    for athlete in kept:
        fresh = Athlete.objects.get(pk=athlete.pk)  # no rows kept: reads its related managers
        for kwargs in ({}, {"altitude_m": 2100, "goal_race": "5k", "goal_time_s": 800.0},
                       {"goal_race": "mile"}):
            assert athlete.pace_profile(**kwargs) == fresh.pace_profile(**kwargs)
    by_name = {a.display_name: a.pace_profile() for a in kept}
    assert by_name["Ada Fast"].vdot_race == "5000 m 13:32.4"
    assert dict(by_name["Ada Fast"].overrides) == {"T": (190, 195), "E": (250, 280)}
    assert by_name["Ben Tie"].vdot_race == "10,000 m 30:00"
    assert by_name["Cy Odd"].vdot_race == "half marathon 1:05:00"
    assert by_name["Di None"].vdot is None and by_name["Di None"].vdot_race is None


@pytest.mark.django_db
def test_rows_are_read_in_two_queries_whatever_the_squad(coach, django_assert_num_queries):
    athletes = list(Athlete.objects.filter(pk__in=[a.pk for a in _squad(coach)]))
    with django_assert_num_queries(2):
        keep_pace_rows(athletes)
    with django_assert_num_queries(0):
        for athlete in athletes:
            athlete.pace_profile(altitude_m=1000)
    with django_assert_num_queries(0):
        assert keep_pace_rows([]) == []


def test_basis_from_rows_takes_the_first_on_a_tie_and_names_the_race():
    basis = PaceBasis.from_rows([(5000, 812.4), (1500, 218)], [("T", 190.0, 195.0)])
    found = pace.best_vdot([(5000, 812.4), (1500, 218)])
    assert basis.vdot == found[0]
    assert basis.vdot_race == "5000 m 13:32.4"
    assert basis.overrides == {"T": (190.0, 195.0)}
    assert PaceBasis.from_rows([], []) == PaceBasis(vdot=None, vdot_race=None, overrides={})


def _targets(session) -> list[tuple]:
    fields = [f.attname for f in PlannedTarget._meta.concrete_fields
              if f.attname not in ("id", "step_id")]
    return list(PlannedTarget.objects.filter(step__session=session)
                .order_by("athlete_id", "step__athlete_id", "step__position")
                .values_list("step__athlete_id", "step__position", *fields))


@pytest.mark.django_db
def test_block_athletes_keep_the_rows_and_plan_as_before(coach, monkeypatch,
                                                          django_assert_num_queries):
    squad = _squad(coach)
    block = f.make_block(coach=coach, athletes=tuple(squad))
    with django_assert_num_queries(3):
        found = block_athletes(block, coach)
    goal_times = block.goal_times()
    for athlete in found:
        fresh = Athlete.objects.get(pk=athlete.pk)
        assert block.profile_for(athlete, goal_times) == block.profile_for(fresh, goal_times)
    session = f.planned(block, "6x800 @ I (2 min jog); 3 km @ T; 4x200 @ R (200 jog); 2 km @ E")
    f.make_athlete(name="Eve Own", coach=coach)  # not in the block: no targets
    from_rows = _targets(session)
    assert {row[2] for row in from_rows} == {a.pk for a in squad}
    assert any(row[2] == squad[0].pk and "coach" in str(row) for row in from_rows)
    # the same session planned from the related managers (each athlete's own queries)
    monkeypatch.setattr(planning, "keep_pace_rows", lambda athletes: athletes)
    plan_session(session)
    assert _targets(session) == from_rows


def test_event_labels_are_those_of_the_choices_in_each_language():
    for key, label in Event.choices:
        assert event_label(key) == str(label)
    assert event_label("no-such-event") == "no-such-event"
    for distance in (*pace.RACES.values(), 3200, 1000.4, 42195):
        key = pace.race_key(distance)
        want = (dict(Event.choices).get(key, key) if key is not None
                else formats.format_amount(distance, None))
        assert distance_label(distance) == want
    with translation.override("fr"):
        assert event_label("mile") == str(dict(Event.choices)["mile"])
        assert "fr" in athlete_models._EVENT_LABELS
    assert translation.get_language() in athlete_models._EVENT_LABELS


@pytest.mark.django_db
def test_short_label_is_unchanged(athlete):
    result = RaceResult.objects.create(athlete=athlete, distance_m=1609.34, time_s=236.8,
                                       date=dt.date(2026, 1, 1))
    assert result.short_label == "mile 3:56.8"
    result.distance_m, result.time_s = 3200, 560
    assert result.short_label == "3200 m 9:20"
