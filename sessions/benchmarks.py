"""The athlete page's benchmark workouts: the workouts an athlete has run two or more times
(the ten most recently run), how often, when last, their best and their trend, by the rules
of "This workout before" (``sessions/workout_history.py``: the same workout whatever its
spelling, clean reps, the main set and its headline). Two queries, whatever the number of
workouts and runs (docs/perf-home-athlete.md, Session 8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, OuterRef

from coach import formats, prepared
from coach.jinja2 import url_maker

from . import judging
from .attention import stand_in_user
from .models import RepResult, SessionLog
from .workout_history import _clean, _of_log, _OfGroup, label_of, main_set

BENCHMARKS = 10  # workouts on the athlete page
BENCHMARK_RUNS = 2  # runs that make a workout a benchmark


@dataclass(frozen=True)
class Best:
    """A benchmark's best run: its log, day and main set's mean (seconds; metres for timed
    reps, ``distance_m`` None)."""

    log_id: int
    date: dt.date
    mean: float
    distance_m: float | None

    @property
    def mean_label(self) -> str:
        """As ``Figures.mean_label`` writes it."""
        if self.distance_m is None:
            return formats.format_amount(self.mean, None)
        return formats.format_split(self.mean, self.distance_m)


@dataclass(frozen=True)
class Benchmark:
    """A workout the athlete has run two or more times."""

    label: str
    main_name: str
    count: int
    last_date: dt.date
    last_url: str
    best: Best | None
    trend: float | None  # the last headline minus the one before; seconds, metres when timed
    timed: bool

    @property
    def trend_label(self) -> str:
        if self.trend is None:
            return ""
        if self.timed:
            if abs(self.trend) < 0.5:
                return "same distance as the run before"
            word = "farther" if self.trend > 0 else "shorter"
            return f"{formats.format_amount(abs(self.trend), None)} {word} than the run before"
        if abs(self.trend) < 0.05:
            return "same as the run before"
        word = "faster" if self.trend < 0 else "slower"
        return f"{judging.format_deviation(abs(self.trend))[1:]} {word} than the run before"


def _benchmark_queries(user, athlete_id: int):
    """The workouts ``athlete`` ran two or more times, with their last run's id and notation
    (``keys``), and the figures of their runs per log and rep amount: the figures select the
    workouts by a subquery of ``keys``, so that both are built from the two ids alone and
    compiled once (``coach.prepared``)."""
    logs = (SessionLog.objects.for_user(user).started().filter(athlete_id=athlete_id)
            .exclude(workout_key=""))
    last = logs.filter(workout_key=OuterRef("workout_key")).order_by("-date_done", "-pk")
    keys = (logs.values("workout_key").annotate(n=Count("pk"), last=Max("date_done"))
            .filter(n__gte=BENCHMARK_RUNS).order_by("-last", "workout_key"))
    runs = logs.filter(workout_key__in=keys.values("workout_key")[:BENCHMARKS])
    shown = keys.annotate(last_pk=_OfGroup(last.values("pk")[:1]),
                          last_planned=_OfGroup(last.values("planned_notation")[:1]),
                          last_session=_OfGroup(last.values("session__notation")[:1]))
    figures = (RepResult.objects.filter(_clean(), log__in=runs.values("pk")).values("log_id")
               .annotate(log_key=_of_log("workout_key"), log_date=_of_log("date_done"),
                         planned=F("planned_distance_m"), duration=F("duration_s"),
                         n=Count("pk"), mean_s=Avg("actual_s"), mean_m=Avg("distance_m"))
               .order_by())
    return shown.values_list("workout_key", "n", "last", "last_pk", "last_planned",
                             "last_session")[:BENCHMARKS], figures


def benchmarks(user, athlete) -> list[Benchmark]:
    """The workouts ``athlete`` ran two or more times (of the logs ``user`` sees), the most
    recently run first: two queries, whatever the number of workouts and runs, each compiled
    once per role of ``user`` (``coach.prepared``). The runs' figures are read as plain rows
    (log, workout, day, rep amount, clean reps, means), a run's headline picked from them by
    its workout's main set; what a run needs besides is its id and day."""
    if not user.is_authenticated:
        return []
    roles = (bool(user.is_coach), bool(user.is_staff))
    key = f"benchmarks.{roles[0]:d}{roles[1]:d}"

    def queries(user_id: int, athlete_id: int):
        return _benchmark_queries(stand_in_user(user_id, *roles), athlete_id)

    keys = prepared.rows(f"{key}.keys", lambda u, a: queries(u, a)[0], user.pk, athlete.pk)[1]
    if not keys:
        return []
    mains = {}  # workout key -> its main set, read from the last run's notation
    for workout_key, _, _, _, planned, notation_text in keys:
        mains[workout_key] = main_set(planned or notation_text)
    # each workout's runs with a headline (every rep of the main set clean): (day, log id,
    # mean), the newest first as the runs are listed
    heads: dict[str, list[tuple[dt.date, int, float]]] = {k: [] for k in mains}
    for (log_id, workout_key, date, distance, duration, n, mean_s, mean_m) in prepared.rows(
            f"{key}.heads", lambda u, a: queries(u, a)[1], user.pk, athlete.pk)[1]:
        main = mains.get(workout_key)
        if main is not None and (distance, duration) == main[0] and n >= main[1]:
            heads[workout_key].append((date, log_id, mean_m if distance is None else mean_s))
    log_url = url_maker("training:log-summary")
    result = []
    for workout_key, n, last, last_pk, planned, notation_text in keys:
        main = mains[workout_key]
        if main is None:  # the notation no longer parses: nothing to read the reps by
            continue
        distance, duration = main[0]
        timed = distance is None
        mine = sorted(heads[workout_key], reverse=True)
        best = None  # the best mean, the newest of equals
        for date, log_id, mean in mine:
            if best is None or (mean > best[2] if timed else mean < best[2]):
                best = (date, log_id, mean)
        result.append(Benchmark(
            label=label_of(planned or notation_text),
            main_name=formats.format_amount(distance, duration), count=n,
            last_date=last, last_url=log_url(last_pk),
            best=None if best is None else Best(log_id=best[1], date=best[0], mean=best[2],
                                                distance_m=distance),
            trend=mine[0][2] - mine[1][2] if len(mine) >= 2 else None,
            timed=timed,
        ))
    return result
