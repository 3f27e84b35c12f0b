"""Workout notation (coach/notation/, the grammar in docs/notation.md), no Django.

Run alone with ``python3 -m pytest --noconftest -p no:cacheprovider -c /dev/null
tests/test_notation.py``.
"""

from __future__ import annotations

import pickle
import string
import time
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from coach import notation
from coach.formats import MILE, parse_time
from coach.notation import (
    MAX_LENGTH,
    MAX_REPS,
    MODES,
    RACE_NAMES,
    Amount,
    EasyRun,
    Ladder,
    NotationError,
    Recovery,
    RepGroup,
    ResolvedStep,
    Rest,
    SetGroup,
    Step,
    Target,
    Workout,
    parse,
    resolve,
    resolve_step,
)
from coach.notation.words import DOWN_MODES, STYLES
from coach.pace import ZONES, PaceProfile


def recoveries(workout: Workout) -> list[Step]:
    """Recovery steps and rest parts: what docs/notation.md calls recovery."""
    return [s for s in workout.steps if s.kind in ("recovery", "rest")]


def summary(workout: Workout) -> Counter[str]:
    return Counter(s.name for s in recoveries(workout))


# --- docs/notation.md, the examples table -----------------------------------------------------

DOCUMENTED_EXAMPLES = [
    # text, reps, work m, work s, recovery steps by name
    ("12x400 @ 64 (200 jog)", 12, 4800, 0, {"200 m jog": 11}),
    ("3x(4x400) 60s/3min", 12, 4800, 0, {"60 s": 9, "3 min": 2}),
    ("6x1k @ T 60s", 6, 6000, 0, {"60 s": 5}),
    ("12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)", 22, 6800, 0, {"200 m jog": 21}),
    ("5x6min @ 2.5 mmol (1min)", 5, 0, 1800, {"60 s": 4}),
    ("4 x 3 x 400 (56\") [3' & 5']", 12, 4800, 0, {"3 min": 8, "5 min": 3}),
    ("400-800-1200-800-400 @ I w/ equal time jog", 5, 3600, 0, {"equal time jog": 4}),
    (
        "2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD",
        10,
        6800,
        0,
        {"60 s": 5, "5 min jog": 1, "200 m jog": 3},
    ),
    ("12x400 & 10x200 with 200m jog recovery", 22, 6800, 0, {"200 m jog": 21}),
]


@pytest.mark.parametrize(("text", "reps", "work_m", "work_s", "rests"), DOCUMENTED_EXAMPLES)
def test_it_reproduces_the_domain_examples(text, reps, work_m, work_s, rests):
    workout = parse(text)
    assert workout.rep_count == reps == len(workout.work_steps)
    assert workout.work_distance_m == pytest.approx(work_m)
    assert workout.work_duration_s == pytest.approx(work_s)
    assert summary(workout) == Counter(rests)
    assert parse(notation.format(workout)) == workout


def test_the_domain_recovery_amounts_add_up():
    assert parse("12x400 & 10x200 with 200m jog recovery").recovery_distance_m == 4200
    assert parse("12x400 @ 64 (200 jog)").recovery_distance_m == 2200
    assert parse("3x(4x400) 60s/3min").recovery_duration_s == 9 * 60 + 2 * 180
    assert parse("4 x 3 x 400 (56\") [3' & 5']").recovery_duration_s == 8 * 180 + 3 * 300
    assert parse("5x6min @ 2.5 mmol (1min)").recovery_duration_s == 240


def test_the_domain_error_example_names_column_6():
    with pytest.raises(NotationError) as caught:
        parse("12x40O")
    assert str(caught.value) == "column 6: expected a distance or duration after 'x'"
    assert caught.value.column == 6
    assert caught.value.message == "expected a distance or duration after 'x'"
    assert caught.value.text == "12x40O"  # nothing the coach typed is thrown away


def test_the_with_recovery_on_joined_parts_asks_the_coach_to_confirm():
    workout = parse("12x400 & 10x200 with 200m jog recovery")
    assert len(workout.warnings) == 1
    assert "applied to 12x400 too" in workout.warnings[0]
    first, second = workout.parts
    assert first.recovery == second.recovery == Recovery(distance_m=200, mode="jog")


def test_the_equal_time_ladder_recoveries_follow_the_rep_before():
    workout = parse("400-800-1200-800-400 @ I w/ equal time jog")
    steps = workout.recovery_steps
    assert [s.equal for s in steps] == [True] * 4
    assert [s.duration_s for s in steps] == [None] * 4  # I pace is athlete-specific
    assert [s.rep_number for s in steps] == [1, 2, 3, 4]
    timed = parse("1min-2min-3min-2min-1min w/ equal time jog").recovery_steps
    assert [s.duration_s for s in timed] == [60, 120, 180, 120]
    paced = parse("400-800 @ 64-66 (equal time)").recovery_steps
    assert [s.duration_s for s in paced] == [65]
    per_km = parse("1k-2k @ 3:00/km (equal)").recovery_steps
    assert [s.duration_s for s in per_km] == [180]


# --- expansion --------------------------------------------------------------------------------


def test_the_expanded_steps_are_in_order_with_kinds():
    workout = parse("2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD")
    kinds = [s.kind for s in workout.steps]
    assert kinds == (
        ["warmup"]
        + ["work", "recovery"] * 5
        + ["work", "rest"]
        + ["work", "recovery"] * 3
        + ["work", "cooldown"]
    )
    assert workout.steps[0].distance_m == pytest.approx(2 * MILE)
    assert workout.steps[0].name == "2 mi warm-up"
    assert workout.steps[-1].name == "2 mi cool-down"
    assert workout.total_distance_m == pytest.approx(4 * MILE + 6800 + 600)
    assert [s.rep_number for s in workout.work_steps] == list(range(1, 11))
    assert [s.part_index for s in workout.work_steps] == [1] * 6 + [3] * 4
    assert workout.work_steps[0].targets == (Target("zone", name="T"),)
    assert workout.work_steps[0].name == "1 km"


def test_recovery_follows_the_last_rep_only_when_another_group_follows():
    assert len(parse("6x400 (60s); 4x200").recovery_steps) == 6
    assert len(parse("6x400 (60s); 4x200; 2k CD").recovery_steps) == 6
    assert len(parse("6x400 (60s); 2k CD").recovery_steps) == 5
    assert len(parse("6x400 (60s); 400 jog; 4x200").recovery_steps) == 5
    assert len(parse("6x400 (60s); 1k easy; 4x200").recovery_steps) == 5
    assert len(parse("AM: 6x400 (60s); PM: 4x200").recovery_steps) == 5  # two sessions


def test_set_indices_and_set_rests():
    workout = parse("4 x 3 x 400 (56\") [3' & 5']")
    reps = workout.work_steps
    assert [(s.set_index, s.rep_index) for s in reps[:4]] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    assert [s.set_rest for s in workout.recovery_steps] == [False, False, True] * 3 + [False] * 2
    assert reps[0].targets == (Target("time", 56),)
    group = parse("2x(3x400; 1k) (3min)")
    assert [(s.set_index, s.rep_index) for s in group.work_steps] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (2, 1),
        (2, 2),
        (2, 3),
        (2, 4),
    ]
    assert [s.name for s in group.recovery_steps] == ["3 min"]
    assert group.recovery_steps[0].set_rest


def test_a_set_rest_also_separates_the_next_group():
    workout = parse("6x400 60s/3min; 6x200 (200 jog)")
    assert [s.name for s in workout.recovery_steps][4:7] == ["60 s", "3 min", "200 m jog"]


def test_easy_running_takes_its_kind_from_where_it_stands():
    workout = parse("15min easy; 6x400 (60s); 1k easy; 4x200; 10min easy")
    kinds = [s.kind for s in workout.steps if s.kind != "work" and s.kind != "recovery"]
    assert kinds == ["warmup", "rest", "cooldown"]
    assert [s.kind for s in parse("50min easy").steps] == ["warmup"]
    inside = parse("2x(1k; 400 easy)")
    assert [s.kind for s in inside.steps] == ["work", "rest", "work", "rest"]


def test_easy_running_stays_easy_running_wherever_it_stands():
    workout = parse("15min easy; 6x400 (60s); 1k easy; 4x200; 2mi CD")
    assert [(s.kind, s.mode) for s in workout.steps if s.kind not in ("work", "recovery")] == [
        ("warmup", "easy"), ("rest", "easy"), ("cooldown", None)]
    (only,) = parse("45min easy").steps
    assert (only.kind, only.mode, only.duration_s) == ("warmup", "easy", 2700)
    assert [s.mode for s in parse("2mi WU; 2mi CD").steps] == [None, None]
    assert parse("45min easy").estimated_duration_s() == 2700


