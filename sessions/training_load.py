"""Figures across athletes and weeks: planned versus done, volume, adherence, lactate, and the
session-RPE training load with its acute:chronic ratio. The coach's home table and the athlete
and block views read them here; docs/overview.md defines every figure.

Everything is computed in the database (``annotate``/``values``/``Sum``, ``Case``/``When``):
no rep is loaded into Python, and each function
costs a constant number of queries, whatever the number of athletes, weeks, logs or reps.

Which sessions are *planned* for an athlete
    The sessions of every block they are a member of (archived ones too: a past week stays what
    it was), less those on days they are out (``athletes.models.Absence``: as
    ``sessions.availability.expected_sessions`` counts), and less those before the athlete
    *joined*. Block membership carries no date, so an athlete joined on the earlier of the day
    their record was made and the day of their first log (``joined_dates``): someone who came
    to the club in the middle of a block is not owed the sessions before they came.

*Done* and *missed*
    Done: a started log (``SessionLog.objects.started``) of a session of the week, on any day
    (a session logged on a day the athlete was out counts as done, though not as planned).
    Missed: a planned session whose date is before ``today`` with no started log.

Volume
    Planned km: the plan's ``total_distance_m`` (warm-up to cool-down; the athlete's own version
    when they have one). Done km: the distance the athlete entered on the log; else, for a
    completed log, the planned distance less the planned distance of the reps they skipped;
    else (a log in progress) the distance of the reps with a time. Timed minutes: planned, the
    plan's ``work_duration_s`` (reps set by time, ``5x6min``); done, the planned duration of
    those reps not skipped that have something entered, or all not skipped of a completed log.

Adherence (reps on target / reps judged)
    The rule of ``sessions.judging`` written in SQL (``sessions.judged_sql``): a rep is judged
    when it was not skipped and has a time and a time target; it is on target inside the target band
    (scaled to the distance run when cut short) widened by the session's ``tolerance_pct`` at
    each end. ``tests/test_training_load.py`` checks that both agree, rep by rep. A rep is *far
    off* when it is more than ``judged_sql.FAR_OFF_PCT`` % outside the band itself.

Session-RPE load (Foster)
    RPE (1-10) x minutes of the session, in arbitrary units, on the day the log says it was run
    (``date_done``). Minutes: the duration the athlete entered; when they entered none, the
    plan's estimated duration (``estimated_duration_s``, warm-up to cool-down, the athlete's
    own version's when they have one). A log without an RPE adds nothing and counts as
    *unrated*, as does one with an RPE but neither a duration nor an estimate.

Acute:chronic workload ratio (``ACWR_METHOD``)
    Rolling averages of the daily loads, rest days counting 0: acute = the load of the 7 days
    ending on the day; chronic = the load of the 28 days ending on the day, divided by 4 (a
    weekly average, so the two are comparable); ratio = acute / chronic, none when chronic is 0.
    Descriptive only: ``ACWR_LOW``-``ACWR_HIGH`` is a commonly quoted band, not a validated
    injury threshold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncWeek
from django.db.models.lookups import Exact
from django.utils import timezone

from athletes.models import Absence, Athlete
from coach import prepared

from .judged_sql import with_lactate_verdict, with_time_verdict
from .models import AthleteVersion, RepResult, Session, SessionLog

ACWR_METHOD = ("rolling average: acute = load of the last 7 days, "
               "chronic = load of the last 28 days / 4")
ACWR_LOW, ACWR_HIGH = 0.8, 1.3  # the band the coach's home flags outside (descriptive only)
ACUTE_DAYS, CHRONIC_DAYS = 7, 28
HIGH_RPE_ON_EASY = 8  # an RPE this high or higher on a session planned easy is flagged
FLOAT = FloatField()


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def _ids(athletes: Iterable[Athlete] | Iterable[int]) -> list[int]:
    return [a if isinstance(a, int) else a.pk for a in athletes]


# --- the figures of a week ----------------------------------------------------------------------


@dataclass
class WeekFigures:
    """One athlete's week (Monday ``week``). Counts are sessions, logs or reps; km and minutes
    as docs/overview.md defines them; ``load`` in arbitrary units (RPE x minutes)."""

    athlete_id: int
    week: dt.date
    planned: int = 0
    done: int = 0
    missed: int = 0
    km_planned: float = 0.0
    km_done: float = 0.0
    timed_min_planned: float = 0.0
    timed_min_done: float = 0.0
    reps_judged: int = 0
    reps_on: int = 0
    reps_far_off: int = 0
    lactate_readings: int = 0
    lactate_in_band: int = 0
    load: float = 0.0
    rated: int = 0  # logs whose load is known (an RPE and minutes)
    unrated: int = 0  # logs without an RPE (or without any minutes)
    rpe_high: int = 0  # logs of sessions planned easy with RPE >= HIGH_RPE_ON_EASY

    @property
    def adherence(self) -> float | None:
        """Share of judged reps on target (0-1), None without a judged rep."""
        return self.reps_on / self.reps_judged if self.reps_judged else None

    @property
    def lactate_share(self) -> float | None:
        """Share of lactate readings in their band (0-1), None without a reading."""
        return self.lactate_in_band / self.lactate_readings if self.lactate_readings else None


def joined_on(created: dt.datetime, first_log: dt.date | None) -> dt.date:
    """The day an athlete counts from: the earlier of the day their record was made (in the
    server's time zone) and the day of their first log."""
    made = timezone.localtime(created).date() if timezone.is_aware(created) else created.date()
    return min(made, first_log) if first_log else made


def first_log_day():
    """The day of an athlete's first log: a subquery over ``Athlete`` (for ``joined_on``)."""
    return Subquery(SessionLog.objects.filter(athlete=OuterRef("pk")).order_by("date_done")
                    .values("date_done")[:1])


def _joined_query(ids):
    return (Athlete.objects.filter(pk__in=ids).annotate(first_log=first_log_day())
            .values_list("pk", "created", "first_log"))


def joined_dates(athlete_ids: Iterable[int]) -> dict[int, dt.date]:
    """The day each athlete counts from (``joined_on``). One query."""
    ids = list(athlete_ids)
    if not ids:
        return {}
    _, rows = prepared.rows("joined_dates", _joined_query, ids)
    return {pk: joined_on(created, first_log) for pk, created, first_log in rows}


def joined_late(joined: Mapping[int, dt.date], start: dt.date) -> tuple[list[int], list[dt.date]]:
    """The athletes who joined after ``start``, and the days they joined."""
    late = {pk: day for pk, day in joined.items() if day > start}
    return list(late), list(late.values())


def _after_joining(late_ids: list[int], late_days: list[dt.date], field_name: str) -> Q:
    """Rows of athletes on days from when they joined: only those who joined after the start
    (``joined_late``) need a condition of their own."""
    condition = ~Q(aid__in=late_ids)
    for pk, day in zip(late_ids, late_days, strict=True):
        condition |= Q(aid=pk, **{f"{field_name}__gte": day})
    return condition


def _version(outer_session: str, outer_athlete: str, name: str):
    """The athlete's own version's ``name`` (a plan total), None without a version."""
    return Subquery(AthleteVersion.objects.filter(
        session=OuterRef(outer_session), athlete_id=OuterRef(outer_athlete))
        .order_by().values(name)[:1])


def planned_sessions(athlete_ids: Iterable[int], start: dt.date, end: dt.date,
                     joined: Mapping[int, dt.date] | None = None):
    """Sessions planned for each athlete from ``start`` to ``end``: a queryset of sessions
    annotated with ``aid`` (the athlete), one row per athlete and session (see the module
    docstring for who is planned what). ``joined`` from ``joined_dates`` saves its query."""
    ids = _ids(athlete_ids)
    joined = joined_dates(ids) if joined is None else joined
    return planned_sessions_for(ids, start, end, *joined_late(joined, start))


def planned_sessions_for(ids: list[int], start: dt.date, end: dt.date, late_ids: list[int],
                      late_days: list[dt.date]):
    """``planned_sessions`` from the arguments as they are (for ``coach.prepared``)."""
    out = Absence.objects.filter(athlete_id=OuterRef("aid"), start__lte=OuterRef("date"),
                                 end__gte=OuterRef("date"))
    return (Session.objects.filter(date__gte=start, date__lte=end)
            .annotate(aid=F("block__athletes")).filter(aid__in=ids)
            .filter(_after_joining(late_ids, late_days, "date")).filter(~Exists(out)))


@dataclass
class Figures:
    """``weeks``: each athlete's ``WeekFigures`` by ``(athlete_id, monday)``; ``daily``: each
    athlete's load of every day from ``loads_from`` to the last day of the weeks."""

    weeks: dict[tuple[int, dt.date], WeekFigures]
    daily: dict[int, dict[dt.date, float]]

    def acwr(self, athlete_id: int, day: dt.date) -> AcwrFigure:
        """The ratio on ``day`` (``ACWR_METHOD``), from the daily loads read."""
        return acwr_on(self.daily.get(athlete_id, {}), day)


def figures(athlete_ids: Iterable[Athlete] | Iterable[int], first_week: dt.date, weeks: int, *,
            today: dt.date | None = None, joined: Mapping[int, dt.date] | None = None,
            loads_from: dt.date | None = None, reps: bool = True) -> Figures:
    """The figures of ``weeks`` weeks from the week of ``first_week`` for every athlete (weeks
    without anything hold zeros), and their daily loads from ``loads_from`` (default: the first
    Monday; 27 days before a day gives its ``acwr``) to the last Sunday. ``today`` decides which
    planned sessions are missed (default: the server's date); ``joined`` (``joined_dates``)
    saves a query. ``reps=False``: the figures of the reps (``reps_judged``, ``reps_on``,
    ``reps_far_off``, ``lactate_readings``, ``lactate_in_band``, ``timed_min_done``) and
    ``rpe_high`` are not read and stay 0, for a page that shows none of them (six subqueries
    per log and a plan's subquery less). Three queries, two with ``joined``."""
    ids = _ids(athlete_ids)
    start = week_start(first_week)
    end = start + dt.timedelta(days=7 * weeks - 1)
    loads_from = min(loads_from or start, start)
    today = today or timezone.localdate()
    mondays = [start + dt.timedelta(days=7 * w) for w in range(max(weeks, 0))]
    days = [loads_from + dt.timedelta(days=i) for i in range((end - loads_from).days + 1)]
    result = Figures(
        weeks={(a, monday): WeekFigures(a, monday) for a in ids for monday in mondays},
        daily={a: dict.fromkeys(days, 0.0) for a in ids})
    if not ids or weeks <= 0:
        return result
    joined = joined_dates(ids) if joined is None else joined
    weeks_of, daily = result.weeks, result.daily
    mondays_of: dict = {}  # a week (or a day run) as the database returns it -> its Monday

    def monday_of(value) -> dt.date:
        try:
            return mondays_of[value]
        except KeyError:
            return mondays_of.setdefault(value, week_start(as_date(value)))

    names, found = _planned_rows(ids, start, end, joined, today)
    aid_at, week_at, planned_at, missed_at, metres_at, timed_at = _positions(
        names, "aid", "week", "planned", "missed", "metres", "timed_s")
    for row in found:
        week = weeks_of[(row[aid_at], monday_of(row[week_at]))]
        week.planned, week.missed = row[planned_at], row[missed_at]
        week.km_planned = (row[metres_at] or 0) / 1000
        week.timed_min_planned = (row[timed_at] or 0) / 60
    # Rows by athlete, day run and week of the session (about one a log): read by position,
    # their Mondays computed once a day, not a dict and a ``getattr`` per row and figure.
    names, found = _log_rows(ids, start, end, loads_from, reps)
    aid_at, run_at, week_at, logs_at, metres_at, load_at, rated_at = _positions(
        names, "athlete_id", "date_done", "week", "logs", "metres", "load", "rated")
    if reps:
        rpe_high_at, judged_at, on_at, far_at, read_at, in_band_at, timed_at = _positions(
            names, "rpe_high", "reps_judged", "reps_on", "reps_far_off", "lactate_readings",
            "lactate_in_band", "timed_s")
    runs: dict = {}  # a day run as the database returns it -> (the date, its Monday)
    for row in found:
        aid, value = row[aid_at], row[run_at]
        try:
            run, run_monday = runs[value]
        except KeyError:
            run = as_date(value)
            run, run_monday = runs.setdefault(value, (run, week_start(run)))
        if loads_from <= run <= end:
            load = row[load_at] or 0.0
            daily[aid][run] += load
            if run >= start:
                week = weeks_of[(aid, run_monday)]
                week.load += load
                week.rated += row[rated_at]
                week.unrated += row[logs_at] - row[rated_at]
        week = weeks_of.get((aid, monday_of(row[week_at])))
        if week is None:
            continue  # a log of an earlier session, here for its load only
        week.done += row[logs_at]
        week.km_done += (row[metres_at] or 0) / 1000
        if not reps:
            continue
        week.rpe_high += row[rpe_high_at]
        week.timed_min_done += (row[timed_at] or 0) / 60
        week.reps_judged += row[judged_at] or 0
        week.reps_on += row[on_at] or 0
        week.reps_far_off += row[far_at] or 0
        week.lactate_readings += row[read_at] or 0
        week.lactate_in_band += row[in_band_at] or 0
    return result


def _positions(names: tuple[str, ...], *wanted: str) -> list[int]:
    """The positions of the ``wanted`` columns among ``names`` (any, when there are no columns:
    a query known to be empty answers no rows)."""
    return [names.index(n) if names else 0 for n in wanted]


def weekly_figures(athlete_ids: Iterable[Athlete] | Iterable[int], first_week: dt.date,
                   weeks: int, *, today: dt.date | None = None,
                   joined: Mapping[int, dt.date] | None = None
                   ) -> dict[tuple[int, dt.date], WeekFigures]:
    """``figures(...).weeks``: the figures by ``(athlete_id, monday)``. Three queries."""
    return figures(athlete_ids, first_week, weeks, today=today, joined=joined).weeks


def as_date(value) -> dt.date:
    """A truncated week as the database returns it (a date, or a datetime on some backends)."""
    return value.date() if isinstance(value, dt.datetime) else value


def _planned_rows(ids, start, end, joined, today):
    """The planned sessions of each athlete and week: counts, missed, metres, timed seconds."""
    return prepared.rows("planned_rows", _planned_query, ids, start, end, today,
                         *joined_late(joined, start))


def _planned_query(ids, start, end, today, late_ids, late_days):
    started = SessionLog.objects.started().filter(session=OuterRef("pk"),
                                                  athlete_id=OuterRef("aid"))
    metres = Coalesce(_version("pk", "aid", "total_distance_m"), F("total_distance_m"),
                      output_field=FLOAT)
    timed = Coalesce(_version("pk", "aid", "work_duration_s"), F("work_duration_s"),
                     output_field=FLOAT)
    return (planned_sessions_for(ids, start, end, late_ids, late_days)
            .annotate(logged=Exists(started), plan_m=metres, plan_timed_s=timed)
            .values("aid", week=monday("date"))
            .annotate(planned=Count("pk"), metres=Sum("plan_m"), timed_s=Sum("plan_timed_s"),
                      missed=Count("pk", filter=Q(date__lt=today, logged=False)))
            .order_by())


class _Monday(Func):
    """``Cast(TruncWeek(field), DateField())``; on SQLite, its own ``date()`` (Django's
    ``django_date_trunc`` there is a Python function called for every row grouped)."""

    output_field = DateField()

    def __init__(self, field: str):
        super().__init__(Cast(TruncWeek(field), DateField()), F(field))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[1])
        # The Sunday on or after the day, less six days (SQLite's date modifiers).
        return f"date({sql}, 'weekday 0', '-6 days')", params


