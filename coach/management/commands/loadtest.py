"""``manage.py loadtest``: athletes saving reps at once against gunicorn and PostgreSQL, with
faults on demand, then a count of what was acknowledged against what is stored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coach_load \\
        .venv/bin/python manage.py loadtest --athletes 30 --seconds 60 \\
        --kill-worker-at 20 --restart-db-at 35

What it does (docs/load-testing.md):
1. Makes its own club in the database (accounts ``load-…``, replaced on each run): a coach, a
   squad of ``--athletes``, and a session today of ``--reps`` x 200 m planned for all of them.
2. Starts gunicorn (``--workers``, default 2) on loopback with production settings.
3. Each athlete, in a thread, logs in and saves reps one after another as the log form's
   outbox does: a fresh client id (``cid``) per value, sent again with the same id until the
   server acknowledges it (a ``200`` row showing the value) or the time is up.
4. Faults, if asked: ``--kill-worker-at S`` kills one gunicorn worker with SIGKILL at second S
   (the master starts another); ``--restart-db-at S`` restarts PostgreSQL at second S
   (``--db-restart-command``, default ``pg_ctlcluster … main restart``: root, on this
   machine's kind of Debian cluster).
5. Checks: every acknowledged save has its receipt and its value is what the rep holds (or a
   later value of the same rep that was sent but whose answer was lost); no 5xx answers other
   than ``503`` while the database was down. Prints the figures; exits 1 if a check failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils import timezone

from athletes.models import Athlete, Squad, User
from coach.management.commands.loadbench import children
from sessions.models import Block, RepResult, SaveReceipt, Session, SessionLog
from sessions.planning import plan_session

ROOT = Path(settings.BASE_DIR)
PREFIX = "load-"
TIMEOUT = 10  # seconds for one request


@dataclasses.dataclass
class Tally:
    """What one athlete's thread saw."""

    name: str
    answers: Counter = dataclasses.field(default_factory=Counter)  # status -> count
    errors: int = 0  # no answer (connection refused or reset, timeout)
    acked: list[tuple[str, int, float]] = dataclasses.field(default_factory=list)
    sent: dict[int, list[float]] = dataclasses.field(default_factory=dict)  # position -> values
    late_5xx: list[float] = dataclasses.field(default_factory=list)  # seconds of 5xx not 503


