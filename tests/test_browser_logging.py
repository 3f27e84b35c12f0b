"""An athlete logs a session rep by rep on a phone (390x844), in Debian's chromium.

The log page's client (static/js/log.js: the outbox, static/js/sw.js: the service worker,
docs/frontend.md) against the real server: the 22-rep demo session logged with the keyboard
only, a dead signal and a reload with no signal, an expired login, and the older cases (a save
that fails, typing while a row saves, skips, added reps, Finish with reps missing, the summary).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import RepResult, SaveReceipt, SessionLog
from sessions.planning import plan_session
from tests import factories as f
from tests.conftest import close_and_settle, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DEMO = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"
# The demo's splits (coach/management/commands/demo.py): twelve 400s, then ten 200s.
SPLITS = ["70.2", "69.8", "69.9", "69.5", "69.6", "69.9", "69.3", "69.7", "69.4", "70.0", "69.2",
          "68.6", "29.6", "29.3", "29.4", "29.2", "29.5", "29.3", "30.1", "29.4", "29.1", "28.8"]
ROWS_URL = re.compile(r".*/log/reps/\d+/$")


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def routed_phone(browser):
    """A phone page whose requests the test intercepts (page.route): without the service
    worker, which would otherwise take the page's requests out of Playwright's sight once it
    controls the page (at a moment that varies from run to run)."""
    context = browser.new_context(viewport=PHONE, service_workers="block")
    yield context.new_page()
    close_and_settle(context)


class Signal:
    """The phone's signal: a TCP relay between the browser and the live server that a test can
    cut. Cut, it closes every open connection and each new one as it comes, so nothing reaches
    the server: not the page, not its service worker (the browser is also told it is offline,
    as a phone would be, so `online` fires when the signal returns).

    Why not Chromium's offline emulation alone (context.set_offline): it does reach the service
    worker, but a page reloaded while offline could still get a request through (its first
    save went out in about one run in four)."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname, parts.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://localhost:{self.listener.getsockname()[1]}"
        self.up = True
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self, context) -> None:
        context.set_offline(True)
        self.up = False
        with self.lock:
            for end in self.open:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.open.clear()

    def restore(self, context) -> None:
        self.up = True
        context.set_offline(False)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def signal(live_server):
    relay = Signal(live_server.url)
    yield relay
    relay.close()


def _today(title: str, notation: str):
    coach = f.make_coach(username="coach")
    athlete = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768),
                             user=f.make_user(username="ada", first_name="Ada", last_name="Miler"))
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=(athlete,), start=today, time_zone="UTC")
    session = f.make_session(block=block, date=today, title=title, notation=notation)
    plan_session(session)
    return session


@pytest.fixture
def todays_session(db):
    return _today("Six 400s", "6x400 @ 64 (200 jog)")


@pytest.fixture
def demo_session(db):
    """The demo's 22-rep session (12x400 at T+ and 10x200 at mile pace), today."""
    return _today("Threshold-plus 400s & mile-pace 200s", DEMO)


def row(page, number):
    return page.locator(f"#rep-row-{number}")


def box(page, number):
    return row(page, number).locator(".primary-input")


def state(page, number):
    return row(page, number).locator("[data-state]")


def open_log(page, live_server, session):
    page.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    page.wait_for_load_state("load")


def enter(page, number, time):
    """Type a split and leave the box (Tab)."""
    box(page, number).fill(time)
    box(page, number).press("Tab")


def saved(page, number):
    expect(row(page, number)).to_have_class(re.compile(r"\bis-saved\b"))


def outbox(page) -> list[dict]:
    """The saves waiting in the page's outbox (localStorage)."""
    return page.evaluate("""() => Object.keys(localStorage)
        .filter((k) => k.startsWith("coach-log:"))
        .flatMap((k) => JSON.parse(localStorage.getItem(k)).queue || [])""")


def wait_for_empty_outbox(page):
    page.wait_for_function("""() => !Object.keys(localStorage).some((k) =>
        k.startsWith("coach-log:") && (JSON.parse(localStorage.getItem(k)).queue || []).length)""")


