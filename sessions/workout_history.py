"""This workout before: an athlete's earlier runs of the same workout, and their benchmarks.

A read model over ``SessionLog.workout_key`` (``coach.notation.workout_key`` of the notation
the log recorded; docs/notation.md, "The same workout"), so a workout is found however it was
spelled. The rules, as the pages state them:

Runs
    The athlete's logs of the same workout, newest first, before the one being looked at: the
    log summary shows the five before that log, the session page the three before the session's
    day (the session's own log left out). Each run shows, per rep amount of the workout, the
    mean and the best time of its clean reps, and the mean deviation from target and the reps
    on target (``sessions.judging``, as on every page).

Clean reps
    Reps run as planned: not skipped, not added, over the planned distance (a rep cut short has
    no comparable time) with a time; for timed reps (``5x6min``), those with the distance run,
    whose mean and best are distances (the best is the longest).

Main set and best
    The rep amount with the most work in the workout (metres of the distance reps; among timed
    reps only, the seconds) is the main set. A run's headline is its main set's mean; a run
    counts for a best only when every rep of the main set is clean, so a skipped rep cannot
    make a fast mean.

Season best
    The best headline over the athlete's runs of the workout in the 365 days up to the day
    looked at (that day included, the run being looked at too): "Best in 12 months".

Benchmarks
    On the athlete page, the workouts they have run two or more times (the ten most recently
    run): how often, when last, their best, and the trend (the last run's headline against
    the run before): ``sessions/benchmarks.py``, from this module's rules.

Queries stay constant whatever the number of athletes, logs and reps: the runs (a window
per athlete in the database, as plain rows), the reps of theirs that are judged (run with a
time against a time target, as plain rows), and the means and bests per log and rep amount
aggregated in the database (one query).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.db.models import Avg, Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from coach import formats, notation, prepared

from . import judging
from .attention import stand_in_user
from .models import RepResult, SessionLog

LOG_RUNS = 5  # earlier runs on the log summary
SESSION_RUNS = 3  # earlier runs per athlete on the session page
SEASON_DAYS = 365

Amount = tuple[float | None, float | None]  # (planned distance m, planned duration s)


@lru_cache(maxsize=512)
def key_of(text: str) -> str:
    """The workout key of a notation; ``""`` without reps or when it no longer parses. Cached
    by text, as ``main_set`` (the session page asks it for every athlete of the squad)."""
    if not text:
        return ""
    try:
        return notation.workout_key(notation.parse(text))
    except notation.NotationError:
        return ""


def _workout(text: str) -> notation.Workout | None:
    try:
        return notation.parse(text) if text else None
    except notation.NotationError:
        return None


@lru_cache(maxsize=512)
def main_set(text: str) -> tuple[Amount, int] | None:
    """The main set's rep amount and how many reps of it the workout has (see the module
    docstring); None without reps. Cached by text (parsing is most of an athlete page's
    benchmarks; the answer is a function of the text alone, and immutable)."""
    workout = _workout(text)
    if workout is None or not workout.rep_count:
        return None
    work: dict[Amount, list[float]] = {}
    for step in workout.work_steps:
        amount = (step.distance_m, step.duration_s)
        work.setdefault(amount, []).append(step.distance_m or 0.0)
    by_distance = [a for a in work if a[0] is not None]
    if by_distance:
        amount = max(by_distance, key=lambda a: sum(work[a]))
    else:
        amount = max(work, key=lambda a: a[1] * len(work[a]))
    return amount, len(work[amount])


@lru_cache(maxsize=512)
def label_of(text: str) -> str:
    """The workout's label (``notation.workout_label``) of a notation that parses; cached by
    text, as ``main_set``."""
    return notation.workout_label(notation.parse(text))


# --- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Mean and best of one rep amount's clean reps in one run."""

    distance_m: float | None
    duration_s: float | None
    count: int
    mean: float  # seconds; metres for timed reps
    best: float

    @property
    def timed(self) -> bool:
        return self.distance_m is None

    @property
    def name(self) -> str:
        return formats.format_amount(self.distance_m, self.duration_s)

    def text(self, value: float) -> str:
        if self.timed:
            return formats.format_amount(value, None)
        return formats.format_split(value, self.distance_m)

    @property
    def mean_label(self) -> str:
        return self.text(self.mean)

    @property
    def best_label(self) -> str:
        return self.text(self.best)

    def better(self, other: Figures) -> bool:
        """This headline beats the other: faster, or farther for timed reps."""
        return self.mean > other.mean if self.timed else self.mean < other.mean


