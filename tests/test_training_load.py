"""The figures across athletes and weeks (sessions/training_load.py), checked against values
worked out by hand for a small club, and the judging rule in SQL against sessions/judging.py.

The fixture (``club``): a block Mon 2 Nov - Sun 22 Nov 2026, three weeks; "today" is 25 Nov.

  W1 (2-8 Nov)   S1 Mon 2  4x400 @ 64 (200 jog)     2200 m planned, estimate 454 s, quality
                 S2 Wed 4  10k easy                 10000 m, estimate 3300 s, easy
                 S3 Fri 6  3x5min @ 2.5 mmol (60s)  0 m, 900 s of timed reps, quality
  W2 (9-15 Nov)  S4 Mon 9  4x400 @ 64 (200 jog)     (Cy's own version: 3x400 @ 66 (200 jog),
                                                     1200 m of reps + 2 x 200 m = 1600 m)
                 S5 Thu 12 10k easy
  W3 (16-22 Nov) no sessions.

Ana (in from the start) logs everything; Ben (in from the start) is out 4-6 Nov and logs only
S1; Cy joined the club on 9 Nov (his record was made then) and logs only S5.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from athletes.models import Absence, Athlete
from sessions import judged_sql, judging, load_text, logbook, training_load
from sessions.judged_sql import judged_reps
from sessions.models import RepResult, SessionLog
from sessions.planning import plan_session
from sessions.training_load import (
    ACWR_METHOD,
    CHRONIC_DAYS,
    AcwrFigure,
    acwr,
    acwr_on,
    daily_load,
    week_start,
    weekly_figures,
)
from sessions.versions import save_versions

from . import factories as f

D = dt.date
W1, W2, W3 = D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 16)
TODAY = D(2026, 11, 25)


def _log(session, athlete, times=(), *, skipped=(), lactate=(), completed=True, **fields):
    """A log through the logbook (its rows as planned), with the rep times (None: left
    open), the positions skipped, the lactate readings and the log's own fields."""
    log = logbook.start_log(session, athlete, date_done=fields.pop("date_done", None))
    reps = list(log.reps.order_by("position"))
    for rep, seconds in zip(reps, times, strict=False):
        if seconds is not None:
            logbook.save_rep(rep, {"actual_s": seconds})
    for position in skipped:
        logbook.set_skipped(reps[position - 1], True)
    for rep, value in zip(reps, lactate, strict=False):
        logbook.save_rep(rep, {"lactate": value})
    logbook.update_log(log, {**fields, "completed": completed})
    return log


