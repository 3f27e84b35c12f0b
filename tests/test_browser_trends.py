"""The demo coach opens an athlete from the block and reads their training: the charts (SVG
with their titles), a chart's table behind its disclosure; then the block's overview."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coach.management.commands.demo import PASSWORD
from sessions.models import Block
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_coach_reads_an_athletes_training_charts_on_a_phone(page, live_server):
    call_command("demo", stdout=io.StringIO())
    block = Block.objects.filter(athletes__display_name="Tom Keane", archived=False).first()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "coach", password=PASSWORD)
    page.goto(f"{live_server.url}{block.get_absolute_url()}")
    page.locator(".block-facts").get_by_role("link", name="Tom Keane").click()

    training = page.locator("#training")
    expect(training.get_by_role("heading", name="Training")).to_be_visible()
    for title in ("Weekly volume", "Weekly load", "Acute:chronic load ratio",
                  "Intensity distribution"):
        expect(training.get_by_role("img", name=title)).to_be_visible()
    expect(training.locator("svg[role=img]")).to_have_count(5)  # and VDOT over time
    expect(training).to_contain_text("rolling average: acute = load of the last 7 days")
    chart = training.locator("#chart-volume")
    box = chart.locator("svg").bounding_box()
    assert box is not None and box["width"] <= 390  # fits the phone
    table = chart.locator("table")
    expect(table).to_be_hidden()
    chart.get_by_text("Table: weekly volume").click()
    expect(table).to_be_visible()
    expect(table.locator("thead")).to_contain_text("Planned")
    expect(table.locator("tbody tr")).to_have_count(12)

    page.goto(f"{live_server.url}{block.get_absolute_url()}")
    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Block overview")).to_be_visible()
    expect(page.get_by_role("img", name="Weekly volume, all athletes")).to_be_visible()
    expect(page.locator(".block-week").first).to_contain_text("Tom Keane")
