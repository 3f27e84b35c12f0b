"""The log page's compact rows (issue 12, docs/logging.md): the row markup the page's script
relies on, the details panel loaded on demand (.../more/), saves sent twice applied once
(``cid``), slips questioned rather than stored, and the queries a page, a save and a panel
cost."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from sessions import judging, logbook
from sessions.models import RepResult, SaveReceipt, SessionLog
from tests import factories as f

TWO_SETS = "12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)"
CID = "6f1c2a9e-0b7d-4c1e-9a55-0c4f3b2d1e01"


def page_of(client, session) -> str:
    response = client.get(reverse("training:log", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def row_html(html: str, position: int) -> str:
    start = html.index(f'<form id="rep-row-{position}"')
    return html[start:html.index("</form>", start)]


def save_url(session, position: int) -> str:
    return reverse("training:new-rep-save", args=[session.pk, position])


def more_url(session, position: int) -> str:
    return reverse("training:rep-more", args=[session.pk, position])


# --- the row markup ------------------------------------------------------------------------------

def test_each_row_is_one_compact_form_with_one_box_to_type_in(athlete_client, athlete, block):
    session = f.planned(block, TWO_SETS)
    html = page_of(athlete_client, session)
    assert html.count("data-rep-row") == 22
    head = re.search(r'<header class="log-head" ([^>]*)>', html).group(1)
    assert f'data-log-key="{athlete.user.pk}:{session.pk}"' in head
    assert re.search(r'data-rendered-at="\d{13}"', head)
    assert 'id="log-pending" class="log-pending" role="status" hidden' in html
    for position in (1, 13, 22):
        row = row_html(html, position)
        assert f'action="{save_url(session, position)}"' in row  # by position, log or not
        assert f'data-position="{position}"' in row
        assert f'aria-labelledby="rep-name-{position}"' in row
        assert row.count("primary-input") == 1
        box = re.search(r'<input type="text" name="time"[^>]*>', row).group(0)
        assert 'inputmode="decimal"' in box and 'enterkeyhint="next"' in box
        assert 'autocomplete="off"' in box and f'aria-label="Rep {position}, ' in box
        assert f'href="{more_url(session, position)}"' in row
        assert f'id="rep-more-{position}"></div>' in row  # empty until asked for
        assert "data-saved-at" not in row
    assert "12 × 400 m · T+" in html and "10 × 200 m · mile pace" in html  # set headers
    # heart rate, lactate, note and distance wait in the details panel
    reps = html[:html.index('id="log-details"')]  # (the session's own form has a distance)
    for name in ("avg_hr", "note", "distance", "lactate"):
        assert f'name="{name}"' not in reps


def test_a_rep_with_a_lactate_band_shows_its_lactate_box_in_the_row(athlete_client, block):
    session = f.planned(block, "3x1000 @ 3.0-3.5 mmol (2min) & 2x400 @ 64 (200 jog)")
    html = page_of(athlete_client, session)
    for position in (1, 2, 3):
        row = row_html(html, position)
        assert 'name="lactate"' in row and row.count("primary-input") == 1
        assert "3.0–3.5 mmol/L" in row
    assert 'name="lactate"' not in row_html(html, 4)


def test_a_saved_row_shows_its_verdict_and_says_when_it_was_stored(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    html = athlete_client.post(save_url(session, 1), {"time": "66.4", "cid": CID},
                               **htmx).content.decode()
    row = row_html(html, 1)
    assert "is-saved" in row and "status-slow" in row and '<span class="pill slow">' in row
    assert "+2.4 s" in row and 'value="66.4"' in row
    assert re.search(r'data-saved-at="\d{13}"', row) and f'data-cid="{CID}"' in row
    assert 'id="log-progress" class="log-progress" role="status" hx-swap-oob="true"' in html
    assert "<b class=\"num\">1</b> of <span class=\"num\">4</span>" in html


def test_a_skipped_row_offers_to_take_the_skip_back(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    url = reverse("training:new-rep-skip", args=[session.pk, 2])
    row = row_html(athlete_client.post(url, {"skipped": "1"}, **htmx).content.decode(), 2)
    assert "is-skipped" in row and "Undo skip" in row and "primary-input" not in row
    assert "data-saved-at" in row


# --- the details panel ---------------------------------------------------------------------------

def test_the_details_panel_comes_on_demand_with_htmx(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    response = athlete_client.get(more_url(session, 2), **htmx)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "<form" not in html
    for name in ("avg_hr", "note", "distance", "lactate"):
        assert f'name="{name}"' in html
    assert 'id="rep-2-avg_hr"' in html  # ids unique on the page: by the row
    assert "Skip this rep" in html and reverse("training:new-rep-skip",
                                               args=[session.pk, 2]) in html
    assert not SessionLog.objects.exists()  # opening it writes nothing
    assert response["Vary"].startswith("HX-Request") or "HX-Request" in response["Vary"]


def test_without_javascript_more_is_a_page_for_the_row_that_saves_and_returns(
        athlete_client, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    html = athlete_client.get(more_url(session, 3)).content.decode()
    assert "<html" in html and "Rep 3 · 400 m" in html
    row = row_html(html, 3)
    assert f'action="{save_url(session, 3)}"' in row
    assert 'name="time"' in row and 'name="avg_hr"' in row and 'name="note"' in row
    response = athlete_client.post(save_url(session, 3), {
        "time": "64.8", "avg_hr": "171", "note": "windy", "distance": "", "lactate": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.pk}/log/#rep-row-3")
    rep = RepResult.objects.get(position=3)
    assert (rep.actual_s, rep.avg_hr, rep.note) == (64.8, 171, "windy")


def test_a_bad_value_in_the_details_shows_the_panel_open_with_it(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    row = row_html(athlete_client.post(save_url(session, 1), {"time": "64.5", "avg_hr": "17o"},
                                       **htmx).content.decode(), 1)
    assert "has-errors" in row and 'value="17o"' in row and "is not a heart rate" in row
    assert RepResult.objects.get(position=1).actual_s == 64.5


def test_an_outsider_gets_404_for_the_panel(client, other_athlete, block):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    client.force_login(other_athlete.user)
    assert client.get(more_url(session, 1)).status_code == 404


# --- exactly once --------------------------------------------------------------------------------

def test_a_save_sent_again_is_applied_once(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    athlete_client.post(save_url(session, 1), {"time": "64.0"}, **htmx)  # the log exists
    first = athlete_client.post(save_url(session, 2), {"time": "65.0", "cid": CID}, **htmx)
    assert "data-saved-at" in first.content.decode()
    athlete_client.post(save_url(session, 2), {"time": "66.0", "cid": "later-save-1"}, **htmx)
    again = athlete_client.post(save_url(session, 2), {"time": "65.0", "cid": CID}, **htmx)
    row = row_html(again.content.decode(), 2)
    assert "data-saved-at" not in row and 'value="66"' in row  # the row as it stands
    assert RepResult.objects.get(position=2).actual_s == 66.0
    assert SaveReceipt.objects.filter(cid=CID).count() == 1


def test_the_first_save_of_a_log_sent_twice_starts_it_once(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    for _ in range(2):
        athlete_client.post(save_url(session, 1), {"time": "64.0", "cid": CID}, **htmx)
    assert SessionLog.objects.count() == 1 and SaveReceipt.objects.count() == 1


def test_saves_with_different_ids_apply_in_order_and_the_last_wins(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    for n, typed in enumerate(["64.1", "64.2", "64.3"]):
        athlete_client.post(save_url(session, 4), {"time": typed, "cid": f"save-{n:04d}"},
                            **htmx)
    assert RepResult.objects.get(position=4).actual_s == 64.3
    assert SaveReceipt.objects.count() == 3


def test_a_skip_sent_again_is_applied_once(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    url = reverse("training:new-rep-skip", args=[session.pk, 2])
    athlete_client.post(url, {"skipped": "1", "cid": "skip-0001"}, **htmx)
    athlete_client.post(url, {"skipped": "0", "cid": "skip-0002"}, **htmx)
    athlete_client.post(url, {"skipped": "1", "cid": "skip-0001"}, **htmx)
    assert not RepResult.objects.get(position=2).skipped


def test_a_malformed_save_id_is_refused(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 64 (200 jog)")
    response = athlete_client.post(save_url(session, 1), {"time": "64", "cid": "<x>"}, **htmx)
    assert response.status_code == 400 and not SessionLog.objects.exists()


# --- slips ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["66.4", "1:06.4", "1.06.4"])
def test_a_split_typed_any_of_the_three_ways_is_stored(athlete_client, block, htmx, typed):
    session = f.planned(block, "4x400 @ 68-70 (200 jog)")
    athlete_client.post(save_url(session, 1), {"time": typed}, **htmx)
    assert RepResult.objects.get(position=1).actual_s == 66.4


def test_a_slip_is_questioned_and_its_suggestion_saves(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 68-70 (200 jog)")
    athlete_client.post(save_url(session, 1), {"time": "68.0"}, **htmx)
    html = athlete_client.post(save_url(session, 2), {"time": "6.64", "cid": CID},
                               **htmx).content.decode()
    row = row_html(html, 2)
    assert "is-questioned" in row and "6.64 s for 400 m? Did you mean 1:06.4?" in row
    assert 'value="6.64"' in row  # what was typed stays in the box
    assert 'name="time" value="66.4"' in row and "Keep" not in row  # 6.64 is not possible
    assert "data-saved-at" not in row
    assert RepResult.objects.get(position=2).actual_s is None
    assert not SaveReceipt.objects.exists()  # nothing applied: the id may come again
    # the suggestion's button posts the box and its own value: the last one counts
    athlete_client.post(save_url(session, 2), {"time": ["6.64", "66.4"]}, **htmx)
    assert RepResult.objects.get(position=2).actual_s == 66.4


def test_a_possible_but_unlikely_split_can_be_kept(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 68-70 (200 jog)")
    row = row_html(athlete_client.post(save_url(session, 1), {"time": "106.4"},
                                       **htmx).content.decode(), 1)
    assert "Did you mean 1:06.4?" in row and 'name="confirm" value="1"' in row
    assert "Keep 106.4" in row
    athlete_client.post(save_url(session, 1), {"time": "106.4", "confirm": "1"}, **htmx)
    assert RepResult.objects.get(position=1).actual_s == 106.4


def test_without_javascript_a_slip_is_asked_about_on_the_page(athlete_client, block):
    session = f.planned(block, "3x1600 @ 4:00-4:10 (400 jog)")
    html = athlete_client.post(save_url(session, 2), {"time": "4.05"}).content.decode()
    assert "<html" in html and "4.05 s for 1600 m? Did you mean 4:05?" in row_html(html, 2)
    assert not SessionLog.objects.exists()


# --- the row's counts in SQL are the judging rules -----------------------------------------------

def test_the_counts_a_save_reads_are_the_judging_rules(athlete_client, block):
    session = f.planned(block, "2x400 @ 64 (200 jog) & 2x6min @ 2.5 mmol (1min) & 2x1000 (2min)")
    log = logbook.start_log(session, block.athletes.get())
    reps = list(log.reps.order_by("position"))
    values = [{"actual_s": 64.0}, {"note": "x"}, {"lactate": 2.4}, {"distance_m": 1700},
              {"avg_hr": 150}, {"skipped": True}]
    for rep, changes in zip(reps, values, strict=True):
        logbook.save_rep(rep, changes)
    for rep in reps:
        row = logbook.saved_row(session.pk, rep.position, athlete=log.athlete)
        assert row.done_count == sum(judging.is_done(r) for r in log.reps.all())
        assert row.row_count == 6
    # A log whose rows are all still empty may no longer follow the plan: no saved row then.
    other = f.planned(block, "2x400 @ 64 (200 jog)", date=session.date + dt.timedelta(days=1))
    empty = logbook.start_log(other, log.athlete)
    assert logbook.saved_row(empty.session_id, 1, athlete=log.athlete) is None


def test_every_text_of_a_row_is_escaped():
    """The rows' template writes numbers, addresses and classes as they are and escapes every
    other value itself (templates/jinja2/training/rep_rows.html): markup in any text of a row
    comes out as text."""
    from sessions.log_forms import Question
    from sessions.log_rows import Box, Row, render_rows

    bad = '<i x="1">&'
    box = Box(name="time", id="rep-1-time", value=bad, label=bad, placeholder=bad,
              primary=True, error=bad)
    row = Row(position=1, name=bad, css="rep-row", target=bad, save_url="/s/", skip_url="/k/",
              more_url="/m/", ran=bad, boxes=[box], deviation=bad, pill="fast",
              pill_label=bad, advice=bad, state=bad, state_ok=True,
              question=Question(typed=bad, message=bad, suggestion=66.4, can_keep=True))
    html = render_rows([row], csrf_token="tok", cid="abcdefgh1")
    assert "<i " not in html
    assert html.count("&lt;i x=&#34;1&#34;&gt;&amp;") == 13
    assert 'action="/s/"' in html and 'id="rep-row-1"' in html and 'value="tok"' in html


def test_free_text_on_the_page_is_escaped_as_django_escapes_it():
    """``|dj`` (coach/jinja2.py) writes what Django's ``conditional_escape`` writes."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from coach.jinja2 import django_escape

    for value in ('<a href="x">\'&', mark_safe("<b>"), 5, None, gettext_lazy("Today's"), ""):
        assert str(django_escape(value)) == str(conditional_escape(value))


