"""What a logged session adds up to: each rep against its target, per-set figures, chart geometry.

Pure Python over plain values, no ORM: ``RepResult`` rows work, and so does any object with the
attributes of ``RepLike``. The views, the history list and the tests all judge reps here, so a rep
reads the same everywhere.

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

Sets
    Reps are grouped in order: a new group starts when the set number changes, when the rep
    number within the set starts again (``12x400 & 10x200`` is two groups), and for the reps the
    athlete added. Rows without set and rep numbers are grouped by distance and target.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from coach import pace

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


# --- adherence (a log at a glance) --------------------------------------------------------------


@dataclass(frozen=True)
class Adherence:
    """Counts over a log's reps. Reps with a time target count as on/fast/slow; reps steered by
    lactate alone count by their reading (in band / off band)."""

    on: int = 0
    fast: int = 0
    slow: int = 0
    in_band: int = 0  # lactate-steered reps with a reading in the band
    off_band: int = 0  # ... above or below it
    untimed: int = 0  # done, but nothing to judge against
    skipped: int = 0
    open: int = 0  # nothing entered yet
    total: int = 0

    @property
    def judged(self) -> int:
        return self.on + self.fast + self.slow

    @property
    def lactate_judged(self) -> int:
        return self.in_band + self.off_band

    def bar(self, width: float = 100.0) -> list[tuple[str, float, float]]:
        """Segments ``(status, x, width)`` of a stacked bar over all reps."""
        if not self.total:
            return []
        segments, x = [], 0.0
        for name in ("on", "in_band", "fast", "slow", "off_band", "untimed", "skipped", "open"):
            count = getattr(self, name)
            if count:
                w = width * count / self.total
                segments.append((name, round(x, 2), round(w, 2)))
                x += w
        return segments


def adherence(reps: Iterable[RepLike], tolerance_pct: float) -> Adherence:
    counts = {"on": 0, "fast": 0, "slow": 0, "in_band": 0, "off_band": 0, "untimed": 0,
              "skipped": 0, "open": 0}
    total = 0
    for rep in reps:
        total += 1
        verdict = judge(rep, tolerance_pct)
        if rep.skipped:
            counts["skipped"] += 1
        elif verdict.status is not None:
            counts[verdict.status] += 1
        elif verdict.target is None and verdict.lactate_status is not None:
            counts["in_band" if verdict.lactate_status == "in" else "off_band"] += 1
        elif is_done(rep):
            counts["untimed"] += 1
        else:
            counts["open"] += 1
    return Adherence(total=total, **counts)


# --- groups (sets) ------------------------------------------------------------------------------


def _amount_key(rep: RepLike) -> tuple:
    return (planned_amount(rep), rep.target_text)


def group_reps(reps: Sequence[RepLike]) -> list[list[RepLike]]:
    """Consecutive reps of the same set (see the module docstring)."""
    groups: list[list[RepLike]] = []
    previous: RepLike | None = None
    for rep in reps:
        if previous is None or _starts_group(previous, rep):
            groups.append([])
        groups[-1].append(rep)
        previous = rep
    return groups


def _starts_group(previous: RepLike, rep: RepLike) -> bool:
    if previous.extra != rep.extra:
        return True
    if rep.extra:
        return False
    numbered = None not in (previous.set_number, rep.set_number, previous.rep_number,
                            rep.rep_number)
    if numbered:
        return previous.set_number != rep.set_number or rep.rep_number <= previous.rep_number
    return _amount_key(previous) != _amount_key(rep)


def amount_label(distance_m: float | None, duration_s: float | None) -> str:
    """400 m, 1 km, 2 mi, 6 min, 45 s (``pace.format_amount``); ``rep`` when neither."""
    return pace.format_amount(distance_m, duration_s) or "rep"


def planned_amount(rep: RepLike) -> str:
    """What the rep was planned as (``400 m``, ``6 min``), not what was run."""
    if rep.duration_s and not rep.planned_distance_m:
        return amount_label(None, rep.duration_s)
    return amount_label(rep.planned_distance_m or rep.distance_m, rep.duration_s)


def group_title(reps: Sequence[RepLike]) -> str:
    """``12 × 400 m · T+``, ``4 × 400 m + 2 × 200 m``, the ladder ``400–800–400 m · I``."""
    if reps[0].extra:
        return "Added reps" if len(reps) > 1 else "Added rep"
    runs: list[list] = []  # [amount, count] of consecutive equal amounts
    for rep in reps:
        amount = planned_amount(rep)
        if runs and runs[-1][0] == amount:
            runs[-1][1] += 1
        else:
            runs.append([amount, 1])
    if len(runs) > 1 and all(count == 1 for _, count in runs):  # a ladder
        units = {amount.split(" ")[-1] for amount, _ in runs}
        title = "–".join(amount.split(" ")[0] if len(units) == 1 else amount
                         for amount, _ in runs)
        title += f" {units.pop()}" if len(units) == 1 else ""
    else:
        title = " + ".join(amount if count == 1 else f"{count} × {amount}"
                           for amount, count in runs)
    texts = [r.target_text for r in reps if r.target_text]
    if texts and len(set(texts)) == 1:
        title += f" · {texts[0]}"
    return title


def group_titles(groups: Sequence[Sequence[RepLike]]) -> list[str]:
    """Titles of consecutive groups; sets that would read alike are numbered (``Set 2 · ...``)."""
    titles = [group_title(group) for group in groups]
    repeated = {t for t in titles if titles.count(t) > 1}
    counters: dict[str, int] = {}
    numbered = []
    for title in titles:
        if title in repeated:
            counters[title] = counters.get(title, 0) + 1
            title = f"Set {counters[title]} · {title}"
        numbered.append(title)
    return numbered


# --- the summary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepRef:
    """A rep named for the summary: its number in the log and its time."""

    position: int
    actual_s: float
    distance_m: float | None


@dataclass(frozen=True)
class GroupSummary:
    number: int
    title: str
    reps: list[Judged]
    adherence: Adherence
    mean_deviation: float | None
    worst_deviation: float | None
    mean_time_s: float | None
    fastest: RepRef | None
    slowest: RepRef | None
    chart: Chart | None

    @property
    def chart_id(self) -> str:
        return f"chart-{self.number}"

    @property
    def mean_deviation_label(self) -> str:
        return format_deviation(self.mean_deviation)

    @property
    def worst_deviation_label(self) -> str:
        return format_deviation(self.worst_deviation)


@dataclass(frozen=True)
class Reading:
    position: int
    value: float
    lo: float | None
    hi: float | None
    status: LactateStatus | None

    @property
    def band_label(self) -> str:
        return band_label(self.lo, self.hi)

    @property
    def status_label(self) -> str:
        return LACTATE_LABELS.get(self.status or "", "")


@dataclass(frozen=True)
class Summary:
    adherence: Adherence
    groups: list[GroupSummary]
    work_distance_m: float
    work_time_s: float
    planned_work_distance_m: float
    recovery_distance_m: float
    recovery_time_s: float
    recovery_count: int
    readings: list[Reading]
    tolerance_pct: float

    @property
    def lactate_counts(self) -> dict[str, int]:
        counts = {"below": 0, "in": 0, "above": 0}
        for reading in self.readings:
            if reading.status is not None:
                counts[reading.status] += 1
        return counts


def _by_pace(judged: Judged) -> float:
    value = judged.pace_s_per_km
    return value if value is not None else judged.rep.actual_s


def summarize_group(number: int, reps: Sequence[RepLike], tolerance_pct: float,
                    title: str | None = None) -> GroupSummary:
    judged = [judge(rep, tolerance_pct) for rep in reps]
    deviations = [j.deviation for j in judged if j.deviation is not None]
    timed = [j for j in judged if j.rep.actual_s is not None and not j.rep.skipped]
    fastest = min(timed, key=_by_pace, default=None)
    slowest = max(timed, key=_by_pace, default=None)

    def ref(j: Judged | None) -> RepRef | None:
        return None if j is None else RepRef(j.rep.position, j.rep.actual_s, j.rep.distance_m)

    same_distance = len({j.rep.distance_m for j in timed}) == 1
    return GroupSummary(
        number=number,
        title=title or group_title(reps),
        reps=judged,
        adherence=adherence(reps, tolerance_pct),
        mean_deviation=sum(deviations) / len(deviations) if deviations else None,
        worst_deviation=max(deviations, key=abs) if deviations else None,
        mean_time_s=(sum(j.rep.actual_s for j in timed) / len(timed)
                     if timed and same_distance else None),
        fastest=ref(fastest),
        slowest=ref(slowest),
        chart=time_chart(judged, tolerance_pct) or lactate_chart(judged),
    )


def _summarize_groups(reps: Sequence[RepLike], tolerance_pct: float) -> list[GroupSummary]:
    groups = group_reps(reps)
    return [
        summarize_group(number, group, tolerance_pct, title=title)
        for number, (group, title) in enumerate(zip(groups, group_titles(groups), strict=True),
                                                start=1)
    ]


def summarize(
    reps: Sequence[RepLike],
    *,
    tolerance_pct: float,
    planned_work_distance_m: float = 0.0,
    recoveries: Iterable[tuple[float | None, float | None]] = (),
) -> Summary:
    """Everything the summary page shows. ``recoveries`` are the planned recovery and rest steps
    as ``(distance_m, duration_s)``: recoveries are not logged, so their volume is as planned."""
    reps = list(reps)
    done = [r for r in reps if not r.skipped]
    recoveries = list(recoveries)
    return Summary(
        adherence=adherence(reps, tolerance_pct),
        groups=_summarize_groups(reps, tolerance_pct),
        work_distance_m=sum(r.distance_m or 0.0 for r in done if is_done(r)),
        work_time_s=sum(r.actual_s or 0.0 for r in done),
        planned_work_distance_m=planned_work_distance_m,
        recovery_distance_m=sum(d or 0.0 for d, _ in recoveries),
        recovery_time_s=sum(t or 0.0 for d, t in recoveries if not d),
        recovery_count=len(recoveries),
        readings=[
            Reading(r.position, r.lactate, r.lactate_lo, r.lactate_hi,
                    lactate_status(r.lactate, r.lactate_lo, r.lactate_hi))
            for r in done if r.lactate is not None
        ],
        tolerance_pct=tolerance_pct,
    )


# --- charts -------------------------------------------------------------------------------------
# Geometry for a server-rendered SVG (templates/training/_rep_chart.html): one chart per set, in
# a fixed 360-unit-wide viewBox so its text stays readable when a phone scales it to its width.

CHART_WIDTH = 360.0
CHART_HEIGHT = 190.0
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 46.0, 10.0, 22.0, 28.0


@dataclass(frozen=True)
class Mark:
    """One rep in a chart: its column, its band(s) and its dot."""

    position: int
    label: str
    x: float
    band_y: float | None = None
    band_h: float | None = None
    tol_y: float | None = None
    tol_h: float | None = None
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
    width: float = CHART_WIDTH
    height: float = CHART_HEIGHT
    left: float = PAD_LEFT
    right: float = CHART_WIDTH - PAD_RIGHT
    top: float = PAD_TOP
    bottom: float = CHART_HEIGHT - PAD_BOTTOM
    caption: str = ""
    legend: list[str] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def tick_x(self) -> float:
        return self.left - 6

    @property
    def label_y(self) -> float:
        return self.bottom + 18

    @property
    def skip_y(self) -> float:
        return self.bottom - 4


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
    top, bottom = PAD_TOP, CHART_HEIGHT - PAD_BOTTOM

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
            kwargs.update(band_y=y(t_lo), band_h=max(y(t_hi) - y(t_lo), 1.5),
                          tol_y=y(w_lo), tol_h=y(w_hi) - y(w_lo))
        if j.rep.actual_s is not None and not j.rep.skipped:
            kwargs.update(y=y(scale(j, j.rep.actual_s)),
                          value=pace.format_split(j.rep.actual_s, j.rep.distance_m))
        css = "skipped" if j.rep.skipped else (j.status or "none")
        marks.append(Mark(position=j.rep.position,
                          label=_column_label(index, len(reps), j.rep.position),
                          x=round(x, 2), band_x=round(x - band_w / 2, 2), css=css, **kwargs))
    ticks = [Tick(y(v), pace.format_split(v, 400 if per_400 else distance))
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
    top, bottom = PAD_TOP, CHART_HEIGHT - PAD_BOTTOM

    def y(mmol: float) -> float:  # higher lactate is higher
        return round(bottom - (mmol - lo) / (hi - lo) * (bottom - top), 2)

    xs, band_w = _columns(len(reps))
    marks = []
    for index, (j, x) in enumerate(zip(reps, xs, strict=True)):
        kwargs: dict = {}
        band = bands[j.rep.position]
        if band is not None:
            kwargs.update(band_y=y(band[1]), band_h=max(y(band[0]) - y(band[1]), 1.5))
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
