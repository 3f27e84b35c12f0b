"""``manage.py bench_watch``: how long reading and matching a two-hour watch file takes."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from sessions.watch.files import read_activity
from sessions.watch.matching import PlannedRep, match_reps


class Command(BaseCommand):
    help = (
        "Generate a two-hour run recorded at 1 Hz (warm-up, 30 x 400 m, cool-down) with the "
        "test suite's file generator, as FIT with manual laps, FIT with 1 km auto-laps and GPX, "
        "and print how long reading and matching each takes (best of --repeat runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, repeat: int, **options) -> None:
        try:
            from tests import watchfiles as w
        except ImportError as error:  # the generator lives with the tests, not in a wheel
            raise CommandError("bench_watch needs the repository's tests/ folder.") from error

        times = [68.0 + (i % 5) * 0.4 for i in range(30)]
        segments = w.intervals(times, [400.0] * 30, recovery_s=90.0,
                               warmup=(4000.0, 1500.0), cooldown=(3000.0, 1026.0))
        planned = [PlannedRep(i + 1, distance_m=400.0) for i in range(30)]
        manual = w.Scenario(segments)
        manual.laps = w.laps_by_segment(manual)
        auto = w.Scenario(segments)
        auto.laps = w.laps_auto_km(auto)
        files = [
            ("FIT, manual laps", w.fit_bytes(manual)),
            ("FIT, 1 km auto-laps", w.fit_bytes(auto)),
            ("GPX, no laps", w.gpx_text(w.Scenario(segments)).encode()),
        ]
        self.stdout.write(f"Two hours at 1 Hz: {manual.total_s / 3600:.2f} h, 30 reps planned.")
        for label, data in files:
            parse = match = float("inf")
            for _ in range(max(1, repeat)):
                started = time.perf_counter()
                activity = read_activity(data, "bench")
                parsed = time.perf_counter()
                result = match_reps(activity, planned)
                parse = min(parse, parsed - started)
                match = min(match, time.perf_counter() - parsed)
            worst = max(abs(r.time_s - t) for r, t in zip(result.reps, times, strict=True))
            self.stdout.write(
                f"{label}: {len(data) / 1024:.0f} KB, {len(activity.points)} points, "
                f"read {parse * 1000:.0f} ms, match {match * 1000:.0f} ms "
                f"({result.method}, {result.matched}/30 reps, worst error {worst:.2f} s)"
            )
