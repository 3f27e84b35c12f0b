"""Athlete and block trends (sessions/trends.py, sessions/trend_pages.py,
sessions/trend_charts.py): the intensity distribution against values worked out by hand, VDOT
over time, predictions, the charts' geometry, and the pages (query counts in two sizes).

The fixture (``squad``): a block Mon 2 Nov - Sun 22 Nov 2026, three weeks. Ada's 5000 m in
12:48 (VDOT 83.63): M 174.8 s/km, T+ fast end (5k pace) 153.6 s/km. Bo's 10 km in 40:00
(VDOT 51.94): M 262.5 s/km, T+ fast end 231.5 s/km. Bo's record was made on 16 Nov: he joined
then (``training_load.joined_dates``), so weeks 1 and 2 plan nothing for him.

  W1 S1 Mon 2   2k WU; 6x1k @ T (200 jog); 2k CD   T: threshold 6000; easy 2000+1000+2000
     S2 Wed 4   4x400 @ 60 (400 jog)               60 s/400 = 150 s/km, faster than 153.6:
                                                   hard 1600; easy 3 x 400 = 1200
     S3 Fri 6   10k easy                           easy 10000
  W2            no sessions
  W3 S4 Mon 16  4x1k @ 3.0 mmol (200 jog)          lactate 3.0: threshold 4000; easy 600
     S5 Wed 18  3x1k @ 3:20/km (200 jog)           200 s/km: Ada, slower than M: easy 3000;
                                                   Bo, faster than 231.5: hard 3000; easy 400

Planned, Ada: W1 easy 5000 + 1200 + 10000 = 16200, threshold 6000, hard 1600; W2 nothing;
W3 easy 600 + 3000 + 400 = 4000, threshold 4000. Bo: W3 easy 1000, threshold 4000, hard 3000.

Done, Ada: S1 with rep 6 skipped and 11.5 km entered: threshold 5000, easy 11500 - 5000 = 6500;
S2 all four reps, no distance entered: hard 1600, easy the plan's 2800 - 1600 = 1200; S3 9 km
entered: easy 9000. W1: easy 16700, threshold 5000, hard 1600. Bo, S4 with four lactate
readings: threshold 4000, easy 600.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import Athlete
from coach import pace
from sessions import logbook, trend_charts, trend_pages, trends

from . import factories as f

D = dt.date
W1, W2, W3 = D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 16)


def _log(session, athlete, times=(), *, skipped=(), lactate=(), completed=True, **fields):
    log = logbook.start_log(session, athlete, date_done=fields.pop("date_done", None))
    reps = list(log.reps.order_by("position"))
    for rep, seconds in zip(reps, times, strict=False):
        logbook.save_rep(rep, {"actual_s": seconds})
    for position in skipped:
        logbook.set_skipped(reps[position - 1], True)
    for rep, value in zip(reps, lactate, strict=False):
        logbook.save_rep(rep, {"lactate": value})
    logbook.update_log(log, {**fields, "completed": completed})
    return log


@pytest.fixture
def squad(coach):
    ada = f.make_athlete(name="Ada Aa", coach=coach, race=(5000, 768))
    bo = f.make_athlete(name="Bo Bb", coach=coach, race=(10000, 2400))
    Athlete.objects.filter(pk=ada.pk).update(created=dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC))
    Athlete.objects.filter(pk=bo.pk).update(created=dt.datetime(2026, 11, 16, 8, tzinfo=dt.UTC))
    block = f.make_block(coach=coach, athletes=(ada, bo), start=W1, days=21)
    s1 = f.planned(block, "2k WU; 6x1k @ T (200 jog); 2k CD", date=W1)
    s2 = f.planned(block, "4x400 @ 60 (400 jog)", date=W1 + dt.timedelta(days=2))
    s3 = f.planned(block, "10k easy", date=W1 + dt.timedelta(days=4))
    s4 = f.planned(block, "4x1k @ 3.0 mmol (200 jog)", date=W3)
    s5 = f.planned(block, "3x1k @ 3:20/km (200 jog)", date=W3 + dt.timedelta(days=2))
    _log(s1, ada, (186, 185, 186, 184, 185), skipped=(6,), rpe=7, distance_m=11500)
    _log(s2, ada, (60, 61, 59, 60), rpe=8, duration_s=1500)
    _log(s3, ada, rpe=3, distance_m=9000, duration_s=2700)
    _log(s4, bo, lactate=(2.8, 3.1, 3.0, 3.3), rpe=6, duration_s=2400)
    return {"ada": ada, "bo": bo, "block": block, "sessions": (s1, s2, s3, s4, s5)}


def _metres(d: dict) -> dict:
    return {k: round(v, 6) for k, v in d.items()}


def test_the_plan_totals_are_those_the_hand_working_assumes(squad):
    totals = [(s.total_distance_m, s.work_distance_m) for s in squad["sessions"]]
    assert totals == [(11000, 6000), (2800, 1600), (10000, 0), (4600, 4000), (3400, 3000)]


def test_the_intensity_distribution_matches_the_hand_worked_values(squad):
    ada, bo = squad["ada"].pk, squad["bo"].pk
    got = trends.intensity_by_week([ada, bo], W1, 3)
    assert set(got) == {(a, w) for a in (ada, bo) for w in (W1, W2, W3)}
    assert _metres(got[ada, W1].planned) == {"easy": 16200, "threshold": 6000, "hard": 1600,
                                             "unknown": 0}
    assert _metres(got[ada, W1].done) == {"easy": 16700, "threshold": 5000, "hard": 1600,
                                          "unknown": 0}
    # a week without sessions
    assert got[ada, W2].planned_total == got[ada, W2].done_total == 0
    assert got[ada, W2].done_shares == dict.fromkeys(trends.INTENSITIES, 0.0)
    assert _metres(got[ada, W3].planned) == {"easy": 4000, "threshold": 4000, "hard": 0,
                                             "unknown": 0}
    assert got[ada, W3].done_total == 0
    # joined mid-block: nothing planned before he came; the same session is hard for him
    assert got[bo, W1].planned_total == got[bo, W1].done_total == 0
    assert _metres(got[bo, W3].planned) == {"easy": 1000, "threshold": 4000, "hard": 3000,
                                            "unknown": 0}
    assert _metres(got[bo, W3].done) == {"easy": 600, "threshold": 4000, "hard": 0,
                                         "unknown": 0}
    shares = got[ada, W1].done_shares
    assert shares["easy"] == pytest.approx(16700 / 23300)
    assert shares["hard"] == pytest.approx(1600 / 23300)


def test_zone_names_and_lactate_bands_class_as_the_domain_says():
    rules = trends.EASY_TARGETS, trends.THRESHOLD_TARGETS, trends.HARD_TARGETS
    assert "E" in rules[0] and {"M", "T", "T+", "10k pace", "5k pace"} <= set(rules[1])
    assert {"I", "R", "mile pace", "3k pace"} <= set(rules[2])
    assert (trends.LACTATE_EASY_BELOW, trends.LACTATE_HARD_ABOVE) == (2.0, 4.0)


def test_a_rep_with_a_high_lactate_target_is_hard_and_an_rpe_rep_has_no_class(coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,), start=W1, days=7)
    Athlete.objects.filter(pk=athlete.pk).update(
        created=dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC))
    f.planned(block, "3x500 @ 5 mmol (200 jog)", date=W1)
    f.planned(block, "5x200 @ RPE 7 (200 jog)", date=W1 + dt.timedelta(days=1))
    f.planned(block, "4x1k @ E (200 jog)", date=W1 + dt.timedelta(days=2))
    got = trends.intensity_by_week([athlete.pk], W1, 1)[athlete.pk, W1].planned
    assert _metres(got) == {"easy": 400 + 800 + 4000 + 600, "threshold": 0, "hard": 1500,
                            "unknown": 1000}


def test_the_distribution_costs_the_same_queries_for_short_and_long_histories(squad, coach):
    ids = [squad["ada"].pk, squad["bo"].pk]

    def count(call) -> int:
        with CaptureQueriesContext(connection) as captured:
            call()
        return len(captured.captured_queries)

    short = count(lambda: trends.intensity_by_week(ids, W1, 3))
    earlier = f.make_block(coach=coach, athletes=(squad["ada"],), start=W1 - dt.timedelta(days=42),
                           days=42, title="Earlier")
    for week in range(6):
        day = earlier.start_date + dt.timedelta(days=7 * week)
        session = f.planned(earlier, "2k WU; 6x1k @ T (200 jog); 2k CD", date=day)
        _log(session, squad["ada"], (185,) * 6, rpe=6)
        f.planned(earlier, "10k easy", date=day + dt.timedelta(days=1))
    long = count(lambda: trends.intensity_by_week(ids, W1 - dt.timedelta(days=42), 9))
    assert short == long == 8
    got = trends.intensity_by_week(ids, W1 - dt.timedelta(days=42), 9)
    assert got[squad["ada"].pk, W1 - dt.timedelta(days=42)].done["threshold"] == 6000


# --- VDOT over time and predictions ---------------------------------------------------------


def test_the_vdot_history_keeps_the_best_result_so_far(athlete):
    athlete.race_results.all().delete()
    f.make_race(athlete, distance_m=10000, time_s=2400, date=D(2026, 1, 10))
    f.make_race(athlete, distance_m=5000, time_s=768, date=D(2026, 3, 1))
    f.make_race(athlete, distance_m=10000, time_s=2460, date=D(2026, 4, 1))
    f.make_race(athlete, distance_m=800, time_s=110, date=D(2026, 5, 1))
    points = trends.vdot_history(athlete.race_results.all())
    assert [p.date for p in points] == [D(2026, 1, 10), D(2026, 3, 1), D(2026, 4, 1),
                                        D(2026, 5, 1)]
    assert [round(p.vdot, 2) for p in points] == [51.94, 83.63, 83.63, 83.63]
    assert points[-1].race.distance_m == 5000


def test_predictions_put_the_main_event_first():
    found = trends.predictions(83.63, "mile")
    assert found[0].key == "mile" and found[0].is_goal
    assert found[0].seconds == pytest.approx(3 * 60 + 42.2, abs=0.5)
    assert [p.key for p in found[1:]] == ["1500", "3k", "5k", "10k", "HM", "marathon"]
    assert trends.predictions(None, "mile") == []


# --- charts ---------------------------------------------------------------------------------


def test_a_bar_chart_scales_to_round_ticks_and_keeps_its_table():
    chart = trend_charts.bar_chart(id="c", title="Volume", desc="d", unit="km",
                                   names=["2 Nov", "9 Nov", "16 Nov"],
                                   series=[("Planned", "bar-planned", [20.0, 0.0, 10.0]),
                                           ("Done", "bar-done", [18.5, 0.0, None])])
    assert [t.label for t in chart.ticks] == ["0", "5", "10", "15", "20"]
    assert chart.ticks[0].y == chart.bottom and chart.ticks[-1].y == chart.top
    assert len(chart.rects) == 3  # zero and missing values draw nothing
    tallest = max(chart.rects, key=lambda r: r.h)
    assert tallest.y == chart.top and tallest.title == "2 Nov: Planned 20.0 km"
    assert chart.table.rows == [["2 Nov", "20.0", "18.5"], ["9 Nov", "0.0", "0.0"],
                                ["16 Nov", "10.0", "–"]]


def test_a_stacked_chart_draws_shares_and_an_empty_week_draws_nothing():
    chart = trend_charts.stacked_chart(id="c", title="Intensity", desc="d", names=["A", "B"],
                                       series=[("Easy", "int-easy", [7.5, 0.0]),
                                               ("Hard", "int-hard", [2.5, 0.0])])
    assert [r.title for r in chart.rects] == ["A: Easy 75 % (7.5 km)", "A: Hard 25 % (2.5 km)"]
    easy, hard = chart.rects
    assert easy.y + easy.h == pytest.approx(chart.bottom)
    assert hard.y == pytest.approx(chart.top)
    assert chart.table.rows[1] == ["B", "0.0", "–", "–"]


def test_a_line_chart_shades_its_band_and_breaks_at_unknown_values():
    chart = trend_charts.line_chart(id="c", title="Ratio", desc="d", unit="ratio",
                                    names=["1", "2", "3", "4"], decimals=2,
                                    series=[("Ratio", "line-ratio", [None, 1.0, 1.5, 0.9])],
                                    band=(0.8, 1.3), band_label="0.8–1.3")
    assert len(chart.lines) == 1 and len(chart.dots) == 3
    (band,) = chart.bands
    assert band.y < band.y + band.h <= chart.bottom


# --- pages ----------------------------------------------------------------------------------


def test_the_athlete_page_loads_its_training_section_on_its_own_request(squad, coach_client):
    """The profile draws a placeholder that asks for the section once shown (htmx) and links
    to it as a page without JavaScript; the figures cost the profile nothing."""
    html = coach_client.get(reverse("athletes:detail", args=[squad["ada"].pk])).content.decode()
    url = reverse("athletes:training", args=[squad["ada"].pk])
    assert f'hx-get="{url}?weeks=12" hx-trigger="load"' in html
    assert f'<a href="{url}?weeks=12">' in html and "chart-volume" not in html
    page = coach_client.get(url)
    assert page.status_code == 200 and "<h1>" in page.content.decode()
    part = coach_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<section class="card training" id="training"')


def test_the_athlete_page_shows_the_training_charts_with_their_tables(squad, coach_client):
    response = coach_client.get(reverse("athletes:training", args=[squad["ada"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for chart_id in ("chart-volume", "chart-load", "chart-acwr", "chart-intensity"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        assert f'<title id="{chart_id}-title">' in html
    assert 'role="img"' in html and "<details class=\"chart-data\">" in html
    assert "rolling average: acute = load of the last 7 days" in html
    assert "Current VDOT" in html and 'id="predictions"' in html


def test_the_training_section_figures(squad):
    ada = Athlete.objects.prefetch_related("race_results").get(pk=squad["ada"].pk)
    training = trend_pages.athlete_training(ada, today=D(2026, 11, 22), weeks=3)
    assert training.weeks == [W1, W2, W3]
    assert [f.km_done for f in training.figures] == [pytest.approx(23.3), 0, 0]
    # the distribution's volume is training_load's km done: 16.7 + 5.0 + 1.6
    assert training.distribution.done_total / 1000 == pytest.approx(training.figures[0].km_done)
    volume, load, ratio, mix = training.charts
    assert volume.table.rows[1] == ["9 Nov", "0.0", "0.0"]  # a week without sessions
    # load: 7 x 1500/60... S1 has no duration: the plan's estimate; S2 8 x 25; S3 3 x 45
    assert float(load.table.rows[1][1]) == 0
    assert training.distribution.done["easy"] == pytest.approx(16700)
    assert mix.table.rows[0][2].startswith("16.7 (72 %)")
    assert training.predictions[0].key == "1500"  # the main event (factories: 1500)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_pages_cost_the_same_queries_with_more_history(squad, coach, coach_client):
    athlete_url = reverse("athletes:training", args=[squad["ada"].pk])
    block_url = reverse("training:block-overview", args=[squad["block"].pk])

    def more(weeks):  # a repeated workout (so the page's benchmarks show from the first size)
        for week in weeks:
            day = W1 + dt.timedelta(days=7 * week + 3)
            session = f.planned(squad["block"], "2k WU; 6x1k @ T (200 jog); 2k CD", date=day)
            for athlete in (squad["ada"], squad["bo"]):
                _log(session, athlete, (185,) * 6, rpe=6, duration_s=3000)
            f.make_race(squad["ada"], distance_m=3000, time_s=470 + week, date=day)

    more([1])
    before = _count(coach_client, athlete_url), _count(coach_client, block_url)
    more([0, 2])
    after = _count(coach_client, athlete_url), _count(coach_client, block_url)
    assert after == before


def test_the_block_overview_shows_each_week_against_the_plan(squad, coach_client):
    response = coach_client.get(reverse("training:block-overview", args=[squad["block"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="card block-week"') == 3
    assert "Ada Aa" in html and "Bo Bb" in html
    assert "23.3 / 23.8" in html  # Ada, week 1: km done / planned
    assert 'id="chart-block-volume"' in html


def test_an_athlete_sees_only_their_own_rows_in_the_overview(squad, client):
    client.force_login(squad["bo"].user)
    html = client.get(reverse("training:block-overview", args=[squad["block"].pk])).content
    assert b"Bo Bb" in html and b"Ada Aa" not in html
    assert b'<title id="chart-block-volume-title">Weekly volume</title>' in html


def test_another_coach_gets_404_from_the_overview(squad, other_coach, client):
    client.force_login(other_coach)
    response = client.get(reverse("training:block-overview", args=[squad["block"].pk]))
    assert response.status_code == 404


def test_the_vdot_chart_appears_with_several_race_days(athlete, coach_client):
    f.make_race(athlete, distance_m=3000, time_s=480, date=D(2026, 8, 1))
    html = coach_client.get(reverse("athletes:training", args=[athlete.pk])).content.decode()
    assert 'id="chart-vdot"' in html
    assert pace.format_vdot(83.63) in html or "83.6" in html


def test_a_bar_chart_draws_its_overlay_as_a_line_on_the_same_scale():
    chart = trend_charts.bar_chart(id="c", title="Load", desc="d", unit="RPE × min",
                                   names=["1", "2", "3"], decimals=0,
                                   series=[("Load", "bar-load", [300.0, 0.0, 500.0])],
                                   overlay=[("Chronic", "line-chronic", [None, 150.0, 250.0])])
    assert [t.label for t in chart.ticks] == ["0", "200", "400", "600"]
    assert [line.css for line in chart.lines] == ["line-chronic"]
    assert [d.title for d in chart.dots] == ["2: Chronic 150", "3: Chronic 250"]
    assert chart.table.head == ["Week", "Load", "Chronic"]
    assert chart.table.rows[0] == ["1", "300", "–"]


def test_running_written_by_time_counts_at_the_athletes_e_and_t_paces(coach, athlete):
    """Ada's E band middle and T pace (s/km) from her 12:48 5000 m: a 50-minute easy run is
    3000 s at E; 3x5min @ 2.5 mmol, no pace of its own, 900 s at T, its two 60 s
    recoveries 120 s at E. Logged: the run's 45 minutes at E."""
    Athlete.objects.filter(pk=athlete.pk).update(
        created=dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC))
    block = f.make_block(coach=coach, athletes=(athlete,), start=W1, days=7)
    run = f.planned(block, "50min easy", date=W1)
    f.planned(block, "3x5min @ 2.5 mmol (60s)", date=W1 + dt.timedelta(days=1))
    _log(run, athlete, rpe=3, duration_s=2700)
    profile = pace.PaceProfile(vdot=pace.vdot(5000, 768))
    e_fast, e_slow = profile.sea_level("E")
    e, t = (e_fast + e_slow) / 2, profile.sea_level("T")[0]
    assert t == pytest.approx(67.3 * 2.5, abs=0.5)  # 67.3 s per 400 m (docs/paces.md)
    got = trends.intensity_by_week([athlete.pk], W1, 1)[athlete.pk, W1]
    assert got.planned["easy"] == pytest.approx((3000 + 120) * 1000 / e)
    assert got.planned["threshold"] == pytest.approx(900 * 1000 / t)
    assert got.done["easy"] == pytest.approx(2700 * 1000 / e)
    assert got.done["threshold"] == 0  # no distance logged for the timed reps