def test_nested_set_groups_expand():
    workout = parse("2x(2x(3x200 (100 jog)) (2min)) (5min)")
    assert workout.rep_count == 12
    names = [s.name for s in workout.recovery_steps]
    assert names.count("5 min") == 1
    assert names.count("2 min") == 2  # between inner sets; the outer set rest wins after a set
    assert names.count("100 m jog") == 8


def test_totals_and_estimates():
    workout = parse("2k WU; 5x1k @ 3:00/km (400 jog); 5' jog; 4x6min @ T (90s walk); 2k CD")
    assert workout.work_distance_m == 5000
    assert workout.work_duration_s == 24 * 60
    assert workout.recovery_distance_m == 1600
    assert workout.recovery_duration_s == 300 + 3 * 90
    assert workout.total_distance_m == 4000 + 5000 + 1600
    estimate = workout.estimated_duration_s(easy_s_per_km=300)
    assert estimate == pytest.approx(4 * 300 + 5 * 180 + 1.6 * 300 + 300 + 24 * 60 + 270)
    walks = parse("4x400 (200 walk); 4x1k (equal time)").estimated_duration_s(300, 200)
    assert walks == pytest.approx(4 * 80 + 4 * 120 + 4 * 200 + 3 * 200)


# --- grammar features -------------------------------------------------------------------------


def only_group(text: str) -> RepGroup:
    (part,) = parse(text).parts
    assert isinstance(part, RepGroup)
    return part


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("400", 400),
        ("400m", 400),
        ("400 m", 400),
        ("1k", 1000),
        ("1.5km", 1500),
        ("2mi", 2 * MILE),
        ("1mile", MILE),
        ("2 miles", 2 * MILE),
        ("5K", 5000),
    ],
)
def test_distances(text, metres):
    assert only_group(text).work == Amount(distance_m=metres)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("6min", 360),
        ("6 mins", 360),
        ("3'", 180),
        ("3’", 180),
        ("60s", 60),
        ("45sec", 45),
        ('30"', 30),
        ("30''", 30),
        ("1h", 3600),
        ("1.5hr", 5400),
        ("4:00", 240),
        ("1'30\"", 90),
        ("1'30''", 90),
        ("1:02:03", 3723),
        ("2 minutes", 120),
    ],
)
def test_durations_including_clocks(text, seconds):
    assert only_group(text).work == Amount(duration_s=seconds)


@pytest.mark.parametrize("x", ["x", "X", "×", "*"])
def test_every_multiplication_sign(x):
    assert only_group(f"12{x}400").reps == 12
    assert only_group(f"4 {x} 3 {x} 400").sets == 4


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("@ 64", Target("time", 64)),
        ("@ 64s", Target("time", 64)),
        ("@ 64.2", Target("time", 64.2)),
        ("@ 1:04.2", Target("time", 64.2)),
        ("@ 65-64", Target("time", 64, 65)),
        ('@ 62"', Target("time", 62)),
        ("at 64", Target("time", 64)),
        ("(64)", Target("time", 64)),
        ("(64-66)", Target("time", 64, 66)),
        ("@ 3:05/km", Target("pace", 185, unit="km")),
        ("@ 3:00-3:05/km", Target("pace", 180, 185, unit="km")),
        ("@ 5:00/mi", Target("pace", 300, unit="mi")),
        ("@ 5:00/mile pace", Target("pace", 300, unit="mi")),
        ("@ 72/400", Target("pace", 72, unit="400")),
        ("@ 72/400m", Target("pace", 72, unit="400")),
        ("@ 3:05/k", Target("pace", 185, unit="km")),
        ("@ T+", Target("zone", name="T+")),
        ("@ T pace", Target("zone", name="T")),
        ("@ M", Target("zone", name="M")),
        ("@ mile", Target("race", name="mile")),
        ("@ Mile pace", Target("race", name="mile")),
        ("@ 1500", Target("race", name="1500")),
        ("@ 800 pace", Target("race", name="800")),
        ("@ 3k", Target("race", name="3k")),
        ("@ 10km pace", Target("race", name="10k")),
        ("@ hm", Target("race", name="HM")),
        ("@ marathon pace", Target("race", name="marathon")),
        ("@ race pace", Target("race", name="race")),
        ("@ goal", Target("race", name="goal")),
        ("@ 2.5 mmol", Target("lactate", 2.5)),
        ("@ 3.0-3.5 mmol/L", Target("lactate", 3.0, 3.5)),
        ("@ 150 bpm", Target("hr", 150)),
        ("@ 150-160bpm", Target("hr", 150, 160)),
        ("@ RPE 7", Target("rpe", 7)),
        ("@ rpe 6-7", Target("rpe", 6, 7)),
    ],
)
def test_targets(text, target):
    assert only_group(f"12x400 {text}").targets == (target,)


def test_several_targets_all_apply():
    group = only_group("6x1k @ T, 3.0-3.5 mmol, 170 bpm, RPE 7 (60s)")
    assert [t.kind for t in group.targets] == ["zone", "lactate", "hr", "rpe"]
    assert group.recovery == Recovery(duration_s=60)
    step = parse("6x1k @ T, 3.0-3.5 mmol").work_steps[0]
    assert step.target_text == "T, 3.0-3.5 mmol"


def test_a_comma_after_a_target_separates_parts_when_a_part_follows():
    workout = parse("10x400 @ T, 4x200 @ R")
    assert len(workout.parts) == 2
    assert len(parse("6x1k @ T, 200 jog, 4x200").parts) == 3
    assert len(parse("6x1k @ T, 2mi CD").parts) == 2
    assert only_group("6x1k @ T, 5k pace").targets[1] == Target("race", name="5k")
    assert len(parse("3x(4x400 @ 64, 800 @ 2:10) (3min)").parts[0].parts) == 2


def test_race_pace_lists_give_one_pace_per_step():
    workout = parse("1600-1200-800-400 @ 10k/5k/3k/mile pace (400 jog)")
    names = [s.targets[0].name for s in workout.work_steps]
    assert names == ["10k", "5k", "3k", "mile"]
    workout = parse("2x3x400 @ T, 1500/800/mile pace (100 jog)")
    assert [s.target_text for s in workout.work_steps[:4]] == [
        "T, 1500 pace",
        "T, 800 pace",
        "T, mile pace",
        "T, 1500 pace",
    ]
    grouped = parse("2x(1600-1200-800-400) @ 10k/5k/3k/mile pace 60s/3min")
    assert [s.targets[0].name for s in grouped.work_steps[4:]] == ["10k", "5k", "3k", "mile"]


@pytest.mark.parametrize(
    ("text", "rep", "set_"),
    [
        ("6x400 (200 jog)", Recovery(distance_m=200, mode="jog"), None),
        ("6x400 (60s)", Recovery(duration_s=60), None),
        ("6x400 (90s walk)", Recovery(duration_s=90, mode="walk"), None),
        ("6x400 (2' standing)", Recovery(duration_s=120, mode="stand"), None),
        ("6x400 (200 float)", Recovery(distance_m=200, mode="float"), None),
        ("6x400 (1min rest)", Recovery(duration_s=60, mode="rest"), None),
        ("6x400 (200 rec)", Recovery(distance_m=200, mode="recovery"), None),
        ("6x400 [3']", Recovery(duration_s=180), None),
        ("6x400 [3' & 5']", Recovery(duration_s=180), Recovery(duration_s=300)),
        ("6x400 [3'/5']", Recovery(duration_s=180), Recovery(duration_s=300)),
        ("6x400 (60s/3min)", Recovery(duration_s=60), Recovery(duration_s=180)),
        ("6x400 60s/3min", Recovery(duration_s=60), Recovery(duration_s=180)),
        ("6x400 w/ 200 jog", Recovery(distance_m=200, mode="jog"), None),
        ("6x400 with 60s", Recovery(duration_s=60), None),
        ("6x400 r 200", Recovery(distance_m=200), None),
        ("6x400 r2:00", Recovery(duration_s=120), None),
        ("6x400 60s", Recovery(duration_s=60), None),
        ("6x400 1:30 jog", Recovery(duration_s=90, mode="jog"), None),
        ("6x400 equal", Recovery(equal=True), None),
        ("6x400 (equal time walk)", Recovery(equal=True, mode="walk"), None),
        ("6x400 (200m jog recovery)", Recovery(distance_m=200, mode="jog"), None),
    ],
)
def test_recoveries(text, rep, set_):
    group = only_group(text)
    assert (group.recovery, group.set_recovery) == (rep, set_)


