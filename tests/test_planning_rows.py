"""Coach planning read models: a workout grouped into rows, key targets, labels, estimates."""

import pytest

from coach import notation, pace
from sessions import block_calendar, step_rows, volumes
from sessions.preview import Preview, estimated_duration
from sessions.step_rows import StepItem, TargetSpan


def rows_of(text, profiles=()):
    workout = notation.parse(text)
    resolved = [notation.resolve(workout, p) for p in profiles]
    return step_rows.group_steps(step_rows.items_from_workout(workout, resolved))


def describe(rows):
    return [(r.kind, r.reps_label, r.title, r.recovery_label, r.show_set) for r in rows]


def test_equal_reps_and_their_recoveries_become_one_row():
    assert describe(rows_of("2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD")) \
        == [
            ("warmup", "", "2 mi warm-up", "", False),
            ("work", "1–12", "12 × 400 m", "200 m jog", False),
            ("work", "13–22", "10 × 200 m", "200 m jog", False),
            ("cooldown", "", "2 mi cool-down", "", False),
        ]


def test_sets_are_named_and_the_rest_between_them_is_its_own_row():
    assert describe(rows_of("3x(4x400) 60s/3min")) == [
        ("work", "1–4", "4 × 400 m", "1 min", True),
        ("recovery", "", "3 min rest between sets", "", False),
        ("work", "5–8", "4 × 400 m", "1 min", True),
        ("recovery", "", "3 min rest between sets", "", False),
        ("work", "9–12", "4 × 400 m", "1 min", True),
    ]


def test_a_rest_part_splits_groups():
    rows = rows_of("6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog)")
    assert describe(rows) == [
        ("work", "1–6", "6 × 1 km", "1 min", False),
        ("rest", "", "5 min jog", "", False),
        ("work", "7–10", "4 × 200 m", "200 m jog", False),
    ]


def test_a_ladder_gives_a_row_per_rung():
    rows = rows_of("400-800-1200-800-400 @ I w/ equal time jog")
    assert [(r.reps_label, r.amount, r.recovery_label) for r in rows] == [
        ("1", "400 m", "equal time jog"), ("2", "800 m", "equal time jog"),
        ("3", "1200 m", "equal time jog"), ("4", "800 m", "equal time jog"),
        ("5", "400 m", ""),
    ]


def test_reps_without_recovery_group_and_targets_differing_by_athlete_show_per_athlete():
    fast = pace.PaceProfile(vdot=80)
    slow = pace.PaceProfile(vdot=60)
    rows = rows_of("10x100 @ R", [fast, slow])
    assert len(rows) == 1 and rows[0].count == 10
    first, second = rows[0].cells
    assert float(first.text) < float(second.text)


def test_unknown_paces_show_a_dash():
    rows = rows_of("6x1k @ T", [pace.PaceProfile()])
    assert [c.text for c in rows[0].cells] == ["–"]


def test_target_spans_print_like_a_coach_calls_them():
    assert TargetSpan(66.04, 66.04).text(400) == "66.0"
    assert TargetSpan(64.3, 67.0, 61.4, 64.0).text(400) == "64.3–67.0"
    assert TargetSpan(64.3, 67.0, 61.4, 64.0).sea_text(400) == "61.4–64.0"
    assert TargetSpan(64.3, 67.0, 64.3, 67.0).sea_text(400) == ""
    assert TargetSpan(180.2, 185.0, per_km=True).text(None) == "3:00–3:05/km"
    assert TargetSpan(170.0, None).text(1000) == "2:50"


@pytest.mark.parametrize("distance,duration,long,short", [
    (400, None, "400 m", "400"), (1000, None, "1 km", "1k"), (3218.688, None, "2 mi", "2mi"),
    (1609.344, None, "1 mi", "1mi"), (None, 360, "6 min", "6min"),
    (None, 45, "45 s", "45s"), (None, 90, "1:30", "1:30"), (None, None, "", ""),
])
def test_amounts_read_as_written(distance, duration, long, short):
    assert step_rows.amount_label(distance, duration) == long
    assert step_rows.short_amount(distance, duration) == short