@pytest.fixture
def club(coach):
    ana = f.make_athlete(name="Ana Aa", coach=coach)
    ben = f.make_athlete(name="Ben Bb", coach=coach)
    cy = f.make_athlete(name="Cy Cc", coach=coach)
    Athlete.objects.filter(pk__in=[ana.pk, ben.pk]).update(
        created=dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC))
    Athlete.objects.filter(pk=cy.pk).update(created=dt.datetime(2026, 11, 9, 12, tzinfo=dt.UTC))
    block = f.make_block(coach=coach, athletes=(ana, ben, cy), start=W1, days=21)
    s1 = f.planned(block, "4x400 @ 64 (200 jog)", date=W1)
    s2 = f.planned(block, "10k easy", date=W1 + dt.timedelta(days=2))
    s3 = f.planned(block, "3x5min @ 2.5 mmol (60s)", date=W1 + dt.timedelta(days=4))
    s4 = f.make_session(block=block, date=W2, notation="4x400 @ 64 (200 jog)", title="400s")
    save_versions(s4, {cy.pk: "3x400 @ 66 (200 jog)"})
    plan_session(s4)
    s5 = f.planned(block, "10k easy", date=W2 + dt.timedelta(days=3))
    Absence.objects.create(athlete=ben, start=W1 + dt.timedelta(days=2),
                           end=W1 + dt.timedelta(days=4), reason="sick")
    # Ana, W1. S1: 63.5 and 64.9 on (band 64 widened 1.5 %: 63.04-64.96); 66.5 slow and
    # far off (> 64 x 1.03 = 65.92); 61.0 fast and far off (< 64 x 0.97 = 62.08).
    # 2200 m (completed, no distance entered, nothing skipped); load 8 x 30 min = 240.
    _log(s1, ana, (63.5, 64.9, 66.5, 61.0), rpe=8, duration_s=1800)
    # S2: 10.5 km entered; no duration: the plan's estimate, 3300 s = 55 min; load 3 x 55 = 165.
    _log(s2, ana, rpe=3, distance_m=10500)
    # S3: three timed reps of 5 min (15 min done); readings 2.4 in, 2.9 above, 2.6 in the band
    # 2.5 +/- 0.2; 0 m; load 7 x 25 min = 175.
    _log(s3, ana, lactate=(2.4, 2.9, 2.6), rpe=7, duration_s=1500)
    # Ana, W2. S4 in progress: two reps timed (64.5, 64.0: both on), no RPE (unrated), 800 m.
    _log(s4, ana, (64.5, 64.0), completed=False)
    # S5, run on Fri 13: RPE 8 on an easy session (flagged); 10 km (the plan); 8 x 50 = 400.
    _log(s5, ana, rpe=8, duration_s=3000, date_done=W2 + dt.timedelta(days=4))
    # Ben, W1: S1 only, reps 3 and 4 skipped: 2200 - 800 = 1400 m; no duration: the estimate,
    # 454 s; load 6 x 454 / 60 = 45.4. S2 and S3 fall on days he is out: not planned.
    _log(s1, ben, (64.0, 64.0), skipped=(3, 4), rpe=6)
    # Cy, W2: S5 only, 9 km entered, 6 x 60 min... RPE 5 x 60 min = 300. His S4 is missed.
    _log(s5, cy, rpe=5, duration_s=3600, distance_m=9000)
    return {"ana": ana, "ben": ben, "cy": cy, "block": block,
            "sessions": (s1, s2, s3, s4, s5)}


def _ids(club):
    return [club["ana"].pk, club["ben"].pk, club["cy"].pk]


def test_a_week_starts_on_monday():
    assert week_start(D(2026, 11, 8)) == W1 and week_start(W1) == W1
    assert week_start(D(2026, 11, 9)) == W2


def test_the_weekly_figures_match_the_hand_worked_values(club):
    figures = weekly_figures(_ids(club), W1 + dt.timedelta(days=3), 3, today=TODAY)
    ana, ben, cy = club["ana"].pk, club["ben"].pk, club["cy"].pk
    assert set(figures) == {(a, w) for a in (ana, ben, cy) for w in (W1, W2, W3)}

    a1 = figures[(ana, W1)]
    assert (a1.planned, a1.done, a1.missed) == (3, 3, 0)
    assert a1.km_planned == pytest.approx(12.2)  # 2.2 + 10 + 0
    assert a1.km_done == pytest.approx(12.7)  # 2.2 + 10.5 + 0
    assert (a1.timed_min_planned, a1.timed_min_done) == (pytest.approx(15), pytest.approx(15))
    assert (a1.reps_judged, a1.reps_on, a1.reps_far_off) == (4, 2, 2)
    assert a1.adherence == pytest.approx(0.5)
    assert (a1.lactate_readings, a1.lactate_in_band) == (3, 2)
    assert a1.load == pytest.approx(580)  # 240 + 165 + 175
    assert (a1.rated, a1.unrated, a1.rpe_high) == (3, 0, 0)

    a2 = figures[(ana, W2)]
    assert (a2.planned, a2.done, a2.missed) == (2, 2, 0)
    assert a2.km_planned == pytest.approx(12.2)  # 2.2 + 10
    assert a2.km_done == pytest.approx(10.8)  # 0.8 (two reps timed) + 10 (the plan)
    assert (a2.reps_judged, a2.reps_on, a2.adherence) == (2, 2, 1.0)
    assert a2.load == pytest.approx(400)
    assert (a2.rated, a2.unrated, a2.rpe_high) == (1, 1, 1)

    b1 = figures[(ben, W1)]
    assert (b1.planned, b1.done, b1.missed) == (1, 1, 0)  # S2, S3: out
    assert (b1.km_planned, b1.km_done) == (pytest.approx(2.2), pytest.approx(1.4))
    assert (b1.reps_judged, b1.reps_on) == (2, 2)
    assert b1.load == pytest.approx(45.4)
    b2 = figures[(ben, W2)]
    assert (b2.planned, b2.done, b2.missed) == (2, 0, 2)
    assert (b2.km_planned, b2.km_done, b2.load, b2.adherence) == (pytest.approx(12.2), 0, 0, None)

    c1, c2 = figures[(cy, W1)], figures[(cy, W2)]
    assert (c1.planned, c1.done, c1.missed, c1.km_planned) == (0, 0, 0, 0)  # before joining
    assert (c2.planned, c2.done, c2.missed) == (2, 1, 1)
    assert c2.km_planned == pytest.approx(11.6)  # his own version's 1.6 + 10
    assert c2.km_done == pytest.approx(9.0)
    assert c2.load == pytest.approx(300)

    for athlete in (ana, ben, cy):  # the week without sessions
        empty = figures[(athlete, W3)]
        assert (empty.planned, empty.done, empty.missed, empty.load) == (0, 0, 0, 0)
        assert empty.adherence is None and empty.lactate_share is None


