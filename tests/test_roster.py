"""Roster pages: squads, athletes, coaches, assignments, leaving and coming back, set-password
links. (CSV import and export: test_roster_csv.py. Who may open what: test_access_matrix.py.)"""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from athletes.models import Athlete, Squad, User
from athletes.views import ROSTER_PAGE
from tests import factories as f

ROSTER = reverse("athletes:roster")


@pytest.fixture
def milers(coach):
    return f.make_squad(name="Milers", coaches=(coach,))


def _can_log_in(client, username: str) -> bool:
    """Through the real login form (django-axes needs a request)."""
    response = client.post(reverse("login"), {"username": username, "password": f.PASSWORD})
    client.logout()
    return response.status_code == 302


def _link_in(html: str) -> str:
    match = re.search(r'value="(http://testserver/accounts/reset/[^"]+)"', html)
    assert match, "no set-password link in the page"
    return match.group(1)


# --- the roster page ---------------------------------------------------------------------------

def test_the_roster_shows_every_squad_with_its_coaches_and_athletes(admin_client_, athlete,
                                                                    milers, coach):
    athlete.squad = milers
    athlete.save()
    f.make_squad(name="Juniors")
    response = admin_client_.get(ROSTER)
    assert response.status_code == 200
    html = response.content.decode()
    card = html[html.index('id="squad-card-'):html.index('id="athletes"')]
    assert "Milers" in card and "Juniors" in card
    assert "Carla Coach" in card and "Ada Miler" not in card  # the athletes load when opened
    assert "No coach yet." in card
    athletes = admin_client_.get(reverse("athletes:squad-athletes", args=[milers.pk]),
                                 HTTP_HX_REQUEST="true").content.decode()
    assert f'<a href="{athlete.get_absolute_url()}">Ada Miler</a>' in athletes


def test_the_roster_page_has_no_duplicate_ids(admin_client_, athlete, milers, coach):
    athlete.squad = milers
    athlete.save()
    athlete.coaches.add(coach)
    f.make_athlete(name="Coach Too", user=coach)
    html = admin_client_.get(ROSTER).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_athletes_who_left_are_hidden_by_default_and_shown_marked_on_request(
        admin_client_, athlete, other_athlete):
    other_athlete.user.is_active = False
    other_athlete.user.save()
    default = admin_client_.get(ROSTER).content.decode()
    results = default[default.index('id="athlete-results"'):]
    assert "Ada Miler" in results and "Bea Other" not in results
    left = admin_client_.get(ROSTER, {"status": "inactive"}).content.decode()
    results = left[left.index('id="athlete-results"'):]
    assert "Bea Other" in results and "Ada Miler" not in results
    assert "is-inactive" in results and ">left</span>" in results
    everyone = admin_client_.get(ROSTER, {"status": "all"}).content.decode()
    assert "Ada Miler" in everyone and "Bea Other" in everyone


def test_a_squad_card_lists_only_active_athletes_and_counts_those_who_left(
        admin_client_, milers):
    f.make_athlete(name="Still Here", squad=milers)
    gone = f.make_athlete(name="Long Gone", squad=milers)
    gone.user.is_active = False
    gone.user.save()
    html = admin_client_.get(ROSTER).content.decode()
    card = html[html.index(f'id="squad-card-{milers.pk}"'):html.index('id="athletes"')]
    assert 'Athletes <span class="muted num">1</span>' in card
    assert "1 who left is not listed" in card
    listed = admin_client_.get(reverse("athletes:squad-athletes", args=[milers.pk]),
                               HTTP_HX_REQUEST="true").content.decode()
    assert "Still Here" in listed and "Long Gone" not in listed


