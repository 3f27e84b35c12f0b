"""In the browser (issue 17, docs/history.md): one coach, the same session open in two tabs, the
second save refused with what changed and the editor's text kept, then saved anyway; the
plan's history on the session page; the athlete reads the coach's change of a split."""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sessions import history, logbook
from sessions.models import Session
from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKOUT = "2mi WU; 6x400 @ 64 (200 jog); 2mi CD"
THEIRS = "2mi WU; 8x400 @ 64 (200 jog); 2mi CD"
MINE = "2mi WU; 5x1k @ T (90s); 2mi CD"
SHOTS = os.environ.get("HISTORY_SHOTS")  # a folder: also save the screenshots there


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.fixture
def planned(db):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Reyes")
    athlete = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768))
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.planned(block, WORKOUT, title="Four hundreds", date=dt.date(2026, 11, 4))
    return coach, athlete, session


def test_two_tabs_of_one_session_the_second_save_is_refused_then_saved_anyway(
        page, live_server, planned):
    coach, athlete, session = planned
    login(page, live_server, "coach")
    edit = f"{live_server.url}/sessions/{session.pk}/edit/"
    page.goto(edit)
    other = page.context.new_page()
    other.goto(edit)

    page.get_by_label("Workout").fill(THEIRS)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test block")

    other.get_by_label("Workout").fill(MINE)
    other.get_by_label("Title").fill("Kilometres")
    other.get_by_role("button", name="Save session").click()
    alert = other.locator(".stale-save")
    expect(alert.get_by_role("heading")).to_contain_text(
        "Not saved: you changed this session in another tab or window at ")
    expect(alert.locator(".stale-change")).to_have_count(1)
    expect(alert.locator(".theirs")).to_contain_text(THEIRS)
    expect(alert.locator(".yours")).to_contain_text(MINE)
    expect(other.get_by_label("Workout")).to_have_value(MINE)  # the editor's text is kept
    expect(other.get_by_label("Title")).to_have_value("Kilometres")
    session.refresh_from_db()
    assert session.notation == THEIRS
    shoot(other, "stale-save")
    other.set_viewport_size({"width": 1280, "height": 800})

    other.get_by_role("button", name="Save mine anyway").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Test block")
    session.refresh_from_db()
    assert (session.notation, session.title, session.version) == (MINE, "Kilometres", 3)

    other.goto(f"{live_server.url}/sessions/{session.pk}/")
    other.locator("#plan-changes summary").click()  # loaded when opened
    changes = other.locator("#plan-changes-list .change-list > li")
    expect(changes.first).to_contain_text("Carla Reyes changed the session")
    expect(changes.first).to_contain_text(f"Workout from {THEIRS} to {MINE}")
    expect(changes).to_have_count(3)  # mine, theirs, and its creation
    shoot(other, "plan-changes")


def test_the_athlete_reads_the_coachs_change_of_their_split(page, live_server, planned):
    coach, athlete, session = planned
    log = logbook.start_log(session, athlete)
    rep = log.reps.get(position=5)
    rep._history_user = athlete.user  # typed by the athlete
    logbook.save_rep(rep, {"actual_s": 69.8})
    rep = log.reps.get(position=5)
    rep._history_user = coach  # as the stopwatch saves it, in the coach's request
    logbook.save_rep(rep, {"actual_s": 68.9, "timed_by": coach})
    history.mark_changed_by_others(log)
    Session.objects.filter(pk=session.pk).update(title="Four hundreds")

    login(page, live_server, athlete.user.username)
    page.goto(f"{live_server.url}/logs/{log.pk}/")
    changes = page.locator("details.changes")
    expect(changes.locator("summary")).to_have_text("Changes by others (1)")
    changes.locator("summary").click()
    expect(changes.locator(".change-list > li")).to_contain_text(
        "Carla Reyes changed rep 5 on ")
    expect(changes.locator(".change-list > li")).to_contain_text("time from 69.8 to 68.9")
    shoot(page, "log-changes")


def test_an_admin_restores_a_session_in_the_admin_under_the_policy(page, live_server, planned):
    """The admin's History and Revert pages run under the Content-Security-Policy with no
    refusal, and Revert brings the earlier workout back."""
    coach, athlete, session = planned
    f.make_user(username="boss", is_staff=True, is_superuser=True, first_name="Ann",
                last_name="Admin")
    session.notation = THEIRS
    session.save()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, live_server, "boss")
    page.goto(f"{live_server.url}/admin/training/session/{session.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)  # created, planned, changed
    rows.last.locator("a").first.click()  # the oldest: as it was created
    expect(page.locator("#id_notation")).to_have_value(WORKOUT)
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    session.refresh_from_db()
    assert (session.notation, session.steps.filter(kind="work").count()) == (WORKOUT, 6)
    assert problems == []
    shoot(page, "admin-history")