def test_sessions_not_yet_passed_are_not_missed(club):
    figures = weekly_figures(_ids(club), W2, 1, today=W2 + dt.timedelta(days=1))
    assert figures[(club["ben"].pk, W2)].missed == 1  # Mon 9 passed; Thu 12 not yet
    assert figures[(club["cy"].pk, W2)].missed == 1


def test_the_daily_load_and_the_acute_chronic_ratio_match_the_hand_worked_values(club):
    ana, ben, cy = club["ana"].pk, club["ben"].pk, club["cy"].pk
    loads = daily_load(_ids(club), W1, W2 + dt.timedelta(days=6))
    assert loads[ana][W1] == pytest.approx(240)
    assert loads[ana][D(2026, 11, 4)] == pytest.approx(165)
    assert loads[ana][D(2026, 11, 12)] == 0 and loads[ana][D(2026, 11, 13)] == pytest.approx(400)
    assert len(loads[ben]) == 14 and sum(loads[ben].values()) == pytest.approx(45.4)
    # Sun 15 Nov. Ana: acute (9-15 Nov) 400; chronic (19 Oct-15 Nov) (240+165+175+400)/4 = 245;
    # 400/245 = 1.633. Ben: 0 and 45.4/4 = 11.35: ratio 0. Cy: 300 and 75: ratio 4.
    ratios = acwr(_ids(club), D(2026, 11, 15))
    assert ratios[ana] == AcwrFigure(pytest.approx(400), pytest.approx(245),
                                     pytest.approx(400 / 245))
    assert ratios[ana].outside and ratios[ana].ratio == pytest.approx(1.6327, abs=1e-4)
    assert ratios[ben].ratio == 0 and ratios[ben].chronic_28d == pytest.approx(11.35)
    assert ratios[cy].ratio == pytest.approx(4.0)
    # Sun 8 Nov, Ana: 580 over both windows: 580 / 145 = 4.0. Before any log: no ratio.
    assert acwr([ana], D(2026, 11, 8))[ana].ratio == pytest.approx(4.0)
    nothing = acwr([ana], D(2026, 11, 1))[ana]
    assert nothing == AcwrFigure(0.0, 0.0, None) and not nothing.outside
    assert "28" in ACWR_METHOD and "7" in ACWR_METHOD


def test_the_figures_read_the_weeks_and_the_loads_for_the_ratio_at_once(club):
    ids = _ids(club)
    sunday = D(2026, 11, 15)
    both = training_load.figures(ids, W2, 1, today=TODAY,
                                 loads_from=sunday - dt.timedelta(days=27))
    assert set(both.weeks) == {(a, W2) for a in ids}
    assert both.weeks[(club["ana"].pk, W2)].load == pytest.approx(400)
    assert both.weeks[(club["ana"].pk, W2)].done == 2
    assert both.daily[club["ana"].pk][W1] == pytest.approx(240)
    for athlete_id, figure in acwr(ids, sunday).items():
        assert both.acwr(athlete_id, sunday) == figure


