"""An athlete and their coach talk under a log in Debian's chromium: three comments back and
forth (htmx swaps the thread in place), a remark on a rep, and a private coach note the
athlete's page never shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sessions.logbook import finish_log, save_rep, start_log
from sessions.models import Comment
from sessions.planning import plan_session
from tests import factories as f
from tests.conftest import close_and_settle, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PRIVATE = "Hip looked tight on the bend: check in on Thursday"


@pytest.fixture
def logged(db):
    coach = f.make_coach(username="coach", first_name="Carla", last_name="Coach")
    athlete = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768),
                             user=f.make_user(username="ada", first_name="Ada",
                                              last_name="Miler"))
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.make_session(block=block, title="Six 400s", notation="6x400 @ 64 (200 jog)")
    plan_session(session)
    log = start_log(session, athlete)
    for rep in log.reps.all():
        save_rep(rep, {"actual_s": 64.0})
    finish_log(log)
    return log


def _post(page, text, *, rep=None, private=False):
    thread = page.locator("#log-thread")
    page.get_by_label("Reply to", exact=False).fill(text)
    if rep is not None:
        page.get_by_label("About").select_option(label=rep)
    if private:
        page.get_by_label("Private note (athlete won’t see it)").check()
    page.get_by_role("button", name="Post").click()
    expect(thread.locator(".thread-item").last).to_contain_text(text)
    expect(page.get_by_label("Reply to", exact=False)).to_have_value("")  # a fresh form


@pytest.fixture
def two_phones(browser):
    """Ada's phone and Carla's laptop: a browser context each, closed after the test (left
    open, their connections to the live server outlived it)."""
    contexts = [browser.new_context(viewport=PHONE), browser.new_context(viewport=LAPTOP)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        close_and_settle(context)


def test_an_athlete_and_a_coach_talk_under_a_log_and_the_private_note_stays_private(
        two_phones, live_server, logged):
    url = f"{live_server.url}/logs/{logged.pk}/"
    ada, carla = two_phones
    errors = []
    for page in (ada, carla):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(ada, live_server, "ada")
    login(carla, live_server, "coach")

    ada.goto(url)
    _post(ada, "Felt the wind on the back straight", rep="Rep 5 · 400 m")
    expect(ada.locator("#log-thread")).to_contain_text("Rep 5 · 400 m")

    carla.goto(f"{live_server.url}/plan/")
    expect(carla.locator("#attention")).to_contain_text("Felt the wind on the back straight")
    carla.locator("#attention").get_by_role("link", name="Ada Miler").first.click()
    carla.wait_for_load_state("load")  # htmx set up: "Post" swaps the thread in place
    expect(carla.locator("#log-thread .thread-item")).to_have_count(1)
    _post(carla, "Good, you held 64 anyway. Tuck in behind someone next time.")
    _post(carla, PRIVATE, private=True)
    expect(carla.locator(".thread-item.is-private")).to_contain_text("athlete won’t see it")

    ada.goto(f"{live_server.url}/today/")
    expect(ada.locator("#attention")).to_contain_text("Tuck in behind someone")
    expect(ada.locator("#attention")).not_to_contain_text("Hip looked tight")
    ada.goto(url)
    _post(ada, "Will do. Thanks!")
    expect(ada.locator("#log-thread .thread-item")).to_have_count(3)
    expect(ada.locator("body")).not_to_contain_text("Hip looked tight")
    expect(ada.get_by_label("Private note (athlete won’t see it)")).to_have_count(0)
    assert ada.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    carla.reload()
    expect(carla.locator("#log-thread .thread-item")).to_have_count(4)
    expect(carla.locator("#log-thread")).to_contain_text("Will do. Thanks!")
    assert list(Comment.objects.values_list("author__username", "private")) == [
        ("ada", False), ("coach", False), ("coach", True), ("ada", False)]
    assert not errors, errors