# --- queries -------------------------------------------------------------------------------------

def test_the_page_a_save_and_a_panel_cost_a_few_queries_whatever_the_size(
        athlete_client, block, htmx, django_assert_max_num_queries):
    big = f.planned(block, "40x400 @ 64 (200 jog) & 20x200 @ 30 (200 jog)")
    athlete_client.post(save_url(big, 1), {"time": "64.0"}, **htmx)  # the log exists
    # session, user, athlete, the session with the log (sessions/log_sql.py), the rows with
    # the targets' origins
    with django_assert_max_num_queries(5):
        page_of(athlete_client, big)
    # session, user, the log's rows (the saved one with its log), the receipt, the write, its
    # history row (one INSERT, docs/history.md), the log's time
    with django_assert_max_num_queries(7):
        athlete_client.post(save_url(big, 30), {"time": "64.2", "cid": CID}, **htmx)
    with django_assert_max_num_queries(4):
        athlete_client.post(save_url(big, 30), {"time": "64.2", "cid": CID}, **htmx)
    with django_assert_max_num_queries(6):  # no cid: no receipt
        athlete_client.post(save_url(big, 31), {"time": "64.2"}, **htmx)
    with django_assert_max_num_queries(4):
        athlete_client.get(more_url(big, 31), **htmx)
    # a log not begun: session, user, athlete, the session (no log), its planned reps
    fresh = f.planned(block, "40x400 @ 64 (200 jog)", date=big.date + dt.timedelta(days=1))
    with django_assert_max_num_queries(5):
        page_of(athlete_client, fresh)
    assert RepResult.objects.get(position=30).actual_s == 64.2


