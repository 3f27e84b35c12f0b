"""How a rep is judged against its target: deviation, on target / fast / slow, lactate band.

Pure Python over plain values, no ORM: ``RepResult`` rows work, and so does any object with the
attributes of ``RepLike``. The views, the history list, the log summary (``sessions.summary``)
and the tests all judge reps here, so a rep reads the same everywhere.
Deviation
    ``actual - middle of the target band``, in seconds; negative is faster. For a one-value
    target (``@ 64``) that is simply ``actual - 64``. The middle is used rather than the nearest
    end of the band so that reps inside a wide band (T+ is 10 km to 5 km pace) still say which
    side of the middle they fell, and a set's mean deviation is not biased towards zero.

Status
    ``on`` target when the time lies inside the band widened at each end by ``tolerance_pct`` of
    that end (``lo * (1 - t) <= actual <= hi * (1 + t)``; default 1.5 %, set per session by the
    coach), ``fast`` below it, ``slow`` above it. A rep without a time target (extra reps,
    lactate- or heart-rate-only reps, timed reps) has no status.

Reps cut short
    A rep run over a different distance than planned (``distance_m`` differs from
    ``planned_distance_m``) is judged against the target scaled to the distance run, at the
    same pace.

Lactate
    A reading is ``below``, ``in`` or ``above`` the rep's band (ends included). A one-value target
    (``@ 2.5 mmol``) means about that value: 2.5 ± 0.2 mmol/L, roughly what a hand-held
    analyser can tell apart. After a reading above the band the next reps should be slower;
    below it they may be quicker (docs/paces.md, "Lactate-guided reps").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Protocol

from coach import records

Status = Literal["on", "fast", "slow"]
LactateStatus = Literal["below", "in", "above"]

LACTATE_SINGLE_TOLERANCE = 0.2  # mmol/L: about what a hand-held analyser can tell apart

STATUS_LABELS = {"on": "On target", "fast": "Fast", "slow": "Slow"}
LACTATE_LABELS = {"below": "Below band", "in": "In band", "above": "Above band"}
LACTATE_ADVICE = {
    "below": "below the band: the next reps may be a little quicker",
    "in": "in the band",
    "above": "above the band: run the next reps slower",
}


class RepLike(Protocol):
    position: int
    distance_m: float | None
    planned_distance_m: float | None
    duration_s: float | None
    actual_s: float | None
    target_lo_s: float | None
    target_hi_s: float | None
    lactate: float | None
    lactate_lo: float | None
    lactate_hi: float | None
    avg_hr: int | None
    skipped: bool
    extra: bool
    set_number: int | None
    rep_number: int | None
    target_text: str


# --- one rep ------------------------------------------------------------------------------------


def rep_target(rep: RepLike) -> tuple[float, float] | None:
    """The rep's time band (fast end first), scaled when the rep was run over another distance."""
    if rep.target_lo_s is None:
        return None
    lo = rep.target_lo_s
    hi = rep.target_hi_s if rep.target_hi_s is not None else lo
    planned, run = rep.planned_distance_m, rep.distance_m
    if planned and run and abs(planned - run) > 0.05:
        return lo * run / planned, hi * run / planned
    return lo, hi


# --- a split as typed: possible, plausible, and what a slip on the keypad meant ----------------

FASTEST_M_PER_S = records.MAX_SPEED_M_PER_S  # faster than the 100 m world record: a typo
SLOWEST_M_PER_S = 400 / 600  # a 400 m rep over 10 minutes is not a rep (docs/paces.md)
PLAUSIBLE_FACTOR = 1.5  # a split within this factor of its target is taken as typed
REFERENCE_M_PER_S = 6.0  # without a target, a slip's reading is chosen nearest this speed


def target_over(rep: RepLike, metres: float) -> tuple[float, float] | None:
    """The rep's target time band scaled to ``metres`` (a rep about to be saved as cut short),
    or None without a target."""
    target = rep_target(rep)
    run = rep.distance_m or rep.planned_distance_m
    if target is None or not run:
        return None
    return target[0] * metres / run, target[1] * metres / run


def is_possible(seconds: float, metres: float) -> bool:
    """A speed a runner can run over a rep."""
    return SLOWEST_M_PER_S <= metres / seconds <= FASTEST_M_PER_S


def is_plausible(seconds: float, metres: float, band: tuple[float, float] | None) -> bool:
    """Possible, and within ``PLAUSIBLE_FACTOR`` of the target ``band`` if there is one."""
    return is_possible(seconds, metres) and (
        band is None or band[0] / PLAUSIBLE_FACTOR <= seconds <= band[1] * PLAUSIBLE_FACTOR)


