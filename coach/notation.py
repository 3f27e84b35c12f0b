"""Workout notation: the text a coach types, as structured, immutable data.

Pure Python, no Django. ``parse(text)`` reads a workout such as
``2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD`` into a ``Workout``;
``format(workout)`` writes its canonical text, and ``parse(format(w)) == w`` for every workout.
``Workout.steps`` expands it into the flat list of steps (warm-up, each rep, each recovery, set
rests, rest parts, cool-down) that the log form, lap matching and totals use. ``resolve``
turns the targets of the work steps into times and paces for one athlete (``coach.pace``).

Grammar actually accepted (DOMAIN.md section 5, with the choices below)::

    workout  = part { sep part } [ "#" note ] ;
    sep      = "&" | "+" | ";" | "," | "then" | line break ;     (* a trailing sep is allowed *)
    part     = [ label ":" ] ( set | block | ladder | rest | easy ) ;
    label    = letters ;                        (* AM, PM, Main: applies until the next label *)
    set      = int X "(" part { sep part } ")" [ target ] [ recovery ] ;  (* nested <= 3 deep *)
    block    = [ int X [ int X ] ] work [ target ] [ recovery ] ;     (* 4 x 3 x 400: sets, reps *)
    ladder   = work "-" work { "-" work } [ target ] [ recovery ] ;
    rest     = amount mode ;                                          (* 5' jog *)
    easy     = amount ( "WU" | "warm-up" | "warmup" | "warm up"
                      | "CD" | "cool-down" | "cooldown" | "cool down" | "warm-down" | "easy" ) ;
    X        = "x" | "X" | "×" | "*" ;
    work     = amount ;
    amount   = number [ "m" | "k" | "km" | "mi" | "mile" | "miles" ]     (* bare = metres *)
             | number ( "min" | "s" | "sec" | "h" | "hr" ... ) | time ;    (* time: a duration *)
    time     = clock | iaaf ;                    (* 1:04.2, 1:02:03, 62", 62'', 3', 1'52" *)
    target   = ( "@" | "at" ) tgt { "," tgt } | "(" rtime [ "-" rtime ] ")" ;
    tgt      = rtime [ "-" rtime ] [ "s" | "sec" ]           (* time for ONE rep: 64, 64-65 *)
             | rtime [ "-" rtime ] "/" ( "km" | "k" | "mi" | "mile" | "400" ) [ "pace" ]
             | zone [ "pace" ] | race { "/" race } [ "pace" ]
             | number [ "-" number ] "mmol" [ "/L" ] | number [ "-" number ] "bpm"
             | "RPE" number [ "-" number ] ;
    rtime    = number | time ;
    zone     = "E" | "M" | "T" | "T+" | "I" | "R" ;                   (* capitals only *)
    race     = "800" | "1500" | "mile" | "3k" | "5k" | "10k" | "HM" | "marathon"
             | "race" | "goal" ;                                       (* any case *)
    recovery = "(" rec [ ( "/" | "&" ) rec ] ")" | "[" rec [ ( "&" | "/" ) rec ] "]"
             | ( "w/" | "with" | "r" ) rec [ "/" rec ] | rec [ "/" rec ] ;
    rec      = amount [ mode [ "recovery" ] ] | "equal" [ "time" ] [ mode ] ;
    mode     = "jog" | "walk" | "stand" | "float" | "rest" | "recovery" ;

Words are case-insensitive except the zones (``M`` is marathon pace, ``m`` metres: a capital
``M`` after a number is refused), the ``r`` recovery prefix (lower case; ``R`` is a zone) and
labels (kept as written). Phones' typographic quotes and primes, ``×`` and en dashes are read as
their ASCII forms.

Choices (where DOMAIN.md leaves room):
- A clock or IAAF time written as work or recovery (``4x4:00``, ``[3' & 5']``) is a duration.
  In brackets right after the work, a bare time (``(64)``, ``(56")``, ``(1:04-1:05)``) is the
  rep time, as in the IAAF style; anything with a unit or a mode word is a recovery (``(60s)``,
  ``(200 jog)``). Once an ``@`` target is written, ``(...)`` is always a recovery, and a bare
  number in it is metres (a warning asks to confirm when it is under 100).
- After a target, a comma continues the target list only when a whole target follows it (and
  then a comma, a recovery, a separator or the end); otherwise it separates parts:
  ``6x1k @ T, 3.0 mmol`` has two targets, ``6x1k @ T, 4x200 @ R`` two parts. A recovery
  written without brackets or ``with`` must stand on the same line as its reps.
- ``800`` and ``1500`` alone after ``@`` are race paces, not rep times of 13:20 and 25:00;
  with ``-``, ``/km`` and so on they are times. ``3k``, ``5k``, ``10k`` after ``@`` are races.
  A bare time may carry ``s`` (``@ 64s``).
- A rep time needs a distance: ``5x6min @ 64`` is an error; duration reps take a pace, a zone,
  a race pace, lactate, heart rate or RPE.
- A list of race paces (``@ 10k/5k/3k/mile pace``) gives one pace per ladder step, or per rep
  within each set of a block; its length must match.
- ``a/b`` and ``[a & b]`` are rep rest / set rest. A single recovery after a set group
  (``3x(4x400) 3min``) is the rest between sets. The rep rest of a set group, and its targets,
  are pushed into the parts inside the brackets (rep rest only into those without their own),
  so ``3x(4x400) @ 64 60s/3min`` and ``3x(4x400 @ 64 (60s)) (3min)`` are the same workout.
- Recovery after each rep; after the last rep of a set, the set rest if there is one (so a
  block's set rest also separates it from a following block: ``6x400 60s/3min; 6x200``). The
  recovery after the last rep of a part is kept only when the next step is another rep: a rest
  part, a warm-up, a cool-down, an easy part or a change of label (AM/PM) drops it. A set rest
  after a set that ends with a rest part is kept (the coach wrote both).
- A ``with``/``w/`` recovery on a part joined by ``&`` or ``+`` to earlier blocks or ladders
  with no recovery of their own (same label) applies to them too, with a warning.
- ``easy`` is a warm-up when no rep comes before it, a cool-down when reps come before but none
  after, and a ``rest`` step between reps (an easy-only workout is one warm-up step). Inside a
  set group it is a rest step. Its steps carry ``mode="easy"`` wherever they stand, so they
  read as easy running, not as a warm-up.
- Equal-time recoveries: the recovery step keeps ``equal=True`` and gets ``duration_s`` when the
  rep before it has a known duration (a duration rep, or a time or pace target: the middle of
  the range); otherwise ``duration_s`` is None (``resolve`` cannot know it either without
  running).
- Labels apply to the part they precede and every later part until the next label. A workout
  in which an unlabelled part follows a labelled one cannot be written, and is refused.
- ``Workout.warnings`` is not part of equality: it says how the text was read (implausible
  speeds, a ``with`` recovery applied to several parts), not what the workout is.
- Canonical text: parts joined by ``"; "``; distances as metres, whole ``k`` or ``mi``;
  durations as ``s`` under two minutes, else whole ``min`` or ``h``; rep times under 90 s as
  seconds, longer ones as clocks (any value that would not read back exactly is written as
  plain seconds); recoveries in brackets (``[rep & set]`` when there is a set rest).
- Totals: ``work_distance_m`` counts distance reps, ``work_duration_s`` timed reps;
  ``recovery_distance_m``/``recovery_duration_s`` count recoveries, set rests and rest parts;
  ``total_distance_m`` every known distance including warm-up and cool-down.
- Errors are ``NotationError(column, message)`` (a ``ValueError``; 1-based column in the text
  as typed; ``text`` keeps the input). Nothing else escapes ``parse``.
- Limits: at most ``MAX_LENGTH`` characters, ``MAX_REPS`` reps in the expanded workout, set
  groups nested ``MAX_DEPTH`` deep; distances up to 100 km, times and durations up to 24 h.
  Parsing is one pass over the tokens with bounded look-ahead, so it is linear in the input.
- Implausible targets warn: an implied speed below 2 m/s or above 10.5 m/s, and a bare time
  on a rep under 1000 m slower than 2.5 m/s that would be a plausible pace per km
  (``400 @ 3:05``: probably ``@ 3:05/km``).

Target resolution (``resolve(workout, profile)``, one ``ResolvedStep`` per work step):
explicit times are used as written (no altitude change); explicit paces are converted to rep
times; zones and race paces go through ``profile.rep_target`` for rep times and
``profile.adjusted``/``profile.sea_level`` for paces (altitude-adjusted and sea-level side by
side), and ``profile.recovery_factor`` gives the altitude multiplier for the recovery. The
first explicit time or pace wins over named targets; else the first named target that the
profile knows. A lactate target keeps the pace at its sea-level value (the
lactate governs, DOMAIN.md section 3). Duration reps get a pace per km and an estimated distance
range instead of rep times. Lactate-, heart-rate- and RPE-only reps get no times.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeAlias

from coach.pace import MILE, RACES, ZONES, parse_time

if TYPE_CHECKING:
    from coach.pace import PaceProfile

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_REPS",
    "MODES",
    "RACE_NAMES",
    "Amount",
    "Block",
    "EasyRun",
    "Ladder",
    "NotationError",
    "Part",
    "Recovery",
    "ResolvedStep",
    "Rest",
    "SetGroup",
    "Step",
    "Target",
    "Workout",
    "format",
    "parse",
    "resolve",
    "resolve_step",
]

MAX_LENGTH = 4000
MAX_REPS = 500
MAX_DEPTH = 3
MAX_DISTANCE_M = 100_000.0
MAX_DURATION_S = 24 * 3600.0
MIN_SPEED = 2.0  # m/s: slower than this, a rep target is probably a typo
MAX_SPEED = 10.5  # m/s: faster than the world record for 100 m
PER_KM_HINT_SPEED = 2.5  # m/s: a short rep this slow whose time reads as a plausible km pace

TargetKind: TypeAlias = Literal["time", "pace", "zone", "race", "lactate", "hr", "rpe"]
StepKind: TypeAlias = Literal["warmup", "work", "recovery", "cooldown", "rest"]
EasyKind: TypeAlias = Literal["warmup", "cooldown", "easy"]

MODES = ("jog", "walk", "stand", "float", "rest", "recovery")
RACE_NAMES = (*RACES, "race", "goal")
PACE_UNITS = {"km": 1000.0, "mi": MILE, "400": 400.0}

_MODE_WORDS = {
    **{mode: mode for mode in MODES},
    "jogging": "jog",
    "walking": "walk",
    "standing": "stand",
    "floating": "float",
    "rec": "recovery",
}
_NOISE_WORDS = frozenset({"recovery", "rec", "rest", "recoveries"})
_EASY_WORDS: dict[str, EasyKind] = {
    "wu": "warmup",
    "warmup": "warmup",
    "warm-up": "warmup",
    "cd": "cooldown",
    "cooldown": "cooldown",
    "cool-down": "cooldown",
    "warmdown": "cooldown",
    "warm-down": "cooldown",
    "easy": "easy",
}
_EASY_PAIRS: dict[tuple[str, str], EasyKind] = {
    ("warm", "up"): "warmup",
    ("cool", "down"): "cooldown",
    ("warm", "down"): "cooldown",
}
_DISTANCE_UNITS = {
    "m": 1.0,
    "k": 1000.0,
    "km": 1000.0,
    "mi": MILE,
    "mile": MILE,
    "miles": MILE,
}
_DURATION_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
}
_RACE_WORDS = {"mile": "mile", "hm": "HM", "marathon": "marathon", "race": "race", "goal": "goal"}
_RACE_KS = {"3": "3k", "5": "5k", "10": "10k"}
_PACE_UNIT_WORDS = {"km": "km", "k": "km", "mi": "mi", "mile": "mi"}
_SECONDS_WORDS = frozenset({"s", "sec", "secs"})
_SEP_SYMBOLS = frozenset("&+;,")
_AND_SEPS = frozenset("&+")
_KEYWORDS = frozenset(
    {
        *_MODE_WORDS,
        *_NOISE_WORDS,
        *_EASY_WORDS,
        "warm",
        "cool",
        "x",
        "w/",
        "with",
        "r",
        "equal",
        "time",
        "then",
        "at",
        "pace",
        "mmol",
        "bpm",
    }
)
_TARGET_LIMITS = {  # kind: (lowest, highest, what)
    "time": (0.0, MAX_DURATION_S, "a rep time"),
    "pace": (0.0, MAX_DURATION_S, "a pace"),
    "lactate": (0.0, 30.0, "a lactate target (mmol/L)"),
    "hr": (30.0, 250.0, "a heart rate (bpm)"),
    "rpe": (0.0, 10.0, "an RPE"),
}
_TARGET_HELP = (
    "a time such as 64, a pace such as 3:05/km, a zone (E M T T+ I R), a race pace such as "
    "mile or 5k, a lactate such as 2.5 mmol, a heart rate such as 150 bpm or RPE 7"
)


class NotationError(ValueError):
    """The text is not a workout. ``column`` is 1-based; ``text`` is what the coach typed."""

    def __init__(self, column: int, message: str, text: str = "") -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.message = message
        self.text = text

    def __reduce__(self) -> tuple[type[NotationError], tuple[int, str, str]]:
        return (type(self), (self.column, self.message, self.text))


# --- numbers and canonical text ---------------------------------------------------------------


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


# --- the data ---------------------------------------------------------------------------------


def _check_amount(distance_m: float | None, duration_s: float | None, what: str) -> None:
    if (distance_m is None) == (duration_s is None):
        raise ValueError(f"{what} needs a distance or a duration, not both")
    if distance_m is not None and not _finite_in(distance_m, 0.0, MAX_DISTANCE_M):
        raise ValueError(f"{what}: a distance must be above 0 and at most 100 km")
    if duration_s is not None and not _finite_in(duration_s, 0.0, MAX_DURATION_S):
        raise ValueError(f"{what}: a duration must be above 0 and at most 24 h")


def _floats(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None and not isinstance(value, bool):
            object.__setattr__(obj, name, float(value))


def _check_label(label: str | None) -> None:
    if label is not None and not (label.isascii() and label.isalpha()):
        raise ValueError(f"a label is one word of letters, not {label!r}")


@dataclass(frozen=True)
class Amount:
    """A distance in metres or a duration in seconds: the work of a rep, a rest, a warm-up."""

    distance_m: float | None = None
    duration_s: float | None = None

    def __post_init__(self) -> None:
        _floats(self, "distance_m", "duration_s")
        _check_amount(self.distance_m, self.duration_s, "an amount")

    @property
    def text(self) -> str:
        """Canonical notation: ``400``, ``6k``, ``2mi``, ``6min``, ``90s``."""
        if self.distance_m is not None:
            return "".join(_distance_text(self.distance_m))
        assert self.duration_s is not None
        return _duration_text(self.duration_s)

    @property
    def name(self) -> str:
        """For people: ``400 m``, ``1 km``, ``1 mile``, ``6 min``, ``90 s``."""
        return _amount_name(self.distance_m, self.duration_s)


@dataclass(frozen=True)
class Target:
    """One target for a rep.

    ``time``: ``lo``-``hi`` seconds for one rep. ``pace``: ``lo``-``hi`` seconds per ``unit``
    ("km", "mi" or "400"). ``zone``: ``name`` in ``ZONES``. ``race``: ``name`` in
    ``RACE_NAMES`` ("race" and "goal" mean the goal race). ``lactate`` (mmol/L), ``hr`` (bpm),
    ``rpe``: ``lo``-``hi``. A single value has ``lo == hi``; ``lo`` is never above ``hi``.
    """

    kind: TargetKind
    lo: float | None = None
    hi: float | None = None
    unit: str | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind in ("zone", "race"):
            names = ZONES if self.kind == "zone" else RACE_NAMES
            if self.name not in names or (self.lo, self.hi, self.unit) != (None, None, None):
                raise ValueError(f"a {self.kind} target needs only a name from {names}")
            return
        if self.kind not in _TARGET_LIMITS:
            raise ValueError(f"unknown target kind {self.kind!r}")
        if self.hi is None:
            object.__setattr__(self, "hi", self.lo)
        _floats(self, "lo", "hi")
        if self.lo is None or self.hi is None or self.name is not None:
            raise ValueError(f"a {self.kind} target needs a value and no name")
        low, high, what = _TARGET_LIMITS[self.kind]
        for value in (self.lo, self.hi):
            if not _finite_in(value, low, high):
                raise ValueError(
                    f"{_num(value)} is not {what}: it must be above {low:g} and at most {high:g}"
                )
        if self.lo > self.hi:
            raise ValueError("a target range goes from low to high")
        if (self.kind == "pace") != (self.unit is not None) or (
            self.unit is not None and self.unit not in PACE_UNITS
        ):
            raise ValueError("a pace needs a unit (km, mi or 400); other targets have none")

    @property
    def text(self) -> str:
        """Canonical notation: ``64``, ``3:00-3:05/km``, ``T+``, ``mile pace``, ``2.5 mmol``."""
        if self.kind == "zone":
            return str(self.name)
        if self.kind == "race":
            return f"{self.name} pace"
        assert self.lo is not None and self.hi is not None
        if self.kind == "time":
            return _span(self.lo, self.hi, _time_text)
        if self.kind == "pace":
            return f"{_span(self.lo, self.hi, _time_text)}/{self.unit}"
        if self.kind == "lactate":
            return f"{_span(self.lo, self.hi, _one_decimal)} mmol"
        if self.kind == "hr":
            return f"{_span(self.lo, self.hi, _num)} bpm"
        return f"RPE {_span(self.lo, self.hi, _num)}"

    @property
    def seconds_per_km(self) -> tuple[float, float] | None:
        """(fast, slow) s/km of a pace target, else None."""
        if self.kind != "pace":
            return None
        assert self.lo is not None and self.hi is not None and self.unit is not None
        scale = 1000.0 / PACE_UNITS[self.unit]
        return (self.lo * scale, self.hi * scale)


@dataclass(frozen=True)
class Recovery:
    """Recovery between reps or sets: a distance, a duration, or ``equal`` to the rep before."""

    distance_m: float | None = None
    duration_s: float | None = None
    equal: bool = False
    mode: str | None = None

    def __post_init__(self) -> None:
        _floats(self, "distance_m", "duration_s")
        if self.equal:
            if self.distance_m is not None or self.duration_s is not None:
                raise ValueError("an equal-time recovery has no amount of its own")
        else:
            _check_amount(self.distance_m, self.duration_s, "a recovery")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"unknown recovery mode {self.mode!r}: expected one of {MODES}")

    @property
    def text(self) -> str:
        """Canonical notation inside brackets: ``200 jog``, ``200m``, ``60s``, ``equal time``."""
        if self.equal:
            head = "equal time"
        elif self.distance_m is not None:
            number, unit = _distance_text(self.distance_m)
            head = number + (unit or ("" if self.mode else "m"))
        else:
            assert self.duration_s is not None
            head = _duration_text(self.duration_s)
        return f"{head} {self.mode}" if self.mode else head

    @property
    def name(self) -> str:
        """For people: ``200 m jog``, ``60 s``, ``equal time jog``."""
        head = "equal time" if self.equal else _amount_name(self.distance_m, self.duration_s)
        return f"{head} {self.mode}" if self.mode else head


def _check_reps(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REPS:
        raise ValueError(f"{what} must be a whole number from 1 to {MAX_REPS}")


def _check_rep_targets(
    works: tuple[Amount, ...], targets: tuple[Target, ...], series: tuple[Target, ...], count: int
) -> None:
    if not all(isinstance(t, Target) for t in (*targets, *series)):
        raise ValueError("targets must be Target objects")
    if any(t.kind == "time" for t in targets) and any(w.duration_s is not None for w in works):
        raise ValueError(
            "a rep time needs a distance: give a timed rep a pace (3:05/km), a zone or a race pace"
        )
    if series:
        if any(t.kind != "race" for t in series) or len(series) < 2:
            raise ValueError("a list of race paces has two or more race targets")
        if len(series) != count:
            raise ValueError(
                f"{len(series)} race paces for {count} reps: give one race pace per rep"
            )


@dataclass(frozen=True)
class Block:
    """``sets`` x ``reps`` x ``work``: ``12x400 @ 64 (200 jog)``, ``4 x 3 x 400 [3' & 5']``.

    ``recovery`` follows each rep, ``set_recovery`` (which needs a ``recovery``) the last rep of
    each set; ``series`` is a list of race paces, one per rep within a set.
    """

    work: Amount
    reps: int = 1
    sets: int = 1
    targets: tuple[Target, ...] = ()
    series: tuple[Target, ...] = ()
    recovery: Recovery | None = None
    set_recovery: Recovery | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "series", tuple(self.series))
        _check_reps(self.reps, "reps")
        _check_reps(self.sets, "sets")
        _check_rep_targets((self.work,), self.targets, self.series, self.reps)
        if self.set_recovery is not None and self.recovery is None:
            raise ValueError("a set rest needs a rep rest: write [60s & 3min]")
        _check_label(self.label)


@dataclass(frozen=True)
class Ladder:
    """``400-800-1200-800-400 @ I (equal time jog)``: one rep of each amount, in order."""

    works: tuple[Amount, ...]
    targets: tuple[Target, ...] = ()
    series: tuple[Target, ...] = ()
    recovery: Recovery | None = None
    set_recovery: Recovery | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "works", tuple(self.works))
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "series", tuple(self.series))
        if not 2 <= len(self.works) <= MAX_REPS:
            raise ValueError(f"a ladder has from 2 to {MAX_REPS} steps")
        _check_rep_targets(self.works, self.targets, self.series, len(self.works))
        if self.set_recovery is not None and self.recovery is None:
            raise ValueError("a set rest needs a rep rest: write [60s & 3min]")
        _check_label(self.label)


@dataclass(frozen=True)
class SetGroup:
    """``3x(4x400 (60s)) (3min)``: ``parts`` repeated ``sets`` times, ``set_recovery`` between.

    Targets and rep rests written after the brackets live on the inner parts.
    """

    sets: int
    parts: tuple[Part, ...]
    set_recovery: Recovery | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))
        _check_reps(self.sets, "sets")
        if not self.parts or not all(isinstance(p, _PART_TYPES) for p in self.parts):
            raise ValueError("a set group holds one or more parts")
        if not any(_rep_total(p) for p in self.parts):
            raise ValueError("a set needs reps, as in 3x(4x400)")
        for part in self.parts:
            if part.label is not None:
                raise ValueError("parts inside a set group take no label")
            if isinstance(part, EasyRun) and part.kind != "easy":
                raise ValueError("a warm-up or cool-down cannot be repeated inside a set")
        if _depth(self) > MAX_DEPTH:
            raise ValueError(f"set groups are nested at most {MAX_DEPTH} deep")
        _check_label(self.label)


@dataclass(frozen=True)
class Rest:
    """A rest part between other parts: ``5' jog``, ``400 walk``."""

    amount: Amount
    mode: str
    label: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown rest mode {self.mode!r}: expected one of {MODES}")
        _check_label(self.label)