def monday(field: str):
    """The Monday of a date column's week, as a date: PostgreSQL's ``DATE_TRUNC`` on a date
    answers a timestamp with time zone, slower to read than a date (hundreds a page)."""
    return _Monday(field)


def _plan_of_log(name: str):
    """A log's plan total ``name``: the athlete's own version's, else the squad's."""
    return Coalesce(_version("session", "athlete_id", name), F(f"session__{name}"),
                    output_field=FLOAT if name != "is_quality" else BooleanField())


def _rep_metres(**conditions):
    """The sum of a log's reps' ``planned_distance_m`` (or distance run) matching
    ``conditions``: a subquery."""
    reps = (RepResult.objects.filter(log=OuterRef("pk"), **conditions).order_by()
            .values("log").annotate(m=Sum(Coalesce("planned_distance_m", "distance_m")))
            .values("m"))
    return Coalesce(Subquery(reps, output_field=FLOAT), Value(0.0))


def done_metres():
    """A started log's distance (see the module docstring): an expression over ``SessionLog``."""
    run = (RepResult.objects.filter(log=OuterRef("pk"), skipped=False, actual_s__isnull=False)
           .order_by().values("log").annotate(m=Sum("distance_m")).values("m"))
    return Case(
        When(distance_m__isnull=False, then=F("distance_m")),
        When(completed=True, then=Greatest(
            _plan_of_log("total_distance_m") - _rep_metres(skipped=True), Value(0.0))),
        default=Coalesce(Subquery(run, output_field=FLOAT), Value(0.0)),
        output_field=FLOAT,
    )


