"""Pace engine: VDOT, training paces, altitude and an athlete's paces.

Pure Python, no Django: plain functions and dataclasses that the forms, the notation parser and
the planning code all call, so every entry point parses and computes the same way. The
equations, the choices made and their sources are explained in docs/paces.md.

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

Athlete paces (``PaceProfile``)
    For one zone: the coach's override wins, then a goal time (race keys; the marathon goal for
    M; the 10k and 5k goals for T+), then the VDOT; ``None`` when nothing is known. An override
    names exactly one zone (a "5k" override does not move T+) and is a sea-level band: the
    altitude adjustment applies to it like to any other pace. The zones "goal" and "race" mean
    the profile's ``goal_race``; without one they are unknown (``None``). ``origin`` says where
    a zone's pace came from, in words for the pages: the coach's pace, a goal time, or the VDOT
    and the race it came from, and what the altitude did to it.

Times and distances as coaches write them (parsing, display) are ``coach.formats``; the world
records that bound a race result are ``coach.records``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .formats import HALF_MARATHON, MARATHON, MILE, format_time, positive, same_distance

__all__ = [
    "ALTITUDE_SLOWING_PER_1000_FT",
    "ALTITUDE_THRESHOLD_M",
    "RACES",
    "TABLE_VDOT_MAX",
    "TABLE_VDOT_MIN",
    "VDOT_MAX",
    "VDOT_MIN",
    "ZONES",
    "FrozenMap",
    "RACE_LABELS",
    "PaceProfile",
    "altitude_adjusted",
    "altitude_recovery_factor",
    "altitude_slowing",
    "best_vdot",
    "format_vdot",
    "is_extrapolated",
    "oxygen_cost",
    "pace_of",
    "per_km_to_per_400",
    "per_km_to_per_mile",
    "race_key",
    "race_time",
    "rep_time",
    "sustainable_fraction",
    "velocity_for_vo2",
    "vdot",
]

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

# Zones that slow at altitude; every other zone (R, race paces 800 m to 10 km) keeps its speed.
_ALTITUDE_SLOWED = frozenset({"E", "M", "T", "T+", "I", "HM", "marathon"})
_GOAL_ALIASES = frozenset({"goal", "race"})
_RACE_KEYS_FOLDED = {key.casefold(): key for key in RACES}


# --- small checks -----------------------------------------------------------------------------


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


def race_key(distance_m: float) -> str | None:
    """The race key of a standard race distance (``1609.34`` -> ``"mile"``, ``5000`` ->
    ``"5k"``; within half a metre, ``formats.same_distance``), else None."""
    return next((key for key, metres in RACES.items() if same_distance(metres, distance_m)), None)


def _race_key(key: str) -> str:
    canonical = _canonical_zone(key)
    if canonical not in RACES:
        raise ValueError(f"{key!r} is not a race: expected one of {', '.join(RACES)}")
    return canonical


# --- conversions ------------------------------------------------------------------------------


def per_km_to_per_400(pace: float) -> float:
    """Seconds per km -> seconds per 400 m."""
    return positive(pace, "pace") * 0.4


def per_km_to_per_mile(pace: float) -> float:
    """Seconds per km -> seconds per mile."""
    return positive(pace, "pace") * MILE / 1000


def rep_time(pace_s_per_km: float, distance_m: float) -> float:
    """Time in seconds for distance_m at a pace in seconds per km."""
    return positive(pace_s_per_km, "pace") * positive(distance_m, "distance") / 1000


def pace_of(distance_m: float, seconds: float) -> float:
    """Pace in seconds per km of distance_m run in seconds."""
    return positive(seconds, "time") * 1000 / positive(distance_m, "distance")


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
    cost = positive(vo2, "VO2")
    return (-0.182258 + math.sqrt(0.182258**2 + 4 * 0.000104 * (4.60 + cost))) / (2 * 0.000104)


def _vdot_unchecked(distance_m: float, seconds: float) -> float:
    minutes = seconds / 60
    return oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)


def vdot(distance_m: float, seconds: float) -> float:
    """VDOT of a race of distance_m run in seconds (1500 m to the marathon, VDOT 20-90; see
    ``is_extrapolated`` for values outside Daniels' tables)."""
    distance = positive(distance_m, "distance")
    time = positive(seconds, "time")
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
    distance = positive(distance_m, "distance")
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
        _race_key(key): positive(value, f"goal time for {key}")
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
    pace = positive(pace_s_per_km, "pace")
    key = _canonical_zone(zone)
    slowing = altitude_slowing(altitude_m)
    return pace * (1 + slowing) if key in _ALTITUDE_SLOWED else pace


def altitude_recovery_factor(zone: str, altitude_m: float, factor: float = 1.25) -> float:
    """Multiplier for recoveries: ``factor`` for R and race-pace reps above 914.4 m, else 1."""
    key = _canonical_zone(zone)
    altitude = _check_altitude(altitude_m)
    if positive(factor, "recovery factor") < 1:
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
        first, second = (positive(v, f"override for {zone}") for v in value)
    else:
        first = second = positive(value, f"override for {zone}")
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
        distance = positive(distance_m, "distance")
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
