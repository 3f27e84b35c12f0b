"""This workout before (sessions/workout_history.py): the key on each log, an athlete's earlier
runs of the same workout however it was spelled, the best in 12 months, the benchmark
workouts on the athlete page, the panels on the log summary and session page, and their query
counts at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from coach import notation
from sessions import benchmarks, workout_history
from sessions.logbook import finish_log, save_rep, start_log
from sessions.models import RepResult, SessionLog
from tests import factories as f

DAY = dt.date(2026, 11, 2)
SIX = "6x400 @ 64 (200 jog)"


def run(session, athlete, times, *, skip=(), date=None, finish=True) -> SessionLog:
    """Log ``session`` for ``athlete``: ``times`` for the reps in order (None leaves one open),
    the positions in ``skip`` skipped."""
    log = start_log(session, athlete, date_done=date)
    for rep, seconds in zip(log.reps.order_by("position"), times, strict=False):
        if rep.position in skip:
            save_rep(rep, {"skipped": True})
        elif seconds is not None:
            save_rep(rep, {"actual_s": seconds})
    if finish:
        finish_log(log, skip_open=True)
    return log


@pytest.fixture
def two_blocks(coach, athlete):
    """An autumn block and the winter block after it, both with ``athlete``."""
    autumn = f.make_block(coach=coach, athletes=(athlete,), start=DAY, title="Autumn")
    winter = f.make_block(coach=coach, athletes=(athlete,), start=DAY + dt.timedelta(days=28),
                          title="Winter")
    return autumn, winter


def clients(*users) -> list[Client]:
    """One logged-in client per user (the ``client`` fixture is one client for all)."""
    made = []
    for user in users:
        made.append(Client())
        made[-1].force_login(user)
    return made


def text(response) -> str:
    return " ".join(response.content.decode().split())


# --- the key on the log -------------------------------------------------------------------------

def test_starting_a_log_stores_the_key_of_the_notation_it_records(block, athlete):
    session = f.planned(block, "2mi WU; " + SIX + "; 2mi CD")
    log = run(session, athlete, [64] * 6)
    assert log.planned_notation == session.notation
    assert log.workout_key == notation.workout_key(notation.parse(SIX))
    assert SessionLog.objects.get(pk=log.pk).workout_key == log.workout_key


def test_an_easy_run_and_a_notation_that_no_longer_parses_have_no_key(block, athlete):
    easy = f.planned(block, "50min easy")
    assert run(easy, athlete, []).workout_key == ""
    assert workout_history.key_of("12x") == ""
    assert workout_history.key_of("") == ""


def test_the_key_follows_a_replanned_session_until_something_is_entered(block, athlete, coach):
    from sessions.planning import plan_session

    session = f.planned(block, SIX)
    log = start_log(session, athlete)
    session.notation = "8x400 @ 64 (200 jog)"
    session.save()
    plan_session(session)
    log = start_log(session, athlete)  # the empty rows follow the new plan, and so does the key
    assert log.workout_key == workout_history.key_of("8x400 (200 jog)")
    save_rep(log.reps.first(), {"actual_s": 64})
    session.notation = SIX
    session.save()
    plan_session(session)
    assert start_log(session, athlete).workout_key == workout_history.key_of("8x400 (200 jog)")


def test_the_migration_backfills_the_key_from_the_recorded_notation(block, athlete):
    import importlib

    backfill = importlib.import_module("sessions.migrations.0011_workout_key").backfill
    from django.apps import apps

    recorded = run(f.planned(block, SIX), athlete, [64] * 6)
    unrecorded = f.make_log(session=f.planned(block, "3x4x400 (60s)",
                                              date=DAY + dt.timedelta(days=1)), athlete=athlete)
    broken = f.make_log(session=f.make_session(block=block, date=DAY + dt.timedelta(days=2),
                                               notation="12x"), athlete=athlete)
    SessionLog.objects.update(workout_key="")
    backfill(apps, None)
    keys = dict(SessionLog.objects.values_list("pk", "workout_key"))
    assert keys == {recorded.pk: workout_history.key_of(SIX),
                    unrecorded.pk: workout_history.key_of("12x400 (60s)"), broken.pk: ""}


# --- the main set -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("12x400 (200 jog) & 10x200 (200 jog)", ((400.0, None), 12)),
    ("400-800-1200-800-400", ((800.0, None), 2)),
    ("5x6min (1min); 4x200", ((200.0, None), 4)),
    ("5x6min (1min); 2x20min", ((None, 1200.0), 2)),
    ("50min easy", None),
    ("12x", None),
])
def test_the_main_set_is_the_amount_with_the_most_work(text, expected):
    assert workout_history.main_set(text) == expected


# --- earlier runs -------------------------------------------------------------------------------

def test_the_log_shows_earlier_runs_of_the_same_workout_however_spelled(
        two_blocks, athlete, second, coach):
    autumn, winter = two_blocks
    autumn.athletes.add(second)
    first = run(f.planned(autumn, "6 x 400m @ 66 (200m jog)", title="First"), athlete,
                [66, 65, 65.5, 65, 64.5, 64], date=DAY)
    then = run(f.planned(autumn, "2k WU; 6x400 @ T (200 jog); 2k CD", title="Then",
                         date=DAY + dt.timedelta(days=7)), athlete, [65, 64.6, 64, 64, 63.8, 63])
    f.planned(autumn, "6x400 (100 jog)", date=DAY + dt.timedelta(days=8))  # another workout
    run(f.planned(autumn, "6x400 (100 jog)", date=DAY + dt.timedelta(days=9)), athlete, [60] * 6)
    run(f.planned(autumn, SIX, date=DAY + dt.timedelta(days=10), title="Ben's"), second,
        [60] * 6)
    now = run(f.planned(winter, SIX, title="Now"), athlete, [64] * 6)
    later = run(f.planned(winter, SIX, title="Later", date=winter.start_date
                          + dt.timedelta(days=3)), athlete, [63] * 6)

    [history] = workout_history.for_log(athlete.user, now)
    assert [r.log.pk for r in history.runs] == [then.pk, first.pk]
    assert history.label == "6×400 m"
    figures = history.runs[0].figures[0]
    assert (figures.name, figures.count, figures.mean_label, figures.best_label) == (
        "400 m", 6, "64.1", "63.0")
    assert history.season_best.run.log_id == now.pk  # up to this log's day: 64.0 beats 64.1
    assert history.season_best.is_this
    assert [r.log.pk for r in workout_history.for_log(athlete.user, later)[0].runs] == [
        now.pk, then.pk, first.pk]
    assert workout_history.for_log(athlete.user, first)[0].runs == []


def test_a_run_counts_for_the_best_only_with_every_rep_of_the_main_set(block, athlete):
    fast_but_skipped = run(f.planned(block, SIX), athlete, [60, 60, 60, 60, 60, 60], skip={6})
    cut_short = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=1)), athlete,
                    [66] * 6)
    row = cut_short.reps.get(position=1)
    save_rep(row, {"distance_m": 300, "actual_s": 48})
    full = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=2)), athlete, [65] * 6)
    today = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=3)), athlete, [67] * 6)

    [history] = workout_history.for_log(athlete.user, today)
    runs = {r.log.pk: r for r in history.runs}
    assert runs[fast_but_skipped.pk].figures[0].count == 5
    assert runs[fast_but_skipped.pk].headline is None
    assert runs[cut_short.pk].figures[0].count == 5  # the rep cut short has no comparable time
    assert history.season_best.run.log_id == full.pk
    assert not history.season_best.is_this


def test_a_runs_reps_are_judged_as_the_log_summary_judges_them(block, athlete):
    """A run's "on target" count, judged reps and mean deviation, read from the reps run with a
    time against a time target alone, are those of ``SessionLog.adherence`` and ``judge`` over
    every rep: skipped, open, cut short, added (judged, but out of the mean) and a wide band
    (``judging.rep_target`` scaled, ``status`` with the session's tolerance)."""
    from sessions import judging
    from sessions.logbook import add_rep

    session = f.planned(block, "8x400 @ 62-66 (200 jog)")
    session.tolerance_pct = 3.0
    session.save(update_fields=["tolerance_pct"])
    mixed = run(session, athlete, [61, 70, 64.3, 63.95, None, 65, 66, 59], skip={8},
                finish=False)
    short = mixed.reps.get(position=6)
    save_rep(short, {"distance_m": 300, "actual_s": 47.2})
    extra = add_rep(mixed, distance_m=400)
    save_rep(extra, {"actual_s": 58})
    RepResult.objects.filter(pk=extra.pk).update(target_lo_s=62, target_hi_s=66)  # judged
    plain = run(f.planned(block, "8x400 @ 62-66 (200 jog)", date=DAY + dt.timedelta(days=1)),
                athlete, [], finish=False)  # nothing entered: nothing judged
    today = run(f.planned(block, "8x400 @ 62-66 (200 jog)", date=DAY + dt.timedelta(days=2)),
                athlete, [64] * 8)
    [history] = workout_history.for_log(athlete.user, today)
    runs = {r.log.pk: r for r in history.runs}
    for log in (mixed, plain):
        log = SessionLog.objects.select_related("session").get(pk=log.pk)
        reps = list(log.reps.order_by("position"))
        adherence = log.adherence
        deviations = [d for rep in reps if not rep.extra
                      and (d := judging.judge(rep, log.session.tolerance_pct).deviation)
                      is not None]
        found = runs[log.pk]
        assert (found.on_target, found.judged) == (adherence.on, adherence.judged)
        assert found.mean_deviation == (sum(deviations) / len(deviations) if deviations
                                         else None)
    assert runs[mixed.pk].judged == 7 and runs[plain.pk].judged == 0
    assert runs[plain.pk].mean_deviation_label == ""


def test_the_best_looks_back_twelve_months(coach, athlete):
    old = f.make_block(coach=coach, athletes=(athlete,), start=DAY - dt.timedelta(days=400))
    new = f.make_block(coach=coach, athletes=(athlete,), start=DAY)
    run(f.planned(old, SIX), athlete, [60] * 6)
    kept = run(f.planned(new, SIX), athlete, [64] * 6)
    today = run(f.planned(new, SIX, date=DAY + dt.timedelta(days=1)), athlete, [66] * 6)
    [history] = workout_history.for_log(athlete.user, today)
    assert len(history.runs) == 2
    assert history.season_best.run.log_id == kept.pk


def test_timed_reps_compare_the_distance_run(block, athlete):
    timed = "4x3min @ T (1min)"
    first = run(f.planned(block, timed), athlete, [], finish=False)
    second_run = run(f.planned(block, timed, date=DAY + dt.timedelta(days=1)), athlete, [],
                     finish=False)
    for log, metres in ((first, 1000), (second_run, 1020)):
        for rep in log.reps.all():
            save_rep(rep, {"distance_m": metres + rep.position})
    today = run(f.planned(block, timed, date=DAY + dt.timedelta(days=2)), athlete, [])
    [history] = workout_history.for_log(athlete.user, today)
    figures = history.runs[0].figures[0]
    assert figures.timed and figures.name == "3 min"
    assert (figures.mean_label, figures.best_label) == ("1022.5 m", "1024 m")
    assert history.season_best.run.log_id == second_run.pk


def test_the_panel_escapes_titles_and_names_as_django_does(coach, coach_client, athlete):
    """The runs' list items are written in Python (``step_rows._run_items``): a session's title
    comes out escaped as Django's templates escape it, as the athlete's name does."""
    block = f.make_block(coach=coach, athletes=(athlete,))
    athlete.display_name = "Ada <i>\"O'Hara\"</i>"
    athlete.save()
    earlier = run(f.planned(block, SIX, title="<script>\"hi\" & 'bye'</script>"), athlete,
                  [64] * 6)
    session = f.planned(block, SIX, date=DAY + dt.timedelta(days=7))
    page = coach_client.get(reverse("training:session", args=[session.pk])).content.decode()
    title = "&lt;script&gt;&quot;hi&quot; &amp; &#x27;bye&#x27;&lt;/script&gt;"
    assert (f'<a class="log-item" href="{earlier.get_absolute_url()}">\n          <span '
            f'class="log-item-head"><span class="num log-date">2 Nov 2026</span><span '
            f'class="log-title">{title}</span></span>\n        </a>') in page
    assert "Ada &lt;i&gt;&quot;O&#x27;Hara&quot;&lt;/i&gt; · " in page
    assert "<script>" not in page and "<i>" not in page


def test_the_session_page_shows_each_athletes_runs_before_its_day(two_blocks, athlete,
                                                                   second, coach):
    autumn, winter = two_blocks
    autumn.athletes.add(second)
    winter.athletes.add(second)
    earlier = run(f.planned(autumn, "6 x 400 (200 jog)"), athlete, [65] * 6)
    session = f.planned(winter, SIX, title="Today's 400s")
    run(session, athlete, [64] * 6)  # the session's own log is not "before"
    found = workout_history.for_session(coach, session, [athlete, second])
    assert [(h.athlete, [r.log.pk for r in h.runs]) for h in found] == [
        (athlete, [earlier.pk]), (second, [])]
    # another coach's logs stay theirs: the athlete moved, the old coach sees nothing
    assert workout_history.for_session(f.make_coach(), session, [athlete])[0].runs == []
    easy = f.planned(winter, "50min easy", date=winter.start_date + dt.timedelta(days=1))
    assert workout_history.for_session(coach, easy, [athlete]) == []


# --- benchmarks ---------------------------------------------------------------------------------

def test_benchmarks_are_the_workouts_run_twice_with_best_and_trend(block, athlete, coach):
    run(f.planned(block, SIX), athlete, [66] * 6)
    best = run(f.planned(block, "6 x 400m (200m jog)", date=DAY + dt.timedelta(days=1)),
               athlete, [64] * 6)
    last = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=2)), athlete, [64.5] * 6)
    run(f.planned(block, "10x200 (200 jog)", date=DAY + dt.timedelta(days=3)), athlete,
        [30] * 10)  # once: not a benchmark
    run(f.planned(block, "4x3min (1min)", date=DAY + dt.timedelta(days=4)), athlete, [])
    marks = benchmarks.benchmarks(coach, athlete)
    assert len(marks) == 1
    mark = marks[0]
    assert (mark.label, mark.count, mark.last_date, mark.main_name) == (
        "6×400 m", 3, last.date_done, "400 m")
    assert mark.best.log_id == best.pk and mark.best.mean_label == "64.0"
    assert mark.trend_label == "0.5 s slower than the run before"
    assert mark.last_url == reverse("training:log-summary", args=[last.pk])
    assert benchmarks.benchmarks(f.make_coach(), athlete) == []


