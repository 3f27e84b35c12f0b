"""An htmx form anywhere in the app (here the athlete's paces) that cannot be saved says so at
the top of the page, keeps what was typed, and the message goes once a save works again."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from athletes.models import Athlete
from coach.management.commands.demo import PASSWORD
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_htmx_save_is_reported_and_nothing_typed_is_lost(page, live_server):
    call_command("demo", stdout=io.StringIO())
    tom = Athlete.objects.get(display_name="Tom Keane")
    login(page, live_server, "coach", password=PASSWORD)
    page.goto(f"{live_server.url}/athletes/{tom.pk}/")
    problem = page.locator("#page-problem")
    paces = page.locator("#paces")
    paces.get_by_label("Zone").select_option("T")
    paces.get_by_label("Pace", exact=True).fill("66.0")

    page.context.set_offline(True)
    paces.get_by_role("button", name="Set pace").click()
    expect(problem).to_contain_text("No connection to the server")
    expect(paces.get_by_label("Pace", exact=True)).to_have_value("66.0")
    page.context.set_offline(False)

    page.context.clear_cookies(name="sessionid")  # the login has expired
    paces.get_by_role("button", name="Set pace").click()
    expect(problem).to_contain_text("You were signed out, so that was not saved.")
    link = problem.get_by_role("link", name="Log in again")
    expect(link).to_have_attribute("href", f"/accounts/login/?next=%2Fathletes%2F{tom.pk}%2F")
    expect(paces.get_by_label("Pace", exact=True)).to_have_value("66.0")
    assert not tom.pace_overrides.exists()

    link.click()
    page.get_by_label("Username").fill("coach")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/athletes/{tom.pk}/")
    page.wait_for_load_state("load")  # htmx set up, or "Set pace" posts the whole page
    paces.get_by_label("Zone").select_option("T")
    paces.get_by_label("Pace", exact=True).fill("66.0")
    paces.get_by_role("button", name="Set pace").click()
    expect(page.locator("#athlete-paces .notice")).to_contain_text("T set to 66.0 per 400 m")
    expect(problem).to_have_count(0)  # a fresh page: no stale message
    assert tom.pace_overrides.count() == 1