def test_the_period_picker_shows_52_weeks_and_ignores_what_it_does_not_offer(
        squad, coach_client):
    url = reverse("athletes:training", args=[squad["ada"].pk])
    html = coach_client.get(url, {"weeks": "52"}).content.decode()
    assert "The last 52 weeks" in html
    assert '<span class="is-current" aria-current="true">52 weeks</span>' in html
    for odd in ("3", "x", "-1", "1000"):
        response = coach_client.get(url, {"weeks": odd})
        assert response.status_code == 200
        assert "The last 12 weeks" in response.content.decode()


def test_a_year_of_weeks_names_about_six_and_always_the_latest():
    names = [f"w{i}" for i in range(52)]
    chart = trend_charts.bar_chart(id="c", title="t", desc="d", unit="km", names=names,
                                   series=[("Done", "bar-done", [1.0] * 52)])
    assert 5 <= len(chart.labels) <= 7
    assert chart.labels[-1].text == "w51"
    assert all(label.x <= trend_charts.TrendChart.width for label in chart.labels)


def test_predictions_put_the_blocks_goal_race_first(squad):
    """The race the athlete trains for: their block's goal race (a mile), before their main
    event (1500 m); without a block goal, the main event."""
    ada = Athlete.objects.prefetch_related("race_results").get(pk=squad["ada"].pk)
    block = squad["block"]
    block.goal_distance_m, block.goal_race_name = 1609.344, "Bowerman Mile"
    block.end_date = D(2026, 12, 31)
    block.save()
    training = trend_pages.athlete_training(ada, today=D(2026, 11, 22), weeks=3)
    assert training.predictions[0].key == "mile" and training.predictions[0].is_goal
    assert training.goal_label == "the goal race (Bowerman Mile)"




