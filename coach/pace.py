"""Pace engine: times, distances, VDOT, training paces and altitude.

Pure Python, no Django: plain functions and dataclasses that the forms, the notation parser and
the planning code all call, so every entry point parses and computes the same way. The
equations, the choices made and their sources are explained in docs/paces.md.

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
    ``"``. The seconds field after a colon or ``'`` has exactly two digits and is under 60; the
    minutes field of ``h:mm:ss`` likewise. Everything else, including decimal commas, is an error
    quoting the input; the parser never guesses. Zero, negative and over-24-hour times are refused.
    The input is capped at 32 characters and matched by regexes without nested repetition, so
    parsing is linear. ``format_time`` writes what a coach writes: ``58.3``, ``2:50``,
    ``1:04.2``, ``1:02:03``; by default one decimal below 10 minutes when the value has a tenth,
    whole seconds from 10 minutes upward, rounding half up. ``parse_time(format_time(s))`` is
    ``s`` rounded to the displayed precision.

VDOT (Daniels & Gilbert, "Oxygen Power", 1979)
    ``vdot`` accepts races from 1500 m to the marathon and results of VDOT 20-90; anything
    else is a ValueError that says why (an 800 m is a race pace, not a VDOT input). Daniels'
    tables stop at 30 and 85, but the men's world records sit at VDOT 83-87 (the 5000 m record
    is 85.3, the half marathon 87.0) and beginners below 30, so the equations are used beyond
    the tables too, and ``is_extrapolated`` (VDOT outside 30-85) flags those values for the
    pages to say so (``format_vdot``: "85.4 (extrapolated)"). ``race_time`` solves the equation
    for the time by bisection; it accepts 800 m to the marathon, the 800 m being an
    extrapolation used only for 800 m race pace. These are the published equations: Daniels'
    own calculator differs by a few seconds.

Training paces (``PaceProfile.sea_level``; s/km; a band is ``(fast, slow)``, fast = fewer seconds)
    E  the band between the speeds at 73.46 % (fast end) and 63.04 % (slow end) of VDOT
       used as an oxygen cost.
    M  the average pace of the predicted marathon, or of the marathon goal time when one is set.
    T  the speed at 87.99 % of VDOT.  I  the speed at 97.43 % of VDOT.
    R  I pace per km minus 15 s, minus 20 s when VDOT < 50.
    Race keys ("800" .. "marathon"): distance / race time at the VDOT, unless a goal time is set
       for that race, which wins.
    T+ ("threshold-plus", not a Daniels zone): the band from 10 km race pace (slow end) to 5 km
       race pace (fast end); goal times for 10k and 5k therefore move T+ too (should goals make
       the 5k pace slower than the 10k pace, the band is still returned fast end first). Below
       about VDOT 28 the 10 km takes over an hour, so the band's slow end is slower than T.

Altitude (``altitude_adjusted``, docs/paces.md "Altitude")
    Percentage-of-pace model: no change up to 914.4 m (3000 ft); above it paces slow by 1.2 %
    per 1000 ft (304.8 m), linearly: 4.7 % at 2100 m (about Flagstaff), 4.8 % at 7000 ft. That is
    Daniels' 4-5 s per mile per 1000 ft expressed for a 6:00/mile threshold runner, so fast
    athletes are not over-corrected. E, M, T, T+, I and the half-marathon and marathon race
    paces slow; R and race paces from 800 m to 10 km stay at sea-level speed and get longer
    recoveries instead (``altitude_recovery_factor``, x1.25 by default). Lactate-targeted reps
    are not handled here: the lactate governs, there is no pace to adjust. Altitudes above
    6000 m are refused.

World records (``WORLD_RECORDS``, ``world_record``, ``fastest_time``)
    Men's outdoor world records (World Athletics; the half marathon as run in Barcelona in
    2025) from 100 m to the marathon bound what a race result can be. ``fastest_time`` is the
    record at a record distance (within half a metre); between two records, the power law
    through both (a straight line in log time against log distance) less 1 %, because the
    curve of best times bends a little between record distances; below 100 m and beyond the
    marathon, the distance at the average speed of the 100 m or the marathon record (nobody
    averages more over a shorter sprint, or over a longer race).

Athlete paces (``PaceProfile``)
    For one zone: the coach's override wins, then a goal time (race keys; the marathon goal for
    M; the 10k and 5k goals for T+), then the VDOT; ``None`` when nothing is known. An override
    names exactly one zone (a "5k" override does not move T+) and is a sea-level band: the
    altitude adjustment applies to it like to any other pace. The zones "goal" and "race" mean
    the profile's ``goal_race``; without one they are unknown (``None``). ``origin`` says where
    a zone's pace came from, in words for the pages: the coach's pace, a goal time, or the VDOT
    and the race it came from, and what the altitude did to it.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ALTITUDE_SLOWING_PER_1000_FT",
    "ALTITUDE_THRESHOLD_M",
    "HALF_MARATHON",
    "MARATHON",
    "MILE",
    "RACES",
    "TABLE_VDOT_MAX",
    "TABLE_VDOT_MIN",
    "VDOT_MAX",
    "VDOT_MIN",
    "WORLD_RECORDS",
    "ZONES",
    "FrozenMap",
    "RACE_LABELS",
    "PaceProfile",
    "altitude_adjusted",
    "altitude_recovery_factor",
    "altitude_slowing",
    "best_vdot",
    "display_decimals",
    "fastest_time",
    "format_time",
    "format_vdot",
    "is_extrapolated",
    "oxygen_cost",
    "pace_of",
    "parse_distance",
    "parse_time",
    "per_km_to_per_400",
    "per_km_to_per_mile",
    "race_time",
    "rep_time",
    "sustainable_fraction",
    "velocity_for_vo2",
    "vdot",
    "world_record",
]

MILE = 1609.344
HALF_MARATHON = 21097.5
MARATHON = 42195.0

RACES: dict[str, float] = {
    "800": 800.0,
    "1500": 1500.0,
    "mile": MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "HM": HALF_MARATHON,
    "marathon": MARATHON,
}

RACE_LABELS: dict[str, str] = {
    "800": "800 m",
    "1500": "1500 m",
    "mile": "mile",
    "3k": "3000 m",
    "5k": "5000 m",
    "10k": "10,000 m",
    "HM": "half marathon",
    "marathon": "marathon",
}

ZONES = ("E", "M", "T", "T+", "I", "R")

# Men's outdoor world records, seconds by distance in metres (see the module docstring).
WORLD_RECORDS: dict[float, float] = {
    100.0: 9.58,  # Bolt 2009
    200.0: 19.19,  # Bolt 2009
    400.0: 43.03,  # van Niekerk 2016
    800.0: 100.91,  # Rudisha 2012, 1:40.91
    1000.0: 131.96,  # Ngeny 1999, 2:11.96
    1500.0: 206.00,  # El Guerrouj 1998, 3:26.00
    MILE: 223.13,  # El Guerrouj 1999, 3:43.13
    2000.0: 283.13,  # Ingebrigtsen 2023, 4:43.13
    3000.0: 437.55,  # Ingebrigtsen 2024, 7:17.55
    5000.0: 755.36,  # Cheptegei 2020, 12:35.36
    10000.0: 1571.00,  # Cheptegei 2020, 26:11.00
    HALF_MARATHON: 3402.0,  # Kiplimo 2025, 56:42
    MARATHON: 7235.0,  # Kiptum 2023, 2:00:35
}
RECORD_INTERPOLATION_SLACK = 0.01

VDOT_MIN = 20.0  # accepted: beginners to beyond the world records
VDOT_MAX = 90.0
TABLE_VDOT_MIN = 30.0  # Daniels' tables; outside them a VDOT is an extrapolation
TABLE_VDOT_MAX = 85.0
VDOT_MIN_DISTANCE = 1500.0
RACE_TIME_MIN_DISTANCE = 800.0
PREFERRED_VDOT_DISTANCE = 3000.0
_VDOT_SLACK = 1e-9

E_FAST_FRACTION = 0.7346
E_SLOW_FRACTION = 0.6304
T_FRACTION = 0.8799
I_FRACTION = 0.9743

ALTITUDE_THRESHOLD_M = 914.4  # 3000 ft
ALTITUDE_SLOWING_PER_1000_FT = 0.012  # fraction of pace
ALTITUDE_MAX_M = 6000.0
FOOT = 0.3048

MAX_TIME_S = 24 * 3600.0
MAX_DISTANCE_M = 1_000_000.0

# Zones that slow at altitude; every other zone (R, race paces 800 m to 10 km) keeps its speed.
_ALTITUDE_SLOWED = frozenset({"E", "M", "T", "T+", "I", "HM", "marathon"})
_GOAL_ALIASES = frozenset({"goal", "race"})
_RACE_KEYS_FOLDED = {key.casefold(): key for key in RACES}


# --- small checks -----------------------------------------------------------------------------


def _positive(value: float, what: str) -> float:
    """Return value as a float, or raise when it is not a positive finite number."""
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{what} must be a positive number, not {value!r}")
    return number


def _check_vdot(value: float) -> float:
    number = float(value)
    if not VDOT_MIN <= number <= VDOT_MAX:  # also refuses NaN
        raise ValueError(
            f"VDOT {value:g} is outside {VDOT_MIN:g}-{VDOT_MAX:g}, beginners to beyond the "
            "world records"
        )
    return number


def is_extrapolated(vdot: float) -> bool:
    """Whether a VDOT, as shown (to one decimal), lies outside Daniels' tables (30-85): the
    equations still give paces, but nobody tabulated them, so the pages say "extrapolated".
    85.04 shows as 85.0 and is in the tables; 85.06 shows as 85.1 and is not."""
    return not TABLE_VDOT_MIN <= round(float(vdot), 1) <= TABLE_VDOT_MAX


def format_vdot(vdot: float) -> str:
    """``83.6``, or ``85.4 (extrapolated)`` outside Daniels' tables (to one decimal)."""
    text = f"{float(vdot):.1f}"
    return f"{text} (extrapolated)" if is_extrapolated(vdot) else text


