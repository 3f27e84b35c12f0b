"""Workflows that write several rows at once, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from athletes.models import Athlete
from coach import notation, pace

from .models import Block, PlannedStep, PlannedTarget, Session, SessionLog

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


def target_origin(resolved: notation.ResolvedStep, profile: pace.PaceProfile) -> str:
    """Where a rep's target came from for one athlete (``PaceProfile.origin``): the coach's
    pace, their goal time, or their VDOT and its race, with the altitude adjustment unless a
    lactate band governs the rep. Empty for times and paces written in the workout."""
    if resolved.zone is None:
        return ""
    return profile.origin(resolved.zone, altitude=resolved.lactate_lo is None) or ""


@transaction.atomic
def plan_session(session: Session) -> notation.Workout:
    """Parse the session's notation and store its steps, totals and every athlete's targets.

    Replaces what was planned before. Targets are resolved now, from the paces of each
    active athlete the block's coach coaches now (``Block.coached_athletes``: not one who
    moved to another coach), their goal time for the block's goal race and the block's
    altitude, and stored with where each came from (``target_origin``), so a log reads right
    after paces change.
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
    goal_times = block.goal_times()
    for athlete in block.coached_athletes().prefetch_related(
        "race_results", "pace_overrides"
    ):
        profile = block.profile_for(athlete, goal_times)
        resolved = notation.resolve(workout, profile)
        for planned, r in zip(work, resolved, strict=True):
            targets.append(PlannedTarget(
                step=planned, athlete=athlete, target_lo_s=r.target_lo_s,
                target_hi_s=r.target_hi_s, sea_level_lo_s=r.sea_level_lo_s,
                sea_level_hi_s=r.sea_level_hi_s, pace_lo_s_per_km=r.pace_lo_s_per_km,
                pace_hi_s_per_km=r.pace_hi_s_per_km,
                sea_level_pace_lo_s_per_km=r.sea_level_pace_lo_s_per_km,
                sea_level_pace_hi_s_per_km=r.sea_level_pace_hi_s_per_km,
                source=(r.source or "")[:40], origin=target_origin(r, profile)[:160],
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


@transaction.atomic
def leave_former_coaches(*, athletes: Iterable[int] | None = None,
                         coaches: Iterable[int] | None = None) -> list[tuple[Block, list]]:
    """Take athletes out of the blocks of coaches who no longer coach them.

    When an athlete's coach changes (moved to another squad, a coach removed from them or
    from their squad, by the roster page, the CSV import or the Django admin), they leave
    every block of the old coach that has not ended yet (by the block's own calendar), and
    their planned targets in those blocks from today on go, except for sessions they have
    already logged. What happened stays: their logs and results, the targets of past and
    logged sessions, and their place in the old coach's ended blocks. Their logs stay
    theirs and go to their new coach, who coaches them now; the old coach sees none of it any
    more (``Athlete.objects.for_coach``). Coming back to the coach does not put them back in
    the blocks: the coach adds them again, as for any athlete.

    ``athletes`` narrows the check to these athletes' blocks and memberships; ``coaches`` to
    these coaches' blocks (after a coach stops coaching a squad). Returns each block left,
    with who left it. Safe to run any time: it only acts on memberships the rule forbids.
    """
    blocks = Block.objects.filter(end_date__gte=timezone.now().date() - dt.timedelta(days=1))
    if athletes is not None:
        athletes = list(athletes)
        blocks = blocks.filter(pk__in=Block.athletes.through.objects.filter(
            athlete_id__in=athletes).values("block_id"))
    if coaches is not None:
        blocks = blocks.filter(coach__in=list(coaches))
    left = []
    for block in blocks.select_related("coach").order_by("start_date", "pk"):
        if block.has_ended():
            continue
        leaving = block.athletes.exclude(pk__in=Athlete.objects.for_coach(block.coach)
                                         .values("pk"))
        if athletes is not None:
            leaving = leaving.filter(pk__in=athletes)
        leaving = list(leaving)
        if not leaving:
            continue
        logged = SessionLog.objects.filter(session=OuterRef("step__session"),
                                           athlete=OuterRef("athlete"))
        PlannedTarget.objects.filter(
            athlete__in=leaving, step__session__block=block,
            step__session__date__gte=block.today(),
        ).filter(~Exists(logged)).delete()
        block.athletes.remove(*leaving)
        left.append((block, leaving))
    return left


def _first(step: notation.Step, kind: str, end: str) -> float | None:
    for target in step.targets:
        if target.kind == kind:
            return getattr(target, end)
    return None
