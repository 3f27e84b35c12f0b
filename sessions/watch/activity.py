"""What the app reads from a watch file: laps and track points, nothing else.

Pure dataclasses, no Django. Every time is *timer time* in seconds from the start of the
activity: the clock the watch shows, which stops while the watch is paused. ``Lap.elapsed_s`` is
the lap's timer time (FIT ``total_timer_time``, TCX ``TotalTimeSeconds``), so a lap paused in the
middle is as long as the running it contains. See docs/watch-files.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Point:
    """One track point. ``t_s`` is timer time from the start; the rest may be missing."""

    t_s: float
    distance_m: float | None = None
    hr: int | None = None
    speed_mps: float | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Lap:
    """One lap as the watch closed it.

    ``cadence_spm`` is steps per minute (both feet). FIT and Garmin's TCX store running cadence
    as strides per minute (one foot), so the readers double it, deliberately.
    ``trigger`` is "manual", "distance", "time", "position", "session_end", "heart_rate",
    "fitness_equipment" or "unknown". ``intensity`` is the watch's own label ("active", "rest",
    "warmup", "cooldown", "recovery", "interval", "other") or None.
    """

    index: int
    start_s: float
    elapsed_s: float
    distance_m: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    cadence_spm: float | None = None
    trigger: str = "unknown"
    workout_step_index: int | None = None
    intensity: str | None = None

    @property
    def end_s(self) -> float:
        return self.start_s + self.elapsed_s

    @property
    def speed_mps(self) -> float | None:
        if self.distance_m is None or self.elapsed_s <= 0:
            return None
        return self.distance_m / self.elapsed_s


@dataclass(frozen=True, slots=True)
class Activity:
    """A whole file: ``source`` is "fit", "tcx" or "gpx"; ``device`` a readable name or ""."""

    source: str
    started_at: datetime | None
    laps: tuple[Lap, ...]
    points: tuple[Point, ...]
    device: str = ""

    @property
    def duration_s(self) -> float:
        ends = [lap.end_s for lap in self.laps] + [p.t_s for p in self.points[-1:]]
        return max(ends, default=0.0)