def _clean() -> Q:
    run_as_planned = Q(planned_distance_m__isnull=False, actual_s__isnull=False,
                       distance_m=F("planned_distance_m"))
    timed = Q(planned_distance_m__isnull=True, duration_s__isnull=False,
              distance_m__isnull=False)
    return Q(skipped=False, extra=False) & (run_as_planned | timed)


@dataclass(frozen=True)
class LogFigures:
    """One log's figures per rep amount, with what names the log."""

    log_id: int
    athlete_id: int
    date: dt.date
    title: str
    key: str
    amounts: dict[Amount, Figures] = field(default_factory=dict)

    def headline(self, main: tuple[Amount, int]) -> Figures | None:
        """The main set's figures, when every rep of it is clean."""
        found = self.amounts.get(main[0])
        return found if found is not None and found.count >= main[1] else None

    @property
    def url(self) -> str:
        return reverse("training:log-summary", args=[self.log_id])


class _OfGroup(Subquery):
    """A subquery on the grouped columns of an aggregate (``_figures_query``'s log id): not a
    column to group by (Django would add it, and PostgreSQL then evaluate it for every rep), a
    value read once per group."""

    def get_group_by_cols(self):
        return []


def _of_log(field: str) -> Subquery:
    """One column of the rep's log (``session__title``: its session's), read once per group of
    ``_figures_query``."""
    return _OfGroup(SessionLog.objects.filter(pk=OuterRef("log_id")).order_by().values(field))


def _figures_query(logs: Q):
    """Per log and rep amount, the log's athlete, day, session title and workout key, and the
    clean reps' count, means and bests. The reps are grouped by their own columns alone and
    the log's read by a subquery per group (a log's columns are the same for all its reps):
    grouping by the log's and session's columns made PostgreSQL join both to every rep before
    grouping (5,135 reps for 476 groups on a session page at 200 athletes x 156 weeks) and sort
    the reps by the texts (10 ms, now 5: docs/perf-session-pages.md). The columns keep their
    old order (log id, the log's, the rep amount, the aggregates): the season query's
    ``UNION`` hashes its rows by them, which orders its rows, and so decides the first of equal
    season bests (``histories``), and the reps' sort keeps the order the means add them in."""
    return (RepResult.objects.filter(_clean()).filter(logs).values("log_id")
            .annotate(log_athlete=_of_log("athlete_id"), log_date=_of_log("date_done"),
                      log_title=_of_log("session__title"), log_key=_of_log("workout_key"),
                      planned=F("planned_distance_m"), duration=F("duration_s"),
                      n=Count("pk"), mean_s=Avg("actual_s"), best_s=Min("actual_s"),
                      mean_m=Avg("distance_m"), best_m=Max("distance_m"))
            .order_by())


def _figures_of(rows: Iterable[Sequence]) -> dict[int, LogFigures]:
    """Each log's figures by id, from the rows of ``_figures_query`` (``prepared.rows``: its
    values, then its annotations, in their order)."""
    found: dict[int, LogFigures] = {}
    for (log_id, athlete_id, date, title, key, distance, duration, n, mean_s, best_s, mean_m,
         best_m) in rows:
        log = found.get(log_id)
        if log is None:
            log = found[log_id] = LogFigures(log_id=log_id, athlete_id=athlete_id, date=date,
                                             title=title, key=key)
        timed = distance is None
        log.amounts[(distance, duration)] = Figures(
            distance_m=distance, duration_s=duration, count=n,
            mean=mean_m if timed else mean_s, best=best_m if timed else best_s)
    return found


# --- runs ---------------------------------------------------------------------------------------


class RunLog(NamedTuple):
    """What the panel shows of an earlier run's log, read as a plain row (``RUN_LOG``)."""

    pk: int
    athlete_id: int
    date_done: dt.date
    title: str  # the session's
    tolerance_pct: float  # the session's, to judge the reps by


RUN_LOG = ("pk", "athlete_id", "date_done", "session__title", "session__tolerance_pct")