def test_a_single_recovery_after_a_set_group_is_the_set_rest():
    (group,) = parse("3x(4x400) 3min").parts
    assert isinstance(group, SetGroup)
    assert group.set_recovery == Recovery(duration_s=180)
    assert group.parts[0].recovery is None
    assert parse("3x(4x400) @ 64 60s/3min") == parse("3x(4x400 @ 64 (60s)) (3min)")
    kept = parse("3x(4x400 (200 jog)) [60s & 3min]").parts[0]
    assert kept.parts[0].recovery == Recovery(distance_m=200, mode="jog")  # its own wins


@pytest.mark.parametrize(
    "text",
    [
        "6x400; 4x200",
        "6x400 & 4x200",
        "6x400 + 4x200",
        "6x400, 4x200",
        "6x400 then 4x200",
        "6x400 THEN 4x200",
        "6x400\n4x200",
        "6x400;\n4x200",
        "6x400;",
    ],
)
def test_separators(text):
    assert [type(p) for p in parse(text).parts][:1] == [RepGroup]
    assert parse(text).rep_count in (6, 10)


def test_rest_warm_up_and_cool_down_parts():
    workout = parse(
        "2mi WU; 3k warm-up; 1k warm up; 2k warmup; 5' jog; 400 walk; "
        "2k CD; 1k cool-down; 1k cool down; 1k warm-down; 15min easy"
    )
    parts = workout.parts
    assert [p.kind for p in parts if isinstance(p, EasyRun)] == (
        ["warmup"] * 4 + ["cooldown"] * 4 + ["easy"]
    )
    assert [p.mode for p in parts if isinstance(p, Rest)] == ["jog", "walk"]


def test_labels_apply_until_the_next_label():
    workout = parse("AM: 2k WU, 5x6min @ 2.5 mmol (60s); PM: 10x1000 @ 3.0-3.5 mmol (60s)")
    assert [p.label for p in workout.parts] == ["AM", "AM", "PM"]
    assert {s.label for s in workout.work_steps} == {"AM", "PM"}
    assert notation.format(workout).startswith("AM: 2k WU; 5x6min")
    assert "; PM: 10x1k" in notation.format(workout)


def test_a_note_is_kept():
    workout = parse("6x400 @ 64 (200 jog)  #  hills if windy # really")
    assert workout.note == "hills if windy # really"
    assert notation.format(workout) == "6x400 @ 64 (200 jog) # hills if windy # really"


def test_typographic_characters_are_read_as_ascii():
    assert parse("4 × 3 × 400 (56″) [3′ & 5’]") == parse("4 x 3 x 400 (56\") [3' & 5']")
    assert parse("400–800–400") == parse("400-800-400")


def test_t_plus_is_one_word_only_when_written_together():
    assert only_group("6x400 @ T+ (60s)").targets == (Target("zone", name="T+"),)
    workout = parse("6x1k @ T+4x200 @ R")
    assert len(workout.parts) == 2
    assert workout.parts[0].targets == (Target("zone", name="T"),)


# --- canonical text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("12x400 @ 64 (200 jog)", "12x400 @ 64 (200 jog)"),
        ("3x(4x400) 60s/3min", "3x(4x400 (60s)) (3min)"),
        ("6x1k @ T 60s", "6x1k @ T (60s)"),
        ("4 x 3 x 400 (56\") [3' & 5']", "4x3x400 @ 56 [3min & 5min]"),
        ("400-800-1200 @ I w/ equal time jog", "400-800-1200 @ I (equal time jog)"),
        ("10x200 @ mile (200 jog)", "10x200 @ mile pace (200 jog)"),
        ("6x800 @ 2:20-2:25 w/ 400 jog/800 walk", "6x800 @ 2:20-2:25 [400 jog & 800 walk]"),
        ("4x4:00 @ 3:05/km 2:00", "4x4min @ 3:05/km (2min)"),
        ("5x1mile @ 4:40 r 90s", "5x1mi @ 4:40 (90s)"),
        ("6x400 r 200", "6x400 (200m)"),
        ("1 x 10000", "10k"),
        ("2x1x400", "2x1x400"),
        ("10x400 @ 150 bpm, RPE 7, 3 mmol", "10x400 @ 150 bpm, RPE 7, 3.0 mmol"),
        ("3x 1h", "3x1h"),
        ("6x 90.5s", "6x90.5s"),
        ("400 @ 1:02:03.5", "400 @ 1:02:03.5"),
        ("6x 1500 @ T", "6x1500 @ T"),
    ],
)
def test_format_writes_canonical_text(text, canonical):
    workout = parse(text)
    assert notation.format(workout) == canonical == str(workout) == workout.text
    assert parse(canonical) == workout


def test_names_for_people():
    assert Amount(distance_m=MILE).name == "1 mile"
    assert Amount(distance_m=2 * MILE).name == "2 mi"
    assert Amount(distance_m=1000).name == "1 km"
    assert Amount(duration_s=150).name == "2 min 30 s"
    assert Amount(duration_s=7200).name == "2 h"
    assert Amount(duration_s=90).name == "90 s"
    assert Recovery(equal=True).name == "equal time"


# --- everyday phrasings (issue 10; docs/notation.md, "Everyday phrasings") --------------------

PHRASINGS = [
    # text, reps, work m, work s, recovery steps by name, canonical text
    ("8 x 150m strides", 8, 1200, 0, {}, "8x150 strides"),
    ("6 x 20s strides", 6, 0, 120, {}, "6x20s strides"),
    ("8x60s hill (jog down)", 8, 0, 480, {"jog down": 7}, "8x60s hills (jog down)"),
    ("6 x 200m hills (walk down)", 6, 1200, 0, {"walk down": 5}, "6x200 hills (walk down)"),
    ("10 x 1min on / 1min off", 10, 0, 600, {"60 s": 9}, "10x60s (60s)"),
    ("8 x 2' on 1' off", 8, 0, 960, {"60 s": 7}, "8x2min (60s)"),
    ("20x 30/30", 20, 0, 600, {"30 s": 19}, "20x30s (30s)"),
    ("10x45s/15s", 10, 0, 450, {"15 s": 9}, "10x45s (15s)"),
    (
        "3 sets of 5 x 200 @ R (200 jog) 5min between sets",
        15, 3000, 0, {"200 m jog": 12, "5 min": 2}, "3x5x200 @ R [200 jog & 5min]",
    ),
    ("3 sets x 4 x 400", 12, 4800, 0, {}, "3x4x400"),
    (
        "1-2-3-2-1 min @ I (equal jog)",
        5, 0, 540, {"equal time jog": 4}, "60s-2min-3min-2min-60s @ I (equal time jog)",
    ),
    ("200-400-600-400-200m @ 5k", 5, 1800, 0, {}, "200-400-600-400-200 @ 5k pace"),
    (
        "1600, 1200, 800, 400 @ 5k (400 jog)",
        4, 4000, 0, {"400 m jog": 3}, "1600-1200-800-400 @ 5k pace (400 jog)",
    ),
    ("6 x 800 in 2:20 with 400 jog", 6, 4800, 0, {"400 m jog": 5}, "6x800 @ 2:20 (400 jog)"),
    (
        "4 x mile in 4:50-4:55 w/ 3 min rest",
        4, 4 * MILE, 0, {"3 min rest": 3}, "4x1mi @ 4:50-4:55 (3min rest)",
    ),
    ("4 mile tempo", 1, 4 * MILE, 0, {}, "4mi @ T"),
    ("20 min tempo", 1, 0, 1200, {}, "20min @ T"),
    ("tempo 5k", 1, 5000, 0, {}, "5k @ T"),
    ("6 x 400 @ 800m pace", 6, 2400, 0, {}, "6x400 @ 800 pace"),
    ("6 x 400 @ 1500m pace", 6, 2400, 0, {}, "6x400 @ 1500 pace"),
    ("6 x 400 @ 3k pace", 6, 2400, 0, {}, "6x400 @ 3k pace"),
    (
        "2 x (5 x 300 @ mile w/ 100 jog) w/ 600 jog between sets",
        10, 3000, 0, {"100 m jog": 8, "600 m jog": 1},
        "2x(5x300 @ mile pace (100 jog)) (600 jog)",
    ),
    (
        "WU 2mi; 5 x 1k @ I (2:30); CD 2mi",
        5, 5000, 0, {"2 min 30 s": 4}, "2mi WU; 5x1k @ I (150s); 2mi CD",
    ),
    ("warm up 15 min", 0, 0, 0, {}, "15min WU"),
    ("cool down 2 miles", 0, 0, 0, {}, "2mi CD"),
    ("ladder 400-800-1200-800-400 @ I", 5, 3600, 0, {}, "400-800-1200-800-400 @ I"),
    ("pyramid 200-400-600-400-200", 5, 1800, 0, {}, "200-400-600-400-200"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "reps", "work_m", "work_s", "rests", "canonical"), PHRASINGS)