def load_minutes():
    """A log's minutes for its load: entered, else the plan's estimate (over ``SessionLog``)."""
    return Case(When(duration_s__isnull=False, then=F("duration_s") / 60.0),
                default=_plan_of_log("estimated_duration_s") / 60.0, output_field=FLOAT)


def session_load():
    """A log's session-RPE load (RPE x minutes), None without an RPE (over ``SessionLog``)."""
    return Case(When(rpe__isnull=False, then=F("rpe") * load_minutes()), default=None,
                output_field=FLOAT)


def _log_rows(ids, start, end, loads_from, reps: bool = True):
    """The started logs of the athletes' sessions from ``start`` to ``end``, and of the days
    run from ``loads_from`` to ``end``, grouped by athlete, day run and week of the session:
    the log figures, the loads and (``reps``) the reps' figures (a subquery per figure and
    log)."""
    if reps:
        return prepared.rows("log_rows", _log_query, ids, start, end, loads_from)
    return prepared.rows("log_rows_lean", partial(_log_query, reps=False), ids, start, end,
                         loads_from)


def _log_query(ids, start, end, loads_from, *, reps: bool = True):
    easy_and_hard = Q(plan_quality=False, rpe__gte=HIGH_RPE_ON_EASY)
    # The log's ``completed`` is the outer row's (``OuterRef``), not a join back to the log.
    entered = (Q(Exact(OuterRef("completed"), True)) | Q(actual_s__isnull=False)
               | Q(distance_m__isnull=False) | Q(lactate__isnull=False)
               | Q(avg_hr__isnull=False))
    timed_done = entered & Q(skipped=False, duration_s__isnull=False,
                             planned_distance_m__isnull=True)
    reading = Q(skipped=False, lactate__isnull=False, lactate_lo__isnull=False)
    # The logs of the sessions of the weeks and the logs run since ``loads_from``: a UNION of
    # the two, each read by an index. ``session__date in weeks OR date_done since`` spans two
    # tables: PostgreSQL read every log of the athletes' whole history (22,450 for 20 athletes
    # at 200 x 156 weeks) to keep the 740 of the coach's home page.
    mine = SessionLog.objects.filter(athlete_id__in=ids).order_by().values("pk")
    wanted = (mine.filter(session__date__gte=start, session__date__lte=end)
              .union(mine.filter(date_done__gte=loads_from, date_done__lte=end)))
    # A log of an earlier session, run since ``loads_from``, counts for its load only
    # (``figures`` drops the rest of its week's row): its distance, plan and reps' subqueries
    # run only for the logs of the weeks' sessions (a ``CASE`` evaluates the branch it takes),
    # None for the others: about a third of the block overview's logs, four fifths of the
    # coach's home's.
    of_weeks = Q(session__date__gte=start, session__date__lte=end)

    def weeks_only(expression, output_field):
        return Case(When(of_weeks, then=expression), default=None, output_field=output_field)

    logs = (SessionLog.objects.started()
            .filter(athlete_id__in=ids, pk__in=wanted)
            .annotate(done_m=weeks_only(done_metres(), FLOAT), one_load=session_load()))
    if not reps:
        return (logs.values("athlete_id", "date_done", week=monday("session__date"))
                .annotate(logs=Count("pk"), metres=Sum("done_m"), load=Sum("one_load"),
                          rated=Count("pk", filter=Q(one_load__gt=0)))
                .order_by())
    return (logs
            .annotate(plan_quality=weeks_only(_plan_of_log("is_quality"), BooleanField()),
                      n_judged=weeks_only(_reps_of_log(Q(judged=True), judge=with_time_verdict),
                                          IntegerField()),
                      n_on=weeks_only(_reps_of_log(Q(on_target=True), judge=with_time_verdict),
                                      IntegerField()),
                      n_far=weeks_only(_reps_of_log(Q(far_off=True), judge=with_time_verdict),
                                       IntegerField()),
                      n_read=weeks_only(_reps_of_log(reading), IntegerField()),
                      n_in=weeks_only(_reps_of_log(Q(in_band=True), judge=with_lactate_verdict),
                                      IntegerField()),
                      s_timed=weeks_only(_reps_of_log(timed_done, Sum("duration_s")), FLOAT))
            .values("athlete_id", "date_done", week=monday("session__date"))
            .annotate(logs=Count("pk"), metres=Sum("done_m"),
                      rpe_high=Count("pk", filter=easy_and_hard),
                      load=Sum("one_load"), rated=Count("pk", filter=Q(one_load__gt=0)),
                      reps_judged=Sum("n_judged"), reps_on=Sum("n_on"),
                      reps_far_off=Sum("n_far"), lactate_readings=Sum("n_read"),
                      lactate_in_band=Sum("n_in"), timed_s=Sum("s_timed"))
            .order_by())


