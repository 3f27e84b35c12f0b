"""How sessions are planned: each athlete's targets, moving and copying sessions, re-planning.

Write workflows, each in one transaction. ``plan_session`` turns a session's notation into its
planned steps and every athlete's targets: the one place targets come from, so moving
(``move_session``), copying (``copy_session``, ``copy_week``) and re-planning go through it.
Re-planning has one function per cause: ``replan_block`` after the block was edited (its
athletes, altitude or goal times), ``replan_athlete`` after an athlete's paces changed (a race
result, a pace override, a goal time: ``sessions.athlete_changes``). Both replace the plan of
the same sessions: ``Session.objects.upcoming_unlogged()``.

The read models of the planning pages live beside this: ``sessions.block_calendar`` (the block
page) and ``sessions.step_rows`` (a workout as rows, the live preview).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from athletes.models import Athlete, Zone, keep_pace_rows
from coach import notation, pace

from . import history
from .models import AthleteVersion, Block, PlannedStep, PlannedTarget, Session, Slot, StepKind

SLOTS = Slot.values

QUALITY_ZONES = {Zone.M, Zone.T, Zone.T_PLUS, Zone.I, Zone.R}  # every zone but E


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

    The squad's steps (``PlannedStep.athlete`` empty) are planned for the athletes who follow
    the squad; an athlete with their own version (``AthleteVersion``) gets that version's steps
    and targets, and its totals. The versions are kept: editing the squad's notation re-plans
    only its followers. A constant number of queries, whatever the number of athletes.
    Raises ``notation.NotationError`` for a notation that does not parse (nothing is written).
    """
    workout = notation.parse(session.notation)
    block = session.block
    versions = list(session.versions.all())
    own = {version.athlete_id: _parse_version(version) for version in versions}
    session.steps.all().delete()
    plans = [(None, workout), *own.items()]
    steps = PlannedStep.objects.bulk_create([
        _planned_step(session, athlete_id, position, step)
        for athlete_id, parsed in plans
        for position, step in enumerate(parsed.steps, start=1)
    ])
    work: dict[int | None, list[PlannedStep]] = defaultdict(list)
    for planned in steps:
        if planned.kind == StepKind.WORK:
            work[planned.athlete_id].append(planned)
    targets = []
    goal_times = block.goal_times()
    for athlete in keep_pace_rows(list(block.coached_athletes())):
        profile = block.profile_for(athlete, goal_times)
        followed = athlete.pk if athlete.pk in own else None
        resolved = notation.resolve(own.get(athlete.pk, workout), profile)
        for planned, r in zip(work[followed], resolved, strict=True):
            targets.append(_planned_target(planned, athlete, r, profile))
    PlannedTarget.objects.bulk_create(targets)
    _store_totals(session, workout)
    session.save(update_fields=["rep_count", "work_distance_m", "total_distance_m",
                                "work_duration_s", "estimated_duration_s", "is_quality",
                                "updated"])
    for version in versions:
        _store_totals(version, own[version.athlete_id])
    if versions:
        AthleteVersion.objects.bulk_update(versions, [
            "rep_count", "work_distance_m", "total_distance_m", "work_duration_s",
            "estimated_duration_s", "is_quality"])
    return workout


@transaction.atomic
def plan_athlete(session: Session, athlete: Athlete) -> None:
    """Re-plan one athlete in a session, leaving everyone else's plan as it is: their own
    version's steps and targets when they have one, else their targets on the squad's steps
    (after "back to the squad's"). Constant queries. Raises ``notation.NotationError`` when the
    workout they follow no longer parses (nothing is written)."""
    block = session.block
    version = session.versions.filter(athlete=athlete).first()
    workout = _parse_version(version) if version else notation.parse(session.notation)
    PlannedStep.objects.filter(session=session, athlete=athlete).delete()
    PlannedTarget.objects.filter(step__session=session, athlete=athlete).delete()
    Session.objects.filter(pk=session.pk).update(updated=timezone.now())  # calendar feeds
    if version is not None:
        steps = PlannedStep.objects.bulk_create([
            _planned_step(session, athlete.pk, position, step)
            for position, step in enumerate(workout.steps, start=1)
        ])
        _store_totals(version, workout)
        version.save()
    else:
        steps = list(session.steps.squad().order_by("position"))
    if not block.coached_athletes().filter(pk=athlete.pk).exists():
        return  # planning leaves out athletes who left or moved to another coach
    profile = block.profile_for(athlete)
    resolved = notation.resolve(workout, profile)
    work = [planned for planned in steps if planned.kind == StepKind.WORK]
    PlannedTarget.objects.bulk_create(
        _planned_target(planned, athlete, r, profile)
        for planned, r in zip(work, resolved, strict=True)
    )