def test_everyday_phrasings_count_as_a_coach_counts(text, reps, work_m, work_s, rests, canonical):
    workout = parse(text)
    assert workout.rep_count == reps == len(workout.work_steps)
    assert workout.work_distance_m == pytest.approx(work_m)
    assert workout.work_duration_s == pytest.approx(work_s)
    assert summary(workout) == Counter(rests)
    assert notation.format(workout) == canonical
    assert parse(canonical) == workout
    assert parse(canonical).steps == workout.steps
    assert workout.warnings == ()


PHRASING_RULES = [
    # the rule behind each phrasing, written other ways: text, the same workout written formally
    ("6 x 100 stride", "6x100 strides"),
    ("4 x 150 strides @ mile", "4x150 strides @ mile pace"),
    ("2x(6x100m strides) (3min)", "2x(6x100 strides) (3min)"),
    ("8 x 200m hills", "8x200 hills (jog down)"),
    ("6x200 hills w/ jog down", "6x200 hills (jog down)"),
    ("6x200 hills walk down", "6x200 hills (walk down)"),
    ("10x30s hills @ RPE 9 (float down)", "10x30s hills @ RPE 9 (float down)"),
    ("6x200 hills (90s)", "6x200 hills (90s)"),
    ("6x200 (down)", "6x200 (down)"),
    ("200 jog down", "200 (jog down)"),
    ("10 x 1min on, 1min off", "10x1min (1min)"),
    ("10 x 30 on 30 off", "10x30s (30s)"),
    ("5 x 3min on/2min off @ 10k", "5x3min @ 10k pace (2min)"),
    ("10x 400m on / 200m off", "10x400 (200m)"),
    ("3x10x30/30 (3min)", "3x10x30s [30s & 3min]"),
    ("20x 1:00/1:00", "20x60s (60s)"),
    ("10x 30/15s", "10x30s (15s)"),
    ("10x30s/15", "10x30s (15s)"),
    ("3 sets of (4x400 (60s)) 3min between sets", "3x(4x400 (60s)) (3min)"),
    ("4 sets of 3 x 400 (60s) 3min between each set", "4x3x400 [60s & 3min]"),
    ("3 sets of 5x200 5min between sets", "3x(5x200) (5min)"),
    ("3 sets of 5x200 @ R (200 jog) with 5min between sets", "3x5x200 @ R [200 jog & 5min]"),
    ("2 sets x 10 x 200 [200 jog & 5min]", "2x10x200 [200 jog & 5min]"),
    ("2 set 10x200", "2x10x200"),
    ("3 sets of 6x200 hills 5min between sets", "3x(6x200 hills) (5min)"),
    ("2x(5x300) 600 jog between sets", "2x(5x300) (600 jog)"),
    ("2x(5x300) 60s/3min between sets", "2x(5x300 (60s)) (3min)"),
    ("1-2-3 k", "1k-2k-3k"),
    ("90-60-30s", "90s-60s-30s"),
    ("1-2-1 mi @ T (2min)", "1mi-2mi-1mi @ T (2min)"),
    ("200-400-1k", "200m-400m-1k"),
    ("400-800-3min", "400m-800m-3min"),
    ("1:00-2-3 min", "1min-2min-3min"),
    ("4:00, 3:00, 2:00 @ T (equal)", "4min-3min-2min @ T (equal time)"),
    ("1k, 800, 600 @ 5k", "1k-800-600 @ 5k pace"),
    ("1, 2, 3 min", "1min-2min-3min"),
    ("1600, 1200 @ 5k (400 jog), 4x200 @ R", "1600-1200 @ 5k pace (400 jog); 4x200 @ R"),
    ("10 x 400 in 64-66 (200 jog)", "10x400 @ 64-66 (200 jog)"),
    ("5 x 1k in 3:00/km", "5x1k @ 3:00/km"),
    ("2 x 10 min tempo (2 min)", "2x10min @ T (2min)"),
    ("tempo run 20min", "20min @ T"),
    ("20min tempo run", "20min @ T"),
    ("3 mile tempo @ 5:05/mi", "3mi @ T, 5:05/mi"),
    ("tempo 4x1mi @ T (60s)", "4x1mi @ T (60s)"),
    ("tempo 2k-1k", "2k-1k @ T"),
    ("3 x km @ 3k", "3x1k @ 3k pace"),
    ("6x1k @ 5000m", "6x1k @ 5k pace"),
    ("6x1k @ 10000m pace", "6x1k @ 10k pace"),
    ("6x1k @ 3000m", "6x1k @ 3k pace"),
    ("6x400 @ 1500 m pace", "6x400 @ 1500 pace"),
    ("4x400 @ 5000m/3000m/1500m/800m pace", "4x400 @ 5k/3k/1500/800 pace"),
    ("warm-up 2k; 6x400; cooldown 1mi", "2k WU; 6x400; 1mi CD"),
    ("warmup 10min; CD 15min", "10min WU; 15min CD"),
    ("easy 30min", "30min easy"),
    ("WU 2mi\n5 x 1k @ I (2:30)\nCD 2mi", "2mi WU; 5x1k @ I (150s); 2mi CD"),
    ("ladder 1-2-3-2-1 min", "1min-2min-3min-2min-1min"),
    ("pyramid 1600, 1200, 800", "1600-1200-800"),
    ("400, 4x200", "400; 4x200"),
    ("400, 2mi CD", "400; 2mi CD"),
    ("400, easy 10min", "400; 10min easy"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "formal"), PHRASING_RULES)
def test_the_rule_behind_each_phrasing(text, formal):
    assert parse(text) == parse(formal)
    assert parse(notation.format(parse(text))) == parse(text)


def test_strides_and_hills_keep_their_style_on_the_steps():
    strides = parse("8 x 150m strides")
    assert only_group("8 x 150m strides").style == "strides"
    assert {s.mode for s in strides.work_steps} == {"strides"}
    assert strides.recovery_steps == ()  # no recovery needed in the text
    hills = parse("6 x 200m hills (walk down)")
    assert {s.mode for s in hills.work_steps} == {"hills"}
    down = hills.recovery_steps[0]
    assert (down.distance_m, down.duration_s, down.mode) == (200, None, "walk down")
    assert down.down
    assert hills.recovery_distance_m == 1000  # five walks back down 200 m
    assert hills.estimated_duration_s(easy_s_per_km=300, work_s_per_km=250) == pytest.approx(
        6 * 50 + 5 * 120  # the walk down at twice the easy pace
    )
    timed = parse("8x60s hill (jog down)")
    assert [(s.distance_m, s.duration_s) for s in timed.recovery_steps] == [(None, None)] * 7
    assert timed.estimated_duration_s() == pytest.approx(8 * 60 + 7 * 60)  # down as long as up
    assert RepGroup(Amount(200), 6, style="hills").recovery == Recovery(down=True, mode="jog")


def test_the_comma_list_recovery_follows_every_rep():
    workout = parse("1600, 1200, 800, 400 @ 5k (400 jog)")
    assert workout.recovery_distance_m == 1200  # was 0 m: the recovery was lost
    assert [s.kind for s in workout.steps] == ["work", "recovery"] * 3 + ["work"]
    assert [s.targets for s in workout.work_steps] == [(Target("race", name="5k"),)] * 4


def test_sets_in_words_rest_between_sets():
    workout = parse("3 sets of 5 x 200 @ R (200 jog) 5min between sets")
    assert [s.set_rest for s in workout.recovery_steps].count(True) == 2
    assert [(s.set_index, s.rep_index) for s in workout.work_steps][4:6] == [(1, 5), (2, 1)]
    (group,) = parse("2 x (5 x 300 @ mile w/ 100 jog) w/ 600 jog between sets").parts
    assert group.set_recovery == Recovery(distance_m=600, mode="jog")


