"""The Django admin works under the app's Content-Security-Policy (no inline scripts or styles):
its scripts run (select-all on a changelist, the date picker, adding an inline row, the
add-another popup), and the browser reports no refusal on the way."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coach.management.commands.demo import PASSWORD
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refusals(page) -> list[str]:
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_the_admin_runs_its_scripts_under_the_policy(page, live_server):
    call_command("demo", stdout=io.StringIO())
    problems = _refusals(page)
    login(page, live_server, "admin", password=PASSWORD)

    response = page.goto(f"{live_server.url}/admin/athletes/athlete/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#action-toggle").check()  # actions.js
    expect(page.locator(".action-counter")).to_contain_text("selected")

    page.goto(f"{live_server.url}/admin/athletes/raceresult/add/")
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()  # calendar.js
    expect(page.locator("#id_date")).not_to_have_value("")

    page.goto(f"{live_server.url}/admin/athletes/squad/add/")
    rows = page.locator(".dynamic-athletes")
    before = rows.count()
    page.locator(".add-row a").first.click()  # inlines.js
    expect(rows).to_have_count(before + 1)

    assert problems == []
