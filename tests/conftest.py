"""Shared fixtures: people, a block, logged-in clients, the browser harness (and
factories.py: rows, and ``planned`` sessions)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
import time
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import settings

from coach import pace
from tests import factories as f

# Property tests check what is computed, never how fast: no per-example deadline (Hypothesis's
# default 200 ms failed a judging test once on a loaded CI machine). Speed is measured by
# `manage.py bench`, not by tests.
settings.register_profile("coach", deadline=None)
settings.load_profile("coach")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results"


# --- stored files ----------------------------------------------------------------------------

@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Files stored through Django's storage API (watch files) go to a temporary folder in
    tests, never the project's media/ (nor a bucket)."""
    from django.conf import settings
    from django.test import override_settings

    root = tmp_path_factory.mktemp("media")
    storages = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root)}}}
    with override_settings(MEDIA_ROOT=str(root), STORAGES=storages):
        yield root


@pytest.fixture(autouse=True)
def _no_files_left_behind(media_root):
    """Each test starts with no stored files (tests check what a request stored)."""
    yield
    for entry in media_root.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


# --- the clock --------------------------------------------------------------------------------

# Where the tests' blocks keep the real clock's "today": UTC (the server's and most blocks'),
# the demo's America/Phoenix and the few far zones tests use.
TEST_ZONES = ("UTC", "America/Phoenix", "Pacific/Auckland", "Pacific/Kiritimati",
              "Pacific/Pago_Pago")
MIDNIGHT_MARGIN_S = 120.0  # longer than any one test takes on a loaded CI machine


def seconds_to_midnight(now: dt.datetime, zones: tuple[str, ...] = TEST_ZONES) -> float:
    """Seconds from ``now`` (aware) to the next midnight in any of ``zones``, DST days too."""
    left = []
    for name in zones:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(),
                                       local.tzinfo)
        left.append((midnight - now).total_seconds())  # different zones: a real difference
    return min(left)


@pytest.fixture(autouse=True)
def _not_across_midnight():
    """A test starts no later than two minutes before a midnight of the tests' time zones, or
    waits until it has passed. Many tests take "today" from the real clock (a block around
    today, a session today) and the app takes its own at each request: across a midnight the
    two are a day apart and the test fails on a date, not on the app. Runs nothing, most of
    the day; at worst each worker waits once, two minutes, for each midnight of TEST_ZONES."""
    left = seconds_to_midnight(dt.datetime.now(dt.UTC))
    if left < MIDNIGHT_MARGIN_S:
        time.sleep(left + 1.0)


# --- people ---------------------------------------------------------------------------------

@pytest.fixture
def coach(db):
    return f.make_coach(username="coach", first_name="Carla", last_name="Coach")


@pytest.fixture
def other_coach(db):
    return f.make_coach(username="othercoach", first_name="Otto", last_name="Other")


@pytest.fixture
def admin_user(db):
    return f.make_user(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def athlete(db, coach):
    return f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768))


@pytest.fixture
def other_athlete(db, other_coach):
    return f.make_athlete(name="Bea Other", coach=other_coach, race=(10000, 2400))


@pytest.fixture
def second(db, coach):
    """A second athlete of ``coach``: a 3:56 miler, slower at T+ than Ada (5000 m in 12:48),
    with a different mile pace."""
    return f.make_athlete(name="Ben Runner", coach=coach, race=(pace.MILE, 236))


# --- a block --------------------------------------------------------------------------------

@pytest.fixture
def block(coach, athlete):
    """Four weeks from Monday 2 November 2026, coached by ``coach``, with ``athlete``."""
    return f.make_block(coach=coach, athletes=(athlete,))


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def coach_client(client, coach):
    return _client_for(client, coach)


@pytest.fixture
def athlete_client(client, athlete):
    return _client_for(client, athlete.user)


@pytest.fixture
def admin_client_(client, admin_user):
    return _client_for(client, admin_user)


@pytest.fixture
def htmx():
    """Headers that make a test request look like htmx's."""
    return {"HTTP_HX_REQUEST": "true"}


# --- browser harness --------------------------------------------------------------------------