def _canonical_zone(zone: str) -> str:
    """Return the canonical spelling of a zone or race key ("hm" -> "HM"), or raise."""
    text = zone.strip()
    if text in ZONES or text in RACES:
        return text
    folded = text.casefold()
    if folded in _RACE_KEYS_FOLDED:
        return _RACE_KEYS_FOLDED[folded]
    known = ", ".join((*ZONES, *RACES))
    raise ValueError(f"unknown zone {zone!r}: expected one of {known}")


def _race_key(key: str) -> str:
    canonical = _canonical_zone(key)
    if canonical not in RACES:
        raise ValueError(f"{key!r} is not a race: expected one of {', '.join(RACES)}")
    return canonical


# --- times ------------------------------------------------------------------------------------

_MAX_TIME_TEXT = 32
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_SECONDS_FIELD = r"[0-9]{2}(?:\.[0-9]+)?"
_PLAIN = re.compile(_NUMBER)
_CLOCK = re.compile(rf"(?:([0-9]+):([0-9]{{2}}):|([0-9]+):)({_SECONDS_FIELD})")
_IAAF_SECONDS = re.compile(rf'({_NUMBER})"')
_IAAF_MINUTES = re.compile(rf"""([0-9]+)'(?:({_SECONDS_FIELD})"?)?""")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "′": "'", "”": '"', "“": '"', "″": '"'})


