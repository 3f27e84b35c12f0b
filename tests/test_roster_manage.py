"""A roster row's manage forms, loaded when "Manage" is opened (``athletes:athlete-manage``):
the page draws each row without them (htmx fetches them once on opening; without JavaScript
the row links to a page of its own with the forms), an action's answer draws its row open."""

import re

import pytest
from django.urls import reverse

from athletes.views import ROSTER_PAGE
from tests import factories as f

ROSTER = reverse("athletes:roster")


def _manage(athlete) -> str:
    return reverse("athletes:athlete-manage", args=[athlete.pk])


@pytest.fixture
def milers(coach):
    return f.make_squad(name="Milers", coaches=(coach,))


def test_the_roster_rows_link_to_their_forms_instead_of_drawing_them(admin_client_, athlete,
                                                                     htmx):
    results = admin_client_.get(ROSTER, HTTP_HX_TARGET="athlete-results", **htmx)
    html = results.content.decode()
    assert "<form" not in html and "<select" not in html  # no row carries its forms
    url = _manage(athlete)
    assert (f'<details class="manage" hx-get="{url}" hx-trigger="roster-open" '
            'hx-target="find .manage-body" hx-swap="outerHTML">') in html
    assert (f'<div class="manage-body"><a href="{url}">Squad, coaches and account of '
            'Ada Miler</a></div>') in html


def test_opening_manage_loads_the_rows_forms(admin_client_, athlete, milers, other_coach,
                                             htmx):
    response = admin_client_.get(_manage(athlete), **htmx)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div class="manage-body">')
    assert "<html" not in html and "HX-Request" in response["Vary"]
    for form in ("athlete-move", "athlete-coach-add", "athlete-deactivate"):
        assert f'action="{reverse(f"athletes:{form}", args=[athlete.pk])}"' in html
    assert f'action="{reverse("athletes:person-link", args=[athlete.user_id])}"' in html
    assert f'<option value="{milers.pk}">Milers</option>' in html
    assert f'<option value="{other_coach.pk}">Otto Other</option>' in html  # on offer
    assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', html)


def test_an_athlete_who_left_gets_the_reactivate_form(admin_client_, athlete, htmx):
    athlete.user.is_active = False
    athlete.user.save()
    html = admin_client_.get(_manage(athlete), **htmx).content.decode()
    assert reverse("athletes:athlete-reactivate", args=[athlete.pk]) in html
    assert reverse("athletes:athlete-deactivate", args=[athlete.pk]) not in html


def test_without_javascript_the_link_opens_a_page_with_the_row_open(admin_client_, athlete):
    html = admin_client_.get(_manage(athlete)).content.decode()
    assert "<h1>Manage Ada Miler</h1>" in html
    assert f'href="{ROSTER}#athlete-row-{athlete.pk}">← Roster</a>' in html
    assert '<details class="manage" open>' in html
    assert f'action="{reverse("athletes:athlete-move", args=[athlete.pk])}"' in html


def test_without_javascript_an_action_on_the_manage_page_comes_back_to_it(admin_client_,
                                                                          athlete, milers,
                                                                          coach, htmx):
    """The row's own page sends ``next`` (its own path) with each action, so the admin lands
    there again with the note; the roster's forms (htmx) do not carry it."""
    url = _manage(athlete)
    page = admin_client_.get(url).content.decode()
    field = f'<input type="hidden" name="next" value="{url}">'
    assert page.count(field) == 3  # move, unassign, leave
    assert 'name="next"' not in admin_client_.get(url, **htmx).content.decode()
    move = reverse("athletes:athlete-move", args=[athlete.pk])
    response = admin_client_.post(move, {"squad": milers.pk, "next": url}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Ada Miler: Moved to Milers." in response.content.decode()
    remove = reverse("athletes:athlete-coach-remove", args=[athlete.pk, coach.pk])
    assert admin_client_.post(remove, {"next": url})["Location"] == url


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "/roster/",
                                  "/roster/athletes/999/manage/", ""])
def test_an_action_sent_with_another_next_goes_to_the_roster(admin_client_, athlete, milers,
                                                              back):
    move = reverse("athletes:athlete-move", args=[athlete.pk])
    response = admin_client_.post(move, {"squad": milers.pk, "next": back})
    assert response["Location"] == f"{ROSTER}#athlete-row-{athlete.pk}"