def test_a_benchmarks_best_is_the_newest_of_equals_and_needs_its_whole_main_set(block, athlete,
                                                                              coach):
    """The headlines are picked from the runs' figures by the main set (``benchmarks``): a run
    with a skipped rep of it has none (not the best, not in the trend); of equal means the
    newest run is the best; an easy run and a workout run once are no benchmarks."""
    older = run(f.planned(block, SIX), athlete, [63] * 6)
    newer = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=1)), athlete, [63] * 6)
    run(f.planned(block, SIX, date=DAY + dt.timedelta(days=2)), athlete, [60] * 6, skip={3})
    last = run(f.planned(block, "2mi WU; " + SIX, date=DAY + dt.timedelta(days=3)), athlete,
               [64] * 6)
    run(f.planned(block, "50min easy", date=DAY + dt.timedelta(days=4)), athlete, [])
    run(f.planned(block, "50min easy", date=DAY + dt.timedelta(days=5)), athlete, [])
    [mark] = benchmarks.benchmarks(coach, athlete)
    assert (mark.count, mark.last_date, mark.label) == (4, last.date_done, "6×400 m")
    assert mark.last_url == reverse("training:log-summary", args=[last.pk])
    assert (mark.best.log_id, mark.best.date, mark.best.mean_label) == (
        newer.pk, newer.date_done, "63.0")
    assert older.pk != newer.pk and mark.trend == pytest.approx(1.0)  # 64 against 63
    assert mark.trend_label == "1.0 s slower than the run before"


