"""The block page as a calendar: weeks of days with an AM and a PM place, volumes, key targets.

A read model in two queries whatever the number of sessions (``build_calendar``); a session's
volume reads as on the session page (``sessions.step_rows``).

The calendar is drawn by a Jinja2 fragment (``templates/jinja2/training/block_calendar.html``,
``render_calendar``) from plain rows built here (``Card``: every string a card shows, its
addresses included, made by ``coach.jinja2.url_maker``): the same markup in Django's template
language, a card's addresses reversed one by one, was three quarters of the page's time
(docs/frontend.md, "Fast fragments").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString
from markupsafe import Markup, escape

from athletes.models import Athlete
from coach import prepared
from coach.jinja2 import render_fragment, url_maker

from .models import AthleteGoal, AthleteVersion, Block, PlannedStep, Session, StepKind
from .planning import SLOTS
from .step_rows import lactate_text, short_amount
from .volumes import session_volume, timed_seconds, volume_label


@dataclass
class Totals:
    """Volumes of some sessions: metres, seconds of steps that have only a duration (easy
    runs and timed reps written in minutes), work metres and seconds, quality sessions."""

    total_m: float = 0.0
    timed_s: float = 0.0
    work_m: float = 0.0
    work_s: float = 0.0
    quality: int = 0
    sessions: int = 0

    def add(self, session: CalendarSession) -> None:
        self.total_m += session.total_distance_m
        self.timed_s += getattr(session, "timed_s", 0.0)
        self.work_m += session.work_distance_m
        self.work_s += session.work_duration_s
        self.quality += int(session.is_quality)
        self.sessions += 1

    def __iadd__(self, other: Totals) -> Totals:
        self.total_m += other.total_m
        self.timed_s += other.timed_s
        self.work_m += other.work_m
        self.work_s += other.work_s
        self.quality += other.quality
        self.sessions += other.sessions
        return self

    @property
    def volume(self) -> str:
        """All the running: ``50.4 km + 5 h 28 min``; a week of easy runs by time reads its
        time, not ``0 km``."""
        return volume_label(self.total_m, self.timed_s)

    @property
    def work(self) -> str:
        """The reps: ``24.2 km + 30 min``; empty for a week without reps."""
        if not (self.work_m or self.work_s):
            return ""
        return volume_label(self.work_m, self.work_s)


class CalendarSession(SimpleNamespace):
    """A session as a calendar card reads it (``CARD_FIELDS`` and ``pk``), and what
    ``build_calendar`` and ``availability.mark_calendar`` add: a plain row, not a model (a
    block has dozens, and a model instance costs several times a row to make)."""


@dataclass
class Day:
    date: dt.date
    in_block: bool
    slots: list[tuple[str, CalendarSession | None]]

    @property
    def iso(self) -> str:
        """``2026-11-03``: the day in the calendar's data attributes and links (the template
        writes it once or twice per place; ``isoformat`` is cheaper than the ``date`` filter)."""
        return self.date.isoformat()

    @property
    def long(self) -> str:
        """``Tuesday 3 November``, for the labels of the empty places."""
        return f"{self.date:%A} {self.date.day} {self.date:%B}"


    @property
    def label(self) -> str:
        """``Tue 3 Nov``: the day's heading (Django's ``date:"D j M"``)."""
        return short_date(self.date)


@dataclass
class Week:
    number: int
    monday: dt.date
    days: list[Day]
    totals: Totals


@dataclass
class Calendar:
    weeks: list[Week]
    totals: Totals


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")


def short_date(day: dt.date) -> str:
    """``Tue 3 Nov``, as Django's ``date:"D j M"`` writes it, without its per-call setup."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def key_targets(steps: Iterable[PlannedStep]) -> dict[int, list[str]]:
    """Per session: its reps grouped as coaches write them, ``12x400 @ T+``, ``5x6min @ 2.5
    mmol``. ``steps`` are the steps of many sessions, ordered by session and position; equal
    reps group when only recoveries come between them."""
    found: dict[int, list[list]] = defaultdict(list)
    joinable = False  # whether the next rep may join the last group of its session
    session_id = None
    for step in steps:
        if step.session_id != session_id:
            session_id, joinable = step.session_id, False
        if step.kind == StepKind.RECOVERY:
            continue
        if step.kind != StepKind.WORK:
            joinable = False
            continue
        text = step.target_text
        if step.lactate_lo is not None and "mmol" not in text:
            text = f"{text} {lactate_text(step)}".strip()
        key = (step.distance_m, step.duration_s, text)
        groups = found[step.session_id]
        if joinable and groups and groups[-1][0] == key:
            groups[-1][1] += 1
        else:
            groups.append([key, 1])
        joinable = True
    result = {}
    for sid, groups in found.items():
        lines = []
        for (distance, duration, text), count in groups:
            head = short_amount(distance, duration)
            head = f"{count}x{head}" if count > 1 else head
            lines.append(f"{head} @ {text}" if text else head)
        result[sid] = lines
    return result


