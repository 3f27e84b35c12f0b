"""Security that is not about who reaches what (that is tests/test_access_matrix.py; login
lockouts are tests/test_accounts.py): password rules, cookies, response headers."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.password_validation import get_default_password_validators
from django.urls import reverse

from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def test_the_password_validators_are_on(db, client):
    names = {type(v).__name__ for v in get_default_password_validators()}
    assert {"UserAttributeSimilarityValidator", "MinimumLengthValidator",
            "CommonPasswordValidator", "NumericPasswordValidator"} <= names
    user = f.make_coach(username="carla")
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": f.PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert b"too common" in response.content or b"entirely numeric" in response.content


def test_cookies_are_secure_with_production_settings():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'coach.settings'; "
            "from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
            "s.AXES_ENABLED, s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS)")
    env = {"DEBUG": "false", "TESTING": "false", "SECRET_KEY": "x" * 60, "PATH": "/usr/bin"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True True True True 5 [['username', 'ip_address']]"


def _production_settings(*names: str, **env: str) -> list[str]:
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'coach.settings'; "
            "from django.conf import settings as s; "
            f"print(*(repr(getattr(s, n)) for n in {names!r}), sep='|')")
    env = {"DEBUG": "false", "TESTING": "false", "SECRET_KEY": "x" * 60, "PATH": "/usr/bin", **env}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().split("|")


def test_x_forwarded_proto_is_believed_only_behind_a_declared_proxy():
    """Anyone can send the header: without TRUSTED_PROXIES a plain-HTTP request saying
    `X-Forwarded-Proto: https` must not pass for a secure one (secure cookies, redirects)."""
    assert _production_settings("SECURE_PROXY_SSL_HEADER") == ["None"]
    assert _production_settings("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXIES="1") == [
        "('HTTP_X_FORWARDED_PROTO', 'https')"]


def test_hsts_preload_only_when_asked():
    assert _production_settings("SECURE_HSTS_PRELOAD", "SECURE_HSTS_SECONDS") == [
        "False", "31536000"]
    assert _production_settings("SECURE_HSTS_PRELOAD", SECURE_HSTS_PRELOAD="true") == ["True"]


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_are_sent_compressed_to_browsers_that_accept_it(db, client):
    """HTML goes out gzip-compressed (GZipMiddleware); a client that does not ask gets it plain."""
    plain = client.get("/accounts/login/", secure=True)
    packed = client.get("/accounts/login/", secure=True, headers={"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content).startswith(b"<!doctype html>")
    assert "Content-Encoding" not in plain and len(packed.content) < len(plain.content)
    assert int(packed["Content-Length"]) == len(packed.content)
    # padded at random against BREACH: a file name of 0-99 letters in the gzip header. The
    # name is read from the header, not from the response's size, which also varies with the
    # masked CSRF token (a range of sizes above 100 bytes happened on CI).
    names = [_gzip_file_name(client.get("/accounts/login/", secure=True,
                                        headers={"Accept-Encoding": "gzip"}).content)
             for _ in range(8)]
    assert all(set(name) <= {ord("a")} and len(name) < 100 for name in names)
    assert len({len(name) for name in names}) > 1


def _gzip_file_name(packed: bytes) -> bytes:
    assert packed[:3] == b"\x1f\x8b\x08" and packed[3] == gzip.FNAME
    return packed[10:packed.index(b"\x00", 10)]


def test_a_body_larger_than_the_page_takes_is_refused_unread(db, client):
    """The declared length is enough: the test client's body stream raises if anything reads
    past what was really sent, so a 413 here proves nothing tried to read the 50 MB."""
    user = f.make_coach(username="carla")
    client.force_login(user)
    response = client.generic("POST", reverse("password_change"), b"x=1",
                              content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH="50000000")
    assert response.status_code == 413
    assert "at most 1.0 MB, and 50.0 MB came" in response.content.decode()


def test_a_body_without_a_readable_length_is_refused(db, client):
    response = client.generic("POST", reverse("login"), b"x=1",
                              content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH="lots")
    assert response.status_code == 413


def test_an_upload_page_takes_its_own_limit_and_no_more(db, client):
    """The roster import takes a 1 MB CSV (and the form around it), not the default 1 MB of
    body, and refuses a bigger one before reading it: nothing about it reaches the form."""
    admin = f.make_user(username="admin", is_staff=True)
    client.force_login(admin)
    url = reverse("athletes:import")
    big = client.generic("POST", url, b"x=1", content_type="multipart/form-data; boundary=b",
                         CONTENT_LENGTH=str(1_200_000))
    assert big.status_code == 413 and "at most 1.1 MB" in big.content.decode()
    text = "name,email\n" + "Ivy Newcomer,ivy@example.org\n" * 30_000  # ~0.9 MB of rows
    fits = client.post(url, {"text": text})
    assert fits.status_code == 200


def test_a_database_that_is_down_gets_a_503_page_drawn_without_it(db, client, monkeypatch):
    """While PostgreSQL restarts, every request fails on its first query: the answer is a 503
    that says so (Retry-After), not a 500, and drawing it needs no database."""
    from django.db import OperationalError
    from django.test import Client

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    user = f.make_coach(username="carla")
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    monkeypatch.setattr("django.contrib.auth.get_user", lambda request: down())
    response = browser.get("/plan/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "The training database is not answering" in response.content.decode()


def test_any_other_failure_is_a_plain_500_page(db, monkeypatch):
    from django.test import Client

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.contrib.auth.get_user", broken)
    response = Client(raise_request_exception=False).get("/plan/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