def _parse_version(version: AthleteVersion) -> notation.Workout:
    try:
        return notation.parse(version.notation)
    except notation.NotationError as exc:
        raise notation.NotationError(
            exc.column, f"{version.athlete.display_name}’s version: {exc.message}", exc.text
        ) from exc


def _planned_step(session: Session, athlete_id: int | None, position: int,
                  step: notation.Step) -> PlannedStep:
    return PlannedStep(
        session=session, athlete_id=athlete_id, position=position, kind=StepKind.of(step),
        set_number=step.set_index, rep_number=step.rep_number, label=step.label or "",
        distance_m=step.distance_m, duration_s=step.duration_s,
        target_text=step.target_text[:80], lactate_lo=_first(step, "lactate", "lo"),
        lactate_hi=_first(step, "lactate", "hi"), mode=step.mode or "",
    )


def _planned_target(planned: PlannedStep, athlete: Athlete, r: notation.ResolvedStep,
                    profile: pace.PaceProfile) -> PlannedTarget:
    return PlannedTarget(
        step=planned, athlete=athlete, target_lo_s=r.target_lo_s,
        target_hi_s=r.target_hi_s, sea_level_lo_s=r.sea_level_lo_s,
        sea_level_hi_s=r.sea_level_hi_s, pace_lo_s_per_km=r.pace_lo_s_per_km,
        pace_hi_s_per_km=r.pace_hi_s_per_km,
        sea_level_pace_lo_s_per_km=r.sea_level_pace_lo_s_per_km,
        sea_level_pace_hi_s_per_km=r.sea_level_pace_hi_s_per_km,
        source=(r.source or "")[:40], origin=target_origin(r, profile)[:160],
    )


def _store_totals(plan: Session | AthleteVersion, workout: notation.Workout) -> None:
    plan.rep_count = workout.rep_count
    plan.work_distance_m = workout.work_distance_m
    plan.total_distance_m = workout.total_distance_m
    plan.work_duration_s = workout.work_duration_s
    plan.estimated_duration_s = workout.estimated_duration_s()
    plan.is_quality = _is_quality(workout)


def _first(step: notation.Step, kind: str, end: str) -> float | None:
    for target in step.targets:
        if target.kind == kind:
            return getattr(target, end)
    return None


class PlanningError(ValueError):
    """A planning request that cannot be done as asked; the message says why, for the coach."""


class SlotTaken(PlanningError):
    """The day and time of day already hold a session."""

    def __init__(self, occupant: Session) -> None:
        self.occupant = occupant
        super().__init__(
            f"{occupant.date:%a %-d %b} {occupant.slot} already has “{occupant.title}”."
        )


def _check_in_block(block: Block, day: dt.date) -> None:
    if not block.contains(day):
        raise PlanningError(block.outside_text(day))


def _occupant(block: Block, day: dt.date, slot: str, *, exclude: int | None = None):
    return (
        Session.objects.select_for_update()
        .filter(block=block, date=day, slot=slot)
        .exclude(pk=exclude)
        .first()
    )


# --- workflows ------------------------------------------------------------------------------


@transaction.atomic
def move_session(
    session: Session, *, date: dt.date, slot: str, swap: bool = False
) -> Session | None:
    """Move a session to another day and/or time of day of its block.

    When the place is taken: raise ``SlotTaken``, or with ``swap`` trade places with the
    session there (returned). Targets do not depend on the day, so nothing is re-planned.
    """
    block = session.block
    _check_in_block(block, date)
    if slot not in SLOTS:
        raise PlanningError(f"{slot!r} is not a time of day (AM or PM).")
    if (session.date, session.slot) == (date, slot):
        return None
    other = _occupant(block, date, slot, exclude=session.pk)
    if other is not None and not swap:
        raise SlotTaken(other)
    old_date, old_slot = session.date, session.slot
    if other is not None:  # park it out of the way of the unique constraint while swapping
        Session.objects.filter(pk=other.pk).update(slot="")
    # ``updated``: calendar feeds see the move. A new version: an edit form drawn before the
    # move would put the old day back (sessions/history.py); and a history row for each
    # session moved.
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(date=date, slot=slot, updated=now,
                                                 version=F("version") + 1)
    session.date, session.slot, session.updated = date, slot, now
    moved = [session]
    if other is not None:
        Session.objects.filter(pk=other.pk).update(date=old_date, slot=old_slot, updated=now,
                                                   version=F("version") + 1)
        other.date, other.slot, other.updated = old_date, old_slot, now
        moved.append(other)
    versions = dict(Session.objects.filter(pk__in=[r.pk for r in moved])
                    .values_list("pk", "version"))  # one read for both
    for row in moved:
        row.version = versions[row.pk]
    history.record(moved, reason="moved" if other is None else "swapped")
    return other


