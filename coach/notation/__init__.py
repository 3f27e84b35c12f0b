"""Workout notation: the text a coach types, as structured, immutable data.

Pure Python, no Django. ``parse(text)`` reads a workout such as
``2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD`` into a ``Workout``;
``format(workout)`` writes its canonical text, and ``parse(format(w)) == w`` for every workout.
``Workout.steps`` expands it into the flat list of steps (warm-up, each rep, each recovery, set
rests, rest parts, cool-down) that the log form, lap matching and totals use. ``resolve``
turns the targets of the work steps into times and paces for one athlete (``coach.pace``).

The grammar, with examples, the choices made where a text could be read two ways, the limits
and the error messages are in docs/notation.md. One module per concern:

- ``words``: word tables and limits        - ``model``: amounts, targets, parts, steps
- ``lexer``: tokens and the cursor         - ``workout``: ``Workout``, totals, duration
- ``targets``: the target rules            - ``expand``: parts into steps
- ``parser``: ``parse``                    - ``text``: ``format``, the canonical text
- ``checks``: implausible-speed warnings   - ``resolve``: targets for one athlete
- ``units``: numbers, distances and durations as text; ``errors``: ``NotationError``
- ``key``: ``workout_key``, which workouts are the same whatever the spelling
"""

from __future__ import annotations

from coach.notation.errors import NotationError
from coach.notation.key import workout_key, workout_label, workout_signature
from coach.notation.model import (
    Amount,
    EasyRun,
    Ladder,
    Part,
    Recovery,
    RepGroup,
    Rest,
    SetGroup,
    Step,
    Target,
)
from coach.notation.parser import parse
from coach.notation.resolve import ResolvedStep, resolve, resolve_step
from coach.notation.text import format
from coach.notation.words import (
    MAX_DEPTH,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_LENGTH,
    MAX_REPS,
    MAX_SPEED,
    MIN_SPEED,
    MODES,
    PACE_UNITS,
    PER_KM_HINT_SPEED,
    RACE_NAMES,
    EasyKind,
    StepKind,
    TargetKind,
)
from coach.notation.workout import Workout

__all__ = [
    "MAX_DEPTH",
    "MAX_DISTANCE_M",
    "MAX_DURATION_S",
    "MAX_LENGTH",
    "MAX_REPS",
    "MAX_SPEED",
    "MIN_SPEED",
    "MODES",
    "PACE_UNITS",
    "PER_KM_HINT_SPEED",
    "RACE_NAMES",
    "Amount",
    "RepGroup",
    "EasyKind",
    "EasyRun",
    "Ladder",
    "NotationError",
    "Part",
    "Recovery",
    "ResolvedStep",
    "Rest",
    "SetGroup",
    "Step",
    "StepKind",
    "Target",
    "TargetKind",
    "Workout",
    "format",
    "parse",
    "resolve",
    "resolve_step",
    "workout_key", "workout_label", "workout_signature",
]
