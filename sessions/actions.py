"""Workflows that write several rows at once, each in one transaction."""

from __future__ import annotations

from django.db import transaction

from coach import notation

from .models import PlannedStep, PlannedTarget, Session

QUALITY_ZONES = {"M", "T", "T+", "I", "R"}


def _is_quality(workout: notation.Workout) -> bool:
    """A session with reps at threshold or faster, or lactate-steered reps, is a quality one."""
    for step in workout.work_steps:
        for target in step.targets:
            if target.kind in {"time", "pace", "race", "lactate"}:
                return True
            if target.kind == "zone" and target.name in QUALITY_ZONES:
                return True
    return False


@transaction.atomic
def plan_session(session: Session) -> notation.Workout:
    """Parse the session's notation and store its steps, totals and every athlete's targets.

    Replaces what was planned before. Targets are resolved now, from each active athlete's
    paces and the block's altitude, and stored, so a log reads right after paces change.
    Raises ``notation.NotationError`` for a notation that does not parse (nothing is written).
    """
    workout = notation.parse(session.notation)
    block = session.block
    session.steps.all().delete()
    steps = PlannedStep.objects.bulk_create([
        PlannedStep(
            session=session, position=position, kind=step.kind, set_number=step.set_index,
            rep_number=step.rep_number, label=step.label or "", distance_m=step.distance_m,
            duration_s=step.duration_s, target_text=step.target_text[:80],
            lactate_lo=_first(step, "lactate", "lo"), lactate_hi=_first(step, "lactate", "hi"),
            mode=step.mode or "",
        )
        for position, step in enumerate(workout.steps, start=1)
    ])
    work = [planned for planned in steps if planned.kind == "work"]
    targets = []
    for athlete in block.athletes.filter(user__is_active=True).prefetch_related(
        "race_results", "pace_overrides"
    ):
        resolved = notation.resolve(workout, block.profile_for(athlete))
        for planned, r in zip(work, resolved, strict=True):
            targets.append(PlannedTarget(
                step=planned, athlete=athlete, target_lo_s=r.target_lo_s,
                target_hi_s=r.target_hi_s, sea_level_lo_s=r.sea_level_lo_s,
                sea_level_hi_s=r.sea_level_hi_s, pace_lo_s_per_km=r.pace_lo_s_per_km,
                pace_hi_s_per_km=r.pace_hi_s_per_km,
                sea_level_pace_lo_s_per_km=r.sea_level_pace_lo_s_per_km,
                sea_level_pace_hi_s_per_km=r.sea_level_pace_hi_s_per_km,
                source=(r.source or "")[:40],
            ))
    PlannedTarget.objects.bulk_create(targets)
    session.rep_count = workout.rep_count
    session.work_distance_m = workout.work_distance_m
    session.total_distance_m = workout.total_distance_m
    session.work_duration_s = workout.work_duration_s
    session.estimated_duration_s = workout.estimated_duration_s()
    session.is_quality = _is_quality(workout)
    session.save(update_fields=["rep_count", "work_distance_m", "total_distance_m",
                                "work_duration_s", "estimated_duration_s", "is_quality"])
    return workout


def _first(step: notation.Step, kind: str, end: str) -> float | None:
    for target in step.targets:
        if target.kind == kind:
            return getattr(target, end)
    return None
