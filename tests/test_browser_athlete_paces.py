"""The demo coach keeps an athlete's paces in the app: adds a race result and sets a threshold
pace on the profile, and the paces table updates in place, without a page reload."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from athletes.models import Athlete
from coach.management.commands.demo import PASSWORD
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_coach_adds_a_race_and_sets_a_threshold_pace_in_place(page, live_server):
    call_command("demo", stdout=io.StringIO())
    tom = Athlete.objects.get(display_name="Tom Keane")
    login(page, live_server, "coach", password=PASSWORD)
    page.goto(f"{live_server.url}/athletes/{tom.pk}/")
    page.evaluate("window.notReloaded = true")
    vdot = page.locator("#vdot-value")
    expect(vdot).to_have_text("78.4")  # from the 5000 m in 13:32.4

    pace_box = page.locator("#paces").get_by_label("Pace", exact=True)
    pace_box.fill("66.0")  # typed, not yet sent: a refused race must not wipe it
    races = page.locator("#race-results")
    races.get_by_label("Distance", exact=True).select_option("5k")
    races.get_by_label("Time", exact=True).fill("13:2o.0")  # a typo first
    races.get_by_label("Race", exact=True).fill("Stanford Invitational")
    races.get_by_role("button", name="Add result").click()
    expect(races.locator("#field-race-time .error")).to_have_text(
        '"13:2o.0" is not a time. Write it like 3:56.8 or 13:32.4.')
    expect(races.get_by_label("Race", exact=True)).to_have_value("Stanford Invitational")
    expect(pace_box).to_have_value("66.0")
    races.get_by_label("Time", exact=True).fill("13:20.0")
    races.get_by_role("button", name="Add result").click()

    notice = page.locator("#athlete-paces .notice")
    expect(notice).to_contain_text("Added 5000 m 13:20 (Stanford Invitational).")
    expect(notice).to_contain_text("(was 78.4)")
    expect(notice).to_contain_text(re.compile(r"Targets updated in \d+ upcoming session"))
    expect(vdot).not_to_have_text("78.4")
    expect(page.locator("#race-results tbody tr")).to_have_count(3)

    threshold = page.locator("#pace-t")
    expect(threshold).not_to_contain_text("set by coach")
    paces = page.locator("#paces")
    paces.get_by_label("Zone").select_option("T")
    paces.get_by_label("Pace", exact=True).fill("66.0")
    paces.get_by_role("button", name="Set pace").click()
    expect(notice).to_contain_text("T set to 66.0 per 400 m (2:45/km).")
    expect(threshold).to_contain_text("set by coach")
    expect(threshold.locator("td").first).to_contain_text("66.0")
    expect(threshold.locator("td").first).to_contain_text("VDOT")  # the VDOT pace beside it

    page.locator("#clear-t").click()
    expect(notice).to_contain_text("T is back to the VDOT pace.")
    expect(threshold).not_to_contain_text("set by coach")
    assert page.evaluate("window.notReloaded") is True
    assert tom.pace_overrides.count() == 0 and tom.race_results.count() == 3
