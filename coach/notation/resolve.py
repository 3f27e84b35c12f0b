"""Target resolution: the times and paces of a workout's reps for one athlete.

Explicit times and paces are used as written; zones and race paces come from the athlete's
``coach.pace.PaceProfile``, adjusted for altitude (docs/notation.md, "Targets for each athlete";
docs/paces.md, "Altitude").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.notation.model import Step

if TYPE_CHECKING:
    from coach.notation.workout import Workout
    from coach.pace import PaceProfile


@dataclass(frozen=True)
class ResolvedStep:
    """A work step's targets for one athlete.

    Times are for the whole rep, ``lo`` the fast end; ``target_*`` are adjusted for the
    profile's altitude and ``sea_level_*`` are not (explicit times and paces are the same in
    both). Paces are seconds per km. For a timed rep the times are None and the pace and an
    estimated distance range (``distance_lo_m`` at the slow end) are given; for a distance rep
    the distance range is the distance. ``source`` is the target that gave the pace;
    ``zone`` its zone or race name when the profile gave it (``T+``, ``mile``, ``goal``: for
    ``PaceProfile.origin``), None for explicit times and paces; ``recovery_factor`` the
    altitude multiplier for the recovery after the rep (R and race paces at altitude,
    ``PaceProfile.recovery_factor``).
    """

    step: Step
    label: str
    source: str | None = None
    zone: str | None = None
    target_lo_s: float | None = None
    target_hi_s: float | None = None
    sea_level_lo_s: float | None = None
    sea_level_hi_s: float | None = None
    pace_lo_s_per_km: float | None = None
    pace_hi_s_per_km: float | None = None
    sea_level_pace_lo_s_per_km: float | None = None
    sea_level_pace_hi_s_per_km: float | None = None
    distance_lo_m: float | None = None
    distance_hi_m: float | None = None
    lactate_lo: float | None = None
    lactate_hi: float | None = None
    hr_lo: float | None = None
    hr_hi: float | None = None
    rpe_lo: float | None = None
    rpe_hi: float | None = None
    recovery_factor: float = 1.0


def resolve(workout: Workout, profile: PaceProfile | None = None) -> tuple[ResolvedStep, ...]:
    """Targets for every work step, in the order of ``workout.work_steps``.

    Without a profile only explicit times and paces resolve. Reps alike (the same amount and
    targets: the twelve of ``12x400 @ T``) are resolved once; each keeps its own ``step``.
    """
    done: dict[tuple, ResolvedStep] = {}
    resolved = []
    for step in workout.work_steps:
        key = (step.distance_m, step.duration_s, step.targets)  # all resolve_step reads
        found = done.get(key)
        if found is None:
            found = done[key] = resolve_step(step, profile)
        else:  # a copy with its own step (``dataclasses.replace`` took longer than resolving)
            found = _with_step(found, step)
        resolved.append(found)
    return tuple(resolved)


def _with_step(resolved: ResolvedStep, step: Step) -> ResolvedStep:
    twin = object.__new__(ResolvedStep)
    twin.__dict__.update(resolved.__dict__, step=step)
    return twin


def resolve_step(step: Step, profile: PaceProfile | None = None) -> ResolvedStep:
    """Targets of one work step for one athlete (see ``ResolvedStep``)."""
    values: dict[str, float | str | None] = {}
    for target in step.targets:
        if target.kind in ("lactate", "hr", "rpe") and f"{target.kind}_lo" not in values:
            values[f"{target.kind}_lo"], values[f"{target.kind}_hi"] = target.lo, target.hi
    high: tuple[float, float] | None = None
    sea: tuple[float, float] | None = None
    times: tuple[tuple[float, float], tuple[float, float]] | None = None
    factor = 1.0
    for target in step.targets:
        if target.kind == "time" and step.distance_m is not None:
            assert target.lo is not None and target.hi is not None
            times = ((target.lo, target.hi), (target.lo, target.hi))
            sea = high = (target.lo * 1000 / step.distance_m, target.hi * 1000 / step.distance_m)
        elif target.kind == "pace":
            sea = high = target.seconds_per_km
            assert sea is not None
            if step.distance_m is not None:
                rep = (sea[0] * step.distance_m / 1000, sea[1] * step.distance_m / 1000)
                times = (rep, rep)
        else:
            continue
        values["source"] = target.text
        break
    else:
        for target in step.targets:
            if target.kind not in ("zone", "race") or profile is None:
                continue
            assert target.name is not None
            sea, high = profile.sea_level(target.name), profile.adjusted(target.name)
            if sea is None or high is None:
                continue
            if step.distance_m is not None:
                times = profile.rep_target(target.name, step.distance_m)
            factor = profile.recovery_factor(target.name)
            values["source"], values["zone"] = target.text, target.name
            break
    if sea is not None and high is not None:
        if "lactate_lo" in values:  # the lactate governs: no altitude adjustment
            high = sea
            times = None if times is None else (times[1], times[1])
        values["pace_lo_s_per_km"], values["pace_hi_s_per_km"] = high
        values["sea_level_pace_lo_s_per_km"], values["sea_level_pace_hi_s_per_km"] = sea
        if step.duration_s is not None:
            values["distance_lo_m"] = step.duration_s * 1000 / high[1]
            values["distance_hi_m"] = step.duration_s * 1000 / high[0]
    if times is not None:
        (values["target_lo_s"], values["target_hi_s"]), sea_times = times
        values["sea_level_lo_s"], values["sea_level_hi_s"] = sea_times
    if step.distance_m is not None:
        values["distance_lo_m"] = values["distance_hi_m"] = step.distance_m
    return ResolvedStep(
        step=step,
        label=step.target_text,
        recovery_factor=factor,
        **values,  # type: ignore[arg-type]
    )
