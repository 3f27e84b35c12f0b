"""Times and distances as coaches write them: parsing and display, the one place for both.

Pure Python, no Django, like ``coach.pace`` (which builds on this module). docs/paces.md explains
the choices.

Units and rounding
    Distances are metres, durations seconds, paces seconds per kilometre (s/km) and speeds
    metres per second, except inside the Daniels & Gilbert equations, which use metres per
    minute and minutes as published. Everything is a float; nothing is rounded except by
    ``format_time`` for display. ``display_decimals`` gives the display precision of
    docs/paces.md ("Units, times and rounding"): 0.1 s for reps up to 400 m, whole seconds for
    longer reps and per km or mile.

Times (``parse_time`` / ``format_time``)
    Accepted: ``64``, ``64.2``, ``1:04.2``, ``3:43``, ``1:02:03`` and the IAAF style ``62"``,
    ``3'``, ``1'52"``, ``1'52.3"`` (the closing ``"`` after minutes and seconds may be left off).
    Phones' typographic quotes and primes (’ ” ′ ″) and ``''`` for seconds are read as ``'`` and
    ``"``. A phone's number pad has no colon, so ``1.06.4`` (two points: minutes, seconds,
    tenths) reads as ``1:06.4``; a number with one point stays seconds (``66.4``). The seconds
    field after a colon, a first point or ``'`` has exactly two digits and is under 60; the
    minutes field of ``h:mm:ss`` likewise. Everything else, including decimal commas, is an error
    quoting the input; the parser never guesses. Zero, negative and over-24-hour times are refused.
    The input is capped at 32 characters and matched by regexes without nested repetition, so
    parsing is linear. ``format_time`` writes what a coach writes: ``58.3``, ``2:50``,
    ``1:04.2``, ``1:02:03``; by default one decimal below 10 minutes when the value has a tenth,
    whole seconds from 10 minutes upward, rounding half up. ``parse_time(format_time(s))`` is
    ``s`` rounded to the displayed precision.

    ``time_readings`` lists what the digits of a time could have meant with the separators put
    elsewhere (``6.64``: 6.64, 66.4, 664 s): the log form offers the plausible one when a split
    is impossible for its rep (a slip on the keypad), never silently.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "HALF_MARATHON",
    "MARATHON",
    "MAX_DISTANCE_M",
    "MAX_TIME_S",
    "MILE",
    "display_decimals",
    "format_amount",
    "format_range",
    "format_split",
    "format_time",
    "parse_distance",
    "parse_time",
    "positive",
    "same_distance",
    "time_readings",
]

MILE = 1609.344
HALF_MARATHON = 21097.5
MARATHON = 42195.0

MAX_TIME_S = 24 * 3600.0
MAX_DISTANCE_M = 1_000_000.0


def positive(value: float, what: str) -> float:
    """Return value as a float, or raise when it is not a positive finite number."""
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{what} must be a positive number, not {value!r}")
    return number


# --- times ------------------------------------------------------------------------------------

_MAX_TIME_TEXT = 32
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_SECONDS_FIELD = r"[0-9]{2}(?:\.[0-9]+)?"
_PLAIN = re.compile(_NUMBER)
_CLOCK = re.compile(rf"(?:([0-9]+):([0-9]{{2}}):|([0-9]+):)({_SECONDS_FIELD})")
_DOTTED = re.compile(r"([0-9]+)\.([0-9]{2}\.[0-9]+)")  # 1.06.4: a keypad's 1:06.4
_IAAF_SECONDS = re.compile(rf'({_NUMBER})"')
_IAAF_MINUTES = re.compile(rf"""([0-9]+)'(?:({_SECONDS_FIELD})"?)?""")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "′": "'", "”": '"', "“": '"', "″": '"'})


