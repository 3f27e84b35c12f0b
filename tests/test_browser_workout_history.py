"""This workout before, in Debian's chromium on the demo data: Tom's altitude 400s and 200s
show his two earlier runs of the same workout (spelled differently in the sea-level block),
on the log summary and the session page, and each opens its own summary; his athlete page lists
the workout among his benchmarks. At phone width nothing scrolls sideways."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coach.management.commands.demo import EARLIER, PASSWORD
from sessions.models import SessionLog
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=io.StringIO())
    return SessionLog.objects.get(session__title__startswith="Threshold-plus")


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_history_panel_shows_two_earlier_runs_of_the_same_workout(page, live_server, demo,
                                                                      size):
    page.set_viewport_size(size)
    login(page, live_server, "tom", PASSWORD)
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    panel = page.locator("#workout-history")
    expect(panel.get_by_role("heading", name="This workout before")).to_be_visible()
    expect(panel).to_contain_text("12×400 m + 10×200 m")
    runs = panel.locator(".history-runs > li")
    expect(runs).to_have_count(2)
    titles = [title for _, title, *_ in reversed(EARLIER)]  # newest first
    for n, title in enumerate(titles):
        expect(runs.nth(n)).to_contain_text(title)
    expect(runs.nth(0)).to_contain_text("mean 64.9 · best 64.1")
    expect(panel.locator(".season-best")).to_contain_text("Best in 12 months")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    runs.nth(1).get_by_role("link", name=titles[1]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[1])
    expect(page.locator("#workout-history")).to_contain_text("First time this workout")

    page.goto(f"{live_server.url}/sessions/{demo.session_id}/")
    expect(page.locator("#workout-history .history-runs > li")).to_have_count(2)

    page.goto(f"{live_server.url}/athletes/{demo.athlete_id}/")
    benchmarks = page.locator("#benchmarks")
    expect(benchmarks).to_contain_text("12×400 m + 10×200 m")
    expect(benchmarks).to_contain_text("3, last")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
