"""The workout key (coach/notation/key.py; docs/notation.md, "The same workout"), no Django.

Run alone with ``python3 -m pytest --noconftest -p no:cacheprovider -c /dev/null
tests/test_workout_key.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.notation import parse, workout_key, workout_label, workout_signature
from coach.notation.key import KEY_LENGTH


def key(text: str) -> str:
    return workout_key(parse(text))


@pytest.mark.parametrize(("one", "other"), [
    ("12x400 @ T+ (200 jog)", "12 x 400m @ 64 (200m jog)"),
    ("2mi WU; 12x400 (200 jog); 2mi CD", "3k WU; 12x400 (200 jog); 15min CD"),
    ("12x400 (60s)", "3x4x400 (60s)"),
    ("12x400 (60s)", "3x4x400 [60s & 60s]"),
    ("12x400 (60s)", "3x(4x400 (60s)) (60s)"),
    ("12x400 (200 jog)", "12x400 (200 walk)"),
    ("12x400 (200 jog) & 10x200 (200 jog)", "12x400 (200 jog); 10x200 (200 jog)"),
    ("6x1k @ T 60s", "6 x 1000 @ 3:00/km (1min)"),
    ("AM: 6x400 (60s)", "6x400 (60s)"),
    ("5' jog; 6x400 (60s); 400 walk", "6x400 (60s)"),
    ("20x 30/30", "20x30s (30s)"),
])
def test_spellings_of_the_same_workout_share_a_key(one, other):
    assert key(one) == key(other)
    assert len(key(one)) == KEY_LENGTH


@pytest.mark.parametrize(("one", "other"), [
    ("12x400 (200 jog)", "10x400 (200 jog)"),
    ("12x400 (200 jog)", "12x400 (100 jog)"),
    ("12x400 (200 jog)", "12x400"),
    ("12x400 (60s)", "3x(4x400) 60s/3min"),
    ("12x400 (200 jog) & 10x200 (200 jog)", "10x200 (200 jog) & 12x400 (200 jog)"),
    ("6x200 hills", "6x200 (200 jog)"),
    ("8x100 strides (100 walk)", "8x100 (100 walk)"),
    ("5x6min (1min)", "5x1600 (1min)"),
    ("400-800-400 (equal time jog)", "400-800-400 (60s)"),
    ("6x1k (60s); 5' jog; 4x200 (200 jog)", "6x1k (60s); 4x200 (200 jog)"),
    ("1mi (2min); 1mi", "1600 (2min); 1600"),
])
def test_different_reps_or_recoveries_are_another_workout(one, other):
    assert key(one) != key(other)


def test_a_workout_without_reps_has_no_key():
    for text in ("50min easy", "2mi WU; 2mi CD", "45min easy; 5' jog"):
        workout = parse(text)
        assert (workout_key(workout), workout_signature(workout), workout_label(workout)) == (
            "", "", "")


def test_the_signature_reads_the_reps_and_recoveries():
    assert workout_signature(parse("2mi WU; 3x400 @ 64 (200 jog); 5' jog; 2x200 hills")) == (
        "w400m r200m w400m r200m w400m p300s w200m/hills rdown w200m/hills")
    assert workout_signature(parse("3x5min (equal time jog)")) == "w300s r= w300s r= w300s"


def test_the_label_counts_runs_of_equal_reps():
    assert workout_label(parse("2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)")) == (
        "12×400 m + 10×200 m")
    assert workout_label(parse("400-800-400 @ I")) == "400 m + 800 m + 400 m"
    assert workout_label(parse("5x6min (1min); 6x150 strides")) == "5×6 min + 6×150 m strides"


@given(reps=st.integers(1, 40), sets=st.integers(1, 5), metres=st.integers(50, 3000),
       rest=st.integers(10, 300))
def test_sets_without_a_set_rest_are_the_same_as_one_long_set(reps, sets, metres, rest):
    grouped = parse(f"{sets}x{reps}x{metres} ({rest}s)")
    flat = parse(f"{sets * reps}x{metres} ({rest}s)")
    assert workout_key(grouped) == workout_key(flat)
    assert workout_signature(flat).count("w") == sets * reps
