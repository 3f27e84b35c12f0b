"""Athlete and block trends: intensity distribution by volume, VDOT over time, race
predictions (docs/overview.md, "Athlete and block trends").

The weekly volumes, session-RPE load and acute:chronic ratio are ``sessions.training_load``'s;
this module adds what that one does not hold. Everything is summed in the database (by athlete,
week, named class and pace), in a fixed number of queries whatever the length of the history.

Intensity (easy slower than M; threshold from M to T+ or lactate 2-4 mmol/L; hard faster than
T+), for each rep, the first rule that applies:

1. a lactate target: its middle below 2 mmol/L is easy, 2-4 threshold, above 4 hard;
2. a named zone or race pace: E easy; M, T, T+, half-marathon, marathon, 10k and 5k pace
   threshold; I, R, 3k, mile, 1500 and 800 pace hard;
3. a time or pace (and ``goal``/``race`` pace): the middle of its pace against the athlete's
   current M pace (slower: easy) and the fast end of T+ (faster: hard);
4. otherwise "no target" (an RPE rep, strides written without a target).

Everything that is not a rep (warm-up, recoveries jogged, cool-down, easy runs) is easy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from athletes.models import Athlete, RaceResult
from coach import formats, pace, prepared

from . import training_load as load
from .models import (
    AthleteVersion,
    PlannedStep,
    PlannedTarget,
    RepResult,
    Session,
    SessionLog,
    StepKind,
)

EASY, THRESHOLD, HARD, UNKNOWN = "easy", "threshold", "hard", "unknown"
INTENSITIES = (EASY, THRESHOLD, HARD, UNKNOWN)
INTENSITY_LABELS = {EASY: "Easy", THRESHOLD: "Threshold", HARD: "Hard", UNKNOWN: "No target"}

LACTATE_EASY_BELOW = 2.0  # mmol/L
LACTATE_HARD_ABOVE = 4.0

EASY_TARGETS = ("E",)
THRESHOLD_TARGETS = ("M", "T", "T+", "HM pace", "marathon pace", "10k pace", "5k pace")
HARD_TARGETS = ("I", "R", "3k pace", "mile pace", "1500 pace", "800 pace")

NOT_RUNNING = ("walk", "stand", "rest")  # recovery modes that are not running

PREDICTED_RACES = ("1500", "mile", "3k", "5k", "10k", "HM", "marathon")


# --- the athlete's zone boundaries --------------------------------------------------------------


@dataclass(frozen=True)
class Boundaries:
    """An athlete's sea-level paces (s/km) that split intensities: slower than ``m`` is easy,
    faster than ``t_plus`` (the fast end of T+) hard; ``easy`` the middle of E, the pace at
    which running written by time only counts as distance; ``t`` the T pace, at which a timed
    rep without a pace of its own (``5x6min @ 2.5 mmol``) counts. Each None when unknown."""

    m: float | None
    t_plus: float | None
    easy: float | None
    t: float | None = None


def boundaries(athletes: Iterable[Athlete]) -> dict[int, Boundaries]:
    """Each athlete's boundaries from their current paces (VDOT, the coach's overrides).
    Prefetch ``race_results`` and ``pace_overrides``."""
    found = {}
    for athlete in athletes:
        profile = athlete.pace_profile()
        m, t_plus, easy, t = (profile.sea_level(zone) for zone in ("M", "T+", "E", "T"))
        found[athlete.pk] = Boundaries(m=m[0] if m else None, t_plus=t_plus[0] if t_plus else None,
                                       easy=(easy[0] + easy[1]) / 2 if easy else None,
                                       t=t[0] if t else None)
    return found


def _with_paces(athlete_ids: Iterable[int]) -> list[Athlete]:
    return list(Athlete.objects.filter(pk__in=list(athlete_ids))
                .prefetch_related("race_results", "pace_overrides"))


NAMED = Case(  # the class a rep's lactate band or named zone gives, else NULL (rules 1 and 2)
    When(lactate_mid__lt=LACTATE_EASY_BELOW, then=Value(EASY)),
    When(lactate_mid__gt=LACTATE_HARD_ABOVE, then=Value(HARD)),
    When(lactate_mid__isnull=False, then=Value(THRESHOLD)),
    When(zone_text__in=EASY_TARGETS, then=Value(EASY)),
    When(zone_text__in=THRESHOLD_TARGETS, then=Value(THRESHOLD)),
    When(zone_text__in=HARD_TARGETS, then=Value(HARD)),
    default=Value(None),
)


def classify(named: str | None, pace_mid: float | None, bounds: Boundaries) -> str:
    """A rep's intensity: ``named`` (by its lactate band or zone name) when it has one, else
    its pace (s/km) against the athlete's boundaries (rule 3), else ``UNKNOWN``."""
    if named:
        return named
    if pace_mid is None or bounds.m is None or bounds.t_plus is None:
        return UNKNOWN
    if pace_mid > bounds.m:
        return EASY
    return HARD if pace_mid < bounds.t_plus else THRESHOLD


