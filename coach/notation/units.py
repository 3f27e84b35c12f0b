"""Numbers, distances and durations: canonical text for the notation and names for people."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from coach.formats import MILE, parse_time


def _num(value: float) -> str:
    """The shortest decimal text (no exponent) that reads back as exactly ``value``."""
    text = f"{Decimal(repr(float(value))):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _finite_in(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low < value <= high


def _clock(seconds: float) -> str | None:
    """``m:ss(.f)`` or ``h:mm:ss(.f)`` that ``parse_time`` reads back exactly, if there is one."""
    for decimals in range(7):
        rounded = Decimal(f"{seconds:.{decimals}f}")
        whole = int(rounded)
        fraction = f"{rounded:f}".partition(".")[2]
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        head = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
        text = f"{head}.{fraction}" if fraction else head
        try:
            if parse_time(text) == seconds:
                return text
        except ValueError:  # over 24 hours
            return None
    return None


def _time_text(seconds: float) -> str:
    """A rep time or pace as a coach writes it: ``64``, ``64.2``, ``3:05``, ``1:02:03``."""
    if seconds < 90:
        return _num(seconds)
    return _clock(seconds) or _num(seconds)


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text if float(text) == value else _num(value)


def _span(lo: float, hi: float, write: Callable[[float], str]) -> str:
    return write(lo) if lo == hi else f"{write(lo)}-{write(hi)}"


def _distance_text(metres: float) -> tuple[str, str]:
    """(number, unit) for canonical text: ``("6", "k")``, ``("2", "mi")``, ``("400", "")``."""
    miles = round(metres / MILE, 2)
    if miles >= 0.25 and float(_num(miles)) * MILE == metres:
        return _num(miles), "mi"
    if metres >= 1000 and metres % 1000 == 0:
        return _num(metres / 1000), "k"
    return _num(metres), ""


def _duration_text(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{_num(seconds / 3600)}h"
    if seconds >= 120 and seconds % 60 == 0:
        return f"{_num(seconds / 60)}min"
    return f"{_num(seconds)}s"


def _distance_name(metres: float) -> str:
    number, unit = _distance_text(metres)
    if unit == "mi":
        return "1 mile" if number == "1" else f"{number} mi"
    if unit == "k":
        return f"{number} km"
    return f"{number} m"


def _duration_name(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{_num(seconds / 3600)} h"
    if seconds < 120:
        return f"{_num(seconds)} s"
    if seconds % 60 == 0:
        return f"{_num(seconds / 60)} min"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {_num(rest)} s"


def _amount_name(distance_m: float | None, duration_s: float | None) -> str:
    if distance_m is not None:
        return _distance_name(distance_m)
    assert duration_s is not None
    return _duration_name(duration_s)
