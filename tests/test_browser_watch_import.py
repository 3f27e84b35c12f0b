"""An athlete fills the demo's 22-rep session from a watch file on a phone (390x844), in
Debian's chromium: from the log page to the upload, the review (a lap given to another rep,
redrawn by htmx), accept, and the summary with the watch's times (docs/watch-import.md)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from sessions.models import DeviceImport, RepResult
from tests.conftest import login
from tests.test_browser_logging import (  # noqa: F401
    PHONE,
    SPLITS,
    console_errors,
    demo_session,
    phone,
)
from tests.watchfiles import fit_for_reps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMES = [float(s) for s in SPLITS]
DISTANCES = [400.0] * 12 + [200.0] * 10


def settled(page):
    """Wait until htmx has finished with the review form it swapped in (no request on its way,
    nothing swapping or settling): until then a lap chosen in the new table sends nothing."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
           ).to_have_count(0)


def test_a_watch_file_fills_the_22_rep_session_after_review(phone, live_server,  # noqa: F811
                                                            demo_session):  # noqa: F811
    page = phone
    data = fit_for_reps(TIMES, DISTANCES, laps="workout", start=dt.datetime.combine(
        demo_session.date, dt.time(7, 30), tzinfo=dt.UTC))
    errors = console_errors(page)
    login(page, live_server, "ada")
    page.goto(f"{live_server.url}/sessions/{demo_session.pk}/log/")
    page.get_by_role("link", name="Import from watch file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from your watch")
    assert serious_axe_violations(page) == []
    page.get_by_label("Watch file").set_input_files(
        files=[{"name": "Morning_Run.fit", "mimeType": "application/octet-stream",
                "buffer": data}])
    page.get_by_role("button", name="Read the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the match")
    page.wait_for_load_state("load")  # htmx set up: a lap chosen before that redraws nothing
    expect(page.locator(".import-facts")).to_contain_text("22 of 22 reps matched")
    rows = page.locator(".watch-table tbody tr")
    expect(rows).to_have_count(22)
    expect(page.locator(".watch-table tr.how-missing")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_axe_violations(page) == []
    expect(page.get_by_role("button", name="Update the table")).to_be_hidden()  # htmx redraws
    expect(page.locator("#import-rep-1 .c-watch")).to_have_text("70.2")
    expect(page.locator("#import-rep-13 .c-watch")).to_have_text("29.6")
    assert RepResult.objects.filter(log__session=demo_session, actual_s__isnull=False).count() == 0

    # the athlete tries rep 21's lap for rep 22: htmx redraws the table, rep 21 is left
    # without one; then each gets its own back
    accept = page.get_by_role("button", name=re.compile("Accept"))
    own_21, own_22 = page.locator("#rep-21").input_value(), page.locator("#rep-22").input_value()
    page.locator("#rep-22").select_option(own_21)
    expect(page.locator("#import-rep-22")).to_have_class(re.compile(r"\bhow-reassigned\b"))
    expect(page.locator("#import-rep-21")).to_have_class(re.compile(r"\bhow-missing\b"))
    expect(page.locator("#import-rep-22 .c-watch")).to_have_text("29.1")
    expect(accept).to_have_text("Accept: fill 21 reps")
    settled(page)
    page.locator("#rep-22").select_option(own_22)
    expect(page.locator("#import-rep-22 .c-watch")).to_have_text("28.8")
    settled(page)  # a choice made while htmx still settles the new table is not sent
    page.locator("#rep-21").select_option(own_21)
    expect(page.locator("#import-rep-21")).to_have_class(re.compile(r"\bhow-workout-step\b"))
    expect(accept).to_have_text("Accept: fill 22 reps")

    page.get_by_role("button", name="Accept: fill 22 reps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_session.title)
    expect(page.locator(".messages")).to_contain_text("22 reps filled from Morning_Run.fit")
    table = page.locator(".reps-table")
    expect(table.locator(".c-ran", has_text="watch")).to_have_count(22)
    expect(table).to_contain_text("70.2")
    expect(table).to_contain_text("28.8")
    expect(page.locator(".watch-files")).to_contain_text("Morning_Run.fit")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    stored = list(RepResult.objects.filter(log__session=demo_session).order_by("position")
                  .values_list("actual_s", "from_device"))
    assert [flag for _time, flag in stored] == [True] * 22
    for (time, _flag), truth in zip(stored, TIMES, strict=True):
        assert time == pytest.approx(truth, abs=0.5)
    assert DeviceImport.objects.get().status == "accepted"
    assert errors == []


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    return [v["id"] for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]