def test_a_timed_benchmark_is_best_the_farthest(block, athlete, coach):
    timed = "4x3min @ T (1min)"
    logs = [run(f.planned(block, timed, date=DAY + dt.timedelta(days=d)), athlete, [],
                finish=False) for d in range(3)]
    for log, metres in zip(logs, (1000, 1030, 1010), strict=True):
        for rep in log.reps.all():
            save_rep(rep, {"distance_m": metres})
        finish_log(log, skip_open=True)
    [mark] = benchmarks.benchmarks(coach, athlete)
    assert mark.timed and mark.main_name == "3 min" and mark.count == 3
    assert (mark.best.log_id, mark.best.mean_label) == (logs[1].pk, "1030 m")
    assert mark.trend_label == "20 m shorter than the run before"


def test_a_benchmark_whose_notation_no_longer_parses_is_left_out(block, athlete, coach):
    for d in range(2):
        run(f.planned(block, SIX, date=DAY + dt.timedelta(days=d)), athlete, [64] * 6)
    SessionLog.objects.filter(athlete=athlete).update(planned_notation="6x")
    assert benchmarks.benchmarks(coach, athlete) == []


@pytest.mark.parametrize(("trend", "timed", "label"), [
    (-0.8, False, "0.8 s faster than the run before"),
    (0.01, False, "same as the run before"),
    (35.0, True, "35 m farther than the run before"),
    (-20.0, True, "20 m shorter than the run before"),
    (0.2, True, "same distance as the run before"),
    (None, False, ""),
])
def test_the_trend_reads_as_a_sentence(trend, timed, label):
    mark = benchmarks.Benchmark(label="", main_name="", count=2, last_date=DAY,
                                     last_url="", best=None, trend=trend, timed=timed)
    assert mark.trend_label == label