@dataclass(frozen=True)
class Run:
    """One earlier run of the workout: the log, its figures and its reps judged against their
    targets (``sessions.judging``, as ``SessionLog.adherence`` and the log summary judge them):
    ``judged`` reps run with a time against a time target, ``on_target`` of them on target, and
    the mean deviation of those the plan holds (the athlete's added reps left out)."""

    log: RunLog
    figures: list[Figures]
    headline: Figures | None  # the main set's, when every rep of it is clean
    on_target: int = 0
    judged: int = 0
    mean_deviation: float | None = None

    @property
    def mean_deviation_label(self) -> str:
        return judging.format_deviation(self.mean_deviation)


class _TimedRep(NamedTuple):
    """What judging reads of a rep run with a time against a time target (``judging.rep_target``,
    ``status``, ``deviation``), and its log."""

    log_id: int
    actual_s: float
    target_lo_s: float
    target_hi_s: float | None
    planned_distance_m: float | None
    distance_m: float | None
    extra: bool


def _timed_reps_query(log_ids: list[int]):
    """The reps of ``log_ids`` that ``judging.judge`` gives a status: not skipped, with a time
    and a time target (every other rep is neither judged nor on target); in each log's order."""
    return (RepResult.objects.filter(log_id__in=log_ids, skipped=False, actual_s__isnull=False,
                                     target_lo_s__isnull=False)
            .order_by("log_id", "position").values_list(*_TimedRep._fields))


@lru_cache(maxsize=4096)
def judging_band(target_lo_s: float, target_hi_s: float | None, planned_distance_m: float | None,
                 distance_m: float | None, tolerance_pct: float) -> tuple[float, float, float]:
    """What ``judging`` compares a rep's time with, for the values it reads of the rep and the
    session's tolerance: the fast and slow ends of the band widened by the tolerance
    (``judging.tolerance_band``, the bounds ``judging.status`` computes: under the first is
    fast, over the second slow, else on target) and the middle of the band
    (``judging.deviation`` is the time less it). The same operations on the same values, so
    the same floats; a pure function of its arguments, kept (the reps of a set share a band)."""
    target = judging.rep_target(_TimedRep(0, 0.0, target_lo_s, target_hi_s, planned_distance_m,
                                          distance_m, False))
    assert target is not None
    fast, slow = judging.tolerance_band(target, tolerance_pct)
    return fast, slow, (target[0] + target[1]) / 2


def judge_rows(rows: Iterable[Sequence], tolerance: Mapping[int, float],
               ) -> dict[int, tuple[int, int, float | None]]:
    """``(on target, judged, mean deviation)`` by log id, of rows as ``_TimedRep`` holds them
    (reps with a time against a time target, each log's together in its reps' order), each
    log judged with its ``tolerance``: each rep judged in a tight loop against its band
    (``judging_band``, once per distinct values), the deviations summed in rep order, as
    ``sum`` of the list of them always did (a mean on a rounding edge prints by the order it
    is added in)."""
    found: dict[int, tuple[int, int, float | None]] = {}
    band_of = judging_band
    for log_id, reps in groupby(rows, itemgetter(0)):
        allowed = tolerance[log_id]
        on = judged = 0
        deviations: list[float] = []
        for _, actual, lo, hi, planned, distance, extra in reps:
            fast, slow, middle = band_of(lo, hi, planned, distance, allowed)
            judged += 1
            if not (actual < fast or actual > slow):  # judging.status: "on"
                on += 1
            if not extra:  # planned, not added by the athlete
                deviations.append(actual - middle)
        found[log_id] = (on, judged, sum(deviations) / len(deviations) if deviations else None)
    return found


def _verdicts(logs: Sequence[RunLog]) -> dict[int, tuple[int, int, float | None]]:
    """Each log's ``(on target, judged, mean deviation)`` by id, as ``Run`` holds them: one
    query, compiled once per number of logs (``judge_rows``; a log without such reps judged
    none)."""
    tolerance = {log.pk: log.tolerance_pct for log in logs}
    found: dict[int, tuple[int, int, float | None]] = dict.fromkeys(tolerance, (0, 0, None))
    if not tolerance:
        return found
    found.update(judge_rows(
        prepared.rows("workout_timed_reps", _timed_reps_query, list(tolerance))[1], tolerance))
    return found


@dataclass(frozen=True)
class SeasonBest:
    run: LogFigures
    figures: Figures
    is_this: bool = False  # the run being looked at


@dataclass
class History:
    """One athlete's earlier runs of one workout."""

    athlete: object
    label: str
    main_name: str
    runs: list[Run] = field(default_factory=list)
    season_best: SeasonBest | None = None


