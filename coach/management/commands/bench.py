"""`manage.py bench`: how fast the pace engine, the parser, planning and the busiest pages are.

Prints figures; asserts nothing (timings depend on the machine: compare runs on one machine).
Everything it writes to the database happens inside a transaction that is rolled back. Pages
link their static files through plain ``StaticFilesStorage``, so a fresh checkout needs no
``collectstatic`` even with DEBUG off (the manifest lookup it skips costs microseconds).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from athletes.models import Athlete, RaceResult, User
from coach import formats, notation, pace
from sessions.logbook import start_log
from sessions.models import Block, Session, Slot
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


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


class Command(BaseCommand):
    help = (
        "Benchmark the pace engine, the notation parser, session planning and the busiest "
        "pages (block calendar, log form, saving one rep). Prints median timings and query "
        "counts. Writes nothing: its data is rolled back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--athletes", type=int, default=12, help="athletes in the block")
        parser.add_argument("--repeat", type=int, default=20, help="repetitions per figure")

    def handle(self, *args, athletes: int, repeat: int, **options) -> None:
        self.repeat = repeat
        self.pure()
        if _unmigrated():
            # A fresh checkout has no tables yet: measure on a throwaway database (as the tests
            # do), so bench needs no `migrate` and never touches the configured one.
            self.stdout.write("(the database is not migrated: measuring on a throwaway copy)")
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                self.pages(athletes)
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            return
        self.pages(athletes)

    def pages(self, athletes: int) -> None:
        try:
            with transaction.atomic(), override_settings(
                ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False,
                STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC},
            ):
                self.with_data(athletes)
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

    def with_data(self, athlete_count: int) -> None:
        self.stdout.write(f"\nDatabase ({connection.vendor}) and pages, {athlete_count} athletes")
        coach = User.objects.create_user("bench-coach", password="x", is_coach=True)
        people = []
        for i in range(athlete_count):
            user = User.objects.create_user(f"bench-{i}", password="x")
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

        client = Client()
        client.force_login(coach)
        self.page(client, "GET block calendar (56 sessions)", reverse("training:block",
                                                                       args=[block.pk]))
        self.page(client, "GET session page with every athlete's targets",
                  reverse("training:session", args=[big.pk]))
        preview = reverse("training:session-preview", args=[block.pk])
        self.page(client, "POST live preview (22 reps, all athletes)", preview,
                  data={"notation": WORKOUTS[2], "date": start, "slot": Slot.AM})

        runner = Client()
        runner.force_login(people[0].user)
        log = start_log(big, people[0])
        self.page(runner, "GET log form (22 rows)", reverse("training:log", args=[big.pk]))
        rep = log.reps.order_by("position").first()
        self.page(runner, "POST save one rep (htmx)", reverse("training:rep-save", args=[rep.pk]),
                  data={f"rep-{rep.pk}-time": "66.4"}, headers={"HX-Request": "true"})

    def page(self, client: Client, what: str, url: str, data=None, headers=None) -> None:
        call = (lambda: client.post(url, data, headers=headers)) if data is not None else (
            lambda: client.get(url, headers=headers))
        response = call()
        assert response.status_code == 200, (url, response.status_code)
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            call()
        self.line(what, _timed(call, self.repeat), queries=count[0])