# --- the pages ----------------------------------------------------------------------------------

def test_the_log_summary_shows_the_panel_with_links_to_earlier_runs(two_blocks, athlete, coach):
    athlete_client, coach_client = clients(athlete.user, coach)
    autumn, winter = two_blocks
    first = run(f.planned(autumn, "6 x 400m @ 66 (200m jog)", title="Autumn 400s"), athlete,
                [66] * 6)
    now = run(f.planned(winter, SIX), athlete, [64] * 6)
    for client in (athlete_client, coach_client):
        page = text(client.get(reverse("training:log-summary", args=[now.pk])))
        assert "This workout before" in page
        assert f'href="{first.get_absolute_url()}"' in page
        assert "Autumn 400s" in page and "Best in 12 months" in page
    first_page = text(athlete_client.get(reverse("training:log-summary", args=[first.pk])))
    assert "First time this workout" in first_page


def test_the_session_page_shows_the_panel_per_athlete(block, athlete, second, coach):
    athlete_client, coach_client = clients(athlete.user, coach)
    block.athletes.add(second)
    earlier = run(f.planned(block, SIX), athlete, [64] * 6)
    session = f.planned(block, "6x400 @ T (200 jog)", date=DAY + dt.timedelta(days=2))
    page = text(coach_client.get(reverse("training:session", args=[session.pk])))
    assert "This workout before" in page and "Ada Miler" in page
    assert "First time this workout for Ben Runner" in page
    assert f'href="{earlier.get_absolute_url()}"' in page
    mine = text(athlete_client.get(reverse("training:session", args=[session.pk])))
    assert f'href="{earlier.get_absolute_url()}"' in mine and "Ben Runner" not in mine
    printed = coach_client.get(reverse("training:session-print", args=[session.pk]))
    assert "This workout before" not in text(printed)
    easy = f.planned(block, "50min easy", date=DAY + dt.timedelta(days=3))
    assert "This workout before" not in text(coach_client.get(
        reverse("training:session", args=[easy.pk])))