@dataclass(frozen=True)
class EasyRun:
    """Easy running: ``2mi WU`` (warmup), ``2k CD`` (cooldown), ``15min easy`` (easy)."""

    amount: Amount
    kind: EasyKind
    label: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("warmup", "cooldown", "easy"):
            raise ValueError(f"unknown easy kind {self.kind!r}")
        _check_label(self.label)


Part: TypeAlias = Block | Ladder | SetGroup | Rest | EasyRun
_PART_TYPES = (Block, Ladder, SetGroup, Rest, EasyRun)
_REP_TYPES = (Block, Ladder, SetGroup)


def _rep_total(part: Part) -> int:
    if isinstance(part, Block):
        return part.sets * part.reps
    if isinstance(part, Ladder):
        return len(part.works)
    if isinstance(part, SetGroup):
        return part.sets * sum(_rep_total(p) for p in part.parts)
    return 0


def _depth(part: Part) -> int:
    if isinstance(part, SetGroup):
        return 1 + max(_depth(p) for p in part.parts)
    return 0


@dataclass(frozen=True)
class Step:
    """One step of the expanded workout.

    ``kind`` is warmup, work, recovery (after a rep; ``set_rest`` when it ends a set), rest (a
    rest part, or easy running between reps) or cooldown. ``mode`` is how a recovery or rest
    part is covered (jog, walk, ...), and ``easy`` on running written as ``easy``: where it
    stands makes ``45min easy`` a warm-up step, the mode keeps it an easy run. ``set_index``
    and ``rep_index`` are 1-based within the top-level part (the outermost set; the rep within
    that set); on a recovery they are those of the rep it follows, as is ``rep_number``, the
    rep's position in the whole workout. ``part_index`` is the index in ``Workout.parts``.
    """

    kind: StepKind
    name: str
    distance_m: float | None = None
    duration_s: float | None = None
    targets: tuple[Target, ...] = ()
    mode: str | None = None
    label: str | None = None
    part_index: int = 0
    set_index: int | None = None
    rep_index: int | None = None
    rep_number: int | None = None
    equal: bool = False
    set_rest: bool = False

    @property
    def target_text(self) -> str:
        """The targets as written canonically: ``T+, 3.0-3.5 mmol``; empty when none."""
        return ", ".join(t.text for t in self.targets)

    @property
    def rep_seconds(self) -> float | None:
        """The rep's duration when known: its own, or the middle of a time or pace target."""
        if self.duration_s is not None or self.distance_m is None:
            return self.duration_s
        for target in self.targets:
            if target.kind == "time":
                assert target.lo is not None and target.hi is not None
                return (target.lo + target.hi) / 2
            pace = target.seconds_per_km
            if pace is not None:
                return (pace[0] + pace[1]) / 2 * self.distance_m / 1000
        return None