def parse_time(text: str) -> float:
    """Parse a time as a coach writes it and return seconds.

    >>> parse_time("1:04.2"), parse_time("3'"), parse_time("1'52\\"")
    (64.2, 180.0, 112.0)
    >>> parse_time("66.4"), parse_time("1:06.4"), parse_time("1.06.4")
    (66.4, 66.4, 66.4)
    """
    raw = text
    cleaned = str(text).strip().translate(_QUOTES).replace("''", '"')

    def refuse(reason: str = "") -> ValueError:
        return ValueError(f'"{raw}" is not a time' + (f": {reason}" if reason else ""))

    if len(cleaned) > _MAX_TIME_TEXT:
        raise refuse("too long")
    if cleaned.startswith("-"):
        raise refuse("times must be positive")

    hours = minutes = 0.0
    seconds_field = True  # seconds written after minutes: must be under 60
    if _PLAIN.fullmatch(cleaned):
        seconds, seconds_field = float(cleaned), False
    elif match := _IAAF_SECONDS.fullmatch(cleaned):
        seconds, seconds_field = float(match.group(1)), False
    elif match := _CLOCK.fullmatch(cleaned):
        h, m_with_h, m_alone, s = match.groups()
        if h is not None:
            hours, minutes = float(h), float(m_with_h)
            if minutes >= 60:
                raise refuse("minutes must be under 60")
        else:
            minutes = float(m_alone)
        seconds = float(s)
    elif match := _DOTTED.fullmatch(cleaned):
        minutes, seconds = float(match.group(1)), float(match.group(2))
    elif match := _IAAF_MINUTES.fullmatch(cleaned):
        minutes = float(match.group(1))
        seconds = float(match.group(2) or 0)
    else:
        raise refuse()
    if seconds_field and seconds >= 60:
        raise refuse("seconds must be under 60")

    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise refuse("times must be more than zero")
    if total > MAX_TIME_S:
        raise refuse("that is over 24 hours")
    return total


_MAX_READING_DIGITS = 8


def time_readings(text: str) -> list[float]:
    """Every time the digits of ``text`` read as with the point or colon put elsewhere: seconds
    with a point at each place, and minutes with two digits of seconds (under 60) and any
    tenths. Sorted, without repeats; empty without digits or with more than eight.

    >>> time_readings("6.64")
    [6.64, 66.4, 664.0]
    >>> [format_time(s) for s in time_readings("4.05")]
    ['4.1', '40.5', '4:05', '6:45']
    """
    digits = "".join(ch for ch in str(text) if ch.isdecimal())
    if not digits or len(digits) > _MAX_READING_DIGITS:
        return []
    found = {float(f"{digits[:i]}.{digits[i:]}") for i in range(1, len(digits) + 1)}
    for i in range(1, len(digits) - 1):
        seconds = float(f"{digits[i:i + 2]}.{digits[i + 2:] or 0}")
        if seconds < 60:
            found.add(int(digits[:i]) * 60 + seconds)
    return sorted(value for value in found if 0 < value <= MAX_TIME_S)


def format_time(seconds: float, *, decimals: int | None = None) -> str:
    """Write seconds the way a coach does: ``58.3``, ``2:50``, ``1:04.2``, ``1:02:03``.

    By default one decimal below 10 minutes when the value has a tenth of a second, whole
    seconds otherwise; ``decimals`` forces the number of decimals. Rounds half up.
    """
    value = float(seconds)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"cannot format {seconds!r} as a time")
    if decimals is None:
        tenths = math.floor(value * 10 + 0.5)
        decimals = 1 if value < 600 and tenths % 10 else 0
    elif decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")

    scale = 10**decimals
    units = math.floor(value * scale + 0.5)
    whole, fraction = divmod(units, scale)
    tail = f".{fraction:0{decimals}d}" if decimals else ""
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}{tail}"
    if minutes:
        return f"{minutes}:{secs:02d}{tail}"
    return f"{secs}{tail}"


def format_split(seconds: float, distance_m: float | None = None) -> str:
    """A rep time as it is called at the track: ``66.5`` (not ``1:06.5``) under 100 s,
    else ``format_time``; tenths for reps up to 400 m, whole seconds beyond (docs/paces.md)."""
    decimals = 1 if distance_m is None else display_decimals(distance_m)
    if seconds < 100:
        return f"{math.floor(seconds * 10**decimals + 0.5) / 10**decimals:.{decimals}f}"
    return format_time(seconds, decimals=decimals)


