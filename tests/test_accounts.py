"""Logging in and changing passwords: lockouts by account and address together, behind a proxy
or not; a success clears only its own failures; deactivated accounts (coach/accounts.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from athletes import actions
from coach.accounts import client_ip
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
LOCKED = 429


def _login(username: str, password: str, *, ip: str = "10.0.0.1", forwarded: str | None = None,
           client: Client | None = None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return (client or Client()).post(reverse("login"),
                                      {"username": username, "password": password}, **extra)


def _fail(username: str, times: int, **where) -> list[int]:
    return [_login(username, "wrong", **where).status_code for _ in range(times)]


@pytest.fixture
def carla(db):
    return f.make_coach(username="carla")


@pytest.fixture
def mallory(db):
    return f.make_coach(username="mallory")


# --- one account from one address ------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account_from_that_address(carla):
    assert _fail("carla", 5) == [200, 200, 200, 200, LOCKED]
    locked = _login("carla", f.PASSWORD)
    assert locked.status_code == LOCKED
    assert b"Too many attempts" in locked.content
    assert "_auth_user_id" not in Client().session


def test_the_locked_account_can_still_log_in_from_another_address(carla):
    _fail("carla", 5, ip="10.0.0.1")
    assert _login("carla", f.PASSWORD, ip="10.0.0.2").status_code == 302


def test_one_persons_failures_do_not_lock_the_others_on_the_same_wifi(carla, mallory):
    _fail("mallory", 5, ip="10.0.0.1")
    assert _login("carla", f.PASSWORD, ip="10.0.0.1").status_code == 302


def test_failures_spread_over_many_accounts_lock_none_of_them(carla):
    for n in range(10):
        _login(f"guess{n}", "wrong", ip="10.9.9.9")
    assert _login("carla", f.PASSWORD, ip="10.9.9.9").status_code == 302


# --- a success clears only its own failures ---------------------------------------------------

def test_logging_in_to_ones_own_account_does_not_clear_failures_against_another(carla, mallory):
    _fail("carla", 4)
    assert _login("mallory", f.PASSWORD).status_code == 302
    assert _fail("carla", 1) == [LOCKED]  # the fifth failure against carla, not the first


def test_a_success_clears_its_own_accounts_failures(carla):
    _fail("carla", 4)
    assert _login("carla", f.PASSWORD).status_code == 302
    assert _fail("carla", 4) == [200, 200, 200, 200]


# --- behind the proxy -------------------------------------------------------------------------

PROXY = "10.0.0.254"


def test_behind_the_proxy_each_client_is_locked_on_its_own(carla, mallory, settings):
    settings.TRUSTED_PROXIES = 1
    assert _fail("carla", 5, ip=PROXY, forwarded="203.0.113.7") == [200] * 4 + [LOCKED]
    assert _login("carla", f.PASSWORD, ip=PROXY, forwarded="203.0.113.7").status_code == LOCKED
    assert _login("carla", f.PASSWORD, ip=PROXY, forwarded="198.51.100.3").status_code == 302
    assert _login("mallory", f.PASSWORD, ip=PROXY, forwarded="203.0.113.7").status_code == 302


def test_behind_the_proxy_what_the_client_wrote_in_the_header_is_ignored(carla, settings):
    settings.TRUSTED_PROXIES = 1
    statuses = [_login("carla", "wrong", ip=PROXY,
                       forwarded=f"192.0.2.{n}, 203.0.113.7").status_code for n in range(5)]
    assert statuses == [200] * 4 + [LOCKED]


def test_without_trusted_proxies_the_header_cannot_dodge_the_lock(carla):
    statuses = [_login("carla", "wrong", ip="10.0.0.1", forwarded=f"192.0.2.{n}").status_code
                for n in range(5)]
    assert statuses == [200] * 4 + [LOCKED]


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "203.0.113.7", "10.0.0.1"),  # no proxies: the header is anyone's to write
    (1, "203.0.113.7", "203.0.113.7"),
    (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
    (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    (2, "203.0.113.7", "10.0.0.1"),  # shorter than the proxy chain: not through the proxies
    (1, "", "10.0.0.1"),
    (1, "not-an-address", "10.0.0.1"),
    (1, " 2001:db8::1 ", "2001:db8::1"),
])
def test_client_ip_reads_the_outermost_trusted_proxys_entry(settings, proxies, forwarded,
                                                            expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.parametrize("raw", ["-1", "one", "1.5"])
def test_trusted_proxies_refuses_what_is_not_a_count(monkeypatch, raw):
    from django.core.exceptions import ImproperlyConfigured

    from coach.settings import env_count

    monkeypatch.setenv("TRUSTED_PROXIES", raw)
    with pytest.raises(ImproperlyConfigured):
        env_count("TRUSTED_PROXIES", 0)


def test_trusted_proxies_comes_from_the_environment():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'coach.settings'; "
            "from django.conf import settings as s; print(s.TRUSTED_PROXIES)")
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "PATH": os.environ.get("PATH", ""),
           "TRUSTED_PROXIES": "2"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "2"


# --- the password change page -----------------------------------------------------------------

def _change(client: Client, old: str, *, ip: str = "10.0.0.1"):
    return client.post(reverse("password_change"), {
        "old_password": old, "new_password1": "a-new-long-secret-9", "new_password2":
        "a-new-long-secret-9"}, REMOTE_ADDR=ip)


def test_wrong_old_passwords_lock_the_password_change_page(carla):
    client = Client()
    client.force_login(carla)
    statuses = [_change(client, "wrong").status_code for _ in range(5)]
    assert statuses == [200] * 4 + [LOCKED]
    assert _change(client, f.PASSWORD).status_code == LOCKED
    carla.refresh_from_db()
    assert carla.check_password(f.PASSWORD)  # not changed while locked
    assert _login("carla", f.PASSWORD).status_code == LOCKED  # the same account and address


def test_a_wrong_old_password_says_so_and_the_right_one_changes_it(carla):
    client = Client()
    client.force_login(carla)
    response = _change(client, "wrong")
    assert b"Your old password was entered incorrectly" in response.content
    assert _change(client, f.PASSWORD).status_code == 302
    carla.refresh_from_db()
    assert carla.check_password("a-new-long-secret-9")


# --- deactivated accounts ---------------------------------------------------------------------

@pytest.fixture
def departed(db, coach):
    athlete = f.make_athlete(name="Dee Parted", coach=coach, user=f.make_user(username="dee"))
    actions.deactivate_athlete(athlete)
    return athlete


def test_a_deactivated_athlete_with_the_right_password_is_told_the_account_is_inactive(
        departed):
    client = Client()
    response = _login("dee", f.PASSWORD, client=client)
    assert response.status_code == 200
    assert b"This account has been deactivated" in response.content
    assert b"Please enter a correct username and password" not in response.content
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_for_a_deactivated_account_reveals_nothing(departed):
    response = _login("dee", "wrong")
    assert response.status_code == 200
    assert b"deactivated" not in response.content
    assert b"Please enter a correct username and password" in response.content


def test_a_locked_deactivated_account_gets_the_lockout_page_not_the_hint(departed):
    _fail("dee", 5)
    response = _login("dee", f.PASSWORD)
    assert response.status_code == LOCKED
    assert b"deactivated" not in response.content
