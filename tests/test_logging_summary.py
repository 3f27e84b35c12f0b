"""sessions/judging.py, summary.py and charts.py: each rep against its target, sets, adherence,
chart geometry (no DB)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions import charts, judging, summary


@dataclass
class Rep:
    position: int = 1
    distance_m: float | None = 400
    planned_distance_m: float | None = 400
    duration_s: float | None = None
    actual_s: float | None = None
    target_lo_s: float | None = 64.0
    target_hi_s: float | None = 64.0
    lactate: float | None = None
    lactate_lo: float | None = None
    lactate_hi: float | None = None
    avg_hr: int | None = None
    skipped: bool = False
    extra: bool = False
    set_number: int | None = 1
    rep_number: int | None = 1
    target_text: str = "64"
    note: str = ""


def reps(times, **kwargs):
    return [Rep(position=i, rep_number=i, actual_s=t, **kwargs)
            for i, t in enumerate(times, start=1)]


# --- one rep ------------------------------------------------------------------------------------

def test_deviation_is_from_the_middle_of_the_band_and_minus_is_faster():
    assert judging.deviation(64.8, (64.0, 64.0)) == pytest.approx(0.8)
    assert judging.deviation(62.8, (64.0, 64.0)) == pytest.approx(-1.2)
    assert judging.deviation(63.0, (62.0, 66.0)) == pytest.approx(-1.0)


@pytest.mark.parametrize("actual,expected", [
    (64.0, "on"), (64.96, "on"), (63.04, "on"),  # 1.5 % of 64 s is 0.96 s
    (64.97, "slow"), (63.03, "fast"), (70.0, "slow"), (58.0, "fast"),
])
def test_status_uses_the_band_widened_by_the_tolerance(actual, expected):
    assert judging.status(actual, (64.0, 64.0), 1.5) == expected


def test_status_widens_each_end_of_a_range_by_its_own_percentage():
    band = (62.0, 66.0)
    assert judging.status(61.1, band, 1.5) == "on"  # 62 * 0.985 = 61.07
    assert judging.status(61.0, band, 1.5) == "fast"
    assert judging.status(66.99, band, 1.5) == "on"  # 66 * 1.015 = 66.99
    assert judging.status(67.0, band, 1.5) == "slow"


def test_a_session_tolerance_of_three_percent_accepts_what_one_and_a_half_does_not():
    assert judging.status(65.5, (64.0, 64.0), 1.5) == "slow"
    assert judging.status(65.5, (64.0, 64.0), 3.0) == "on"


@given(st.floats(30, 400), st.floats(0, 10), st.floats(0.5, 20), st.floats(0.1, 1.5))
def test_status_agrees_with_the_tolerance_band(lo, spread, tolerance, factor):
    band = (lo, lo + spread)
    actual = lo * factor
    low, high = judging.tolerance_band(band, tolerance)
    expected = "fast" if actual < low else "slow" if actual > high else "on"
    assert judging.status(actual, band, tolerance) == expected


def test_a_rep_cut_short_is_judged_at_the_same_pace_over_the_distance_run():
    rep = Rep(distance_m=300, actual_s=48.0)
    assert judging.rep_target(rep) == pytest.approx((48.0, 48.0))
    verdict = judging.judge(rep, 1.5)
    assert verdict.status == "on"
    assert verdict.deviation == pytest.approx(0.0)


def test_reps_without_a_time_target_have_no_status():
    lactate_rep = Rep(distance_m=None, planned_distance_m=None, duration_s=360,
                      target_lo_s=None, target_hi_s=None, lactate=2.8, lactate_lo=2.5,
                      lactate_hi=2.5, target_text="2.5 mmol")
    verdict = judging.judge(lactate_rep, 1.5)
    assert verdict.status is None and verdict.deviation is None
    assert verdict.lactate_status == "above"
    assert "slower" in verdict.lactate_advice


@pytest.mark.parametrize("value,expected", [(1.9, "below"), (2.0, "in"), (3.0, "in"),
                                            (3.1, "above"), (None, None)])
def test_lactate_reading_against_its_band(value, expected):
    assert judging.lactate_status(value, 2.0, 3.0) == expected


@pytest.mark.parametrize("value,expected", [(2.2, "below"), (2.3, "in"), (2.5, "in"),
                                            (2.7, "in"), (2.8, "above")])
def test_a_one_value_lactate_target_allows_what_an_analyser_can_tell_apart(value, expected):
    assert judging.lactate_status(value, 2.5, 2.5) == expected
    assert judging.lactate_status(value, 2.5, None) == expected


def test_a_lactate_reading_without_a_band_is_not_judged():
    assert judging.lactate_status(3.4, None, None) is None


def test_a_skipped_rep_is_never_judged():
    rep = Rep(actual_s=70.0, skipped=True, lactate=5.0, lactate_lo=2.0, lactate_hi=3.0)
    verdict = judging.judge(rep, 1.5)
    assert verdict.status is None and verdict.lactate_status is None


@pytest.mark.parametrize("seconds,text", [(0.8, "+0.8 s"), (-1.24, "−1.2 s"), (0.04, "0.0 s"),
                                          (None, "")])
def test_deviation_reads_signed_with_one_decimal(seconds, text):
    assert judging.format_deviation(seconds) == text


def test_done_and_entered():
    assert not judging.is_done(Rep())
    assert judging.is_done(Rep(actual_s=64.0))
    assert judging.is_done(Rep(skipped=True))
    assert not judging.is_done(Rep(lactate=3.0))  # it has a time target: it needs the time
    assert judging.is_entered(Rep(lactate=3.0))
    assert judging.is_entered(Rep(note="spikes"))
    timed = {"distance_m": None, "planned_distance_m": None, "duration_s": 360,
             "target_lo_s": None, "target_hi_s": None}
    assert not judging.is_done(Rep(**timed))
    assert judging.is_done(Rep(**timed, lactate=2.4))
    assert judging.is_done(Rep(**{**timed, "distance_m": 1850.0}))


# --- adherence ----------------------------------------------------------------------------------

def test_adherence_counts_every_kind_of_rep():
    rows = reps([64.0, 66.0, 62.0, None]) + [Rep(position=5, skipped=True)]
    rows.append(Rep(position=6, target_lo_s=None, target_hi_s=None, extra=True, actual_s=60.0))
    a = summary.adherence(rows, 1.5)
    assert (a.on, a.slow, a.fast, a.open, a.skipped, a.untimed, a.total) == (1, 1, 1, 1, 1, 1, 6)
    assert a.judged == 3
    bar = a.bar()
    assert [name for name, _, _ in bar] == ["on", "fast", "slow", "untimed", "skipped", "open"]
    assert sum(width for _, _, width in bar) == pytest.approx(100, abs=0.1)


def test_an_empty_log_has_no_bar():
    assert summary.adherence([], 1.5).bar() == []


# --- sets ---------------------------------------------------------------------------------------

def test_a_new_set_starts_when_the_rep_number_starts_again():
    four_hundreds = reps([64.0] * 12)
    two_hundreds = [Rep(position=12 + i, rep_number=i, distance_m=200, planned_distance_m=200,
                        target_lo_s=30.0, target_hi_s=30.0, target_text="mile", actual_s=30.0)
                    for i in range(1, 11)]
    groups = summary.group_reps(four_hundreds + two_hundreds)
    assert [len(g) for g in groups] == [12, 10]
    assert summary.group_titles(groups) == ["12 × 400 m · 64", "10 × 200 m · mile"]


def test_sets_of_the_same_reps_are_numbered():
    rows = [Rep(position=i, set_number=(i - 1) // 4 + 1, rep_number=(i - 1) % 4 + 1,
                target_text="") for i in range(1, 13)]
    groups = summary.group_reps(rows)
    assert [len(g) for g in groups] == [4, 4, 4]
    assert summary.group_titles(groups) == ["Set 1 · 4 × 400 m", "Set 2 · 4 × 400 m",
                                            "Set 3 · 4 × 400 m"]


def test_a_ladder_is_one_group():
    rows = [Rep(position=i, rep_number=i, distance_m=d, planned_distance_m=d, target_text="I")
            for i, d in enumerate([400, 800, 1200, 800, 400], start=1)]
    groups = summary.group_reps(rows)
    assert len(groups) == 1
    assert summary.group_title(groups[0]) == "400–800–1200–800–400 m · I"


def test_mixed_reps_in_one_set_read_as_runs():
    rows = [Rep(position=i, rep_number=i, distance_m=d, planned_distance_m=d, target_text="")
            for i, d in enumerate([400, 400, 200, 200, 200], start=1)]
    assert summary.group_title(rows) == "2 × 400 m + 3 × 200 m"


def test_without_numbers_reps_are_grouped_by_distance_and_target():
    rows = [Rep(position=i, set_number=None, rep_number=None, distance_m=d, planned_distance_m=d)
            for i, d in enumerate([400, 400, 200], start=1)]
    assert [len(g) for g in summary.group_reps(rows)] == [2, 1]


def test_added_reps_form_their_own_group():
    rows = reps([64.0, 64.0]) + [Rep(position=3, extra=True, planned_distance_m=None,
                                     set_number=None, rep_number=None, target_lo_s=None,
                                     target_hi_s=None, actual_s=31.0, distance_m=200)]
    groups = summary.group_reps(rows)
    assert [len(g) for g in groups] == [2, 1]
    assert summary.group_title(groups[1]) == "Added rep"


@pytest.mark.parametrize("distance,duration,label", [
    (400, None, "400 m"), (1000, None, "1 km"), (1609.344, None, "1 mi"), (None, 360, "6 min"),
    (None, 45, "45 s"), (None, None, "rep"), (1200, None, "1200 m"),
    (3218.688, None, "2 mi"), (None, 2700, "45 min"), (None, 90, "1:30"),
])
def test_amount_labels(distance, duration, label):
    assert summary.amount_label(distance, duration) == label


# --- the summary --------------------------------------------------------------------------------

def test_summary_per_set_mean_and_worst_deviation_fastest_and_slowest():
    rows = reps([64.5, 63.0, 65.6, None])
    result = summary.summarize(rows, tolerance_pct=1.5, planned_work_distance_m=1600,
                               recoveries=[(200, None)] * 3)
    group = result.groups[0]
    assert group.mean_deviation == pytest.approx((0.5 - 1.0 + 1.6) / 3)
    assert group.worst_deviation == pytest.approx(1.6)
    assert group.worst_deviation_label == "+1.6 s"
    assert (group.fastest.position, group.fastest.actual_s) == (2, 63.0)
    assert (group.slowest.position, group.slowest.actual_s) == (3, 65.6)
    assert group.mean_time_s == pytest.approx((64.5 + 63.0 + 65.6) / 3)
    assert (result.adherence.on, result.adherence.fast, result.adherence.slow) == (1, 1, 1)
    assert result.work_distance_m == 1200  # the open rep was not run
    assert result.work_time_s == pytest.approx(193.1)
    assert result.recovery_distance_m == 600 and result.recovery_count == 3


def test_summary_counts_timed_recoveries_in_time():
    result = summary.summarize(reps([64.0]), tolerance_pct=1.5,
                               recoveries=[(None, 60.0), (None, 60.0), (None, 180.0)])
    assert result.recovery_time_s == 300 and result.recovery_distance_m == 0


def test_lactate_readings_against_their_bands():
    rows = [Rep(position=i, rep_number=i, distance_m=1000, planned_distance_m=1000,
                target_lo_s=None, target_hi_s=None, lactate=v, lactate_lo=3.0, lactate_hi=3.5,
                actual_s=190.0) for i, v in enumerate([2.8, 3.2, 3.9, None], start=1)]
    result = summary.summarize(rows, tolerance_pct=1.5)
    assert [(r.position, r.status) for r in result.readings] == [
        (1, "below"), (2, "in"), (3, "above")]
    assert result.lactate_counts == {"below": 1, "in": 1, "above": 1}
    assert result.readings[0].band_label == "3.0–3.5"
    assert result.readings[1].status_label == "In band"


# --- charts -------------------------------------------------------------------------------------

def test_the_time_chart_draws_each_rep_against_its_band_with_faster_higher():
    rows = reps([63.0, 64.0, 66.0])
    judged = [judging.judge(r, 1.5) for r in rows]
    chart = charts.time_chart(judged, 1.5)
    assert chart.kind == "time" and len(chart.marks) == 3
    fast, on, slow = chart.marks
    assert fast.y < on.y < slow.y  # fewer seconds is higher on the page
    assert (fast.css, on.css, slow.css) == ("fast", "on", "slow")
    for mark in chart.marks:
        assert chart.top <= mark.y <= chart.bottom
        assert mark.tolerance.y <= mark.band.y and mark.band.h > 0
        assert mark.band_x == pytest.approx(mark.x - chart.band_w / 2)
    assert chart.view_box == "0 0 360 190"
    assert all(chart.top <= tick.y <= chart.bottom for tick in chart.ticks)


def test_a_ladder_is_charted_per_400_m():
    rows = [Rep(position=i, rep_number=i, distance_m=d, planned_distance_m=d,
                target_lo_s=d * 0.16, target_hi_s=d * 0.16, actual_s=d * 0.16)
            for i, d in enumerate([400, 800, 1200], start=1)]
    chart = charts.time_chart([judging.judge(r, 1.5) for r in rows], 1.5)
    assert chart.unit == "s per 400 m"
    assert len({m.y for m in chart.marks}) == 1  # the same pace: the same height


def test_long_sessions_label_every_other_rep():
    rows = reps([64.0] * 22)
    chart = charts.time_chart([judging.judge(r, 1.5) for r in rows], 1.5)
    labels = [m.label for m in chart.marks]
    assert labels[0] == "1" and labels[1] == "" and labels[-1] == "22"


def test_a_lactate_session_gets_a_lactate_chart():
    rows = [Rep(position=i, rep_number=i, distance_m=None, planned_distance_m=None,
                duration_s=360, target_lo_s=None, target_hi_s=None, lactate=v, lactate_lo=2.5,
                lactate_hi=2.5) for i, v in enumerate([2.1, 2.5, 3.0], start=1)]
    judged = [judging.judge(r, 1.5) for r in rows]
    assert charts.time_chart(judged, 1.5) is None
    chart = charts.lactate_chart(judged)
    assert chart.kind == "lactate"
    low, on, high = chart.marks
    assert low.y > on.y > high.y  # more lactate is higher
    assert (low.css, on.css, high.css) == ("fast", "on", "slow")


def test_no_chart_without_targets_or_readings():
    rows = [Rep(target_lo_s=None, target_hi_s=None, actual_s=60.0)]
    judged = [judging.judge(r, 1.5) for r in rows]
    assert charts.time_chart(judged, 1.5) is None
    assert charts.lactate_chart(judged) is None


def test_lactate_steered_reps_count_by_their_reading_at_a_glance():
    rows = [Rep(position=i, distance_m=None, planned_distance_m=None, duration_s=360,
                target_lo_s=None, target_hi_s=None, lactate=v, lactate_lo=2.5, lactate_hi=2.5)
            for i, v in enumerate([2.1, 2.4, 2.9, None], start=1)]
    a = summary.adherence(rows, 1.5)
    assert (a.in_band, a.off_band, a.open, a.judged, a.lactate_judged) == (1, 2, 1, 0, 3)
    assert [name for name, _, _ in a.bar()] == ["in_band", "off_band", "open"]
