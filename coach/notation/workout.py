"""``Workout``: a parsed workout, its expanded steps, its totals and its estimated length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from coach.notation.expand import _Expander
from coach.notation.model import _PART_TYPES, Part, Step, _rep_total
from coach.notation.text import format
from coach.notation.words import MAX_REPS

if TYPE_CHECKING:
    from coach.notation.resolve import ResolvedStep


@dataclass(frozen=True)
class Workout:
    """A parsed workout. Build one with ``parse``; ``format`` gives its canonical text.

    ``warnings`` (not part of equality) tell the coach how the text was read.
    """

    parts: tuple[Part, ...]
    note: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        if not self.parts or not all(isinstance(p, _PART_TYPES) for p in self.parts):
            raise ValueError("a workout has one or more parts")
        labelled = False
        for part in self.parts:
            if part.label is None and labelled:
                raise ValueError("a label applies until the next label: label every later part")
            labelled = labelled or part.label is not None
        if self.note != self.note.strip():
            raise ValueError("a note has no leading or trailing space")
        total = sum(_rep_total(p) for p in self.parts)
        if total > MAX_REPS:
            raise ValueError(f"{total} reps: a workout has at most {MAX_REPS}")

    def __str__(self) -> str:
        return format(self)

    @property
    def text(self) -> str:
        """The canonical notation, ``format(self)``."""
        return format(self)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """The flat list: warm-up, each rep, each recovery, set rests, rest parts, cool-down."""
        return _Expander(self.parts).run()

    @property
    def work_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind == "work")

    @property
    def recovery_steps(self) -> tuple[Step, ...]:
        """Recoveries after reps and set rests (not rest parts)."""
        return tuple(s for s in self.steps if s.kind == "recovery")

    @property
    def rep_count(self) -> int:
        return sum(_rep_total(p) for p in self.parts)

    @property
    def work_distance_m(self) -> float:
        """Metres of the distance reps (timed reps add nothing)."""
        return sum((s.distance_m or 0.0 for s in self.work_steps), 0.0)

    @property
    def work_duration_s(self) -> float:
        """Seconds of the timed reps (distance reps add nothing)."""
        return sum((s.duration_s or 0.0 for s in self.work_steps), 0.0)

    @property
    def recovery_distance_m(self) -> float:
        """Metres of recovery: recoveries after reps, set rests and rest parts."""
        return sum((s.distance_m or 0.0 for s in self.steps if s.kind in ("recovery", "rest")), 0.0)

    @property
    def recovery_duration_s(self) -> float:
        """Seconds of recovery with a known duration (equal time when the rep's is known)."""
        return sum((s.duration_s or 0.0 for s in self.steps if s.kind in ("recovery", "rest")), 0.0)

    @property
    def total_distance_m(self) -> float:
        """Every known distance: warm-up, reps, recoveries, rest parts, cool-down."""
        return sum((s.distance_m or 0.0 for s in self.steps), 0.0)

    def estimated_duration_s(
        self,
        easy_s_per_km: float = 330.0,
        work_s_per_km: float = 240.0,
        resolved: Sequence[ResolvedStep] | None = None,
    ) -> float:
        """A rough session length in seconds.

        Known durations count as they are. A distance rep takes, in this order, the middle of
        its resolved target time (``resolved``: ``resolve(self, profile)`` for one athlete),
        its own time or pace target, the middle of its resolved pace, else ``work_s_per_km``;
        other distances are run at ``easy_s_per_km`` (walked at twice it). An equal-time
        recovery whose rep has no known time, and the way back down after a timed hill rep,
        last as long as the rep's estimate.
        """
        targets = iter(resolved or ())
        total = 0.0
        last_rep = 0.0
        for step in self.steps:
            if step.kind == "work":
                seconds = _rep_estimate(step, next(targets, None), work_s_per_km)
                last_rep = seconds
            elif step.duration_s is not None:
                seconds = step.duration_s
            elif step.equal or (step.down and step.distance_m is None):
                seconds = last_rep
            else:
                assert step.distance_m is not None
                walk = step.mode in ("walk", "walk down")
                pace = easy_s_per_km * (2 if walk else 1)
                seconds = step.distance_m * pace / 1000
            total += seconds
        return total


def _rep_estimate(step: Step, resolved: ResolvedStep | None, work_s_per_km: float) -> float:
    """Seconds one rep should take (see ``Workout.estimated_duration_s``)."""
    if resolved is not None and resolved.target_lo_s is not None:
        return (resolved.target_lo_s + (resolved.target_hi_s or resolved.target_lo_s)) / 2
    if step.rep_seconds is not None:
        return step.rep_seconds
    assert step.distance_m is not None
    if resolved is not None and resolved.pace_lo_s_per_km is not None:
        pace = (resolved.pace_lo_s_per_km + (resolved.pace_hi_s_per_km
                                             or resolved.pace_lo_s_per_km)) / 2
        return pace * step.distance_m / 1000
    return step.distance_m * work_s_per_km / 1000
