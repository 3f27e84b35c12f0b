"""The coach's stopwatch on a phone (390x844), in Debian's chromium, with Playwright's clock
control: the phone's clock is paused and moved on by the test, so every split is known to the
tenth (issue 13, "Done when")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import RepResult, SaveReceipt
from tests import factories as f
from tests.conftest import SCREENSHOTS, close_and_settle, hold_script, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DEMO = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def squad_of(size: int, notation: str = DEMO, title: str = "400s and 200s"):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Reyes")
    athletes = [f.make_athlete(name=name, coach=coach, race=(5000, 800 + 10 * n))
                for n, name in enumerate(["Ada Miler", "Ben Runner", "Cat Swift", "Dan Long",
                                          "Eve Fast", "Fay Stride", "Gus Pace", "Hal Kick",
                                          "Ivy Lane", "Jon Bend", "Kim Dash", "Lou Track"][:size])]
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=tuple(athletes), start=today, time_zone="UTC")
    session = f.planned(block, notation, title=title, date=today)
    return session, athletes


def open_stopwatch(page, live_server, session):
    page.clock.install(time=dt.datetime(2026, 12, 4, 16, 0, tzinfo=dt.UTC))
    login(page, live_server, "coach")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/sessions/{session.pk}/stopwatch/")
    page.wait_for_load_state("load")
    page.clock.pause_at(dt.datetime(2026, 12, 4, 16, 5, tzinfo=dt.UTC))


def card(page, name):
    return page.locator(".sw-card").filter(has=page.locator(".sw-name", has_text=name))


def tap(page, name):
    card(page, name).locator(".sw-tap").click()


def seconds(page, value: float):
    """Move the phone's clock on, once no result is on its way: a jump of fake time would
    otherwise fire the request's timeout while the server still works on it (the live server's
    SQLite connection is shared between its threads, so two requests at once break it)."""
    expect(page.locator("#stopwatch:not([data-sending])")).to_have_count(1)
    page.clock.run_for(round(value * 1000))


def wait_until_sent(page, count: int):
    queue = page.locator("#sw-queue")
    text = "The result is in the log" if count == 1 else f"All {count} results in the logs"
    for _ in range(30):  # in real time first; then let the phone's retries come round
        try:
            expect(queue).to_have_text(text, timeout=1500)
            return
        except AssertionError:
            seconds(page, 2)
    expect(queue).to_have_text(text)


def times_in_log(session, athlete):
    rows = RepResult.objects.filter(log__session=session, log__athlete=athlete).order_by(
        "position")
    return [("skipped" if r.skipped else r.actual_s) for r in rows]


def test_a_coach_times_two_athletes_through_22_reps_offline_for_five(phone, live_server):
    session, (ada, ben) = squad_of(2)
    page = phone
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_stopwatch(page, live_server, session)
    expect(page.get_by_label("Ada Miler")).to_be_checked()
    page.get_by_role("button", name="Start timing").click()
    rep_line = page.locator("#sw-rep")
    expect(rep_line).to_have_text(re.compile(
        r"^Rep 1 of 12 · 400 m · targets Ada \d\d\.\d–\d\d\.\d, Ben \d\d\.\d–\d\d\.\d$"))

    ada_times = [68.4 - 0.1 * n for n in range(12)] + [30.2 - 0.1 * n for n in range(10)]
    ben_times = [69.5 - 0.1 * n for n in range(12)] + [31.0 - 0.1 * n for n in range(10)]
    ada_times = [round(t, 1) for t in ada_times]
    ben_times = [round(t, 1) for t in ben_times]
    context = page.context

    for index in range(22):
        number = index + 1
        if number == 10:
            context.set_offline(True)  # no signal for reps 10 to 14
        if number == 1:  # a staggered start: Ada first, Ben 4.0 s later, each on their own
            tap(page, "Ada")
            seconds(page, 4.0)
            tap(page, "Ben")
            seconds(page, ada_times[0] - 4.0)
            tap(page, "Ada")
            expect(card(page, "Ada").locator(".sw-result")).to_have_text(  # judged at once
                re.compile(rf"^{ada_times[0]} · ([−+]\d+\.\d|0\.0) s · (on|fast|slow)$"))
            seconds(page, ben_times[0] + 4.0 - ada_times[0])
            tap(page, "Ben")
        else:
            page.get_by_role("button", name="Go").click()
            if number == 7:  # Ben stops: his rep 7 is skipped
                seconds(page, 20)
                card(page, "Ben").locator(".sw-more").click()
                card(page, "Ben").get_by_role("button", name="Skip rep 7").click()
                seconds(page, ada_times[index] - 20)
                tap(page, "Ada")
            else:
                first, second = sorted([("Ada", ada_times[index]), ("Ben", ben_times[index])],
                                       key=lambda pair: pair[1])
                seconds(page, first[1])
                if number == 5:  # a tap on the wrong athlete, taken back
                    tap(page, second[0])
                    page.get_by_role("button", name="Undo").click()
                tap(page, first[0])
                seconds(page, second[1] - first[1])
                tap(page, second[0])
        if number == 14:
            expect(page.locator("#sw-queue")).to_have_text(
                re.compile(r"^\d+ results waiting for a signal"))
            context.set_offline(False)
        seconds(page, 60)  # the recovery
        if number == 12:
            expect(rep_line).to_have_text(re.compile(r"^Rep 1 of 10 · 200 m · targets Ada"))

    expect(rep_line).to_have_text("All reps timed.")
    wait_until_sent(page, 44)
    page.screenshot(path=str(SCREENSHOTS / "stopwatch-done.png"))
    expected_ben = list(ben_times)
    expected_ben[6] = "skipped"
    assert times_in_log(session, ada) == ada_times
    assert times_in_log(session, ben) == expected_ben
    assert RepResult.objects.filter(log__session=session, timed_by__username="coach").count() == 44
    assert SaveReceipt.objects.filter(log__session=session).count() >= 44
    assert not errors


def test_the_recovery_counts_down_buzzes_and_beeps_at_ten_seconds_and_at_zero(phone,
                                                                              live_server):
    session, (ada,) = squad_of(1, "3x400 @ 64 (90s)", title="Three 400s")
    page = phone
    page.add_init_script("window.__buzz = []; navigator.vibrate = (p) => { "
                         "window.__buzz.push(p); return true; };")
    open_stopwatch(page, live_server, session)
    page.get_by_role("button", name="Start timing").click()
    page.get_by_role("button", name="Go").click()
    seconds(page, 63.7)
    tap(page, "Ada")
    expect(card(page, "Ada").locator(".sw-result")).to_have_text("63.7 · −0.3 s · on")
    expect(page.locator("#sw-clock")).to_have_text("1:30")
    expect(page.locator("#sw-clock-label")).to_have_text("Recovery 1:30 rest · left")
    seconds(page, 79.5)
    expect(page.locator("#sw-clock")).to_have_text("0:11")
    assert page.evaluate("window.__buzz.length") == 0
    seconds(page, 1)
    expect(page.locator("#sw-clock")).to_have_class(re.compile("is-soon"))
    assert page.evaluate("window.__buzz.length") == 1
    seconds(page, 10)
    expect(page.locator("#sw-clock")).to_have_class(re.compile("is-over"))
    expect(page.locator("#sw-clock")).to_have_text("0:00")
    expect(page.locator("#sw-clock-label")).to_have_text("Recovery 1:30 rest · over")
    assert page.evaluate("window.__buzz.length") == 2
    assert page.locator("#stopwatch").get_attribute("data-beeps") == "2"
    seconds(page, 12)
    expect(page.locator("#sw-clock")).to_have_text("+0:12")
    assert page.evaluate("window.__buzz.length") == 2  # once each
    page.screenshot(path=str(SCREENSHOTS / "stopwatch-recovery.png"))


def test_a_reload_resumes_a_running_rep_and_the_results_waiting(phone, live_server):
    session, (ada, ben) = squad_of(2, "3x400 @ 64 (200 jog)", title="Three 400s")
    page = phone
    open_stopwatch(page, live_server, session)
    page.get_by_role("button", name="Start timing").click()
    page.context.set_offline(True)
    page.get_by_role("button", name="Go").click()
    seconds(page, 64.2)
    tap(page, "Ada")
    seconds(page, 10)
    page.route("**/stopwatch/results/", lambda route: route.abort())  # still no answer
    page.context.set_offline(False)
    page.reload()
    page.wait_for_load_state("load")
    expect(card(page, "Ben")).to_have_class(re.compile("is-running"))
    page.unroute("**/stopwatch/results/")
    seconds(page, 1.0)
    tap(page, "Ben")  # 64.2 + 10 + 1 since the Go, across the reload
    wait_until_sent(page, 2)
    assert times_in_log(session, ada)[:2] == [64.2, None]
    assert times_in_log(session, ben)[0] == 75.2


def test_a_split_the_athlete_typed_asks_the_coach_before_it_is_replaced(phone, live_server):
    from sessions import logbook

    session, (ada,) = squad_of(1, "3x400 @ 64 (200 jog)", title="Three 400s")
    page = phone
    open_stopwatch(page, live_server, session)
    log = logbook.start_log(session, ada)
    logbook.save_rep(logbook.row_at(log, 1), {"actual_s": 63.0})
    page.get_by_role("button", name="Start timing").click()
    page.get_by_role("button", name="Go").click()
    seconds(page, 64.4)
    tap(page, "Ada")
    conflict = page.locator(".sw-conflict")
    expect(conflict).to_contain_text("Rep 1: Ada typed 63.0; you timed 64.4.")
    page.screenshot(path=str(SCREENSHOTS / "stopwatch-conflict.png"))
    conflict.get_by_role("button", name="Use mine").click()
    wait_until_sent(page, 1)
    assert times_in_log(session, ada)[0] == 64.4


def test_twelve_athletes_fit_a_phone_with_big_buttons_and_no_sideways_scroll(phone,
                                                                             live_server):
    session, athletes = squad_of(12)
    page = phone
    open_stopwatch(page, live_server, session)
    page.get_by_role("button", name="Start timing").click()
    page.get_by_role("button", name="Go").click()
    seconds(page, 31.4)
    tap(page, "Cat")
    page.screenshot(path=str(SCREENSHOTS / "stopwatch-twelve.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = page.locator(".sw-tap").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(heights) == 12 and min(heights) >= 64
    go = page.get_by_role("button", name="Go").bounding_box()
    assert go["y"] + go["height"] <= PHONE["height"] and go["height"] >= 64


def test_the_stopwatch_and_the_squads_table_pass_axe(phone, live_server):
    from axe_playwright_python.sync_playwright import Axe

    session, (ada, ben) = squad_of(2, "3x400 @ 64 (200 jog)", title="Three 400s")
    page = phone
    login(page, live_server, "coach")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/sessions/{session.pk}/stopwatch/")
    page.wait_for_load_state("load")
    options = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}

    def serious() -> list[str]:
        found = Axe().run(page, options=options).response["violations"]
        return [v["id"] for v in found if v["impact"] in ("serious", "critical")]

    assert serious() == []
    page.get_by_role("button", name="Start timing").click()
    page.get_by_role("button", name="Go").click()
    page.wait_for_timeout(2100)  # a tap within 2 s of the start is taken for a double tap
    tap(page, "Ada")
    card(page, "Ben").locator(".sw-more").click()
    assert serious() == []
    card(page, "Ben").get_by_role("button", name="Skip rep 1").click()
    wait = page.locator("#sw-queue")
    expect(wait).to_have_text("All 2 results in the logs")
    page.get_by_role("link", name="Squad’s table").click()
    page.wait_for_load_state("load")
    expect(page.locator(".sw-table")).to_contain_text("skipped")
    assert serious() == []


def test_a_split_timed_after_the_login_expired_is_kept_and_sent_after_logging_in(
        phone, live_server):
    session, (ada,) = squad_of(1, "3x400 @ 64 (200 jog)", title="Three 400s")
    page = phone
    open_stopwatch(page, live_server, session)
    page.get_by_role("button", name="Start timing").click()
    page.get_by_role("button", name="Go").click()
    seconds(page, 64.2)
    page.context.clear_cookies(name="sessionid")  # the login expires at the track
    tap(page, "Ada")
    queue = page.locator("#sw-queue")
    expect(queue).to_have_text("1 result kept on this phone: log in again to send them")
    assert times_in_log(session, ada) == []
    queue.get_by_role("link", name="log in again to send them").click()
    page.wait_for_load_state("load")
    page.get_by_label("Username").fill("coach")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    expect(page.locator("#sw-rep")).to_contain_text("Rep 2 of 3")
    wait_until_sent(page, 1)
    assert times_in_log(session, ada) == [64.2, None, None]


def test_an_extra_rep_and_an_undo_after_the_result_was_sent(phone, live_server):
    session, (ada,) = squad_of(1, "2x400 @ 64 (200 jog)", title="Two 400s")
    page = phone
    open_stopwatch(page, live_server, session)
    page.get_by_role("button", name="Start timing").click()
    for time in (64.6, 63.9):
        page.get_by_role("button", name="Go").click()
        seconds(page, time)
        tap(page, "Ada")
        seconds(page, 60)
    wait_until_sent(page, 2)
    page.get_by_role("button", name="Undo").click()  # rep 2, already in the log: taken back
    expect(card(page, "Ada")).to_have_class(re.compile("is-running"))
    seconds(page, 0.5)
    tap(page, "Ada")  # 63.9 + 60 + 0.5: the rep ran on from its start
    page.locator(".sw-extra summary").click()
    page.get_by_label("Distance").fill("200")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#sw-rep")).to_have_text(re.compile("^Extra rep 1 · 200 m"))
    seconds(page, 60)
    page.get_by_role("button", name="Go").click()
    seconds(page, 30.4)
    tap(page, "Ada")
    wait_until_sent(page, 3)
    rows = list(RepResult.objects.filter(log__session=session).order_by("position"))
    assert [(r.position, r.actual_s, r.distance_m, r.extra) for r in rows] == [
        (1, 64.6, 400, False), (2, 124.4, 400, False), (3, 30.4, 200, True)]


def test_the_stopwatch_reloads_with_no_signal_at_all_and_resumes(phone, live_server):
    """The page is kept by the service worker (static/js/sw.js) like the log form: reloaded
    with the signal cut (a relay between browser and server that the test cuts), it comes from
    the worker's copy and the running rep goes on; the split is sent when the signal returns."""
    from tests.test_browser_logging import Signal

    session, (ada, ben) = squad_of(2, "3x400 @ 64 (200 jog)", title="Three 400s")
    signal = Signal(live_server.url)
    try:
        page = phone
        open_stopwatch(page, signal, session)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("""async () => Boolean(await (await caches.open("coach-log-v1"))
            .match(location.pathname, {ignoreVary: true}))""")
        page.get_by_role("button", name="Start timing").click()
        page.get_by_role("button", name="Go").click()
        seconds(page, 64.2)
        signal.cut(page.context)
        tap(page, "Ada")
        page.reload()  # no signal: the worker's copy
        page.wait_for_load_state("load")
        expect(card(page, "Ben")).to_have_class(re.compile("is-running"))
        seconds(page, 1.0)
        tap(page, "Ben")
        signal.restore(page.context)
        wait_until_sent(page, 2)
        assert times_in_log(session, ada)[0] == 64.2
        assert times_in_log(session, ben)[0] == 65.2
    finally:
        signal.close()


def test_athletes_unticked_before_the_page_s_script_arrived_stay_unticked(browser, live_server):
    """A slow signal: the setup shows while stopwatch.js is on its way, the coach unticks Ben;
    when the script arrives it keeps that choice (it used to draw the ticks over it from its
    state), and only Ada is timed."""
    session, (ada, ben) = squad_of(2, "3x400 @ 64 (200 jog)", title="Three 400s")
    context = browser.new_context(viewport=PHONE, service_workers="block")  # routes seen
    page = context.new_page()
    login(page, live_server, "coach")
    release = hold_script(page, "stopwatch.js")
    page.goto(f"{live_server.url}/sessions/{session.pk}/stopwatch/", wait_until="commit")
    page.get_by_label("Ben Runner").uncheck()
    release()
    page.wait_for_load_state("load")
    expect(page.get_by_label("Ben Runner")).not_to_be_checked()
    expect(page.get_by_label("Ada Miler")).to_be_checked()
    page.get_by_role("button", name="Start timing").click()
    expect(page.locator(".sw-card")).to_have_count(1)
    expect(card(page, "Ada")).to_be_visible()
    close_and_settle(context)