@dataclass(frozen=True)
class Workout:
    """A parsed workout. Build one with ``parse``; ``format`` gives its canonical text.

    ``warnings`` (not part of equality) tell the coach how the text was read.
    """

    parts: tuple[Part, ...]
    note: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        if not self.parts or not all(isinstance(p, _PART_TYPES) for p in self.parts):
            raise ValueError("a workout has one or more parts")
        labelled = False
        for part in self.parts:
            if part.label is None and labelled:
                raise ValueError("a label applies until the next label: label every later part")
            labelled = labelled or part.label is not None
        if self.note != self.note.strip():
            raise ValueError("a note has no leading or trailing space")
        total = sum(_rep_total(p) for p in self.parts)
        if total > MAX_REPS:
            raise ValueError(f"{total} reps: a workout has at most {MAX_REPS}")

    def __str__(self) -> str:
        return format(self)

    @property
    def text(self) -> str:
        """The canonical notation, ``format(self)``."""
        return format(self)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """The flat list: warm-up, each rep, each recovery, set rests, rest parts, cool-down."""
        return _Expander(self.parts).run()

    @property
    def work_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind == "work")

    @property
    def recovery_steps(self) -> tuple[Step, ...]:
        """Recoveries after reps and set rests (not rest parts)."""
        return tuple(s for s in self.steps if s.kind == "recovery")

    @property
    def rep_count(self) -> int:
        return sum(_rep_total(p) for p in self.parts)

    @property
    def work_distance_m(self) -> float:
        """Metres of the distance reps (timed reps add nothing)."""
        return sum((s.distance_m or 0.0 for s in self.work_steps), 0.0)

    @property
    def work_duration_s(self) -> float:
        """Seconds of the timed reps (distance reps add nothing)."""
        return sum((s.duration_s or 0.0 for s in self.work_steps), 0.0)

    @property
    def recovery_distance_m(self) -> float:
        """Metres of recovery: recoveries after reps, set rests and rest parts."""
        return sum((s.distance_m or 0.0 for s in self.steps if s.kind in ("recovery", "rest")), 0.0)

    @property
    def recovery_duration_s(self) -> float:
        """Seconds of recovery with a known duration (equal time when the rep's is known)."""
        return sum((s.duration_s or 0.0 for s in self.steps if s.kind in ("recovery", "rest")), 0.0)

    @property
    def total_distance_m(self) -> float:
        """Every known distance: warm-up, reps, recoveries, rest parts, cool-down."""
        return sum((s.distance_m or 0.0 for s in self.steps), 0.0)

    def estimated_duration_s(
        self,
        easy_s_per_km: float = 330.0,
        work_s_per_km: float = 240.0,
        resolved: Sequence[ResolvedStep] | None = None,
    ) -> float:
        """A rough session length in seconds.

        Known durations count as they are. A distance rep takes, in this order, the middle of
        its resolved target time (``resolved``: ``resolve(self, profile)`` for one athlete),
        its own time or pace target, the middle of its resolved pace, else ``work_s_per_km``;
        other distances are run at ``easy_s_per_km`` (walked at twice it). An equal-time
        recovery whose rep has no known time lasts as long as the rep's estimate.
        """
        targets = iter(resolved or ())
        total = 0.0
        last_rep = 0.0
        for step in self.steps:
            if step.kind == "work":
                seconds = _rep_estimate(step, next(targets, None), work_s_per_km)
                last_rep = seconds
            elif step.duration_s is not None:
                seconds = step.duration_s
            elif step.equal:
                seconds = last_rep
            else:
                assert step.distance_m is not None
                pace = easy_s_per_km * (2 if step.mode == "walk" else 1)
                seconds = step.distance_m * pace / 1000
            total += seconds
        return total