# What a card and the totals read of a session (and its URL, ``pk``): nothing else is loaded.
CARD_FIELDS = ("block_id", "date", "slot", "title", "rep_count", "work_distance_m",
               "total_distance_m", "work_duration_s", "is_quality")
# What key targets and timed volumes read of a planned step.
STEP_FIELDS = ("session_id", "athlete_id", "kind", "distance_m", "duration_s", "target_text",
               "lactate_lo", "lactate_hi")


def build_calendar(block: Block, athlete: Athlete | None = None, *,
                   coached: list[Athlete] | None = None) -> Calendar:
    """The block as weeks of days with an AM and a PM place each, and the totals.

    For the coach (no ``athlete``) a card shows the squad's workout and names who has their own
    version, in two queries whatever the number of sessions: the sessions and their steps
    (with the first step of each own version, for its athlete's name). ``coached``: the
    block's ``coached_athletes()`` when the caller has read them already; their ids and names
    then stand for a subquery and a join. For an athlete of the block (``athlete``) each card,
    and the totals, are what that athlete runs, in three: their own versions too
    (``versions_on_calendar``). The queries are compiled once per shape (``coach.prepared``:
    building them in the ORM cost more than running them)."""
    sessions = [CalendarSession(**row) for row in
                prepared.dicts("calendar_sessions", _sessions_query, block.pk)]
    names: dict[int, str] = {}
    if not sessions:
        steps = []
    elif athlete is not None:
        steps = _step_rows("calendar_steps_followed", _followed_steps_query,
                           [s.pk for s in sessions], athlete.pk)
    elif coached is not None:  # the squad's steps, and the first of each own version
        names = {a.pk: a.display_name for a in coached}
        steps = _step_rows("calendar_steps_squad", _squad_steps_query,
                           [s.pk for s in sessions], list(names))
    else:
        steps = list(
            PlannedStep.objects.filter(session__block=block)
            .filter(Q(athlete__isnull=True)
                    | Q(position=1, athlete__in=block.coached_athletes()))
            .annotate(athlete_name=F("athlete__display_name"))
            .order_by("session", "position").values_list(*STEP_FIELDS, "athlete_name",
                                                         named=True))
    if athlete is not None:
        versions_on_calendar(block, sessions, athlete)
    else:
        _name_own_versions(sessions, [
            (s.session_id, names[s.athlete_id] if names else s.athlete_name)
            for s in steps if s.athlete_id is not None])
        steps = [s for s in steps if s.athlete_id is None]
    targets = key_targets(steps)
    by_session: dict[int, list] = defaultdict(list)
    for step in steps:
        by_session[step.session_id].append(step)
    by_place = {(s.date, s.slot): s for s in sessions}
    for s in sessions:
        s.key_targets = targets.get(s.pk, [])
        s.timed_s = timed_seconds(by_session.get(s.pk, ()))
        s.volume = session_volume(s, s.timed_s)
        s.work = volume_label(s.work_distance_m, s.work_duration_s) if s.rep_count else ""
    weeks = []
    total = Totals()
    for number, days in enumerate(block.weeks(), start=1):
        week_totals = Totals()
        cells = []
        for day in days:
            slots = []
            for slot in SLOTS:
                found = by_place.get((day, slot))
                if found is not None:
                    week_totals.add(found)
                slots.append((slot, found))
            cells.append(Day(date=day, in_block=block.contains(day), slots=slots))
        weeks.append(Week(number=number, monday=days[0], days=cells, totals=week_totals))
        total += week_totals
    return Calendar(weeks=weeks, totals=total)


