"""A live preview request that fails (server error, network error, a login page) never
replaces or clears the session form: what was typed and the last good preview stay, and a
short note says the preview failed (issue 9, item 1). With DEBUG on too, where django-htmx
would otherwise put the error page in place of the whole document."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = "2mi WU; 6x1k @ T 60s; 2mi CD"


def open_form_with_a_good_preview(page, live_server, block):
    login(page, live_server, "coach")
    page.goto(live_server.url + reverse("training:session-new", args=[block.pk]))
    box = page.get_by_label("Workout")
    box.fill(GOOD)
    expect(page.locator("#preview .preview-stats")).to_contain_text("6reps")
    return box


def fail_preview_with(page, block, how):
    url = "**" + reverse("training:session-preview", args=[block.pk])
    if how == "abort":
        page.route(url, lambda route: route.abort("connectionfailed"))
    elif how == "login page":  # the session expired: the redirect ends on the login page
        page.route(url, lambda route: route.fulfill(
            status=200, content_type="text/html",
            body="<!doctype html><html><body><form><input name=username></form></body></html>"))
    else:
        page.route(url, lambda route: route.fulfill(
            status=500, content_type="text/html",
            body="<!doctype html><html><body><h1>Server Error (500)</h1>Traceback</body></html>"))


@pytest.mark.parametrize(("how", "debug"), [
    ("500", False), ("500", True), ("abort", False), ("login page", True),
], ids=["500", "500-debug", "network-error", "login-page-debug"])
def test_a_failed_preview_keeps_the_form_and_the_last_good_preview(
        page, live_server, block, settings, debug, how):
    settings.DEBUG = debug
    box = open_form_with_a_good_preview(page, live_server, block)
    fail_preview_with(page, block, how)

    typed = GOOD + "; 4x200 @ R (200 jog)"
    box.fill(typed)
    status = page.locator("#preview-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("The preview could not be updated")
    expect(box).to_have_value(typed)
    expect(page.locator("#preview .preview-stats")).to_contain_text("6reps")
    expect(page.get_by_role("heading", name="New session")).to_be_visible()
    assert "Traceback" not in page.content() and "Server Error" not in page.content()

    page.unroute("**" + reverse("training:session-preview", args=[block.pk]))
    box.fill(typed + " ")  # the next preview that works clears the note
    expect(page.locator("#preview .preview-stats")).to_contain_text("10reps")
    expect(status).to_be_hidden()