def wait_for_offline_copy(page):
    """Until the service worker controls the page and has kept it (with its files)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("""async () => {
        const cache = await caches.open("coach-log-v1");
        return Boolean(await cache.match(location.pathname, {ignoreVary: true}))
            && Boolean(await cache.match(document.querySelector("script[src*='log.js']").src));
    }""")


def stored(session) -> list[float | None]:
    return [r.actual_s for r in RepResult.objects.filter(log__session=session)
            .order_by("position")]


def console_errors(page) -> list[str]:
    """Every error the page writes to the console (CSP refusals included) from now on; failed
    requests are expected while the signal is cut, so they are left out."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error"
            and "Failed to load resource" not in message.text and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# --- the 22-rep session, keyboard only ------------------------------------------------------

def test_the_22_rep_session_is_logged_with_the_keyboard_alone_in_under_2600_px(
        phone, live_server, demo_session):
    """One tap in the first box, then only the keyboard: each split and Enter (the phone's
    "next"), Enter on Finish. The whole form is at most 2,600 px tall (about three screens)."""
    page = phone
    errors = console_errors(page)
    login(page, live_server, "ada")
    open_log(page, live_server, demo_session)
    assert page.locator("form[data-rep-row]").count() == 22
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2600, height
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert box(page, 1).get_attribute("inputmode") == "decimal"

    box(page, 1).click()  # the one tap
    keys = 0
    for number, time in enumerate(SPLITS, start=1):
        expect(box(page, number)).to_be_focused()
        page.keyboard.type(time)
        page.keyboard.press("Enter")
        keys += len(time) + 1
    finish = page.get_by_role("button", name="Finish and see the summary")
    expect(finish).to_be_focused()
    expect(page.locator("#log-progress")).to_contain_text("22 of 22 reps done")
    wait_for_empty_outbox(page)
    assert stored(demo_session) == [float(t) for t in SPLITS]
    assert SaveReceipt.objects.filter(log__session=demo_session).count() == 22
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2600, height  # saved rows (deviation and mark shown) stay as compact
    page.keyboard.press("Enter")
    keys += 1
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Threshold-plus 400s & mile-pace 200s")
    expect(page.locator(".verdicts")).to_be_visible(timeout=15000)  # the summary: a heavier page
    assert SessionLog.objects.get(session=demo_session).completed
    assert keys == sum(len(t) for t in SPLITS) + 23  # 22 Enters between reps, 1 on Finish
    assert errors == []


# --- no signal, and a reload with no signal -------------------------------------------------

def test_22_splits_with_the_signal_cut_and_a_reload_offline_are_all_saved_once_in_order(
        phone, signal, demo_session):
    """Reps 1-8 with signal; 9-16 without (and the page reloaded with no signal after rep 12,
    from the service worker's copy); then the signal returns and 17-22 follow. Every split is
    stored once (one receipt per save, none applied twice), in the order it was typed.

    The browser talks to the server through ``signal``, a relay the test cuts (see Signal): the
    reload below is served from the service worker's cache (the copy's data-rendered-at is
    older than the first save)."""
    page = phone
    errors = console_errors(page)
    login(page, signal, "ada")
    open_log(page, signal, demo_session)
    wait_for_offline_copy(page)
    rendered_at = page.locator("[data-log-key]").get_attribute("data-rendered-at")

    box(page, 1).click()
    for number in range(1, 9):
        page.keyboard.type(SPLITS[number - 1])
        page.keyboard.press("Enter")
    wait_for_empty_outbox(page)
    saved(page, 8)

    signal.cut(page.context)  # reps 9-16: no signal
    for number in range(9, 13):
        expect(box(page, number)).to_be_focused()
        page.keyboard.type(SPLITS[number - 1])
        page.keyboard.press("Enter")
    banner = page.locator("#log-pending")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(
        "4 reps waiting to be saved — they save by themselves when the signal returns")
    assert len(outbox(page)) == 4
    assert stored(demo_session) == [float(t) for t in SPLITS[:8]] + [None] * 14

    page.reload()  # still no signal: the service worker's copy
    page.wait_for_load_state("load")
    # The copy was drawn before rep 1 was saved (the worker kept the page when it first
    # started): it comes from the cache, and is mended from what the outbox kept.
    first_save = SaveReceipt.objects.filter(log__session=demo_session).order_by("pk").first()
    copy_drawn = int(page.locator("[data-log-key]").get_attribute("data-rendered-at"))
    assert int(rendered_at) <= copy_drawn < first_save.created.timestamp() * 1000
    for number in range(1, 13):  # 1-8 acknowledged after that copy was drawn; 9-12 waiting
        expect(box(page, number)).to_have_value(SPLITS[number - 1])
    saved(page, 8)
    expect(page.locator("#log-progress")).to_contain_text("8 of 22 reps done")
    expect(banner).to_have_text(re.compile("^4 reps waiting to be saved"))

    box(page, 13).click()
    for number in range(13, 17):
        page.keyboard.type(SPLITS[number - 1])
        page.keyboard.press("Enter")
    expect(banner).to_have_text(re.compile("^8 reps waiting to be saved"))
    assert stored(demo_session) == [float(t) for t in SPLITS[:8]] + [None] * 14

    signal.restore(page.context)  # the signal returns: they save by themselves
    wait_for_empty_outbox(page)
    expect(banner).to_be_hidden()
    expect(page.locator("#log-progress")).to_contain_text("16 of 22 reps done")
    expect(box(page, 17)).to_be_focused()
    for number in range(17, 23):
        page.keyboard.type(SPLITS[number - 1])
        page.keyboard.press("Enter")
    wait_for_empty_outbox(page)
    expect(page.locator("#log-progress")).to_contain_text("22 of 22 reps done")

    assert stored(demo_session) == [float(t) for t in SPLITS]
    receipts = list(SaveReceipt.objects.filter(log__session=demo_session).order_by("pk"))
    assert [r.position for r in receipts] == list(range(1, 23))  # once each, in order
    assert len({r.cid for r in receipts}) == 22
    assert errors == []