def test_tempo_and_race_paces_with_metres_resolve_for_each_athlete():
    tempo = only_resolved("4 mile tempo", SEA)
    assert tempo.source == "T"
    assert tempo.target_lo_s == pytest.approx(SEA.rep_target("T", 4 * MILE)[0][0])
    eight = only_resolved("6 x 400 @ 800m pace", SEA)
    fifteen = only_resolved("6 x 400 @ 1500m pace", SEA)
    assert eight.label == "800 pace" and eight.source == "800 pace"
    assert eight.target_lo_s is not None and fifteen.target_lo_s is not None
    assert eight.target_lo_s < fifteen.target_lo_s  # 800 m pace is faster than 1500 m pace
    assert only_resolved("6 x 800 in 2:20 with 400 jog").target_lo_s == 140
    hill = only_resolved("8x60s hill @ 5k (jog down)", SEA)
    assert hill.pace_lo_s_per_km is not None and hill.distance_lo_m is not None


def test_a_recovery_that_only_looks_like_a_set_rest_is_left_alone():
    assert parse("6x400 (60s)\n5min jog") == parse("6x400 (60s); 5min jog")
    for text in ("6x400 (60s) w/ jog", "6x400 (60s) 40O", "6x400 @ T (200 jog) 60 jog"):
        with pytest.raises(NotationError) as caught:
            parse(text)
        assert "expected a separator" in caught.value.message


PHRASING_REFUSALS = [
    # really ambiguous: the message proposes the readings the coach probably meant
    (
        "10x400/200", 4,
        "'400/200': bare numbers on and off are seconds, and 400 s is long for that: for "
        "metres write 10x400 (200m), for seconds 10x400s/200s",
    ),
    (
        "10x 1/1", 5,
        "'1/1': bare numbers on and off are seconds, and 1 s is very short: for minutes write "
        "10x1min/1min, for seconds 10x1s/1s",
    ),
    (
        "10 x 1 on 1 off", 6,
        "'1 on 1 off': bare numbers on and off are seconds, and 1 s is very short: for minutes "
        "write 10x1min/1min, for seconds 10x1s/1s",
    ),
    (
        "3x4x 200/100", 6,
        "'200/100': bare numbers on and off are seconds, and 200 s is long for that: for "
        "metres write 3x4x200 (100m), for seconds 3x4x200s/100s",
    ),
    (
        "20-400-3 mi", 1,
        "is the 'mi' at the end for every rung (20mi-400mi-3mi) or only for the last "
        "(20m-400m-3mi)? Neither reads as a session: give each rung its unit",
    ),
    # broken, with a plain message
    (
        "5x200 (200 jog) 3min between sets", 22,
        "a rest between sets needs sets: write how many, as in 3 sets of 5x200",
    ),
    (
        "400-800 (200) 3min between sets", 20,
        "a rest between sets needs sets: write how many, as in 3 sets of 5x400",
    ),
    (
        "pyramid 6x400", 1,
        "'pyramid' names amounts joined by '-', as in pyramid 400-800-1200-800-400",
    ),
    ("tempo 2mi WU", 1, "tempo is reps or a run at T, as in tempo 5k"),
    ("ladder", 1, "expected a workout part such as 6x400, 3x(4x400), 400-800-400, 2mi WU or "
                  "5' jog, found 'ladder'"),
    ("WU", 1, "expected a workout part such as 6x400, 3x(4x400), 400-800-400, 2mi WU or "
              "5' jog, found 'WU'"),
    ("5x6min in 3:00", 11, "a time 'in' needs a distance rep, as in 6 x 800 in 2:20"),
    (
        "10 x 1min on", 13,
        "expected a distance or duration for the time off, as in 10 x 1min on / 1min off, "
        "found the end",
    ),
    (
        "10 x 1min on 1min", 18,
        "expected 'off' after the time off, as in 10x1min on / 1min off",
    ),
    ("10x1min on/1min off [60s & 3min]", 33, "the time off is the recovery after each rep"),
    (
        "3 sets of 400", 11,
        "expected the reps of each set, as in 3 sets of 5x200 or 3 sets of (4x400; 800)",
    ),
    ("400-800 strides", 9, "strides are reps of one amount, as in 8 x 150m strides"),
    ("8x100 strides-200", 14, "unexpected '-': expected a separator (; & + , then) or the end"),
    ("400, " * 500 + "400", 2501, "a ladder has at most 500 rungs"),
    ("0 sets of 4x400", 1, "a rep count goes from 1 to 500, not 0"),
    ("400, 40O", 8, "expected a distance or duration"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "column", "message"), PHRASING_REFUSALS)
def test_ambiguous_and_broken_phrasings_are_refused_with_a_proposal(text, column, message):
    with pytest.raises(NotationError) as caught:
        parse(text)
    assert (caught.value.column, caught.value.message) == (column, message)
    assert caught.value.text == text


# --- errors -----------------------------------------------------------------------------------

ERRORS = [
    ("", 1, "empty workout"),
    ("   \n ", 1, "empty workout"),
    ("# just a note", 1, "empty workout: nothing before the '#' note"),
    ("12x", 4, "expected a distance or duration after 'x', found the end"),
    ("12xx400", 3, "expected a distance or duration"),
    ("12x x400", 5, "expected a distance or duration after 'x', found 'x'"),
    ("12x4OO", 5, "expected a distance or duration after 'x'"),
    ("400-8OO", 6, "expected a distance or duration after '-'"),
    ("(400)", 1, "expected a workout part"),
    ("6x400 @", 8, "expected a target after '@'"),
    ("6x400 @ t", 9, "zones are written in capitals: T"),
    ("6x400 @ foo", 9, "unknown target 'foo'"),
    ("6x400 @ 6o.2", 9, '"6o.2" is not a time'),
    ("6x400 @ 1:75", 9, '"1:75" is not a time: seconds must be under 60'),
    ("6x400 @ 0", 9, '"0" is not a time: times must be more than zero'),
    ("6x400 @ 64-", 12, "expected a time after '-'"),
    ("6x400 @ 3:05/h", 14, "expected km, mi or 400 after '/'"),
    ("6x400 @ RPE", 12, "expected a number after RPE"),
    ("6x400 @ RPE 11", 9, "11 is not an RPE"),
    ("6x400 @ 2-x mmol", 11, "expected a number after '-'"),
    ("6x400 @ 40 mmol", 9, "40 is not a lactate target"),
    ("6x400 @ mile/km", 14, "expected a race"),
    ("5x6min @ 64", 10, "a rep time needs a distance"),
    ("5x6min (64)", 9, "a rep time in brackets needs a distance rep"),
    ("12x400 @ 10k/5k pace", 10, "2 race paces for 12 reps"),
    ("2x400 @ 10k/5k pace, 3k/mile pace", 22, "only one list of race paces"),
    ("3x(4x400) @ 10k/5k pace", 13, "2 race paces for 4 reps"),
    ("3x(4x6min) (64)", 13, "a rep time needs a distance"),
    ("3x(2x400 @ 5k/3k pace) @ 1500/800 pace", 26, "only one list of race paces"),
    ("0x400", 1, "a rep count goes from 1 to 500"),
    ("2.5x400", 1, "a rep count is a whole number"),
    ("600x400", 1, "a rep count goes from 1 to 500"),
    ("99999999x400", 1, "a rep count goes from 1 to 500"),
    ("30x(30x400)", 1, "that makes 900 reps"),
    ("200x400; 200x200; 200x100", 19, "that makes 600 reps"),
    ("2x(2x(2x(2x(400))))", 12, "set groups are nested at most 3 deep"),
    ("2x3x(400)", 5, "a group of sets takes one count"),
    ("4x400-800", 6, "a ladder takes no rep count"),
    ("3x(2mi WU; 4x400)", 4, "a warm-up or cool-down cannot be repeated inside a set"),
    ("3x(5' jog)", 3, "a set needs reps"),
    ("3x(4x400", 9, "expected ')' to close the '(' at column 3, found the end"),
    ("3x(4x400]", 9, "expected ')' to close the '(' at column 3, found ']'"),
    ("6x400 (200 jog", 15, "expected ')' to close the '(' at column 7"),
    ("6x400 [3' & 5')", 15, "expected ']' to close the '[' at column 7"),
    ("6x400 w/", 9, "expected a recovery such as 200 jog, 60s or equal time"),
    ("6x400 (jog)", 8, "expected a recovery"),
    ("AM: 3x(PM: 400)", 8, "a label (AM:) goes before a part"),
    ("AM:", 4, "expected a workout part"),
    ("T+: 2mi WU", 1, "a label is one word of letters, not 'T+'"),
    ("w/: 400 jog", 1, "a label is one word of letters"),
    ("6x1k @ T 2mi CD", 14, "unexpected 'CD': expected a separator"),
    ("6x400;;4x200", 7, "expected a workout part"),
    ("6x400 %", 7, "unexpected character '%'"),
    ("400 M", 5, "write m for metres, min for minutes or mi for miles"),
    ("6x400M", 6, "write m for metres"),
    ("120km", 1, "120: a distance must be above 0 and at most 100 km"),
    ("25h", 1, "25: a duration must be above 0 and at most 24 h"),
    ("0 m", 1, "a distance must be above 0"),
    ("6x400 @ 2,5 mmol", 10, "a comma between digits"),
    ("6x400.", 6, "unexpected '.'"),
    ("6x400 )", 7, "unexpected ')'"),
]


