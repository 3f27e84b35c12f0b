"""The ground: settings, deploy checks, migrations, landing pages, admin changelists."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def test_no_model_change_is_missing_a_migration(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.parametrize("extra", [{}, {"SECURE_HSTS_PRELOAD": "true", "TRUSTED_PROXIES": "1"}])
def test_check_deploy_reports_nothing_with_production_settings(extra):
    env = {**extra,
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "TESTING": "false",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "coach.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://coach.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_a_missing_secret_key_in_production():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; "
         "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','coach.settings'); "
         "settings.INSTALLED_APPS"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("raw", ["maybe", "2"])
def test_env_bool_refuses_values_it_does_not_understand(monkeypatch, raw):
    from django.core.exceptions import ImproperlyConfigured

    from coach.settings import env_bool

    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", False)


def test_env_list_refuses_empty_items(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from coach.settings import env_list

    monkeypatch.setenv("HOSTS", "a.org,,b.org")
    with pytest.raises(ImproperlyConfigured):
        env_list("HOSTS", [])
    monkeypatch.setenv("HOSTS", "a.org, b.org")
    assert env_list("HOSTS", []) == ["a.org", "b.org"]


def test_database_url_selects_postgresql():
    from coach.settings import database_from_url

    db = database_from_url("postgres://u:p%40ss@db.example.org:5433/coach")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], str(db["PORT"]), db["NAME"]) == (
        "u", "p@ss", "db.example.org", "5433", "coach")
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
    assert db["OPTIONS"]["options"] == "-c jit=off"
    assert (db["OPTIONS"]["server_side_binding"], db["OPTIONS"]["prepare_threshold"]) == (
        True, 2)
    assert database_from_url(None)["ENGINE"] == "django.db.backends.sqlite3"


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    from coach.settings import database_from_url

    db = database_from_url("postgres://u@db.example.org/coach", prepared=False)
    assert db["OPTIONS"] == {"options": "-c jit=off"}  # Django's default: no prepared statements
    sqlite = database_from_url("sqlite:////tmp/scratch.sqlite3", prepared=True)
    assert "server_side_binding" not in sqlite.get("OPTIONS", {})


def test_database_url_selects_another_sqlite_file():
    from coach.settings import database_from_url

    db = database_from_url("sqlite:////tmp/scratch%20copy.sqlite3")
    assert (db["ENGINE"], str(db["NAME"])) == ("django.db.backends.sqlite3",
                                               "/tmp/scratch copy.sqlite3")
    assert database_from_url("sqlite:///scratch.sqlite3")["ENGINE"] == (
        "django.db.backends.sqlite3")


def test_database_url_refuses_unknown_schemes():
    from django.core.exceptions import ImproperlyConfigured

    from coach.settings import database_from_url

    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://root@localhost/coach")
    with pytest.raises(ImproperlyConfigured):
        database_from_url("nosuchdb://localhost/coach")


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


# --- landing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/plan/", "/today/", "/roster/", "/history/"])
def test_anonymous_users_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_coach_lands_on_the_planning_overview(coach_client):
    response = coach_client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("training:coach-home")
    assert b"Planning" in response.content


def test_an_athlete_lands_on_today(athlete_client):
    response = athlete_client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("training:today")
    assert b"<h1>Today</h1>" in response.content


def test_an_admin_lands_on_the_roster(admin_client_):
    response = admin_client_.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("athletes:roster")
    assert b"<h1>Roster</h1>" in response.content


def test_a_coach_who_also_races_lands_on_planning_and_can_open_today(client, db):
    user = f.make_coach(username="both")
    f.make_athlete(name="Both Ways", user=user)
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("training:coach-home")
    assert client.get(reverse("training:today")).status_code == 200


def test_an_account_without_a_role_is_told_what_to_do(client, db):
    client.force_login(f.make_user(username="nobody"))
    response = client.get("/", follow=True)
    assert b"Ask your club" in response.content


def test_login_form_logs_in_and_lands_home(client, coach):
    response = client.post(reverse("login"), {"username": "coach", "password": f.PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("training:coach-home")


def test_wrong_password_says_so_next_to_the_form(client, coach):
    response = client.post(reverse("login"), {"username": "coach", "password": "nope"})
    assert response.status_code == 200
    assert b"error-box" in response.content
    assert b'value="coach"' in response.content


def test_password_change_page_loads(coach_client):
    response = coach_client.get(reverse("password_change"))
    assert response.status_code == 200
    assert b"New password" in response.content


def test_logout_is_a_post(coach_client):
    assert coach_client.get(reverse("logout")).status_code == 405
    response = coach_client.post(reverse("logout"))
    assert response.status_code == 302


# --- admin ------------------------------------------------------------------------------------

def test_every_admin_changelist_loads_for_staff(admin_client_, athlete, coach):
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.make_session(block=block, notation="12x400 @ 64 (200 jog)")
    f.make_log(session=session, athlete=athlete, rpe=7)
    f.make_squad(name="Milers", coaches=(coach,))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client_.get(url)
        assert response.status_code == 200, url
        response = admin_client_.get(url, {"q": "a"}) if admin.site._registry[
            model].search_fields else response
        assert response.status_code == 200, url


def test_admin_change_pages_with_inlines_load(admin_client_, athlete, coach):
    block = f.make_block(coach=coach, athletes=(athlete,))
    for obj in (athlete, block, f.make_squad(coaches=(coach,))):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                      args=[obj.pk])
        assert admin_client_.get(url).status_code == 200, url


# --- /favicon.ico (the admin's pages name no icon, so browsers ask for it) -------------------

def test_favicon_ico_leads_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_admin_pages_get_an_icon_for_favicon_ico(admin_client_):
    page = admin_client_.get(reverse("admin:index"))
    assert page.status_code == 200
    assert b'rel="icon"' not in page.content  # the browser falls back to /favicon.ico
    assert admin_client_.get("/favicon.ico", follow=True).status_code == 200


# --- /sw.js (the log page's service worker, served from the root so it may control /) -------

def test_the_service_worker_is_served_from_the_site_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in response.content
    assert client.post("/sw.js").status_code == 405