# --- Today: one tap into logging ------------------------------------------------------------------

def test_today_opens_the_log_form_at_the_next_rep_in_one_tap(
        athlete_client, athlete, coach, monkeypatch, django_assert_max_num_queries):
    """Today's main button goes straight to the log form, at the next rep to type (``#next``:
    static/js/log.js puts the cursor in its box), costing Today no query for it."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC))
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.planned(block, "4x400 @ 64 (200 jog)", date=dt.date(2026, 11, 3))
    log_url = reverse("training:log", args=[session.pk]) + "#next"
    with django_assert_max_num_queries(13):  # as before the rows: the link costs nothing
        html = athlete_client.get(reverse("training:today")).content.decode()
    assert f'class="button primary big" href="{log_url}">Log this session' in html
    assert not SessionLog.objects.exists()  # Today writes nothing
    athlete_client.post(save_url(session, 1), {"time": "64.3"})
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert f'href="{log_url}">Continue logging' in html


# --- "How it went": the session's own fields, on demand ------------------------------------------

def test_the_sessions_own_fields_are_folded_under_the_reps_and_come_on_demand(
        athlete_client, athlete, block, htmx):
    session = f.planned(block, TWO_SETS)
    html = page_of(athlete_client, session)
    folded = html[html.index('<form id="log-details"'):]
    assert '<details class="session-fields">' in folded and 'name="rpe"' not in folded
    assert f'hx-get="{reverse("training:log", args=[session.pk])}?details=1"' in folded
    assert 'name="finish"' in folded  # Finish stays in reach, fields folded or not
    fields = athlete_client.get(reverse("training:log", args=[session.pk]) + "?details=1",
                                **htmx).content.decode()
    assert 'id="log-details-fields"' in fields
    assert 'name="rpe"' in fields and 'name="date_done"' in fields and "<html" not in fields
    # Without JavaScript the link opens the page with them drawn.
    page = athlete_client.get(reverse("training:log", args=[session.pk]) + "?details=1")
    assert '<details class="session-fields" open>' in page.content.decode()


def test_finish_with_the_fields_folded_keeps_what_was_given_and_says_it(
        athlete_client, athlete, block, htmx):
    session = f.planned(block, "4x400 @ 70")
    url = reverse("training:log", args=[session.pk])
    athlete_client.post(url, {"date_done": block.today().isoformat(), "rpe": "7",
                              "duration": "52", "distance": "", "feeling": "strong",
                              "notes": "windy"}, **htmx)
    assert "RPE 7 · 52:00 · strong" in page_of(athlete_client, session)
    for position in range(1, 5):
        athlete_client.post(save_url(session, position), {"time": "70.1"}, **htmx)
    finished = athlete_client.post(url, {"finish": "1"})  # the folded fields are not posted
    assert finished.status_code == 302
    log = SessionLog.objects.get(session=session)
    assert (log.completed, log.rpe, log.duration_s, log.feeling, log.notes) == (
        True, 7, 3120, "strong", "windy")


def test_an_easy_run_shows_its_fields_open(athlete_client, block):
    html = page_of(athlete_client, f.planned(block, "50min easy"))
    assert '<details class="session-fields" open>' in html and 'name="rpe"' in html


def test_the_add_a_rep_box_is_drawn_when_its_panel_opens(athlete_client, block, htmx):
    session = f.planned(block, "4x400 @ 70")
    url = reverse("training:log", args=[session.pk])
    html = page_of(athlete_client, session)
    panel = html[html.index('<details id="rep-add"'):html.index("</details>",
                                                              html.index('<details id="rep-add"'))]
    assert 'name="add-distance"' not in panel and f'hx-get="{url}?add=1"' in panel
    # (its own target: the form around it sends what it adds to #added-rows)
    assert 'hx-target="this"' in panel[panel.index('id="rep-add-field"'):]
    box = athlete_client.get(url + "?add=1", **htmx).content.decode()
    assert 'id="rep-add-field"' in box and 'name="add-distance"' in box and "<html" not in box
    page = athlete_client.get(url + "?add=1").content.decode()  # without JavaScript
    assert '<details id="rep-add" class="rep-add card" open>' in page
    assert 'name="add-distance"' in page
