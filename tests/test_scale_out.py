"""Several app servers against one database: no state that another instance needs lives on
local disk or in process memory. Two gunicorn instances share a login and a saved rep; the
settings choose the shared cache (Redis) and file storage (S3-compatible) from the environment
(README, "Scale out")."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from coach import settings as coach_settings
from sessions.models import RepResult
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == coach_settings.POSTGRESQL
TIMEOUT = 10  # seconds, for one request
STARTUP = 30  # seconds for an instance to answer (a busy CI machine)


# --- the settings -------------------------------------------------------------------------------

def test_the_cache_is_each_processs_memory_without_redis_url():
    assert coach_settings.cache_from_url(None) == {"BACKEND": coach_settings.LOCMEM_CACHE}
    assert coach_settings.cache_from_url("") == {"BACKEND": coach_settings.LOCMEM_CACHE}


def test_redis_url_selects_djangos_redis_cache(monkeypatch):
    monkeypatch.setattr(coach_settings, "installed", lambda module: module == "redis")
    assert coach_settings.cache_from_url("redis://cache.example.org:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example.org:6379/1"}
    assert coach_settings.cache_from_url("rediss://:pw@cache.example.org/0")["LOCATION"] == (
        "rediss://:pw@cache.example.org/0")


def test_redis_url_without_the_redis_package_stops_with_what_to_install(monkeypatch):
    monkeypatch.setattr(coach_settings, "installed", lambda module: False)
    with pytest.raises(ImproperlyConfigured, match=r"pip install redis"):
        coach_settings.cache_from_url("redis://127.0.0.1:6379/0")


def test_redis_url_refuses_other_schemes():
    with pytest.raises(ImproperlyConfigured, match="'memcached' is not supported"):
        coach_settings.cache_from_url("memcached://127.0.0.1:11211")


def test_the_running_settings_cache_and_sessions_are_the_shared_kinds():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    expected = (coach_settings.REDIS_CACHE if os.environ.get("REDIS_URL")
                else coach_settings.LOCMEM_CACHE)
    assert settings.CACHES["default"]["BACKEND"] == expected


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not coach_settings.installed("redis"), reason="the redis package is absent")
@pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_two_caches_on_one_redis_url_see_each_others_values():
    from django.core.cache.backends.redis import RedisCache

    config = coach_settings.cache_from_url("redis://127.0.0.1:6379/0")
    prefix = f"coach-test-{os.getpid()}-{time.monotonic_ns()}"
    one, other = (RedisCache(config["LOCATION"], {"KEY_PREFIX": prefix}) for _ in range(2))
    try:
        one.set("greeting", {"from": "instance A"}, timeout=30)
        assert other.get("greeting") == {"from": "instance A"}
    finally:
        one.delete("greeting")


def test_files_go_to_the_media_folder_by_default(tmp_path):
    assert coach_settings.file_storage({}, tmp_path) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path}}


def test_the_default_storage_writes_into_media_root(tmp_path, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES,
                         "default": coach_settings.file_storage({}, tmp_path)}
    storage = storages["default"]
    name = storage.save("imports/roster.csv", ContentFile(b"name,email\n"))
    assert (tmp_path / name).read_bytes() == b"name,email\n"


def test_s3_bucket_selects_s3_compatible_storage(monkeypatch, tmp_path):
    monkeypatch.setattr(coach_settings, "installed", lambda module: module == "storages")
    environ = {"S3_BUCKET": "club-files", "S3_ENDPOINT_URL": "https://s3.example.org",
               "S3_REGION": "eu-west-1", "S3_ACCESS_KEY_ID": "key", "S3_SECRET_ACCESS_KEY": "s"}
    assert coach_settings.file_storage(environ, tmp_path) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "club-files", "default_acl": None, "querystring_auth": True,
                    "file_overwrite": False, "endpoint_url": "https://s3.example.org",
                    "region_name": "eu-west-1", "access_key": "key", "secret_key": "s"}}
    # credentials may come from the environment boto3 reads instead
    assert coach_settings.file_storage({"S3_BUCKET": "b"}, tmp_path)["OPTIONS"] == {
        "bucket_name": "b", "default_acl": None, "querystring_auth": True,
        "file_overwrite": False}


def test_s3_bucket_without_django_storages_stops_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(coach_settings, "installed", lambda module: False)
    with pytest.raises(ImproperlyConfigured, match=r"django-storages\[s3\]"):
        coach_settings.file_storage({"S3_BUCKET": "club-files"}, tmp_path)


# --- two instances, one database ----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test runs on (pytest-django's, one per xdist worker)."""
    db = connection.settings_dict
    quote = urllib.parse.quote
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


def start_instance(port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "false", "TESTING": "true",
           "SECRET_KEY": settings.SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SETTINGS_MODULE": "coach.settings"}
    env.pop("REDIS_URL", None)  # each instance its own cache: nothing may depend on it
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "coach.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", str(STARTUP)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"instance on {port} exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"instance on {port} did not answer within {STARTUP} s:\n{log.read_text()}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies, sent to whichever instance is asked."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) without following redirects."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=TIMEOUT) as r:
                return r.status, r.headers.get("Location", ""), r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Location", ""), exc.read().decode()

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def row_form_action(page: str, position: int) -> str:
    form = re.search(rf'<form id="rep-row-{position}"[^>]*? action="([^"]+)"', page)
    return unescape(form.group(1))


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two app servers need one shared PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_instances_share_the_login_and_the_saved_rep(tmp_path, coach):
    athlete = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768))
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.planned(block, "4x400 @ T+ (200 jog)")
    ports = free_port(), free_port()
    logs = [tmp_path / f"instance-{port}.log" for port in ports]
    processes = []
    try:
        for port, log in zip(ports, logs, strict=True):
            processes.append(start_instance(port, log))
        for process, port, log in zip(processes, ports, logs, strict=True):
            wait_until_up(process, port, log)
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        ada = Browser()

        # log in through A
        login = reverse("login")
        status, _, page = ada.request(a + login)
        assert status == 200
        status, location, _ = ada.request(a + login, {
            "csrfmiddlewaretoken": csrf_token(page), "username": athlete.user.username,
            "password": f.PASSWORD})
        assert (status, location) == (302, reverse("home"))
        assert ada.cookie("sessionid")

        # B knows the session: the log form opens, with Ada's rows
        log_url = reverse("training:log", args=[session.pk])
        status, _, page = ada.request(b + log_url)
        assert status == 200, page[:500]
        assert 'name="time" id="rep-1-time"' in page

        # save the first rep through B, the way the page does without JavaScript
        action = row_form_action(page, 1)
        status, location, _ = ada.request(b + action, {
            "csrfmiddlewaretoken": csrf_token(page), "time": "69.5"})
        assert (status, location) == (302, f"{log_url}#rep-row-1")

        # A shows it, and it is in the database
        status, _, page = ada.request(a + log_url)
        assert status == 200
        rep = RepResult.objects.get(log__session=session, log__athlete=athlete, position=1)
        assert rep.actual_s == 69.5
        row = page[page.index('id="rep-row-1"'):]
        box = re.search(r'<input type="text" name="time"[^>]*>', row[:row.index("</form>")])
        assert 'value="69.5"' in box.group(0)

        # a stranger's cookies are logged in on neither
        status, location, _ = Browser().request(a + log_url)
        assert status == 302 and location.startswith(reverse("login"))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
