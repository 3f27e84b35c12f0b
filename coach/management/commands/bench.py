"""`manage.py bench`: how fast the pace engine, the parser, planning and every page are.

Prints figures; asserts nothing (timings depend on the machine: compare runs on one machine).
For each page and action it measures the SQL query count, the median and 95th percentile
server time (the request through the whole middleware stack, in process, compression
included) and the response size (plain, and gzip-compressed as sent to a browser), and
divides each page's median by that of a bare page of the same stack (a signed-in user, the
same middleware, a trivial template: ``coach/bench_urls.py``), requested side by side: ten
bare requests, then ten of the page's, in turns, so that a machine busy with other work slows
both alike and the ratio stays steady (``--clock cpu`` steadies it further). For the log form
it also weighs a phone's first load: the compressed page with the style sheet and scripts it links.

On a database holding data (``manage.py demo``, ``manage.py seed_scale``) it measures the
busiest coach, block, session and athlete there; on an empty one it makes a block of its own.
Everything it writes (a staff user for the admin pages, a log in progress, saved reps)
happens inside a transaction that is rolled back. Pages link their static files through plain
``StaticFilesStorage``, so a fresh checkout needs no ``collectstatic`` even with DEBUG off (the
manifest lookup it skips costs microseconds).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import gzip
import io
import json
import os
import platform
import pstats
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

import brotli
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from athletes.models import Athlete, RaceResult, User
from coach import formats, notation, pace
from sessions.calendar_feed import new_address
from sessions.logbook import save_rep, start_log
from sessions.models import (
    Block,
    CalendarFeed,
    PlannedTarget,
    RepResult,
    Session,
    SessionLog,
    Slot,
)
from sessions.planning import plan_session

WORKOUTS = [
    "12x400 @ 64 (200 jog)",
    "3x(4x400) 60s/3min",
    "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD",
    "4 x 3 x 400 (56\") [3' & 5']",
    "400-800-1200-800-400 @ I w/ equal time jog",
    "2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD",
    "5x6min @ 2.5 mmol (1min)",
]


PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


class _Rollback(Exception):
    pass


def _unmigrated() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
# Pages are timed in turns with the bare page, this many requests a turn (each turn's first
# request, after the other page's, is not counted: a bare request right after a big page ran
# half again as long, on caches the big page had filled)
SIDE_BY_SIDE = 10
_clock = time.perf_counter


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = _clock()
        fn()
        times.append(_clock() - start)
    return times


def _plain(response) -> bytes:
    """The page itself, before the compression it was sent with."""
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


ASSET = re.compile(r"""<(?:link rel="stylesheet" href|script src)="([^"]+)"(?! media="print")""")


def first_load(client: Client, url: str) -> dict[str, int]:
    """What a phone downloads to show ``url`` the first time, compressed as it is sent: the
    page gzip-compressed (GZipMiddleware), each style sheet (print aside) and script it links
    as whitenoise serves it to a browser that accepts Brotli (every current phone browser:
    ``collectstatic`` writes a .br beside each file)."""
    page = client.get(url, headers={"Accept-Encoding": "gzip"})
    sizes = {"html": len(page.content)}
    html = _plain(page).decode()
    for href in ASSET.findall(html):
        name = href.removeprefix(settings.STATIC_URL).split("?")[0]
        path = finders.find(name)
        if path:
            sizes[name] = len(brotli.compress(Path(path).read_bytes()))
    return sizes


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def machine() -> dict:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "database": f"{connection.vendor} {version}"}


@dataclass
class Figure:
    """One page or action: its SQL queries, server time and response size."""

    name: str
    url: str
    queries: int
    median_ms: float
    p95_ms: float
    bytes: int
    gzip_bytes: int  # as sent to a browser that accepts gzip (every browser does)
    ratio: float = 0.0  # median over the bare page's median (the bare requests beside it)
    bare_ms: float = 0.0  # that median of the bare requests made in turns with this page's


@dataclass
class Scene:
    """What the pages are measured on: the busiest coach, their busiest block, its biggest
    session, the athlete with the most logs there, one of their logs, and a session they
    have not logged (the log form's first open)."""

    coach: User
    block: Block
    session: Session
    athlete: Athlete
    log: SessionLog
    unlogged: Session


