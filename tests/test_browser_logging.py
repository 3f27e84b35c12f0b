"""An athlete logs a session rep by rep on a phone (390x844), in Debian's chromium."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.actions import plan_session
from sessions.models import RepResult, SessionLog
from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def todays_session(db):
    coach = f.make_coach(username="coach")
    athlete = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768),
                             user=f.make_user(username="ada", first_name="Ada", last_name="Miler"))
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=(athlete,), start=today, time_zone="UTC")
    session = f.make_session(block=block, date=today, title="Six 400s",
                             notation="6x400 @ 64 (200 jog)")
    plan_session(session)
    return session


def row(page, number):
    return page.locator("form[data-rep-row]").nth(number - 1)


def enter(page, number, time):
    box = row(page, number).get_by_label("Time")
    box.fill(time)
    box.press("Tab")


def test_an_athlete_logs_a_session_rep_by_rep_and_sees_the_summary(phone, live_server,
                                                                   todays_session):
    page = phone
    login(page, live_server, "ada")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.get_by_role("link", name="Log this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")
    assert page.locator("form[data-rep-row]").count() == 6
    assert row(page, 1).get_by_label("Time").get_attribute("inputmode") == "decimal"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    enter(page, 1, "64.5")
    expect(row(page, 1).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(row(page, 1).locator(".rep-result")).to_contain_text("+0.5 s")
    expect(row(page, 1).locator(".rep-result")).to_contain_text("On target")

    enter(page, 2, "6o.2")  # a slip of the thumb
    expect(row(page, 2).get_by_role("alert")).to_contain_text('"6o.2" is not a time')
    expect(row(page, 2).get_by_label("Time")).to_have_value("6o.2")
    enter(page, 2, "64.9")
    expect(row(page, 2).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(row(page, 2).get_by_role("alert")).to_have_count(0)

    enter(page, 3, "66.0")
    expect(row(page, 3).locator(".rep-result")).to_contain_text("Slow")
    expect(page.locator("#log-progress")).to_contain_text("3 of 6 reps done")

    page.reload()  # the phone drops the page midway: the saved rows are still there
    expect(row(page, 1).get_by_label("Time")).to_have_value("64.5")
    expect(row(page, 2).get_by_label("Time")).to_have_value("64.9")
    expect(row(page, 3).get_by_label("Time")).to_have_value("66")
    expect(page.locator("#log-progress")).to_contain_text("3 of 6 reps done")

    for number, time in ((4, "63.8"), (5, "1:04.2"), (6, "62.0")):
        enter(page, number, time)
        expect(row(page, number).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(row(page, 6).locator(".rep-result")).to_contain_text("Fast")

    page.get_by_label("Effort (RPE 1–10)").select_option("7")
    expect(page.locator("#log-details [data-state]")).to_have_text(re.compile("Saved"))
    page.get_by_role("button", name="Finish and see the summary").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")
    expect(page.locator(".verdicts .v-on b")).to_have_text("4")
    expect(page.locator(".verdicts .v-fast b")).to_have_text("1")
    expect(page.locator(".verdicts .v-slow b")).to_have_text("1")
    expect(page.locator(".rep-chart svg")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    log = SessionLog.objects.get(session=todays_session)
    assert log.completed and log.rpe == 7
    assert [r.actual_s for r in log.reps.order_by("position")] == [
        64.5, 64.9, 66.0, 63.8, 64.2, 62.0]


def test_a_row_that_fails_to_save_keeps_its_values_and_retries(phone, live_server,
                                                              todays_session):
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    page.route(re.compile(r".*/reps/\d+/$"), lambda route: route.abort())  # no signal

    box = row(page, 1).get_by_label("Time")
    box.fill("64.3")
    row(page, 1).get_by_label("Heart rate").fill("171")
    row(page, 1).get_by_label("Heart rate").press("Tab")
    expect(row(page, 1).locator("[data-state]")).to_have_text("Not saved — will retry")
    expect(box).to_have_value("64.3")
    expect(row(page, 1).get_by_label("Heart rate")).to_have_value("171")
    assert RepResult.objects.get(log__session=todays_session, position=1).actual_s is None

    page.unroute(re.compile(r".*/reps/\d+/$"))  # signal is back: tap Save
    row(page, 1).get_by_role("button", name="Save").click()
    expect(row(page, 1).locator("[data-state]")).to_have_text(re.compile("Saved"))
    rep = RepResult.objects.get(log__session=todays_session, position=1)
    assert (rep.actual_s, rep.avg_hr) == (64.3, 171)


def test_reps_can_be_skipped_and_added_on_the_phone(phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    row(page, 6).get_by_text("Note, cut short, skip").click()
    row(page, 6).get_by_role("button", name="Skip this rep").click()
    expect(row(page, 6)).to_contain_text("Skipped")
    page.get_by_text("Add a rep").click()
    page.get_by_label("Distance of the added rep").fill("200")
    page.get_by_role("button", name="Add the rep").click()
    expect(page.locator("#added-rows form[data-rep-row]")).to_have_count(1)
    expect(page.locator("#log-progress")).to_contain_text("1 of 7 reps done")
    added = page.locator("#added-rows form[data-rep-row]")
    added.get_by_label("Time").fill("31.0")
    added.get_by_label("Time").press("Tab")
    expect(added.locator("[data-state]")).to_have_text(re.compile("Saved"))
    assert RepResult.objects.get(log__session=todays_session, extra=True).actual_s == 31.0


def test_what_is_typed_while_a_row_saves_is_kept_and_saved_too(phone, live_server,
                                                               todays_session):
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    held = []
    rows_url = re.compile(r".*/reps/\d+/$")
    # A slow network: the first save hangs until released; later ones go straight through.
    page.route(rows_url, lambda route: route.continue_() if held else held.append(route))
    enter(page, 1, "64.4")  # Tab moves on to the heart rate box
    expect(row(page, 1).locator("[data-state]")).to_have_text("Saving…")
    page.keyboard.type("168")  # typed while the time is still on its way
    held[0].continue_()
    page.unroute(rows_url)
    expect(row(page, 1).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(row(page, 1).get_by_label("Heart rate")).to_have_value("168")
    expect(row(page, 1).get_by_label("Heart rate")).to_be_focused()
    rep = RepResult.objects.get(log__session=todays_session, position=1)
    for _ in range(20):  # the second save (the heart rate) follows the first
        rep.refresh_from_db()
        if rep.avg_hr:
            break
        page.wait_for_timeout(100)
    assert (rep.actual_s, rep.avg_hr) == (64.4, 168)