@pytest.mark.parametrize(("text", "column", "message"), ERRORS)
def test_errors_name_the_column_and_what_was_expected(text, column, message):
    with pytest.raises(NotationError) as caught:
        parse(text)
    assert caught.value.column == column, str(caught.value)
    assert message in caught.value.message
    assert str(caught.value) == f"column {column}: {caught.value.message}"
    assert caught.value.text == text


def test_too_long_input_is_refused_with_a_message():
    text = "6x400; " * 1000
    with pytest.raises(NotationError) as caught:
        parse(text)
    assert caught.value.column == MAX_LENGTH + 1
    assert f"at most {MAX_LENGTH}" in caught.value.message


def test_notation_errors_are_value_errors_and_pickle():
    error = NotationError(3, "bad", "abc")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.column, copy.message, copy.text, str(copy)) == (3, "bad", "abc", "column 3: bad")


# --- warnings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("12x400 @ 3:05", "if 3:05 is a pace per km, write '@ 3:05/km'"),
        ("12x400 @ 5:00", "1.33 m/s (12:30/km): if 5:00 is a pace per km"),
        ("12x400 @ 30", "13.3 m/s, faster than 10.5 m/s"),
        ("6x1k @ 64/km", "15.6 m/s, faster than 10.5 m/s"),
        ("6x1k @ 10:00", "1.67 m/s (10:00/km): check the target"),
        ("400 @ 23:00:00", "0.00 m/s (207000/km): check the target"),
        ("12x400 @ T (60)", "the recovery '60' is read as 60 m; for seconds write 60s"),
        ("12x400 60", "for a rep time write @ 60"),
        ("WU: 2mi; 6x400", "for easy running write '2mi WU'"),
        ("6x6m", "a rep of 6 m is very short; for minutes write 6min"),
    ],
)
def test_implausible_readings_warn(text, warning):
    warnings = parse(text).warnings
    assert any(warning in w for w in warnings), warnings


@pytest.mark.parametrize(
    "text", ["12x400 @ 64", "6x1k @ 3:05/km", "10x200 @ 29", "5x1mile @ 4:40", "12x400 @ 3:05/km"]
)
def test_plausible_targets_do_not_warn(text):
    assert parse(text).warnings == ()


def test_warnings_are_not_part_of_equality():
    assert parse("12x400 @ 3:05") == Workout(
        (RepGroup(Amount(400), 12, targets=(Target("time", 185),)),)
    )


# --- the data classes refuse what cannot be written -------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: Amount(),
        lambda: Amount(400, 60),
        lambda: Amount(float("nan")),
        lambda: Amount(duration_s=-1),
        lambda: Target("time"),
        lambda: Target("time", 65, 64),
        lambda: Target("time", 64, unit="km"),
        lambda: Target("pace", 185),
        lambda: Target("pace", 185, unit="furlong"),
        lambda: Target("zone", name="Z"),
        lambda: Target("zone", 1, name="T"),
        lambda: Target("race", name="7k"),
        lambda: Target("speed", 5),  # type: ignore[arg-type]
        lambda: Target("time", 64, name="x"),
        lambda: Recovery(),
        lambda: Recovery(200, equal=True),
        lambda: Recovery(200, mode="sprint"),
        lambda: Recovery(equal=True, down=True),
        lambda: Recovery(200, down=True),
        lambda: Recovery(down=True, mode="stand"),
        lambda: RepGroup(Amount(400), style="fartlek"),
        lambda: RepGroup(Amount(400), reps=0),
        lambda: RepGroup(Amount(400), reps=True),
        lambda: RepGroup(Amount(400), sets=MAX_REPS + 1),
        lambda: RepGroup(Amount(400), targets=("64",)),  # type: ignore[arg-type]
        lambda: RepGroup(Amount(duration_s=60), targets=(Target("time", 64),)),
        lambda: RepGroup(
            Amount(400), 2, series=(Target("zone", name="T"), Target("zone", name="I"))
        ),
        lambda: RepGroup(Amount(400), 1, series=(Target("race", name="mile"),)),
        lambda: RepGroup(Amount(400), 3, series=(Target("race", name="5k"),) * 2),
        lambda: RepGroup(Amount(400), set_recovery=Recovery(duration_s=60)),
        lambda: RepGroup(Amount(400), label="A M"),
        lambda: Ladder((Amount(400),)),
        lambda: Ladder((Amount(400), Amount(800)), set_recovery=Recovery(duration_s=60)),
        lambda: SetGroup(2, ()),
        lambda: SetGroup(2, (Rest(Amount(400), "jog"),)),
        lambda: SetGroup(2, (RepGroup(Amount(400), label="AM"),)),
        lambda: SetGroup(2, (EasyRun(Amount(400), "warmup"), RepGroup(Amount(400)))),
        lambda: SetGroup(2, (SetGroup(2, (SetGroup(2, (SetGroup(2, (RepGroup(Amount(1)),)),)),)),)),
        lambda: Rest(Amount(400), "sprint"),
        lambda: EasyRun(Amount(400), "tempo"),  # type: ignore[arg-type]
        lambda: Workout(()),
        lambda: Workout((RepGroup(Amount(400), label="AM"), RepGroup(Amount(400)))),
        lambda: Workout((RepGroup(Amount(400)),), note=" padded "),
        lambda: Workout((RepGroup(Amount(400), reps=300), RepGroup(Amount(400), reps=300))),
    ],
)
def test_invalid_objects_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_objects_normalise_lists_and_numbers():
    group = RepGroup(Amount(400), targets=[Target("time", 64)])  # type: ignore[arg-type]
    assert group.targets == (Target("time", 64.0, 64.0),)
    assert Workout([group]).parts == (group,)  # type: ignore[arg-type]
    assert Target("pace", 300, unit="mi").seconds_per_km == pytest.approx((186.41, 186.41), 1e-4)
    assert Target("zone", name="T").seconds_per_km is None


# --- resolution against a pace profile --------------------------------------------------------

FLAGSTAFF = PaceProfile(vdot=83.63, altitude_m=2100, goal_race="mile")
SEA = PaceProfile(vdot=83.63)


def only_resolved(text: str, profile: PaceProfile | None = FLAGSTAFF) -> ResolvedStep:
    return resolve(parse(text), profile)[0]


def test_explicit_times_are_used_as_written():
    step = only_resolved("12x400 @ 64-65 (200 jog)")
    assert (step.target_lo_s, step.target_hi_s) == (64, 65)
    assert (step.sea_level_lo_s, step.sea_level_hi_s) == (64, 65)
    assert (step.pace_lo_s_per_km, step.pace_hi_s_per_km) == (160, 162.5)
    assert step.label == step.source == "64-65"
    assert step.recovery_factor == 1.0
    assert (step.distance_lo_m, step.distance_hi_m) == (400, 400)


def test_explicit_paces_become_rep_times():
    assert only_resolved("12x400 @ 3:05/km").target_lo_s == pytest.approx(74)
    assert only_resolved("5x1k @ 72/400").target_hi_s == pytest.approx(180)
    mile = only_resolved("3x1mile @ 5:00/mi")
    assert mile.target_lo_s == pytest.approx(300)
    assert mile.pace_lo_s_per_km == pytest.approx(300 / MILE * 1000)


def test_zones_resolve_through_the_profile_with_altitude():
    step = only_resolved("6x1k @ T 60s")
    adjusted, sea = FLAGSTAFF.rep_target("T", 1000)
    assert (step.target_lo_s, step.target_hi_s) == adjusted
    assert (step.sea_level_lo_s, step.sea_level_hi_s) == sea
    assert step.target_lo_s > step.sea_level_lo_s  # slower at altitude
    assert (step.pace_lo_s_per_km, step.pace_hi_s_per_km) == FLAGSTAFF.adjusted("T")
    assert step.source == "T"
    at_sea = only_resolved("6x1k @ T", SEA)
    assert at_sea.target_lo_s == at_sea.sea_level_lo_s == pytest.approx(sea[0])