StepRow = namedtuple("StepRow", STEP_FIELDS)


def _step_rows(key: str, build, *args) -> list[StepRow]:
    return [StepRow._make(row) for row in prepared.rows(key, build, *args)[1]]


def _sessions_query(block_id: int):
    return (Session.objects.filter(block_id=block_id).order_by("date", "slot")
            .values("pk", *CARD_FIELDS))


def _steps_query(session_ids: list[int]):
    """The steps of the sessions just read (by id: no join, and an index scan where the
    table is large), each session's in order (which session first does not matter)."""
    return PlannedStep.objects.filter(session_id__in=session_ids).order_by("session_id",
                                                                           "position")


# The steps a card reads: a recovery over a distance is neither a key target nor running by
# time (``key_targets`` skips recoveries, ``timed_seconds`` counts steps without a distance),
# so those rows, a third of an interval session's, are not fetched.
READ_STEPS = ~Q(kind=StepKind.RECOVERY) | Q(distance_m__isnull=True)


def _squad_steps_query(session_ids: list[int], coached_ids: list[int]):
    """The squad's steps of a block's sessions that a card reads, and the first step of each
    own version of ``coached_ids`` (for its athlete's name)."""
    return (_steps_query(session_ids)
            .filter(Q(athlete__isnull=True) & READ_STEPS
                    | Q(position=1, athlete__in=coached_ids))
            .values_list(*STEP_FIELDS))


def _followed_steps_query(session_ids: list[int], athlete_id: int):
    """The steps an athlete follows in a block's sessions (``PlannedStep.followed_by``) that
    a card reads."""
    return (_steps_query(session_ids).followed_by(athlete_id).filter(READ_STEPS)
            .values_list(*STEP_FIELDS))


def _versions_query(block_id: int, athlete_id: int):
    return (AthleteVersion.objects.filter(session__block_id=block_id, athlete_id=athlete_id)
            .order_by().values_list("session_id", *VERSION_TOTALS))


VERSION_TOTALS = ("rep_count", "work_distance_m", "total_distance_m", "work_duration_s",
                  "estimated_duration_s", "is_quality")


def _name_own_versions(sessions: list[CalendarSession],
                       firsts: list[tuple[int, str]]) -> None:
    """``own_versions`` on each session: the names of the athletes with their own version
    (``Sam: own version``), from the first step of each version (session id, name)."""
    names: dict[int, list[str]] = defaultdict(list)
    for session_id, name in firsts:
        names[session_id].append(name)
    for s in sessions:
        s.own_versions, s.my_version = sorted(names.get(s.pk, [])), False


def versions_on_calendar(block: Block, sessions: list[CalendarSession], athlete: Athlete) -> None:
    """``my_version`` on the sessions the athlete has their own version of, whose totals are
    then that version's (a read model: the sessions are not saved). One query, none without
    sessions."""
    for s in sessions:
        s.own_versions, s.my_version = [], False
    if not sessions:
        return
    by_session = {s.pk: s for s in sessions}
    for session_id, *totals in prepared.rows("calendar_versions", _versions_query, block.pk,
                                             athlete.pk)[1]:
        session = by_session.get(session_id)
        if session is None:
            continue
        session.my_version = True
        for name, value in zip(VERSION_TOTALS, totals, strict=True):
            setattr(session, name, value)


# --- drawing ----------------------------------------------------------------------------
#
# The page's frame (totals, weeks, their totals and "Copy week" menus) is the Jinja2 fragment;
# the days (a date, and an AM and a PM place each: a session's card, or the "+ AM" link to add
# one) are written here in Python, every text escaped as Jinja2 escapes it
# (``markupsafe.escape``). They are most of the page: drawn by the template, the 2,000-odd
# escapes and lookups of a 67-session block were a third of the page's time.


