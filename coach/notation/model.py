"""The workout's data: amounts, targets, recoveries, the parts and the expanded steps.

Immutable dataclasses that check themselves on creation, so that a part that no text could
describe cannot be built either.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TypeAlias, get_args

from coach.notation.units import (
    _amount_name,
    _distance_text,
    _duration_text,
    _finite_in,
    _num,
    _one_decimal,
    _span,
    _time_text,
)
from coach.notation.words import (
    _TARGET_LIMITS,
    DOWN_MODES,
    MAX_DEPTH,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_REPS,
    MODES,
    PACE_UNITS,
    RACE_NAMES,
    STYLES,
    EasyKind,
    StepKind,
    TargetKind,
)
from coach.pace import ZONES


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


def _one_of(words: tuple, what: str, **kwargs):
    """A part's field that holds one of ``words`` (``what`` it is, for the message); ``_Part``
    checks it on creation."""
    return field(metadata={"one_of": (words, what)}, **kwargs)


@dataclass(frozen=True)
class _Part:
    """What every part has: an optional one-word ``label`` (``A: 4x400``), given by keyword,
    and its ``_one_of`` fields checked. A part's own checks run first, then these."""

    label: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        for f in fields(self):
            if "one_of" in f.metadata:
                words, what = f.metadata["one_of"]
                value = getattr(self, f.name)
                if value not in words and not (value is None and f.default is None):
                    raise ValueError(f"unknown {what} {value!r}: expected one of {words}")
        _check_label(self.label)


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
    """Recovery between reps or sets: a distance, a duration, ``equal`` to the rep before, or
    ``down``: the way back down a hill (as far as the rep before went)."""

    distance_m: float | None = None
    duration_s: float | None = None
    equal: bool = False
    mode: str | None = None
    down: bool = False

    def __post_init__(self) -> None:
        _floats(self, "distance_m", "duration_s")
        if self.equal and self.down:
            raise ValueError("a recovery is equal time or the way down, not both")
        if self.equal or self.down:
            if self.distance_m is not None or self.duration_s is not None:
                raise ValueError("an equal-time or way-down recovery has no amount of its own")
        else:
            _check_amount(self.distance_m, self.duration_s, "a recovery")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"unknown recovery mode {self.mode!r}: expected one of {MODES}")
        if self.down and self.mode not in DOWN_MODES:
            raise ValueError(f"the way down is covered as one of {DOWN_MODES[1:]}")

    @property
    def text(self) -> str:
        """Canonical notation inside brackets: ``200 jog``, ``200m``, ``60s``, ``equal time``,
        ``jog down``."""
        if self.down:
            return f"{self.mode} down" if self.mode else "down"
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
        """For people: ``200 m jog``, ``60 s``, ``equal time jog``, ``jog down``."""
        if self.down:
            return self.text
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
class RepGroup(_Part):
    """``sets`` x ``reps`` x ``work``: ``12x400 @ 64 (200 jog)``, ``4 x 3 x 400 [3' & 5']``.

    ``recovery`` follows each rep, ``set_recovery`` (which needs a ``recovery``) the last rep of
    each set; ``series`` is a list of race paces, one per rep within a set. ``style`` names
    reps of a kind: ``strides`` (short, fast and relaxed) or ``hills`` (uphill; without a
    recovery of their own the way back down is the recovery, ``jog down``). (A training block
    is ``sessions.models.Block``; this is a group of reps within one workout.)
    """

    work: Amount
    reps: int = 1
    sets: int = 1
    targets: tuple[Target, ...] = ()
    series: tuple[Target, ...] = ()
    recovery: Recovery | None = None
    set_recovery: Recovery | None = None
    style: str | None = _one_of(STYLES, "style", default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "series", tuple(self.series))
        if self.style == "hills" and self.recovery is None:
            object.__setattr__(self, "recovery", HILL_RECOVERY)
        _check_reps(self.reps, "reps")
        _check_reps(self.sets, "sets")
        _check_rep_targets((self.work,), self.targets, self.series, self.reps)
        if self.set_recovery is not None and self.recovery is None:
            raise ValueError("a set rest needs a rep rest: write [60s & 3min]")
        super().__post_init__()


HILL_RECOVERY = Recovery(down=True, mode="jog")


@dataclass(frozen=True)
class Ladder(_Part):
    """``400-800-1200-800-400 @ I (equal time jog)``: one rep of each amount, in order."""

    works: tuple[Amount, ...]
    targets: tuple[Target, ...] = ()
    series: tuple[Target, ...] = ()
    recovery: Recovery | None = None
    set_recovery: Recovery | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "works", tuple(self.works))
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "series", tuple(self.series))
        if not 2 <= len(self.works) <= MAX_REPS:
            raise ValueError(f"a ladder has from 2 to {MAX_REPS} steps")
        _check_rep_targets(self.works, self.targets, self.series, len(self.works))
        if self.set_recovery is not None and self.recovery is None:
            raise ValueError("a set rest needs a rep rest: write [60s & 3min]")
        super().__post_init__()


@dataclass(frozen=True)
class SetGroup(_Part):
    """``3x(4x400 (60s)) (3min)``: ``parts`` repeated ``sets`` times, ``set_recovery`` between.

    Targets and rep rests written after the brackets live on the inner parts.
    """

    sets: int
    parts: tuple[Part, ...]
    set_recovery: Recovery | None = None

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
        super().__post_init__()


@dataclass(frozen=True)
class Rest(_Part):
    """A rest part between other parts: ``5' jog``, ``400 walk``."""

    amount: Amount
    mode: str = _one_of(MODES, "rest mode")


@dataclass(frozen=True)
class EasyRun(_Part):
    """Easy running: ``2mi WU`` (warmup), ``2k CD`` (cooldown), ``15min easy`` (easy)."""

    amount: Amount
    kind: EasyKind = _one_of(get_args(EasyKind), "easy kind")


Part: TypeAlias = RepGroup | Ladder | SetGroup | Rest | EasyRun
_PART_TYPES = (RepGroup, Ladder, SetGroup, Rest, EasyRun)


def _rep_total(part: Part) -> int:
    if isinstance(part, RepGroup):
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
    stands makes ``45min easy`` a warm-up step, the mode keeps it an easy run; on a rep it is
    its style (``strides``, ``hills``), and on the way back down a hill ``jog down`` (``down``
    is set; its distance is the rep's when known). ``set_index``
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
    down: bool = False

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