def parse_time(text: str) -> float:
    """Parse a time as a coach writes it and return seconds.

    >>> parse_time("1:04.2"), parse_time("3'"), parse_time("1'52\\"")
    (64.2, 180.0, 112.0)
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
    return 1 if _positive(distance_m, "distance") <= 400 else 0


# --- distances --------------------------------------------------------------------------------

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


# --- conversions ------------------------------------------------------------------------------


def per_km_to_per_400(pace: float) -> float:
    """Seconds per km -> seconds per 400 m."""
    return _positive(pace, "pace") * 0.4


def per_km_to_per_mile(pace: float) -> float:
    """Seconds per km -> seconds per mile."""
    return _positive(pace, "pace") * MILE / 1000


def rep_time(pace_s_per_km: float, distance_m: float) -> float:
    """Time in seconds for distance_m at a pace in seconds per km."""
    return _positive(pace_s_per_km, "pace") * _positive(distance_m, "distance") / 1000


def pace_of(distance_m: float, seconds: float) -> float:
    """Pace in seconds per km of distance_m run in seconds."""
    return _positive(seconds, "time") * 1000 / _positive(distance_m, "distance")


# --- world records ----------------------------------------------------------------------------

_RECORDS = sorted(WORLD_RECORDS.items())


def world_record(distance_m: float) -> float | None:
    """The men's outdoor world record in seconds when distance_m is a record distance (within
    half a metre), else None."""
    distance = _positive(distance_m, "distance")
    return next((t for d, t in _RECORDS if abs(d - distance) < 0.5), None)


def fastest_time(distance_m: float) -> float:
    """The fastest time a race over distance_m can have, in seconds: a result faster than
    this is a typo (see the module docstring for how distances between records are bound)."""
    record = world_record(distance_m)
    if record is not None:
        return record
    distance = float(distance_m)
    (first_d, first_t), (last_d, last_t) = _RECORDS[0], _RECORDS[-1]
    if distance < first_d:
        return distance * first_t / first_d
    if distance > last_d:
        return distance * last_t / last_d
    (d1, t1), (d2, t2) = next((a, b) for a, b in itertools.pairwise(_RECORDS)
                              if a[0] < distance < b[0])
    exponent = math.log(t2 / t1) / math.log(d2 / d1)
    return t1 * (distance / d1) ** exponent * (1 - RECORD_INTERPOLATION_SLACK)


# --- VDOT -------------------------------------------------------------------------------------


def oxygen_cost(v_m_per_min: float) -> float:
    """Daniels & Gilbert oxygen cost (ml/kg/min) of running at v metres per minute."""
    return -4.60 + 0.182258 * v_m_per_min + 0.000104 * v_m_per_min**2


def sustainable_fraction(minutes: float) -> float:
    """Fraction of VO2max sustainable for a race lasting this many minutes."""
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def velocity_for_vo2(vo2: float) -> float:
    """Speed in metres per minute whose oxygen cost is vo2 (positive root of the quadratic)."""
    cost = _positive(vo2, "VO2")
    return (-0.182258 + math.sqrt(0.182258**2 + 4 * 0.000104 * (4.60 + cost))) / (2 * 0.000104)


def _vdot_unchecked(distance_m: float, seconds: float) -> float:
    minutes = seconds / 60
    return oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)


def vdot(distance_m: float, seconds: float) -> float:
    """VDOT of a race of distance_m run in seconds (1500 m to the marathon, VDOT 20-90; see
    ``is_extrapolated`` for values outside Daniels' tables)."""
    distance = _positive(distance_m, "distance")
    time = _positive(seconds, "time")
    if distance < VDOT_MIN_DISTANCE:
        raise ValueError(
            f"{distance:g} m is too short for a VDOT, which needs a race from 1500 m to the "
            "marathon: use an 800 m result as a race pace, not a VDOT input"
        )
    if distance > MARATHON:
        raise ValueError(
            f"{distance:g} m is longer than a marathon: VDOT needs a race from 1500 m to the "
            "marathon"
        )
    result = _vdot_unchecked(distance, time)
    # The tolerance lets race_time(20, d) and race_time(90, d) map back into the range.
    if not VDOT_MIN - _VDOT_SLACK <= result <= VDOT_MAX + _VDOT_SLACK:
        raise ValueError(
            f"{format_time(time)} for {distance:g} m gives VDOT {result:.1f}, outside "
            f"{VDOT_MIN:g}-{VDOT_MAX:g} (beginners to beyond the world records)"
        )
    return result


@functools.lru_cache(maxsize=4096)
def race_time(vdot: float, distance_m: float) -> float:
    """Predicted time in seconds for distance_m at this VDOT (800 m to the marathon).

    Solves ``VO2(d/t) / F(t) = VDOT`` for t by bisection: the left side falls as t grows. The
    800 m is an extrapolation of the equations, allowed for 800 m race pace only.
    """
    target = _check_vdot(vdot)
    distance = _positive(distance_m, "distance")
    if not RACE_TIME_MIN_DISTANCE <= distance <= MARATHON:
        raise ValueError(f"race times are predicted from 800 m to the marathon, not {distance:g} m")
    # Bracket in minutes: 2400 m/min is far above VDOT 90, 60 m/min far below VDOT 20.
    fast, slow = distance / 2400, distance / 60
    for _ in range(100):
        middle = (fast + slow) / 2
        if _vdot_unchecked(distance, middle * 60) > target:
            fast = middle
        else:
            slow = middle
    return (fast + slow) / 2 * 60


def best_vdot(
    results: Iterable[tuple[float, float]],
) -> tuple[float, tuple[float, float]] | None:
    """Pick the VDOT to plan with from (distance_m, seconds) race results.

    Invalid results are ignored. Results of 3000 m or longer are preferred over shorter ones;
    among the candidates the highest VDOT wins (the first on a tie). Returns
    ``(vdot, (distance_m, seconds))`` naming the race it came from, or None.
    """
    valid: list[tuple[float, tuple[float, float]]] = []
    for distance, seconds in results:
        try:
            valid.append((vdot(distance, seconds), (distance, seconds)))
        except (ValueError, TypeError):
            continue
    long_ones = [item for item in valid if item[1][0] >= PREFERRED_VDOT_DISTANCE]
    candidates = long_ones or valid
    if not candidates:
        return None
    return max(candidates, key=lambda item: item[0])


# --- training paces ---------------------------------------------------------------------------


def _pace_at_fraction(vdot: float, fraction: float) -> float:
    return 60_000 / velocity_for_vo2(fraction * vdot)


def _race_pace(vdot: float | None, key: str, goals: Mapping[str, float]) -> float | None:
    distance = RACES[key]
    if key in goals:
        return goals[key] * 1000 / distance
    if vdot is None:
        return None
    return race_time(vdot, distance) * 1000 / distance


def _band(vdot: float | None, zone: str, goals: Mapping[str, float]) -> tuple[float, float] | None:
    """(fast, slow) s/km for a canonical zone, or None when it needs a VDOT and has none."""
    if zone in RACES or zone == "M":
        pace = _race_pace(vdot, "marathon" if zone == "M" else zone, goals)
        return None if pace is None else (pace, pace)
    if zone == "T+":
        five, ten = _race_pace(vdot, "5k", goals), _race_pace(vdot, "10k", goals)
        return None if five is None or ten is None else (min(five, ten), max(five, ten))
    if vdot is None:
        return None
    if zone == "E":
        return (_pace_at_fraction(vdot, E_FAST_FRACTION), _pace_at_fraction(vdot, E_SLOW_FRACTION))
    if zone == "T":
        pace = _pace_at_fraction(vdot, T_FRACTION)
    else:
        pace = _pace_at_fraction(vdot, I_FRACTION)
        if zone == "R":
            pace -= 20 if vdot < 50 else 15
    return (pace, pace)


def _goal_map(goal_times: Mapping[str, float] | None) -> dict[str, float]:
    return {
        _race_key(key): _positive(value, f"goal time for {key}")
        for key, value in (goal_times or {}).items()
    }


# --- altitude ---------------------------------------------------------------------------------


def _check_altitude(altitude_m: float) -> float:
    altitude = float(altitude_m)
    if not altitude <= ALTITUDE_MAX_M or not math.isfinite(altitude):
        raise ValueError(f"altitude {altitude_m!r} m is not a training altitude")
    return altitude


def altitude_slowing(altitude_m: float) -> float:
    """Fraction by which aerobic paces slow at this altitude (0 up to 914.4 m)."""
    above = _check_altitude(altitude_m) - ALTITUDE_THRESHOLD_M
    return max(0.0, above / (1000 * FOOT) * ALTITUDE_SLOWING_PER_1000_FT)


def altitude_adjusted(pace_s_per_km: float, zone: str, altitude_m: float) -> float:
    """The sea-level pace for a zone adjusted for training at altitude_m (s/km).

    E, M, T, T+, I, HM and marathon paces slow by ``altitude_slowing``; R and race paces from
    800 m to 10 km are unchanged (they get longer recoveries instead).
    """
    pace = _positive(pace_s_per_km, "pace")
    key = _canonical_zone(zone)
    slowing = altitude_slowing(altitude_m)
    return pace * (1 + slowing) if key in _ALTITUDE_SLOWED else pace


def altitude_recovery_factor(zone: str, altitude_m: float, factor: float = 1.25) -> float:
    """Multiplier for recoveries: ``factor`` for R and race-pace reps above 914.4 m, else 1."""
    key = _canonical_zone(zone)
    altitude = _check_altitude(altitude_m)
    if _positive(factor, "recovery factor") < 1:
        raise ValueError(f"a recovery factor below 1 shortens recoveries: {factor!r}")
    if key in _ALTITUDE_SLOWED or altitude <= ALTITUDE_THRESHOLD_M:
        return 1.0
    return float(factor)


# --- athlete profile --------------------------------------------------------------------------


class FrozenMap(Mapping[str, Any]):
    """A read-only, hashable mapping so that a frozen PaceProfile stays hashable."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})
        self._hash = hash(frozenset(self._data.items()))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def _override_band(zone: str, value: Any) -> tuple[float, float]:
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"override for {zone} must be a pace or a (fast, slow) pair")
        first, second = (_positive(v, f"override for {zone}") for v in value)
    else:
        first = second = _positive(value, f"override for {zone}")
    return (min(first, second), max(first, second))


@dataclass(frozen=True)
class PaceProfile:
    """An athlete's paces at planning time.

    ``goal_times`` maps race keys to goal seconds; ``overrides`` maps zones or race keys to
    coach-set sea-level (fast, slow) s/km bands (a single number means (p, p)); ``goal_race``
    is the race key of the block's goal race, which the zones "goal" and "race" refer to.
    Both mappings are stored as read-only ``FrozenMap`` objects, so profiles are hashable.
    ``vdot_race`` names the race the VDOT came from (``5000 m 13:32.4``), for ``origin``.
    """

    vdot: float | None = None
    goal_times: Mapping[str, float] = field(default_factory=FrozenMap)
    overrides: Mapping[str, tuple[float, float]] = field(default_factory=FrozenMap)
    altitude_m: float = 0.0
    goal_race: str | None = None
    vdot_race: str | None = None

    def __post_init__(self) -> None:
        if self.vdot is not None:
            object.__setattr__(self, "vdot", _check_vdot(self.vdot))
        object.__setattr__(self, "goal_times", FrozenMap(_goal_map(self.goal_times)))
        overrides = {}
        for zone, value in self.overrides.items():
            key = _canonical_zone(zone)
            overrides[key] = _override_band(key, value)
        object.__setattr__(self, "overrides", FrozenMap(overrides))
        object.__setattr__(self, "altitude_m", _check_altitude(self.altitude_m))
        if self.goal_race is not None:
            object.__setattr__(self, "goal_race", _race_key(self.goal_race))

    def _resolve(self, zone: str) -> str | None:
        if zone.strip().casefold() in _GOAL_ALIASES:
            return self.goal_race
        return _canonical_zone(zone)

    def sea_level(self, zone: str) -> tuple[float, float] | None:
        """(fast, slow) s/km at sea level: override, then goal time, then VDOT; else None."""
        key = self._resolve(zone)
        if key is None:
            return None
        if key in self.overrides:
            return self.overrides[key]
        return _band(self.vdot, key, self.goal_times)

    def _both(self, zone: str) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """(adjusted band, sea-level band) in s/km, or None if nothing is known."""
        key = self._resolve(zone)
        sea = None if key is None else self.sea_level(key)
        if key is None or sea is None:
            return None
        high = (
            altitude_adjusted(sea[0], key, self.altitude_m),
            altitude_adjusted(sea[1], key, self.altitude_m),
        )
        return high, sea

    def adjusted(self, zone: str) -> tuple[float, float] | None:
        """(fast, slow) s/km adjusted for the profile's altitude; None if nothing is known."""
        both = self._both(zone)
        return None if both is None else both[0]

    def rep_target(
        self, zone: str, distance_m: float
    ) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((fast_s, slow_s) adjusted, (fast_s, slow_s) sea level) for one rep of distance_m."""
        distance = _positive(distance_m, "distance")
        both = self._both(zone)
        if both is None:
            return None
        high, sea = both
        return (
            (rep_time(high[0], distance), rep_time(high[1], distance)),
            (rep_time(sea[0], distance), rep_time(sea[1], distance)),
        )

    @property
    def extrapolated(self) -> bool:
        """Whether the VDOT lies outside Daniels' tables (``is_extrapolated``)."""
        return self.vdot is not None and is_extrapolated(self.vdot)

    def origin(self, zone: str, *, altitude: bool = True) -> str | None:
        """Where the zone's pace comes from, in words for the pages: ``the coach's pace``,
        ``goal 3:55 for the mile``, ``VDOT 83.6 from 5000 m 13:32.4`` (the same order as
        ``sea_level``: override, goal, VDOT; T+ names both of its races when they differ). With
        ``altitude``, what the profile's altitude did: ``+4.7 % for 2100 m altitude``, or
        ``sea-level speed at 2100 m`` for the zones that keep their speed. None when the
        pace is unknown."""
        key = self._resolve(zone)
        if key is None or self.sea_level(key) is None:
            return None
        text = "the coach's pace" if key in self.overrides else self._computed_origin(key)
        slowing = altitude_slowing(self.altitude_m)
        if altitude and slowing:
            where = f"{self.altitude_m:g} m"
            text += (f", +{slowing * 100:.1f} % for {where} altitude" if key in _ALTITUDE_SLOWED
                     else f", sea-level speed at {where}")
        return text

    def _computed_origin(self, key: str) -> str:
        """The origin of a known pace that no override sets: a goal time or the VDOT."""
        if key == "M":
            return self._computed_origin("marathon")
        if key == "T+":
            return "; ".join(dict.fromkeys(self._computed_origin(k) for k in ("5k", "10k")))
        if key in self.goal_times:
            return f"goal {format_time(self.goal_times[key])} for the {RACE_LABELS[key]}"
        assert self.vdot is not None  # a known pace without goal or override has a VDOT
        found = f" from {self.vdot_race}" if self.vdot_race else ""
        return f"VDOT {format_vdot(self.vdot)}{found}"

    def recovery_factor(self, zone: str, factor: float = 1.25) -> float:
        """Recovery multiplier for reps in this zone at the profile's altitude."""
        key = self._resolve(zone)
        if key is None:
            return 1.0
        return altitude_recovery_factor(key, self.altitude_m, factor)