def text_escape(value) -> str:
    """``markupsafe.escape(value)`` as text, for the plain texts the days write (titles,
    volumes, addresses, names): the same five replacements (``&``, ``>``, ``<``, ``'``,
    ``"``) without making a ``Markup`` object for each of a page's 800-odd texts. Anything
    with ``__html__`` (markup already) goes to markupsafe, which keeps it as it is;
    ``tests/test_planning_calendar.py`` compares both on random texts."""
    if hasattr(value, "__html__"):
        return str(escape(value))
    return (str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def card_html(s: CalendarSession, *, can_plan: bool, urls: tuple, copied: set[int]) -> str:
    """One session's card (``<article class="session-chip">``): title, volume, key targets,
    who is out, own versions; for its coach the drag data and the "⋯" link to the session's
    own move/copy form (``#move``: the menu without JavaScript)."""
    session_url, move_url, copy_url = urls
    css = "session-chip"
    if s.is_quality:
        css += " quality"
    if getattr(s, "all_out", False):
        css += " all-out"
    if s.pk in copied:
        css += " just-changed"
    title, url = text_escape(s.title), text_escape(session_url(s.pk))
    if can_plan:
        head = (f'<article class="{css}" id="session-{s.pk}" draggable="true" '
                f'data-title="{title}" data-move-url="{text_escape(move_url(s.pk))}" '
                f'data-copy-url="{text_escape(copy_url(s.pk))}">\n'
                f'  <div class="chip-head">\n'
                f'    <span class="slot-name">{text_escape(s.slot)}</span>\n'
                f'    <a class="chip-menu" href="{url}#move" data-place-menu '
                f'aria-label="Move or copy {title}" title="Move or copy">⋯</a>\n'
                f'  </div>\n'
                f'  <a class="chip-link" href="{url}" draggable="false">{title}</a>\n')
    else:
        head = (f'<article class="{css}" id="session-{s.pk}">\n'
                f'  <div class="chip-head">\n'
                f'    <span class="slot-name">{text_escape(s.slot)}</span>\n'
                f'  </div>\n'
                f'  <a class="chip-link" href="{url}">{title}</a>\n')
    parts = [head, f'  <p class="vol num">{text_escape(s.volume)}']
    if s.work:
        parts.append(f" · work {text_escape(s.work)}")
    parts.append("</p>\n")
    if s.key_targets:
        parts.append(f'  <ul class="keys">{_items(s.key_targets)}</ul>\n')
    out = getattr(s, "unavailable", ())
    if out:
        lines = [f"{a.athlete.display_name}: {a.get_reason_display()}" for a in out]
        parts.append(f'  <ul class="chip-out" aria-label="Unavailable">{_items(lines)}</ul>\n')
    names = s.own_versions
    if names:
        own = f"{', '.join(names)}: own version{'s' if len(names) != 1 else ''}"
        parts.append(f'  <p class="own-versions">{text_escape(own)}</p>\n')
    if s.my_version:
        parts.append('  <p class="own-versions">Your own version</p>\n')
    parts.append("</article>")
    return "".join(parts)


def _items(lines: Iterable[str]) -> str:
    return "".join(f"<li>{text_escape(line)}</li>" for line in lines)


def day_html(day: Day, *, today: dt.date, can_plan: bool, new_url: str, urls: tuple,
             copied: set[int]) -> str:
    """A day of the calendar: its date and, within the block, its places, AM then PM: each a
    ``<div class="slot">`` (``data-date``, ``data-slot``: where a dragged card drops) holding
    its session's card, or for the coach a link to add one there."""
    css = "day" if day.in_block else "day outside"
    label = day.label
    if day.date == today:
        css += " is-today"
        label += ' <span class="today-tag">today</span>'
    head = f'<div class="{css}">\n  <p class="date num">{label}</p>\n'
    if not day.in_block:
        return f"{head}</div>"
    iso = day.iso
    parts = [head, '  <div class="slots">\n']
    for slot, s in day.slots:
        slot = text_escape(slot)
        if s is not None:
            inner = card_html(s, can_plan=can_plan, urls=urls, copied=copied)
            parts.append(f'<div class="slot filled" data-date="{iso}" data-slot="{slot}">\n'
                         f'{inner}\n</div>\n')
        elif can_plan:
            parts.append(f'<div class="slot" data-date="{iso}" data-slot="{slot}">\n'
                         f'<a class="add-session" href="{text_escape(new_url)}?date={iso}&amp;'
                         f'slot={slot}" aria-label="Add a session on {text_escape(day.long)} '
                         f'{slot}">+ {slot}</a>\n</div>\n')
        else:
            parts.append(f'<div class="slot" data-date="{iso}" data-slot="{slot}">\n</div>\n')
    parts.append("  </div>\n</div>")
    return "".join(parts)


def week_targets(weeks: list[dict], number: int) -> Markup:
    """The ``<option>``s of a week's "Copy week" menu: every other week of the block, the next
    one chosen (a block of W weeks has W menus of W - 1 options: written here, not by the
    template)."""
    options = []
    for other in weeks:
        if other["number"] == number:
            continue
        chosen = " selected" if other["number"] == number + 1 else ""
        options.append(f'<option value="{other["monday_iso"]}"{chosen}>Week {other["number"]} '
                       f'({text_escape(other["monday_short"])})</option>')
    # every value escaped above or a date's digits (docs/security.md, B704)
    return Markup("".join(options))  # nosec


def render_calendar(calendar: Calendar, *, block: Block, can_plan: bool, today: dt.date,
                    notice: dict | None, csrf_token: str) -> SafeString:
    """The calendar section of the block page (``#calendar``, also what htmx swaps in after a
    move or a copy), drawn by the Jinja2 fragment from plain rows."""
    notice = notice or {}
    swap = notice.get("swap")
    if swap:
        swap = {"url": url_maker("training:session-move")(swap["session"].pk),
                "date": swap["date"].isoformat(), "slot": swap["slot"]}
    weeks = [{
        "number": week.number, "totals": week.totals,
        "monday_label": short_date(week.monday), "monday_iso": week.monday.isoformat(),
        "monday_short": f"{week.monday.day} {MONTH_NAMES[week.monday.month - 1]}",
    } for week in calendar.weeks]
    if can_plan and len(weeks) > 1:
        for week in weeks:
            week["targets"] = week_targets(weeks, week["number"])
    new_url = reverse("training:session-new", args=[block.pk]) if can_plan else ""
    urls = (url_maker("training:session"), url_maker("training:session-move"),
            url_maker("training:session-copy"))
    copied = set(notice.get("copied", ()))
    for week, drawn in zip(calendar.weeks, weeks, strict=True):
        # day_html and card_html escape every text they write (docs/security.md, B704)
        drawn["days_html"] = Markup("\n".join(  # nosec
            day_html(day, today=today, can_plan=can_plan, new_url=new_url, urls=urls,
                     copied=copied) for day in week.days))
    return render_fragment("training/block_calendar.html", {
        "weeks": weeks, "totals": calendar.totals,
        "can_plan": can_plan, "csrf_token": csrf_token,
        "notice": {"text": notice.get("text", ""), "ok": notice.get("ok", False),
                   "partial": notice.get("partial", False), "swap": swap} if notice else None,
        "copy_week_url": reverse("training:block-copy-week", args=[block.pk]) if can_plan else "",
    })


def seen_athletes(block: Block, user) -> list[Athlete]:
    """``Block.athletes_seen_by`` as a list by name: for the block's coach its coached athletes
    with their ``goal_time_s`` for the block's goal race (``Block.goal_times``, in the same
    query, compiled once: ``coach.prepared``), for others as that method says."""
    if block.coach_id == user.pk and user.is_coach and not user.is_staff:
        return prepared.objects("block_coached_athletes", _coached_query, block.pk, user.pk)
    return list(block.athletes_seen_by(user).order_by("display_name"))


def _coached_query(block_id: int, coach_id: int):
    """The athletes of a block its coach sees (``Block.athletes_seen_by`` for the coach:
    active, and theirs now), by name, with their goal time in the block (one at most)."""
    goal = AthleteGoal.objects.filter(block_id=block_id, athlete=OuterRef("pk"))
    return (Athlete.objects.filter(blocks=block_id).active().coached_by(coach_id)
            .annotate(goal_time_s=Subquery(goal.values("time_s")[:1]))
            .order_by("display_name"))