def _middle(lo: str, hi: str):
    return (F(lo) + Coalesce(F(hi), F(lo))) / 2.0


def _metres_at(seconds: float | None, pace_s_per_km: float | None) -> float:
    """Running written by time, as metres at a pace; nothing when either is unknown."""
    return seconds * 1000 / pace_s_per_km if seconds and pace_s_per_km else 0.0


# --- the figures --------------------------------------------------------------------------------


@dataclass
class Distribution:
    """Metres by intensity, planned and done, for one athlete and one week (or a period)."""

    planned: dict[str, float] = field(default_factory=lambda: dict.fromkeys(INTENSITIES, 0.0))
    done: dict[str, float] = field(default_factory=lambda: dict.fromkeys(INTENSITIES, 0.0))

    def __iadd__(self, other: Distribution) -> Distribution:
        for key in INTENSITIES:
            self.planned[key] += other.planned[key]
            self.done[key] += other.done[key]
        return self

    @staticmethod
    def shares(metres: dict[str, float]) -> dict[str, float]:
        """Each intensity's share of the volume (0-1); all zero without volume."""
        total = sum(metres.values())
        return {k: (v / total if total else 0.0) for k, v in metres.items()}

    @property
    def done_shares(self) -> dict[str, float]:
        return self.shares(self.done)

    @property
    def planned_shares(self) -> dict[str, float]:
        return self.shares(self.planned)

    @property
    def done_total(self) -> float:
        return sum(self.done.values())

    @property
    def planned_total(self) -> float:
        return sum(self.planned.values())


def intensity_by_week(athlete_ids: Iterable[int], first_week: dt.date, weeks: int, *,
                      athletes: Iterable[Athlete] | None = None,
                      joined: dict[int, dt.date] | None = None,
                      ) -> dict[tuple[int, dt.date], Distribution]:
    """Metres by intensity for each athlete and each Monday-to-Sunday week from the week of
    ``first_week``, ``weeks`` long: every key present, weeks without running zero. Eight
    queries whatever the length of the history; four when given the ``athletes`` (with
    ``race_results`` and ``pace_overrides`` prefetched) and their ``joined`` dates
    (``training_load.joined_dates``)."""
    ids = list(athlete_ids)
    first_week = load.week_start(first_week)
    start, end = first_week, first_week + dt.timedelta(days=7 * weeks - 1)
    result = {(a, first_week + dt.timedelta(days=7 * w)): Distribution()
              for a in ids for w in range(weeks)}
    if not ids or weeks <= 0:
        return result
    bounds = boundaries(_with_paces(ids) if athletes is None else athletes)
    joined = load.joined_dates(ids) if joined is None else joined
    planned = (ids, start, end, *load.joined_late(joined, start))  # planned_sessions' arguments

    mondays: dict = {}  # each week as the database returns it (a date, a datetime): its Monday

    def add(rows, side: str) -> None:
        for athlete_id, week, intensity, metres in rows:
            if metres:
                monday = mondays.get(week) or mondays.setdefault(
                    week, load.week_start(load.as_date(week)))
                getattr(result[athlete_id, monday], side)[intensity] += metres

    # Each query is compiled once per shape (coach.prepared): building them is most of the cost.
    # They sum by week (not by day, then in Python): 1,201 rows instead of 3,293 (seed_scale).
    add(_classed(prepared.rows("planned_reps", _planned_reps, *planned)[1], bounds), "planned")
    add(_easy(prepared.rows("planned_easy", _planned_easy, *planned)[1], bounds), "planned")
    add(_classed(prepared.rows("done_reps", _done_reps, ids, start, end)[1], bounds), "done")
    add(_easy(prepared.rows("done_easy", _done_easy, ids, start, end)[1], bounds), "done")
    return result


