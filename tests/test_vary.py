"""Every view that answers htmx differently says so with ``Vary: HX-Request``, so a cache
never serves the fragment for a full page (or the other way round)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import has_vary_header

from coach.access import htmx_view
from tests import factories as f


@pytest.fixture
def world(coach, athlete, block, admin_user):
    squad = f.make_squad(name="Milers")
    session = f.make_session(block=block)
    return {"coach": coach, "athlete": athlete, "block": block, "admin": admin_user,
            "squad": squad, "session": session}


# (who, method, url name, which object's pk)
VARYING = [
    ("admin", "get", "athletes:roster", None),
    ("admin", "get", "athletes:athlete-create", None),
    ("admin", "post", "athletes:squad-create", None),
    ("admin", "post", "athletes:athlete-move", "athlete"),
    ("admin", "post", "athletes:squad-coach-add", "squad"),
    ("admin", "post", "athletes:person-email", "athlete.user"),
    ("admin", "post", "athletes:import", None),
    ("coach", "get", "athletes:detail", "athlete"),
    ("coach", "post", "athletes:race-add", "athlete"),
    ("coach", "post", "athletes:pace-set", "athlete"),
    ("coach", "get", "training:block", "block"),
    ("coach", "post", "training:block-copy-week", "block"),
    ("coach", "post", "training:session-move", "session"),
    ("coach", "post", "training:session-copy", "session"),
    ("athlete", "post", "training:log", "session"),
    ("athlete", "post", "training:log-rep-add", "session"),
]


def _user(world, who):
    return world["athlete"].user if who == "athlete" else world[who]


def _url(world, name, obj):
    if obj is None:
        return reverse(name)
    if obj == "athlete.user":
        return reverse(name, args=[world["athlete"].user.pk])
    return reverse(name, args=[world[obj].pk])


@pytest.mark.parametrize("as_htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("who", "method", "name", "obj"), VARYING,
                         ids=[f"{m} {n}" for _, m, n, _ in VARYING])
def test_htmx_varying_views_say_vary_hx_request(client, world, htmx, who, method, name, obj,
                                                as_htmx):
    client.force_login(_user(world, who))
    response = getattr(client, method)(_url(world, name, obj), **(htmx if as_htmx else {}))
    assert response.status_code < 400, response.status_code
    assert has_vary_header(response, "HX-Request")


@pytest.mark.parametrize("as_htmx", [False, True], ids=["page", "htmx"])
def test_the_login_answer_varies_on_hx_request(client, athlete, htmx, as_htmx):
    """Signed out, htmx gets 401 and a page gets the login redirect: both say so."""
    response = client.post(reverse("athletes:race-add", args=[athlete.pk]),
                           **(htmx if as_htmx else {}))
    assert response.status_code == (401 if as_htmx else 302)
    assert has_vary_header(response, "HX-Request")


def test_roster_and_profile_also_vary_on_the_target(admin_client_, athlete):
    for url in (reverse("athletes:roster"), reverse("athletes:detail", args=[athlete.pk])):
        assert has_vary_header(admin_client_.get(url), "HX-Target")


def test_htmx_view_answers_its_methods_only_and_varies_on_htmx(rf):
    @htmx_view("POST")
    def saved(request):
        return HttpResponse("saved")

    @htmx_view("GET", "POST", vary=("HX-Request", "HX-Target"))
    def region(request):
        return HttpResponse("region")

    assert saved(rf.post("/")).content == b"saved"
    assert has_vary_header(saved(rf.post("/")), "HX-Request")
    refused = saved(rf.get("/"))
    assert refused.status_code == 405 and refused["Allow"] == "POST"
    assert has_vary_header(refused, "HX-Request")
    answer = region(rf.get("/"))
    assert answer.content == b"region"
    assert has_vary_header(answer, "HX-Request") and has_vary_header(answer, "HX-Target")
    assert region(rf.put("/")).status_code == 405
