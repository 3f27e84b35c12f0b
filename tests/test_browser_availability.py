"""Availability in the browser (issue 18): the coach marks Tom injured for three days (to today)
from his page; the calendar greys those sessions for him, the coach's home lists him as out,
and those sessions leave the missing logs there, while the days he was not out stay."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from athletes.models import Absence
from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tom_in_a_block(db):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Coach")
    tom = f.make_athlete(name="Tom Keane", coach=coach, race=(5000, 812))
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=(tom,), start=today - dt.timedelta(days=6),
                         days=14, title="Autumn block")
    for back in range(6, -1, -1):  # a session on each of the last six days and today
        day = today - dt.timedelta(days=back)
        f.make_session(block=block, date=day, title=f"Run {day:%a %-d}", notation="40min easy")
    return block, tom, today


def test_a_coach_marks_tom_injured_and_his_sessions_leave_the_missing_logs(
        page, live_server, tom_in_a_block):
    block, tom, today = tom_in_a_block
    first, last = today - dt.timedelta(days=2), today  # out the day before yesterday to today
    out_titles = [f"Run {today - dt.timedelta(days=n):%a %-d}" for n in (2, 1)]
    kept_titles = [f"Run {today - dt.timedelta(days=n):%a %-d}" for n in (6, 5, 4, 3)]
    login(page, live_server, "coach")
    missing = page.locator(".missing-logs")
    for title in out_titles + kept_titles:
        expect(missing).to_contain_text(title)

    page.get_by_role("link", name="Tom Keane", exact=True).click()
    page.get_by_role("link", name="Sick, injured or away: mark days out").click()
    page.get_by_label("Why").select_option("injured")
    page.get_by_label("First day out").fill(first.isoformat())
    page.get_by_label("Last day out").fill(last.isoformat())
    page.get_by_label("Note").fill("Sore Achilles")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Tom Keane: injured")
    absence = Absence.objects.get()
    assert (absence.athlete, absence.start, absence.end) == (tom, first, last)

    page.goto(f"{live_server.url}/blocks/{block.pk}/")
    for session in block.sessions.all():
        chip = page.locator(f"#session-{session.pk}")
        if first <= session.date <= last:
            expect(chip).to_contain_text("Tom Keane: injured")
            expect(chip).to_have_class("session-chip all-out")
        else:
            expect(chip).not_to_contain_text("injured")

    page.get_by_role("link", name="Planning").click()
    out_this_week = page.locator("#out-week-h + ul")
    expect(out_this_week).to_contain_text(f"Tom Keane injured until {today:%a %-d %b}")
    missing = page.locator(".missing-logs")
    for title in kept_titles:
        expect(missing).to_contain_text(title)
    for title in out_titles:
        expect(missing).not_to_contain_text(title)
