"""The workout key: which workouts are "the same workout", whatever the spelling.

Two workouts are the same when their expanded reps and the recoveries between them are the
same, in the same order (docs/notation.md, "The same workout"). The key reads the expanded
steps (``Workout.steps``), so spelling, grouping and canonical text do not matter
(``12x400 (60s)`` == ``12 x 400m 60"`` == ``3x4x400 (60s)``), and leaves out:

- the warm-up and the cool-down (``2mi WU`` or ``3k WU``: the same session of reps);
- the targets (a block re-paced from ``@ 64`` to ``@ T`` is still the same 400s);
- how a recovery is covered (``200 jog``, ``200m``, ``200 walk``) and whether it ends a set
  (``3x4x400 [60s & 60s]`` is ``12x400 (60s)``);
- labels (``AM:``/``PM:``) and notes.

It keeps each rep's amount (a distance in metres or a duration in seconds, to a tenth) and its
style (strides, hills), each recovery's amount (an equal-time recovery and the way down a hill
count as such, not as the time they came to), and rest parts and easy running between reps.

A workout without reps (an easy run) has no key: ``""``.
"""

from __future__ import annotations

import hashlib

from coach.notation.model import Step
from coach.notation.units import _amount_name
from coach.notation.workout import Workout

KEY_LENGTH = 20  # hex digits of the hash: a collision among one athlete's workouts is negligible


def _amount(step: Step) -> str:
    if step.distance_m is not None:
        return f"{round(step.distance_m, 1):g}m"
    assert step.duration_s is not None
    return f"{round(step.duration_s, 1):g}s"


def _token(step: Step) -> str | None:
    """One step in the key, or None for a step that does not count (warm-up, cool-down)."""
    if step.kind == "work":
        return "w" + _amount(step) + (f"/{step.mode}" if step.mode else "")
    if step.kind == "recovery":
        if step.equal:
            return "r="
        if step.down:
            return "rdown"
        return "r" + _amount(step)
    if step.kind == "rest":
        return "p" + _amount(step)
    return None


def workout_signature(workout: Workout) -> str:
    """The steps that make the workout what it is, readable: ``w400m r200m w400m ...``.

    Empty for a workout without reps."""
    if not workout.rep_count:
        return ""
    tokens = [token for step in workout.steps if (token := _token(step)) is not None]
    while tokens[-1][0] != "w":  # a rest part after the last rep belongs to the cool-down
        tokens.pop()
    while tokens[0][0] != "w":  # ... and one before the first rep to the warm-up
        tokens.pop(0)
    return " ".join(tokens)


def workout_key(workout: Workout) -> str:
    """A short stable key for ``workout_signature``: 20 hex digits, ``""`` without reps."""
    signature = workout_signature(workout)
    if not signature:
        return ""
    return hashlib.sha256(signature.encode()).hexdigest()[:KEY_LENGTH]


def workout_label(workout: Workout) -> str:
    """The reps for people, runs of equal reps counted: ``12×400 m + 10×200 m``,
    ``400 m + 800 m + 1200 m + 800 m + 400 m``; ``""`` without reps."""
    runs: list[list] = []
    for step in workout.work_steps:
        name = _amount_name(step.distance_m, step.duration_s)
        if step.mode:
            name = f"{name} {step.mode}"
        if runs and runs[-1][1] == name:
            runs[-1][0] += 1
        else:
            runs.append([1, name])
    return " + ".join(f"{n}×{name}" if n > 1 else name for n, name in runs)