def test_the_ratio_helper_counts_missing_days_as_rest():
    day = D(2026, 11, 28)
    loads = {day: 100.0, day - dt.timedelta(days=7): 300.0, day - dt.timedelta(days=28): 999.0}
    figure = acwr_on(loads, day)
    assert (figure.acute_7d, figure.chronic_28d) == (100.0, 100.0)  # (100 + 300) / 4
    assert figure.ratio == 1.0 and not figure.outside


def test_the_ratios_of_several_days_are_those_of_each_day():
    """``acwr_on_days`` (the block overview's, a week's last day each) gives exactly the
    figures of ``acwr_on`` day by day: same windows, same order of addition, same floats;
    days missing from the loads count 0, ends earlier than the loads read included."""
    rng = random.Random(16)
    first = D(2026, 9, 7)
    loads = {first + dt.timedelta(days=i): rng.choice([0.0, rng.uniform(0, 900) / 7])
             for i in range(120) if rng.random() < 0.8}
    days = sorted({first + dt.timedelta(days=rng.randrange(-10, 130)) for _ in range(40)})
    days += [days[0], first + dt.timedelta(days=200)]  # a repeat, a day long after the loads
    assert training_load.acwr_on_days(loads, days) == [acwr_on(loads, d) for d in days]
    assert training_load.acwr_on_days(loads, []) == []


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_figures_cost_the_same_queries_for_2_and_8_weeks_of_history(
        club, coach, django_assert_num_queries):
    ids = _ids(club)
    two = _queries(lambda: weekly_figures(ids, W1, 2, today=TODAY))
    assert two == 3  # who joined when, the planned sessions, the logs (with their reps)
    # six more weeks of history before: another block, every session logged with reps
    earlier = f.make_block(coach=coach, athletes=(club["ana"], club["ben"]),
                           start=W1 - dt.timedelta(days=42), days=42, title="Earlier")
    for week in range(6):
        for day, text in ((0, "4x400 @ 64 (200 jog)"), (2, "10k easy")):
            session = f.planned(earlier, text, date=earlier.start_date
                                + dt.timedelta(days=7 * week + day))
            for athlete in (club["ana"], club["ben"]):
                _log(session, athlete, (64, 65, 63, 64), rpe=5, duration_s=2400)
    with django_assert_num_queries(two):
        eight = weekly_figures(ids, W1 - dt.timedelta(days=42), 8, today=TODAY)
    assert eight[(club["ana"].pk, W1 - dt.timedelta(days=42))].planned == 2
    assert eight[(club["ana"].pk, W1 - dt.timedelta(days=42))].load == pytest.approx(400)
    with django_assert_num_queries(1):
        acwr(ids, D(2026, 11, 15))
    joined = training_load.joined_dates(ids)
    with django_assert_num_queries(2):  # who joined when, read already
        training_load.figures(ids, W2, 1, today=TODAY, loads_from=D(2026, 10, 19),
                              joined=joined)


