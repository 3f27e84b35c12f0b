"""`manage.py loadbench`: requests per second under gunicorn, for the pages the issue names.

Starts gunicorn (``--workers``, 2 by default; the rest from the project's
``gunicorn.conf.py``, as deployed) on a free loopback port with the current settings and
database (``DATABASE_URL``; ``coach/bench_settings.py`` adds the bench's bare
page and plain HTTP), signs in the busiest coach and their athlete of the database (as
``manage.py bench`` picks them: run ``seed_scale`` or ``demo`` first), then for each page
fires requests from ``--clients`` threads for ``--seconds`` (at most 20; the pages take
turns, ``--rounds``, so that a busy machine's slow spells hit all of them) and prints the
requests per second, the median and 95th percentile latency, each page's requests per
second as a share of the bare page's, and where a request's CPU went (Linux, from ``/proc``):
the gunicorn workers, the PostgreSQL backends serving them, and this process sending the
requests. A share follows those CPU figures: the machine's cores are shared by all three.
A bounded, dependency-free load: ``http.client`` in threads, one connection per request
(gunicorn's sync workers close each one anyway).

What it writes: one database session per signed-in person, deleted at the end. The pages it
loads (bare page, block calendar, log form) write nothing on GET. Figures depend on the
machine and on what else runs on it: compare runs on one machine, and read the ratios.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from coach.management.commands.bench import Command as Bench
from coach.management.commands.bench import _unmigrated

ROOT = Path(__file__).resolve().parents[3]
MAX_SECONDS = 20.0
STARTUP = 30.0  # seconds for gunicorn to answer
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Load:
    name: str
    url: str
    requests: int
    errors: int
    seconds: float
    rps: float
    median_ms: float
    p95_ms: float
    share_of_bare: float = 1.0
    # CPU time per answered request (ms) of the gunicorn workers, of the PostgreSQL backends
    # they talk to, and of this process sending the requests; None where it cannot be read
    server_cpu_ms: float | None = None
    database_cpu_ms: float | None = None
    client_cpu_ms: float | None = None


class _Rollback(Exception):
    pass


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time of each process still there, in seconds (from ``/proc``:
    Linux; empty elsewhere)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return found


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings (a process that appeared in between: all of
    its own)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), from ``/proc``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def database_backends() -> list[int]:
    """The PostgreSQL server processes connected to this database other than this process's
    own: the workers' persistent connections. Empty for SQLite, or for a server on another
    machine (their ``/proc`` entries are then not ours to read)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
        pids = [row[0] for row in cursor.fetchall()]
    return pids if len(cpu_seconds(pids)) == len(pids) else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, url: str, cookie: str, timeout: float = 10.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", url, headers={
            "Cookie": cookie, "Accept-Encoding": "gzip", "Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def hammer(port: int, url: str, cookie: str, *, seconds: float, clients: int,
           latencies: list[float], errors: list[int]) -> float:
    """Requests from ``clients`` threads, each one after the other, for ``seconds``; adds the
    latencies of the answered ones and the count of the others. Returns the time it took."""
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        mine, failed = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, _ = get(port, url, cookie)
            except OSError:
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


def summary(name: str, url: str, latencies: list[float], errors: int, elapsed: float) -> Load:
    latencies = sorted(latencies)
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] if latencies else 0
    return Load(name=name, url=url, requests=len(latencies), errors=errors,
                seconds=round(elapsed, 2), rps=round(len(latencies) / elapsed, 1),
                median_ms=round(statistics.median(latencies) * 1e3, 1) if latencies else 0,
                p95_ms=round(p95 * 1e3, 1))