def _rep_estimate(step: Step, resolved: ResolvedStep | None, work_s_per_km: float) -> float:
    """Seconds one rep should take (see ``Workout.estimated_duration_s``)."""
    if resolved is not None and resolved.target_lo_s is not None:
        return (resolved.target_lo_s + (resolved.target_hi_s or resolved.target_lo_s)) / 2
    if step.rep_seconds is not None:
        return step.rep_seconds
    assert step.distance_m is not None
    if resolved is not None and resolved.pace_lo_s_per_km is not None:
        pace = (resolved.pace_lo_s_per_km + (resolved.pace_hi_s_per_km
                                             or resolved.pace_lo_s_per_km)) / 2
        return pace * step.distance_m / 1000
    return step.distance_m * work_s_per_km / 1000


# --- expansion --------------------------------------------------------------------------------


class _Expander:
    """Turns parts into steps. A recovery waits in ``pending`` until the next rep needs it."""

    def __init__(self, parts: tuple[Part, ...]) -> None:
        self.parts = parts
        self.steps: list[Step] = []
        self.pending: tuple[Recovery, bool] | None = None
        self.last_rep: Step | None = None
        self.rep_number = 0
        self.part_index = 0
        self.label: str | None = None
        self.set_index = 1
        self.rep_index = 0
        self.nested = 0

    def run(self) -> tuple[Step, ...]:
        totals = [_rep_total(p) for p in self.parts]
        for index, part in enumerate(self.parts):
            if index and part.label != self.label:
                self.pending = None  # AM and PM are separate sessions
            self.part_index, self.label = index, part.label
            if isinstance(part, EasyRun):
                kind: StepKind
                if part.kind != "easy":
                    kind = part.kind
                elif not any(totals[:index]):
                    kind = "warmup"
                elif not any(totals[index + 1 :]):
                    kind = "cooldown"
                else:
                    kind = "rest"
                self._easy(part, kind)
            else:
                self._part(part)
        return tuple(self.steps)

    def _set(self, index: int) -> None:
        if not self.nested:
            self.set_index, self.rep_index = index, 0

    def _part(self, part: Part) -> None:
        if isinstance(part, Block):
            for set_index in range(1, part.sets + 1):
                self._set(set_index)
                for rep in range(part.reps):
                    series = (part.series[rep],) if part.series else ()
                    self._rep(part.work, part.targets + series)
                    ends_set = rep == part.reps - 1 and part.set_recovery is not None
                    self._wait(part.set_recovery if ends_set else part.recovery, ends_set)
        elif isinstance(part, Ladder):
            self._set(1)
            for index, work in enumerate(part.works):
                series = (part.series[index],) if part.series else ()
                self._rep(work, part.targets + series)
                ends = index == len(part.works) - 1 and part.set_recovery is not None
                self._wait(part.set_recovery if ends else part.recovery, ends)
        elif isinstance(part, SetGroup):
            for set_index in range(1, part.sets + 1):
                self._set(set_index)
                self.nested += 1
                for inner in part.parts:
                    self._part(inner)
                self.nested -= 1
                if part.set_recovery is not None:
                    self._wait(part.set_recovery, True)
        elif isinstance(part, Rest):
            self.pending = None
            self._add("rest", part.amount, f"{part.amount.name} {part.mode}", mode=part.mode)
        else:
            assert isinstance(part, EasyRun)
            self._easy(part, "rest")

    def _easy(self, part: EasyRun, kind: StepKind) -> None:
        self.pending = None
        word = {"warmup": "warm-up", "cooldown": "cool-down", "easy": "easy"}[part.kind]
        mode = "easy" if part.kind == "easy" else None  # ``45min easy`` is an easy run
        self._add(kind, part.amount, f"{part.amount.name} {word}", mode=mode)

    def _add(self, kind: StepKind, amount: Amount, name: str, mode: str | None = None) -> None:
        self.steps.append(
            Step(
                kind=kind,
                name=name,
                distance_m=amount.distance_m,
                duration_s=amount.duration_s,
                mode=mode,
                label=self.label,
                part_index=self.part_index,
            )
        )

    def _wait(self, recovery: Recovery | None, set_rest: bool) -> None:
        self.pending = None if recovery is None else (recovery, set_rest)

    def _rep(self, work: Amount, targets: tuple[Target, ...]) -> None:
        if self.pending is not None and self.last_rep is not None:
            recovery, set_rest = self.pending
            rep = self.last_rep
            duration = recovery.duration_s
            if recovery.equal:
                duration = rep.rep_seconds
            self.steps.append(
                Step(
                    kind="recovery",
                    name=recovery.name,
                    distance_m=recovery.distance_m,
                    duration_s=duration,
                    mode=recovery.mode,
                    label=rep.label,
                    part_index=rep.part_index,
                    set_index=rep.set_index,
                    rep_index=rep.rep_index,
                    rep_number=rep.rep_number,
                    equal=recovery.equal,
                    set_rest=set_rest,
                )
            )
        self.pending = None
        self.rep_number += 1
        self.rep_index += 1
        step = Step(
            kind="work",
            name=work.name,
            distance_m=work.distance_m,
            duration_s=work.duration_s,
            targets=targets,
            label=self.label,
            part_index=self.part_index,
            set_index=self.set_index,
            rep_index=self.rep_index,
            rep_number=self.rep_number,
        )
        self.steps.append(step)
        self.last_rep = step