def format_range(
    lo: float, hi: float | None = None, *, distance_m: float | None = None,
    decimals: int | None = None, sep: str = "–",
) -> str:
    """A target range, ``66.0–67.5``: one value when both ends read the same. Rep times as
    ``format_split`` (for ``distance_m``), or ``format_time`` when ``decimals`` is given."""

    def write(value: float) -> str:
        if decimals is None:
            return format_split(value, distance_m)
        return format_time(value, decimals=decimals)

    first = write(lo)
    last = first if hi is None else write(hi)
    return first if first == last else f"{first}{sep}{last}"


def format_amount(distance_m: float | None, duration_s: float | None) -> str:
    """An amount of running as the app shows it everywhere: ``400 m``, ``1 km``, ``2 mi``,
    ``45 s``, ``6 min``, ``1:30``, ``1:45:00``. A distance wins over a duration; whole miles
    read as miles (the notation stores ``2mi`` as 3218.688 m), whole kilometres and anything
    from 5 km up as km, shorter distances (reps: ``1200 m``) in metres to a tenth. Empty when
    there is neither."""
    if distance_m:
        miles = distance_m / MILE
        if miles >= 1 and abs(miles - round(miles)) < 1e-6:
            return f"{round(miles)} mi"
        if distance_m >= 1000 and distance_m % 1000 == 0:
            return f"{distance_m / 1000:g} km"
        if distance_m >= 5000:  # a run, not a rep: 10.2 km, 42.195 km
            return f"{round(distance_m / 1000, 3):g} km"
        return f"{round(distance_m, 1):g} m"
    if duration_s:
        if duration_s < 60:
            return f"{duration_s:g} s"
        if duration_s % 60 == 0 and duration_s < 6000:
            return f"{duration_s / 60:g} min"
        return format_time(duration_s)
    return ""


def display_decimals(distance_m: float) -> int:
    """Decimals to show for a rep of this distance: 1 up to 400 m, else 0 (docs/paces.md)."""
    return 1 if positive(distance_m, "distance") <= 400 else 0


# --- distances --------------------------------------------------------------------------------

DISTANCE_SLACK_M = 0.5


def same_distance(a_m: float, b_m: float) -> bool:
    """Whether two distances are the same race: within half a metre (a mile typed as 1609.3 m
    is the mile, 1609.344 m)."""
    return abs(a_m - b_m) < DISTANCE_SLACK_M


_DISTANCE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(m|k|km|mi|mile|miles)?")
_UNIT_METRES = {None: 1.0, "m": 1.0, "k": 1000.0, "km": 1000.0}
_NAMED_DISTANCES = {
    "mile": MILE,
    "mi": MILE,
    "hm": HALF_MARATHON,
    "half": HALF_MARATHON,
    "half marathon": HALF_MARATHON,
    "half-marathon": HALF_MARATHON,
    "marathon": MARATHON,
}


def parse_distance(text: str) -> float:
    """Parse ``5000``, ``5000m``, ``5k``, ``5km``, ``1mi``, ``mile``, ``HM``, ``half``,
    ``marathon`` (case-insensitive) and return metres."""
    cleaned = " ".join(str(text).split()).casefold()
    if cleaned in _NAMED_DISTANCES:
        return _NAMED_DISTANCES[cleaned]
    match = _DISTANCE.fullmatch(cleaned) if len(cleaned) <= 32 else None
    if match is None:
        raise ValueError(f'"{text}" is not a distance: write e.g. 5000, 5k, 1mi, HM or marathon')
    number, unit = match.groups()
    metres = float(number) * _UNIT_METRES.get(unit, MILE)
    if not 0 < metres <= MAX_DISTANCE_M:
        raise ValueError(f'"{text}" is not a distance: it must be above zero and at most 1000 km')
    return metres
