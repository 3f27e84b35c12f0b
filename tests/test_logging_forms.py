"""sessions/log_forms.py: what the log form accepts, what it refuses, what it saves (the
spellings of times and distances: coach/fields.py, tests/test_fields.py)."""

from __future__ import annotations

import pytest

from coach import fields
from sessions.log_forms import RepForm
from sessions.models import RepResult


def rep(**fields) -> RepResult:
    values = {"pk": 7, "position": 1, "distance_m": 400, "planned_distance_m": 400,
              "target_lo_s": 64.0, "target_hi_s": 65.0, "target_text": "64-65", **fields}
    return RepResult(**values)


def bound(row: RepResult, **data) -> RepForm:
    return RepForm({f"rep-{row.pk}-{name}": value for name, value in data.items()},
                   rep=row)


@pytest.mark.parametrize("seconds,text", [
    (64.2, "64.2"), (64.0, "64"), (64.25, "64.25"), (99.99, "99.99"), (100.0, "1:40"),
    (245.0, "4:05"), (245.3, "4:05.3"), (None, ""),
])
def test_a_saved_time_goes_back_into_its_box_as_a_split(seconds, text):
    assert fields.split_text(seconds) == text


@pytest.mark.parametrize("typed,read", [("64,2", "64.2"), (" 3,5 ", "3.5"), ("1:04,2", "1:04,2"),
                                         ("64.2", "64.2"), ("6,4,2", "6,4,2")])
def test_a_lone_decimal_comma_from_a_phone_keypad_is_a_point(typed, read):
    assert fields.decimal_point(typed) == read


def test_only_changed_valid_fields_are_saved():
    row = rep(actual_s=64.5, avg_hr=170)
    form = bound(row, time="64.5", avg_hr="171", lactate="", distance="", note="")
    assert form.values_to_save() == {"avg_hr": 171}
    form = bound(row, time="6o.2", avg_hr="172", lactate="", distance="", note="")
    assert form.values_to_save() == {"avg_hr": 172}
    assert "time" in form.errors


def test_clearing_a_box_clears_the_saved_value_and_a_blank_distance_means_as_planned():
    row = rep(actual_s=64.5, distance_m=300)
    form = bound(row, time="", avg_hr="", lactate="", distance="", note="")
    assert form.values_to_save() == {"actual_s": None, "distance_m": 400}


def test_a_time_is_checked_against_the_distance_run():
    row = rep()
    assert "faster than a world record" in bound(row, time="35", distance="400").errors["time"][0]
    assert not bound(row, time="35", distance="300").errors  # a 300 in 35 s is possible


@pytest.mark.parametrize("fields,primary,more", [
    ({}, "time", ["distance", "note"]),
    ({"distance_m": None, "planned_distance_m": None, "duration_s": 360, "target_lo_s": None,
      "target_hi_s": None}, "distance", ["time", "note"]),
    ({"distance_m": None, "planned_distance_m": None, "duration_s": 360, "target_lo_s": None,
      "target_hi_s": None, "lactate_lo": 2.5, "lactate_hi": 2.5}, "lactate", ["time", "note"]),
    ({"distance_m": 1000, "planned_distance_m": 1000, "target_lo_s": None, "target_hi_s": None,
      "lactate_lo": 3.0, "lactate_hi": 3.5}, "lactate", ["distance", "note"]),
])
def test_the_big_box_is_what_the_rep_is_judged_by(fields, primary, more):
    form = RepForm(rep=rep(**fields))
    assert form.primary == primary and form.more == more
    assert "primary-input" in form.fields[primary].widget.attrs["class"]
    assert sorted([form.primary, *form.measures, *form.more]) == sorted(RepForm.FIELDS)


def test_short_reps_get_the_number_pad_and_long_ones_a_keyboard_with_a_colon():
    assert RepForm(rep=rep()).fields["time"].widget.attrs["inputmode"] == "decimal"
    long_rep = rep(distance_m=1600, planned_distance_m=1600, target_lo_s=245, target_hi_s=245)
    assert RepForm(rep=long_rep).fields["time"].widget.attrs["inputmode"] == "text"
    assert RepForm(rep=long_rep).fields["time"].widget.attrs["placeholder"] == "e.g. 4:05"
