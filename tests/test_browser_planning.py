"""A coach plans in the browser: a block, a session typed with its live preview, copies of it
and of its week, all without a page reload; and the core forms with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from sessions.models import Block, Session
from tests import factories as f
from tests.conftest import hold_script, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)"


@pytest.fixture
def coach_with_athletes(db):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Coach")
    f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768))
    f.make_athlete(name="Ben Runner", coach=coach, race=(1609.344, 236))
    return coach


def create_block(page, live_server):
    page.goto(f"{live_server.url}/plan/")
    page.get_by_role("link", name="New block").click()
    page.get_by_label("Title").fill("Autumn block")
    page.get_by_label("First day").fill("2026-11-02")
    page.get_by_label("Last day").fill("2026-11-22")
    page.get_by_label("Ada Miler", exact=True).check()
    page.get_by_label("Ben Runner", exact=True).check()
    page.get_by_label("Goal race distance").fill("mile")
    page.get_by_label("Goal time for Ada Miler").fill("3:55")  # Ben has none: his VDOT
    page.get_by_role("button", name="Create block").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn block")


def test_a_coach_plans_a_session_with_a_live_preview_and_copies_it_and_its_week(
        page, live_server, coach_with_athletes):
    login(page, live_server, "coach")
    create_block(page, live_server)
    page.get_by_role("link", name="Add a session on Tuesday 3 November AM").click()
    page.wait_for_load_state("load")  # htmx set up: typing before that asks for no preview

    box = page.get_by_label("Workout")
    box.fill(TEXT)
    preview = page.locator("#preview")
    expect(preview.locator(".preview-stats")).to_contain_text("22reps")
    expect(preview.get_by_role("columnheader", name="Ada Miler")).to_be_visible()
    expect(preview.get_by_role("columnheader", name="Ben Runner")).to_be_visible()
    first_group = preview.locator("tr.step-work").first
    expect(first_group).to_contain_text("12 × 400 m")
    expect(first_group).to_contain_text("61.4–64.0")  # Ada's T+ for 400 m
    ada, ben = first_group.locator(".target").all_inner_texts()
    assert ada != ben  # each athlete's own paces
    expect(preview.locator("tr.step-work").nth(1).locator(".target").first).to_have_text("29.2")
    sources = preview.locator(".target-sources li")
    expect(sources.first).to_contain_text("Ada Miler · T+: VDOT 83.6 from 5000 m 12:48 · "
                                          "mile pace: goal 3:55 for the mile")
    # at sea level both of Ben's targets come from his VDOT: one origin, named once
    expect(sources.nth(1)).to_have_text("Ben Runner · T+, mile pace: VDOT 78.0 from mile 3:56")

    box.fill(TEXT + " x")  # a typo: the error shows in place, the last good preview stays
    expect(page.locator("#preview-error")).to_contain_text("column")
    expect(preview.locator(".preview-stats")).to_contain_text("22reps")
    box.fill(TEXT)
    expect(page.locator("#preview-error")).to_be_empty()

    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".messages")).to_contain_text("Saved")
    page.wait_for_load_state("load")  # plan.js set up: before, ⋯ is a link to the no-JS form
    chip = page.locator(".session-chip").first
    expect(chip).to_contain_text("12x400 @ T+")
    assert Session.objects.get().rep_count == 22

    page.evaluate("window.stillHere = true")  # gone if the page reloads
    chip.get_by_label(re.compile("^Move or copy")).click()  # the page's one menu, for this card
    menu = page.get_by_role("dialog")
    expect(menu).to_contain_text(chip.locator(".chip-link").inner_text())
    expect(menu.get_by_label("Day", exact=True)).to_have_value("2026-11-03")
    menu.get_by_label("Day", exact=True).fill("2026-11-05")
    menu.get_by_role("button", name="Copy").click()
    expect(page.locator(".notice")).to_contain_text("Copied")
    expect(page.locator(".session-chip")).to_have_count(2)
    assert page.evaluate("window.stillHere") is True

    week = page.locator("#week-1")
    week.get_by_label("Copy week 1").click()
    week.get_by_role("button", name="Copy week 1").click()
    expect(page.locator(".notice")).to_contain_text("Copied 2 sessions to the week of Mon 9 Nov.")
    expect(page.locator("#week-2 .session-chip")).to_have_count(2)
    assert page.evaluate("window.stillHere") is True
    block = Block.objects.get()
    assert sorted(s.date.isoformat() for s in block.sessions.all()) == [
        "2026-11-03", "2026-11-05", "2026-11-10", "2026-11-12"]


def test_a_session_is_dragged_to_another_day(page, live_server, coach_with_athletes):
    block = f.make_block(coach=coach_with_athletes, title="Drag block",
                         athletes=tuple(coach_with_athletes.coached_athletes.all()))
    session = f.make_session(block=block, notation="6x1k @ T 60s", title="Thousands")
    login(page, live_server, "coach")
    page.goto(f"{live_server.url}{block.get_absolute_url()}")
    target = page.locator(f'.slot[data-date="{block.start_date.replace(day=4)}"][data-slot="PM"]')
    page.locator(f"#session-{session.pk}").drag_to(target)
    expect(page.locator(".notice")).to_contain_text("Moved “Thousands” to Wed 4 Nov PM.")
    session.refresh_from_db()
    assert (session.date.day, session.slot) == (4, "PM")


def test_the_core_forms_work_with_javascript_off(browser, live_server, coach_with_athletes):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "coach")
    create_block(page, live_server)
    page.get_by_role("link", name="Add session").first.click()
    page.get_by_label("Workout").fill(TEXT)
    page.get_by_role("button", name="Check the workout").click()
    expect(page.locator("#preview .preview-stats")).to_contain_text("22reps")
    expect(page.get_by_label("Workout")).to_have_value(TEXT)
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".session-chip")).to_have_count(1)
    page.get_by_role("link", name=re.compile("^Move or copy")).click()  # the card's ⋯
    expect(page).to_have_url(re.compile("#move$"))
    page.get_by_label("Day", exact=True).fill("2026-11-04")
    page.get_by_role("button", name="Copy here").click()
    expect(page.locator(".messages")).to_contain_text("Copied")
    expect(page.locator(".session-chip")).to_have_count(2)
    context.close()


def test_a_workout_typed_before_the_page_s_scripts_arrived_is_previewed(page, live_server,
                                                                        coach_with_athletes):
    """A slow signal: the session form shows while its scripts are still on their way (htmx
    sets the page up only after them), the coach types the workout; when they arrive, the
    preview shows it without another keystroke."""
    block = f.make_block(coach=coach_with_athletes, title="Slow block",
                         athletes=tuple(coach_with_athletes.coached_athletes.all()))
    login(page, live_server, "coach")
    release = hold_script(page, "plan.js")
    page.goto(f"{live_server.url}/blocks/{block.pk}/sessions/new/", wait_until="commit")
    page.get_by_label("Workout").fill(TEXT)
    release()
    expect(page.locator("#preview .preview-stats")).to_contain_text("22reps")
    expect(page.get_by_label("Workout")).to_have_value(TEXT)
    page.get_by_label("Workout").fill(TEXT + " x")  # typing afterwards previews as ever
    expect(page.locator("#preview-error")).to_contain_text("column")