def _clone(session: Session, *, date: dt.date, slot: str) -> Session:
    copy = Session.objects.create(
        block=session.block, date=date, slot=slot, title=session.title,
        notation=session.notation, notes=session.notes, tolerance_pct=session.tolerance_pct,
    )
    bulk_create_with_history([  # the athletes' own versions go with the copy
        AthleteVersion(session=copy, athlete_id=v.athlete_id, notation=v.notation,
                       squad_notation=v.squad_notation)
        for v in session.versions.all()
    ], AthleteVersion)
    plan_session(copy)
    return copy


@transaction.atomic
def copy_session(session: Session, *, date: dt.date, slot: str) -> Session:
    """Copy a session to another day of its block, planned afresh with today's paces."""
    _check_in_block(session.block, date)
    if slot not in SLOTS:
        raise PlanningError(f"{slot!r} is not a time of day (AM or PM).")
    other = _occupant(session.block, date, slot)
    if other is not None:
        raise SlotTaken(other)
    return _clone(session, date=date, slot=slot)


@dataclass
class WeekCopy:
    """What ``copy_week`` did: the new sessions, and those it left out with the reason."""

    source: dt.date
    target: dt.date
    copied: list[Session] = field(default_factory=list)
    skipped: list[tuple[Session, str]] = field(default_factory=list)

    def summary(self) -> str:
        week = f"the week of {self.target:%a %-d %b}"
        if not self.copied and not self.skipped:
            return f"The week of {self.source:%a %-d %b} has no sessions to copy."
        done = (f"Copied {len(self.copied)} session{'s' if len(self.copied) != 1 else ''} "
                f"to {week}.")
        if not self.skipped:
            return done
        reasons = "; ".join(f"{s.date:%a} {s.slot} “{s.title}”: {why}" for s, why in self.skipped)
        return f"{done} Not copied: {reasons}."


@transaction.atomic
def copy_week(block: Block, *, source: dt.date, target: dt.date) -> WeekCopy:
    """Copy the sessions of the week starting ``source`` to the week starting ``target``.

    Each keeps its weekday and time of day and is planned afresh. A session whose new place is
    taken, or falls outside the block, is left out and reported; the others are copied.
    """
    if source.weekday() != 0 or target.weekday() != 0:
        raise PlanningError("Weeks start on a Monday.")
    if source == target:
        raise PlanningError("Pick a different week to copy to.")
    shift = target - source
    result = WeekCopy(source=source, target=target)
    sessions = list(
        block.sessions.filter(date__range=(source, source + dt.timedelta(days=6)))
        .order_by("date", "slot")
    )
    taken = {
        (s.date, s.slot): s
        for s in Session.objects.select_for_update().filter(
            block=block, date__range=(target, target + dt.timedelta(days=6))
        )
    }
    for session in sessions:
        day = session.date + shift
        if not block.contains(day):
            result.skipped.append((session, f"{day:%-d %b} is outside the block"))
        elif (day, session.slot) in taken:
            occupant = taken[(day, session.slot)]
            result.skipped.append((session, f"{day:%a %-d %b} {session.slot} already has "
                                            f"“{occupant.title}”"))
        else:
            result.copied.append(_clone(session, date=day, slot=session.slot))
    return result


# --- re-planning: one function per cause -----------------------------------------------------


def plan_inputs(block: Block) -> tuple:
    """What a block's targets depend on besides each session's notation: its athletes, altitude,
    goal race and goal times. Taken before an edit, for ``replan_block``."""
    athletes = tuple(sorted(block.athletes.values_list("pk", flat=True)))
    goals = tuple(sorted(block.goals.values_list("athlete_id", "time_s")))
    return (athletes, block.altitude_m, block.goal_distance_m, goals)


