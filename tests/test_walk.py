"""Walk the app as its people do: log in as each demo user, follow every link breadth-first and
fail on any linked page that does not answer 2xx or 3xx.

Unit tests check pieces; this checks that every page a person can reach by clicking opens. It
runs on the demo data (``manage.py demo``), so every kind of session the demo holds (rep
sessions, easy runs, lactate sessions, a logged session, AM and PM) is opened by each role.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from athletes.models import User

MAX_PAGES = 400  # per person: the demo holds far fewer; the bound keeps a regression cheap
ADMIN_PER_SHAPE = 3  # the Django admin: this many pages of each shape (a model's change page...)
# Links that end the visit or change data on GET are not followed.
SKIP = ("logout", "delete", "remove", "/static/", "/media/")


class _Links(HTMLParser):
    """``<a href>`` targets, and the ``hx-get`` fragments a page loads by itself."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.pages.append(attributes["href"])
        if attributes.get("hx-get"):
            self.fragments.append(attributes["hx-get"])


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _internal(base: str, href: str) -> str | None:
    """The path (and query) of a same-site link, or None for mail, anchors and other sites."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("http", "") or parts.netloc not in ("", "testserver"):
        return None
    # The Django admin's sort and filter links are Django's own, tested there: each admin page
    # is opened once, without its query string.
    query = "" if parts.path.startswith("/admin/") else parts.query
    if _far_week(query):
        return None
    path = parts.path + (f"?{query}" if query else "")
    return None if any(word in path.lower() for word in SKIP) else path


def _far_week(query: str) -> bool:
    """A week picker (the coach's table: ``?week=``) pages through time without end: the walk
    follows it one step either side of this week, no further."""
    weeks = parse_qs(query).get("week", [])
    try:
        return any(abs((dt.date.fromisoformat(w) - dt.date.today()).days) > 13 for w in weeks)
    except ValueError:
        return False


def _admin_shape(path: str) -> str | None:
    """``/admin/training/plannedtarget/<n>/change/`` for an admin page, None for the app's."""
    if not path.startswith("/admin/"):
        return None
    return "/".join("<n>" if part.isdigit() else part for part in path.split("/"))


def walk(user: User) -> tuple[list[str], list[str]]:
    """Every page reached from ``/`` as ``user``: (visited paths, failures)."""
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    seen: set[str] = {"/"}
    shapes: dict[str, int] = {}
    queue: deque[tuple[str, str, bool]] = deque([("/", "(start)", False)])
    visited: list[str] = []
    failures: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path, came_from, fragment = queue.popleft()
        headers = {"HTTP_HX_REQUEST": "true"} if fragment else {}
        response = client.get(path, follow=True, **headers)
        visited.append(path)
        if response.status_code >= 400:
            failures.append(f"{response.status_code} {user.username} {path} "
                            f"(linked from {came_from})")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        if final.startswith("/accounts/login/"):
            failures.append(f"login asked again: {user.username} {path} (linked from {came_from})")
            continue
        links = _links(response.content.decode())
        for hrefs, is_fragment in ((links.pages, False), (links.fragments, True)):
            for href in hrefs:
                target = _internal(final, href)
                if target is None or target in seen:
                    continue
                seen.add(target)
                # The admin is the same few templates over every row of every table: a few
                # pages of each shape prove them, the app's own pages are all opened.
                shape = _admin_shape(target)
                if shape is not None:
                    shapes[shape] = shapes.get(shape, 0) + 1
                    if shapes[shape] > ADMIN_PER_SHAPE:
                        continue
                queue.append((target, path, is_fragment))
    return visited, failures


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["admin", "coach", "tom", "sam"])
def test_every_linked_page_opens_for_each_demo_user(demo, username):
    visited, failures = walk(User.objects.get(username=username))
    assert not failures, "\n".join(failures)
    # The walk really went somewhere: each role's home and the pages behind it.
    assert len(visited) > 10, visited