class Command(BaseCommand):
    BARE = "bare page (same stack, trivial template)"
    only: tuple[str, ...] = ()
    bare_call: Callable[[], object] | None = None
    help = (
        "Benchmark the pace engine, the notation parser, session planning and every page "
        "(planning, logs, the log form, saving a rep, roster, athlete page, admin) on the "
        "busiest coach, block and athlete in the database, or on a block of its own when it is "
        "empty. Prints queries, median and 95th percentile server time, response size and each "
        "page's time as a multiple of a bare page of the same stack. Writes nothing: what it "
        "changes is rolled back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--athletes", type=int, default=12,
                            help="athletes in the block it makes on an empty database")
        parser.add_argument("--repeat", type=int, default=20, help="requests per figure")
        parser.add_argument("--json", dest="json_path", metavar="PATH",
                            help="also write the figures as JSON to PATH")
        parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                            help="wall: elapsed time (default); cpu: this process's CPU time, "
                                 "steadier on a busy machine but blind to the time PostgreSQL "
                                 "spends in its own process")
        parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                            help="measure only the pages whose name holds TEXT (may be given "
                                 "again; the bare page is always measured), e.g. --only 'log "
                                 "form' --only save")
        parser.add_argument("--profile", type=int, default=0, metavar="N",
                            help="after measuring each page, profile it (cProfile, --repeat "
                                 "requests) and print its N costliest functions by own and "
                                 "by cumulative time; best with --only")
        parser.add_argument("--compare", metavar="PATH",
                            help="a JSON file of an earlier run: print how queries and time grew")

    def handle(self, *args, athletes: int, repeat: int, json_path: str | None,
               compare: str | None, clock: str = "wall", only: list[str] | None = None,
               profile: int = 0, **options) -> None:
        global _clock
        self.only = tuple(only or ())
        self.profile = profile
        _clock = CLOCKS[clock]
        self.repeat = max(1, repeat)
        self.figures: list[Figure] = []
        self.first_load: dict[str, int] = {}
        self.data: dict = {}
        earlier = None
        if compare:
            try:
                earlier = json.loads(Path(compare).read_text())
            except (OSError, ValueError) as problem:
                raise CommandError(f"Cannot read {compare}: {problem}") from problem
        if not self.only:
            self.pure()
        if _unmigrated():
            # A fresh checkout has no tables yet: measure on a throwaway database (as the tests
            # do), so bench needs no `migrate` and never touches the configured one.
            self.stdout.write("(the database is not migrated: measuring on a throwaway copy)")
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                self.pages(athletes)
                about = machine()
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        else:
            self.pages(athletes)
            about = machine()
        self.table(clock)
        if earlier:
            self.growth(earlier)
        if json_path:
            Path(json_path).write_text(json.dumps({
                "machine": about, "data": self.data, "repeat": self.repeat, "clock": clock,
                "pages": [asdict(f) for f in self.figures],
                "log_form_first_load_bytes": self.first_load,
            }, indent=2) + "\n")
            self.stdout.write(f"Wrote {json_path}")

    def pages(self, athletes: int) -> None:
        try:
            with transaction.atomic(), override_settings(
                ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False,
                ROOT_URLCONF="coach.bench_urls",
                STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC},
            ):
                scene = self.busiest() or self.make_scene(athletes)
                self.measure(scene)
                raise _Rollback
        except _Rollback:
            pass

    def line(self, what: str, times: list[float], unit: str = "ms", queries: int | None = None):
        scale = 1e3 if unit == "ms" else 1e6
        median = statistics.median(times) * scale
        worst = max(times) * scale
        extra = f"  {queries} queries" if queries is not None else ""
        self.stdout.write(f"{what:52} median {median:9.2f} {unit}  max {worst:9.2f} {unit}{extra}")

    def pure(self) -> None:
        self.stdout.write("Pure code (coach/pace.py, coach/notation/)")
        self.line("vdot(5000, 768)", _timed(lambda: pace.vdot(5000, 768), 2000), "us")
        self.line("race_time(83.6, 42195) (bisection, uncached)",
                  _timed(lambda: pace.race_time.__wrapped__(83.6, 42195), 500), "us")
        self.line("parse_time('1:04.2')", _timed(lambda: formats.parse_time("1:04.2"), 2000), "us")
        for text in WORKOUTS[2:4]:
            self.line(f"parse {text[:40]!r}", _timed(lambda t=text: notation.parse(t), 300), "us")
        big = "; ".join(["2x(10x200 @ R (200 jog))"] * 10)
        self.line("parse 400 reps (10 set groups)", _timed(lambda: notation.parse(big), 20))
        workout = notation.parse(WORKOUTS[2])
        profile = pace.PaceProfile(vdot=83.6, altitude_m=2100)
        self.line("resolve 22 reps for one athlete",
                  _timed(lambda: notation.resolve(workout, profile), 300), "us")

    # --- what to measure on -----------------------------------------------------------------

    def busiest(self) -> Scene | None:
        """The busiest coach, block and athlete in the database, or None when it has no block
        with logged sessions of reps."""
        block = (Block.objects.filter(sessions__rep_count__gt=0, sessions__logs__isnull=False)
                 .order_by("-end_date").first())
        if block is None:
            return None
        coach = (User.objects.filter(is_coach=True).annotate(n=Count("blocks__sessions"))
                 .order_by("-n", "pk").first())
        block = (Block.objects.filter(coach=coach, sessions__rep_count__gt=0)
                 .annotate(n=Count("sessions")).order_by("-n", "-end_date").first())
        athlete = (block.coached_athletes().annotate(n=Count("logs")).order_by("-n", "pk")
                   .first())
        if athlete is None:
            return None
        log = (SessionLog.objects.filter(athlete=athlete, session__block=block)
               .annotate(n=Count("reps")).order_by("-n", "pk").first())
        session = (block.sessions.order_by("-rep_count", "date").first()
                   if log is None else log.session)
        if log is None:
            log = self.fill(start_log(session, athlete))
        unlogged = (block.sessions.filter(rep_count__gt=0).exclude(logs__athlete=athlete)
                    .order_by("-rep_count", "date").first())
        if unlogged is None:  # every session logged: forget one (rolled back)
            unlogged = block.sessions.exclude(pk=session.pk).filter(rep_count__gt=0).first()
            SessionLog.objects.filter(session=unlogged, athlete=athlete).delete()
        return Scene(coach=block.coach, block=block, session=session, athlete=athlete,
                     log=log, unlogged=unlogged)

    @staticmethod
    def fill(log: SessionLog) -> SessionLog:
        for rep in log.reps.order_by("position"):
            if rep.target_lo_s:
                save_rep(rep, {"actual_s": rep.target_lo_s, "avg_hr": 172})
        return log

    def make_scene(self, athlete_count: int) -> Scene:
        coach = User.objects.create_user("bench-coach", password="x", is_coach=True)  # nosec B106
        people = []
        for i in range(athlete_count):
            user = User.objects.create_user(f"bench-{i}", password="x")  # nosec B106
            athlete = Athlete.objects.create(user=user, display_name=f"Bench {i}")
            athlete.coaches.add(coach)
            RaceResult.objects.create(athlete=athlete, distance_m=5000, time_s=780 + i * 10,
                                      date=dt.date(2026, 6, 1))
            people.append(athlete)
        start = dt.date.today() - dt.timedelta(days=3)
        block = Block.objects.create(coach=coach, title="Bench", start_date=start,
                                     end_date=start + dt.timedelta(days=27), altitude_m=2100)
        block.athletes.set(people)
        sessions = [
            Session.objects.create(block=block, date=start + dt.timedelta(days=d), slot=slot,
                                   title=f"S{d}{slot}", notation=WORKOUTS[(d * 2 + i) % 7])
            for d in range(28) for i, slot in enumerate(Slot)
        ]
        big = sessions[2]
        big.notation = WORKOUTS[2]
        big.save()
        self.line(f"plan_session, 22 reps x {athlete_count} athletes",
                  _timed(lambda: plan_session(big), self.repeat))
        for s in sessions:
            plan_session(s)
        log = self.fill(start_log(big, people[0]))
        unlogged = sessions[6]
        unlogged.notation = WORKOUTS[2]
        unlogged.save()
        plan_session(unlogged)
        return Scene(coach=coach, block=block, session=big, athlete=people[0], log=log,
                     unlogged=unlogged)

    # --- the pages --------------------------------------------------------------------------

    def measure(self, scene: Scene) -> None:
        block, session, athlete, log = scene.block, scene.session, scene.athlete, scene.log
        self.data = {
            "rep results": RepResult.objects.count(), "logs": SessionLog.objects.count(),
            "planned targets": PlannedTarget.objects.count(),
            "sessions": Session.objects.count(), "athletes": Athlete.objects.count(),
            "block sessions": block.sessions.count(), "block athletes": block.athletes.count(),
            "athlete logs": athlete.logs.count(), "session reps": session.rep_count,
        }
        self.stdout.write(f"\nDatabase ({connection.vendor}): " + ", ".join(
            f"{v:,} {k}" for k, v in self.data.items()))
        self.line(f"plan_session ({session.rep_count} reps x {block.athletes.count()} "
                  "athletes)", _timed(lambda: plan_session(session),
                                      max(1, min(self.repeat, 5))))
        staff_user = User.objects.create_user("bench-admin", password="x", is_staff=True,  # nosec B106
                                         is_superuser=True)
        coach, runner, staff = Client(), Client(), Client()
        coach.force_login(scene.coach)
        runner.force_login(athlete.user)
        staff.force_login(staff_user)

        self.page(coach, self.BARE, reverse("bench-bare"))
        self.page(coach, "coach home", reverse("training:coach-home"))
        self.page(coach, f"block calendar ({self.data['block sessions']} sessions)",
                  reverse("training:block", args=[block.pk]))
        self.page(coach, "session page (every athlete's targets)",
                  reverse("training:session", args=[session.pk]))
        self.page(coach, "live preview (htmx POST)",
                  reverse("training:session-preview", args=[block.pk]),
                  data={"notation": session.notation or WORKOUTS[2], "date": session.date,
                        "slot": session.slot}, headers={"HX-Request": "true"})
        self.page(coach, "session edit", reverse("training:session-edit", args=[session.pk]))
        self.page(coach, "logs", reverse("training:logs"))
        self.page(coach, "log summary", reverse("training:log-summary", args=[log.pk]))
        self.page(coach, "athlete page", reverse("athletes:detail", args=[athlete.pk]))
        self.page(runner, "today", reverse("training:today"))
        self.page(runner, "history", reverse("training:history"))
        form = reverse("training:log", args=[scene.unlogged.pk])
        self.page(runner, "log form, first open", form)
        self.first_load = first_load(runner, form)
        started = start_log(scene.unlogged, athlete)
        rep = started.reps.order_by("position").first()
        save_rep(rep, {"actual_s": rep.target_lo_s or 70.0})
        self.page(runner, "log form, in progress", form)
        count = iter(range(10**6))
        # As the log page's outbox sends it: by position, with the client's id of the save; a
        # time near the rep's target (or a steady pace over its distance) so that every save
        # stores (a split far off its rep is questioned, not stored: that would measure less).
        base = rep.target_lo_s or (rep.distance_m or 400) * 0.21
        self.page(runner, "save one rep (htmx POST)",
                  reverse("training:new-rep-save", args=[scene.unlogged.pk, rep.position]),
                  data=lambda: {"time": f"{base + next(count) % 40 / 10:.1f}",
                                "cid": uuid.uuid4().hex},
                  headers={"HX-Request": "true"}, expect="data-saved-at")
        self.page(staff, "roster", reverse("athletes:roster"))
        self.page(coach, "athlete's training trends (htmx section)",
                  reverse("athletes:training", args=[athlete.pk]),
                  headers={"HX-Request": "true"})
        self.page(coach, "block overview", reverse("training:block-overview", args=[block.pk]))
        self.page(runner, "watch workout (FIT download)",
                  reverse("training:session-watch-file", args=[session.pk, athlete.pk]))
        feed = CalendarFeed.objects.filter(user=athlete.user).first()
        self.page(runner, "calendar feed (iCal)", reverse("training:calendar-feed", args=[
            (feed or new_address(athlete.user)).token]))
        for model, pk in (("sessionlog", log.pk), ("represult", rep.pk),
                          ("plannedtarget", None), ("plannedstep", None),
                          ("session", session.pk), ("block", block.pk)):
            if not admin.site.is_registered(apps.get_model("training", model)):
                continue
            self.page(staff, f"admin {model} list", reverse(f"admin:training_{model}_changelist"))
            if pk is not None:
                self.page(staff, f"admin {model} change",
                          reverse(f"admin:training_{model}_change", args=[pk]))

    def page(self, client: Client, what: str, url: str, data=None, headers=None,
             expect: str = "") -> None:
        """Measure one page (``expect``: what each answer must hold, e.g. that a save stored)."""
        if self.only and what != self.BARE and not any(part in what for part in self.only):
            return
        headers = {"Accept-Encoding": "gzip", **(headers or {})}  # as browsers ask: compressed
        if data is None:
            def call():
                return client.get(url, headers=headers)
        else:
            def call():  # form-encoded, as browsers and the log page's outbox post
                return client.post(url, urlencode(data() if callable(data) else data),
                                   content_type="application/x-www-form-urlencoded",
                                   headers=headers)
        response = call()
        assert response.status_code == 200, (url, response.status_code)
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = call()
        if expect and expect not in _plain(response).decode():
            raise CommandError(f"{what}: the answer does not hold {expect!r}")
        if what == self.BARE:
            self.bare_call = call
        if self.bare_call is None or what == self.BARE:
            times, bare_times = _timed(call, self.repeat), []
        else:  # side by side: so that a machine busy with other work slows both alike
            times, bare_times = [], []
            while len(times) < self.repeat:
                turn = min(SIDE_BY_SIDE, self.repeat - len(times))
                for fn, out in ((self.bare_call, bare_times), (call, times)):
                    fn()  # the first after the other page runs with cold caches: not counted
                    out.extend(_timed(fn, turn))
        if self.profile and what != self.BARE:
            self.profiled(what, call)
        median = statistics.median(times)
        bare = statistics.median(bare_times) if bare_times else median
        self.figures.append(Figure(
            name=what, url=url, queries=count[0], bytes=len(_plain(response)),
            gzip_bytes=len(response.content),
            median_ms=round(median * 1e3, 2), p95_ms=round(_p95(times) * 1e3, 2),
            ratio=round(median / bare, 1) if bare else 0.0, bare_ms=round(bare * 1e3, 2)))

    def profiled(self, what: str, call: Callable[[], object]) -> None:
        """Print where one page's time goes: its costliest functions, own time and cumulative."""
        profiler = cProfile.Profile()
        profiler.runcall(_timed, call, self.repeat)
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(self.profile)
            self.stdout.write(f"\n{what}: {self.repeat} requests, by {order}\n"
                              + out.getvalue().split("\n\n", 1)[-1].rstrip())

    def table(self, clock: str) -> None:
        self.stdout.write(f"\n{clock} time, {self.repeat} requests each")
        self.stdout.write(f"{'page':44} {'queries':>7} {'median ms':>10} {'p95 ms':>9} "
                          f"{'KB':>7} {'gz KB':>6} {'x bare':>7}")
        for f in self.figures:
            self.stdout.write(f"{f.name:44} {f.queries:>7} {f.median_ms:>10.2f} {f.p95_ms:>9.2f} "
                              f"{f.bytes / 1024:>7.1f} {f.gzip_bytes / 1024:>6.1f} "
                              f"{f.ratio:>7.1f}")

        if self.first_load:
            parts = ", ".join(f"{name} {size / 1024:.1f}" for name, size in self.first_load.items())
            self.stdout.write(f"\nLog form, a phone's first load: "
                              f"{sum(self.first_load.values()) / 1024:.1f} KB compressed "
                              f"(page gzip, files Brotli: {parts})")

    def growth(self, earlier: dict) -> None:
        """How each page grew since an earlier run (another data size, or before a change)."""
        old = {p["name"].split(" (")[0]: p for p in earlier.get("pages", [])}
        self.stdout.write(f"\n{'page':44} {'queries then -> now':>20} {'time x':>7}")
        for f in self.figures:
            before = old.get(f.name.split(" (")[0])
            if before is None:
                continue
            grew = f.median_ms / before["median_ms"] if before["median_ms"] else 0.0
            self.stdout.write(f"{f.name:44} {before['queries']:>9} -> {f.queries:<7} "
                              f"{grew:>7.2f}")