def test_the_athlete_page_lists_benchmark_workouts(block, athlete, coach, htmx):
    athlete_client, coach_client = clients(athlete.user, coach)
    url = reverse("athletes:detail", args=[athlete.pk])
    assert "No benchmark workouts yet" in text(athlete_client.get(url))
    run(f.planned(block, SIX), athlete, [66] * 6)
    run(f.planned(block, "6 x 400m (200m jog)", date=DAY + dt.timedelta(days=1)), athlete,
        [64] * 6)
    for client in (athlete_client, coach_client):
        page = text(client.get(url))
        assert "Benchmark workouts" in page and "6×400 m" in page
        assert "2.0 s faster than the run before" in page
    region = athlete_client.get(url, HTTP_HX_TARGET="athlete-paces", **htmx)
    assert "<html" not in region.content.decode() and "Benchmark" not in text(region)


# --- query counts, at two sizes -----------------------------------------------------------------

def _squad(coach, block, size: int, runs: int):
    """``size`` athletes in ``block``, each with ``runs`` logged runs of SIX before DAY+20."""
    athletes = [f.make_athlete(coach=coach, race=(5000, 800)) for _ in range(size)]
    block.athletes.add(*athletes)
    for day in range(runs):
        session = f.planned(block, SIX if day % 2 else "6 x 400m (200m jog)",
                            date=DAY + dt.timedelta(days=day))
        for athlete in athletes:
            run(session, athlete, [64 + day / 10] * 6)
    return athletes


