"""`manage.py seed_scale`: fill the database with a club at scale, for `manage.py bench`."""

from __future__ import annotations

import resource
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sessions.scale import PASSWORD, seed_club


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (``ru_maxrss``: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Command(BaseCommand):
    help = (
        "Fill the database (SQLite or PostgreSQL) with a club for measuring: squads of 20 "
        "athletes with a coach each, back-to-back 4-8 week blocks, 6-10 sessions a week "
        "(intervals, tempo, easy and long runs) planned for every athlete, and logs of most past "
        "sessions with splits, heart rates and some lactate. Bulk inserts in batches, writing "
        "what the app's own planning and logging write. Reports rows written, time and peak "
        "memory. Refuses a database that already holds a seeded club."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--athletes", type=int, default=200, help="athletes (squads of 20)")
        parser.add_argument("--weeks", type=int, default=52,
                            help="weeks of training, ending a fortnight from now")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, "
                                                                 "same club)")

    def handle(self, *args, athletes: int, weeks: int, seed: int, **options) -> None:
        try:
            report = seed_club(athletes=athletes, weeks=weeks, seed=seed,
                               progress=lambda line: self.stdout.write(f"  {line}"))
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        if connection.vendor == "postgresql":
            # The planner's statistics of the tables just filled, as PostgreSQL's docs advise
            # after a bulk load: autovacuum would gather them in a while, or never where it is
            # off, and until then the pages' queries may be planned for empty tables (the
            # block calendar's steps: 22 ms instead of 1.4 ms; docs/perf-calendar-load.md).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for model, count in sorted(report.rows.items()):
            self.stdout.write(f"{model:20} {count:>12,}")
        rate = report.total / report.seconds if report.seconds else 0
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {report.total:,} rows in {report.seconds:.1f} s ({rate:,.0f} rows/s); "
            f"peak memory {peak_memory_mb():.0f} MB."))
        self.stdout.write(f"Logins: scale-coach01 ... and scale-athlete0001 ..., password "
                          f"{PASSWORD}.")