def test_a_save_whose_answer_is_lost_is_sent_again_and_applied_once(routed_phone, live_server,
                                                                      todays_session):
    """The server applies rep 2's save but its answer never arrives: the outbox sends it
    again with the same cid, and the server does not apply it a second time."""
    page = routed_phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    lost = []

    def lose_the_answer(route):
        if lost:
            route.continue_()
            return
        route.fetch()  # it reaches the server...
        lost.append(route.request.post_data)
        route.abort()  # ...and the answer is lost on the way back

    page.route(re.compile(r".*/log/reps/2/$"), lose_the_answer)
    box(page, 1).click()
    for time in ("64.5", "64.9", "66.0"):
        page.keyboard.type(time)
        page.keyboard.press("Enter")
    expect(page.locator("#log-pending")).to_contain_text("2 reps waiting to be saved")
    assert lost and stored(todays_session)[:2] == [64.5, 64.9]
    page.evaluate("window.dispatchEvent(new Event('online'))")  # as when the signal returns
    wait_for_empty_outbox(page)
    saved(page, 3)
    assert stored(todays_session)[:3] == [64.5, 64.9, 66.0]
    receipts = list(SaveReceipt.objects.filter(log__session=todays_session).order_by("pk"))
    assert [r.position for r in receipts] == [1, 2, 3]
    cids = [entry for entry in lost[0].split("&") if entry.startswith("cid=")]
    assert cids == [f"cid={receipts[1].cid}"]


def test_a_split_typed_but_not_sent_survives_a_reload_and_is_saved(phone, live_server,
                                                                       todays_session):
    """From the first keystroke: the box was never left, the page goes (a reload, a closed
    tab), and the split comes back in its box and is saved."""
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    box(page, 1).click()
    page.keyboard.type("64.7")
    expect(state(page, 1)).to_have_text("Not saved yet")
    page.reload()
    page.wait_for_load_state("load")
    expect(box(page, 1)).to_have_value("64.7")
    wait_for_empty_outbox(page)
    saved(page, 1)
    expect(box(page, 1)).to_have_value("64.7")
    assert stored(todays_session)[0] == 64.7


def test_splits_typed_before_the_page_s_script_arrived_are_saved(routed_phone, live_server,
                                                                   todays_session):
    """A slow signal: the rows show while log.js is still on its way, the athlete types two
    splits and leaves the boxes; when the script arrives it saves them (nothing was listening
    when they were typed)."""
    page = routed_phone
    login(page, live_server, "ada")
    held = []
    page.route(re.compile(r".*/js/log[^/]*\.js$"), lambda route: held.append(route))  # held
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/", wait_until="commit")
    expect(box(page, 2)).to_be_visible()
    enter(page, 1, "64.7")
    enter(page, 2, "65.1")
    assert not any(stored(todays_session))  # nothing has reached the server yet
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page never asked for log.js"
    held[0].continue_()
    saved(page, 1)
    saved(page, 2)
    expect(state(page, 2)).to_have_text(re.compile("Saved"))
    assert stored(todays_session)[:3] == [64.7, 65.1, None]


