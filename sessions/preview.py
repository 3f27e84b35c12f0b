"""The live preview of a workout being typed, and the block's athletes it is drawn for:
each athlete's resolved reps and targets as rows (``build_preview``, from ``step_rows``), where
the targets came from, the session's estimated duration and the warnings for implausible
volumes (``volume_warnings``). The session form and its htmx preview use it
(``sessions.views``), and so do the athletes' own versions (``sessions.versions``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from athletes.models import Athlete, PaceOverride, RaceResult, User, keep_pace_rows
from coach import notation, pace, prepared

from .models import Block
from .planning import target_origin
from .step_rows import (
    StepItem,
    StepRow,
    group_steps,
    items_from_workout,
    origin_line,
    recovery_counts,
)
from .volumes import minutes_label, run_amount, timed_seconds, volume_label


@dataclass
class AthletePlan:
    athlete: Athlete
    resolved: tuple[notation.ResolvedStep, ...]
    duration_s: float
    origins: str = ""


@dataclass
class Preview:
    """What the live preview shows for one workout and the block's athletes."""

    workout: notation.Workout
    athletes: list[Athlete]
    rows: list[StepRow]
    durations: list[float]
    items: list[StepItem] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recoveries(self) -> list[tuple[int, str]]:
        return recovery_counts(self.items)

    @property
    def work(self) -> str:
        return volume_label(self.workout.work_distance_m, self.workout.work_duration_s)

    @property
    def recovery(self) -> str:
        return volume_label(self.workout.recovery_distance_m, self.workout.recovery_duration_s)

    @property
    def volume(self) -> str:
        """The whole session: ``17.4 km``, ``50 min`` for an easy run by time."""
        workout = self.workout
        timed = timed_seconds(workout.steps)
        if not workout.rep_count:
            return run_amount(workout.total_distance_m, timed) or "0 km"
        return volume_label(workout.total_distance_m, timed)

    @property
    def volume_warnings(self) -> list[str]:
        return volume_warnings(self.workout, max(self.durations))

    @property
    def duration_label(self) -> str:
        """``≈ 62–64 min``, ``≈ 1 h 35 min``: the estimated time, as a range over athletes."""
        low, high = (round(min(self.durations) / 60), round(max(self.durations) / 60))
        if low == high:
            return f"≈ {minutes_label(low * 60)}"
        if high < 60:
            return f"≈ {low}–{high} min"
        return f"≈ {minutes_label(low * 60)} – {minutes_label(high * 60)}"


MAX_PLAUSIBLE_WORK_M = 50_000.0
MAX_PLAUSIBLE_DURATION_S = 5 * 3600.0


def volume_warnings(workout: notation.Workout, duration_s: float) -> list[str]:
    """Warnings (not refusals) for a session bigger than any a coach means to plan: over 50 km
    of work (``500x400`` is 200 km) or over 5 hours by the estimate. Usually a typo."""
    warnings = []
    work = workout.work_distance_m
    if work > MAX_PLAUSIBLE_WORK_M:
        warnings.append(
            f"This is {work / 1000:g} km of work ({workout.rep_count} reps), more than "
            f"{MAX_PLAUSIBLE_WORK_M / 1000:g} km: check the number of reps and their distance."
        )
    if duration_s > MAX_PLAUSIBLE_DURATION_S:
        warnings.append(
            f"This session would take about {minutes_label(duration_s)}, more than "
            f"{minutes_label(MAX_PLAUSIBLE_DURATION_S)}: check the reps, distances and times."
        )
    return warnings


def estimated_duration(
    workout: notation.Workout, resolved: Sequence[notation.ResolvedStep] | None,
    profile: pace.PaceProfile | None,
) -> float:
    """A session's length for one athlete: reps at the middle of their target, other
    distances at the slow end of their E pace (walks at twice that)."""
    easy = profile.adjusted("E") if profile is not None else None
    return workout.estimated_duration_s(
        easy_s_per_km=easy[1] if easy else 330.0, resolved=resolved
    )


def block_athletes(block: Block, coach=None) -> list[Athlete]:
    """The athletes the block plans for (``Block.coached_athletes``) with what their paces
    need (``athletes.models.keep_pace_rows``), in three queries. ``coach``: the block's coach
    when the caller has them signed in (the coach is not fetched again)."""
    if coach is not None and coach.pk == block.coach_id:
        # coached_athletes(), as planned; compiled once (``coach.prepared``)
        if not coach.is_authenticated or not coach.is_coach:  # ``for_coach``: nobody
            return []
        found = prepared.objects("block_athletes.coached", _coached_query, block.pk, coach.pk)
    else:
        found = list(block.coached_athletes().order_by("display_name"))
    return keep_pace_rows(found)


def keep_paces(found: list[Athlete]) -> list[Athlete]:
    """``found`` with what ``prefetch_related("race_results", "pace_overrides")`` would read
    (two queries, none without athletes), compiled once per number of athletes, kept where
    the related managers look (the models' default order)."""
    if not found:
        return found
    ids = [a.pk for a in found]
    for name, build in (("race_results", _races_query), ("pace_overrides", _overrides_query)):
        by_athlete: dict[int, list] = defaultdict(list)
        for row in prepared.objects(f"block_athletes.{name}", build, ids):
            by_athlete[row.athlete_id].append(row)
        for athlete in found:
            for row in by_athlete[athlete.pk]:
                row.athlete = athlete  # as the prefetch sets it
            _keep_prefetched(athlete, name, by_athlete[athlete.pk])
    return found