def test_minutes_read_as_minutes_or_hours():
    assert [volumes.minutes_label(s) for s in (0, 50 * 60, 90 * 60, 120 * 60, 3725)] == [
        "", "50 min", "1 h 30 min", "2 h", "1 h 02 min"]


def test_key_targets_group_reps_that_only_recoveries_separate():
    class Step:
        def __init__(self, session_id, kind, distance=None, duration=None, text="", lo=None,
                     hi=None):
            self.session_id, self.kind, self.distance_m, self.duration_s = (
                session_id, kind, distance, duration)
            self.target_text, self.lactate_lo, self.lactate_hi = text, lo, hi

    steps = [Step(1, "warmup", 3218.688)]
    for _ in range(3):
        steps += [Step(1, "work", 1000, text="T"), Step(1, "recovery", duration=60)]
    steps += [Step(1, "rest", duration=300), Step(1, "work", 1000, text="T"),
              Step(2, "work", duration=360, lo=2.0, hi=3.0), Step(2, "recovery", duration=60),
              Step(2, "work", duration=360, lo=2.0, hi=3.0)]
    assert block_calendar.key_targets(steps) == {1: ["3x1k @ T", "1k @ T"],
                                                 2: ["2x6min @ 2–3 mmol"]}


def test_the_estimate_uses_each_athletes_targets():
    workout = notation.parse("2k WU; 10x400 @ 64 (200 walk); 2k CD")
    estimate = estimated_duration(workout, notation.resolve(workout), None)
    assert estimate == pytest.approx(4000 * 0.33 + 10 * 64 + 9 * 200 * 0.66)
    fast, slow = pace.PaceProfile(vdot=80), pace.PaceProfile(vdot=50)
    threshold = notation.parse("3k WU; 5x1k @ T (90s); 3k CD")
    quick = estimated_duration(threshold, notation.resolve(threshold, fast), fast)
    steady = estimated_duration(threshold, notation.resolve(threshold, slow), slow)
    assert quick < steady


def test_the_preview_estimate_reads_as_a_range():
    preview = Preview(workout=notation.parse("6x1k"), athletes=[], rows=[],
                                durations=[61 * 60, 64 * 60])
    assert preview.duration_label == "≈ 1 h 01 min – 1 h 04 min"
    preview.durations = [40 * 60, 44 * 60]
    assert preview.duration_label == "≈ 40–44 min"
    preview.durations = [40 * 60]
    assert preview.duration_label == "≈ 40 min"


def test_a_group_of_planned_items_keeps_its_recovery_count():
    items = [StepItem("work", 400, None, rep_number=1), StepItem("recovery", 200, None, mode="jog"),
             StepItem("work", 400, None, rep_number=2), StepItem("recovery", 100, None),
             StepItem("work", 400, None, rep_number=3)]
    rows = step_rows.group_steps(items)
    assert [(r.kind, r.count) for r in rows] == [("work", 2), ("recovery", 1), ("work", 1)]
    assert rows[0].recoveries == 1


def test_recoveries_are_counted_by_kind():
    workout = notation.parse("3x(4x400) 60s/3min; 5' jog; 4x200 (45s walk)")
    items = step_rows.items_from_workout(workout, [])
    assert step_rows.recovery_counts(items) == [(9, "1 min"), (2, "3 min between sets"),
                                               (3, "45 s walk")]


@pytest.mark.parametrize("text", ["50min easy", "2mi WU; 2mi CD", "2mi WU", "5' jog"])
def test_sessions_without_work_reps_group_into_their_parts(text):
    rows = rows_of(text)
    assert rows and all(r.kind != "work" for r in rows)
    assert not any(r.show_set for r in rows)