# --- the login expires ----------------------------------------------------------------------

def test_splits_typed_after_the_login_expired_are_kept_and_saved_after_logging_in(
        phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    enter(page, 1, "64.5")
    saved(page, 1)
    # the login expires: the session cookie goes (the CSRF cookie stays, as it does)
    context = page.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)

    box(page, 2).click()
    page.keyboard.type("64.9")
    page.keyboard.press("Enter")
    page.keyboard.type("66.0")
    page.keyboard.press("Enter")
    banner = page.locator("#log-pending")
    expect(banner).to_contain_text("2 reps waiting to be saved — your login has expired")
    expect(box(page, 2)).to_have_value("64.9")
    expect(box(page, 3)).to_have_value("66.0")
    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")  # no login page
    assert stored(todays_session) == [64.5] + [None] * 5

    banner.get_by_role("link", name="log in again").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{todays_session.pk}/log/#rep-row-2$"))
    page.wait_for_load_state("load")
    wait_for_empty_outbox(page)
    saved(page, 3)
    expect(box(page, 2)).to_have_value("64.9")  # not typed again
    expect(banner).to_be_hidden()
    assert stored(todays_session) == [64.5, 64.9, 66.0, None, None, None]


# --- older cases, on the compact rows --------------------------------------------------------

def test_an_athlete_logs_a_session_rep_by_rep_and_sees_the_summary(phone, live_server,
                                                                   todays_session):
    page = phone
    login(page, live_server, "ada")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.get_by_role("link", name="Log this session").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")
    assert page.locator("form[data-rep-row]").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    enter(page, 1, "64.5")
    saved(page, 1)
    expect(row(page, 1).locator(".rep-result")).to_contain_text("+0.5 s")
    expect(row(page, 1).locator(".rep-result")).to_contain_text("On target")

    enter(page, 2, "6o.2")  # a slip of the thumb
    expect(row(page, 2)).to_contain_text('"6o.2" is not a time')
    expect(box(page, 2)).to_have_value("6o.2")
    enter(page, 2, "64.9")
    saved(page, 2)
    expect(row(page, 2)).not_to_contain_text("is not a time")

    enter(page, 3, "66.0")
    expect(row(page, 3).locator(".rep-result")).to_contain_text("Slow")
    expect(page.locator("#log-progress")).to_contain_text("3 of 6 reps done")

    page.reload()  # the phone drops the page midway: the saved rows are still there
    page.wait_for_load_state("load")
    expect(box(page, 1)).to_have_value("64.5")
    expect(box(page, 2)).to_have_value("64.9")
    expect(box(page, 3)).to_have_value("66")
    expect(page.locator("#log-progress")).to_contain_text("3 of 6 reps done")

    for number, time in ((4, "63.8"), (5, "1:04.2"), (6, "62.0")):
        enter(page, number, time)
        saved(page, number)
    expect(row(page, 6).locator(".rep-result")).to_contain_text("Fast")

    page.locator("#log-details summary").click()  # "How it went": its fields load on demand
    expect(page.get_by_label("Effort (RPE 1–10)")).to_be_visible()
    expect(page.locator("#log-details [data-state]")).to_have_text("")  # opening saves nothing
    page.get_by_label("Effort (RPE 1–10)").select_option("7")
    expect(page.locator("#log-details [data-state]")).to_have_text(re.compile("Saved"))
    expect(page.locator("#log-details summary")).to_contain_text("RPE 7")
    page.get_by_role("button", name="Finish and see the summary").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Six 400s")
    expect(page.locator(".verdicts .v-on b")).to_have_text("4")
    expect(page.locator(".verdicts .v-fast b")).to_have_text("1")
    expect(page.locator(".verdicts .v-slow b")).to_have_text("1")
    log = SessionLog.objects.get(session=todays_session)
    assert log.completed and log.rpe == 7
    assert stored(todays_session) == [64.5, 64.9, 66.0, 63.8, 64.2, 62.0]