def _coached_query(block_id: int, coach_id: int):
    coach = User(pk=coach_id, is_coach=True, is_active=True)  # who, for the rule only
    return (Athlete.objects.filter(blocks=block_id).active().for_coach(coach)
            .order_by("display_name"))


def _races_query(athlete_ids: list[int]):
    return RaceResult.objects.filter(athlete_id__in=athlete_ids)


def _overrides_query(athlete_ids: list[int]):
    return PaceOverride.objects.filter(athlete_id__in=athlete_ids)


def _keep_prefetched(athlete: Athlete, name: str, objects: list) -> None:
    """Keep ``objects`` as ``athlete.<name>.all()``, as ``prefetch_related`` does."""
    queryset = getattr(athlete, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    athlete.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _origin_pairs(resolved: Sequence[notation.ResolvedStep],
                  profile: pace.PaceProfile) -> list[tuple[str, str]]:
    """``(target, origin)`` of each rep for ``origin_line``: each zone's origin worded once."""
    origins: dict[tuple, str] = {}
    pairs = []
    for step in resolved:
        key = (step.zone, step.lactate_lo is None)  # all target_origin reads of the step
        if key not in origins:
            origins[key] = target_origin(step, profile)
        pairs.append((step.source or "", origins[key]))
    return pairs


# Each athlete's plan of a workout (``_plan_of``), by the workout, then by the athlete's pace
# profile: a pure function of the two (both frozen, compared by value), asked again for every
# athlete on every preview and form of a session. Bounded: past a limit a level starts afresh,
# and past MEMO_PLANS plans in all (every workout's together: a coach typing makes a new
# workout at every pause) the whole memo does.
MEMO_WORKOUTS = 256
MEMO_PROFILES = 1024
MEMO_PLANS = 8192
_plans_made = [0]  # plans put in the memo since it was last emptied
Plan = tuple[tuple[notation.ResolvedStep, ...], str, float]
_plans: dict[notation.Workout, dict[pace.PaceProfile, Plan]] = {}


def _plans_of(workout: notation.Workout) -> dict[pace.PaceProfile, Plan]:
    """The plans of ``workout`` made so far, by profile (the workout hashed once a preview)."""
    found = _plans.get(workout)
    if found is None:
        if len(_plans) >= MEMO_WORKOUTS:
            _plans.clear()
        found = _plans[workout] = {}
    return found


def _alike_reps(workout: notation.Workout) -> tuple[list[notation.Step], list[int]]:
    """The workout's reps grouped as ``notation.resolve`` groups the reps alike (the same amount
    and targets: the twelve of ``12x400 @ T``): each group's first rep, and each rep's group."""
    firsts: list[notation.Step] = []
    index: list[int] = []
    groups: dict[tuple, int] = {}
    for step in workout.work_steps:
        key = (step.distance_m, step.duration_s, step.targets)  # all resolve_step reads
        found = groups.get(key)
        if found is None:
            found = groups[key] = len(firsts)
            firsts.append(step)
        index.append(found)
    return firsts, index


def _resolved(alike: tuple[list[notation.Step], list[int]],
              profile: pace.PaceProfile) -> tuple[notation.ResolvedStep, ...]:
    """``notation.resolve(workout, profile)`` as the preview reads it (the targets, never the
    step): the reps alike share their first rep's resolved step, made once per profile, not
    copied for each rep."""
    firsts, index = alike
    done = [notation.resolve_step(step, profile) for step in firsts]
    return tuple(done[i] for i in index)


def _plan_of(workout: notation.Workout, profile: pace.PaceProfile,
             made: dict[pace.PaceProfile, Plan] | None = None,
             alike: tuple[list[notation.Step], list[int]] | None = None) -> Plan:
    """The workout resolved for ``profile`` (``_resolved``), where its targets came from
    (``origin_line``) and its estimated duration, made once per workout and profile
    (``made``: ``_plans_of``; ``alike``: ``_alike_reps`` of the workout, when the caller has
    them). The resolved steps hold the step of the first of their reps alike, possibly of an
    equal workout parsed before: what the preview reads of them, the targets, is the same."""
    if made is None:
        made = _plans_of(workout)
    found = made.get(profile)
    if found is None:
        resolved = _resolved(alike or _alike_reps(workout), profile)
        found = (resolved, origin_line(_origin_pairs(resolved, profile)),
                 estimated_duration(workout, resolved, profile))
        if len(made) >= MEMO_PROFILES:
            made.clear()
        if _plans_made[0] >= MEMO_PLANS:
            _plans.clear()
            _plans_made[0] = 0
        made[profile] = found
        _plans_made[0] += 1
    return found


def build_preview(workout: notation.Workout, block: Block, athletes: Sequence[Athlete], *,
                  goal_times: dict[int, float] | None = None) -> Preview:
    plans = []
    if goal_times is None:
        goal_times = block.goal_times() if athletes else {}
    made = _plans_of(workout) if athletes else {}
    alike = None
    for athlete in athletes:
        profile = block.profile_for(athlete, goal_times)
        found = made.get(profile)
        if found is None:
            if alike is None:  # the reps grouped once a preview
                alike = _alike_reps(workout)
            found = _plan_of(workout, profile, made, alike)
        resolved, origins, duration = found
        plans.append(AthletePlan(athlete, resolved, duration, origins))
    items = items_from_workout(workout, [p.resolved for p in plans])
    durations = [p.duration_s for p in plans] or [estimated_duration(workout, None, None)]
    rows = group_steps(items, [a.display_name for a in athletes])
    return Preview(workout=workout, athletes=list(athletes), rows=rows, durations=durations,
                   items=items,
                   sources=[(p.athlete.display_name, p.origins) for p in plans if p.origins])
