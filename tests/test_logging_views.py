"""Athletes log sessions rep by rep: the log form, saving rows, skipping and adding reps,
finishing, the summary, the coach's comment, history and access."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions import logbook
from sessions.models import RepResult, SessionLog
from sessions.planning import plan_session
from tests import factories as f

TWO_SETS = "12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)"


def open_log(client, session):
    """Open the log form (which writes nothing), then start the log the way its first save
    does, so that the rows have their own addresses."""
    response = client.get(reverse("training:log", args=[session.pk]))
    assert response.status_code == 200
    return logbook.start_log(session, session.block.athletes.get())


def rows(log):
    return list(log.reps.order_by("position"))


def save(client, rep, htmx=None, **fields):
    """Post a row the way the log page does: to its address by position, fields unprefixed."""
    url = reverse("training:new-rep-save", args=[rep.log.session_id, rep.position])
    return client.post(url, fields, **(htmx or {}))


# --- opening the log ----------------------------------------------------------------------------

def test_the_log_says_where_the_athletes_targets_came_from(athlete_client, coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,), altitude_m=2100,
                         goal_distance_m=1609.344, goals={athlete: 235.0})
    session = f.planned(block, TWO_SETS)
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    sources = page[page.index('class="target-sources"'):]
    sources = sources[:sources.index("</ul>")]
    assert "T+: VDOT 83.6 from 5000 m 12:48, +4.7 % for 2100 m altitude" in sources
    assert "mile pace: goal 3:55 for the mile, sea-level speed at 2100 m" in sources
    logbook.start_log(session, athlete)  # a saved log reads the same
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert "mile pace: goal 3:55 for the mile" in page


def test_a_log_of_times_as_written_has_nothing_to_explain(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert "target-sources" not in page


def test_the_first_saved_rep_starts_the_log_with_one_row_per_planned_rep(athlete_client,
                                                                         athlete, block, htmx):
    session = f.planned(block, TWO_SETS, date=dt.date(2026, 11, 4))
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert not SessionLog.objects.exists() and not RepResult.objects.exists()
    first_row = reverse("training:new-rep-save", args=[session.pk, 1])
    assert f'action="{first_row}"' in page and 'name="time"' in page
    response = athlete_client.post(first_row, {"time": "69.5"}, **htmx)
    assert response.status_code == 200
    log = SessionLog.objects.get(session=session)
    # "Date run" is the day it was logged, where the block is, not the planned day
    assert (log.athlete, log.date_done, log.completed) == (athlete, block.today(), False)
    reps = rows(log)
    assert len(reps) == 22
    first, last = reps[0], reps[-1]
    target = first.step.targets.get(athlete=athlete)
    assert (first.target_lo_s, first.target_hi_s) == (target.target_lo_s, target.target_hi_s)
    assert (first.planned_distance_m, first.target_text) == (400, "T+")
    assert (last.distance_m, last.target_text, last.set_number, last.rep_number) == (
        200, "mile pace", 1, 10)
    assert [r.rep_number for r in reps[:13]] == [*range(1, 13), 1]
    assert first.actual_s == 69.5
    html = response.content.decode()  # the row still posts to its address by position
    assert f'action="{first_row}"' in html and "data-saved-at=" in html
    assert 'name="time"' in html and 'id="rep-row-1"' in html


def test_the_form_shows_each_rep_its_target_and_a_number_pad(athlete_client, block):
    session = f.planned(block, TWO_SETS)
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert page.count("data-rep-row") == 22
    assert page.count('inputmode="decimal"') >= 22
    assert "12 × 400 m · T+" in page and "10 × 200 m · mile pace" in page
    assert "0</b> of <span class=\"num\">22</span> reps done" in page
    first = session.steps.filter(kind="work").order_by("position").first().targets.get()
    assert f"{first.target_lo_s:.1f}" in page  # the target, as the track calls it


def test_coming_back_continues_the_same_log(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    rep = rows(log)[1]
    save(athlete_client, rep, time="64.3")
    again = open_log(athlete_client, session)
    assert again.pk == log.pk
    assert RepResult.objects.filter(log=log).count() == 4
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert 'value="64.3"' in page
    assert "1</b> of" in page


def test_empty_rows_follow_the_plan_when_the_coach_changes_it(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    open_log(athlete_client, session)
    session.notation = "6x1k @ 3:00 (60s)"
    session.save()
    plan_session(session)
    log = open_log(athlete_client, session)
    assert [(r.distance_m, r.target_lo_s) for r in rows(log)] == [(1000, 180)] * 6


def test_a_log_with_entries_keeps_its_rows_and_targets_when_the_plan_changes(athlete_client,
                                                                             block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    save(athlete_client, rows(log)[0], time="64.9")
    session.notation = "6x1k @ 3:00 (60s)"
    session.save()
    plan_session(session)
    log = open_log(athlete_client, session)
    reps = rows(log)
    assert len(reps) == 4 and reps[0].step is None
    assert (reps[0].target_lo_s, reps[0].actual_s, reps[0].target_text) == (64, 64.9, "64")
    summary = athlete_client.get(reverse("training:log-summary", args=[log.pk]))
    assert "4 × 400 m · 64" in summary.content.decode()


def test_a_session_without_reps_logs_just_the_session(athlete_client, block):
    session = f.planned(block, "50min easy")
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert "No reps in this session" in page
    response = athlete_client.post(reverse("training:log", args=[session.pk]),
                                   {"date_done": "2026-11-02", "rpe": "3", "duration": "50",
                                    "feeling": "easy", "notes": "", "finish": "1"})
    log = SessionLog.objects.get(session=session)
    assert response.status_code == 302
    assert (log.completed, log.rpe, log.duration_s) == (True, 3, 3000)


# --- saving a row -------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,seconds,deviation,verdict", [
    ("64.8", 64.8, "+0.8 s", "On target"),
    ("62.8", 62.8, "−1.2 s", "Fast"),
    ("1:05.9", 65.9, "+1.9 s", "Slow"),
    ("64", 64.0, "0.0 s", "On target"),
    ("64,2", 64.2, "+0.2 s", "On target"),
])
def test_a_saved_split_shows_its_deviation_and_verdict(athlete_client, block, htmx, typed,
                                                       seconds, deviation, verdict):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    response = save(athlete_client, rep, htmx, time=typed)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="rep-row-{rep.position}"' in html
    assert deviation in html and verdict in html and "Saved" in html
    assert 'id="log-progress"' in html and 'hx-swap-oob="true"' in html
    rep.refresh_from_db()
    assert rep.actual_s == pytest.approx(seconds)


def test_a_long_rep_takes_minutes_and_seconds(athlete_client, block, htmx):
    session = f.planned(block, "3x1600 @ 4:05 (400 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    html = save(athlete_client, rep, htmx, time="4:07").content.decode()
    rep.refresh_from_db()
    assert rep.actual_s == 247
    assert "+2.0 s" in html and 'inputmode="decimal"' in html and 'value="4:07"' in html


def test_the_coachs_tolerance_decides_what_is_on_target(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    session.tolerance_pct = 3
    session.save()
    rep = rows(open_log(athlete_client, session))[0]
    assert "On target" in save(athlete_client, rep, htmx, time="65.5").content.decode()


def test_heart_rate_lactate_and_note_are_saved(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    save(athlete_client, rep, htmx, time="64.1", avg_hr="176", lactate="3.4", note="windy")
    rep.refresh_from_db()
    assert (rep.avg_hr, rep.lactate, rep.note) == (176, 3.4, "windy")


@pytest.mark.parametrize("field,typed,message", [
    ("time", "6o.2", '"6o.2" is not a time'),
    ("time", "-5", "times must be positive"),
    ("time", "99:99", "seconds must be under 60"),
    ("time", "15:00", "too slow for a rep"),
    ("time", "20", "faster than a world record"),
    ("lactate", "45", "45 mmol/L is not a lactate reading"),
    ("lactate", "abc", '"abc" is not a lactate reading'),
    ("avg_hr", "900", "A heart rate of 900 bpm is not possible"),
    ("avg_hr", "17x", '"17x" is not a heart rate'),
    ("distance", "far", '"far" is not a distance'),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_saved_is_lost(
        athlete_client, block, htmx, field, typed, message):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    save(athlete_client, rep, htmx, time="64.5", avg_hr="170", lactate="3.1", distance="")
    good = {"time": "65.0", "avg_hr": "172", "lactate": "3.3", "distance": "", "note": "ok"}
    response = save(athlete_client, rep, htmx, **{**good, field: typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in unescape(html)
    assert f'value="{typed}"' in html  # what was typed stays in its box
    assert "Not saved" in html
    rep.refresh_from_db()
    saved = {"time": rep.actual_s, "avg_hr": rep.avg_hr, "lactate": rep.lactate,
             "distance": rep.distance_m}
    expected = {"time": 65.0, "avg_hr": 172, "lactate": 3.3, "distance": 400}
    before = {"time": 64.5, "avg_hr": 170, "lactate": 3.1, "distance": 400}
    expected[field] = before[field]  # the bad field keeps what was saved; the rest are saved
    assert saved == pytest.approx(expected)
    assert rep.note == "ok"


def test_without_javascript_a_row_saves_and_returns_to_the_page(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    response = save(athlete_client, rep, time="64.4")
    assert response.status_code == 302
    assert response["Location"] == (reverse("training:log", args=[session.pk])
                                     + f"#rep-row-{rep.position}")
    bad = save(athlete_client, rep, time="6o.2")
    assert bad.status_code == 200 and "<html" in bad.content.decode()
    assert "is not a time" in unescape(bad.content.decode())


def test_a_rep_cut_short_is_judged_over_the_distance_run(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    html = save(athlete_client, rep, htmx, time="48.3", distance="300").content.decode()
    rep.refresh_from_db()
    assert (rep.distance_m, rep.planned_distance_m) == (300, 400)
    assert "ran 300 m" in html and "On target" in html and "+0.3 s" in html
    save(athlete_client, rep, htmx, time="48.3", distance="")  # back to the full rep
    rep.refresh_from_db()
    assert rep.distance_m == 400


def test_a_lactate_rep_shows_its_band_and_where_the_reading_fell(athlete_client, block, htmx):
    session = f.planned(block, "5x6min @ 2.5 mmol (1min)")
    rep = rows(open_log(athlete_client, session))[0]
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert '<span class="row-target num">2.5 mmol/L</span>' in page
    assert "Lactate steers this session" in page and "On target means" not in page
    row = page.split(f'id="rep-row-{rep.position}"')[1].split("</form>")[0]
    assert 'name="lactate" id="rep-1-lactate" class="num primary-input"' in row
    more = athlete_client.get(reverse("training:rep-more", args=[session.pk, 1]), **htmx)
    assert "Distance (m)" in more.content.decode()
    html = save(athlete_client, rep, htmx, lactate="3.1", distance="1850").content.decode()
    assert "Above band" in html and "run the next reps slower" in html
    rep.refresh_from_db()
    assert (rep.lactate, rep.distance_m) == (3.1, 1850)


def test_saving_a_row_costs_the_same_few_queries_whatever_the_session_size(
        athlete_client, block, htmx, django_assert_max_num_queries):
    small = rows(open_log(athlete_client, f.planned(block, "2x400 @ 64 (200 jog)")))[0]
    big = rows(open_log(athlete_client, f.planned(
        block, "40x400 @ 64 (200 jog) & 20x200 @ 30 (200 jog)", slot="PM")))[0]
    counts = []
    for rep in (small, big):
        with CaptureQueriesContext(connection) as queries:
            save(athlete_client, rep, htmx, time="64.2", avg_hr="170")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(6):
        save(athlete_client, big, htmx, time="64.4", avg_hr="171", lactate="3.0")


# --- skipping and adding ------------------------------------------------------------------------

def test_a_rep_can_be_skipped_and_the_skip_taken_back(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[2]
    url = reverse("training:rep-skip", args=[rep.pk])
    html = athlete_client.post(url, {"skipped": "1"}, **htmx).content.decode()
    rep.refresh_from_db()
    assert rep.skipped and "Undo skip" in html and "Saved as skipped" in html
    athlete_client.post(url, {"skipped": "0"}, **htmx)
    rep.refresh_from_db()
    assert not rep.skipped


def test_an_extra_rep_is_added_at_the_end_and_can_be_removed(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    response = athlete_client.post(reverse("training:rep-add", args=[log.pk]),
                                   {"add-distance": "200"}, **htmx)
    extra = RepResult.objects.get(log=log, extra=True)
    html = response.content.decode()
    assert (extra.position, extra.distance_m, extra.target_lo_s) == (5, 200, None)
    assert f'id="rep-row-{extra.position}"' in html and 'id="rep-add"' in html
    assert "<html" not in html
    save(athlete_client, extra, htmx, time="31.0")
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert "Added rep" in page and 'id="rep-row-5"' in page
    more = athlete_client.get(reverse("training:rep-more", args=[session.pk, 5]), **htmx)
    assert "Remove this added rep" in more.content.decode()
    athlete_client.post(reverse("training:rep-remove", args=[extra.pk]), **htmx)
    assert not RepResult.objects.filter(pk=extra.pk).exists()


def test_adding_a_rep_needs_a_distance(athlete_client, block, htmx):
    log = open_log(athlete_client, f.planned(block, "4x400 @ 64 (200 jog)"))
    response = athlete_client.post(reverse("training:rep-add", args=[log.pk]),
                                   {"add-distance": "lots"}, **htmx)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#rep-add"
    assert "is not a distance" in unescape(response.content.decode())
    assert not RepResult.objects.filter(log=log, extra=True).exists()
    plain = athlete_client.post(reverse("training:rep-add", args=[log.pk]), {"add-distance": ""})
    assert "How far was it?" in plain.content.decode()


def test_a_planned_rep_cannot_be_removed(athlete_client, block):
    rep = rows(open_log(athlete_client, f.planned(block, "4x400 @ 64 (200 jog)")))[0]
    response = athlete_client.post(reverse("training:rep-remove", args=[rep.pk]))
    assert response.status_code == 404
    assert RepResult.objects.filter(pk=rep.pk).exists()


# --- the session's own fields and finishing ------------------------------------------------------

def details(**overrides):
    return {"date_done": "2026-11-02", "rpe": "7", "duration": "1:35:00", "feeling": "strong",
            "notes": "", **overrides}


def test_session_fields_save_on_change(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    response = athlete_client.post(reverse("training:log", args=[session.pk]), details(), **htmx)
    html = response.content.decode()
    assert 'id="log-details"' in html and "<html" not in html and "Saved" in html
    log.refresh_from_db()
    assert (log.rpe, log.duration_s, log.feeling, log.completed) == (7, 5700, "strong", False)


@pytest.mark.parametrize("typed,seconds", [("95", 5700), ("1:35:00", 5700), ("45", 2700)])
def test_total_time_is_minutes_or_a_clock(athlete_client, block, htmx, typed, seconds):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    athlete_client.post(reverse("training:log", args=[session.pk]), details(duration=typed),
                        **htmx)
    log.refresh_from_db()
    assert log.duration_s == seconds


def test_a_bad_session_field_is_refused_and_the_others_are_saved(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    html = athlete_client.post(reverse("training:log", args=[session.pk]),
                               details(duration="1:35", rpe="8"), **htmx).content.decode()
    assert "is under 5 minutes" in html and 'value="1:35"' in html
    log.refresh_from_db()
    assert (log.rpe, log.duration_s) == (8, None)
    after_tomorrow = block.today() + dt.timedelta(days=2)  # the first day refused
    future = athlete_client.post(reverse("training:log", args=[session.pk]),
                                 details(date_done=after_tomorrow.isoformat()), **htmx
                                 ).content.decode()
    assert "That date has not come yet" in future


def test_finishing_with_empty_reps_names_them_and_can_mark_them_skipped(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    first, second, third, fourth = rows(log)
    save(athlete_client, first, time="64.2")
    save(athlete_client, third, time="63.9")
    url = reverse("training:log", args=[session.pk])
    response = athlete_client.post(url, details(finish="1"))
    html = response.content.decode()
    assert response.status_code == 200 and "2 reps still have nothing" in html
    assert f'href="#rep-row-{second.position}">Rep 2 · 400 m</a>' in html
    log.refresh_from_db()
    assert not log.completed
    response = athlete_client.post(url, details(skip_open="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:log-summary", args=[log.pk])
    log.refresh_from_db()
    assert log.completed
    assert [r.skipped for r in rows(log)] == [False, True, False, True]


def test_a_complete_log_finishes_straight_to_its_summary(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    for rep, time in zip(rows(log), ["64.2", "64.5", "66.1", "63.8"], strict=True):
        save(athlete_client, rep, time=time)
    response = athlete_client.post(reverse("training:log", args=[session.pk]),
                                   details(finish="1"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("training:log-summary", args=[log.pk])
    assert 'class="v-on"><b>3</b>' in html and 'class="v-slow"><b>1</b>' in html
    assert "<svg" in html and "style=" not in html


# --- the summary --------------------------------------------------------------------------------

@pytest.fixture
def finished(athlete_client, block):
    session = f.planned(block, TWO_SETS)
    log = open_log(athlete_client, session)
    reps = rows(log)
    for rep in reps:
        middle = (rep.target_lo_s + rep.target_hi_s) / 2
        save(athlete_client, rep, time=f"{middle:.1f}")
    save(athlete_client, reps[0], time=f"{reps[0].target_hi_s * 1.05:.1f}", lactate="4.1")
    save(athlete_client, reps[12], time=f"{reps[12].target_lo_s * 0.9:.1f}")
    athlete_client.post(reverse("training:log", args=[session.pk]), details(finish="1"))
    log.refresh_from_db()
    assert log.completed
    return log


def test_the_summary_shows_sets_volume_lactate_and_a_chart(athlete_client, finished):
    html = athlete_client.get(reverse("training:log-summary", args=[finished.pk])).content.decode()
    assert 'class="v-on"><b>20</b>' in html
    assert 'class="v-fast"><b>1</b>' in html and 'class="v-slow"><b>1</b>' in html
    assert "12 × 400 m · T+" in html and "10 × 200 m · mile pace" in html
    assert "11/12" in html and "9/10" in html
    assert "worst deviation" in html and "fastest (rep" in html
    assert "6.8 km</b><span>work run of 6.8 km planned" in html
    assert "4.2 km</b><span>recovery, as planned (21)" in html
    assert "4.1</b>" in html and "no band set" in html
    assert html.count('<svg viewBox="0 0 360 190"') == 2 and "style=" not in html
    assert "Edit this log" in html


def test_the_coach_sees_the_summary_and_leaves_a_comment_the_athlete_reads(
        client, coach, athlete, finished, htmx):
    client.force_login(coach)
    html = client.get(reverse("training:log-summary", args=[finished.pk])).content.decode()
    assert "Reply to Ada Miler" in html and "Private note" in html
    response = client.post(reverse("training:log-comment", args=[finished.pk]),
                           {"body": "Good control. Ease the first one."}, **htmx)
    fragment = response.content.decode()
    assert 'id="log-thread"' in fragment and "<html" not in fragment
    assert finished.comments.get().body == "Good control. Ease the first one."
    client.force_login(athlete.user)
    html = client.get(reverse("training:log-summary", args=[finished.pk])).content.decode()
    assert "Good control. Ease the first one." in html and "Reply to your coach" in html
    assert "Private note" not in html
    assert "1 comment<" in client.get(reverse("training:history")).content.decode()


def test_a_comment_without_javascript_redirects_to_the_summary(client, coach, finished):
    client.force_login(coach)
    response = client.post(reverse("training:log-comment", args=[finished.pk]), {"body": "Nice"})
    assert response.status_code == 302
    assert response["Location"] == finished.comments.get().get_absolute_url()
    too_long = client.post(reverse("training:log-comment", args=[finished.pk]),
                           {"body": "x" * 2001})
    assert too_long.status_code == 200 and "under 2,000 characters" in too_long.content.decode()
    assert "x" * 2001 in too_long.content.decode()  # nothing typed is lost
    assert finished.comments.count() == 1


def test_an_admin_reads_the_summary_but_does_not_comment(admin_client_, admin_user, finished):
    admin_client_.force_login(admin_user)  # (``finished`` logged the athlete in on this client)
    html = admin_client_.get(reverse("training:log-summary", args=[finished.pk])).content.decode()
    assert "12 × 400 m" in html and "Conversation" in html and "Reply to" not in html
    response = admin_client_.post(reverse("training:log-comment", args=[finished.pk]),
                                  {"body": "hi"})
    assert response.status_code == 404


# --- lists --------------------------------------------------------------------------------------

def test_history_lists_the_athletes_logs_newest_first_with_adherence(athlete_client, athlete,
                                                                    block, other_athlete):
    older = f.planned(block, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 3), title="Older")
    newer = f.planned(block, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 5), title="Newer")
    for session in (older, newer):
        for rep, time in zip(rows(open_log(athlete_client, session)),
                             ["64.1", "64.2", "66.5", None], strict=True):
            if time:
                save(athlete_client, rep, time=time)
    other_block = f.make_block(coach=block.coach, athletes=(other_athlete,))
    f.make_log(session=f.make_session(block=other_block, title="Not mine"), athlete=other_athlete)
    html = athlete_client.get(reverse("training:history")).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "Not mine" not in html
    assert html.count("<b>2/3</b> on target") == 2 and "1 not entered" in html
    assert "<svg" in html and "style=" not in html


def test_history_and_today_list_in_few_queries(athlete_client, athlete, block,
                                               django_assert_max_num_queries):
    for day in range(5):
        session = f.planned(block, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 2 + day))
        f.make_log(session=session, athlete=athlete)
    with django_assert_max_num_queries(8):
        assert athlete_client.get(reverse("training:history")).status_code == 200
    with django_assert_max_num_queries(11):
        assert athlete_client.get(reverse("training:today")).status_code == 200


def test_a_coach_lists_their_athletes_logs_and_can_narrow_to_one(client, coach, athlete, block,
                                                                 other_athlete, other_coach):
    second = f.make_athlete(name="Cy Second", coach=coach)
    block.athletes.add(second)
    session = f.planned(block, "4x400 @ 64 (200 jog)", title="Shared session")
    f.make_log(session=session, athlete=athlete)
    f.make_log(session=session, athlete=second)
    other_block = f.make_block(coach=other_coach, athletes=(other_athlete,))
    f.make_log(session=f.make_session(block=other_block, title="Elsewhere"), athlete=other_athlete)
    client.force_login(coach)
    html = client.get(reverse("training:logs")).content.decode()
    assert "Ada Miler" in html and "Cy Second" in html and "Elsewhere" not in html
    narrowed = client.get(reverse("training:logs"), {"athlete": second.pk}).content.decode()
    assert "Cy Second’s logs" in narrowed and "<b>Ada Miler</b>" not in narrowed
    assert client.get(reverse("training:logs"), {"athlete": other_athlete.pk}).status_code == 404
    second.user.is_active = False  # Cy leaves the club: out of the list, the log still readable
    second.user.save()
    html = client.get(reverse("training:logs")).content.decode()
    assert "Cy Second" not in html and "Ada Miler" in html
    cy_log = SessionLog.objects.get(athlete=second)
    assert client.get(reverse("training:log-summary", args=[cy_log.pk])).status_code == 200


def test_finishing_without_javascript_shows_a_bad_field_on_the_page(athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    response = athlete_client.post(reverse("training:log", args=[session.pk]),
                                   details(duration="forever", finish="1"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and "is not a time" in html
    assert 'value="forever"' in html
    log.refresh_from_db()
    assert not log.completed and log.rpe == 7  # the good fields are kept


def test_today_follows_the_blocks_time_zone_and_opens_the_log(athlete_client, athlete, coach,
                                                              monkeypatch):
    from django.utils import timezone

    late_evening_utc = dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    auckland = f.make_block(coach=coach, athletes=(athlete,), time_zone="Pacific/Auckland",
                            title="Auckland")
    in_auckland = f.planned(auckland, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 11),
                          title="Auckland Wednesday")
    f.planned(auckland, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 10),
            title="Auckland Tuesday")
    html = athlete_client.get(reverse("training:today")).content.decode()
    today_part = html.split("Next days")[0]
    assert "Auckland Wednesday" in today_part
    assert reverse("training:log", args=[in_auckland.pk]) in today_part
    assert "Still to log" in html and "Auckland Tuesday" in html.split("Still to log")[1]


def test_today_shows_a_logged_session_with_its_summary(athlete_client, athlete, coach,
                                                       monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC))
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.planned(block, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 3))
    log = f.make_log(session=session, athlete=athlete, completed=True)
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert reverse("training:log-summary", args=[log.pk]) in html and "logged" in html


# --- access -------------------------------------------------------------------------------------

def test_an_athlete_cannot_reach_another_athletes_log_or_rows(client, athlete, other_athlete,
                                                              other_coach, htmx):
    block = f.make_block(coach=other_coach, athletes=(other_athlete,))
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    client.force_login(other_athlete.user)
    theirs = open_log(client, session)
    rep = rows(theirs)[0]
    client.force_login(athlete.user)
    urls = [
        ("get", reverse("training:log", args=[session.pk])),
        ("get", reverse("training:log-summary", args=[theirs.pk])),
        ("post", reverse("training:rep-save", args=[rep.pk])),
        ("post", reverse("training:rep-skip", args=[rep.pk])),
        ("post", reverse("training:rep-remove", args=[rep.pk])),
        ("post", reverse("training:rep-add", args=[theirs.pk])),
        ("post", reverse("training:log-comment", args=[theirs.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url, {"time": "60"}).status_code == 404
    rep.refresh_from_db()
    assert rep.actual_s is None and not rep.skipped


def test_another_coach_gets_404_for_a_log_that_is_not_theirs(client, other_coach, finished):
    client.force_login(other_coach)
    assert client.get(reverse("training:log-summary", args=[finished.pk])).status_code == 404
    assert client.post(reverse("training:log-comment", args=[finished.pk]),
                       {"body": "x"}).status_code == 404


def test_a_coach_cannot_fill_in_an_athletes_rows(coach_client, athlete, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    assert coach_client.get(reverse("training:log", args=[session.pk])).status_code == 404
    log = SessionLog.objects.create(session=session, athlete=athlete, date_done=session.date)
    rep = RepResult.objects.create(log=log, position=1, distance_m=400)
    assert coach_client.post(reverse("training:rep-save", args=[rep.pk]),
                             {"time": "60"}).status_code == 404
    assert coach_client.get(reverse("training:history")).status_code == 404


def test_athletes_do_not_see_the_coaches_list(athlete_client):
    assert athlete_client.get(reverse("training:logs")).status_code == 404


@pytest.mark.parametrize("name,args,method", [
    ("training:log", [1], "get"), ("training:log-summary", [1], "get"),
    ("training:rep-save", [1], "post"), ("training:rep-add", [1], "post"),
    ("training:log-comment", [1], "post"), ("training:logs", [], "get"),
    ("training:history", [], "get"), ("training:today", [], "get"),
])
def test_anonymous_visitors_are_sent_to_log_in(client, db, name, args, method):
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name,method", [
    ("training:rep-save", "get"), ("training:rep-skip", "get"), ("training:rep-remove", "get"),
    ("training:rep-add", "get"), ("training:log-comment", "get"), ("training:log-summary", "post"),
    ("training:log", "put"),
])
def test_wrong_methods_are_refused(athlete_client, name, method):
    assert getattr(athlete_client, method)(reverse(name, args=[1])).status_code == 405


def test_a_log_keeps_the_workout_it_was_run_against_after_the_plan_changes(client, coach,
                                                                            athlete):
    from django.urls import reverse

    from sessions.logbook import save_rep, start_log
    from sessions.planning import plan_session
    from tests import factories as f

    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.make_session(block=block, notation="4x400 @ 64 (200 jog)")
    plan_session(session)
    log = start_log(session, athlete)
    save_rep(log.reps.first(), {"actual_s": 64.5})
    session.notation = "10x400 @ T+ (200 jog)"
    session.save()
    plan_session(session)
    client.force_login(athlete.user)
    page = client.get(reverse("training:log-summary", args=[log.pk])).content.decode()
    assert "4x400 @ 64 (200 jog)" in page
    assert "10x400" not in page


def test_opening_the_log_form_alone_writes_nothing_and_lists_nothing(client, coach, athlete,
                                                                     htmx):
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.planned(block, "4x400 @ 64 (200 jog)", title="Forty-hundreds")
    easy = f.planned(block, "50min easy", title="Easy hour", slot="PM")
    client.force_login(athlete.user)
    for opened in (session, easy):
        assert client.get(reverse("training:log", args=[opened.pk])).status_code == 200
    assert not SessionLog.objects.exists() and not RepResult.objects.exists()
    today = client.get(reverse("training:today")).content.decode()
    assert "in progress" not in today and "Continue logging" not in today
    assert "Forty-hundreds" not in client.get(reverse("training:history")).content.decode()
    client.force_login(coach)
    assert "Forty-hundreds" not in client.get(reverse("training:logs")).content.decode()
    client.force_login(athlete.user)
    rep_url = reverse("training:new-rep-save", args=[session.pk, 2])
    client.post(rep_url, {"time": "64.2"}, **htmx)
    log = SessionLog.objects.get()
    assert log.reps.get(position=2).actual_s == 64.2
    client.force_login(coach)
    assert "Forty-hundreds" in client.get(reverse("training:logs")).content.decode()


def test_an_empty_log_left_from_before_is_not_in_progress_on_today(athlete_client, athlete,
                                                                   coach):
    today = dt.date.today()
    block = f.make_block(coach=coach, athletes=(athlete,), start=today - dt.timedelta(days=3),
                         time_zone="UTC")
    session = f.planned(block, "4x400 @ 64 (200 jog)", date=block.today())
    logbook.start_log(session, athlete)  # what opening the form used to leave behind
    page = athlete_client.get(reverse("training:today")).content.decode()
    assert "Log this session" in page and "Continue logging" not in page  # not begun


# --- an expired login (issue 9, item 3) ----------------------------------------------------------

def test_an_htmx_save_without_a_login_answers_401_and_stores_nothing(client, athlete, block,
                                                                    htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    fresh = f.planned(block, "4x200 @ 30 (200 jog)", slot="PM")
    log = logbook.start_log(session, athlete)
    rep = rows(log)[0]
    extra = logbook.add_rep(log, distance_m=200)
    posts = [
        (reverse("training:rep-save", args=[rep.pk]), {"time": "64.2"}),
        (reverse("training:rep-skip", args=[rep.pk]), {"skipped": "1"}),
        (reverse("training:rep-remove", args=[extra.pk]), {}),
        (reverse("training:rep-add", args=[log.pk]), {"add-distance": "400"}),
        (reverse("training:log", args=[session.pk]), details()),
        (reverse("training:new-rep-save", args=[fresh.pk, 1]), {"time": "30.1"}),
        (reverse("training:new-rep-skip", args=[fresh.pk, 1]), {"skipped": "1"}),
        (reverse("training:log-rep-add", args=[fresh.pk]), {"add-distance": "400"}),
        (reverse("training:log", args=[fresh.pk]), details()),
    ]
    before = list(RepResult.objects.values())
    for url, data in posts:
        response = client.post(url, data, **htmx)
        assert response.status_code == 401, url
        assert response["X-Login-Url"] == reverse("login")
        assert "<html" not in response.content.decode()
    assert list(RepResult.objects.values()) == before
    assert SessionLog.objects.get().rpe is None and not SessionLog.objects.filter(session=fresh)
    # without htmx (a page, not a row) the login page still takes over, coming back after
    plain = client.post(posts[0][0], posts[0][1])
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("login"))


# --- nothing invalid reaches the database (issue 9, item 6) --------------------------------------

def test_a_cut_short_distance_longer_than_the_rep_is_refused_and_not_summed(athlete_client,
                                                                            block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    log = open_log(athlete_client, session)
    rep = rows(log)[0]
    html = save(athlete_client, rep, htmx, time="64.2", distance="5000").content.decode()
    assert "5 km is longer than the 400 m planned" in html and 'value="5000"' in html
    rep.refresh_from_db()
    assert (rep.distance_m, rep.actual_s) == (400, 64.2)  # the time alone was fine
    summary = logbook.session_summary(log)
    assert all(j.deviation is None or j.deviation > -5 for g in summary.groups for j in g.reps)


def test_a_time_and_distance_that_fail_together_are_both_kept_out(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    rep = rows(open_log(athlete_client, session))[0]
    save(athlete_client, rep, htmx, time="64.2")
    # 300 m in 20 s: the distance is fine alone, the pair is faster than a world record
    html = save(athlete_client, rep, htmx, time="20", distance="300").content.decode()
    assert html.count("faster than a world record") == 2  # beside each box that was typed
    rep.refresh_from_db()
    assert (rep.actual_s, rep.distance_m) == (64.2, 400)


def test_a_timed_reps_distance_is_checked_against_its_planned_time(athlete_client, block, htmx):
    session = f.planned(block, "5x6min @ 2.5 mmol (1min)")
    rep = rows(open_log(athlete_client, session))[0]
    html = save(athlete_client, rep, htmx, distance="50000").content.decode()
    assert "faster than a world record: check the distance" in html
    rep.refresh_from_db()
    assert rep.distance_m is None


def test_a_row_of_a_log_not_saved_yet_with_only_bad_values_writes_nothing(athlete_client, block,
                                                                         htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    url = reverse("training:new-rep-save", args=[session.pk, 2])
    html = athlete_client.post(url, {"time": "6o.2", "distance": "5000"},
                               **htmx).content.decode()
    assert "is not a time" in unescape(html) and 'value="6o.2"' in html
    assert 'name="time"' in html  # still the row of a log not saved yet
    assert not SessionLog.objects.exists() and not RepResult.objects.exists()
    # a valid box beside a bad one is saved, and the row keeps the bad one as typed
    html = athlete_client.post(url, {"time": "6o.2", "avg_hr": "171"},
                               **htmx).content.decode()
    rep = RepResult.objects.get(position=2)
    assert (rep.avg_hr, rep.actual_s) == (171, None)
    assert 'name="time"' in html and 'value="6o.2"' in html and "data-saved-at" in html


@pytest.mark.parametrize("typed", ["lots", "0", "60000"])
def test_an_added_rep_with_a_bad_distance_writes_nothing(athlete_client, block, htmx, typed):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    response = athlete_client.post(reverse("training:log-rep-add", args=[session.pk]),
                                   {"add-distance": typed}, **htmx)
    assert response["HX-Retarget"] == "#rep-add" and 'class="error"' in response.content.decode()
    assert not SessionLog.objects.exists() and not RepResult.objects.exists()


def test_an_added_rep_on_a_log_not_saved_yet_starts_it(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    html = athlete_client.post(reverse("training:log-rep-add", args=[session.pk]),
                               {"add-distance": "200"}, **htmx).content.decode()
    log = SessionLog.objects.get()
    extra = log.reps.get(extra=True)
    assert (extra.position, log.reps.count()) == (5, 5) and 'id="rep-row-5"' in html


def test_a_skip_starts_the_log_and_taking_nothing_back_writes_nothing(athlete_client, block,
                                                                      htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    url = reverse("training:new-rep-skip", args=[session.pk, 3])
    athlete_client.post(url, {"skipped": "0"}, **htmx)
    assert not SessionLog.objects.exists()
    html = athlete_client.post(url, {"skipped": "1"}, **htmx).content.decode()
    assert "Saved as skipped" in html
    assert [r.skipped for r in rows(SessionLog.objects.get())] == [False, False, True, False]


@pytest.mark.parametrize("field,typed,message", [
    ("date_done", "after tomorrow", "That date has not come yet"),  # the first day refused
    ("date_done", "", "This field is required"),
    ("rpe", "11", "Select a valid choice"),
    ("duration", "1:35", "is under 5 minutes"),
    ("distance", "10", "Give the unit"),
    ("distance", "300 km", "over 200 km"),
    ("feeling", "x" * 121, "at most 120 characters"),
    ("notes", "x" * 4001, "at most 4000 characters"),
])
def test_a_bad_session_field_writes_nothing_not_even_the_log(athlete_client, block, htmx, field,
                                                             typed, message):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    url = reverse("training:log", args=[session.pk])
    if typed == "after tomorrow":  # from the block's today when the test runs, not a fixed day
        typed = (block.today() + dt.timedelta(days=2)).isoformat()
    data = {"date_done": block.today().isoformat(), "rpe": "", "duration": "", "distance": "",
            "feeling": "", "notes": "", field: typed}
    html = athlete_client.post(url, data, **htmx).content.decode()
    assert message in unescape(html) and "Not saved" in html
    assert not SessionLog.objects.exists()
    finish = athlete_client.post(url, {**data, "finish": "1"})
    assert finish.status_code == 200 and "Not finished" in finish.content.decode()
    assert not SessionLog.objects.exists()
    log = open_log(athlete_client, session)  # and on a log that exists: nothing changes
    athlete_client.post(url, {**data, "finish": "1", "skip_open": "1"})
    log.refresh_from_db()
    assert not log.completed and (log.rpe, log.duration_s, log.distance_m, log.notes) == (
        None, None, None, "")


# --- Finish where the athlete is; the date it was run (issue 9, item 7) ---------------------------

def test_finish_with_reps_missing_says_so_at_the_top_with_links(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    athlete_client.post(reverse("training:new-rep-save", args=[session.pk, 1]),
                        {"time": "64.0"}, **htmx)
    html = athlete_client.post(reverse("training:log", args=[session.pk]),
                               details(finish="1")).content.decode()
    top = html.split('<header class="log-head"')[0]
    assert 'id="finish-problem"' in top and "data-focus-on-load" in top
    assert "3 reps still have nothing" in top
    assert all(f'href="#rep-row-{n}">Rep {n} · 400 m</a>' in top for n in (2, 3, 4))
    assert 'form="log-details" name="skip_open"' in top
    assert html.count("rep-row-2") >= 2  # the link's anchor is on the page


def test_a_session_logged_early_or_late_is_dated_today_where_the_block_is(athlete_client,
                                                                          athlete, coach):
    block = f.make_block(coach=coach, athletes=(athlete,), time_zone="Pacific/Kiritimati",
                         start=dt.date.today() - dt.timedelta(days=10))
    today = block.today()
    for days, slot in ((3, "AM"), (-3, "PM")):
        session = f.planned(block, "50min easy", date=today + dt.timedelta(days=days), slot=slot)
        page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
        assert f'name="date_done" value="{today.isoformat()}"' in page
        athlete_client.post(reverse("training:log", args=[session.pk]),
                            {"date_done": today.isoformat(), "rpe": "3", "duration": "",
                             "distance": "", "feeling": "", "notes": "", "finish": "1"})
        assert SessionLog.objects.get(session=session).date_done == today


# --- easy runs and amounts (issue 9, item 9) ----------------------------------------------------

def test_an_easy_run_is_logged_with_time_distance_effort_and_a_note(athlete_client, block, htmx):
    session = f.planned(block, "8mi easy")
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert 'placeholder="8 mi"' in page
    url = reverse("training:log", args=[session.pk])
    data = {"date_done": block.today().isoformat(), "rpe": "3", "duration": "62",
            "distance": "8 mi", "feeling": "easy", "notes": "Trails, soft legs"}
    assert "Saved" in athlete_client.post(url, data, **htmx).content.decode()
    response = athlete_client.post(url, {**data, "finish": "1"}, follow=True)
    log = SessionLog.objects.get()
    assert (log.completed, log.rpe, log.duration_s, log.notes) == (True, 3, 3720,
                                                                   "Trails, soft legs")
    assert log.distance_m == pytest.approx(12874.752)
    html = response.content.decode()
    assert "<b>8 mi</b><span>distance run" in html and "<b>1:02:00</b>" in html
    assert "4:49/km" in html and "Trails, soft legs" in html and "0 km" not in html
    page = athlete_client.get(url).content.decode()
    assert 'value="8 mi"' in page
    assert log in SessionLog.objects.started()


def test_the_log_pages_write_amounts_the_one_way(athlete_client, block, htmx):
    session = f.planned(block, "3x2mi @ T (2min) & 4x6min @ T (1min)")
    log = open_log(athlete_client, session)
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert "2 mi" in page and "3218" not in page
    first, *_, timed = rows(log)
    save(athlete_client, first, htmx, time="11:00", distance="3000")
    save(athlete_client, timed, htmx, distance="1850")
    page = athlete_client.get(reverse("training:log", args=[session.pk])).content.decode()
    assert '<span class="rep-ran">ran 3 km</span>' in page
    summary = athlete_client.get(reverse("training:log-summary", args=[log.pk])).content.decode()
    assert "(ran 3 km)" in summary and "1850 m" in summary and "3218" not in summary


def test_the_summarys_table_fits_a_phone_and_is_reachable_by_keyboard(athlete_client, finished):
    html = athlete_client.get(reverse("training:log-summary", args=[finished.pk])).content.decode()
    assert 'class="table-wrap" tabindex="0" role="region" aria-labelledby="reps-title"' in html
    assert 'class="note' not in html  # the green notice style stays off the empty Note cells
    assert 'class="rep-note is-empty"' in html


def test_a_row_still_shown_as_new_after_another_row_started_the_log_keeps_its_input(
        athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    athlete_client.post(reverse("training:new-rep-save", args=[session.pk, 1]),
                        {"time": "64.5"}, **htmx)
    html = athlete_client.post(reverse("training:new-rep-save", args=[session.pk, 2]),
                               {"time": "6o.2"}, **htmx).content.decode()
    rep = RepResult.objects.get(position=2)
    assert 'name="time"' in html and 'value="6o.2"' in html
    assert f'action="{reverse("training:new-rep-save", args=[session.pk, 2])}"' in html
    athlete_client.post(reverse("training:new-rep-save", args=[session.pk, 2]),
                        {"time": "64.9"}, **htmx)
    rep.refresh_from_db()
    assert rep.actual_s == 64.9