class Command(BaseCommand):
    help = ("Athletes saving reps concurrently against gunicorn + PostgreSQL, optionally with a "
            "worker killed or PostgreSQL restarted mid-run; checks that every acknowledged "
            "save is stored. Needs DATABASE_URL on PostgreSQL (a scratch database). "
            "See docs/load-testing.md.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--athletes", type=int, default=30)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--reps", type=int, default=40, help="reps of 200 m in the session")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=0, help="default: a free port")
        parser.add_argument("--kill-worker-at", type=float, default=None, metavar="S")
        parser.add_argument("--restart-db-at", type=float, default=None, metavar="S")
        parser.add_argument("--db-restart-command", default=None,
                            help="default: pg_ctlcluster --skip-systemctl-redirect "
                                 "<version> main restart")

    def handle(self, *args, **o) -> None:
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("loadtest measures PostgreSQL: set DATABASE_URL to a scratch "
                               "PostgreSQL database (it adds accounts named load-…).")
        if o["athletes"] < 1 or o["reps"] < 1 or o["seconds"] <= 0:
            raise CommandError("--athletes, --reps and --seconds must be positive.")
        password = secrets.token_urlsafe(12)
        session = self.make_club(o["athletes"], o["reps"], password)
        port = o["port"] or _free_port()
        server = self.start_gunicorn(port, o["workers"])
        try:
            tallies, down = self.run(session, port, password, o, server)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        connections.close_all()  # a restarted PostgreSQL dropped this process's connection too
        ok = self.report(session, tallies, down, o)
        if not ok:
            sys.exit(1)

    # --- the club ------------------------------------------------------------------------------

    def make_club(self, count: int, reps: int, password: str) -> Session:
        with transaction.atomic():
            SessionLog.objects.filter(athlete__user__username__startswith=PREFIX).delete()
            Block.objects.filter(coach__username__startswith=PREFIX).delete()
            Athlete.objects.filter(user__username__startswith=PREFIX).delete()
            Squad.objects.filter(name=f"{PREFIX}squad").delete()
            User.objects.filter(username__startswith=PREFIX).delete()
            coach = User.objects.create_user(f"{PREFIX}coach", password=password, is_coach=True)
            squad = Squad.objects.create(name=f"{PREFIX}squad")
            squad.coaches.add(coach)
            athletes = []
            for i in range(count):
                user = User.objects.create_user(f"{PREFIX}{i:03}", password=password)
                athletes.append(Athlete.objects.create(user=user, display_name=f"Load {i:03}",
                                                       squad=squad))
            today = timezone.localdate()
            block = Block.objects.create(coach=coach, title="Load test", start_date=today,
                                         end_date=today + dt.timedelta(days=6))
            block.athletes.set(athletes)
            session = Session.objects.create(block=block, date=today, title="Load test",
                                             notation=f"{reps}x200 (200 jog)")
            plan_session(session)
        return session

    # --- gunicorn ------------------------------------------------------------------------------

    def start_gunicorn(self, port: int, workers: int) -> subprocess.Popen:
        env = {**os.environ, "DEBUG": "false", "TESTING": "false",
               "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
               "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false"}
        # As in production: static files collected, with their manifest (README, Deploy).
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "coach.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5",
             "--log-level", "warning"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                health = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(health, timeout=2):  # nosec B310
                    return server
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        server.kill()
        raise CommandError("gunicorn did not answer on /healthz within 30 s.")

    # --- the run -------------------------------------------------------------------------------

    def run(self, session: Session, port: int, password: str, o: dict,
            server: subprocess.Popen) -> tuple[list[Tally], list[tuple[float, float]]]:
        base = f"http://127.0.0.1:{port}"
        users = list(User.objects.filter(username__startswith=PREFIX, athlete__isnull=False)
                     .order_by("username").values_list("username", flat=True))
        start = time.monotonic()
        stop = start + o["seconds"]
        tallies = [Tally(name) for name in users]
        down: list[tuple[float, float]] = []  # database outages, seconds from the start
        threads = [threading.Thread(target=_athlete, daemon=True,
                                    args=(base, password, session.pk, o["reps"], stop, start,
                                          tally))
                   for tally in tallies]
        for thread in threads:
            thread.start()
        faults = threading.Thread(target=self.faults, args=(o, server, start, down), daemon=True)
        faults.start()
        for thread in threads:
            thread.join(o["seconds"] + 4 * TIMEOUT)
        faults.join(5)
        return tallies, down

    def faults(self, o: dict, server: subprocess.Popen, start: float,
               down: list[tuple[float, float]]) -> None:
        plan = sorted((at, kind) for kind, at in (("kill", o["kill_worker_at"]),
                                                  ("restart", o["restart_db_at"]))
                      if at is not None)
        for at, kind in plan:
            time.sleep(max(0.0, start + at - time.monotonic()))
            if kind == "kill":
                workers = children(server.pid)
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    self.stdout.write(f"  {time.monotonic() - start:5.1f} s: killed gunicorn "
                                      f"worker {workers[0]}")
            else:
                command = o["db_restart_command"] or _pg_restart_command()
                began = time.monotonic() - start
                subprocess.run(command, shell=True, check=False, capture_output=True)  # nosec B602
                down.append((began, time.monotonic() - start))
                self.stdout.write(f"  {began:5.1f} s: restarted PostgreSQL "
                                  f"({down[-1][1] - began:.1f} s)")

    # --- the count -----------------------------------------------------------------------------

    def report(self, session: Session, tallies: list[Tally], down: list[tuple[float, float]],
               o: dict) -> bool:
        answers = sum((t.answers for t in tallies), Counter())
        acked = [a for t in tallies for a in t.acked]
        receipts = set(SaveReceipt.objects.filter(cid__in=[cid for cid, _, _ in acked])
                       .values_list("cid", flat=True))
        stored = {(r["log__athlete__user__username"], r["position"]): r["actual_s"]
                  for r in RepResult.objects.filter(log__session=session).values(
                      "log__athlete__user__username", "position", "actual_s")}
        lost = []
        for t in tallies:
            name = t.name
            last: dict[int, float] = {}
            for _, position, value in t.acked:
                last[position] = value
            for position, value in last.items():
                later = t.sent.get(position, [])
                later = later[later.index(value):] if value in later else [value]
                if stored.get((name, position)) not in later:
                    lost.append((name, position, value, stored.get((name, position))))
        missing_receipts = len(acked) - len(receipts)
        server_errors = sum(n for status, n in answers.items() if status >= 500)
        unexpected = [s for t in tallies for s in t.late_5xx
                      if not any(a - 1 <= s <= b + 15 for a, b in down)]
        total = sum(answers.values())
        self.stdout.write(
            f"\n{len(tallies)} athletes, {o['seconds']:.0f} s, {o['workers']} gunicorn workers\n"
            f"  requests answered: {total} ({total / o['seconds']:.0f}/s); by status: "
            f"{dict(sorted(answers.items()))}\n"
            f"  no answer (refused, reset, timed out): {sum(t.errors for t in tallies)}\n"
            f"  5xx: {server_errors} (503 while the database was down: {answers.get(503, 0)}; "
            f"other 5xx: {len(unexpected)})\n"
            f"  saves acknowledged: {len(acked)}; with their receipt stored: {len(receipts)}; "
            f"acknowledged values not in the database: {len(lost)}")
        for item in lost[:10]:
            self.stdout.write(f"    lost: {item}")
        ok = not lost and not missing_receipts and not unexpected and len(acked) > 0
        self.stdout.write(self.style.SUCCESS("OK") if ok else self.style.ERROR("FAILED"))
        return ok