@pytest.mark.parametrize(("size", "runs"), [(2, 2), (6, 7)])
def test_the_session_page_queries_stay_flat(coach, coach_client, django_assert_max_num_queries,
                                            size, runs):
    block = f.make_block(coach=coach)
    _squad(coach, block, size, runs)
    session = f.planned(block, SIX, date=DAY + dt.timedelta(days=20))
    with django_assert_max_num_queries(13):
        response = coach_client.get(reverse("training:session", args=[session.pk]))
    assert text(response).count('class="log-item"') == size * min(runs, 3)


@pytest.mark.parametrize(("size", "runs"), [(1, 2), (4, 8)])
def test_the_log_summary_queries_stay_flat(coach, coach_client, django_assert_max_num_queries,
                                           size, runs):
    block = f.make_block(coach=coach)
    athletes = _squad(coach, block, size, runs)
    log = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=20)), athletes[0], [64] * 6)
    with django_assert_max_num_queries(12):
        response = coach_client.get(reverse("training:log-summary", args=[log.pk]))
    assert text(response).count('class="log-item"') == min(runs, 5)


@pytest.mark.parametrize("workouts", [1, 5])
def test_the_athlete_page_queries_stay_flat(coach, coach_client, django_assert_max_num_queries,
                                            workouts):
    block = f.make_block(coach=coach)
    [athlete] = _squad(coach, block, 1, 0)
    for n in range(workouts):
        for day in range(2 + n):
            run(f.planned(block, f"{n + 2}x400 (200 jog)",
                          date=DAY + dt.timedelta(days=day + 10 * n)), athlete, [64] * (n + 2))
    # 12 whatever the history (the training section loads on its own request; the
    # benchmarks are two queries)
    with django_assert_max_num_queries(12):
        response = coach_client.get(reverse("athletes:detail", args=[athlete.pk]))
    assert text(response).count("the run before") == workouts