def test_an_actions_row_is_the_pages_row_with_the_loaded_forms_in_place(admin_client_,
                                                                        athlete, milers,
                                                                        htmx):
    """The row an action answers with (open, its forms drawn) is, byte for byte, the row the
    page draws with the fragment "Manage" loads swapped in (tokens blanked)."""
    def blank(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)

    athlete.squad = milers
    athlete.save()
    results = blank(admin_client_.get(ROSTER, HTTP_HX_TARGET="athlete-results",
                                      **htmx).content.decode())
    row = re.search(r'      <li class="roster-row" id="athlete-row-\d+">.*?</li>\n', results,
                    re.S).group(0)
    url = _manage(athlete)
    forms = blank(admin_client_.get(url, **htmx).content.decode())
    loaded = row.replace(
        f' hx-get="{url}" hx-trigger="roster-open" hx-target="find .manage-body" '
        'hx-swap="outerHTML">', " open>").replace(
        f'<div class="manage-body"><a href="{url}">Squad, coaches and account of '
        'Ada Miler</a></div>', forms)
    answer = blank(admin_client_.post(reverse("athletes:athlete-move", args=[athlete.pk]),
                                      {"squad": milers.pk}, **htmx).content.decode())
    assert answer.replace('<p class="note" role="status">Ada Miler: Moved to Milers.</p>',
                          "").strip() == loaded.strip()
    assert "<form" in loaded and "manage-body\"><a" not in loaded


def test_the_forms_query_count_does_not_grow_with_the_roster(
        admin_client_, athlete, htmx, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            coach = f.make_coach()
            squad = f.make_squad(coaches=(coach,))
            athlete.coaches.add(coach)
            f.make_athlete(squad=squad, coach=coach)

    grow(2)
    with django_assert_max_num_queries(8) as small:
        assert admin_client_.get(_manage(athlete), **htmx).status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = admin_client_.get(_manage(athlete), **htmx).content.decode()
    assert html.count('aria-label="Unassign') == 23  # its coach and the 22 added, all drawn


def test_the_roster_query_count_stays_with_the_forms_left_out(
        admin_client_, django_assert_max_num_queries):
    for _ in range(ROSTER_PAGE + 2):
        f.make_athlete(coach=f.make_coach())
    with django_assert_max_num_queries(11):
        html = admin_client_.get(ROSTER).content.decode()
    assert html.count('<details class="manage" hx-get=') == ROSTER_PAGE


# --- a squad card's athletes, loaded when "Show" is opened ---------------------------------------

def test_a_squad_card_counts_its_athletes_and_lists_them_when_opened(admin_client_, milers,
                                                                     htmx):
    ada = f.make_athlete(name="Ada <Miler>", squad=milers, main_event="5000")
    f.make_athlete(name="Bea Runner", squad=milers)
    gone = f.make_athlete(name="Gone Away", squad=milers)
    gone.user.is_active = False
    gone.user.save()
    empty = f.make_squad(name="Empty")
    html = admin_client_.get(ROSTER).content.decode()
    url = reverse("athletes:squad-athletes", args=[milers.pk])
    card = html[html.index(f'id="squad-card-{milers.pk}"'):html.index('id="athletes"')]
    assert "Ada" not in card and "Bea" not in card
    assert 'Athletes <span class="muted num">2</span>' in card
    assert (f'<details class="squad-athletes" hx-get="{url}" hx-trigger="roster-open" '
            'hx-target="find ul" hx-swap="outerHTML">') in card
    assert f'<a href="{ROSTER}?squad={milers.pk}#athletes">The athletes of Milers' in card
    other = html[html.index(f'id="squad-card-{empty.pk}"'):]
    assert other.index("No athletes yet.") < other.index("</article>")  # nothing to open
    listed = admin_client_.get(url, **htmx).content.decode()
    assert listed.startswith('<ul class="plain compact">') and "<html" not in listed
    assert (f'<li><a href="{ada.get_absolute_url()}">Ada &lt;Miler&gt;</a> '
            f'<span class="pill">{ada.get_main_event_display()}</span></li>') in listed
    assert "Bea Runner" in listed and "Gone Away" not in listed
    assert listed.index("Ada") < listed.index("Bea")  # by name


def test_without_javascript_a_cards_list_is_the_roster_filtered_by_the_squad(admin_client_,
                                                                            milers):
    response = admin_client_.get(reverse("athletes:squad-athletes", args=[milers.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{ROSTER}?squad={milers.pk}#athletes"


def test_a_cards_list_query_count_does_not_grow_with_the_squad(
        admin_client_, milers, htmx, django_assert_max_num_queries):
    url = reverse("athletes:squad-athletes", args=[milers.pk])
    f.make_athlete(squad=milers)
    with django_assert_max_num_queries(5) as small:
        admin_client_.get(url, **htmx)
    for _ in range(30):
        f.make_athlete(squad=milers)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = admin_client_.get(url, **htmx).content.decode()
    assert html.count("<li>") == 31