def test_search_answers_htmx_with_the_results_fragment(admin_client_, athlete, other_athlete,
                                                       htmx):
    response = admin_client_.get(ROSTER, {"q": "bea"}, HTTP_HX_TARGET="athlete-results", **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="athlete-results">')
    assert "Bea Other" in html and "Ada Miler" not in html
    assert "1 athlete matches" in html
    assert "HX-Request" in response["Vary"]


def test_search_matches_every_word_in_name_or_email(admin_client_, athlete, other_athlete):
    html = admin_client_.get(ROSTER, {"q": "ada user"}).content.decode()
    results = html[html.index('id="athlete-results"'):]
    assert "Ada Miler" in results and "Bea Other" not in results


def test_filters_by_squad_coach_and_event(admin_client_, athlete, other_athlete, milers,
                                          coach, other_coach):
    squadded = f.make_athlete(name="Cal Squad", squad=milers, main_event="5k")

    def names(**params):
        html = admin_client_.get(ROSTER, params).content.decode()
        results = html[html.index('id="athlete-results"'):]
        return {n for n in ("Ada Miler", "Bea Other", "Cal Squad") if n in results}

    assert names(squad=milers.pk) == {"Cal Squad"}
    assert names(squad="none") == {"Ada Miler", "Bea Other"}
    assert names(coach=coach.pk) == {"Ada Miler", "Cal Squad"}  # directly and via the squad
    assert names(coach=other_coach.pk) == {"Bea Other"}
    assert names(event="5k") == {"Cal Squad"}
    assert squadded.pk


def test_a_filter_value_it_cannot_read_is_said_and_ignored(admin_client_, athlete):
    response = admin_client_.get(ROSTER, {"squad": "nope", "coach": "999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert "Ada Miler" in html[html.index('id="athlete-results"'):]


@pytest.mark.parametrize("region", ["squads", "athletes", "athlete-results", "coaches"])
def test_each_region_refreshes_alone_for_htmx(admin_client_, athlete, milers, htmx, region):
    response = admin_client_.get(ROSTER, HTTP_HX_TARGET=region, **htmx)
    html = response.content.decode().lstrip()
    assert response.status_code == 200
    assert "<html" not in html
    assert re.match(rf'<(section|div) id="{region}"', html)


def test_a_history_restore_gets_the_whole_page(admin_client_, htmx):
    response = admin_client_.get(ROSTER, HTTP_HX_TARGET="squads",
                                 HTTP_HX_HISTORY_RESTORE_REQUEST="true", **htmx)
    assert b"<html" in response.content


def test_the_roster_query_count_does_not_grow_with_the_roster(
        admin_client_, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            coach = f.make_coach()
            squad = f.make_squad(coaches=(coach,))
            f.make_athlete(squad=squad, coach=coach)
            f.make_athlete(coach=coach)

    grow(2)
    with django_assert_max_num_queries(11) as small:
        assert admin_client_.get(ROSTER).status_code == 200
    grow(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client_.get(ROSTER)
    assert response.content.decode().count('id="athlete-row-') == ROSTER_PAGE  # one page


def test_the_athlete_list_comes_a_page_at_a_time_and_keeps_its_filters(admin_client_, htmx):
    squad = f.make_squad(name="Big")
    for i in range(ROSTER_PAGE + 3):
        f.make_athlete(name=f"Runner {i:02}", squad=squad)
    f.make_athlete(name="Elsewhere")
    first = admin_client_.get(ROSTER, {"squad": squad.pk}).content.decode()
    assert first.count('id="athlete-row-') == ROSTER_PAGE
    assert f"{ROSTER_PAGE + 3} athletes match" in first and "Page 1 of 2" in first
    assert f"?squad={squad.pk}&amp;page=2" in first  # the next page keeps the filter
    second = admin_client_.get(ROSTER, {"squad": squad.pk, "page": 2},
                               HTTP_HX_TARGET="athlete-results", **htmx).content.decode()
    assert second.lstrip().startswith('<div id="athlete-results">')
    assert second.count('id="athlete-row-') == 3 and "Runner 27" in second
    assert "Elsewhere" not in second and "Previous" in second
    past_the_end = admin_client_.get(ROSTER, {"squad": squad.pk, "page": 99}).content.decode()
    assert "Page 2 of 2" in past_the_end


# --- adding an athlete -------------------------------------------------------------------------

def test_adding_an_athlete_makes_an_account_without_a_password_and_shows_a_link(
        admin_client_, milers, coach, other_coach):
    response = admin_client_.post(reverse("athletes:athlete-create"), {
        "athlete-name": "  Ivy   Newcomer ", "athlete-email": "Ivy@Example.org",
        "athlete-main_event": "5k", "athlete-squad": milers.pk,
        "athlete-coaches": [other_coach.pk],
    })
    assert response.status_code == 200
    athlete = Athlete.objects.get(display_name="Ivy Newcomer")
    assert (athlete.main_event, athlete.squad, list(athlete.coaches.all())) == (
        "5k", milers, [other_coach])
    user = athlete.user
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "ivy@example.org", "ivy@example.org", "Ivy", "Newcomer")
    assert not user.has_usable_password()
    assert "Ivy Newcomer is on the roster." in response.content.decode()
    assert _link_in(response.content.decode())


def test_the_set_password_link_works_once_and_enforces_the_password_rules(
        admin_client_, client):
    response = admin_client_.post(reverse("athletes:athlete-create"),
                                  {"athlete-name": "Ivy Newcomer",
                                   "athlete-email": "ivy@example.org"})
    link = _link_in(response.content.decode())
    admin_client_.logout()
    landing = client.get(link)
    assert landing.status_code == 302  # Django moves the token into the session
    form_url = landing["Location"]
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200
    assert b"too common" in weak.content
    done = client.post(form_url, {"new_password1": f.PASSWORD, "new_password2": f.PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    assert _can_log_in(client, "ivy@example.org")
    again = client.get(link, follow=True)
    assert b"has been used already" in again.content


def test_adding_an_athlete_with_htmx_answers_with_the_form_and_refreshes_the_roster(
        admin_client_, htmx):
    response = admin_client_.post(reverse("athletes:athlete-create"),
                                  {"athlete-name": "Ivy Newcomer",
                                   "athlete-email": "ivy@example.org"}, **htmx)
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="athlete-form"')
    assert "roster-changed" in response["HX-Trigger"]
    assert _link_in(html)
    assert 'name="athlete-name" value' not in html  # a fresh form for the next person


def test_adding_an_athlete_with_bad_input_keeps_what_was_typed_and_says_why(
        admin_client_, htmx):
    response = admin_client_.post(reverse("athletes:athlete-create"),
                                  {"athlete-name": "Ivy Newcomer",
                                   "athlete-email": "not-an-email",
                                   "athlete-main_event": "5k"}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert 'value="Ivy Newcomer"' in html and 'value="not-an-email"' in html
    email_field = html[html.index('id="field-athlete-email"'):
                       html.index('id="field-athlete-main_event"')]
    assert "Enter a valid email address." in email_field
    assert not Athlete.objects.filter(display_name="Ivy Newcomer").exists()


def test_an_email_already_on_the_roster_is_refused(admin_client_, athlete):
    response = admin_client_.post(reverse("athletes:athlete-create"),
                                  {"athlete-name": "Ada Again",
                                   "athlete-email": athlete.user.email.upper()})
    assert "Ada Miler already has this email on the roster." in response.content.decode()
    assert Athlete.objects.count() == 1


def test_a_coachs_email_gives_the_coach_an_athlete_profile_and_no_link(admin_client_, coach):
    response = admin_client_.post(reverse("athletes:athlete-create"),
                                  {"athlete-name": "Carla Racing", "athlete-email": coach.email})
    assert Athlete.objects.get(user=coach).display_name == "Carla Racing"
    assert "/accounts/reset/" not in response.content.decode()
    coach.refresh_from_db()
    assert coach.has_usable_password()


def test_only_active_coaches_can_be_chosen(admin_client_, coach):
    plain = f.make_user(username="plain")
    response = admin_client_.post(reverse("athletes:athlete-create"), {
        "athlete-name": "Ivy Newcomer", "athlete-email": "ivy@example.org",
        "athlete-coaches": [plain.pk]})
    assert "Select a valid choice" in response.content.decode()
    assert not Athlete.objects.filter(display_name="Ivy Newcomer").exists()


def test_the_add_athlete_page_works_without_javascript(admin_client_):
    response = admin_client_.get(reverse("athletes:athlete-create"))
    assert response.status_code == 200
    assert b"<h1>Add an athlete</h1>" in response.content


# --- adding a coach and a squad -----------------------------------------------------------------

def test_adding_a_coach_makes_an_account_with_a_link(admin_client_, htmx):
    response = admin_client_.post(reverse("athletes:coach-create"),
                                  {"coach-name": "Nia New", "coach-email": "nia@example.org"},
                                  **htmx)
    coach = User.objects.get(username="nia@example.org")
    assert coach.is_coach and not coach.has_usable_password()
    assert _link_in(response.content.decode())
    assert "roster-changed" in response["HX-Trigger"]


def test_an_athletes_email_makes_them_a_coach_too(admin_client_, athlete):
    admin_client_.post(reverse("athletes:coach-create"),
                       {"coach-name": "Ada Miler", "coach-email": athlete.user.email})
    athlete.user.refresh_from_db()
    assert athlete.user.is_coach and athlete.user.has_usable_password()


def test_a_coach_cannot_be_added_twice(admin_client_, coach):
    response = admin_client_.post(reverse("athletes:coach-create"),
                                  {"coach-name": "Carla", "coach-email": coach.email})
    assert "Carla Coach is already a coach." in response.content.decode()


def test_creating_a_squad_without_javascript_redirects_to_its_card(admin_client_):
    response = admin_client_.post(reverse("athletes:squad-create"),
                                  {"squad-name": " Hill  Squad "})
    squad = Squad.objects.get(name="Hill Squad")
    assert response["Location"] == f"{ROSTER}#squad-card-{squad.pk}"


def test_creating_a_squad_with_htmx_refreshes_the_roster(admin_client_, htmx):
    response = admin_client_.post(reverse("athletes:squad-create"), {"squad-name": "Hills"},
                                  **htmx)
    assert "roster-changed" in response["HX-Trigger"]
    assert "Squad Hills created." in response.content.decode()


def test_a_squad_name_is_unique_whatever_the_case(admin_client_, milers, htmx):
    response = admin_client_.post(reverse("athletes:squad-create"), {"squad-name": "MILERS"},
                                  **htmx)
    assert "There is a squad called MILERS already." in response.content.decode()
    assert Squad.objects.count() == 1


# --- moving and assigning -----------------------------------------------------------------------

def test_moving_an_athlete_answers_with_their_row_and_refreshes_the_squads(
        admin_client_, athlete, milers, htmx):
    url = reverse("athletes:athlete-move", args=[athlete.pk])
    response = admin_client_.post(url, {"squad": milers.pk}, **htmx)
    html = response.content.decode()
    athlete.refresh_from_db()
    assert athlete.squad == milers
    assert html.lstrip().startswith(f'<li class="roster-row" id="athlete-row-{athlete.pk}"')
    assert "Moved to Milers." in html and "<details class=\"manage\" open>" in html
    assert "squads-changed" in response["HX-Trigger"]
    admin_client_.post(url, {"squad": ""}, **htmx)
    athlete.refresh_from_db()
    assert athlete.squad is None


def test_moving_to_a_squad_that_does_not_exist_changes_nothing(admin_client_, athlete, milers,
                                                               htmx):
    athlete.squad = milers
    athlete.save()
    response = admin_client_.post(reverse("athletes:athlete-move", args=[athlete.pk]),
                                  {"squad": 9999}, **htmx)
    assert response.status_code == 200
    assert "Choose a squad from the list." in response.content.decode()
    assert "HX-Trigger" not in response
    athlete.refresh_from_db()
    assert athlete.squad == milers


def test_without_javascript_an_action_redirects_back_with_a_message(admin_client_, athlete,
                                                                     milers):
    response = admin_client_.post(reverse("athletes:athlete-move", args=[athlete.pk]),
                                  {"squad": milers.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"{ROSTER}#athlete-row-{athlete.pk}"
    assert "Ada Miler: Moved to Milers." in response.content.decode()


def test_assigning_and_unassigning_a_coach_to_an_athlete(admin_client_, athlete, other_coach,
                                                         htmx):
    add = reverse("athletes:athlete-coach-add", args=[athlete.pk])
    response = admin_client_.post(add, {"coach": other_coach.pk}, **htmx)
    assert "Otto Other coaches Ada Miler now." in response.content.decode()
    assert other_coach in athlete.coaches.all()
    assert Athlete.objects.for_coach(other_coach).filter(pk=athlete.pk).exists()
    remove = reverse("athletes:athlete-coach-remove", args=[athlete.pk, other_coach.pk])
    response = admin_client_.post(remove, **htmx)
    assert "no longer coaches Ada Miler directly" in response.content.decode()
    assert not Athlete.objects.for_coach(other_coach).filter(pk=athlete.pk).exists()
    assert admin_client_.post(remove, **htmx).status_code == 404  # not assigned any more


def test_an_inactive_coach_cannot_be_assigned(admin_client_, athlete, other_coach, htmx):
    other_coach.is_active = False
    other_coach.save()
    response = admin_client_.post(reverse("athletes:athlete-coach-add", args=[athlete.pk]),
                                  {"coach": other_coach.pk}, **htmx)
    assert "Choose a coach from the list." in response.content.decode()
    assert other_coach not in athlete.coaches.all()


def test_assigning_a_coach_to_a_squad_lets_them_see_its_athletes(admin_client_, milers,
                                                                 other_coach, htmx):
    member = f.make_athlete(name="Sam Squad", squad=milers)
    url = reverse("athletes:squad-coach-add", args=[milers.pk])
    response = admin_client_.post(url, {"coach": other_coach.pk}, **htmx)
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<article class="card squad-card" id="squad-card-{milers.pk}"')
    assert "athletes-changed" in response["HX-Trigger"]
    assert member in Athlete.objects.for_coach(other_coach)
    remove = reverse("athletes:squad-coach-remove", args=[milers.pk, other_coach.pk])
    admin_client_.post(remove, **htmx)
    assert member not in Athlete.objects.for_coach(other_coach)


def test_a_squad_coach_form_with_no_coach_says_so(admin_client_, milers, htmx):
    response = admin_client_.post(reverse("athletes:squad-coach-add", args=[milers.pk]),
                                  {"coach": ""}, **htmx)
    assert "Choose a coach from the list." in response.content.decode()


# --- leaving and coming back ------------------------------------------------------------------

def test_an_athlete_who_leaves_cannot_log_in_and_keeps_their_history(
        admin_client_, athlete, coach, htmx):
    block = f.make_block(coach=coach, athletes=(athlete,))
    log = f.make_log(session=f.make_session(block=block), athlete=athlete)
    response = admin_client_.post(reverse("athletes:athlete-deactivate", args=[athlete.pk]),
                                  **htmx)
    assert "has left; their history is kept" in response.content.decode()
    athlete.refresh_from_db()
    athlete.user.refresh_from_db()
    assert not athlete.user.is_active
    assert athlete.logs.get() == log
    assert athlete not in Athlete.objects.for_coach(coach).active()
    assert not _can_log_in(Client(), athlete.user.username)


def test_an_athlete_who_leaves_is_signed_out_everywhere(admin_user, athlete):
    client = Client()
    client.force_login(athlete.user)
    admin = Client()
    admin.force_login(admin_user)
    admin.post(reverse("athletes:athlete-deactivate", args=[athlete.pk]))
    assert SESSION_KEY in client.session  # the session exists, but it no longer counts
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_an_athlete_who_left_drops_out_of_their_coachs_home(admin_client_, athlete, coach):
    admin_client_.post(reverse("athletes:athlete-deactivate", args=[athlete.pk]))
    coach_client = Client()
    coach_client.force_login(coach)
    html = coach_client.get(reverse("training:coach-home")).content.decode()
    assert "Ada Miler" not in html


def test_an_admin_cannot_deactivate_their_own_account(admin_client_, admin_user, htmx):
    me = f.make_athlete(name="Admin Runner", user=admin_user)
    response = admin_client_.post(reverse("athletes:athlete-deactivate", args=[me.pk]), **htmx)
    assert "You cannot deactivate your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_admin_can_reactivate_an_athlete(admin_client_, athlete, htmx):
    athlete.user.is_active = False
    athlete.user.save()
    response = admin_client_.post(reverse("athletes:athlete-reactivate", args=[athlete.pk]),
                                  **htmx)
    assert "Ada Miler is back." in response.content.decode()
    athlete.user.refresh_from_db()
    assert athlete.user.is_active
    assert _can_log_in(Client(), athlete.user.username)


# --- set-password links ---------------------------------------------------------------------------

def test_an_admin_can_make_a_new_link_for_an_athlete(admin_client_, athlete, htmx):
    response = admin_client_.post(reverse("athletes:person-link", args=[athlete.user.pk]),
                                  {"place": "athlete"}, **htmx)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="invite" id="invite-athlete-{athlete.user.pk}"')
    assert "replaces their current password" in html
    assert _link_in(html)


def test_a_link_can_be_emailed_through_the_email_backend(admin_client_, athlete, client):
    response = admin_client_.post(reverse("athletes:person-email", args=[athlete.user.pk]))
    assert response.status_code == 200
    assert f"Emailed a set-password link to {athlete.user.email}" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [athlete.user.email]
    assert f"Your username is: {athlete.user.username}" in message.body
    link = re.search(r"http://testserver/accounts/reset/\S+", message.body).group(0)
    assert client.get(link).status_code == 302


@pytest.mark.parametrize("who", ["admin", "inactive", "nobody"])
def test_no_link_for_admins_people_who_left_or_people_without_a_role(admin_client_, who,
                                                                    athlete):
    person = {
        "admin": lambda: f.make_user(is_staff=True, is_coach=True),
        "inactive": lambda: f.make_coach(is_active=False),
        "nobody": lambda: f.make_user(),
    }[who]()
    for name in ("athletes:person-link", "athletes:person-email"):
        assert admin_client_.post(reverse(name, args=[person.pk])).status_code == 404
    assert not mail.outbox


def test_a_person_without_an_email_is_told_so(admin_client_):
    person = User.objects.create_user(username="noemail", is_coach=True)
    response = admin_client_.post(reverse("athletes:person-email", args=[person.pk]))
    assert "has no email address" in response.content.decode()
    assert not mail.outbox


def test_the_roster_escapes_what_people_typed(admin_client_, htmx):
    """Squad cards and athlete rows are Jinja2 fragments (autoescape on): hostile names are
    text on the page and in the row an action answers with."""
    hostile = '<script>alert("x")</script> & \'quoted\''
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39;"
    coach = f.make_coach(first_name=f"<i>{hostile}", last_name="Coach")
    squad = f.make_squad(name=f"<u>{hostile}", coaches=(coach,))
    athlete = f.make_athlete(name=f"<b>{hostile}", squad=squad, coach=coach)
    html = admin_client_.get(ROSTER).content.decode()
    assert "<script>alert" not in html
    assert f'<h3 id="squad-{squad.pk}-h">&lt;u&gt;{escaped}</h3>' in html
    assert f'account of &lt;b&gt;{escaped}</a>' in html  # the manage forms' link
    forms = admin_client_.get(reverse("athletes:athlete-manage", args=[athlete.pk]),
                              **htmx).content.decode()  # the forms, loaded when opened
    assert "<script>alert" not in forms
    assert f'data-confirm="&lt;b&gt;{escaped} leaves:' in forms
    assert f'aria-label="Unassign &lt;i&gt;{escaped} Coach from &lt;b&gt;{escaped}"' in forms
    row = admin_client_.post(reverse("athletes:athlete-move", args=[athlete.pk]),
                             {"squad": ""}, **htmx).content.decode()
    assert "<script>alert" not in row and f">&lt;b&gt;{escaped}</a>" in row


# --- the fragments' rows: written in Python, as the templates wrote them ------------------------

def test_the_rows_lists_and_the_cards_athletes_are_what_the_templates_and_prefetch_gave(
        coach, other_coach, db):
    from django.db.models import Prefetch
    from django.template import engines

    from athletes import roster_rows
    from athletes.models import Event
    from athletes.views import _offer_coaches, _squads

    odd = f.make_squad(name="Odd <'\"&> squad", coaches=(coach,))
    plain = f.make_squad(name="Plain")
    moved = f.make_athlete(name="Mo <Moved>", squad=odd, main_event="5000")
    f.make_athlete(name="Ann 'Quote'", squad=odd, main_event="")
    gone = f.make_athlete(name="Gone Away", squad=odd)
    gone.user.is_active = False
    gone.user.save()
    alone = f.make_athlete(name="Al Alone", main_event="800")
    alone.coaches.add(other_coach)
    coaches = [coach, other_coach, f.make_coach(first_name="Zed", last_name="O'Hara <z>")]
    choices = [roster_rows.Choice(s.pk, s.name) for s in (odd, plain)]
    # the lists as athlete_rows.html wrote them with Jinja2 loops
    loops = engines["jinja2"].env.from_string(
        '{% for s in squads %}<option value="{{ s.pk }}"{% if s.pk == athlete.squad_id %}'
        ' selected{% endif %}>{{ s.name }}</option>{% endfor %}|'
        '{% for c in athlete.available %}<option value="{{ c.pk }}">{{ c.name }}</option>'
        '{% endfor %}')
    athletes = list(Athlete.objects.select_related("user", "squad")
                    .prefetch_related("coaches", "squad__coaches").order_by("pk"))
    for a in athletes:
        _offer_coaches(a, coaches)
    rows = roster_rows.athlete_rows(athletes, choices)
    assert len(rows) == 4
    for athlete, row in zip(athletes, rows, strict=True):
        assert f"{row.squad_options}|{row.coach_options}" == loops.render(
            squads=choices, athlete=row)
        assert row.event == (athlete.get_main_event_display() if athlete.main_event else "")
    assert "&lt;&#39;&#34;&amp;&gt;" in rows[0].squad_options  # escaped as markupsafe does
    for value, _label in Event.choices:
        assert roster_rows.event_labels()[value] == str(
            Athlete(main_event=value).get_main_event_display())
    # the cards' athletes: what the squads' prefetch of active athletes by name gave
    squads = list(_squads(f.make_user(is_staff=True)).prefetch_related(Prefetch(
        "athletes", queryset=Athlete.objects.active().order_by("display_name"))))
    read = roster_rows.squad_athletes([s.pk for s in squads])
    assert [(s.pk, [(a.name, a.url, a.event) for a in read[s.pk]]) for s in squads] == [
        (s.pk, [(a.display_name, a.get_absolute_url(),
                 a.get_main_event_display() if a.main_event else "")
                for a in s.athletes.all()]) for s in squads]
    assert [a.name for a in read[odd.pk]] == ["Ann 'Quote'", "Mo <Moved>"]
    assert moved.pk and read[plain.pk] == [] and len(squads) == 2


def test_the_unfiltered_list_and_the_squads_read_as_the_querysets_do(coach, other_coach, db):
    """The admin's reads compiled once (athletes.views: ``_ActiveAthletes``, ``_squad_list``,
    ``_coaches``) against the querysets they stand for, prefetches included."""
    from athletes.forms import RosterFilterForm, coaches_for
    from athletes.views import _ActiveAthletes, _athletes, _coaches, _squad_list, _squads

    admin = f.make_user(is_staff=True)
    squad = f.make_squad(name="Both", coaches=(coach, other_coach))
    f.make_squad(name="None")
    for i in range(7):
        a = f.make_athlete(name=f"Runner {7 - i}", squad=squad if i % 2 else None)
        if i % 3:
            a.coaches.add(coach if i % 2 else other_coach)
    gone = f.make_athlete(name="Gone")
    gone.user.is_active = False
    gone.user.save()
    form = RosterFilterForm({}, squads=[], coaches=[])
    assert not form.is_filtered
    expected = form.filter(_athletes(admin, squads=False), coaches=[])
    fast = _ActiveAthletes()
    assert fast.count() == expected.count() == 7
    for part in (slice(0, 3), slice(3, 6), slice(6, 7)):
        got, want = fast[part], list(expected[part])
        assert [a.pk for a in got] == [a.pk for a in want]
        assert [[c.pk for c in a.coaches.all()] for a in got] == [
            [c.pk for c in a.coaches.all()] for a in want]
        assert [a.user.email for a in got] == [a.user.email for a in want]
    squads = _squad_list(admin)
    assert [(s.pk, s.left, [c.pk for c in s.coaches.all()]) for s in squads] == [
        (s.pk, s.left, [c.pk for c in s.coaches.all()]) for s in _squads(admin)]
    assert [c.pk for c in _coaches(admin)] == [c.pk for c in coaches_for(admin)]


def test_the_coaches_fragment_writes_what_the_django_loop_wrote(coach, other_coach, db):
    from pathlib import Path

    from django.template import engines

    from athletes import roster_rows

    staff = f.make_coach(first_name="Stef", last_name="O'Staff <s>")
    staff.is_staff = True
    staff.save()
    coaches = [coach, other_coach, staff]
    for c, names, count in zip(coaches, (["A <&> 'b'", "Zed"], [], ["One"]), (1, 0, 12),
                               strict=True):
        c.squad_names, c.athlete_count = names, count
    old = (Path(__file__).parent / "old_templates" / "coach_rows.html").read_text()
    django = engines["django"].from_string(old)
    for shown in (coaches, []):
        want = django.render({"coaches": shown, "csrf_token": "tok"})
        got = roster_rows.render("coach_rows.html", coaches=roster_rows.coach_rows(shown),
                                 csrf_token="tok")
        assert "  " + got + "\n" == want
        assert ("O&#x27;Staff &lt;s&gt;" in got) == bool(shown)


def test_the_coaches_read_ahead_are_taken_without_a_query_or_a_manager(
        coach, other_coach, django_assert_num_queries):
    """``roster_rows.coaches_of``: the queryset ``coaches.all()`` gives when the coaches were
    prefetched (or kept by ``views._keep_coaches``), the same object; else the query."""
    from athletes import roster_rows
    from athletes.views import _keep_coaches

    squad = f.make_squad(name="Both", coaches=(coach, other_coach))
    athlete = f.make_athlete(name="Runner", squad=squad, coach=other_coach)
    fresh = Athlete.objects.get(pk=athlete.pk)
    with django_assert_num_queries(1):  # not read ahead: the relation's query
        assert list(roster_rows.coaches_of(fresh)) == [other_coach]
    for item, expected in ((Athlete.objects.prefetch_related("coaches").get(pk=athlete.pk),
                            [other_coach]),
                           (Squad.objects.prefetch_related("coaches").get(pk=squad.pk),
                            list(squad.coaches.all()))):
        with django_assert_num_queries(0):
            kept = roster_rows.coaches_of(item)
            assert kept is item.coaches.all() and list(kept) == expected
    kept_by_page = [Athlete.objects.get(pk=athlete.pk)]
    _keep_coaches(kept_by_page, Athlete.coaches.through, "athlete_id")
    with django_assert_num_queries(0):
        assert roster_rows.coaches_of(kept_by_page[0]) is kept_by_page[0].coaches.all()
        assert list(roster_rows.coaches_of(kept_by_page[0])) == [other_coach]