@transaction.atomic
def replan_block(block: Block, *, before: tuple) -> int:
    """After the block was edited: when what its targets depend on changed since ``before``
    (``plan_inputs`` taken before the edit), re-plan its upcoming unlogged sessions
    (``Session.objects.upcoming_unlogged``). Past and logged sessions keep the targets they were
    planned with. Returns how many were re-planned: 0 when nothing changed."""
    if plan_inputs(block) == before:
        return 0
    count = 0
    for session in block.sessions.upcoming_unlogged():
        session._change_reason = "targets re-planned: the block changed"  # its history row
        plan_session(session)
        count += 1
    return count


@dataclass
class Replan:
    """What re-planning an athlete's upcoming sessions did after their paces changed.

    ``ran`` is False when nothing that sets targets changed (a race that leaves the VDOT as it
    was), so nothing was re-planned. ``changed`` counts the sessions whose targets for this
    athlete differ afterwards; ``failed`` the sessions whose notation no longer parses (they
    keep their old plan)."""

    ran: bool = True
    replanned: int = 0
    changed: int = 0
    failed: list[Session] = field(default_factory=list)

    def summary(self) -> str:
        if not self.ran:
            return ""
        if self.changed:
            text = f"Targets updated in {self.changed} upcoming session{'s' * (self.changed != 1)}."
        elif self.replanned:
            text = "Targets in upcoming sessions are unchanged."
        else:
            text = "" if self.failed else "No upcoming sessions to update."
        if self.failed:
            names = "; ".join(f"{s.date:%a %-d %b} {s.slot} “{s.title}”" for s in self.failed)
            text += f" Not re-planned, its notation no longer reads: {names}."
            text = text.strip()
        return text


def _upcoming_for(athlete: Athlete, blocks: Iterable[Block] | None = None) -> list[Session]:
    """The athlete's upcoming unlogged sessions with reps (``Session.objects.upcoming_unlogged``;
    only reps have targets), in their blocks that are not archived (only ``blocks``, when
    given) and whose coach still coaches them."""
    sessions: list[Session] = []
    if not athlete.user.is_active:  # planning leaves out athletes who left
        return sessions
    upcoming = Session.objects.upcoming_unlogged().filter(rep_count__gt=0)
    mine = athlete.blocks.filter(archived=False, pk__in=upcoming.values("block"))
    if blocks is not None:
        mine = mine.filter(pk__in=[b.pk for b in blocks])
    for block in mine:
        if not block.coached_athletes().filter(pk=athlete.pk).exists():
            continue  # a block of a coach they left: planning leaves them out there
        sessions += upcoming.filter(block=block).select_related("block").order_by("date", "slot")
    return sessions


def _targets_of(athlete: Athlete, sessions: Sequence[Session]) -> dict[int, set[tuple]]:
    rows = PlannedTarget.objects.filter(
        athlete=athlete, step__session__in=[s.pk for s in sessions]
    ).values_list("step__session_id", "step__position", "target_lo_s", "target_hi_s",
                  "pace_lo_s_per_km", "pace_hi_s_per_km")
    found: dict[int, set[tuple]] = defaultdict(set)
    for session_id, *values in rows:
        found[session_id].add(tuple(None if v is None else round(v, 2) for v in values))
    return found


def replan_athlete(athlete: Athlete, blocks: Iterable[Block] | None = None) -> Replan:
    """After the athlete's paces changed (a race result, a pace override, a goal time): re-plan
    their upcoming unlogged sessions (in ``blocks``, when given), each in a savepoint: a session
    whose notation no longer parses keeps its plan and is reported."""
    sessions = _upcoming_for(athlete, blocks)
    if not sessions:
        return Replan()
    before = _targets_of(athlete, sessions)
    done = Replan()
    for session in sessions:
        try:
            with transaction.atomic():
                session._change_reason = (f"targets re-planned: {athlete.display_name}’s "
                                          "paces changed")  # its history row
                plan_session(session)
        except notation.NotationError:
            done.failed.append(session)
        else:
            done.replanned += 1
    after = _targets_of(athlete, sessions)
    failed = {s.pk for s in done.failed}
    done.changed = sum(1 for s in sessions
                       if s.pk not in failed and before.get(s.pk) != after.get(s.pk))
    return done
