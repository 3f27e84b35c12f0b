"""Hostile and broken input on every form and htmx endpoint: random strings, huge numbers,
unicode, NUL characters, 100 KB values, fields missing or repeated, query strings made up.
The answer is never a 500, and an answer that refuses (4xx) has changed nothing.

The endpoints, their URL arguments and a persona allowed to use each come from the access
matrix (tests/test_access_matrix.py), so a new URL is fuzzed as soon as it has its rule."""

from __future__ import annotations

import string

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import formats
from tests.test_access_matrix import ALLOWED, OK, PERSONAS, RULES, _snapshot, build_world

# Names forms in the app use, beyond the ones each rule posts: a fuzzed request may carry any.
COMMON = ["notation", "title", "date", "actual_s", "avg_hr", "lactate", "note", "rpe", "cid",
          "position", "body", "squad", "coach", "week", "athlete", "version", "distance_m",
          "duration_s", "skipped", "confirm", "text", "start", "end", "reason", "sort", "dir"]

junk = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.printable + "×’”′″–é漢😀\u202e\x00", max_size=60),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e308", "-1e308", "nan", "inf", "NaN", "1:06.4",
                     "6o.2", "99:99:99", "2026-02-30", "9999-12-31", "0000-00-00", "None",
                     "null", "[]", "{}", "<script>x</script>", "' OR 1=1 --", "\x00",
                     "x" * 100_000]),
)


def _persona_for(rule) -> str | None:
    """Someone the rule lets POST (or, for a page, GET): the request then reaches the view."""
    expect = rule.post or rule.get
    for persona in ("coach_of_a", "athlete_a", "admin", *PERSONAS):
        if expect.get(persona) in (ALLOWED, OK):
            return persona
    return None


POSTS = sorted(name for name, rule in RULES.items() if rule.post and _persona_for(rule))
PAGES = sorted(name for name, rule in RULES.items() if rule.get and not rule.post
               and _persona_for(rule))


def _client_of(world, persona: str) -> Client:
    client = Client()
    if world.people[persona] is not None:  # anonymous
        client.force_login(world.people[persona])
    return client


@st.composite
def bodies(draw, base: dict) -> list[tuple[str, str]]:
    names = list(base) + COMMON
    chosen = draw(st.lists(st.sampled_from(names), max_size=10))
    keep = draw(st.lists(st.sampled_from(list(base) or ["x"]), max_size=len(base)))
    pairs = [(name, str(base[name])) for name in keep if name in base]  # some kept as they were
    pairs += [(name, draw(junk)) for name in chosen]  # and junk, repeated names included
    return pairs


def _encode(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


FUZZ = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("name", POSTS)
def test_a_fuzzed_post_never_breaks_the_server(db, name):
    world = build_world()
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    client = _client_of(world, _persona_for(rule))
    base = rule.data(world)

    @FUZZ
    @given(pairs=bodies(base), htmx=st.booleans())
    def check(pairs, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        with transaction.atomic():
            before = _snapshot()
            response = client.post(url, _encode(pairs), headers=headers)
            assert response.status_code < 500, (name, pairs)
            if 400 <= response.status_code < 500:
                assert _snapshot() == before, f"{name} refused ({response.status_code}) " \
                                              f"but changed something: {pairs}"
            transaction.set_rollback(True)

    check()


@pytest.mark.parametrize("name", PAGES)
def test_a_page_with_a_made_up_query_string_never_breaks(db, name):
    world = build_world()
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    client = _client_of(world, _persona_for(rule))

    @FUZZ
    @given(pairs=st.lists(st.tuples(st.sampled_from(COMMON + ["page", "q", "details", "add"]),
                                    junk.filter(lambda v: len(v) < 2000)), max_size=4))
    def check(pairs):
        response = client.get(url, _encode(pairs))
        assert response.status_code < 500, (name, pairs)

    check()


@given(st.text(max_size=60))
def test_the_time_reader_only_ever_says_no_politely(text):
    """Whatever is typed into a split or a race time: a time, or a ValueError to show."""
    try:
        seconds = formats.parse_time(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert seconds >= 0