# --- canonical text ---------------------------------------------------------------------------


def _targets_text(targets: tuple[Target, ...], series: tuple[Target, ...]) -> str:
    texts = [t.text for t in targets]
    if series:
        texts.append("/".join(str(t.name) for t in series) + " pace")
    return f" @ {', '.join(texts)}" if texts else ""


def _recovery_text(recovery: Recovery | None, set_recovery: Recovery | None) -> str:
    if recovery is None:
        return "" if set_recovery is None else f" ({set_recovery.text})"
    if set_recovery is None:
        return f" ({recovery.text})"
    return f" [{recovery.text} & {set_recovery.text}]"


def _part_text(part: Part) -> str:
    if isinstance(part, Block):
        counts = "".join(f"{n}x" for n in ((part.sets,) if part.sets > 1 else ()) + (part.reps,))
        head = f"{counts}{part.work.text}" if part.sets > 1 or part.reps > 1 else part.work.text
        return (
            head
            + _targets_text(part.targets, part.series)
            + _recovery_text(part.recovery, part.set_recovery)
        )
    if isinstance(part, Ladder):
        return (
            "-".join(w.text for w in part.works)
            + _targets_text(part.targets, part.series)
            + _recovery_text(part.recovery, part.set_recovery)
        )
    if isinstance(part, SetGroup):
        inner = "; ".join(_part_text(p) for p in part.parts)
        return f"{part.sets}x({inner})" + _recovery_text(None, part.set_recovery)
    if isinstance(part, Rest):
        return f"{part.amount.text} {part.mode}"
    word = {"warmup": "WU", "cooldown": "CD", "easy": "easy"}[part.kind]
    return f"{part.amount.text} {word}"


def format(workout: Workout) -> str:
    """The canonical text of a workout; ``parse(format(w)) == w``."""
    texts = []
    label: str | None = None
    for part in workout.parts:
        text = _part_text(part)
        if part.label is not None and part.label != label:
            text = f"{part.label}: {text}"
        label = part.label
        texts.append(text)
    body = "; ".join(texts)
    return f"{body} # {workout.note}" if workout.note else body


# --- lexer ------------------------------------------------------------------------------------

