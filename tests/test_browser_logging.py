"""An athlete logs a session rep by rep on a phone (390x844), in Debian's chromium."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import RepResult, SessionLog
from sessions.planning import plan_session
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
    assert not RepResult.objects.filter(log__session=todays_session, position=1,
                                        actual_s__isnull=False).exists()

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


def test_a_save_redraws_only_its_row_and_keeps_its_open_panel_and_the_next_split(
        phone, live_server, todays_session):
    """The redraw of a saved row keeps what the athlete has open or is typing: the row's open
    panel (the server sends it closed) and the split being typed in the next row meanwhile.
    docs/frontend.md says why static/js/log.js does this by hand."""
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    row(page, 3).get_by_text("Note, cut short, skip").click()  # opened to add a note later
    held = []
    rows_url = re.compile(r".*/reps/\d+/$")
    page.route(rows_url, lambda route: route.continue_() if held else held.append(route))
    row(page, 3).get_by_label("Time").fill("64.1")
    page.keyboard.press("Enter")  # saves rep 3, on to rep 4
    expect(row(page, 3).locator("[data-state]")).to_have_text("Saving…")
    expect(row(page, 4).get_by_label("Time")).to_be_focused()
    page.keyboard.type("63.7")  # rep 4, typed while rep 3 is on its way
    held[0].continue_()
    page.unroute(rows_url)
    expect(row(page, 3).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(row(page, 3).locator("details.rep-more")).to_have_attribute("open", "")
    expect(row(page, 3).get_by_label("Note")).to_be_visible()
    expect(row(page, 4).get_by_label("Time")).to_have_value("63.7")
    expect(row(page, 4).get_by_label("Time")).to_be_focused()
    page.keyboard.press("Enter")
    expect(row(page, 4).locator("[data-state]")).to_have_text(re.compile("Saved"))
    reps = RepResult.objects.filter(log__session=todays_session, position__in=(3, 4))
    assert sorted(r.actual_s for r in reps) == [63.7, 64.1]


def console_errors(page) -> list[str]:
    """Every error the page writes to the console (CSP refusals included) from now on."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_enter_saves_the_split_and_moves_on_to_the_next_rep_then_finish(phone, live_server,
                                                                        todays_session):
    page = phone
    errors = console_errors(page)
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    times = ["64.5", "64.9", "66.0", "63.8", "64.2", "62.0"]
    row(page, 1).get_by_label("Time").click()
    for number, time in enumerate(times, start=1):
        box = row(page, number).get_by_label("Time")
        expect(box).to_be_focused()
        page.keyboard.type(time)
        page.keyboard.press("Enter")  # the phone keyboard's "next"
        expect(row(page, number).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(page.get_by_role("button", name="Finish and see the summary")).to_be_focused()
    expect(page.locator("#log-progress")).to_contain_text("6 of 6 reps done")
    reps = RepResult.objects.filter(log__session=todays_session).order_by("position")
    assert [(r.actual_s, r.skipped) for r in reps] == [(float(t), False) for t in times]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")
    expect(page.locator(".verdicts .v-on b")).to_have_text("4")
    assert errors == []


def test_without_javascript_enter_in_a_row_saves_it_rather_than_skipping(browser, live_server,
                                                                          todays_session):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    box = row(page, 1).get_by_label("Time")
    box.fill("64.4")
    box.press("Enter")
    expect(row(page, 1).get_by_label("Time")).to_have_value("64.4")
    rep = RepResult.objects.get(log__session=todays_session, position=1)
    assert (rep.actual_s, rep.skipped) == (64.4, False)
    context.close()


def test_a_split_typed_after_the_login_expired_is_kept_and_saved_after_logging_in(
        phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    enter(page, 1, "64.5")
    expect(row(page, 1).locator("[data-state]")).to_have_text(re.compile("Saved"))
    # the login expires: the session cookie goes (the CSRF cookie stays, as it does)
    context = page.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)

    enter(page, 2, "64.9")
    state = row(page, 2).locator("[data-state]")
    expect(state).to_have_text("Not saved: log in again")
    expect(row(page, 2).get_by_label("Time")).to_have_value("64.9")
    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")  # no login page
    assert not RepResult.objects.filter(position=2, actual_s__isnull=False).exists()

    state.get_by_role("link", name="log in again").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{todays_session.pk}/log/#rep-row-2$"))
    expect(row(page, 2).locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(row(page, 2).get_by_label("Time")).to_have_value("64.9")
    rep = RepResult.objects.get(log__session=todays_session, position=2)
    assert rep.actual_s == 64.9
    pending = page.evaluate("Object.keys(localStorage)")
    assert not [key for key in pending if key.startswith("coach-pending")]  # nothing left


def test_finish_with_reps_missing_shows_where_the_athlete_is_and_links_to_them(
        phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    for number in (1, 2, 4, 5):
        enter(page, number, "64.4")
        expect(row(page, number).locator("[data-state]")).to_have_text(re.compile("Saved"))
    page.get_by_role("button", name="Finish and see the summary").click()
    problem = page.locator("#finish-problem")
    expect(problem).to_be_focused()
    expect(problem).to_be_in_viewport()
    expect(problem).to_contain_text("2 reps still have nothing")
    problem.get_by_role("link", name="Rep 6 · 400 m").click()
    expect(row(page, 6)).to_be_in_viewport()
    expect(page).to_have_url(re.compile("#rep-row-6$"))
    page.locator("#finish-problem").get_by_role(
        "button", name="Finish, marking them skipped").click()
    expect(page.locator(".verdicts")).to_contain_text("skipped")
    log = SessionLog.objects.get(session=todays_session)
    assert log.completed and [r.skipped for r in log.reps.order_by("position")] == [
        False, False, True, False, False, True]


def test_the_log_summary_fits_a_phone_and_passes_axe(phone, live_server, todays_session):
    from axe_playwright_python.sync_playwright import Axe

    page = phone
    errors = console_errors(page)
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    for number in range(1, 7):
        enter(page, number, "64.4")
        expect(row(page, number).locator("[data-state]")).to_have_text(re.compile("Saved"))
    page.get_by_role("button", name="Finish and see the summary").click()
    expect(page.locator(".reps-table")).to_be_visible()
    for column in ("Ran", "HR", "La"):
        cells = page.locator(f'.reps-table td[data-label="{column}"]:visible')
        for index in range(cells.count()):
            box = cells.nth(index).bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"], column
    result = page.locator(".reps-table .c-result").first.bounding_box()
    assert result["x"] + result["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    note = page.locator(".reps-table td.rep-note").first
    assert note.evaluate("td => getComputedStyle(td).backgroundColor") in (
        "rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    serious = [v["id"] for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert errors == []