def test_the_planned_reps_are_those_of_the_sessions_planned_in_the_weeks(squad, coach):
    """``_planned_reps`` bounds the step's session by the dates, by the athletes' blocks and
    by the (session, athlete) pair as one number (``pair_key``, for PostgreSQL's plan): its
    rows are those of the targets of the sessions ``planned_sessions_for`` keeps, for windows
    that cut the block, hold all of it and miss it, with a late joiner, an absence, a second
    block, and an athlete who left it (their targets there stay, and count no more)."""
    from athletes.models import Absence
    from sessions import training_load as load
    from sessions.models import PlannedTarget, StepKind

    ada, bo = squad["ada"], squad["bo"]
    cy = f.make_athlete(name="Cy Cc", coach=coach, race=(5000, 800))
    later = f.make_block(coach=coach, athletes=(ada, bo, cy), start=D(2026, 12, 7), days=14,
                         title="Later")
    f.planned(later, "5x1k @ T (200 jog)", date=D(2026, 12, 7))
    f.planned(later, "8x400 @ 62 (200 jog)", date=D(2026, 12, 9))
    later.athletes.remove(cy)  # left: the targets planned for them stay
    assert PlannedTarget.objects.filter(athlete=cy, step__session__block=later).exists()
    Absence.objects.create(athlete=ada, start=W3, end=W3, reason="sick")
    everyone = [ada.pk, bo.pk, cy.pk]
    windows = ((W1, W1 + dt.timedelta(days=6)), (W1, D(2026, 12, 20)),
               (W2, W3 + dt.timedelta(days=6)), (D(2027, 1, 4), D(2027, 1, 17)))
    # the squad (pairs hashed), and each athlete alone (the ``Exists`` kept for one)
    for ids, (start, end) in itertools.product((everyone, [ada.pk], [cy.pk]), windows):
        joined = load.joined_dates(ids)
        late = load.joined_late(joined, start)
        planned = load.planned_sessions_for(ids, start, end, *late)
        expected: dict = {}
        for session_id, athlete_id, day in planned.values_list("pk", "aid", "date"):
            n = PlannedTarget.objects.filter(step__session_id=session_id, athlete_id=athlete_id,
                                             step__kind=StepKind.WORK).count()
            if n:
                key = (athlete_id, load.week_start(day))
                expected[key] = expected.get(key, 0) + n
        rows = trends._planned_reps(ids, start, end, *late).annotate(
            n=Count("pk")).values_list("athlete_id", "week", "n")
        got: dict = {}
        for athlete_id, week, n in rows:
            key = (athlete_id, load.as_date(week))
            got[key] = got.get(key, 0) + n
        assert got == expected
        assert not any(athlete_id == cy.pk for athlete_id, _ in got)
        assert expected or (start, end) == windows[-1] or ids == [cy.pk]
    assert expected == {} and len(got) == 0  # the last window plans nothing
    sql = str(trends._planned_reps([ada.pk, bo.pk], W1, W3, [], []).query)
    assert sql.count("EXISTS") == 1 and "NOT EXISTS" in sql  # the absences' alone
    assert "CASE WHEN (((" in sql and "2147483648) + " in sql  # the pair, tested in a CASE
    sql = str(trends._planned_reps([ada.pk], W1, W3, [], []).query)
    assert sql.count("EXISTS") == 2 and "2147483648" not in sql