def test_t_plus_matches_the_domain_vector():
    step = only_resolved("12x400 @ T+", SEA)
    assert step.target_lo_s == pytest.approx(61.4, abs=0.2)
    assert step.target_hi_s == pytest.approx(64.0, abs=0.2)


def test_race_paces_and_the_goal_race():
    mile = only_resolved("10x200 @ mile")
    assert mile.label == "mile pace"
    assert mile.recovery_factor == 1.25  # race pace at altitude: longer recoveries
    assert mile.target_lo_s == mile.sea_level_lo_s  # and no slower
    assert only_resolved("10x200 @ goal").target_lo_s == pytest.approx(mile.target_lo_s)
    assert only_resolved("10x200 @ race pace", SEA).target_lo_s is None  # no goal race
    assert only_resolved("10x200 @ race pace, R", SEA).source == "R"


@pytest.mark.parametrize(("text", "zone"), [
    ("6x1k @ T 60s", "T"),
    ("10x200 @ mile", "mile"),
    ("10x200 @ goal", "goal"),
    ("5x6min @ 2.5 mmol, T", "T"),
    ("12x400 @ 64 (200 jog)", None),
    ("6x1k @ 3:05/km", None),
    ("5x6min @ 2.5 mmol", None),
    ("10x200 @ race pace, R", "race"),  # the goal race first, R without one
])
def test_a_resolved_step_names_the_zone_its_pace_came_from(text, zone):
    step = only_resolved(text, FLAGSTAFF)
    assert step.zone == zone
    if zone is not None:
        assert FLAGSTAFF.origin(step.zone) is not None
    assert only_resolved("10x200 @ race pace, R", SEA).zone == "R"


def test_timed_reps_get_a_pace_and_a_distance_estimate():
    step = only_resolved("5x6min @ T (60s)")
    fast, slow = FLAGSTAFF.adjusted("T")
    assert step.target_lo_s is None and step.target_hi_s is None
    assert (step.pace_lo_s_per_km, step.pace_hi_s_per_km) == (fast, slow)
    assert step.distance_lo_m == pytest.approx(360_000 / slow)
    assert step.distance_hi_m == pytest.approx(360_000 / fast)
    paced = only_resolved("5x6min @ 3:00/km")
    assert paced.distance_lo_m == paced.distance_hi_m == pytest.approx(2000)


def test_lactate_hr_and_rpe_carry_no_pace():
    step = only_resolved("5x6min @ 2.5 mmol, 150-160 bpm, RPE 7")
    assert step.target_lo_s is None and step.pace_lo_s_per_km is None
    assert (step.lactate_lo, step.lactate_hi) == (2.5, 2.5)
    assert (step.hr_lo, step.hr_hi) == (150, 160)
    assert (step.rpe_lo, step.rpe_hi) == (7, 7)
    assert step.label == "2.5 mmol, 150-160 bpm, RPE 7"
    assert step.source is None
    assert only_resolved("10x1000 @ 3.0-3.5 mmol").label == "3.0-3.5 mmol"


def test_a_lactate_target_keeps_the_pace_at_sea_level():
    step = only_resolved("6x1k @ T, 3.0 mmol")
    _, sea = FLAGSTAFF.rep_target("T", 1000)
    assert (step.target_lo_s, step.target_hi_s) == sea
    assert step.pace_lo_s_per_km == FLAGSTAFF.sea_level("T")[0]
    timed = only_resolved("5x6min @ T, 2.5 mmol")
    assert timed.pace_lo_s_per_km == FLAGSTAFF.sea_level("T")[0]


def test_explicit_targets_win_over_named_ones_and_the_profile_is_optional():
    assert only_resolved("12x400 @ T, 64").source == "64"
    assert only_resolved("12x400 @ T", None).target_lo_s is None
    assert only_resolved("12x400 @ T, 64", None).target_lo_s == 64


def test_resolve_gives_one_step_per_rep_and_follows_a_series():
    workout = parse("1600-1200-800-400 @ 10k/5k/3k/mile pace (400 jog)")
    steps = resolve(workout, SEA)
    assert [s.step for s in steps] == list(workout.work_steps)
    assert [s.label for s in steps] == ["10k pace", "5k pace", "3k pace", "mile pace"]
    per_km = [s.pace_lo_s_per_km for s in steps]
    assert per_km == sorted(per_km, reverse=True)  # faster each step
    assert resolve_step(workout.work_steps[0], SEA) == steps[0]


# --- property tests ---------------------------------------------------------------------------

positive_times = st.floats(min_value=0.001, max_value=86_400, allow_nan=False)
distances = st.one_of(
    st.sampled_from([100.0, 200.0, 400.0, 1000.0, 1500.0, 3000.0, MILE, 2 * MILE, 0.5 * MILE]),
    st.floats(min_value=0.01, max_value=100_000, allow_nan=False),
)
durations = st.one_of(st.sampled_from([30.0, 60.0, 90.0, 120.0, 360.0, 3600.0]), positive_times)
distance_amounts = distances.map(lambda d: Amount(distance_m=d))
amounts = st.one_of(distance_amounts, durations.map(lambda s: Amount(duration_s=s)))
modes = st.one_of(st.none(), st.sampled_from(MODES))
labels = st.from_regex(r"[A-Za-z]{1,6}", fullmatch=True)
TARGET_VALUES = {
    "time": positive_times,
    "pace": positive_times,
    "lactate": st.floats(min_value=0.01, max_value=30),
    "hr": st.floats(min_value=30.5, max_value=250),
    "rpe": st.floats(min_value=0.1, max_value=10),
}


@st.composite
def measured_targets(draw, kind: str):
    lo, hi = sorted((draw(TARGET_VALUES[kind]), draw(TARGET_VALUES[kind])))
    hi = lo if draw(st.booleans()) else hi
    unit = draw(st.sampled_from(["km", "mi", "400"])) if kind == "pace" else None
    return Target(kind, lo, hi, unit)


named_targets = st.one_of(
    st.sampled_from(ZONES).map(lambda name: Target("zone", name=name)),
    st.sampled_from(RACE_NAMES).map(lambda name: Target("race", name=name)),
)
timed_targets = st.one_of(
    named_targets, *(measured_targets(k) for k in ("pace", "lactate", "hr", "rpe"))
)
any_targets = st.one_of(timed_targets, measured_targets("time"))
TARGET_LISTS = {  # a rep time only on distance reps
    True: st.lists(timed_targets, max_size=3).map(tuple),
    False: st.lists(any_targets, max_size=3).map(tuple),
}
recoveries_strategy = st.one_of(
    st.builds(Recovery, distance_m=distances, mode=modes),
    st.builds(Recovery, duration_s=durations, mode=modes),
    st.builds(Recovery, equal=st.just(True), mode=modes),
    st.builds(Recovery, down=st.just(True), mode=st.sampled_from(DOWN_MODES)),
)
styles = st.sampled_from([None, None, *STYLES])
rep_rests = st.one_of(
    st.just((None, None)),
    st.tuples(recoveries_strategy, st.none()),
    st.tuples(recoveries_strategy, recoveries_strategy),
)
race_targets = st.sampled_from(RACE_NAMES).map(lambda name: Target("race", name=name))
SERIES = {
    n: st.one_of(st.just(()), st.tuples(*[race_targets] * n)) if n >= 2 else st.just(())
    for n in range(1, 9)
}


@st.composite
def rep_groups(draw):
    work = draw(amounts)
    reps = draw(st.integers(1, 8))
    rep, set_rest = draw(rep_rests)
    targets = draw(TARGET_LISTS[work.duration_s is not None])
    sets, series = draw(st.integers(1, 3)), draw(SERIES[reps])
    return RepGroup(work, reps, sets, targets, series, rep, set_rest, style=draw(styles))


@st.composite
def ladders(draw):
    works = tuple(draw(st.lists(amounts, min_size=2, max_size=5)))
    timed = any(w.duration_s is not None for w in works)
    rep, set_rest = draw(rep_rests)
    return Ladder(works, draw(TARGET_LISTS[timed]), draw(SERIES[len(works)]), rep, set_rest)


rests = st.builds(Rest, amounts, st.sampled_from(MODES))
easy_runs = st.builds(EasyRun, amounts, st.sampled_from(["warmup", "cooldown", "easy"]))
inner_easy_runs = st.builds(EasyRun, amounts, st.just("easy"))