def _order(figures: dict[Amount, Figures], order: Sequence[Amount]) -> list[Figures]:
    return [figures[a] for a in order if a in figures]


def _amount_order(workout: notation.Workout) -> list[Amount]:
    return list(dict.fromkeys((s.distance_m, s.duration_s) for s in workout.work_steps))


@lru_cache(maxsize=512)
def _shape_of(text: str) -> tuple[tuple[Amount, int], tuple[Amount, ...], str]:
    """A workout with a key, read once per text (cached, as ``main_set``): its main set, its
    rep amounts in order and its label."""
    workout = notation.parse(text)
    main = main_set(text)
    assert main is not None
    return main, tuple(_amount_order(workout)), notation.workout_label(workout)


def _viewer(kind: str, user_id: int):
    """The signed-in user as ``for_user`` reads one: an id and a role (``_kind``)."""
    return stand_in_user(user_id, is_coach=kind == "coach", is_staff=kind == "staff")


def _kind(user) -> str:
    return "staff" if user.is_staff else "coach" if user.is_coach else "athlete"


def _logs_of(kind: str, user_id: int, groups: Sequence) -> QuerySet:
    """The logs ``user`` sees of the athletes and workouts of ``groups``: a workout key, then
    the ids of the athletes whose workout it is, for each key."""
    pairs = Q()
    for key, pks in zip(groups[::2], groups[1::2], strict=True):
        pairs |= Q(athlete__in=pks, workout_key=key)
    return SessionLog.objects.for_user(_viewer(kind, user_id)).filter(pairs)


def _runs_query(kind: str, leave_out: str, limit: int):
    """The last ``limit`` runs of each athlete up to ``until``, leaving out the session
    ``first`` (``leave_out`` "session"), or all but the logs before the log ``second`` of the
    day ``first`` ("log"), or none. (``limit`` is part of the SQL: PostgreSQL's is typed.)"""
    def build(user_id, until, first, second, *groups):
        earlier = _logs_of(kind, user_id, groups).filter(date_done__lte=until)
        if leave_out == "session":
            earlier = earlier.exclude(session=first)
        elif leave_out == "log":
            before = Q(date_done__lt=first) | Q(date_done=first, pk__lt=second)
            earlier = earlier.exclude(~before)
        ranked = earlier.annotate(nth=Window(RowNumber(), partition_by=[F("athlete_id")],
                                             order_by=[F("date_done").desc(), F("pk").desc()]))
        return (ranked.filter(nth__lte=limit).order_by("athlete_id", "-date_done", "-pk")
                .values_list(*RUN_LOG))
    return build


def _season_query(kind: str):
    """The figures of the runs in the season (``start`` to ``until``) and of ``log_ids``.

    Two aggregates joined by ``UNION``, not one over ``log IN (season) OR log IN (ids)``: on
    PostgreSQL that ``OR`` cannot use the rep results' index on their log, and read every rep
    result of the club (65 ms at 200 athletes x 156 weeks, on every session page and log
    summary); each half alone is an index lookup (under 5 ms). A log in both halves gives the
    same row twice, or two rows whose means differ in the last bits (the database sums in the
    order it reads), which ``_figures_of`` takes as one."""
    def build(user_id, start, until, log_ids, *groups):
        season = _logs_of(kind, user_id, groups).filter(date_done__gt=start, date_done__lte=until)
        return (_figures_query(Q(log__in=season.values("pk")))
                .union(_figures_query(Q(log__in=log_ids))))
    return build