def _easy(rows, bounds: dict[int, Boundaries]):
    """Rows ``(athlete, week, metres, by_time_s)`` of easy running, as ``(athlete, week, EASY,
    metres)``: what is written by time only at the athlete's E pace."""
    return [(a, week, EASY, (m or 0.0) + _metres_at(by_time, bounds[a].easy))
            for a, week, m, by_time in rows]


def _classed(rows, bounds: dict[int, Boundaries]):
    """Rows ``(athlete, week, named, pace_mid, metres, timed_s)`` summed by the database, as
    ``(athlete, week, intensity, metres)``: the pace rule applied with each athlete's
    boundaries; ``timed_s``, running by time with no pace of its own, at their T pace."""
    for athlete_id, week, named, pace_mid, metres, timed_s in rows:
        b = bounds[athlete_id]
        yield (athlete_id, week, classify(named, pace_mid, b),
               (metres or 0.0) + _metres_at(timed_s, b.t))


PAIR_BASE = 2**31  # athlete ids below it: ``pair_key`` is then one number per pair


def pair_key(session: str, athlete: str):
    """A (session id, athlete id) pair as one number, ``session * 2**31 + athlete``: distinct
    for distinct pairs while athlete ids stay below 2**31 (a bigint holds it while session ids
    stay below 2**32; PostgreSQL refuses an overflow rather than wrap)."""
    # a bigint (``Value`` of an int is an integer field: PostgreSQL would get an int4)
    return F(session) * Value(PAIR_BASE, output_field=BigIntegerField()) + F(athlete)


def _planned_reps(ids, start, end, late_ids, late_days):
    """The reps planned for each athlete in the sessions planned for them
    (``training_load.planned_sessions``), by their targets, metres by day and intensity. A
    timed rep counts at its target pace, or without one (a lactate target) at the athlete's
    T pace. Summed by athlete, week, named class and pace (a handful of rows a week): rows for
    ``_classed``."""
    planned = load.planned_sessions_for(ids, start, end, late_ids, late_days)
    # Three conditions where one would do, for PostgreSQL's plan (the last holds the others):
    # - the dates on the step's session: without them PostgreSQL read every target of the
    #   athletes' whole history (97,760 for 20 athletes at 200 x 156 weeks);
    # - the sessions of the weeks in the athletes' blocks (68 of the 670 of 8 weeks at that
    #   scale), so that only their steps' targets are read (5,000, not 55,000);
    # - the (session, athlete) pair among the planned pairs, as one number (``pair_key``),
    #   tested in a ``CASE``: PostgreSQL then hashes the 1,360 pairs once (a "hashed SubPlan")
    #   whatever it estimates, the generic plan of the prepared statement included. As an
    #   ``Exists`` over the pair it drove the plan from the pairs, read each pair's steps and
    #   all their targets (52,500 to keep 5,000), or probed the pairs' joins once per target;
    #   as a plain ``IN`` the generic plan (estimating one row) ran the pairs' query again for
    #   each of the 5,000 targets (4 s).
    # For one athlete (their trends) the ``Exists`` stays: it probes their few sessions, where
    # the pairs' shape read all their targets (1.1 against 2 ms over 12 weeks). The number of
    # athletes is part of the prepared shape (``coach.prepared``), so the branch may depend on it.
    targets = PlannedTarget.objects.filter(
        athlete_id__in=ids, step__kind=StepKind.WORK,
        step__session__date__gte=start, step__session__date__lte=end)
    if len(ids) == 1:
        targets = targets.filter(Exists(planned.filter(pk=OuterRef("step__session"),
                                                       aid=OuterRef("athlete_id"))))
    else:
        theirs = Session.objects.filter(date__gte=start, date__lte=end, block__athletes__in=ids)
        targets = (targets.filter(step__session__in=theirs.values("pk"))
                   .alias(pair=pair_key("step__session_id", "athlete_id"))
                   .alias(is_planned=Case(
                       When(pair__in=planned.annotate(pair=pair_key("pk", "aid")).values("pair"),
                            then=Value(True)), default=Value(False), output_field=BooleanField()))
                   .filter(is_planned=True))
    return (targets
            .annotate(lactate_mid=_middle("step__lactate_lo", "step__lactate_hi"),
                      zone_text=F("source"),
                      pace_mid=_middle("sea_level_pace_lo_s_per_km",
                                       "sea_level_pace_hi_s_per_km"),
                      at_pace=F("step__duration_s") * 1000.0
                      / _middle("pace_lo_s_per_km", "pace_hi_s_per_km"))
            .annotate(named=NAMED,
                      metres=Coalesce(F("step__distance_m"), F("at_pace")),
                      no_pace_s=Case(When(step__distance_m__isnull=True,
                                          at_pace__isnull=True, then=F("step__duration_s")),
                                     default=None, output_field=FloatField()))
            .annotate(week=load.monday("step__session__date"))
            .values_list("athlete_id", "week", "named", "pace_mid")
            .annotate(total=Sum("metres"), timed_s=Sum("no_pace_s")).order_by())


