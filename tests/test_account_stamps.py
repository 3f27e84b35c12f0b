"""Accounts that left and came back: links and logins from before a deactivation (or before a
newer link) stop working, and an admin who is not a superuser cannot touch another admin's
account through the roster."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from athletes import actions
from athletes.models import Athlete
from tests import factories as f

pytestmark = pytest.mark.django_db


def _set_password(client: Client, path: str, password: str = "a-new-long-password-2026"):
    """Follow a set-password link and submit a new password; True when it was accepted."""
    landing = client.get(path, follow=True)
    if "new_password1" not in landing.content.decode():
        return False
    form_url = landing.redirect_chain[-1][0] if landing.redirect_chain else path
    done = client.post(form_url, {"new_password1": password, "new_password2": password})
    return done.status_code == 302 and done["Location"].endswith("/accounts/reset/done/")


def test_a_link_made_before_a_deactivation_does_not_work_after_reactivation(athlete):
    link = actions.set_password_path(athlete.user)
    actions.deactivate_athlete(Athlete.objects.get(pk=athlete.pk))
    actions.reactivate_athlete(Athlete.objects.get(pk=athlete.pk))
    assert not _set_password(Client(), link)
    assert _set_password(Client(), actions.set_password_path(athlete.user))


def test_a_new_link_revokes_the_one_before(athlete):
    old = actions.set_password_path(athlete.user)
    new = actions.set_password_path(athlete.user)
    assert not _set_password(Client(), old)
    assert _set_password(Client(), new)


def test_a_login_from_before_a_deactivation_does_not_come_back_with_the_reactivation(athlete):
    browser = Client()
    browser.force_login(athlete.user)
    assert browser.get("/today/").status_code == 200
    athlete.user.is_active = False  # the Django admin's road: a plain save
    athlete.user.save()
    athlete.user.is_active = True
    athlete.user.save()
    response = browser.get("/today/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    fresh = Client()
    fresh.force_login(athlete.user)
    assert fresh.get("/today/").status_code == 200


def test_logins_made_before_the_stamp_existed_still_work(athlete):
    """At stamp 0 the session hash is Django's own: deploying this logged nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    assert athlete.user.security_stamp == 0
    assert athlete.user.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(
        athlete.user)


@pytest.fixture
def staff_client(client):
    staff = f.make_user(username="deputy", is_staff=True)
    client.force_login(staff)
    return client


@pytest.fixture
def admin_athlete(coach):
    """An admin who also trains with the club."""
    user = f.make_user(username="alex", is_staff=True, first_name="Alex", last_name="Admin")
    return Athlete.objects.create(user=user, display_name="Alex Admin")


@pytest.mark.parametrize("action", ["athletes:athlete-deactivate", "athletes:athlete-reactivate"])
def test_a_staff_user_cannot_deactivate_or_reactivate_another_admin(staff_client, admin_athlete,
                                                                   action, htmx):
    if action.endswith("reactivate"):
        admin_athlete.user.is_active = False
        admin_athlete.user.save()
    before = admin_athlete.user.is_active
    response = staff_client.post(reverse(action, args=[admin_athlete.pk]), **htmx)
    assert "only a superuser can deactivate or reactivate it" in response.content.decode()
    admin_athlete.user.refresh_from_db()
    assert admin_athlete.user.is_active is before


def test_a_superuser_can_deactivate_an_admin_who_trains(admin_client_, admin_athlete, htmx):
    admin_client_.post(reverse("athletes:athlete-deactivate", args=[admin_athlete.pk]), **htmx)
    admin_athlete.user.refresh_from_db()
    assert not admin_athlete.user.is_active


def test_a_staff_user_cannot_attach_an_athlete_profile_to_an_admin(staff_client, htmx):
    f.make_user(username="boss@example.org", is_superuser=True, is_staff=True)
    response = staff_client.post(reverse("athletes:athlete-create"), {
        "athlete-name": "The Boss", "athlete-email": "boss@example.org"}, **htmx)
    assert "only a superuser can make it an athlete" in response.content.decode()
    assert not Athlete.objects.filter(display_name="The Boss").exists()


def test_nor_through_the_csv_import(staff_client):
    f.make_user(username="boss@example.org", is_staff=True)
    text = "name,email\nThe Boss,boss@example.org\nIvy Newcomer,ivy@example.org\n"
    html = staff_client.post(reverse("athletes:import"), {"text": text}).content.decode()
    assert "boss@example.org is an admin" in html
    assert not Athlete.objects.exists()


def test_in_the_django_admin_a_staff_user_cannot_change_a_superuser(client):
    from django.contrib.auth.models import Permission

    boss = f.make_user(username="boss", is_staff=True, is_superuser=True)
    deputy = f.make_user(username="deputy", is_staff=True)
    deputy.user_permissions.add(*Permission.objects.filter(codename__in=["change_user",
                                                                          "view_user"]))
    client.force_login(deputy)
    url = reverse("admin:athletes_user_change", args=[boss.pk])
    page = client.get(url).content.decode()
    assert 'name="is_active"' not in page  # read-only view
    client.post(url, {"username": "boss", "is_active": ""})
    boss.refresh_from_db()
    assert boss.is_active
