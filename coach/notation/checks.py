"""Plausibility: warnings for reps and targets whose implied speed no runner would run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from coach.notation.model import Ladder, Part, RepGroup, SetGroup, Target
from coach.notation.units import _clock, _distance_name, _num
from coach.notation.words import MAX_SPEED, MIN_SPEED, PER_KM_HINT_SPEED


def _walk(parts: Iterable[Part]) -> Iterator[RepGroup | Ladder]:
    for part in parts:
        if isinstance(part, SetGroup):
            yield from _walk(part.parts)
        elif isinstance(part, RepGroup | Ladder):
            yield part


def _speed_warnings(parts: tuple[Part, ...]) -> list[str]:
    """Warn about time and pace targets whose implied speed is implausible."""
    warnings = []
    for part in _walk(parts):
        works = (part.work,) if isinstance(part, RepGroup) else part.works
        for work in works:
            if work.distance_m is not None and work.distance_m < 50:
                number = _num(work.distance_m)
                warnings.append(f"a rep of {number} m is very short; for minutes write {number}min")
        for target in part.targets:
            for work in works:
                if work.distance_m is None:
                    continue
                message = _speed_warning(target, work.distance_m)
                if message:
                    warnings.append(message)
                    break
    return warnings


def _speed_warning(target: Target, distance: float) -> str | None:
    if target.kind == "time":
        assert target.lo is not None and target.hi is not None
        seconds = [target.lo, target.hi]
    elif target.kind == "pace":
        pace = target.seconds_per_km
        assert pace is not None
        seconds = [p * distance / 1000 for p in pace]
    else:
        return None
    fast, slow = distance / seconds[0], distance / seconds[1]
    where = f"'@ {target.text}' on {_distance_name(distance)}"
    per_km_hint = (
        target.kind == "time" and distance < 1000 and MIN_SPEED <= 1000 / target.lo <= MAX_SPEED  # type: ignore[operator]
    )
    hint = f": if {target.text} is a pace per km, write '@ {target.text}/km'" if per_km_hint else ""
    if fast > MAX_SPEED:
        return f"{where} is {fast:.1f} m/s, faster than {MAX_SPEED:g} m/s: check the target"
    if slow < MIN_SPEED or (per_km_hint and slow < PER_KM_HINT_SPEED):
        pace = _clock(round(1000 / slow)) or _num(round(1000 / slow))
        return f"{where} is {slow:.2f} m/s ({pace}/km){hint or ': check the target'}"
    return None
