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
    return RepForm(data, rep=row)


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


def test_only_the_fields_posted_are_changed():
    row = rep(actual_s=64.5, avg_hr=170, note="windy")
    assert bound(row, time="64.9").values_to_save() == {"actual_s": 64.9}
    assert bound(row, note="").values_to_save() == {"note": ""}


@pytest.mark.parametrize("fields,in_row,more", [
    ({}, ["time"], ["distance", "avg_hr", "lactate", "note"]),
    ({"lactate_lo": 2.0, "lactate_hi": 3.0}, ["time", "lactate"],
     ["distance", "avg_hr", "note"]),
    ({"distance_m": None, "planned_distance_m": None, "duration_s": 360, "target_lo_s": None,
      "target_hi_s": None}, ["distance"], ["time", "avg_hr", "lactate", "note"]),
    ({"distance_m": None, "planned_distance_m": None, "duration_s": 360, "target_lo_s": None,
      "target_hi_s": None, "lactate_lo": 2.5, "lactate_hi": 2.5}, ["lactate"],
     ["distance", "time", "avg_hr", "note"]),
    ({"distance_m": 1000, "planned_distance_m": 1000, "target_lo_s": None, "target_hi_s": None,
      "lactate_lo": 3.0, "lactate_hi": 3.5}, ["lactate"], ["time", "distance", "avg_hr", "note"]),
])
def test_the_row_holds_the_box_the_rep_is_judged_by_and_a_lactate_box_for_a_band(
        fields, in_row, more):
    form = RepForm(rep=rep(**fields))
    assert (form.primary, form.in_row, form.more) == (in_row[0], in_row, more)
    assert sorted([*form.in_row, *form.more]) == sorted(RepForm.FIELDS)


def test_every_rep_gets_the_number_pad():
    assert RepForm(rep=rep()).fields["time"].widget.attrs["inputmode"] == "decimal"
    long_rep = rep(distance_m=1600, planned_distance_m=1600, target_lo_s=245, target_hi_s=245)
    assert RepForm(rep=long_rep).fields["time"].widget.attrs["inputmode"] == "decimal"
    assert RepForm(rep=long_rep).fields["time"].widget.attrs["placeholder"] == "e.g. 4:05"


# --- slips: a split impossible or far off for its rep is asked about, not stored -------------

def four_hundred(**fields) -> RepResult:
    return rep(target_lo_s=68.0, target_hi_s=70.8, **fields)


@pytest.mark.parametrize("typed", ["66.4", "1:06.4", "1.06.4", "66,4"])
def test_a_split_reads_the_same_however_it_is_typed(typed):
    form = bound(four_hundred(), time=typed)
    assert form.values_to_save() == {"actual_s": 66.4} and form.question is None


@pytest.mark.parametrize("typed,message,suggestion,keep", [
    ("6.64", "6.64 s for 400 m? Did you mean 1:06.4?", "66.4", False),  # faster than a WR
    ("664", "664 s for 400 m? Did you mean 1:06.4?", "66.4", False),  # slower than a walk
    ("106.4", "106.4 s for 400 m? Did you mean 1:06.4?", "66.4", True),  # possible, far off
])
def test_a_slip_is_questioned_with_the_reading_nearest_the_target(typed, message, suggestion,
                                                                  keep):
    form = bound(four_hundred(), time=typed)
    assert form.values_to_save() == {} and not form.errors
    assert form.question.message == message
    assert (form.question.suggestion_value, form.question.can_keep) == (suggestion, keep)


def test_a_long_reps_slip_on_the_number_pad_reads_as_minutes():
    mile = rep(distance_m=1600, planned_distance_m=1600, target_lo_s=240.0, target_hi_s=250.0)
    form = bound(mile, time="4.05")
    assert form.question.message == "4.05 s for 1600 m? Did you mean 4:05?"
    assert form.question.suggestion == 245 and not form.question.can_keep
    assert bound(mile, time="4.05.0").values_to_save() == {"actual_s": 245}


def test_without_a_target_a_slip_is_read_at_a_runners_speed():
    row = rep(target_lo_s=None, target_hi_s=None)
    assert bound(row, time="6.64").question.suggestion == 66.4
    assert bound(row, time="106.4").values_to_save() == {"actual_s": 106.4}  # possible


def test_a_confirmed_value_is_kept_only_if_it_is_possible():
    assert bound(four_hundred(), time="106.4", confirm="1").values_to_save() == {
        "actual_s": 106.4}
    form = bound(four_hundred(), time="6.64", confirm="1")
    assert form.values_to_save() == {} and form.question is not None


def test_an_impossible_split_without_a_plausible_reading_is_refused():
    form = bound(four_hundred(), time="3")
    assert form.question is None and "faster than a world record" in form.errors["time"][0]


def test_a_split_is_checked_against_the_distance_already_run():
    row = four_hundred(distance_m=200)  # cut short before
    assert bound(row, time="34.0").values_to_save() == {"actual_s": 34.0}