def histories(user, *, athletes: Iterable, text: str, until: dt.date, limit: int,
              leave_out_session: int | None = None,
              before_log: tuple[dt.date, int] | None = None, this_log_id: int | None = None,
              texts: Mapping[int, str] | None = None) -> dict[int, History]:
    """Each athlete's last ``limit`` runs of the workout ``text`` (or of their own version's,
    ``texts`` by athlete id) up to ``until`` (logs that ``user`` sees; the session page leaves
    out its session's logs, ``leave_out_session``; the log summary takes the logs before its
    own, ``before_log``: its day and id) and their season best, by athlete id. Three queries,
    whatever the number of athletes and versions, compiled once per shape (``coach.prepared``:
    building them cost more than running them). An athlete whose workout has no key has no
    history."""
    texts = texts or {}
    plans: dict[int, tuple[object, str, str]] = {}  # athlete id -> (athlete, text, key)
    for athlete in athletes:
        mine_text = texts.get(athlete.pk) or text
        key = key_of(mine_text)
        if key:
            plans[athlete.pk] = (athlete, mine_text, key)
    if not plans:
        return {}
    shapes = {plan_text: _shape_of(plan_text) for _, plan_text, _ in plans.values()}
    by_key: dict[str, list[int]] = {}
    for pk, (_, _, key) in plans.items():
        by_key.setdefault(key, []).append(pk)
    groups = [part for key, pks in by_key.items() for part in (key, pks)]
    start = until - dt.timedelta(days=SEASON_DAYS)
    if not user.is_authenticated:  # sees no logs (``for_user``)
        logs, verdicts, found = [], {}, []
    else:
        kind = _kind(user)
        if leave_out_session is not None:
            leave_out, first, second = "session", leave_out_session, 0
        elif before_log is not None:
            leave_out, (first, second) = "log", before_log
        else:
            leave_out, first, second = "none", 0, 0
        logs = [RunLog(*row) for row in prepared.rows(
            f"workout_runs:{kind}:{leave_out}:{limit}", _runs_query(kind, leave_out, limit),
            user.pk, until, first, second, *groups)[1]]
        verdicts = _verdicts(logs)
        found = prepared.rows(f"workout_figures:{kind}", _season_query(kind), user.pk, start,
                              until, [log.pk for log in logs], *groups)[1]
    result = {}
    for pk, (athlete, plan_text, _) in plans.items():
        main, _, label = shapes[plan_text]
        result[pk] = History(athlete=athlete, label=label,
                             main_name=formats.format_amount(*main[0]))
    # each log's rows, and its headline's (its main set's, when every rep of it is clean), the
    # logs in the order of their first row
    by_log: dict[int, list] = {}
    heads: dict[int, Sequence | None] = {}
    mains = {pk: shapes[plan_text][0] for pk, (_, plan_text, _) in plans.items()}
    for row in found:
        log_id = row[0]
        rows = by_log.get(log_id)
        if rows is None:
            rows = by_log[log_id] = []
            heads[log_id] = None
        rows.append(row)
        main = mains[row[1]]
        if (row[5], row[6]) == main[0] and row[7] >= main[1]:
            heads[log_id] = row
    for log in logs:
        main, order, _ = shapes[plans[log.athlete_id][1]]
        figures = _figures_of(by_log.get(log.pk, ())).get(log.pk)
        on, judged, deviation = verdicts[log.pk]
        result[log.athlete_id].runs.append(Run(
            log=log, figures=_order(figures.amounts, order) if figures else [],
            headline=figures.headline(main) if figures else None,
            on_target=on, judged=judged, mean_deviation=deviation))
    # the season best: the best headline of the season's runs (the first of equals)
    bests: dict[int, Sequence] = {}
    for row in heads.values():
        if row is None or not start < row[2] <= until:
            continue
        held = bests.get(row[1])
        if held is None or _better(row, held):
            bests[row[1]] = row
    for athlete_id, row in bests.items():
        run = _figures_of(by_log[row[0]])[row[0]]
        result[athlete_id].season_best = SeasonBest(
            run=run, figures=run.amounts[(row[5], row[6])], is_this=row[0] == this_log_id)
    return result


def _better(row: Sequence, other: Sequence) -> bool:
    """``Figures.better`` of two rows of ``_figures_query``: a faster mean, or a farther one
    for timed reps."""
    if row[5] is None:
        return row[10] > other[10]
    return row[8] < other[8]


def for_log(user, log: SessionLog) -> list[History]:
    """The log summary's panel: this athlete's runs of the workout before this log."""
    found = histories(user, athletes=[log.athlete], text=log.notation, until=log.date_done,
                      limit=LOG_RUNS, before_log=(log.date_done, log.pk), this_log_id=log.pk)
    return list(found.values())


def for_session(user, session, athletes: Sequence,
                texts: Mapping[int, str] | None = None) -> list[History]:
    """The session page's panel: each athlete's runs of the workout up to the session's day
    (their own version's where ``texts`` has one, by athlete id), the session's own logs left
    out (the athletes the page shows, ``Block.athletes_seen_by``)."""
    found = histories(user, athletes=athletes, text=session.notation, until=session.date,
                      limit=SESSION_RUNS, leave_out_session=session.pk, texts=texts)
    return list(found.values())
