"""The plan outside the app, in Debian's chromium on a phone (390x844), on the demo data (issue 14,
"Done when"): Tom downloads the demo session's workout for his watch from the session page and
the test decodes the file with Garmin's decoder; Tom turns his calendar feed on from the account
menu and the address he is shown serves his sessions."""

from __future__ import annotations

import io
import re
from pathlib import Path

import icalendar
import pytest
from django.core.management import call_command
from garmin_fit_sdk import Decoder, Stream
from playwright.sync_api import expect

from coach.management.commands.demo import PASSWORD
from sessions.models import PlannedTarget, Session
from tests.conftest import login
from tests.test_watch_export import run_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DEMO_TITLE = "Threshold-plus 400s & mile-pace 200s"


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=io.StringIO())
    return Session.objects.get(title=DEMO_TITLE)


def test_tom_downloads_the_demo_session_for_his_watch(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, "tom", PASSWORD)
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Workout for my watch (.fit)").click()
    download = info.value
    assert download.suggested_filename == f"{demo.date:%Y-%m-%d}-12x400-10x200-tom-keane.fit"
    content = Path(download.path()).read_bytes()
    decoder = Decoder(Stream.from_byte_array(bytearray(content)))
    assert decoder.is_fit() and decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(content))).read()
    assert errors == []
    assert messages["workout_mesgs"][0]["sport"] == "running"
    steps = run_order(messages["workout_step_mesgs"])
    assert [s["intensity"] for s in steps] == (
        ["warmup"] + ["active", "recovery"] * 21 + ["active", "cooldown"])
    reps = [s for s in steps if s["intensity"] == "active"]
    assert [r["duration_distance"] for r in reps] == [400.0] * 12 + [200.0] * 10
    targets = list(PlannedTarget.objects.filter(
        athlete__display_name="Tom Keane", step__session=demo, step__athlete__isnull=True)
        .order_by("step__position"))
    assert len(targets) == 22
    for rep, target in zip(reps, targets, strict=True):
        distance = rep["duration_distance"]
        fast = distance / target.target_lo_s
        assert rep["target_type"] == "speed"
        assert rep["custom_target_speed_high"] == pytest.approx(
            fast if (target.target_hi_s or 0) > target.target_lo_s else fast / 0.985, abs=0.001)


def test_tom_turns_his_calendar_feed_on_and_it_serves_his_sessions(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, "tom", PASSWORD)
    page.locator("details.account summary").click()
    page.get_by_role("link", name="Calendar feed").click()
    page.get_by_role("button", name="Turn on").click()
    address = page.get_by_role("textbox", name="Calendar address")
    expect(address).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/calendar/"
                                             r"[\w-]{43}\.ics$"))
    url = address.input_value()
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.body())
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "AM · " + DEMO_TITLE in summaries
    page.get_by_role("button", name="New address (the old one stops working)").click()
    assert page.get_by_role("textbox", name="Calendar address").input_value() != url
    assert page.request.get(url).status == 404
