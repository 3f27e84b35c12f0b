"""The page frame (templates/base.html): its top bar and files, written in Python by
``coach/templatetags/frame.py``, give the bytes the template language gave (the old frame is
kept in tests/old_templates/base.html)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory, override_settings

from coach.templatetags import frame
from tests.factories import make_athlete, make_coach, make_user

OLD_FRAME = (Path(__file__).parent / "old_templates" / "base.html").read_text()
NAVS = (None, "", "plan", "logs", "today", "history", "profile", "roster", "other")


def _request(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def _both(request, context: dict) -> tuple[str, str]:
    context = {"csrf_token": "TOKEN-1234", **context}
    old = engines["django"].from_string(OLD_FRAME).render(context, request)
    new = get_template("base.html").render(context, request)
    return old, new


@pytest.fixture
def people(db):
    coach = make_coach(first_name="Ann", last_name="O'Hara <&>")
    athlete = make_athlete(name="Tom Keane")
    admin = make_user(is_staff=True, username="boss")
    everything = make_user(is_staff=True, is_coach=True, first_name="All", last_name="Roles")
    make_athlete(user=everything, name="All Roles")
    nobody = make_user(username="nobody")
    return [coach, athlete.user, admin, everything, nobody]


def test_the_frame_is_the_templates_for_every_role_and_page(people):
    compared = 0
    for user in [*people, AnonymousUser()]:
        for nav in NAVS:
            old, new = _both(_request(user), {} if nav is None else {"nav": nav})
            assert new == old, (user, nav)
            compared += 1
    assert compared == 6 * len(NAVS)
    old, _ = _both(_request(people[3]), {"nav": "roster"})
    assert 'href="/roster/" aria-current="page">Roster' in old  # the cases hold the links
    assert "O&#x27;Hara &lt;&amp;&gt;" in _both(_request(people[0]), {})[1]


def test_a_page_may_set_what_the_frame_reads(people):
    """Views' own values of the context's names win, as they did in the template."""
    request = _request(people[0])
    for extra in ({"is_admin": True, "my_athlete": None},
                  {"is_coach": False, "my_athlete": people[1].athlete},
                  {"nav_urls": {"home": "/a?b=1&c=<2>"}}, {"nav_urls": None},
                  {"user": people[2]}, {"user": AnonymousUser()}, {"user": "someone"},
                  {"user": None}, {"csrf_token": "NOTPROVIDED"},
                  {"csrf_token": ""}):
        old, new = _both(request, extra)
        assert new == old, extra


def test_messages_and_blocks_are_drawn_as_before(people):
    request = _request(people[1])
    request._messages.add(20, "Saved <b>it</b>", extra_tags="extra")
    old, new = _both(request, {})
    assert new == old
    assert "Saved &lt;b&gt;it&lt;/b&gt;" in new


def test_a_frame_without_a_request_context(people):
    """Rendered without context processors (no user, no addresses), as the template did."""
    context = {"csrf_token": "TOKEN-1234"}
    old = engines["django"].from_string(OLD_FRAME).render(context)
    assert get_template("base.html").render(context) == old


def test_the_files_follow_the_static_settings(people):
    before = _both(_request(people[0]), {})
    assert before[0] == before[1]
    with override_settings(STATIC_URL="/elsewhere/", DEBUG=True):
        old, new = _both(_request(people[0]), {})
        assert "/elsewhere/css/app.css" in new and "django-htmx.js" in new
        assert new == old
    assert _both(_request(people[0]), {})[1] == before[1]


def test_a_nonce_goes_to_the_debug_script(people):
    with override_settings(DEBUG=True):
        old, new = _both(_request(people[0]), {"csp_nonce": "n0nce"})
    assert 'nonce="n0nce"' in new
    assert new == old
    assert frame.frame_files({"csp_nonce": None}) is frame._files()


@pytest.mark.parametrize("path", ["js/roster.js", "a b&c.js", "x\"<'.js"])
def test_asset_writes_what_static_writes(path):
    """Pages name their own files with ``{% asset %}`` (``{% static %}`` looked up once)."""
    both = engines["django"].from_string(
        "{% load static coach_tags %}{% static path %}|{% asset path %}").render({"path": path})
    old, new = both.split("|")
    assert new == old and old.startswith("/static/") and len(old) > 10
    for name in ("athletes/roster.html", "athletes/athlete_form.html",
                 "athletes/coach_form.html", "athletes/invite.html",
                 "training/calendar_feed.html"):
        assert "{% static" not in get_template(name).template.source