def test_the_pair_key_is_one_number_per_session_and_athlete(squad):
    """``trends.pair_key``: distinct pairs give distinct numbers, in the database, up to the
    largest athlete id it allows (an int4 parameter would have wrapped 2**31 below zero)."""
    from django.db.models import IntegerField, Value

    from sessions.models import Session

    session = squad["sessions"][0]
    top = trends.PAIR_BASE - 1
    keys = (Session.objects.filter(pk=session.pk)
            .annotate(a=Value(0, output_field=IntegerField()),
                      b=Value(top, output_field=IntegerField()))
            .annotate(k0=trends.pair_key("pk", "a"), k1=trends.pair_key("pk", "b"))
            .values_list("k0", "k1").get())
    assert keys == (session.pk * 2**31, session.pk * 2**31 + top)


def _old_easy_queries():
    """``_planned_easy`` and ``_done_easy`` as they were, their subqueries with the models'
    default orders (each joined its session and athlete, or its log, for every row)."""
    from django.db.models import (
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

    from sessions import training_load as load
    from sessions.models import AthleteVersion, PlannedStep, RepResult, SessionLog, StepKind

    def planned_easy(ids, start, end, late_ids, late_days):
        planned = load.planned_sessions_for(ids, start, end, late_ids, late_days)
        version = AthleteVersion.objects.filter(session=OuterRef("pk"), athlete=OuterRef("aid"))
        timed = (PlannedStep.objects.filter(session=OuterRef("pk"), athlete__isnull=True,
                                            distance_m__isnull=True)
                 .exclude(kind=StepKind.WORK).exclude(mode__in=trends.NOT_RUNNING)
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

    def done_easy(ids, start, end):
        reps_m = (RepResult.objects.filter(trends.RAN, log=OuterRef("pk"))
                  .values("log").annotate(m=Sum("distance_m")).values("m"))
        version = AthleteVersion.objects.filter(session=OuterRef("session"),
                                                athlete=OuterRef("athlete"))
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

    return planned_easy, done_easy


def test_the_easy_running_queries_equal_those_with_the_default_orders(squad, coach):
    """The subqueries of ``_planned_easy`` and ``_done_easy`` drop the models' default orders
    (a join to the session and athlete, or to the log, for every row): their rows equal the
    old querysets' on the squad with an own version (more and fewer metres around the reps),
    an easy run by time, a log without a distance and reps run shorter than planned, for
    windows of one week, the block and after it; and their SQL sorts nothing."""
    from sessions import training_load as load
    from sessions.models import AthleteVersion, RepResult
    from sessions.planning import plan_session
    from sessions.versions import save_versions

    ada, bo = squad["ada"], squad["bo"]
    s1, s2, s3, s4, s5 = squad["sessions"]
    save_versions(s1, {ada.pk: "3k WU; 4x1k @ T (400 jog); 1k CD", bo.pk: "5x1k @ T (200 jog)"})
    plan_session(s1)
    assert set(AthleteVersion.objects.values_list("total_distance_m", flat=True)) == {
        9200.0, 5800.0}
    timed = f.planned(squad["block"], "40min easy", date=W2 + dt.timedelta(days=1))
    _log(timed, bo, rpe=3, duration_s=2460)
    _log(s5, ada, (200, 201), rpe=7)
    _log(s1, bo, (190, 191, 189), rpe=7, distance_m=9800)
    RepResult.objects.filter(log__session=s5, position=2).update(distance_m=900.0)
    old_planned, old_done = _old_easy_queries()
    ids = [ada.pk, bo.pk]
    joined = load.joined_dates(ids)
    for start, end in ((W1, W1 + dt.timedelta(days=6)), (W1, W3 + dt.timedelta(days=6)),
                       (W2, D(2026, 12, 20))):
        late = load.joined_late(joined, start)
        new_rows = sorted(trends._planned_easy(ids, start, end, *late))
        assert new_rows == sorted(old_planned(ids, start, end, *late)) and new_rows
        new_rows = sorted(trends._done_easy(ids, start, end))
        assert new_rows == sorted(old_done(ids, start, end)) and new_rows
        assert "ORDER BY" not in str(trends._planned_easy(ids, start, end, *late).query)
        assert "ORDER BY" not in str(trends._done_easy(ids, start, end).query)
    assert any(by_time for _, _, _, by_time in trends._done_easy(ids, W1, D(2026, 12, 20)))


def test_the_figures_without_the_reps_are_the_full_figures_less_the_reps(squad, coach):
    """``training_load.figures(reps=False)`` (the block overview's, which shows no figure of the
    reps): the same planned, done, km, load and daily loads as the full figures, float for
    float, and zeros for the reps' figures and ``rpe_high``, which the squad's logs (times,
    lactate, timed reps, a high RPE on an easy run, a log run in a later week) do have."""
    from dataclasses import fields

    from sessions import training_load as load

    _log(squad["sessions"][2], squad["bo"], rpe=9, distance_m=10000, duration_s=3000,
         date_done=W2 + dt.timedelta(days=1))
    timed = f.planned(squad["block"], "3x5min @ 2.5 mmol (60s)", date=W2 + dt.timedelta(days=2))
    _log(timed, squad["ada"], (300, 302, 299), rpe=6)
    reps_only = {"reps_judged", "reps_on", "reps_far_off", "lactate_readings",
                 "lactate_in_band", "timed_min_done", "rpe_high"}
    ids = [squad["ada"].pk, squad["bo"].pk]
    for first, weeks in ((W1, 3), (W2, 1), (W1 - dt.timedelta(days=14), 6)):
        kwargs = {"today": D(2026, 11, 25), "loads_from": first - dt.timedelta(days=28)}
        full = load.figures(ids, first, weeks, **kwargs)
        lean = load.figures(ids, first, weeks, reps=False, **kwargs)
        assert lean.daily == full.daily and set(lean.weeks) == set(full.weeks)
        for key, week in full.weeks.items():
            for name in (field.name for field in fields(load.WeekFigures)):
                expected = 0 if name in reps_only else getattr(week, name)
                assert getattr(lean.weeks[key], name) == expected, (key, name)
    full = load.figures(ids, W1, 3, today=D(2026, 11, 25))
    assert {name for name in reps_only if any(getattr(w, name) for w in full.weeks.values())} \
        == reps_only


def test_the_overview_rows_intensity_cell_is_what_the_intensity_property_gives(athlete):
    """``trend_pages._row`` writes the shares itself: the same text as the cell written from
    ``AthleteWeek.intensity`` (the property it replaced), for weeks with planned and done
    running, only one side, metres in every class or a few, and none."""
    from sessions import training_load as load
    from sessions.trend_pages import AthleteWeek, _percent, _row, _share_head

    def reference(row: AthleteWeek) -> str:
        d = row.distribution
        if not (d.done_total or d.planned_total):
            return "–"
        return " · ".join(
            f'{_share_head(label, css)}{_percent(done)} <span class="muted">'
            f'({_percent(planned)})</span></span>' for label, css, planned, done in row.intensity)

    cases = [({}, {}), ({"easy": 8000.0}, {}), ({}, {"hard": 1200.0, "easy": 3000.5}),
             ({"easy": 10000.0 / 3, "threshold": 2000.0, "hard": 1000.0 / 7, "unknown": 400.0},
              {"easy": 5123.4, "threshold": 0.1, "hard": 2500.0})]
    for planned, done in cases:
        distribution = trends.Distribution()
        distribution.planned.update(planned)
        distribution.done.update(done)
        row = AthleteWeek(athlete, load.WeekFigures(athlete.pk, W1), distribution, None)
        html = _row(row, "/a/1/", "Ada", ".")
        cell = html.split('hard">', 1)[1].split("</td>", 1)[0]
        assert cell == reference(row), (planned, done)