def likely_reading(readings: list[float], metres: float, band: tuple[float, float] | None,
                   *, besides: float | None = None) -> float | None:
    """Of the ``readings`` of typed digits (``coach.formats.time_readings``), the plausible one
    nearest the target (a steady ``REFERENCE_M_PER_S`` without one), other than ``besides``
    (the value as typed); None when none is plausible."""
    aim = (band[0] + band[1]) / 2 if band else metres / REFERENCE_M_PER_S
    candidates = [s for s in readings if is_plausible(s, metres, band)
                  and (besides is None or abs(s - besides) > 1e-6)]
    return min(candidates, key=lambda s: abs(math.log(s / aim)), default=None)


def deviation(actual_s: float, target: tuple[float, float]) -> float:
    """Seconds from the middle of the target band; negative is faster."""
    return actual_s - (target[0] + target[1]) / 2


def status(actual_s: float, target: tuple[float, float], tolerance_pct: float) -> Status:
    """``on`` inside the band widened by ``tolerance_pct`` at each end, else ``fast``/``slow``."""
    allowance = tolerance_pct / 100
    if actual_s < target[0] * (1 - allowance):
        return "fast"
    if actual_s > target[1] * (1 + allowance):
        return "slow"
    return "on"


def tolerance_band(target: tuple[float, float], tolerance_pct: float) -> tuple[float, float]:
    allowance = tolerance_pct / 100
    return target[0] * (1 - allowance), target[1] * (1 + allowance)


def lactate_band(lo: float | None, hi: float | None) -> tuple[float, float] | None:
    """The band a reading is judged against: a one-value target (``@ 2.5 mmol``) is read as
    that value ± ``LACTATE_SINGLE_TOLERANCE``."""
    if lo is None:
        return None
    top = hi if hi is not None else lo
    if top - lo < 0.05:
        return lo - LACTATE_SINGLE_TOLERANCE, top + LACTATE_SINGLE_TOLERANCE
    return lo, top


def lactate_status(value: float | None, lo: float | None, hi: float | None) -> LactateStatus | None:
    """Where a reading falls against its band (ends included); None without a reading or a band."""
    band = lactate_band(lo, hi)
    if value is None or band is None:
        return None
    if value < band[0] - 1e-9:
        return "below"
    if value > band[1] + 1e-9:
        return "above"
    return "in"


def format_deviation(seconds: float | None) -> str:
    """+0.8 s, -1.2 s, 0.0 s (one decimal, always signed unless zero)."""
    if seconds is None:
        return ""
    tenths = math.floor(abs(seconds) * 10 + 0.5) / 10
    if tenths == 0:
        return "0.0 s"
    sign = "+" if seconds > 0 else "\u2212"
    return f"{sign}{tenths:.1f} s"


def band_label(lo: float | None, hi: float | None) -> str:
    """A lactate band as written: ``2.5``, ``3.0–3.5`` (mmol/L)."""
    if lo is None:
        return ""
    if hi is None or abs(hi - lo) < 0.05:
        return f"{lo:.1f}"
    return f"{lo:.1f}–{hi:.1f}"


def is_entered(rep: RepLike) -> bool:
    """The athlete has put something in this row (a time, a reading, a skip...)."""
    return rep.skipped or any(
        value is not None for value in (rep.actual_s, rep.avg_hr, rep.lactate)
    ) or bool(getattr(rep, "note", ""))


def is_done(rep: RepLike) -> bool:
    """The row needs nothing more: skipped, timed, or (for reps without a time) measured."""
    if rep.skipped or rep.actual_s is not None:
        return True
    if rep.target_lo_s is not None:
        return False  # a rep with a time target is done when it has a time
    measured = rep.lactate is not None or rep.avg_hr is not None
    timed_rep_distance = (
        rep.duration_s is not None and rep.planned_distance_m is None and rep.distance_m is not None
    )
    return measured or timed_rep_distance


@dataclass(frozen=True)
class Judged:
    """One rep with its verdict."""

    rep: RepLike
    target: tuple[float, float] | None
    deviation: float | None
    status: Status | None
    lactate_status: LactateStatus | None

    @property
    def deviation_label(self) -> str:
        return format_deviation(self.deviation)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "")

    @property
    def lactate_label(self) -> str:
        return LACTATE_LABELS.get(self.lactate_status or "", "")

    @property
    def lactate_advice(self) -> str:
        return LACTATE_ADVICE.get(self.lactate_status or "", "")

    @property
    def pace_s_per_km(self) -> float | None:
        if self.rep.actual_s is None or not self.rep.distance_m:
            return None
        return self.rep.actual_s * 1000 / self.rep.distance_m


def judge(rep: RepLike, tolerance_pct: float) -> Judged:
    target = rep_target(rep)
    timed = not rep.skipped and rep.actual_s is not None and target is not None
    return Judged(
        rep=rep,
        target=target,
        deviation=deviation(rep.actual_s, target) if timed else None,
        status=status(rep.actual_s, target, tolerance_pct) if timed else None,
        lactate_status=None if rep.skipped else lactate_status(
            rep.lactate, rep.lactate_lo, rep.lactate_hi
        ),
    )
