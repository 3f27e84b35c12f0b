"""The coach's home table in a real browser, on the demo data: the coach opens the home, sorts
by the share of reps on target (htmx swaps the table and the address follows), and opens an
athlete; at phone width the table scrolls inside its own box."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from athletes.models import Athlete
from coach.management.commands.demo import BLOCK_TITLE, PASSWORD
from sessions import logbook
from sessions.models import SessionLog
from sessions.training_load import week_start
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _names(page) -> list[str]:
    return page.locator("#athlete-table tbody th a").all_inner_texts()


@pytest.fixture
def demo_week(transactional_db):
    """The demo, with Sam's log of the session Tom logged, every rep 10 % slow: both have a
    share on target that week (Tom's high, Sam's nil). The week of that session."""
    call_command("demo", stdout=io.StringIO())
    toms = SessionLog.objects.select_related("session").get(athlete__user__username="tom",
                                                            session__block__title=BLOCK_TITLE)
    sam = Athlete.objects.get(user__username="sam")
    log = logbook.start_log(toms.session, sam)
    for rep in log.reps.all():
        if rep.target_lo_s:
            logbook.save_rep(rep, {"actual_s": (rep.target_hi_s or rep.target_lo_s) * 1.1})
    logbook.update_log(log, {"rpe": 6})
    return week_start(toms.session.date)


def test_the_coach_sorts_the_week_by_share_on_target_and_opens_an_athlete(page, live_server,
                                                                          demo_week):
    login(page, live_server, "coach", PASSWORD)
    table = page.locator("#athlete-table")
    expect(table.get_by_role("heading", name=re.compile("Your athletes"))).to_be_visible()
    if demo_week != week_start(timezone.localdate()):
        table.get_by_role("link", name="← Previous").click()
        expect(page).to_have_url(re.compile(rf"week={demo_week.isoformat()}"))
    heading = re.compile(f"week of {demo_week:%a} {demo_week.day} ")
    expect(table.get_by_role("heading", name=heading)).to_be_visible()
    assert _names(page) == ["Sam Okafor", "Tom Keane"]  # by name at first

    table.get_by_role("link", name="On target").click()
    expect(page).to_have_url(re.compile(r"sort=adherence&dir=desc"))
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("On target")
    assert _names(page) == ["Tom Keane", "Sam Okafor"]
    expect(page.locator("tr", has_text="Sam Okafor")).to_contain_text("0 %")

    page.locator("#athlete-table").get_by_role("link", name="On target").click()  # turned round
    expect(page).to_have_url(re.compile(r"sort=adherence&dir=asc"))
    assert _names(page) == ["Sam Okafor", "Tom Keane"]

    page.get_by_role("link", name="Tom Keane").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tom Keane")


def test_on_a_phone_the_table_scrolls_in_its_own_box_with_the_names_in_view(browser, live_server,
                                                                            demo_week):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    login(phone, live_server, "coach", PASSWORD)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the page does not
    box = phone.locator(".overview-wrap")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table does, inside
    box.evaluate("e => e.scrollLeft = e.scrollWidth")
    name = phone.locator("#athlete-table tbody th").first.bounding_box()
    assert name is not None and 0 <= name["x"] < 40  # the athlete column stays put
    phone.close()
