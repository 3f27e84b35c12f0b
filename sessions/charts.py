"""Geometry for the server-rendered SVG chart of a set of reps (drawn by
``templates/jinja2/training/log_summary_sets.html``).

One chart per set, in a fixed 360-unit-wide viewBox so its text stays readable when a phone
scales it to its width: each rep's time against its target band and tolerance
(``time_chart``), or its lactate reading against its band (``lactate_chart``). Pure Python: the
reps come judged by ``sessions.judging``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, NamedTuple

from coach import formats

from .judging import Judged, lactate_band, tolerance_band

CHART_WIDTH = 360.0
CHART_HEIGHT = 190.0
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 46.0, 10.0, 22.0, 28.0


class Span(NamedTuple):
    """A vertical stretch of a column, ``h`` units down from ``y``: a target band, a tolerance."""

    y: float
    h: float


@dataclass(frozen=True)
class Mark:
    """One rep in a chart: its column, its target ``band`` (dark) and ``tolerance`` (light),
    and its dot at ``y``."""

    position: int
    label: str
    x: float
    band: Span | None = None
    tolerance: Span | None = None
    y: float | None = None
    css: str = ""
    value: str = ""
    band_x: float = 0.0  # left edge of the band, ``x - band_w / 2``


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    kind: Literal["time", "lactate"]
    unit: str
    marks: list[Mark]
    ticks: list[Tick]
    band_w: float
    caption: str = ""

    # The frame, the same for every chart: the viewBox, the plot area inside the padding, and
    # where the tick labels (right-aligned), the rep numbers and a skipped rep's dash stand.
    width: ClassVar[float] = CHART_WIDTH
    height: ClassVar[float] = CHART_HEIGHT
    view_box: ClassVar[str] = f"0 0 {CHART_WIDTH:g} {CHART_HEIGHT:g}"
    left: ClassVar[float] = PAD_LEFT
    right: ClassVar[float] = CHART_WIDTH - PAD_RIGHT
    top: ClassVar[float] = PAD_TOP
    bottom: ClassVar[float] = CHART_HEIGHT - PAD_BOTTOM
    tick_x: ClassVar[float] = PAD_LEFT - 6
    label_y: ClassVar[float] = CHART_HEIGHT - PAD_BOTTOM + 18
    skip_y: ClassVar[float] = CHART_HEIGHT - PAD_BOTTOM - 4

    @property
    def is_time(self) -> bool:
        """Times (faster is up), rather than lactate readings."""
        return self.kind == "time"


_NICE_STEPS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600)


def _ticks(lo: float, hi: float, *, count: int = 4) -> list[float]:
    span = hi - lo
    step = next((s for s in _NICE_STEPS if span / s <= count), _NICE_STEPS[-1])
    first = math.ceil(lo / step - 1e-9) * step
    values = []
    value = first
    while value <= hi + 1e-9:
        values.append(round(value, 6))
        value += step
    return values


def _columns(count: int) -> tuple[list[float], float]:
    inner = CHART_WIDTH - PAD_LEFT - PAD_RIGHT
    spacing = inner / max(count, 1)
    xs = [PAD_LEFT + spacing * (i + 0.5) for i in range(count)]
    return xs, min(spacing * 0.7, 22.0)


def _column_label(index: int, count: int, position: int) -> str:
    every = 1 if count <= 12 else 2 if count <= 24 else 5
    return str(position) if index % every == 0 or index == count - 1 else ""


def time_chart(judged: Sequence[Judged], tolerance_pct: float) -> Chart | None:
    """Each rep's time (dot) against its target band (dark) and tolerance (light); faster is
    higher. Mixed distances (a ladder) are drawn as time per 400 m so they share one scale."""
    reps = [j for j in judged if not j.rep.extra]
    if not any(j.target is not None for j in reps):
        return None
    distances = {j.rep.distance_m for j in reps}
    per_400 = len(distances) > 1 and None not in distances

    def scale(j: Judged, seconds: float) -> float:
        return seconds * 400 / j.rep.distance_m if per_400 else seconds

    values: list[float] = []
    for j in reps:
        if j.target is not None:
            values += [scale(j, v) for v in tolerance_band(j.target, tolerance_pct)]
        if j.rep.actual_s is not None and not j.rep.skipped:
            values.append(scale(j, j.rep.actual_s))
    lo, hi = min(values), max(values)
    margin = max((hi - lo) * 0.12, 0.3)
    lo, hi = lo - margin, hi + margin
    top, bottom = Chart.top, Chart.bottom

    def y(seconds: float) -> float:  # faster (fewer seconds) is higher
        return round(top + (seconds - lo) / (hi - lo) * (bottom - top), 2)

    xs, band_w = _columns(len(reps))
    distance = next(iter(distances)) if len(distances) == 1 else None
    marks = []
    for index, (j, x) in enumerate(zip(reps, xs, strict=True)):
        kwargs: dict = {}
        if j.target is not None:
            t_lo, t_hi = (scale(j, v) for v in j.target)
            w_lo, w_hi = (scale(j, v) for v in tolerance_band(j.target, tolerance_pct))
            kwargs.update(band=Span(y(t_lo), max(y(t_hi) - y(t_lo), 1.5)),
                          tolerance=Span(y(w_lo), y(w_hi) - y(w_lo)))
        if j.rep.actual_s is not None and not j.rep.skipped:
            kwargs.update(y=y(scale(j, j.rep.actual_s)),
                          value=formats.format_split(j.rep.actual_s, j.rep.distance_m))
        css = "skipped" if j.rep.skipped else (j.status or "none")
        marks.append(Mark(position=j.rep.position,
                          label=_column_label(index, len(reps), j.rep.position),
                          x=round(x, 2), band_x=round(x - band_w / 2, 2), css=css, **kwargs))
    ticks = [Tick(y(v), formats.format_split(v, 400 if per_400 else distance))
             for v in _ticks(lo, hi)]
    unit = "s per 400 m" if per_400 else "seconds"
    return Chart(kind="time", unit=unit, marks=marks, ticks=ticks, band_w=round(band_w, 2),
                 caption=f"Rep times ({unit}), faster at the top, against the target band "
                         f"and the ±{tolerance_pct:g}% tolerance")


def lactate_chart(judged: Sequence[Judged]) -> Chart | None:
    """Lactate readings (dots) against each rep's band, for reps steered by lactate."""
    reps = [j for j in judged if not j.rep.extra]
    if not any(j.rep.lactate is not None for j in reps if not j.rep.skipped):
        return None
    values = [j.rep.lactate for j in reps if j.rep.lactate is not None and not j.rep.skipped]
    bands = {j.rep.position: lactate_band(j.rep.lactate_lo, j.rep.lactate_hi) for j in reps}
    for band in bands.values():
        if band is not None:
            values += list(band)
    lo, hi = max(min(values) - 0.6, 0.0), max(values) + 0.6
    top, bottom = Chart.top, Chart.bottom

    def y(mmol: float) -> float:  # higher lactate is higher
        return round(bottom - (mmol - lo) / (hi - lo) * (bottom - top), 2)

    xs, band_w = _columns(len(reps))
    marks = []
    for index, (j, x) in enumerate(zip(reps, xs, strict=True)):
        kwargs: dict = {}
        band = bands[j.rep.position]
        if band is not None:
            kwargs.update(band=Span(y(band[1]), max(y(band[0]) - y(band[1]), 1.5)))
        if j.rep.lactate is not None and not j.rep.skipped:
            kwargs.update(y=y(j.rep.lactate), value=f"{j.rep.lactate:.1f}")
        css = "skipped" if j.rep.skipped else {"in": "on", "below": "fast", "above": "slow"}.get(
            j.lactate_status or "", "none")
        marks.append(Mark(position=j.rep.position,
                          label=_column_label(index, len(reps), j.rep.position),
                          x=round(x, 2), band_x=round(x - band_w / 2, 2), css=css, **kwargs))
    ticks = [Tick(y(v), f"{v:g}") for v in _ticks(lo, hi)]
    return Chart(kind="lactate", unit="mmol/L", marks=marks, ticks=ticks,
                 band_w=round(band_w, 2),
                 caption="Blood lactate after each rep (mmol/L) against the target band")