@st.composite
def set_groups(draw, rep_parts, other_parts):
    parts = draw(st.lists(st.one_of(rep_parts, other_parts), max_size=2))
    parts.insert(draw(st.integers(0, len(parts))), draw(rep_parts))  # a set needs reps
    recovery = draw(st.one_of(st.none(), recoveries_strategy))
    return SetGroup(draw(st.integers(1, 3)), tuple(parts), recovery)


group_or_ladder = st.one_of(rep_groups(), ladders())
inner_others = st.one_of(rests, inner_easy_runs)
innermost_sets = set_groups(group_or_ladder, inner_others)
middle_sets = set_groups(st.one_of(group_or_ladder, innermost_sets), inner_others)
outer_sets = set_groups(st.one_of(group_or_ladder, middle_sets), inner_others)
top_parts = st.one_of(rep_groups(), ladders(), rests, easy_runs, outer_sets)


@st.composite
def workouts(draw):
    count = draw(st.integers(1, 5))
    names = draw(st.lists(st.one_of(st.none(), labels), min_size=count, max_size=count))
    parts = []
    label = None
    for name in names:
        label = name or label  # a label applies until the next one
        parts.append(replace(draw(top_parts), label=label))
    note = draw(st.text(max_size=20).map(str.strip))
    try:
        return Workout(tuple(parts), note)
    except ValueError as error:  # more reps than a workout holds
        assert f"a workout has at most {MAX_REPS}" in str(error)
        reject()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workouts())
def test_every_workout_reads_back_from_its_text_and_expands_consistently(workout):
    text = notation.format(workout)
    again = parse(text)
    assert again == workout, text
    assert again.steps == workout.steps
    steps = workout.steps
    assert [s.rep_number for s in workout.work_steps] == list(range(1, workout.rep_count + 1))
    for index, step in enumerate(steps):
        if step.kind == "recovery":
            assert steps[index - 1].kind in ("work", "rest")  # after a rep, or a jog ending a set
            assert steps[index + 1].kind == "work"  # and always before the next rep
    assert workout.total_distance_m >= workout.work_distance_m
    assert workout.estimated_duration_s() >= workout.work_duration_s
    assert len(resolve(workout, SEA)) == workout.rep_count


FRAGMENTS = [
    *"0123456789",
    "12", "400", "1k", "2mi", "6min", "60s", "3'", '56"', "1:04.2", "1'52\"", "4:00", "200",
    "x", "×", "*", "@", "at", "(", ")", "[", "]", "&", "+", ";", ",", "then", "/", "-", ":",
    "#", ".", "\n", "T", "T+", "E", "M", "I", "R", "mile", "5k", "10k", "3k", "HM", "race",
    "goal", "800", "1500", "pace", "mmol", "2.5", "bpm", "RPE", "jog", "walk", "stand", "float",
    "rest", "recovery", "w/", "with", "r", "equal", "time", "WU", "CD", "easy", "warm-up", "AM",
    "PM", "km", "/km", "/400", "s", "m", "min", "h", "sec", "strides", "hills", "hill", "down",
    "on", "off", "sets", "of", "between", "in", "tempo", "ladder", "pyramid", "800m", "warm",
    "up", "cool", "run", "each", "set",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.lists(st.booleans(), max_size=25))
def test_notation_like_text_parses_or_raises_a_notation_error(fragments, spaces):
    text = "".join(
        f + (" " if i < len(spaces) and spaces[i] else "") for i, f in enumerate(fragments)
    )
    try:
        workout = parse(text)
    except NotationError as error:
        assert 1 <= error.column <= len(text) + 1
        assert error.text == text
        return
    again = parse(notation.format(workout))
    assert again == workout, notation.format(workout)
    assert again.steps == workout.steps
    assert len(workout.work_steps) == workout.rep_count


SNIPPETS = {
    "label": ["", "", "AM: ", "PM: ", "T+: ", "w/: ", "WU: ", "x: "],
    "count": ["", "", "6x", "4 x 3 x ", "2x(", "12×", "0x", "2x3x(", "3 sets of ", "tempo ",
              "WU ", "ladder ", "3 sets x 2x("],
    "work": ["400", "1k", "2mi", "6min", "3'", "4:00", "400-800-400", "1min-2min", "60s", "40O",
             "30/30", "1min on / 1min off", "1-2-3 min", "1600, 1200", "mile", "150m strides",
             "60s hill", "2 mile tempo", "45s/15s", "400/200"],
    "target": [
        "", "", " @ 64", " @ T", " @ T+", " @ 3:05/km", " @ 10k/5k/3k pace", " @ 2.5 mmol",
        " (64)", " @ 800", " @ RPE 7, 150 bpm", " @ t", " @ 3:05", " at goal", " @ 64, 4x200",
        " in 2:20", " @ 800m pace", " @ 5000m",
    ],
    "recovery": [
        "", "", " (200 jog)", " 60s/3min", " [3' & 5']", " w/ equal time jog", " r 200", " 90s",
        " (60)", " with 200m jog recovery", " WU", " CD", " jog", " easy", " (jog down)",
        " 5min between sets", " (200 jog) 3min between each set", " w/ walk down",
    ],
    "close": ["", ")", ") (3min)", ") @ 5k/mile pace 60s/3min", "))"],
    "sep": ["; ", " & ", " + ", ", ", " then ", "\n", " ", ";"],
}  # fmt: skip
snippet_parts = st.tuples(*(st.sampled_from(SNIPPETS[k]) for k in SNIPPETS)).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(snippet_parts, min_size=1, max_size=5))
def test_workout_like_text_parses_or_raises_a_notation_error(parts):
    text = "".join(parts)
    try:
        workout = parse(text)
    except NotationError as error:
        assert error.text == text
        return
    again = parse(notation.format(workout))
    assert again == workout, notation.format(workout)
    assert again.steps == workout.steps


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_ever_raises_notation_error(text):
    try:
        workout = parse(text)
    except NotationError as error:
        assert 1 <= error.column <= MAX_LENGTH + 1
        return
    assert parse(notation.format(workout)) == workout


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "×’”′″–", max_size=400))
def test_printable_junk_only_ever_raises_notation_error(text):
    try:
        workout = parse(text)
    except NotationError as error:
        assert error.column >= 1
    else:
        assert parse(notation.format(workout)) == workout


@pytest.mark.parametrize(
    "text",
    [
        "(" * 3990,
        "3x(" * 1300,
        ")" * 3990,
        "[" * 3990,
        "400-" * 999,
        "@ T, " * 799,
        "6x400 @ T" + ", T" * 1300,
        "6x400" + ";" * 3990,
        "1" * 3999,
        "1:" * 1999,
        "a" * 3999,
        "AM: " * 999,
        "6x400 @ " + "5k/" * 1300,
        "6x400 (" + "200 jog & " * 390,
        "x" * 3999,
        "#" * 3999,
        "é" * 3999,
        "12x400 " * 570,
        "1'" * 1999,
        ("3x(4x400 @ T, 64 (200 jog)) [60s & 3min]; " * 100)[:3999],
        "6x1k @ T" + ", 4" * 1300,
        "0" * 10_000,
        "(" * 10_000,
    ],
    ids=lambda text: f"{text[:12]!r}x{len(text)}",
)
def test_long_junk_and_unbalanced_brackets_are_read_quickly(text):
    started = time.perf_counter()
    try:
        parse(text)
    except NotationError as error:
        assert error.message
    # A guard against runaway (quadratic or worse) parsing, not a speed figure: these take a few
    # hundredths of a second; the bound is wide so a busy machine does not fail it. Speed is
    # measured by `manage.py bench`.
    assert time.perf_counter() - started < 5.0


def test_parse_time_agrees_with_the_pace_engine():
    for text in ["64", "64.2", "1:04.2", "3:43", "1:02:03", '62"', "3'", "1'52\""]:
        assert only_group(f"400 @ {text}").targets[0].lo == parse_time(text)


def test_estimated_duration_uses_one_athletes_resolved_targets():
    from coach.notation import ResolvedStep

    workout = parse("2x400 (200 jog)")
    plain = workout.estimated_duration_s(easy_s_per_km=300, work_s_per_km=250)
    assert plain == pytest.approx(2 * 100 + 60)
    first, second = workout.work_steps
    resolved = (ResolvedStep(step=first, label="T", target_lo_s=70, target_hi_s=72),
                ResolvedStep(step=second, label="T", pace_lo_s_per_km=200,
                             pace_hi_s_per_km=210))
    assert workout.estimated_duration_s(easy_s_per_km=300, resolved=resolved) == pytest.approx(
        71 + 60 + 82)
