"""The volume of a session or a week as a coach reads it: ``17.4 km``, ``1.1 km + 45 min``,
an easy run's own amount (``60 min``, ``8 mi``). Shared by the session page and its printable
card (``sessions.views``), own versions (``sessions.versions``), the live preview
(``sessions.preview``) and the block calendar (``sessions.block_calendar``)."""

from __future__ import annotations

from collections.abc import Iterable

from coach import formats


def minutes_label(seconds: float | None) -> str:
    """``50 min``, ``1 h 30 min``: volumes written by time."""
    if not seconds:
        return ""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def timed_seconds(steps: Iterable) -> float:
    """Seconds of the steps written by time only (``50min easy``, ``5x6min``, ``(1min)``):
    the running that a distance total leaves out."""
    return sum((s.duration_s or 0.0 for s in steps if s.distance_m is None), 0.0)


def volume_label(distance_m: float | None, timed_s: float | None = None) -> str:
    """A volume of several steps or sessions: ``17.4 km``, ``1.1 km + 45 min``, ``5 h 28 min``
    when it is all by time; ``0 km`` only when there is no running at all."""
    parts = []
    if distance_m:
        parts.append(f"{distance_m / 1000:.1f} km")
    if timed_s:
        parts.append(minutes_label(timed_s))
    return " + ".join(parts) or "0 km"


def run_amount(distance_m: float | None, timed_s: float | None = None) -> str:
    """The running of a session without reps, as ``formats.format_amount`` writes amounts:
    ``50 min``, ``8 mi``, ``10 km``, ``2 mi + 30 min``."""
    parts = [formats.format_amount(distance_m, None), formats.format_amount(None, timed_s)]
    return " + ".join(part for part in parts if part)


def session_volume(session, timed_s: float) -> str:
    """What a session holds in one line: an easy run's own amount (``60 min``, ``8 mi``), or
    for a session of reps its volume (``17.4 km``, ``4.0 km + 34 min``)."""
    if not session.rep_count:
        return run_amount(session.total_distance_m, timed_s) or "0 km"
    return volume_label(session.total_distance_m, timed_s)
