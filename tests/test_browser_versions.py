"""Issue 18 in the browser: the coach gives Sam a shorter version of the squad's session from
the session form, and Sam logs it on his phone, judged against his own targets."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coach.formats import format_time
from sessions.models import AthleteVersion, PlannedTarget, SessionLog
from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SQUAD = "2mi WU; 8x400 @ T+ (200 jog) & 6x200 @ mile (200 jog); 2mi CD"
SAMS = "2mi WU; 4x400 @ 5k (200 jog) & 3x200 @ mile (200 jog); 2mi CD"


@pytest.fixture
def seed(db):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Reyes")
    tom = f.make_athlete(name="Tom Keane", coach=coach, race=(5000, 812),
                         user=f.make_user(username="tom", first_name="Tom", last_name="Keane"))
    sam = f.make_athlete(name="Sam Okafor", coach=coach, race=(5000, 845),
                         user=f.make_user(username="sam", first_name="Sam", last_name="Okafor"))
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=(tom, sam), start=today, time_zone="UTC")
    return f.planned(block, SQUAD, date=today, title="400s and 200s"), tom, sam


def test_the_coach_gives_sam_a_shorter_version_and_sam_is_judged_against_it(
        page, live_server, seed):
    session, tom, sam = seed
    login(page, live_server, "coach")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_load_state("load")  # htmx set up: typing before that sends no preview
    page.get_by_label("Sam Okafor").fill(SAMS)
    preview = page.locator("#preview")
    own = preview.locator(".version-preview")
    expect(own).to_contain_text("Sam Okafor’s own version")
    expect(own.locator(".preview-stats")).to_contain_text("7reps")
    expect(own.get_by_role("columnheader", name="Sam Okafor")).to_be_visible()
    # the squad's table now has only the athletes who follow it
    squad_heads = preview.locator(".steps-table").first.locator("th.athlete-col")
    expect(squad_heads).to_have_text(["Tom Keane"])
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".messages")).to_contain_text("Saved")
    assert AthleteVersion.objects.get(session=session, athlete=sam).rep_count == 7

    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    section = page.locator(".version-section")
    expect(section).to_contain_text("Sam Okafor’s own version")
    expect(section).to_contain_text("differs from the squad’s")
    expect(section.locator("tr.step-work").first).to_contain_text("4 × 400 m")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "sam")
    page.get_by_role("link", name="Log this session").click()
    rows = page.locator("form[data-rep-row]")
    expect(rows).to_have_count(7)
    mine = list(PlannedTarget.objects.filter(athlete=sam, step__session=session,
                                             step__kind="work").order_by("step__position"))
    assert len(mine) == 7 and all(t.step.athlete_id == sam.pk for t in mine)
    squads = PlannedTarget.objects.filter(athlete=tom, step__session=session,
                                          step__kind="work").order_by("step__position").first()
    assert round(squads.target_lo_s, 1) != round(mine[0].target_lo_s, 1)
    first = rows.first
    time = first.get_by_label("Time")
    time.fill(format_time(mine[0].target_lo_s + 0.2))
    time.press("Tab")
    expect(first.locator("[data-state]")).to_have_text(re.compile("Saved"))
    expect(first.locator(".rep-result")).to_contain_text("On target")
    second = rows.nth(1)
    second.get_by_label("Time").fill(format_time(mine[1].target_lo_s - 4))
    second.get_by_label("Time").press("Tab")
    expect(second.locator(".rep-result")).to_contain_text("Fast")
    expect(page.locator("#log-progress")).to_contain_text("2 of 7 reps done")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    log = SessionLog.objects.get(session=session, athlete=sam)
    assert log.planned_notation == SAMS
    saved = list(log.reps.order_by("position"))
    assert [r.target_lo_s for r in saved] == [t.target_lo_s for t in mine]
    assert [r.status for r in saved[:2]] == ["on", "fast"]