def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium. Without it: skip on a user's machine, fail in CI."""
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or os.path.exists(CHROMIUM):
        return
    reason = f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError(f"CI needs the browser tests, but {CHROMIUM} is missing")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_report_header(config):
    found = os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)
    return f"browser: {CHROMIUM if found else 'none (browser tests will be skipped)'}"


@pytest.fixture(autouse=True, scope="session")
def _patient_expectations():
    """A browser expectation waits up to 15 s (Playwright's default is 5): CI shares two cores
    between the test workers, the live server and chromium, and a save may take longer to
    answer there than a phone at the track would wait. A real failure still fails."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # no Playwright: no browser tests either
        return
    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"],
    }


def settle_live_server(timeout: float = 10.0) -> None:
    """Wait until the live server has answered what it was asked (its request threads end once
    the browser's connections close). A page may still be sending when its test ends (the
    stopwatch's and the log's outboxes send by themselves): on PostgreSQL such a request
    deadlocked with the TRUNCATE that empties the database after the test (the next test then
    found the last one's rows), and on either database it ran into the closed database."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


def close_and_settle(context) -> None:
    """Close a browser context, then let the live server finish its requests (above)."""
    context.close()
    settle_live_server()


@pytest.fixture
def context(context):
    """pytest-playwright's page context, closed (and the live server settled) before the test's
    database is emptied: the database fixtures are set up first, so torn down after this."""
    yield context
    close_and_settle(context)


def one_request_at_a_time_on_shared_sqlite(live_server) -> None:
    """On in-memory SQLite the live server's request threads share the test's one connection:
    two requests at once (the stopwatch's outbox sending while the page polls) interleave
    their transactions on it ("cannot start a transaction within a transaction", a savepoint
    gone, a result half saved). There, the server answers one request at a time, as a server
    with its own connection per thread would appear to. (PostgreSQL: untouched.)"""
    if not live_server.thread.connections_override:
        return
    server = live_server.thread.httpd
    app, lock = server.get_app(), threading.Lock()

    def serialized(environ, start_response):
        with lock:
            return app(environ, start_response)

    server.set_app(serialized)


@pytest.fixture(scope="session")
def browser(browser, live_server):
    """The browser closes before the live server stops, and the server's request threads are
    let finish first. Else Chromium's last kept-alive connections end after the stop, and on
    SQLite (one in-memory connection, which the server's threads may use only while it runs)
    the thread closing it raises "DatabaseWrapper objects created in a thread can only be used
    in that same thread" (a PytestUnhandledThreadExceptionWarning after the tests, in Django's
    ThreadedWSGIServer.close_request). Nothing a page did is affected."""
    one_request_at_a_time_on_shared_sqlite(live_server)
    yield browser
    browser.close()
    settle_live_server()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in getattr(item, "funcargs", {}):
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{item.name}.png"
        try:
            item.funcargs["page"].screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
        except Exception as exc:  # the page may be gone; the failure itself matters more
            report.sections.append(("screenshot", f"could not save: {exc}"))


def login(page, live_server, username: str, password: str = f.PASSWORD) -> None:
    """Log in through the real form, and wait for the page it lands on to load.

    A click waits for the navigation it starts only until the new page's first bytes arrive
    (Playwright's "commit"), before its deferred scripts (htmx, static/js) have run: a test that
    goes on to an htmx form, a live preview or a script's button on that page would race them.
    So every navigation that a test follows with such an interaction waits for "load" (a
    ``page.goto`` does by itself); see docs/frontend.md, "Browser tests and slow scripts"."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def hold_script(page, name: str):
    """Hold ``static/js/<name>`` on its way, as a slow signal would: the page shows and can be
    typed into, but none of its deferred scripts has run (htmx sets the page up only after all
    of them). Returns ``release``, which lets the script through (and later requests for it)."""
    pattern = re.compile(rf".*/js/{re.escape(name.removesuffix('.js'))}(\.[0-9a-f]+)?\.js(\?.*)?$")
    held = []
    page.route(pattern, lambda route: held.append(route))

    def release() -> None:
        for _ in range(200):  # the request reaches the handler when Playwright dispatches it
            if held:
                break
            page.wait_for_timeout(50)
        assert held, f"the page never asked for {name}"
        for route in held:
            route.continue_()
        page.unroute(pattern)

    return release
