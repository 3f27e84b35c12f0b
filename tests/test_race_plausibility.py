"""Implausible race results are refused wherever results are entered: faster than the world
record for the distance, dated before 1950 or in the future (coach/pace.py WORLD_RECORDS,
athletes/models.py RaceResult.clean, the profile's race form and the Django admin)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from athletes.models import RaceResult
from coach import formats, pace, records

# --- coach/pace.py ----------------------------------------------------------------------------


@pytest.mark.parametrize(("distance", "record"), [
    (100, 9.58), (800, 100.91), (1500, 206.0), (formats.MILE, 223.13), (1609, 223.13),
    (3000, 437.55), (5000, 755.36), (10000, 1571.0), (formats.HALF_MARATHON, 3402.0),
    (formats.MARATHON, 7235.0),
])
def test_world_record_at_the_record_distances(distance, record):
    assert records.world_record(distance) == record
    assert records.fastest_time(distance) == record


@pytest.mark.parametrize("distance", [150, 4000, 3218.688, 30000, 50, 100000])
def test_other_distances_have_no_record(distance):
    assert records.world_record(distance) is None


def test_records_get_slower_per_metre_with_distance():
    speeds = [d / t for d, t in sorted(records.WORLD_RECORDS.items())]
    assert speeds == sorted(speeds, reverse=True)  # so the speed bounds at both ends hold


def test_between_two_records_the_bound_follows_the_power_law_less_one_percent():
    # 4000 m between 3000 m (7:17.55) and 5000 m (12:35.36)
    exponent = pace.math.log(755.36 / 437.55) / pace.math.log(5000 / 3000)
    expected = 437.55 * (4000 / 3000) ** exponent * 0.99
    assert records.fastest_time(4000) == pytest.approx(expected)
    assert 437.55 < records.fastest_time(4000) < 755.36


@pytest.mark.parametrize(("distance", "best_ever"), [
    (3218.688, 474.10),  # 2 miles: 7:54.10, a world best, not a record event
    (300, 30.81),  # 300 m
    (600, 72.81),  # 600 m
    (15000, 2465.0),  # 15 km road, 41:05
])
def test_the_bound_lets_real_bests_between_record_distances_through(distance, best_ever):
    assert records.fastest_time(distance) < best_ever


def test_below_100_m_and_beyond_the_marathon_the_record_speed_bounds():
    assert records.fastest_time(50) == pytest.approx(50 * 9.58 / 100)
    assert records.fastest_time(100000) == pytest.approx(100000 * 7235.0 / formats.MARATHON)


@pytest.mark.parametrize("distance", [0, -5, float("nan")])
def test_the_bound_refuses_what_is_not_a_distance(distance):
    with pytest.raises(ValueError, match="distance"):
        records.fastest_time(distance)


# --- the athlete profile's race form --------------------------------------------------------

def race(distance="5k", time="13:32.4", date="2026-06-10", other=""):
    return {"race-distance": distance, "race-other_distance": other, "race-time": time,
            "race-date": date, "race-race_name": "Test"}


def _field_errors(html: str, name: str) -> str:
    block = re.search(rf'id="field-{name}".*?</div>', html, re.S)
    assert block, f"no field {name}"
    return " ".join(re.findall(r'<p class="error"[^>]*>(.*?)</p>', block.group(0)))


def _add(client, athlete, data, **extra):
    return client.post(reverse("athletes:race-add", args=[athlete.pk]), data, **extra)


def test_a_5000_in_9_minutes_is_refused_and_is_no_personal_best(coach_client, athlete):
    response = _add(coach_client, athlete, race(time="9:00"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ("9:00 for 5000 m is faster than the world record (12:35.36)"
            in _field_errors(html, "race-time"))
    assert 'value="9:00"' in html  # what was typed stays
    assert athlete.race_results.count() == 1
    assert athlete.personal_bests()[0].time_s == 768  # the fixture's 12:48 stays the best


def test_a_time_just_outside_the_record_is_taken(coach_client, athlete, htmx):
    assert _add(coach_client, athlete, race(time="12:35.4"), **htmx).status_code == 200
    assert athlete.race_results.filter(time_s__gt=755.3, time_s__lt=755.5).exists()


def test_an_odd_distance_is_bound_by_the_records_around_it(coach_client, athlete, htmx):
    html = _add(coach_client, athlete, race("other", time="9:00", other="4000"),
                **htmx).content.decode()
    assert ("9:00 for 4 km is faster than the world records allow (about 9:49.12 at best)"
            in _field_errors(html, "race-time"))
    html = _add(coach_client, athlete, race("other", time="10:00", other="3 mi"),
                **htmx).content.decode()
    assert "10:00 for 3 mi is faster" in _field_errors(html, "race-time")  # not 4828.03 m
    assert athlete.race_results.count() == 1


@pytest.mark.parametrize(("day", "message"), [
    ("1900-05-01", "Results from before 1950 are not taken"),
    ("1949-12-31", "Results from before 1950 are not taken"),
    ("2999-01-01", "A result cannot be in the future."),
])
def test_dates_before_1950_or_in_the_future_are_refused(coach_client, athlete, htmx, day,
                                                        message):
    html = _add(coach_client, athlete, race(date=day), **htmx).content.decode()
    assert message in _field_errors(html, "race-date")
    assert f'value="{day}"' in html
    assert athlete.race_results.count() == 1


def test_1950_and_tomorrow_are_taken(coach_client, athlete, htmx):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)  # a time zone ahead of UTC
    for day in ("1950-01-01", tomorrow.isoformat()):
        _add(coach_client, athlete, race(date=day), **htmx)
    assert athlete.race_results.count() == 3


def test_the_date_picker_offers_1950_to_tomorrow(coach_client, athlete):
    html = coach_client.get(athlete.get_absolute_url()).content.decode()
    field = re.search(r'<input type="date" name="race-date"[^>]*>', html).group(0)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert 'min="1950-01-01"' in field and f'max="{tomorrow.isoformat()}"' in field


# --- the model, and so the Django admin ---------------------------------------------------------

def test_the_model_refuses_implausible_results(athlete):
    result = RaceResult(athlete=athlete, distance_m=5000, time_s=540, date=dt.date(1900, 1, 1))
    with pytest.raises(ValidationError) as caught:
        result.full_clean()
    assert "faster than the world record" in caught.value.message_dict["time_s"][0]
    assert "before 1950" in caught.value.message_dict["date"][0]
    RaceResult(athlete=athlete, distance_m=5000, time_s=800, date=dt.date(2020, 1, 1)).full_clean()


def test_the_admin_refuses_a_result_faster_than_the_world_record(admin_client_, athlete):
    url = reverse("admin:athletes_raceresult_add")
    response = admin_client_.post(url, {
        "athlete": athlete.pk, "distance_m": "5000", "time_s": "540", "date": "1900-01-01",
        "race_name": "Typo"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "faster than the world record (12:35.36)" in html
    assert "Results from before 1950 are not taken" in html
    assert 'value="540"' in html
    assert athlete.race_results.count() == 1


def test_the_admins_athlete_page_refuses_it_in_the_inline_too(admin_client_, athlete):
    url = reverse("admin:athletes_athlete_change", args=[athlete.pk])
    existing = athlete.race_results.get()
    data = {
        "display_name": athlete.display_name, "main_event": athlete.main_event,
        "user": athlete.user_id, "coaches": [c.pk for c in athlete.coaches.all()],
        "race_results-TOTAL_FORMS": "2", "race_results-INITIAL_FORMS": "1",
        "race_results-MIN_NUM_FORMS": "0", "race_results-MAX_NUM_FORMS": "1000",
        "race_results-0-id": existing.pk, "race_results-0-athlete": athlete.pk,
        "race_results-0-distance_m": "5000", "race_results-0-time_s": "768",
        "race_results-0-date": "2026-06-01", "race_results-0-race_name": "Test race",
        "race_results-1-athlete": athlete.pk, "race_results-1-distance_m": "10000",
        "race_results-1-time_s": "1200", "race_results-1-date": "2026-06-02",
        "race_results-1-race_name": "Typo",
        "pace_overrides-TOTAL_FORMS": "0", "pace_overrides-INITIAL_FORMS": "0",
        "pace_overrides-MIN_NUM_FORMS": "0", "pace_overrides-MAX_NUM_FORMS": "1000",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "faster than the world record (26:11)" in response.content.decode()
    assert athlete.race_results.count() == 1