def _reps_of_log(condition: Q, value=None, *, judge=None):
    """How many of a log's reps meet ``condition`` (after ``judge``: ``with_time_verdict`` or
    ``with_lactate_verdict``), or the sum of ``value`` over them: a subquery over
    ``SessionLog``. The session's tolerance is the outer log's (``OuterRef``): a join of the
    log and its session in the subquery, run once per log, cost more than the count."""
    reps = RepResult.objects.filter(log=OuterRef("pk"))
    if judge is with_time_verdict:
        reps = with_time_verdict(reps, OuterRef("session__tolerance_pct"))
    elif judge is not None:
        reps = judge(reps)
    reps = (reps.filter(condition).order_by().values("log")
            .annotate(v=value or Count("pk")).values("v"))
    return Coalesce(Subquery(reps), Value(0), output_field=FLOAT if value else IntegerField())


def _load_rows(ids, start, end):
    """Each athlete's load by day run (``date_done``), with the logs and rated logs."""
    return (SessionLog.objects.started()
            .filter(athlete_id__in=ids, date_done__gte=start, date_done__lte=end)
            .annotate(one_load=session_load())
            .values("athlete_id", "date_done")
            .annotate(load=Sum("one_load"), logs=Count("pk"),
                      rated=Count("pk", filter=Q(one_load__gt=0)))
            .order_by())