def _planned_easy(ids, start, end, late_ids, late_days):
    """The running around the reps of the sessions planned for each athlete (warm-up,
    recoveries, cool-down, easy runs): the distance outside the reps, and what is written by
    time only at the athlete's E pace; their own version's totals where they have one:
    rows for ``_easy``."""
    planned = load.planned_sessions_for(ids, start, end, late_ids, late_days)
    # ``order_by()``: the models' default orders would join each subquery to the session and
    # the athlete (and sort a version's single row) for every row read.
    version = (AthleteVersion.objects.filter(session=OuterRef("pk"), athlete=OuterRef("aid"))
               .order_by())
    timed = (PlannedStep.objects.filter(session=OuterRef("pk"), athlete__isnull=True,
                                        distance_m__isnull=True)
             .exclude(kind=StepKind.WORK).exclude(mode__in=NOT_RUNNING).order_by()
             .values("session").annotate(s=Sum("duration_s")).values("s"))
    return (planned
            .annotate(total_m=Coalesce(Subquery(version.values("total_distance_m")[:1]),
                                       F("total_distance_m")),
                      work_m=Coalesce(Subquery(version.values("work_distance_m")[:1]),
                                      F("work_distance_m")),
                      timed_s=Coalesce(Subquery(timed, output_field=FloatField()), 0.0))
            .annotate(metres=F("total_m") - F("work_m"), week=load.monday("date"))
            .values_list("aid", "week")
            .annotate(total=Sum("metres"), by_time=Sum("timed_s")).order_by())


RAN = (~Q(skipped=True) & Q(distance_m__isnull=False)
       & (Q(actual_s__isnull=False) | Q(lactate__isnull=False) | Q(avg_hr__isnull=False)
          | Q(duration_s__isnull=False)))  # a rep run: its distance counts


def _done_reps(ids, start, end):
    """The reps each athlete ran (not skipped, extra reps included), their logged distance
    classed by the target they were planned with (stored on the rep): rows for ``_classed``."""
    return (RepResult.objects
            .filter(RAN, log__athlete_id__in=ids, log__session__date__range=(start, end))
            .annotate(lactate_mid=_middle("lactate_lo", "lactate_hi"),
                      zone_text=F("target_text"),
                      pace_mid=_middle("target_lo_s", "target_hi_s") * 1000.0
                      / F("planned_distance_m"))
            .annotate(named=NAMED, week=load.monday("log__session__date"))
            .values_list("log__athlete_id", "week", "named", "pace_mid")
            .annotate(total=Sum("distance_m"), timed_s=Value(None, FloatField())).order_by())