class _Loopback(http.cookiejar.DefaultCookiePolicy):
    """Send the production settings' Secure cookies over plain HTTP: loopback only."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


def _athlete(base: str, password: str, session_pk: int, reps: int, stop: float, start: float,
             tally: Tally) -> None:
    """One athlete: log in, then save rep after rep like the log form's outbox."""
    username = tally.name
    jar = http.cookiejar.CookieJar(policy=_Loopback())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    while time.monotonic() < stop and not _log_in(opener, jar, base, username, password, tally):
        time.sleep(0.5)
    rng_value = 30.0 + (int(username[-3:]) % 50) / 10
    n = 0
    while time.monotonic() < stop:
        position = n % reps + 1
        value = round(rng_value + (n // reps) * 0.1 + (n % 7) / 10, 1)
        n += 1
        cid = uuid.uuid4().hex
        tally.sent.setdefault(position, []).append(value)
        url = f"{base}/sessions/{session_pk}/log/reps/{position}/"
        data = urllib.parse.urlencode({"time": f"{value:.1f}", "cid": cid}).encode()
        while time.monotonic() < stop:
            status, body = _post(opener, jar, url, data, tally)
            shown = (f'value="{value:.1f}"', f'value="{value:g}"')  # 35.0 may read "35"
            if status == 200 and any(v in body for v in shown):
                tally.acked.append((cid, position, value))
                break
            if status is not None and status >= 500 and status != 503:
                tally.late_5xx.append(time.monotonic() - start)
            if status == 401:
                _log_in(opener, jar, base, username, password, tally)
            time.sleep(0.2)


def _csrf(jar: http.cookiejar.CookieJar) -> str:
    return next((c.value for c in jar if c.name == "csrftoken"), "")


def _log_in(opener, jar, base: str, username: str, password: str, tally: Tally) -> bool:
    try:
        with opener.open(f"{base}/accounts/login/", timeout=TIMEOUT) as page:
            html = page.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": token}).encode()
        with opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data,
                                                headers={"Referer": f"{base}/"}),
                         timeout=TIMEOUT) as answer:
            tally.answers[answer.status] += 1
            return "/accounts/login/" not in answer.url
    except urllib.error.HTTPError as exc:
        tally.answers[exc.code] += 1
    except (OSError, AttributeError):
        tally.errors += 1
    return False


def _post(opener, jar, url: str, data: bytes, tally: Tally) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=data, headers={
        "HX-Request": "true", "X-CSRFToken": _csrf(jar), "Referer": url})
    try:
        with opener.open(request, timeout=TIMEOUT) as answer:
            tally.answers[answer.status] += 1
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        tally.answers[exc.code] += 1
        return exc.code, ""
    except OSError:
        tally.errors += 1
        return None, ""



def _pg_restart_command() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir()) if Path(
        "/etc/postgresql").exists() else []
    if not versions:
        raise CommandError("No /etc/postgresql cluster here: pass --db-restart-command.")
    return f"pg_ctlcluster --skip-systemctl-redirect {versions[-1]} main restart"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