# --- daily load and the acute:chronic ratio -----------------------------------------------------


def daily_load(athlete_ids: Iterable[Athlete] | Iterable[int], start: dt.date,
               end: dt.date) -> dict[int, dict[dt.date, float]]:
    """Each athlete's session-RPE load of every day from ``start`` to ``end`` (rest days 0),
    by the day the logs say they were run. One query."""
    ids = _ids(athlete_ids)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    result = {a: dict.fromkeys(days, 0.0) for a in ids}
    if ids and days:
        for row in _load_rows(ids, start, end):
            result[row["athlete_id"]][as_date(row["date_done"])] += row["load"] or 0.0
    return result


@dataclass(frozen=True)
class AcwrFigure:
    """Acute (7-day load), chronic (28-day load / 4) and their ratio, None when chronic is 0."""

    acute_7d: float
    chronic_28d: float
    ratio: float | None

    @property
    def outside(self) -> bool:
        """Outside the ``ACWR_LOW``-``ACWR_HIGH`` band (a ratio is needed to be outside)."""
        return self.ratio is not None and not ACWR_LOW <= self.ratio <= ACWR_HIGH


_DAYS_BACK = [dt.timedelta(days=i) for i in range(CHRONIC_DAYS)]


def acwr_on(loads: Mapping[dt.date, float], day: dt.date) -> AcwrFigure:
    """The ratio on ``day`` from one athlete's daily loads (``daily_load``; days missing count
    0): pure, for charts that compute it for every day of a range read once."""
    window = [loads.get(day - back, 0.0) for back in _DAYS_BACK]  # day, the day before, ...
    acute = sum(window[:ACUTE_DAYS])
    chronic = sum(window) / (CHRONIC_DAYS / ACUTE_DAYS)
    return AcwrFigure(acute, chronic, acute / chronic if chronic > 0 else None)