class Command(BaseCommand):
    help = ("Requests per second of the bare page, the block calendar and the log form under "
            "gunicorn on loopback (a bounded load; docs in README, 'Performance').")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seconds", type=float, default=10.0,
                            help=f"load per page, in seconds (at most {MAX_SECONDS:g})")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--clients", type=int, default=4,
                            help="client threads sending requests at once")
        parser.add_argument("--rounds", type=int, default=5,
                            help="the pages take turns this many times, each for its share of "
                                 "--seconds (a busy machine's slow spells then hit every page)")
        parser.add_argument("--json", dest="json_path", help="also write the figures here")
        parser.add_argument("--port", type=int, default=0,
                            help="the loopback port gunicorn binds (default: a free one; give "
                                 "your own where several people share the machine)")

    def handle(self, *args, seconds: float, workers: int, clients: int, rounds: int,
               json_path: str | None, port: int = 0, **options) -> None:
        seconds = max(1.0, min(seconds, MAX_SECONDS))
        rounds = max(1, min(rounds, int(seconds * 2)))
        clients = max(1, min(clients, 32))
        if _unmigrated():
            raise CommandError("The database is not migrated: run migrate, then seed_scale "
                               "(or demo), then loadbench.")
        coach, athlete, pages = self.scene()
        cookies = {who: self.sign_in(user) for who, user in (("coach", coach),
                                                             ("athlete", athlete))}
        port = port or free_port()
        handle, log_name = tempfile.mkstemp(prefix="loadbench-gunicorn-", suffix=".log")
        log = Path(log_name)
        # As deployed: DEBUG and the tests' shortcuts off whatever this shell says; the key
        # this process signed the sessions with
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coach.bench_settings", "DEBUG": "false",
               "TESTING": "false", "SECRET_KEY": settings.SECRET_KEY}
        server = subprocess.Popen(
            # the project's gunicorn.conf.py, read from ROOT, as the README's deploy command
            [sys.executable, "-m", "gunicorn", "coach.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        os.close(handle)
        try:
            self.wait_until_up(server, port, log)
            self.stdout.write(f"gunicorn: {workers} workers on 127.0.0.1:{port}; "
                              f"{clients} clients, {seconds:g} s per page in {rounds} turns "
                              f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
            for name, who, url in pages:
                status, _ = get(port, url, cookies[who], timeout=30)  # warm the workers
                if status != 200:
                    raise CommandError(f"{name}: {url} answered {status} (see {log})")
                for _ in range(workers * 2):
                    get(port, url, cookies[who], timeout=30)
            latencies: dict[str, list[float]] = {name: [] for name, _, _ in pages}
            errors = {name: [0] for name, _, _ in pages}
            elapsed = dict.fromkeys(latencies, 0.0)
            workers_pids = children(server.pid)
            cpu = {name: [0.0, 0.0, 0.0] for name in latencies}  # server, database, client
            for _ in range(rounds):
                for name, who, url in pages:
                    backends = database_backends()
                    before = (cpu_seconds(workers_pids), cpu_seconds(backends),
                              time.process_time())
                    elapsed[name] += hammer(port, url, cookies[who], seconds=seconds / rounds,
                                            clients=clients, latencies=latencies[name],
                                            errors=errors[name])
                    spent = cpu[name]
                    spent[2] += time.process_time() - before[2]
                    spent[0] += cpu_spent(before[0], cpu_seconds(workers_pids))
                    spent[1] += cpu_spent(before[1], cpu_seconds(database_backends()))
            results = [summary(name, url, latencies[name], errors[name][0], elapsed[name])
                       for name, _, url in pages]
            for load in results:
                if load.requests:
                    server_s, database_s, client_s = cpu[load.name]
                    per = 1e3 / load.requests
                    load.client_cpu_ms = round(client_s * per, 2)
                    if workers_pids and cpu_seconds(workers_pids):
                        load.server_cpu_ms = round(server_s * per, 2)
                    if database_s:
                        load.database_cpu_ms = round(database_s * per, 2)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            self.sign_out(cookies)
        bare = results[0].rps
        self.stdout.write(f"\n{'page':28} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} "
                          f"{'errors':>7} {'of bare':>8}   CPU ms a request: server db client")
        for load in results:
            load.share_of_bare = round(load.rps / bare, 2) if bare else 0.0
            figures = " ".join("   -" if value is None else f"{value:6.2f}" for value in (
                load.server_cpu_ms, load.database_cpu_ms, load.client_cpu_ms))
            self.stdout.write(f"{load.name:28} {load.rps:8.1f} {load.median_ms:10.1f} "
                              f"{load.p95_ms:8.1f} {load.errors:7d} {load.share_of_bare:8.2f}"
                              f"   {figures}")
        if json_path:
            Path(json_path).write_text(json.dumps({
                "workers": workers, "clients": clients, "seconds": seconds, "rounds": rounds,
                "database": settings.DATABASES["default"]["ENGINE"],
                "cpus": os.cpu_count(), "pages": [asdict(r) for r in results]}, indent=2) + "\n")
            self.stdout.write(f"Wrote {json_path}")
        log.unlink(missing_ok=True)

    def scene(self):
        """The busiest coach, their block and their athlete's unlogged session (as ``bench``
        picks them, in a transaction rolled back: picking may touch rows)."""
        try:
            with transaction.atomic():
                scene = Bench().busiest()
                if scene is None:
                    raise CommandError("No block with logged sessions of reps: run "
                                       "seed_scale (or demo) first.")
                picked = (scene.coach, scene.athlete.user, [
                    ("bare page", "coach", reverse("bench-bare", urlconf="coach.bench_urls")),
                    (f"block calendar ({scene.block.sessions.count()} sessions)", "coach",
                     reverse("training:block", args=[scene.block.pk])),
                    ("log form", "athlete", reverse("training:log", args=[scene.unlogged.pk])),
                ])
                raise _Rollback
        except _Rollback:
            pass
        return picked

    def sign_in(self, user) -> str:
        client = Client()
        client.force_login(user)  # a session in the database, as the login form makes
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    def sign_out(self, cookies: dict[str, str]) -> None:
        from django.contrib.sessions.models import Session
        keys = [cookie.split("=", 1)[1] for cookie in cookies.values()]
        Session.objects.filter(session_key__in=keys).delete()

    def wait_until_up(self, server: subprocess.Popen, port: int, log: Path) -> None:
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited:\n{log.read_text()}")
            try:
                if get(port, "/healthz", "", timeout=1)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within {STARTUP:g} s:\n{log.read_text()}")
