"""Names link to an athlete's profile only where the viewer may open it: an athlete sees the
teammates of a block but may open only their own profile (a link would answer 404)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories as f


@pytest.fixture
def block(block, coach):
    """The shared block (tests/conftest.py), with a teammate."""
    block.athletes.add(f.make_athlete(name="Tia Mate", coach=coach))
    return block


def _profile_links(html: str) -> list[str]:
    return re.findall(r'href="(/athletes/\d+/)"', html)


def test_an_athlete_sees_teammates_names_but_no_link_to_their_profiles(athlete, block):
    client = Client()
    client.force_login(athlete.user)
    html = client.get(block.get_absolute_url()).content.decode()
    assert "Tia Mate" in html
    assert not re.search(r"<a [^>]*>Tia Mate</a>", html)
    links = _profile_links(html)
    assert athlete.get_absolute_url() in links  # their own, in the block's list and the menu
    for url in set(links):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["coach", "admin_user"])
def test_the_coach_and_an_admin_get_a_link_for_every_athlete(request, block, who):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    html = client.get(block.get_absolute_url()).content.decode()
    assert re.search(r'<a href="/athletes/\d+/">Tia Mate</a>', html)
    assert re.search(r'<a href="/athletes/\d+/">Ada Miler</a>', html)
    for url in set(_profile_links(html)):
        assert client.get(url).status_code == 200, url


def test_a_block_coach_does_not_see_an_athlete_they_do_not_coach(block, other_coach):
    """Someone else's athlete left in the block (they moved squads) is neither named nor
    linked: the block's coach sees only whom they coach (see test_coach_change.py)."""
    stranger = f.make_athlete(name="Sol Stranger", coach=other_coach)
    block.athletes.add(stranger)
    client = Client()
    client.force_login(block.coach)
    html = client.get(block.get_absolute_url()).content.decode()
    assert "Ada Miler" in html
    assert "Sol Stranger" not in html
