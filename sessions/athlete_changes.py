"""Changes to an athlete that reach their sessions, each in one transaction.

A race result, a pace override or a goal time changes the athlete's paces, so their upcoming
sessions are re-planned (``planning.replan_athlete``); losing a coach takes them out of that
coach's blocks (``leave_former_coaches``). ``athletes/`` imports nothing from ``sessions/``, so
the workflows that do both live here, and the views that call them are in
``sessions/athlete_views.py`` (the athlete page, under its own URLs). Roster changes made in
``athletes/`` reach ``leave_former_coaches`` through ``athletes.signals.coaches_changed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from athletes.actions import current_vdot
from athletes.models import Athlete, PaceOverride, RaceResult

from .models import AthleteGoal, Block, PlannedTarget, SessionLog
from .planning import Replan, replan_athlete


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


# --- race results, pace overrides and goal times: the athlete's paces, then their sessions ---

def _replan_if_vdot_changed(athlete: Athlete, before: float | None) -> Replan:
    after = current_vdot(athlete)
    if before == after or (before is not None and after is not None
                           and abs(before - after) < 1e-9):
        return Replan(ran=False)
    return replan_athlete(athlete)


@transaction.atomic
def add_race_result(athlete: Athlete, *, distance_m: float, time_s: float, date: dt.date,
                    race_name: str = "") -> tuple[RaceResult, Replan]:
    """Record a race; when it moves the VDOT, re-plan the upcoming sessions."""
    before = current_vdot(athlete)
    result = RaceResult.objects.create(athlete=athlete, distance_m=distance_m, time_s=time_s,
                                       date=date, race_name=race_name)
    return result, _replan_if_vdot_changed(athlete, before)


@transaction.atomic
def delete_race_result(result: RaceResult) -> Replan:
    """Remove a race; when that moves the VDOT, re-plan the upcoming sessions."""
    athlete = result.athlete
    before = current_vdot(athlete)
    result.delete()
    return _replan_if_vdot_changed(athlete, before)


@transaction.atomic
def set_pace_override(athlete: Athlete, *, zone: str, fast_s_per_km: float,
                      slow_s_per_km: float) -> Replan:
    """Set the coach's sea-level pace band for one zone and re-plan the upcoming sessions."""
    existing = PaceOverride.objects.filter(athlete=athlete, zone=zone).first()
    if existing is not None and (existing.fast_s_per_km, existing.slow_s_per_km) == (
            fast_s_per_km, slow_s_per_km):
        return Replan(ran=False)
    PaceOverride.objects.update_or_create(
        athlete=athlete, zone=zone,
        defaults={"fast_s_per_km": fast_s_per_km, "slow_s_per_km": slow_s_per_km},
    )
    return replan_athlete(athlete)


@transaction.atomic
def set_goal(athlete: Athlete, *, block: Block, time_s: float | None) -> Replan:
    """Set the athlete's goal time for the block's goal race (None clears it, back to the
    VDOT's pace) and re-plan their upcoming sessions in that block."""
    existing = AthleteGoal.objects.filter(block=block, athlete=athlete).first()
    if (existing.time_s if existing else None) == time_s:
        return Replan(ran=False)
    if time_s is None:
        existing.delete()
    else:
        AthleteGoal.objects.update_or_create(block=block, athlete=athlete,
                                             defaults={"time_s": time_s})
    return replan_athlete(athlete, blocks=[block])


@transaction.atomic
def clear_pace_override(athlete: Athlete, *, zone: str) -> Replan:
    """Go back to the VDOT pace for one zone and re-plan the upcoming sessions."""
    deleted, _ = PaceOverride.objects.filter(athlete=athlete, zone=zone).delete()
    if not deleted:
        return Replan(ran=False)
    return replan_athlete(athlete)