def test_today_opens_the_log_with_the_cursor_in_the_next_rep_in_one_tap(phone, live_server,
                                                                        todays_session):
    page = phone
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="Log this session").click()  # the one tap
    page.wait_for_load_state("load")
    expect(box(page, 1)).to_be_focused()
    page.keyboard.type("64.1")
    page.keyboard.press("Enter")
    expect(box(page, 2)).to_be_focused()
    saved(page, 1)
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="Continue logging").click()
    page.wait_for_load_state("load")
    expect(box(page, 2)).to_be_focused()  # the first rep still empty


def test_a_slip_is_questioned_and_its_suggestion_saved_through_the_outbox(
        phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    enter(page, 1, "6.44")  # a 400 m in 6.44 s: faster than anyone runs
    expect(row(page, 1)).to_contain_text("Did you mean 1:04.4?")
    assert stored(todays_session) in ([], [None] * 6)
    row(page, 1).get_by_role("button", name="Save 1:04.4").click()
    saved(page, 1)
    expect(box(page, 1)).to_have_value("64.4")
    assert stored(todays_session)[0] == 64.4


def test_a_row_that_fails_to_save_keeps_its_values_and_retries(phone, live_server,
                                                              todays_session):
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    row(page, 1).get_by_role("link", name="More").click()
    heart_rate = row(page, 1).get_by_label("Heart rate")
    expect(heart_rate).to_be_visible()
    page.context.set_offline(True)  # no signal

    box(page, 1).fill("64.3")
    heart_rate.fill("171")
    heart_rate.press("Tab")
    expect(state(page, 1)).to_have_text("Kept on this phone until the signal returns")
    expect(page.locator("#log-pending")).to_have_text(
        "1 rep waiting to be saved — it saves by itself when the signal returns")
    expect(box(page, 1)).to_have_value("64.3")
    expect(heart_rate).to_have_value("171")
    assert not RepResult.objects.filter(log__session=todays_session, position=1,
                                        actual_s__isnull=False).exists()

    page.context.set_offline(False)  # the signal is back: it goes by itself
    saved(page, 1)
    expect(page.locator("#log-pending")).to_be_hidden()
    expect(heart_rate).to_have_value("171")  # the panel the athlete opened stays open
    rep = RepResult.objects.get(log__session=todays_session, position=1)
    assert (rep.actual_s, rep.avg_hr) == (64.3, 171)


def test_reps_can_be_skipped_and_added_on_the_phone(phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    row(page, 6).get_by_role("link", name="More").click()
    row(page, 6).get_by_role("button", name="Skip this rep").click()
    expect(row(page, 6)).to_contain_text("Skipped")
    page.get_by_text("Add a rep").click()
    page.get_by_label("Distance of the added rep").fill("200")
    page.get_by_role("button", name="Add the rep").click()
    expect(page.locator("#added-rows form[data-rep-row]")).to_have_count(1)
    expect(page.locator("#log-progress")).to_contain_text("1 of 7 reps done")
    added = page.locator("#added-rows form[data-rep-row]")
    added.locator(".primary-input").fill("31.0")
    added.locator(".primary-input").press("Enter")
    expect(added).to_have_class(re.compile(r"\bis-saved\b"))
    assert RepResult.objects.get(log__session=todays_session, extra=True).actual_s == 31.0


def test_what_is_typed_in_a_row_while_it_saves_is_kept_and_saved_too(routed_phone, live_server,
                                                                     todays_session):
    page = routed_phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    held = []
    # A slow network: the first save hangs until released; later ones go straight through.
    page.route(ROWS_URL, lambda route: route.continue_() if held else held.append(route))
    enter(page, 1, "64.4")  # Tab: leaving the box sends it
    expect(state(page, 1)).to_have_text("Saving…")
    box(page, 1).fill("64.8")  # corrected while the first value is still on its way
    held[0].continue_()
    page.unroute(ROWS_URL)
    expect(state(page, 1)).to_have_text("Not saved yet")
    expect(box(page, 1)).to_have_value("64.8")
    box(page, 1).press("Enter")
    wait_for_empty_outbox(page)
    saved(page, 1)
    assert stored(todays_session)[0] == 64.8


def test_a_save_keeps_the_row_s_open_panel_and_the_next_split_being_typed(
        routed_phone, live_server, todays_session):
    """The answer of a saved row replaces it; what the athlete has open or is typing stays:
    the row's details panel (the answer comes without it) and the split typed in the next row
    meanwhile (docs/frontend.md)."""
    page = routed_phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    row(page, 3).get_by_role("link", name="More").click()  # opened to add a note later
    expect(row(page, 3).get_by_label("Note")).to_be_visible()
    held = []
    page.route(ROWS_URL, lambda route: route.continue_() if held else held.append(route))
    box(page, 3).fill("64.1")
    page.keyboard.press("Enter")  # saves rep 3, on to rep 4
    expect(state(page, 3)).to_have_text("Saving…")
    expect(box(page, 4)).to_be_focused()
    page.keyboard.type("63.7")  # rep 4, typed while rep 3 is on its way
    held[0].continue_()
    page.unroute(ROWS_URL)
    saved(page, 3)
    expect(row(page, 3).get_by_label("Note")).to_be_visible()
    expect(row(page, 3).get_by_role("link", name="More")).to_have_attribute(
        "aria-expanded", "true")
    expect(box(page, 4)).to_have_value("63.7")
    expect(box(page, 4)).to_be_focused()
    page.keyboard.press("Enter")
    saved(page, 4)
    assert stored(todays_session)[2:4] == [64.1, 63.7]


def test_without_javascript_enter_in_a_row_saves_it_rather_than_skipping(browser, live_server,
                                                                          todays_session):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{todays_session.pk}/log/")
    box(page, 1).fill("64.4")
    box(page, 1).press("Enter")
    expect(box(page, 1)).to_have_value("64.4")
    rep = RepResult.objects.get(log__session=todays_session, position=1)
    assert (rep.actual_s, rep.skipped) == (64.4, False)
    context.close()


def test_finish_with_reps_missing_shows_where_the_athlete_is_and_links_to_them(
        phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    for number in (1, 2, 4, 5):
        enter(page, number, "64.4")
        saved(page, number)
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


def test_finish_waits_for_the_outbox_then_finishes(routed_phone, live_server, todays_session):
    page = routed_phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    held = []
    page.route(ROWS_URL, lambda route: route.continue_() if held else held.append(route))
    box(page, 1).click()
    for time in ("64.5", "64.9", "66.0", "63.8", "64.2", "62.0"):
        page.keyboard.type(time)
        page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # Finish, while rep 1 is still on its way
    expect(page.locator("[data-unsaved-warning]")).to_be_visible()
    assert not SessionLog.objects.filter(session=todays_session, completed=True).exists()
    for _ in range(200):  # the held request reaches the handler when Playwright dispatches it
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.locator(".verdicts")).to_be_visible(timeout=15000)  # the summary: a heavier page
    log = SessionLog.objects.get(session=todays_session)
    assert log.completed and stored(todays_session) == [64.5, 64.9, 66.0, 63.8, 64.2, 62.0]


def test_the_log_summary_fits_a_phone_and_passes_axe(phone, live_server, todays_session):
    from axe_playwright_python.sync_playwright import Axe

    page = phone
    errors = console_errors(page)
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    for number in range(1, 7):
        enter(page, number, "64.4")
        saved(page, number)
    page.get_by_role("button", name="Finish and see the summary").click()
    expect(page.locator(".reps-table")).to_be_visible()
    page.wait_for_load_state("load")  # the whole table parsed before its cells are counted
    for column in ("Ran", "HR", "La"):
        cells = page.locator(f'.reps-table td[data-label="{column}"]:visible')
        for index in range(cells.count()):
            cell = cells.nth(index).bounding_box()
            assert cell["x"] + cell["width"] <= PHONE["width"], column
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


def test_the_log_page_passes_axe_with_the_banner_showing(routed_phone, live_server, todays_session):
    from axe_playwright_python.sync_playwright import Axe

    page = routed_phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    page.route(ROWS_URL, lambda route: route.abort())
    enter(page, 1, "64.4")
    expect(page.locator("#log-pending")).to_be_visible()
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    serious = [(v["id"], [n["target"] for n in v["nodes"]])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_logging_out_clears_the_offline_copy(phone, live_server, todays_session):
    page = phone
    login(page, live_server, "ada")
    open_log(page, live_server, todays_session)
    wait_for_offline_copy(page)
    enter(page, 1, "64.4")
    saved(page, 1)
    page.locator("details.account summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("load")
    page.wait_for_function("""async () => {
        const cache = await caches.open("coach-log-v1");
        return (await cache.keys()).every((r) => !r.url.includes("/sessions/"));
    }""")
    assert page.evaluate("Object.keys(localStorage)") == []  # nothing waited: all forgotten

