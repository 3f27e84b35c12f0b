"""What a logged session adds up to: counts at a glance, per-set figures, lactate readings.

Pure Python over plain values, no ORM, like the judging rules it builds on
(``sessions.judging``: how one rep is judged); each set's chart geometry is ``sessions.charts``.

Sets
    Reps are grouped in order: a new group starts when the set number changes, when the rep
    number within the set starts again (``12x400 & 10x200`` is two groups), and for the reps the
    athlete added. Rows without set and rep numbers are grouped by distance and target.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach import formats

from .charts import Chart, lactate_chart, time_chart
from .judging import (
    LACTATE_LABELS,
    Judged,
    LactateStatus,
    RepLike,
    band_label,
    format_deviation,
    is_done,
    judge,
    lactate_status,
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
    """400 m, 1 km, 2 mi, 6 min, 45 s (``formats.format_amount``); ``rep`` when neither."""
    return formats.format_amount(distance_m, duration_s) or "rep"


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
    def stopwatch_timed(self) -> bool:
        """Whether a coach timed any rep on the stopwatch (``RepResult.timed_by``): the page
        then asks the log who (``SessionLog.timers``), one query only then."""
        return any(getattr(j.rep, "timed_by_id", None) for g in self.groups for j in g.reps)

    @property
    def device_filled(self) -> bool:
        """Whether any rep's time came from a watch file (``RepResult.from_device``)."""
        return any(getattr(j.rep, "from_device", False) for g in self.groups for j in g.reps)

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