_DIGITS = frozenset(string.digits)
_LETTERS = frozenset(string.ascii_letters)
_SYMBOLS = frozenset("@()[]&+;,/-:*.")
_TRANSLATE = str.maketrans(
    {"’": "'", "‘": "'", "′": "'", "”": '"', "“": '"', "″": '"', "×": "x", "–": "-", "—": "-"}
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "time", "word", "sym" or "end"
    text: str
    col: int
    glued: bool  # no space before it
    newline: bool  # a line break before it
    value: float = 0.0

    def word(self) -> str:
        return self.text.casefold() if self.kind == "word" else ""

    def sym(self, *symbols: str) -> bool:
        return self.kind == "sym" and self.text in symbols

    def quoted(self) -> str:
        return "the end" if self.kind == "end" else f"'{self.text}'"


def _number_end(src: str, i: int) -> int:
    n = len(src)
    while i < n and src[i] in _DIGITS:
        i += 1
    if i + 1 < n and src[i] == "." and src[i + 1] in _DIGITS:
        i += 1
        while i < n and src[i] in _DIGITS:
            i += 1
    return i


def _time_end(src: str, j: int) -> int | None:
    """The end of a clock or IAAF time whose leading number ends at j, or None."""
    n = len(src)
    if j + 1 < n and src[j] == ":" and src[j + 1] in _DIGITS:
        while j + 1 < n and src[j] == ":" and src[j + 1] in _DIGITS:
            j = _number_end(src, j + 1)
        return j
    if src.startswith("''", j):
        return j + 2
    if src.startswith('"', j):
        return j + 1
    if src.startswith("'", j):
        j += 1
        if j < n and src[j] in _DIGITS:
            j = _number_end(src, j)
            if src.startswith("''", j):
                return j + 2
            if src.startswith('"', j):
                return j + 1
        return j
    return None


def _word_end(src: str, i: int) -> tuple[int, str]:
    n = len(src)
    j = i
    while j < n and src[j] in _LETTERS:
        j += 1
    word = src[i:j]
    if word in ("w", "W") and src.startswith("/", j):
        return j + 1, "w/"
    if word == "T" and src.startswith("+", j) and not (j + 1 < n and src[j + 1] in _DIGITS):
        return j + 1, "T+"
    if j + 1 < n and src[j] == "-" and src[j + 1] in _LETTERS:
        k = j + 1
        while k < n and src[k] in _LETTERS:
            k += 1
        if src[i:k].casefold() in _EASY_WORDS:
            return k, src[i:k]
    return j, word


def _lex(text: str) -> tuple[list[_Token], str]:
    body, _, note = text.partition("#")
    src = body.translate(_TRANSLATE)
    tokens: list[_Token] = []
    i, n = 0, len(src)
    space, newline = True, False
    while i < n:
        ch = src[i]
        col = i + 1
        if ch.isspace():
            space = True
            newline = newline or ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
            i += 1
            continue
        glued = not space
        if ch in _DIGITS:
            j = _number_end(src, i)
            end = _time_end(src, j)
            if end is None:
                if j + 1 < n and src[j] == "," and src[j + 1] in _DIGITS:
                    raise NotationError(
                        j + 1,
                        "a comma between digits: write decimals with a point (2.5) and put a "
                        "space after a comma that separates",
                    )
                token = _Token("num", src[i:j], col, glued, newline, float(src[i:j]))
            else:
                j = end
                try:
                    value = parse_time(src[i:j])
                except ValueError as error:
                    raise NotationError(col, str(error)) from None
                token = _Token("time", src[i:j], col, glued, newline, value)
        elif ch in _LETTERS:
            j, word = _word_end(src, i)
            token = _Token("word", word, col, glued, newline)
        elif ch in _SYMBOLS:
            j = i + 1
            token = _Token("sym", ch, col, glued, newline)
        else:
            raise NotationError(col, f"unexpected character {ch!r}")
        tokens.append(token)
        i = j
        space = newline = False
    tokens.append(_Token("end", "", len(body) + 1, not space, newline))
    return tokens, note.strip()


# --- parser -----------------------------------------------------------------------------------


def _is_x(token: _Token) -> bool:
    return token.word() == "x" or token.sym("*")


def _is_sep(token: _Token) -> bool:
    return (token.kind == "sym" and token.text in _SEP_SYMBOLS) or token.word() == "then"


@dataclass
class _Parsed:
    """A part as parsed, with what the sequence needs to know about it."""

    part: Part
    col: int
    with_recovery: bool = False


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens, self.note = _lex(text)
        self.src = text.partition("#")[0].translate(_TRANSLATE)
        self.i = 0
        self.depth = 0
        self.warnings: list[str] = []

    # helpers

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def run(self, token: _Token) -> str:
        """The text typed from token up to the next space or bracket, for messages."""
        end = token.col - 1
        while (
            end < len(self.src) and not self.src[end].isspace() and self.src[end] not in "()[],;&@"
        ):
            end += 1
        return self.src[token.col - 1 : end]

    def fail(self, token: _Token, message: str) -> NotationError:
        return NotationError(token.col, message)

    def expect_close(self, opening: _Token) -> None:
        closing = ")" if opening.text == "(" else "]"
        token = self.peek()
        if not token.sym(closing):
            raise self.fail(
                token,
                f"expected '{closing}' to close the '{opening.text}' at column {opening.col}, "
                f"found {token.quoted()}",
            )
        self.take()

    # workout and sequences

    def workout(self) -> Workout:
        first = self.peek()
        if first.kind == "end":
            note = ": nothing before the '#' note" if self.note else ""
            raise NotationError(1, f"empty workout{note}")
        parsed = self.sequence(nested=False)
        token = self.peek()
        if token.kind != "end":
            raise self.fail(
                token,
                f"unexpected {token.quoted()}: expected a separator (; & + , then) or the end",
            )
        total = 0
        for item in parsed:
            total += _rep_total(item.part)
            if total > MAX_REPS:
                raise NotationError(
                    item.col, f"that makes {total} reps: a workout has at most {MAX_REPS}"
                )
        parts = tuple(item.part for item in parsed)
        self.warnings.extend(_speed_warnings(parts))
        return Workout(parts=parts, note=self.note, warnings=tuple(dict.fromkeys(self.warnings)))

    def sequence(self, *, nested: bool) -> list[_Parsed]:
        parsed: list[_Parsed] = []
        seps: list[str] = []
        label: str | None = None
        while True:
            token = self.peek()
            if token.kind == "word" and self.peek(1).sym(":"):
                if nested:
                    raise self.fail(token, "a label (AM:) goes before a part, not inside brackets")
                if not token.text.isalpha():
                    raise self.fail(token, f"a label is one word of letters, not '{token.text}'")
                label = token.text
                self.i += 2
            parsed.append(self.part(label))
            token = self.peek()
            if _is_sep(token):
                self.take()
                seps.append(token.text)
                after = self.peek()
                if after.kind == "end" or (nested and after.sym(")")):
                    break
                continue
            if token.newline and token.kind != "end" and not token.sym(")"):
                seps.append("\n")
                continue
            break
        self.spread_with(parsed, seps)
        return parsed

    def spread_with(self, parsed: list[_Parsed], seps: list[str]) -> None:
        """A ``with`` recovery after &-joined parts without their own applies to all of them."""
        for k, item in enumerate(parsed):
            if not item.with_recovery:
                continue
            source = item.part
            assert isinstance(source, Block | Ladder)
            j = k - 1
            while (
                j >= 0
                and seps[j] in _AND_SEPS
                and isinstance(parsed[j].part, Block | Ladder)
                and parsed[j].part.recovery is None  # type: ignore[union-attr]
                and parsed[j].part.label == source.label
            ):
                j -= 1
            if j == k - 1:
                continue
            names = " & ".join(_part_text(p.part) for p in parsed[j + 1 : k])
            for other in parsed[j + 1 : k]:
                other.part = replace(
                    other.part,  # type: ignore[arg-type]
                    recovery=source.recovery,
                    set_recovery=source.set_recovery,
                )
            assert source.recovery is not None
            self.warnings.append(
                f"the recovery 'with {source.recovery.text}' was applied to {names} too: check "
                "that is what you meant"
            )

    # parts

    def part(self, label: str | None) -> _Parsed:
        token = self.peek()
        if token.kind == "num" and _is_x(self.peek(1)):
            count = self.count(token)
            x = self.peek(1)
            self.i += 2
            if self.peek().sym("("):
                return _Parsed(self.set_group(count, label), token.col)
            sets = 1
            if self.peek().kind == "num" and _is_x(self.peek(1)):
                sets, count, x = count, self.count(self.peek()), self.peek(1)
                self.i += 2
                if self.peek().sym("("):
                    raise self.fail(self.peek(), "a group of sets takes one count: 3x(4x400)")
            work = self.amount(f"after '{x.text}'")
            if self.peek().sym("-") and self.peek(1).kind in ("num", "time"):
                raise self.fail(
                    self.peek(), "a ladder takes no rep count: write 2x(400-800-400) for sets"
                )
            return self.block(token, (work,), count, sets, label)
        if token.kind in ("num", "time"):
            work = self.amount("")
            after = self.peek()
            if after.sym("-") and self.peek(1).kind in ("num", "time"):
                works = [work]
                while self.peek().sym("-") and self.peek(1).kind in ("num", "time"):
                    self.take()
                    works.append(self.amount("after '-'"))
                return self.block(token, tuple(works), 1, 1, label)
            kind = _EASY_WORDS.get(after.word()) or _EASY_PAIRS.get(
                (after.word(), self.peek(1).word())
            )
            if kind is not None:
                self.i += 1 if after.word() in _EASY_WORDS else 2
                return _Parsed(EasyRun(work, kind, label), token.col)
            if after.word() in _MODE_WORDS:
                return _Parsed(Rest(work, self.mode(), label), token.col)
            if label is not None and label.casefold() in _EASY_WORDS:
                self.warnings.append(
                    f"'{label}: {work.text}' is read as one rep of {work.name}; for easy "
                    f"running write '{work.text} {label}'"
                )
            return self.block(token, (work,), 1, 1, label)
        raise self.fail(
            token,
            f"expected a workout part such as 6x400, 3x(4x400), 400-800-400, 2mi WU or "
            f"5' jog, found {token.quoted()}",
        )

    def count(self, token: _Token) -> int:
        if not token.text.isdigit():
            raise self.fail(token, f"a rep count is a whole number, not {token.text}")
        if len(token.text) > 6 or not 1 <= int(token.text) <= MAX_REPS:
            raise self.fail(token, f"a rep count goes from 1 to {MAX_REPS}, not {token.text}")
        return int(token.text)

    def amount(self, after: str) -> Amount:
        """A distance or duration: ``400``, ``1k``, ``2mi``, ``6min``, ``60s``, ``3'``, ``4:00``."""
        token = self.peek()
        expected = f"expected a distance or duration{' ' + after if after else ''}"
        if token.kind == "time":
            self.take()
            return self.make_amount(token, None, token.value)
        if token.kind != "num":
            raise self.fail(token, f"{expected}, found {token.quoted()}")
        self.take()
        unit = self.peek()
        word = "" if unit.newline or self.peek(1).sym(":") else unit.word()
        if word and unit.text == "M":
            raise self.fail(unit, "write m for metres, min for minutes or mi for miles")
        if word in _DISTANCE_UNITS:
            self.take()
            return self.make_amount(token, token.value * _DISTANCE_UNITS[word], None)
        if word in _DURATION_UNITS:
            self.take()
            return self.make_amount(token, None, token.value * _DURATION_UNITS[word])
        if unit.kind == "word" and unit.glued and word not in _KEYWORDS:
            raise self.fail(unit, expected)
        return self.make_amount(token, token.value, None)

    def make_amount(self, token: _Token, distance: float | None, duration: float | None) -> Amount:
        try:
            return Amount(distance, duration)
        except ValueError as error:
            reason = str(error).partition(": ")[2]
            raise self.fail(token, f"{token.text}: {reason}") from None

    def mode(self) -> str:
        mode = _MODE_WORDS[self.take().word()]
        if self.peek().word() in _NOISE_WORDS and mode != "rest":
            self.take()
        return mode

    def block(
        self,
        start: _Token,
        works: tuple[Amount, ...],
        reps: int,
        sets: int,
        label: str | None,
    ) -> _Parsed:
        count = len(works) if len(works) > 1 else reps
        targets, series, target_token = self.targets(works, count)
        recovery, set_recovery, via_with = self.recovery(has_target=bool(targets or series))
        try:
            part: Part
            if len(works) > 1:
                part = Ladder(works, targets, series, recovery, set_recovery, label)
            else:
                part = Block(works[0], reps, sets, targets, series, recovery, set_recovery, label)
        except ValueError as error:  # pragma: no cover - the parser checks first
            raise self.fail(target_token or start, str(error)) from None
        return _Parsed(part, start.col, via_with)

    def set_group(self, sets: int, label: str | None) -> SetGroup:
        opening = self.take()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(opening, f"set groups are nested at most {MAX_DEPTH} deep")
        inner = self.sequence(nested=True)
        self.expect_close(opening)
        self.depth -= 1
        for item in inner:
            if isinstance(item.part, EasyRun) and item.part.kind != "easy":
                raise NotationError(
                    item.col, "a warm-up or cool-down cannot be repeated inside a set"
                )
        parts = tuple(item.part for item in inner)
        if not any(_rep_total(p) for p in parts):
            raise self.fail(opening, "a set needs reps, as in 3x(4x400)")
        targets, series, target_token = self.targets(None, None)
        recovery, set_recovery, _ = self.recovery(has_target=bool(targets or series))
        if set_recovery is None:
            recovery, set_recovery = None, recovery
        try:
            pushed = tuple(_push_down(p, targets, series, recovery) for p in parts)
        except ValueError as error:
            assert target_token is not None
            raise self.fail(target_token, str(error)) from None
        return SetGroup(sets, pushed, set_recovery, label)

    # targets

    def targets(
        self, works: tuple[Amount, ...] | None, count: int | None
    ) -> tuple[tuple[Target, ...], tuple[Target, ...], _Token | None]:
        """``@ tgt, tgt`` or ``(64)``: (targets, race-pace series, first target token)."""
        token = self.peek()
        if token.sym("@") or token.word() == "at":
            self.take()
            first = self.peek()
            targets: list[Target] = []
            series: tuple[Target, ...] = ()
            while True:
                start = self.peek()
                target = self.target()
                if isinstance(target, tuple):
                    if series:
                        raise self.fail(start, "only one list of race paces per part")
                    if count is not None and len(target) != count:
                        raise self.fail(
                            start,
                            f"{len(target)} race paces for {count} reps: give one per rep",
                        )
                    series = target
                else:
                    if (
                        target.kind == "time"
                        and works is not None
                        and any(w.duration_s is not None for w in works)
                    ):
                        raise self.fail(
                            start,
                            "a rep time needs a distance: give a timed rep a pace (3:05/km), "
                            "a zone or a race pace",
                        )
                    targets.append(target)
                if self.peek().sym(",") and self.target_follows():
                    self.take()
                    continue
                return tuple(targets), series, first
        if token.sym("(") and self.paren_time():
            self.take()
            start = self.peek()
            time = self.time_range()
            self.take()  # ")"
            if works is not None and any(w.duration_s is not None for w in works):
                raise self.fail(start, "a rep time in brackets needs a distance rep")
            return (time,), (), start
        return (), (), None

    def paren_time(self) -> bool:
        """Whether ``(`` starts a bare rep time: ``(64)``, ``(56")``, ``(1:04-1:05)``."""
        if self.peek(1).kind not in ("num", "time"):
            return False
        if self.peek(2).sym(")"):
            return True
        return (
            self.peek(2).sym("-") and self.peek(3).kind in ("num", "time") and self.peek(4).sym(")")
        )

    def target_follows(self) -> bool:
        """After a comma: does a target follow (else the comma separates parts)?"""
        saved = self.i
        self.take()
        try:
            self.target()
        except NotationError:
            return False
        else:
            after = self.peek()
            return (
                after.kind in ("end", "num", "time")
                or after.sym(",", "(", "[", ")", "]", "&", "+", ";")
                or after.word() in ("w/", "with", "r", "equal", "then")
            )
        finally:
            self.i = saved

    def target(self) -> Target | tuple[Target, ...]:
        token = self.peek()
        word = token.word()
        if token.kind == "word":
            if token.text in ZONES:
                self.take()
                if self.peek().word() == "pace":
                    self.take()
                return Target("zone", name=token.text)
            if word in _RACE_WORDS:
                return self.races()
            if word == "rpe":
                self.take()
                lo, hi = self.number_range("RPE")
                return self.make_target(token, "rpe", lo, hi)
            if token.text.upper() in ZONES:
                raise self.fail(token, f"zones are written in capitals: {token.text.upper()}")
            raise self.fail(token, f"unknown target '{token.text}': expected {_TARGET_HELP}")
        if token.kind == "num":
            unit = self.peek(1)
            if unit.word() in ("k", "km") and token.text in _RACE_KS:
                return self.races()
            if unit.word() in ("mmol", "bpm"):
                return self.measured()
            if token.text in ("800", "1500") and not (
                unit.sym("-")
                or (unit.sym("/") and self.peek(2).word() in ("km", "k", "mi"))
                or (unit.sym("/") and self.peek(2).text == "400")
            ):
                return self.races()
            if unit.sym("-") and self.peek(3).word() in ("mmol", "bpm"):
                return self.measured()
        if token.kind in ("num", "time"):
            return self.time_range()
        raise self.fail(token, f"expected a target after '@': {_TARGET_HELP}")

    def number_range(self, what: str) -> tuple[float, float]:
        token = self.peek()
        if token.kind != "num":
            raise self.fail(token, f"expected a number after {what}")
        self.take()
        lo = hi = token.value
        if self.peek().sym("-"):
            self.take()
            second = self.peek()
            if second.kind != "num":
                raise self.fail(second, f"expected a number after '-' in {what}")
            self.take()
            hi = second.value
        return min(lo, hi), max(lo, hi)

    def measured(self) -> Target:
        token = self.peek()
        lo, hi = self.number_range("a lactate or heart-rate range")
        unit = self.take().word()
        if unit == "mmol" and self.peek().sym("/") and self.peek(1).word() == "l":
            self.i += 2
        return self.make_target(token, "lactate" if unit == "mmol" else "hr", lo, hi)

    def make_target(
        self, token: _Token, kind: TargetKind, lo: float, hi: float, unit: str | None = None
    ) -> Target:
        try:
            return Target(kind, lo, hi, unit)
        except ValueError as error:
            raise self.fail(token, str(error)) from None

    def time_range(self) -> Target:
        """``64``, ``64-65``, ``64s``, ``3:05/km``, ``3:00-3:05/km``, ``72/400``."""
        token = self.take()
        lo = hi = self.time_value(token)
        if self.peek().sym("-"):
            self.take()
            second = self.peek()
            if second.kind not in ("num", "time"):
                raise self.fail(second, "expected a time after '-'")
            self.take()
            hi = self.time_value(second)
        lo, hi = min(lo, hi), max(lo, hi)
        if self.peek().sym("/"):
            self.take()
            unit_token = self.take()
            unit = _PACE_UNIT_WORDS.get(unit_token.word())
            if unit is None and unit_token.text == "400":
                unit = "400"
                if self.peek().word() == "m" and self.peek().glued:
                    self.take()
            if unit is None:
                raise self.fail(unit_token, "expected km, mi or 400 after '/' in a pace")
            if self.peek().word() == "pace":
                self.take()
            return self.make_target(token, "pace", lo, hi, unit)
        if self.peek().word() in _SECONDS_WORDS and token.kind == "num":
            self.take()
        return self.make_target(token, "time", lo, hi)

    def time_value(self, token: _Token) -> float:
        after = self.peek()
        if after.glued and (
            (after.kind == "word" and after.word() not in _KEYWORDS | _SECONDS_WORDS)
            or after.kind in ("num", "time")
            or after.sym(".", ":")
        ):
            raise self.fail(token, f'"{self.run(token)}" is not a time')
        if token.kind == "time":
            return token.value
        try:
            return parse_time(token.text)
        except ValueError as error:
            raise self.fail(token, str(error)) from None

    def race_name(self) -> str:
        token = self.peek()
        word = token.word()
        if word in _RACE_WORDS:
            self.take()
            return _RACE_WORDS[word]
        if token.kind == "num":
            if token.text in ("800", "1500"):
                self.take()
                return token.text
            if token.text in _RACE_KS and self.peek(1).word() in ("k", "km"):
                self.i += 2
                return _RACE_KS[token.text]
        raise self.fail(
            token,
            f"expected a race: {', '.join(RACE_NAMES)}; found {token.quoted()}",
        )

    def races(self) -> Target | tuple[Target, ...]:
        """``mile``, ``5k pace``, ``10k/5k/3k/mile pace`` (a list: one per rep)."""
        names = [self.race_name()]
        while self.peek().sym("/"):
            self.take()
            names.append(self.race_name())
        if self.peek().word() == "pace":
            self.take()
        targets = tuple(Target("race", name=name) for name in names)
        return targets[0] if len(targets) == 1 else targets

    # recoveries

    def recovery(self, *, has_target: bool) -> tuple[Recovery | None, Recovery | None, bool]:
        """(rep rest, set rest, written with 'with' or 'w/')."""
        token = self.peek()
        if token.sym("(", "["):
            self.take()
            first = self.rec(has_target)
            second = None
            if self.peek().sym("/", "&"):
                self.take()
                second = self.rec(has_target)
            self.expect_close(token)
            return first, second, False
        word = token.word()
        if word in ("w/", "with") or token.text == "r":
            self.take()
            first, second = self.rec_pair(has_target)
            return first, second, word != "r"
        if (token.kind in ("num", "time") and not token.newline) or word == "equal":
            first, second = self.rec_pair(has_target)
            return first, second, False
        return None, None, False

    def rec_pair(self, has_target: bool) -> tuple[Recovery, Recovery | None]:
        first = self.rec(has_target)
        if self.peek().sym("/"):
            self.take()
            return first, self.rec(has_target)
        return first, None

    def rec(self, has_target: bool) -> Recovery:
        """``200 jog``, ``60s``, ``3'``, ``equal time jog``."""
        token = self.peek()
        if token.word() == "equal":
            self.take()
            if self.peek().word() == "time":
                self.take()
            mode = self.mode() if self.peek().word() in _MODE_WORDS else None
            return Recovery(equal=True, mode=mode)
        if token.kind not in ("num", "time"):
            raise self.fail(
                token,
                f"expected a recovery such as 200 jog, 60s or equal time, found {token.quoted()}",
            )
        amount = self.amount("for the recovery")
        mode = self.mode() if self.peek().word() in _MODE_WORDS else None
        if (
            token.kind == "num"
            and amount.distance_m is not None
            and amount.distance_m < 100
            and self.tokens[self.i - 1] is token
        ):
            self.warnings.append(
                f"the recovery '{token.text}' is read as {_num(amount.distance_m)} m; for "
                f"seconds write {token.text}s"
                + ("" if has_target else f", for a rep time write @ {token.text}")
            )
        return Recovery(amount.distance_m, amount.duration_s, mode=mode)


def _push_down(
    part: Part,
    targets: tuple[Target, ...],
    series: tuple[Target, ...],
    recovery: Recovery | None,
) -> Part:
    """Apply a set group's targets and rep rest to the parts inside it."""
    if isinstance(part, SetGroup):
        return replace(
            part, parts=tuple(_push_down(p, targets, series, recovery) for p in part.parts)
        )
    if not isinstance(part, Block | Ladder):
        return part
    if series and part.series:
        raise ValueError("only one list of race paces per part")
    changes: dict[str, object] = {
        "targets": part.targets + targets,
        "series": part.series or series,
    }
    if part.recovery is None and recovery is not None:
        changes["recovery"] = recovery
    return replace(part, **changes)  # type: ignore[arg-type]


def _walk(parts: Iterable[Part]) -> Iterator[Block | Ladder]:
    for part in parts:
        if isinstance(part, SetGroup):
            yield from _walk(part.parts)
        elif isinstance(part, Block | Ladder):
            yield part


def _speed_warnings(parts: tuple[Part, ...]) -> list[str]:
    """Warn about time and pace targets whose implied speed is implausible."""
    warnings = []
    for part in _walk(parts):
        works = (part.work,) if isinstance(part, Block) else part.works
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


def parse(text: str) -> Workout:
    """Read a workout as a coach writes it. Raises ``NotationError`` naming the column."""
    if len(text) > MAX_LENGTH:
        raise NotationError(
            MAX_LENGTH + 1,
            f"the workout is {len(text)} characters long; at most {MAX_LENGTH}",
            text,
        )
    parser: _Parser | None = None
    try:
        parser = _Parser(text)
        return parser.workout()
    except NotationError as error:
        error.text = text
        raise
    except ValueError as error:  # pragma: no cover - a rule the parser failed to check first
        column = parser.peek().col if parser else 1
        raise NotationError(column, str(error), text) from error


# --- resolution -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedStep:
    """A work step's targets for one athlete.

    Times are for the whole rep, ``lo`` the fast end; ``target_*`` are adjusted for the
    profile's altitude and ``sea_level_*`` are not (explicit times and paces are the same in
    both). Paces are seconds per km. For a timed rep the times are None and the pace and an
    estimated distance range (``distance_lo_m`` at the slow end) are given; for a distance rep
    the distance range is the distance. ``source`` is the target that gave the pace;
    ``zone`` its zone or race name when the profile gave it (``T+``, ``mile``, ``goal``: for
    ``PaceProfile.origin``), None for explicit times and paces; ``recovery_factor`` the
    altitude multiplier for the recovery after the rep (R and race paces at altitude,
    ``PaceProfile.recovery_factor``).
    """

    step: Step
    label: str
    source: str | None = None
    zone: str | None = None
    target_lo_s: float | None = None
    target_hi_s: float | None = None
    sea_level_lo_s: float | None = None
    sea_level_hi_s: float | None = None
    pace_lo_s_per_km: float | None = None
    pace_hi_s_per_km: float | None = None
    sea_level_pace_lo_s_per_km: float | None = None
    sea_level_pace_hi_s_per_km: float | None = None
    distance_lo_m: float | None = None
    distance_hi_m: float | None = None
    lactate_lo: float | None = None
    lactate_hi: float | None = None
    hr_lo: float | None = None
    hr_hi: float | None = None
    rpe_lo: float | None = None
    rpe_hi: float | None = None
    recovery_factor: float = 1.0


def resolve(workout: Workout, profile: PaceProfile | None = None) -> tuple[ResolvedStep, ...]:
    """Targets for every work step, in the order of ``workout.work_steps``.

    Without a profile only explicit times and paces resolve.
    """
    return tuple(resolve_step(step, profile) for step in workout.work_steps)


def resolve_step(step: Step, profile: PaceProfile | None = None) -> ResolvedStep:
    """Targets of one work step for one athlete (see ``ResolvedStep``)."""
    values: dict[str, float | str | None] = {}
    for target in step.targets:
        if target.kind in ("lactate", "hr", "rpe") and f"{target.kind}_lo" not in values:
            values[f"{target.kind}_lo"], values[f"{target.kind}_hi"] = target.lo, target.hi
    high: tuple[float, float] | None = None
    sea: tuple[float, float] | None = None
    times: tuple[tuple[float, float], tuple[float, float]] | None = None
    factor = 1.0
    for target in step.targets:
        if target.kind == "time" and step.distance_m is not None:
            assert target.lo is not None and target.hi is not None
            times = ((target.lo, target.hi), (target.lo, target.hi))
            sea = high = (target.lo * 1000 / step.distance_m, target.hi * 1000 / step.distance_m)
        elif target.kind == "pace":
            sea = high = target.seconds_per_km
            assert sea is not None
            if step.distance_m is not None:
                rep = (sea[0] * step.distance_m / 1000, sea[1] * step.distance_m / 1000)
                times = (rep, rep)
        else:
            continue
        values["source"] = target.text
        break
    else:
        for target in step.targets:
            if target.kind not in ("zone", "race") or profile is None:
                continue
            assert target.name is not None
            sea, high = profile.sea_level(target.name), profile.adjusted(target.name)
            if sea is None or high is None:
                continue
            if step.distance_m is not None:
                times = profile.rep_target(target.name, step.distance_m)
            factor = profile.recovery_factor(target.name)
            values["source"], values["zone"] = target.text, target.name
            break
    if sea is not None and high is not None:
        if "lactate_lo" in values:  # the lactate governs: no altitude adjustment
            high = sea
            times = None if times is None else (times[1], times[1])
        values["pace_lo_s_per_km"], values["pace_hi_s_per_km"] = high
        values["sea_level_pace_lo_s_per_km"], values["sea_level_pace_hi_s_per_km"] = sea
        if step.duration_s is not None:
            values["distance_lo_m"] = step.duration_s * 1000 / high[1]
            values["distance_hi_m"] = step.duration_s * 1000 / high[0]
    if times is not None:
        (values["target_lo_s"], values["target_hi_s"]), sea_times = times
        values["sea_level_lo_s"], values["sea_level_hi_s"] = sea_times
    if step.distance_m is not None:
        values["distance_lo_m"] = values["distance_hi_m"] = step.distance_m
    return ResolvedStep(
        step=step,
        label=step.target_text,
        recovery_factor=factor,
        **values,  # type: ignore[arg-type]
    )
