"""A workout as rows a coach reads (the live preview built on them: ``sessions.preview``).

``group_steps`` turns a workout into rows: "12 x 400 m @ T+ (200 m jog)" with each athlete's
target, from a parsed workout (``items_from_workout``; the live preview:
``preview.build_preview``) or from the planned steps (``items_from_planned``: the session page
and the printable card). Where each target came from reads as one line per athlete
(``origin_line``). The volumes of a session are written by ``sessions.volumes``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Q
from markupsafe import Markup, escape

from athletes.models import Athlete
from coach import formats, notation, prepared
from coach.jinja2 import django_escape, render_fragment, url_maker

from .models import PlannedStep, PlannedTarget, StepKind

# --- step rows: a workout as a coach reads it -------------------------------------------------

@dataclass(frozen=True)
class TargetSpan:
    """One athlete's target for one rep: seconds for the rep (``per_km`` False) or, for a
    timed rep, seconds per km. ``lo`` is the fast end; ``sea_*`` the sea-level values."""

    lo: float
    hi: float | None
    sea_lo: float | None = None
    sea_hi: float | None = None
    per_km: bool = False

    def key(self) -> tuple:
        """The span rounded to tenths (``group_steps`` compares reps by it), made once per span
        (kept beside the fields: a squad's athletes share spans, ``items_from_planned``)."""
        try:
            return self.__dict__["_key"]
        except KeyError:
            pass
        hi, sea_lo, sea_hi = self.hi, self.sea_lo, self.sea_hi  # (a squad's reps: hundreds)
        key = (self.per_km, None if self.lo is None else round(self.lo, 1),
               None if hi is None else round(hi, 1), None if sea_lo is None else round(sea_lo, 1),
               None if sea_hi is None else round(sea_hi, 1))
        self.__dict__["_key"] = key  # (frozen: the fields, compared and hashed, stay as made)
        return key

    def text(self, distance_m: float | None) -> str:
        return _span_text(self.lo, self.hi, distance_m, self.per_km)

    def sea_text(self, distance_m: float | None) -> str:
        """The sea-level target when altitude changed it, else an empty string."""
        if self.sea_lo is None:
            return ""
        sea = _span_text(self.sea_lo, self.sea_hi, distance_m, self.per_km)
        return "" if sea == self.text(distance_m) else sea


@lru_cache(maxsize=4096)
def _span_text(lo: float, hi: float | None, distance_m: float | None, per_km: bool) -> str:
    """A span as written (``formats.format_range``), once per distinct values: the same targets
    come back on every page of a session and across a squad (an athlete per column)."""
    if per_km:
        return formats.format_range(lo, hi, decimals=0) + "/km"
    return formats.format_range(lo, hi, distance_m=distance_m)


@dataclass(frozen=True)
class Cell:
    text: str
    sea_text: str = ""
    name: str = ""  # whose target it is


@dataclass
class StepItem:
    """One step, from a parsed workout or from the planned steps, ready to group."""

    kind: StepKind
    distance_m: float | None
    duration_s: float | None
    target_text: str = ""
    mode: str = ""
    set_number: int | None = None
    rep_number: int | None = None
    label: str = ""
    equal: bool = False
    set_rest: bool = False
    targets: tuple[TargetSpan | None, ...] = ()

    @property
    def amount(self) -> str:
        return amount_label(self.distance_m, self.duration_s)

    def work_key(self) -> tuple:
        rounded = tuple(None if t is None else t.key() for t in self.targets)
        return (self.distance_m, self.duration_s, self.target_text, self.mode, self.label,
                self.set_number, rounded)

    def recovery_key(self) -> tuple:
        return (self.distance_m, self.duration_s, self.mode, self.equal)


def amount_label(distance_m: float | None, duration_s: float | None) -> str:
    """``400 m``, ``2 km``, ``2 mi``, ``6 min``, ``90 s``, ``1:30``: ``formats.format_amount``."""
    return formats.format_amount(distance_m, duration_s)


def short_amount(distance_m: float | None, duration_s: float | None) -> str:
    """The compact form coaches write: ``400``, ``1k``, ``1mi``, ``6min``, ``90s``."""
    if distance_m:
        miles = distance_m / formats.MILE
        if abs(miles - round(miles)) < 1e-6:
            return f"{round(miles)}mi"
        if distance_m >= 1000 and distance_m % 1000 == 0:
            return f"{distance_m / 1000:g}k"
        return f"{distance_m:g}"
    if duration_s:
        if duration_s >= 60 and duration_s % 60 == 0:
            return f"{duration_s / 60:g}min"
        return f"{duration_s:g}s" if duration_s < 60 else formats.format_time(duration_s)
    return ""


@dataclass
class StepRow:
    """A line of the grouped workout: a group of equal reps, or one other step."""

    kind: StepKind
    first: StepItem
    count: int = 1
    first_rep: int | None = None
    last_rep: int | None = None
    recovery: StepItem | None = None
    recoveries: int = 0
    show_set: bool = False
    names: Sequence[str] = ()

    @property
    def amount(self) -> str:
        return self.first.amount

    @property
    def targets(self) -> tuple[TargetSpan | None, ...]:
        return self.first.targets

    @property
    def cells(self) -> list[Cell]:
        """Each athlete's target for these reps, as shown: ``66.5``, ``2:58–3:05/km``."""
        distance = self.first.distance_m
        names = [*self.names, *[""] * (len(self.targets) - len(self.names))]
        return [Cell("–", name=name) if t is None
                else Cell(t.text(distance), t.sea_text(distance), name)
                for t, name in zip(self.targets, names, strict=False)]

    @property
    def reps_label(self) -> str:
        if self.first_rep is None:
            return ""
        if self.count == 1:
            return f"{self.first_rep}"
        return f"{self.first_rep}–{self.last_rep}"

    @property
    def recovery_label(self) -> str:
        step = self.recovery
        if step is None:
            return ""
        head = "equal time" if step.equal else step.amount
        return f"{head} {step.mode}".strip()

    @property
    def is_work(self) -> bool:
        return self.kind == StepKind.WORK

    @property
    def title(self) -> str:
        """``12 × 400 m``, ``8 × 150 m strides``, ``2 mi warm-up``, ``5 min jog``."""
        if self.is_work:
            head = f"{self.count} × {self.amount}" if self.count > 1 else self.amount
            return f"{head} {self.first.mode}".strip()  # strides, hills
        word = StepKind(self.kind).label.lower()  # warm-up, recovery, rest, cool-down
        if self.first.mode and self.kind in (StepKind.REST, StepKind.RECOVERY):
            word = self.first.mode
        if self.first.mode == "easy":  # ``45min easy``: an easy run wherever it stands
            word = "easy run"
        if self.kind == StepKind.RECOVERY and self.first.set_rest:
            word = f"{self.first.mode or 'rest'} between sets"
        return f"{self.amount} {word}".strip()


def group_steps(items: Sequence[StepItem], names: Sequence[str] = ()) -> list[StepRow]:
    """Group consecutive equal reps (same amount, target, set and per-athlete times) and the
    equal recoveries between them into one row; every other step is a row of its own.
    ``names`` are the athletes' names, in the order of the items' targets."""
    rows: list[StepRow] = []
    group: StepRow | None = None  # the open group of reps
    group_key: tuple | None = None  # its first rep's ``work_key`` (rounding every target)
    tail: StepItem | None = None  # the group's last item: a rep, or the recovery after one
    previous: StepItem | None = None
    for item in items:
        if item.kind == StepKind.WORK:
            key = item.work_key()
            joins = (
                group is not None and previous is tail
                and group_key == key
                and (previous.kind == StepKind.RECOVERY or group.recovery is None)
            )
            if joins:
                group.count += 1
                group.last_rep = item.rep_number
            else:
                group = StepRow(kind=StepKind.WORK, first=item, first_rep=item.rep_number,
                                last_rep=item.rep_number, names=names)
                group_key = key
                rows.append(group)
            tail = item
        elif item.kind == StepKind.RECOVERY and group is not None and previous is tail \
                and previous.kind == StepKind.WORK:
            if group.recovery is None and group.count == 1:
                group.recovery, group.recoveries, tail = item, 1, item
            elif group.recovery is not None and _same_recovery(group.recovery, item):
                group.recoveries += 1
                tail = item
            else:
                rows.append(StepRow(kind=StepKind.RECOVERY, first=item))
                group = None
        else:
            rows.append(StepRow(kind=item.kind, first=item))
            group = None
        previous = item
    work_rows = [r for r in rows if r.is_work]
    for index, row in enumerate(work_rows):
        # A session may have no work rows at all (an easy run, a warm-up and cool-down only).
        following = work_rows[index + 1] if index + 1 < len(work_rows) else None
        number = row.first.set_number or 1
        after = following.first.set_number if following is not None else None
        row.show_set = number > 1 or after == number + 1
    return rows


def render_table(rows: Sequence[StepRow], athletes: Sequence | None = None) -> str:
    """The steps table (``templates/jinja2/training/steps_table.html``): a row per group of
    reps or other step, a column per athlete (``athletes`` None or empty: none). A work row's
    target cells are written here in one pass (``_cells_html``), as ``StepRow.cells`` reads."""
    names = [a.display_name for a in athletes] if athletes else []
    labels: dict = {}
    texts: dict = {}
    cells = [_cells_html(row, labels, texts) if row.is_work else "" for row in rows]
    return render_fragment("training/steps_table.html", {
        "rows": rows, "cells": cells, "names": names, "span": len(names) + 1})


def _cells_html(row: StepRow, labels: dict, texts: dict) -> Markup:
    """A work row's target cells, escaped as the template escaped ``StepRow.cells`` (the name
    as Django does, the target as Jinja2 does). ``labels`` and ``texts`` keep what was written
    per name and per span and distance (the athletes of a squad share targets) for the table."""
    distance = row.first.distance_m
    targets = row.targets
    names = [*row.names, *[""] * (len(targets) - len(row.names))]
    parts = []
    for target, name in zip(targets, names, strict=False):
        label = labels.get(name)
        if label is None:
            label = labels[name] = str(django_escape(name))
        if target is None:
            inner = '<span class="target">–</span>'
        else:
            inner = texts.get((id(target), distance))
            if inner is None:
                text = target.text(distance)
                sea = "" if target.sea_lo is None else _span_text(
                    target.sea_lo, target.sea_hi, distance, target.per_km)
                sea = "" if sea == text else sea  # (``TargetSpan.sea_text``)
                inner = f'<span class="target">{escape(text)}</span>'
                if sea:
                    inner += f'<span class="sea-level">sea level {escape(sea)}</span>'
                texts[id(target), distance] = inner  # (the spans outlive the table)
        parts.append(f'<td class="num target-cell" data-label="{label}">{inner}</td>')
    # every value above was escaped
    return Markup("".join(parts))  # nosec


def render_sources(sources: Sequence[tuple[str, str]], *, names: bool = False) -> str:
    """Where each athlete's targets came from (``templates/jinja2/training/
    target_sources.html``), a line each; ``names``: each line starts with the athlete's name."""
    if not sources:
        return ""
    return render_fragment("training/target_sources.html", {"sources": sources, "names": names})


def render_histories(histories: Sequence, user_id: int | None) -> str:
    """"This workout before" (``templates/jinja2/training/workout_history.html``): each
    ``workout_history.History``, named unless it is the viewer's (``user_id``) own, with its
    runs written here in one pass (``_run_items``: up to three runs for every athlete of a
    squad)."""
    if not histories:
        return ""
    log_url = url_maker("training:log-summary")
    return render_fragment("training/workout_history.html", {
        "histories": [(h, _run_items(h.runs, log_url)) for h in histories],
        "user_id": user_id, "log_url": log_url, "day": day_label})


_NO_FIGURES = '<div><dt>Reps</dt><dd class="muted">no rep run as planned with a time</dd></div>'


def _run_items(runs: Sequence, log_url) -> Markup:
    """The ``<li>`` of each ``workout_history.Run``, as the fragment's loop wrote them (the same
    text, spaces and escaping: the session's title and the amounts' names as Django escapes,
    ``dj``; every other value as Jinja2 does, ``escape``). Each figure's and verdict's text is
    written once per distinct values (``_figure_html``, ``_judged_html``)."""
    parts = []
    titles: dict[str, str] = {}
    for run in runs:
        log = run.log
        figures = "".join(map(_figure_html, run.figures)) or _NO_FIGURES
        judged = (_judged_html(run.on_target, run.judged, run.mean_deviation_label)
                  if run.judged else "")
        title = titles.get(log.title)
        if title is None:
            title = titles[log.title] = django_escape(log.title)
        parts.append(
            f'\n      <li>\n        <a class="log-item" href="{escape(log_url(log.pk))}">\n'
            f'          <span class="log-item-head"><span class="num log-date">'
            f'{escape(day_label(log.date_done))}</span><span class="log-title">'
            f'{title}</span></span>\n        </a>\n'
            f'        <dl class="history-figures">\n          {figures}\n          {judged}\n'
            f'        </dl>\n      </li>\n    ')
    # every value above was escaped
    return Markup("".join(parts))  # nosec


@lru_cache(maxsize=4096)
def _figure_html(f) -> str:
    """One ``workout_history.Figures`` as a run's item lists it, escaped; kept by its values
    (a frozen dataclass: the same figures come back on every view of a session)."""
    return (f'<div><dt>{django_escape(f.name)}{" (distance)" if f.timed else ""}</dt>'
            f'<dd class="num">mean <b>{escape(f.mean_label)}</b> · best '
            f'<b>{escape(f.best_label)}</b>'
            f'{f""" <span class="muted">({f.count} reps)</span>""" if f.count > 1 else ""}'
            f'</dd></div>')


@lru_cache(maxsize=1024)
def _judged_html(on_target: int, judged: int, deviation_label: str) -> str:
    """A run's reps on target and mean deviation, as its item lists them, escaped."""
    return (f'<div><dt>Against targets</dt><dd class="num"><b>{on_target}/'
            f'{judged}</b> on target · mean '
            f'<b>{escape(deviation_label)}</b></dd></div>')


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def short_day_label(day) -> str:
    """``Fri 4 Dec``: a date as ``|date:"D j M"`` writes it in English."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def day_label(day) -> str:
    """``4 Dec 2026``: a date as ``|date:"j M Y"`` writes it in English."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def recovery_counts(items: Iterable[StepItem]) -> list[tuple[int, str]]:
    """``[(21, "200 m jog")]``: how many recoveries of each kind, in order of appearance."""
    counts: dict[str, int] = {}
    for item in items:
        if item.kind == StepKind.RECOVERY:
            name = "equal time" if item.equal else item.amount
            name = f"{name} {item.mode}".strip() + (" between sets" if item.set_rest else "")
            counts[name] = counts.get(name, 0) + 1
    return [(n, name) for name, n in counts.items()]


def _same_recovery(a: StepItem, b: StepItem) -> bool:
    return a.recovery_key() == b.recovery_key() and a.set_rest == b.set_rest


def items_from_workout(
    workout: notation.Workout, resolved_by_athlete: Sequence[Sequence[notation.ResolvedStep]]
) -> list[StepItem]:
    """Step items of a parsed workout, with each athlete's resolved target for every rep (one
    span per distinct resolved values, as ``items_from_planned``: the reps alike of one athlete,
    ``12x400 @ T``, resolve alike, and the span and its key are made once)."""
    items = []
    work_index = 0
    spans: dict = {}
    for step in workout.steps:
        kind = StepKind.of(step)
        targets: tuple[TargetSpan | None, ...] = ()
        if kind == StepKind.WORK:
            targets = tuple(_shared_span(resolved[work_index], spans)
                            for resolved in resolved_by_athlete)
            work_index += 1
        items.append(StepItem(
            kind=kind, distance_m=step.distance_m, duration_s=step.duration_s,
            target_text=step.target_text, mode=step.mode or "", set_number=step.set_index,
            rep_number=step.rep_number, label=step.label or "", equal=step.equal,
            set_rest=step.set_rest, targets=targets,
        ))
    return items


# --- the planned steps as the session page reads them -------------------------------------------

STEP_COLUMNS = ("id", "athlete_id", "kind", "set_number", "rep_number", "label", "distance_m",
                "duration_s", "target_text", "lactate_lo", "lactate_hi", "mode")
TARGET_COLUMNS = ("step_id", "athlete_id", "target_lo_s", "target_hi_s", "sea_level_lo_s",
                  "sea_level_hi_s", "pace_lo_s_per_km", "pace_hi_s_per_km",
                  "sea_level_pace_lo_s_per_km", "sea_level_pace_hi_s_per_km", "source", "origin")


class PlannedTargetRow(NamedTuple):
    """A ``PlannedTarget``'s columns that the pages show (``planned_span``, the sources)."""

    step_id: int
    athlete_id: int
    target_lo_s: float | None
    target_hi_s: float | None
    sea_level_lo_s: float | None
    sea_level_hi_s: float | None
    pace_lo_s_per_km: float | None
    pace_hi_s_per_km: float | None
    sea_level_pace_lo_s_per_km: float | None
    sea_level_pace_hi_s_per_km: float | None
    source: str
    origin: str


@dataclass(slots=True)
class PlannedStepRow:
    """A ``PlannedStep``'s columns that the pages show, with its targets (a list, read with
    it: ``read_planned``). Read where a ``PlannedStep`` with prefetched targets is."""

    id: int
    athlete_id: int | None
    kind: str
    set_number: int | None
    rep_number: int | None
    label: str
    distance_m: float | None
    duration_s: float | None
    target_text: str
    lactate_lo: float | None
    lactate_hi: float | None
    mode: str
    targets: list[PlannedTargetRow] = field(default_factory=list)


def _steps_query(session_id: int, own: list[int]):
    return (PlannedStep.objects.filter(Q(athlete__isnull=True) | Q(athlete__in=own),
                                       session_id=session_id)
            .order_by("position").values_list(*STEP_COLUMNS))


def _targets_query(session_id: int, athletes: list[int]):
    return (PlannedTarget.objects.filter(step__session_id=session_id, athlete__in=athletes)
            .order_by().values_list(*TARGET_COLUMNS))


def read_planned(session_id: int, followers: Sequence[int],
                 own: Sequence[int] = ()) -> dict[int | None, list[PlannedStepRow]]:
    """A session's planned steps by whose they are, in order: the squad's (key None) with the
    targets of ``followers`` (the athletes shown who follow it), and each own version's
    (``own``: the athletes shown with one) with its athlete's. Two queries, whatever the number
    of athletes and versions, compiled once per shape (``coach.prepared``), read as rows: the
    session page and its print card show a squad's targets, hundreds of rows."""
    own = list(own)
    _, found = prepared.rows("session_steps", _steps_query, session_id, own)
    steps: dict[int | None, list[PlannedStepRow]] = {}
    by_id = {}
    for row in found:
        step = PlannedStepRow(*row)
        steps.setdefault(step.athlete_id, []).append(step)
        by_id[step.id] = step
    _, found = prepared.rows("session_targets", _targets_query, session_id,
                             [*followers, *own])
    mine = {None: set(followers), **{pk: set(own) for pk in own}}  # as read before: by query
    make = PlannedTargetRow._make
    for row in found:
        step = by_id.get(row[0])  # (step_id, athlete_id, ...: TARGET_COLUMNS)
        if step is not None and row[1] in mine[step.athlete_id]:
            step.targets.append(make(row))
    return steps


def _targets_of(step) -> Iterable:
    """A step's targets: a read row's list, or a ``PlannedStep``'s prefetched ones."""
    targets = step.targets
    return targets if isinstance(targets, list) else targets.all()


def items_from_planned(steps: Iterable[PlannedStep], athletes: Sequence[Athlete]) -> list[StepItem]:
    """Step items of a session's planned steps (``PlannedStepRow``, or ``PlannedStep`` with
    ``targets`` prefetched)."""
    items = []
    pks = [athlete.pk for athlete in athletes]
    spans: dict = {}  # a squad's athletes share targets: one span per distinct stored values
    for step in steps:
        by_athlete = {t.athlete_id: t for t in _targets_of(step)}
        items.append(planned_item(step, [by_athlete.get(pk) for pk in pks], spans))
    return items


def planned_item(step, targets: Sequence, spans: dict | None = None) -> StepItem:
    """The step item of one planned step (a ``PlannedStep``, or a row with its fields) with
    each athlete's stored target (a ``PlannedTarget``, a row with its fields, or None).
    ``spans``: the spans made so far, by their stored values (``_shared_span``)."""
    spans_of: tuple[TargetSpan | None, ...] = ()
    if step.kind == StepKind.WORK:
        if spans is None:
            spans_of = tuple(planned_span(target) for target in targets)
        else:
            spans_of = tuple(None if target is None else _shared_span(target, spans)
                             for target in targets)
    target_text = step.target_text
    if step.lactate_lo is not None and "mmol" not in target_text:
        target_text = f"{target_text} {lactate_text(step)}".strip()
    return StepItem(
        kind=StepKind(step.kind), distance_m=step.distance_m, duration_s=step.duration_s,
        target_text=target_text, mode=step.mode, set_number=step.set_number,
        rep_number=step.rep_number, label=step.label, targets=spans_of,
    )


def _shared_span(target, spans: dict) -> TargetSpan | None:
    """``planned_span(target)``, made once for each distinct stored values (the athletes of a
    squad share their targets): an equal span, the same object for all of them. ``target``: a
    ``PlannedTarget`` (or its row), or a resolved step of the live preview (same fields)."""
    if type(target) is PlannedTargetRow:  # its eight values, in this order (TARGET_COLUMNS)
        values = target[2:10]
    else:
        values = (target.target_lo_s, target.target_hi_s, target.sea_level_lo_s,
                  target.sea_level_hi_s, target.pace_lo_s_per_km, target.pace_hi_s_per_km,
                  target.sea_level_pace_lo_s_per_km, target.sea_level_pace_hi_s_per_km)
    try:
        return spans[values]
    except KeyError:
        span = spans[values] = planned_span(target)
        return span


def planned_span(target) -> TargetSpan | None:
    """One athlete's stored target (a ``PlannedTarget`` or None) as a span: the rep's time,
    or a timed rep's pace per km (the watch file reads it too: ``sessions.fit_workout``)."""
    if target is None:
        return None
    if target.target_lo_s is not None:
        return TargetSpan(target.target_lo_s, target.target_hi_s, target.sea_level_lo_s,
                          target.sea_level_hi_s)
    if target.pace_lo_s_per_km is not None:  # a timed rep: its pace per km
        return TargetSpan(target.pace_lo_s_per_km, target.pace_hi_s_per_km,
                          target.sea_level_pace_lo_s_per_km, target.sea_level_pace_hi_s_per_km,
                          per_km=True)
    return None


def lactate_text(step: PlannedStep) -> str:
    lo, hi = step.lactate_lo, step.lactate_hi
    if hi is None or hi == lo:
        return f"{lo:g} mmol"
    return f"{lo:g}–{hi:g} mmol"


# --- where targets come from -----------------------------------------------------------------


def origin_line(pairs: Iterable[tuple[str, str]]) -> str:
    """One athlete's targets and where they came from, in one calm line: ``(target, origin)``
    pairs in the order of the reps become ``mile: goal 3:55 for the mile · T+, I: VDOT 83.6
    from 5000 m 12:48, +4.7 % for 2100 m altitude`` (targets with the same origin share it;
    pairs without an origin, times and paces as written, are left out)."""
    by_origin: dict[str, list[str]] = {}
    for target, origin in pairs:
        if origin:
            names = by_origin.setdefault(origin, [])
            if target not in names:
                names.append(target)
    return " · ".join(f"{', '.join(names)}: {origin}" for origin, names in by_origin.items())


def planned_sources(steps: Iterable[PlannedStep],
                    athletes: Sequence[Athlete]) -> list[tuple[str, str]]:
    """``(name, origin_line)`` for each athlete with a named target among the session's planned
    steps (as ``items_from_planned`` takes them), as stored when the session was planned."""
    pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for step in steps:
        for target in _targets_of(step):
            pairs[target.athlete_id].append((target.source, target.origin))
    lines = [(a.display_name, origin_line(pairs.get(a.pk, ()))) for a in athletes]
    return [(name, line) for name, line in lines if line]