def acwr_on_days(loads: Mapping[dt.date, float], days: Sequence[dt.date]) -> list[AcwrFigure]:
    """``acwr_on(loads, day)`` for each of ``days`` (the same windows, in the same order, so
    the same floats), each day's load looked up once instead of once per window it is in (the
    block overview asks for a ratio a week, 28 days back each)."""
    if not days:
        return []
    first = min(days) - _DAYS_BACK[-1]
    span = (max(days) - first).days + 1
    values = [loads.get(first + dt.timedelta(days=i), 0.0) for i in range(span)]
    out = []
    for day in days:
        at = (day - first).days
        window = values[at - CHRONIC_DAYS + 1:at + 1][::-1]  # day, the day before, ...
        acute = sum(window[:ACUTE_DAYS])
        chronic = sum(window) / (CHRONIC_DAYS / ACUTE_DAYS)
        out.append(AcwrFigure(acute, chronic, acute / chronic if chronic > 0 else None))
    return out


def acwr(athlete_ids: Iterable[Athlete] | Iterable[int], day: dt.date) -> dict[int, AcwrFigure]:
    """Each athlete's acute:chronic ratio on ``day`` (``ACWR_METHOD``). One query."""
    loads = daily_load(athlete_ids, day - dt.timedelta(days=CHRONIC_DAYS - 1), day)
    return {a: acwr_on(by_day, day) for a, by_day in loads.items()}


def weekly_loads(daily: Mapping[dt.date, float]) -> dict[dt.date, float]:
    """Daily loads summed by week (Monday)."""
    weeks: dict[dt.date, float] = defaultdict(float)
    for day, load in daily.items():
        weeks[week_start(day)] += load
    return dict(weeks)