def test_the_sql_judging_agrees_with_the_python_rule_rep_by_rep(coach, athlete):
    """Random reps (cut short or not, one-value and banded targets, borderline times, lactate
    around one-value and banded targets) judged by the database and by sessions.judging."""
    rng = random.Random(15)
    block = f.make_block(coach=coach, athletes=(athlete,))
    logs = []
    for i, tolerance in enumerate((0.5, 1.5, 3.0)):
        session = f.make_session(block=block, date=block.start_date + dt.timedelta(days=i))
        session.tolerance_pct = tolerance
        session.save(update_fields=["tolerance_pct"])
        logs.append(SessionLog.objects.create(session=session, athlete=athlete,
                                              date_done=session.date))
    reps = []
    for n in range(240):
        log = logs[n % 3]
        lo = rng.choice([None, 60.0, 64.0, 180.0])
        hi = rng.choice([None, lo, lo + 2.0]) if lo else None
        planned = rng.choice([None, 400.0, 1000.0])
        run = rng.choice([planned, planned, 300.0, 400.05]) if planned else None
        middle = (lo or 64.0) * ((run or 1) / (planned or 1))
        actual = rng.choice([None, middle, middle * rng.uniform(0.94, 1.06),
                             middle * (1 + log.session.tolerance_pct / 100)])
        lactate_lo = rng.choice([None, 2.5, 3.0])
        lactate_hi = rng.choice([None, lactate_lo, (lactate_lo or 0) + 0.5]) if lactate_lo else None
        reps.append(RepResult(
            log=log, position=n // 3 + 1, target_lo_s=lo, target_hi_s=hi,
            planned_distance_m=planned, distance_m=run, actual_s=actual,
            skipped=rng.random() < 0.1, lactate_lo=lactate_lo, lactate_hi=lactate_hi,
            lactate=rng.choice([None, 2.3, 2.5, 2.71, 3.2, 3.5, 3.6])))
    RepResult.objects.bulk_create(reps)
    sql = {row["pk"]: row for row in judged_reps(RepResult.objects.filter(log__in=logs))
           .values("pk", "judged", "on_target", "far_off", "in_band")}
    seen = set()
    for rep in RepResult.objects.filter(log__in=logs).select_related("log__session"):
        verdict = judging.judge(rep, rep.log.session.tolerance_pct)
        row = sql[rep.pk]
        assert row["judged"] == (verdict.status is not None), rep.__dict__
        assert row["on_target"] == (verdict.status == "on"), rep.__dict__
        if verdict.target is not None and verdict.status is not None:
            lo, hi = verdict.target
            far = rep.actual_s < lo * 0.97 or rep.actual_s > hi * 1.03
            assert row["far_off"] == far, rep.__dict__
        assert row["in_band"] == (verdict.lactate_status == "in"), rep.__dict__
        seen.add((verdict.status, verdict.lactate_status))
    assert {"on", "fast", "slow", None} <= {s for s, _ in seen}
    assert {"in", "above", "below", None} <= {lac for _, lac in seen}


def test_the_adherence_of_a_week_equals_the_logs_summaries(club):
    """The weekly share on target is the sum of what each log's own summary counts."""
    ana = club["ana"]
    figures = weekly_figures([ana.pk], W1, 2, today=TODAY)
    for week in (W1, W2):
        logs = SessionLog.objects.filter(athlete=ana, session__date__gte=week,
                                         session__date__lt=week + dt.timedelta(days=7))
        on = judged = 0
        for log in logs.select_related("session").prefetch_related("reps"):
            on += log.adherence.on
            judged += log.adherence.judged
        assert (figures[(ana.pk, week)].reps_on, figures[(ana.pk, week)].reps_judged) == (
            on, judged)


