"""A coach types workouts as they write them on a club sheet (issue 10, docs/notation.md,
"Everyday phrasings"), and the live preview shows the reps and every athlete's own targets."""

import pytest
from playwright.sync_api import expect

from sessions.models import Session
from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def block(db):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Coach")
    ada = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768))
    ben = f.make_athlete(name="Ben Runner", coach=coach, race=(1609.344, 236))
    return f.make_block(coach=coach, title="Autumn block", athletes=(ada, ben))


def targets(row) -> list[str]:
    return row.locator(".target").all_inner_texts()


def test_the_preview_reads_everyday_phrasings_with_each_athletes_targets(
        page, live_server, block):
    login(page, live_server, "coach")
    page.goto(f"{live_server.url}/blocks/{block.pk}/sessions/new/")
    box = page.get_by_label("Workout")
    preview = page.locator("#preview")

    box.fill("3 sets of 5 x 200 @ R (200 jog) 5min between sets")
    expect(preview.locator(".preview-stats")).to_contain_text("15reps")
    expect(preview.get_by_role("columnheader", name="Ada Miler")).to_be_visible()
    expect(preview.get_by_role("columnheader", name="Ben Runner")).to_be_visible()
    sets = preview.locator("tr.step-work")
    expect(sets).to_have_count(3)  # one row a set
    expect(sets.first).to_contain_text("5 × 200 m")
    expect(sets.first).to_contain_text("@ R")
    expect(sets.first).to_contain_text("200 m jog recovery")
    expect(preview).to_contain_text("5 min")  # the rest between sets
    ada, ben = targets(sets.first)
    assert ada != ben and "–" not in (ada, ben)  # each athlete's own R pace

    box.fill("WU 2mi; 6 x 400 @ 800m pace (200 jog); cool down 2 miles")
    expect(preview.locator(".preview-stats")).to_contain_text("6reps")
    reps = preview.locator("tr.step-work")
    expect(reps).to_have_count(1)
    expect(reps.first).to_contain_text("6 × 400 m")
    expect(reps.first).to_contain_text("@ 800 pace")
    expect(preview).to_contain_text("2 mi warm-up")
    expect(preview).to_contain_text("2 mi cool-down")
    ada, ben = targets(reps.first)
    assert ada != ben and "–" not in (ada, ben)  # each athlete's own 800 m pace
    expect(page.locator("#preview-error")).to_be_empty()

    box.fill("10x400/200")  # ambiguous: the message proposes both readings
    expect(page.locator("#preview-error")).to_contain_text("for metres write 10x400 (200m)")

    box.fill("8 x 150m strides")
    expect(page.locator("#preview-error")).to_be_empty()
    expect(preview.locator("tr.step-work").first).to_contain_text("8 × 150 m strides")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".messages")).to_contain_text("Saved")
    session = Session.objects.get()
    assert (session.notation, session.rep_count) == ("8 x 150m strides", 8)