def test_the_session_page_shows_an_own_versions_history_of_that_version(
        coach, coach_client, athlete, second):
    """An athlete with their own version of the session is shown their earlier runs of *their*
    workout; a squad follower, theirs of the squad's."""
    from sessions import versions
    from sessions.planning import plan_session

    block = f.make_block(coach=coach, athletes=(athlete, second))
    short = "4x400 @ 64 (200 jog)"
    earlier_own = run(f.planned(block, short, date=DAY), second, [66] * 4)
    earlier_squad = run(f.planned(block, SIX, date=DAY + dt.timedelta(days=1)), athlete, [64] * 6)
    session = f.planned(block, SIX, date=DAY + dt.timedelta(days=7))
    versions.save_versions(session, {second.pk: short})
    plan_session(session)
    page = text(coach_client.get(reverse("training:session", args=[session.pk])))
    assert f'href="{earlier_own.get_absolute_url()}"' in page
    assert f'href="{earlier_squad.get_absolute_url()}"' in page


# --- the figures' query (its shape) ---------------------------------------------------------------


def _figures_joined(logs):
    """The figures' queryset as it was before it grouped the reps by their own columns: the
    log's and its session's columns joined and grouped by."""
    from django.db.models import Avg, Count, Max, Min

    return (RepResult.objects.filter(workout_history._clean()).filter(logs)
            .values("log_id", "log__athlete_id", "log__date_done", "log__session__title",
                    "log__workout_key", "planned_distance_m", "duration_s")
            .annotate(n=Count("pk"), mean_s=Avg("actual_s"), best_s=Min("actual_s"),
                      mean_m=Avg("distance_m"), best_m=Max("distance_m"))
            .order_by())


def test_the_figures_grouped_by_the_reps_equal_those_joined_to_their_log(block, athlete,
                                                                           second):
    """Per log and rep amount, the same rows in the same column order (``_figures_of`` and
    ``histories`` read them by position) as grouping by the log's and session's columns, on
    logs of two athletes, two workouts, timed reps, skipped, cut short and added reps, a log
    with no clean rep; and the reps are grouped by their own columns alone (the log's are read
    once per group, not grouped by)."""
    from django.db.models import Q

    from sessions.logbook import add_rep

    block.athletes.add(second)
    mixed = "2x400 @ 64 (200 jog), 4x200 @ 31 (200 jog)"
    timed = "4x3min @ T (1min)"
    logs = [run(f.planned(block, SIX, title="Tuesday <b>"), athlete,
                [64, 63.7, 65.1, 62.9, 64, 66]),
            run(f.planned(block, mixed, title="Mixed", date=DAY + dt.timedelta(days=1)), second,
                [63.3, 64.4, 30.1, 30.9, 31.7, 29.95], skip={3}),
            run(f.planned(block, SIX, date=DAY + dt.timedelta(days=2)), second, [], finish=False)]
    cut = logs[1].reps.get(position=1)
    save_rep(cut, {"distance_m": 300, "actual_s": 48})
    save_rep(add_rep(logs[0], distance_m=400), {"actual_s": 58})
    logs.append(run(f.planned(block, timed, date=DAY + dt.timedelta(days=3)), athlete, [],
                    finish=False))
    for rep in logs[-1].reps.all():
        save_rep(rep, {"distance_m": 1000 + rep.position * 7.5})
    ids = [log.pk for log in logs]
    new = workout_history._figures_query(Q(log__in=ids))
    found = sorted((tuple(row.values()) for row in new), key=str)
    old = sorted((tuple(row.values()) for row in _figures_joined(Q(log__in=ids))), key=str)
    assert len(found) == 4  # SIX, the mixed workout's two amounts, the timed (the open: none)
    assert found == old
    # grouped by the log id and the rep amount alone (by their places: 1, 6, 7)
    group_by = str(new.query).partition("GROUP BY")[2].strip().split(", ")
    assert len(group_by) == 3 and not any("SELECT" in part for part in group_by)