def _done_easy(ids, start, end):
    """The easy running of each log: the distance logged less the reps' (never below zero);
    without a logged distance, the logged time of an easy run planned by time at the athlete's
    E pace, or the planned running around the reps (an easy run's planned distance): rows for
    ``_easy``."""
    # ``order_by()``: the models' default orders would join the reps back to their log, and a
    # version to its session and athlete (and sort its single row), for every log read.
    reps_m = (RepResult.objects.filter(RAN, log=OuterRef("pk")).order_by()
              .values("log").annotate(m=Sum("distance_m")).values("m"))
    version = AthleteVersion.objects.filter(session=OuterRef("session"),
                                            athlete=OuterRef("athlete")).order_by()
    planned_around = (Coalesce(Subquery(version.values("total_distance_m")[:1]),
                               F("session__total_distance_m"))
                      - Coalesce(Subquery(version.values("work_distance_m")[:1]),
                                 F("session__work_distance_m")))
    return (SessionLog.objects.started()
            .filter(athlete_id__in=ids, session__date__range=(start, end))
            .annotate(reps_m=Coalesce(Subquery(reps_m, output_field=FloatField()), 0.0))
            .annotate(by_time=Q(distance_m__isnull=True, session__rep_count=0,
                                session__total_distance_m=0, duration_s__isnull=False)
                      & ~Exists(RepResult.objects.filter(log=OuterRef("pk"))))
            .annotate(metres=Case(
                When(distance_m__isnull=False,
                     then=Greatest(F("distance_m") - F("reps_m"), Value(0.0))),
                When(by_time=True, then=Value(None)),
                default=planned_around, output_field=FloatField()),
                      easy_s=Case(When(by_time=True, then=F("duration_s")), default=None,
                                  output_field=FloatField()),
                      week=load.monday("session__date"))
            .values_list("athlete_id", "week")
            .annotate(total=Sum("metres"), by_time=Sum("easy_s")).order_by())


def total(distributions: Iterable[Distribution]) -> Distribution:
    whole = Distribution()
    for d in distributions:
        whole += d
    return whole


# --- VDOT over time and predictions -------------------------------------------------------------


@dataclass(frozen=True)
class VdotPoint:
    """The VDOT planning would have used on ``date``: the best of the results up to then
    (``pace.best_vdot``: 3000 m or longer preferred), and the race it came from."""

    date: dt.date
    vdot: float
    race: RaceResult


def vdot_history(results: Iterable[RaceResult]) -> list[VdotPoint]:
    """One point per race date where the VDOT is known (results already fetched)."""
    ordered = sorted(results, key=lambda r: (r.date, r.pk))
    points: list[VdotPoint] = []
    for index, result in enumerate(ordered):
        if index + 1 < len(ordered) and ordered[index + 1].date == result.date:
            continue  # one point per day, after all of that day's results
        upto = ordered[:index + 1]
        found = pace.best_vdot((r.distance_m, r.time_s) for r in upto)
        if found is None:
            continue
        value, (distance, seconds) = found
        race = next(r for r in upto if r.distance_m == distance and r.time_s == seconds)
        points.append(VdotPoint(date=result.date, vdot=value, race=race))
    return points


@dataclass(frozen=True)
class Prediction:
    key: str
    label: str
    seconds: float
    is_goal: bool

    @property
    def time(self) -> str:
        return formats.format_time(self.seconds, decimals=0)


def predictions(vdot: float | None, goal_race: str | None) -> list[Prediction]:
    """Race times the VDOT predicts for the standard distances; the goal race (the athlete's
    main event, when the tables know it) first."""
    if vdot is None:
        return []
    keys = list(PREDICTED_RACES)
    if goal_race in pace.RACES:
        keys = [goal_race] + [k for k in keys if k != goal_race]
    return [Prediction(key=k, label=pace.RACE_LABELS[k],
                       seconds=pace.race_time(vdot, pace.RACES[k]), is_goal=k == goal_race)
            for k in keys]