def test_no_athletes_or_no_weeks_cost_nothing(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert weekly_figures([], W1, 4) == {}
        assert daily_load([], W1, W2) == {}
    assert judged_sql.FAR_OFF_PCT == 3.0


def test_the_reps_figures_of_each_log_equal_the_judged_reps_counted_one_by_one(coach, athlete):
    """The log rows' rep counts (subqueries reading the outer log's tolerance and ``completed``,
    not joins back to the log) equal ``judged_reps`` (tolerance through each rep's log)
    counted in Python: tolerances 0.5 to 3 %, completed logs or not, timed reps or not."""
    rng = random.Random(16)
    block = f.make_block(coach=coach, athletes=(athlete,))
    logs = []
    for i, tolerance in enumerate((0.5, 1.5, 3.0, 1.5, 0.5, 3.0)):
        session = f.make_session(block=block, date=block.start_date + dt.timedelta(days=i))
        session.tolerance_pct = tolerance
        session.save(update_fields=["tolerance_pct"])
        logs.append(SessionLog.objects.create(session=session, athlete=athlete, rpe=5,
                                              completed=i % 2 == 0, date_done=session.date))
    reps = []
    for n in range(300):
        log = logs[n % len(logs)]
        lo = rng.choice([None, 60.0, 64.0, 180.0])
        hi = rng.choice([None, lo, lo + 2.0]) if lo else None
        planned = rng.choice([None, 400.0, 1000.0])
        run = rng.choice([None, planned, 300.0, 400.05]) if planned else rng.choice([None, 900.0])
        middle = (lo or 64.0) * ((run or 1) / (planned or 1))
        actual = rng.choice([None, middle, middle * rng.uniform(0.94, 1.06),
                             middle * (1 + log.session.tolerance_pct / 100)])
        lactate_lo = rng.choice([None, 2.5, 3.0])
        reps.append(RepResult(
            log=log, position=n // len(logs) + 1, target_lo_s=lo, target_hi_s=hi,
            planned_distance_m=planned, distance_m=run, actual_s=actual,
            duration_s=rng.choice([None, 180.0, 300.0]), skipped=rng.random() < 0.1,
            lactate_lo=lactate_lo, lactate_hi=rng.choice([None, lactate_lo]),
            avg_hr=rng.choice([None, 150]),
            lactate=rng.choice([None, 2.3, 2.5, 2.71, 3.2])))
    RepResult.objects.bulk_create(reps)
    expected = {log.date_done: [0, 0, 0, 0, 0, 0.0] for log in logs}
    for rep in judged_reps(RepResult.objects.filter(log__in=logs)).select_related("log"):
        counts = expected[rep.log.date_done]
        counts[0] += rep.judged
        counts[1] += rep.on_target
        counts[2] += rep.far_off
        counts[3] += not rep.skipped and rep.lactate is not None and rep.lactate_lo is not None
        counts[4] += rep.in_band
        entered = (rep.log.completed or rep.actual_s is not None or rep.distance_m is not None
                   or rep.lactate is not None or rep.avg_hr is not None)
        if (entered and not rep.skipped and rep.duration_s is not None
                and rep.planned_distance_m is None):
            counts[5] += rep.duration_s
    start, end = logs[0].date_done, logs[-1].date_done
    rows = training_load._log_query([athlete.pk], start, end, start).values_list(
        "date_done", "reps_judged", "reps_on", "reps_far_off", "lactate_readings",
        "lactate_in_band", "timed_s")
    got = {day: [judged, on, far, read, in_band, timed]
           for day, judged, on, far, read, in_band, timed in rows}
    assert got == expected
    assert sum(c[0] for c in expected.values()) > sum(c[1] for c in expected.values()) > 0
    assert sum(c[2] for c in expected.values()) > 0 and sum(c[4] for c in expected.values()) > 0
    assert all(c[5] > 0 for c in expected.values())


def test_the_log_rows_read_the_logs_of_the_weeks_and_those_run_since_loads_from(coach, db):
    """The UNION (logs of the weeks' sessions, logs run since ``loads_from``) keeps the logs the
    condition ``session in the weeks OR run since loads_from`` keeps: logs run days before or
    after their session, across the edges of both ranges, of athletes not asked for, not
    started."""
    rng = random.Random(17)
    athletes = [f.make_athlete(name=f"Runner {i}", coach=coach) for i in range(3)]
    block = f.make_block(coach=coach, athletes=tuple(athletes), start=D(2026, 9, 7), days=84)
    sessions = [f.make_session(block=block, date=block.start_date + dt.timedelta(days=i))
                for i in range(84)]
    for athlete in athletes:
        for session in rng.sample(sessions, 50):
            SessionLog.objects.create(
                session=session, athlete=athlete, rpe=rng.choice([None, 4, 7]),
                completed=rng.random() < 0.8,
                date_done=session.date + dt.timedelta(days=rng.choice([-9, -1, 0, 0, 2, 12])))
    ids = [a.pk for a in athletes[:2]]
    for start, end, loads_from in ((D(2026, 10, 5), D(2026, 10, 18), D(2026, 9, 8)),
                                   (D(2026, 11, 2), D(2026, 11, 8), D(2026, 10, 6)),
                                   (D(2026, 9, 7), D(2026, 11, 29), D(2026, 9, 7))):
        kept = (SessionLog.objects.started().filter(athlete_id__in=ids)
                .filter(Q(session__date__gte=start, session__date__lte=end)
                        | Q(date_done__gte=loads_from, date_done__lte=end)))
        expected = Counter((log.athlete_id, log.date_done, week_start(log.session.date))
                           for log in kept.select_related("session"))
        rows = training_load._log_query(ids, start, end, loads_from).values_list(
            "athlete_id", "date_done", "week", "logs")
        got = Counter()
        for athlete_id, day, week, logs in rows:
            got[(athlete_id, day, training_load.as_date(week))] += logs
        assert got == expected
        assert len(expected) > 5
        if loads_from < start:  # logs of earlier sessions, run since loads_from
            assert any(week < week_start(start) for _, _, week in expected)
        assert kept.count() < SessionLog.objects.filter(athlete_id__in=ids).count()


def test_the_log_rows_figure_the_reps_of_the_weeks_logs_only(coach, db):
    """A log of an earlier session, run since ``loads_from``, counts for its load only: its
    distance, plan and reps' figures (subqueries) are None (``rpe_high`` 0), and the rows of
    the weeks equal those of the same query over a range that starts at ``loads_from`` (where
    every log read gets its figures), column by column; the earlier logs' loads, counts and
    rated counts too."""
    rng = random.Random(18)
    athletes = [f.make_athlete(name=f"Runner {i}", coach=coach) for i in range(2)]
    block = f.make_block(coach=coach, athletes=tuple(athletes), start=D(2026, 8, 24), days=98)
    sessions = [f.make_session(block=block, date=block.start_date + dt.timedelta(days=i))
                for i in range(98)]
    reps = []
    for athlete in athletes:
        for session in rng.sample(sessions, 70):
            log = SessionLog.objects.create(
                session=session, athlete=athlete, rpe=rng.choice([None, 4, 8]),
                completed=rng.random() < 0.6, duration_s=rng.choice([None, 1800.0, 2400.0]),
                distance_m=rng.choice([None, None, 8000.0]),
                date_done=session.date + dt.timedelta(days=rng.choice([-3, 0, 0, 0, 2, 9])))
            for position in range(1, rng.randint(0, 6) + 1):
                lo = rng.choice([None, 60.0, 64.0])
                planned = rng.choice([None, 400.0, 1000.0])
                reps.append(RepResult(
                    log=log, position=position, target_lo_s=lo,
                    target_hi_s=rng.choice([None, lo + 2.0]) if lo else None,
                    planned_distance_m=planned, distance_m=rng.choice([None, planned]),
                    actual_s=rng.choice([None, 60.0, 63.0, 66.0, 70.0]),
                    duration_s=rng.choice([None, 180.0, 300.0]), skipped=rng.random() < 0.1,
                    lactate_lo=rng.choice([None, 2.5]), lactate=rng.choice([None, 2.4, 3.5])))
    RepResult.objects.bulk_create(reps)
    ids = [a.pk for a in athletes]
    columns = ("athlete_id", "date_done", "week", "logs", "metres", "rpe_high", "load",
               "rated", "reps_judged", "reps_on", "reps_far_off", "lactate_readings",
               "lactate_in_band", "timed_s")
    figured = columns[4:5] + columns[8:]  # None for a log of an earlier session

    def rows(start, end, loads_from):
        return {(r[0], r[1], training_load.as_date(r[2])): r
                for r in training_load._log_query(ids, start, end, loads_from)
                .values_list(*columns)}

    for start, end, loads_from in ((D(2026, 10, 5), D(2026, 10, 18), D(2026, 9, 7)),
                                   (D(2026, 11, 9), D(2026, 11, 15), D(2026, 10, 12))):
        got, wide = rows(start, end, loads_from), rows(loads_from, end, loads_from)
        earlier = [key for key in got if key[2] < start]
        weeks = [key for key in got if start <= key[2] <= end]
        assert len(earlier) > 3 and len(weeks) > 5 and len(got) == len(earlier) + len(weeks)
        for key in weeks:
            assert got[key] == wide[key]
        for key in earlier:
            row = dict(zip(columns, got[key], strict=True))
            assert all(row[name] is None for name in figured) and row["rpe_high"] == 0, row
            if key[2] >= loads_from:
                assert got[key][3] == wide[key][3]
                assert (row["load"], row["rated"]) == (wide[key][6], wide[key][7])
        assert any(wide[key][8] for key in earlier if key in wide)
        assert any(got[key][8] for key in weeks) and any(got[key][4] for key in weeks)


def test_the_loads_read_as_text_give_the_ratio_of_the_daily_loads_to_the_last_bit(coach, db):
    """``load_text.loads_text`` (the coach's home: one text of day:load per athlete) read back
    by ``acwr_from_text`` gives ``acwr``'s figures exactly (``==``, not approximately): loads
    with fractional minutes (seconds not a multiple of 60, the plan's estimate), two logs on
    a day, logs without an RPE or not started, days before and after the window, another
    athlete's logs. The sums are of floats: summed in another order (the database's ``SUM``
    over the window), 17 of 72,200 figures of the scale data showed another whole number."""
    from sessions.overview import athlete_table

    rng = random.Random(18)
    athletes = [f.make_athlete(name=f"Loaded {i}", coach=coach) for i in range(3)]
    block = f.make_block(coach=coach, athletes=tuple(athletes), start=D(2026, 9, 7), days=70)
    sessions = [f.planned(block, rng.choice(["10k easy", "4x400 @ 64 (200 jog)"]),
                          date=block.start_date + dt.timedelta(days=i)) for i in range(0, 70, 2)]
    for athlete in athletes[:2]:
        for session in rng.sample(sessions, 30):  # run 2 days late: two logs on a day
            SessionLog.objects.create(
                session=session, athlete=athlete, rpe=rng.choice([None, 3, 7, 9]),
                duration_s=rng.choice([None, 1830.0, 2345.5, rng.uniform(600, 5000)]),
                completed=rng.random() < 0.9,
                date_done=session.date + dt.timedelta(days=rng.choice([0, 0, 1, 2])))
    ids = [a.pk for a in athletes]
    fractional = 0
    for day in (block.start_date + dt.timedelta(days=i) for i in range(-3, 80, 3)):
        since = day - dt.timedelta(days=CHRONIC_DAYS - 1)
        texts = dict(Athlete.objects.filter(pk__in=ids)
                     .annotate(t=load_text.loads_text(since, day)).values_list("pk", "t"))
        back = load_text.days_back(day)
        for athlete_id, figure in acwr(ids, day).items():
            assert load_text.acwr_from_text(texts[athlete_id], back) == figure
            fractional += figure.acute_7d != int(figure.acute_7d)
        assert texts[athletes[2].pk] is None
    assert fractional > 20
    assert (SessionLog.objects.filter(athlete__in=athletes[:2]).values("athlete", "date_done")
            .annotate(n=Count("pk")).filter(n__gt=1).exists())
    # The home's table reads them so (its own query: the athletes' texts).
    day = D(2026, 10, 7)
    table = athlete_table(coach, today=day)
    assert {row.athlete.pk: row.acwr for row in table.rows} == acwr(ids, day)
    nothing = AcwrFigure(0.0, 0.0, None)
    assert load_text.acwr_from_text(None, back) == nothing == load_text.acwr_from_text("", back)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DateStyle is PostgreSQL's")
def test_the_loads_text_writes_its_days_whatever_the_servers_date_style(coach, db):
    """A date cast to text follows the server's ``DateStyle`` (``SQL, DMY``: 07/10/2026):
    the loads' text writes its days as ``YYYY-MM-DD`` itself, which ``days_back`` reads."""
    athlete = f.make_athlete(name="Styled", coach=coach)
    block = f.make_block(coach=coach, athletes=(athlete,), start=D(2026, 9, 28), days=14)
    session = f.planned(block, "10k easy", date=D(2026, 10, 6))
    SessionLog.objects.create(session=session, athlete=athlete, rpe=5, duration_s=3000.0,
                              completed=True, date_done=D(2026, 10, 6))
    day = D(2026, 10, 7)
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        text = (Athlete.objects.filter(pk=athlete.pk)
                .annotate(t=load_text.loads_text(day - dt.timedelta(days=CHRONIC_DAYS - 1), day))
                .values_list("t", flat=True).get())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle = 'ISO, MDY'")
    assert text == "2026-10-06:250"
    assert load_text.acwr_from_text(text, load_text.days_back(day)) == acwr([athlete.pk], day)[
        athlete.pk]
