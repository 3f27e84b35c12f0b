"""A person's planned sessions as an iCalendar feed (docs/watch-export-and-calendar.md).

The feed (``build``) holds one all-day event per session, on the session's date in its block
(the block's own time zone: a session on Tuesday in Flagstaff is on Tuesday in any calendar),
from eight weeks back to the end of the last block:

- an athlete's sessions in their blocks, with the workout they follow (their own version or
  the squad's) and their own target for every group of reps, written as the session page's rows
  (``step_rows``);
- a coach's sessions of every block they plan, the block's title before the session's, with the
  squad's workout (each athlete's targets are on the session page the event links to).

Each event's UID is ``session-<pk>@<host>``, so a moved or edited session changes in place, and
its DTSTAMP and LAST-MODIFIED are when its plan last changed (``Session.updated``, or the
athlete's own version's), so calendars see changes. A constant number of queries, however many
sessions. ``new_address`` and ``turn_off`` change the secret address (``CalendarFeed``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import defaultdict, namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db.models import Exists, FilteredRelation, OuterRef, Q, Value
from django.utils import timezone

from athletes.models import Athlete, User
from coach import prepared
from coach.jinja2 import url_maker

from . import step_rows
from .models import AthleteVersion, Block, CalendarFeed, PlannedStep, Session
from .models.feeds import token_hash

WEEKS_BACK = 8
PRODUCT_ID = "-//Coach//Training plan//EN"


# --- the address ---------------------------------------------------------------------------------


def new_address(user: User) -> CalendarFeed:
    """Turn the feed on at a new secret address; any earlier address stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.update_or_create(user=user, defaults={
        "token": token, "token_hash": token_hash(token), "created": timezone.now(),
        "revoked_at": None,
    })
    return feed


def turn_off(user: User) -> None:
    """The feed's address stops working; turning it on again makes a new one."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


# --- the feed -----------------------------------------------------------------------------------


SESSION_FIELDS = ("pk", "block_id", "date", "slot", "title", "notation", "notes", "updated",
                  "block__title", "block__place", "block__altitude_m")


def feed_sessions(user: User, athlete: Athlete | None, *, since: dt.date) -> list[tuple]:
    """The sessions of the person's feed from ``since``: those of the blocks they run in (an
    athlete) and of the blocks they plan (a coach); archived blocks are left out. Rows of
    ``SESSION_FIELDS`` (the block's as ``block_title``, ``block_place``, ...) and ``runs_in``:
    whether the athlete runs in the session's block. One query, compiled once per kind of
    person (``coach.prepared``): a coach or not, an athlete or not."""
    coach = bool(user.is_coach)
    if athlete is None:
        if not coach:
            return []
        names, found = prepared.rows("feed_sessions:coach", _coach_sessions_query, user.pk,
                                     since)
    else:
        names, found = prepared.rows(f"feed_sessions:{coach}", _sessions_query(coach), user.pk,
                                     athlete.pk, since)
    return list(map(_session_row(names)._make, found))


@cache
def _session_row(names: tuple[str, ...]) -> type:
    """A named tuple of the sessions query's columns (``block__title`` as ``block_title``)."""
    return namedtuple("FeedSession", [name.replace("__", "_") for name in names])


def _runs_in(athlete_id: int, block: str = "block_id"):
    """Whether the athlete runs in the block of the row (an ``Exists`` of the membership)."""
    return Exists(Block.athletes.through.objects.filter(block_id=OuterRef(block),
                                                        athlete_id=athlete_id))


def _coach_sessions_query(user_id: int, since: dt.date):
    return (Session.objects.filter(block__coach_id=user_id, block__archived=False,
                                   date__gte=since)
            .annotate(runs_in=Value(False)).order_by("date", "slot", "pk")
            .values(*SESSION_FIELDS, "runs_in"))


def _sessions_query(coach: bool):
    def build(user_id: int, athlete_id: int, since: dt.date):
        runs_in = _runs_in(athlete_id)
        mine = Q(runs_in=True) | Q(block__coach_id=user_id) if coach else Q(runs_in=True)
        return (Session.objects.annotate(runs_in=runs_in)
                .filter(mine, block__archived=False, date__gte=since)
                .order_by("date", "slot", "pk").values(*SESSION_FIELDS, "runs_in"))
    return build


@dataclass(frozen=True)
class Event:
    """One session as an all-day event, its text as it reads (``write`` escapes and folds)."""

    uid: str
    updated: dt.datetime  # DTSTAMP and LAST-MODIFIED
    day: dt.date
    summary: str
    description: str
    location: str  # empty: no LOCATION line
    url: str


def build(user: User, *, base_url: str) -> bytes:
    """The person's feed as iCalendar bytes; ``base_url`` is ``https://host`` (the events'
    UIDs and links)."""
    return write(calendar_name(user), events(user, base_url=base_url))


def calendar_name(user: User) -> str:
    return f"Training: {user.display_name}"


def events(user: User, *, base_url: str) -> list[Event]:
    """The feed's events, in the order of the sessions (date, slot, id)."""
    athlete = user.athlete_or_none
    since = timezone.localdate() - dt.timedelta(weeks=WEEKS_BACK)
    sessions = feed_sessions(user, athlete, since=since)
    own = [s for s in sessions if s.runs_in]
    planned = [s for s in sessions if not s.runs_in]
    own_rows, versions = _athlete_rows(athlete, since) if own else ({}, {})
    squad_rows = _squad_rows(planned) if planned else {}
    days = defaultdict(int)
    for session in sessions:
        days[(session.block_id, session.date)] += 1
    host = base_url.split("://", 1)[-1]
    session_url = url_maker("training:session")
    found = []
    for session in sessions:
        notation, updated = versions.get(session.pk, (None, None))
        is_own = session.runs_in
        found.append(_event(
            session, rows=(own_rows if is_own else squad_rows).get(session.pk, []),
            notation=session.notation if notation is None else notation,
            updated=session.updated if updated is None else max(session.updated, updated),
            prefix="" if is_own else f"{session.block_title}: ",
            slot=days[(session.block_id, session.date)] > 1, host=host,
            url=f"{base_url}{session_url(session.pk)}",
        ))
    return found


def _event(session: tuple, *, rows: Sequence[str], notation: str,
           updated: dt.datetime, prefix: str, slot: bool, host: str, url: str) -> Event:
    lines = [notation, "", *rows] if notation else list(rows)
    if session.notes:
        lines += ["", session.notes]
    place, title = session.block_place, session.block_title
    where = place + (f" ({session.block_altitude_m} m)" if session.block_altitude_m else "")
    lines += ["", f"{title}{' · ' + where if place else ''}", url]
    return Event(
        uid=f"session-{session.pk}@{host}", updated=updated, day=session.date,
        summary=f"{prefix}{session.slot + ' · ' if slot else ''}{session.title}",
        description="\n".join(lines).strip(), location=place, url=url,
    )


# --- writing iCalendar ---------------------------------------------------------------------------
#
# The feed is written here rather than through the icalendar package's objects, which took most
# of the feed's time; the bytes are those the package writes for the same properties
# (``tests/test_calendar_feed.py`` builds the feed with it and compares): its order of
# properties, TEXT escaped as RFC 5545 section 3.3.11 says, lines folded before 75 octets.


def text(value: str) -> str:
    """A TEXT value escaped (RFC 5545, 3.3.11), as the icalendar package escapes it."""
    if _SPECIAL.search(value) is None:  # most summaries, every UID: nothing to escape
        return value
    return (value.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;")
            .replace(",", r"\,").replace("\r\n", r"\n").replace("\n", r"\n")
            .replace("\r", r"\n"))


_SPECIAL = re.compile(r"[\\;,\r\n]")  # what ``text`` replaces (``\\N`` starts with a backslash)


def fold(line: str) -> bytes:
    """A content line in UTF-8, folded (RFC 5545, 3.1): each piece at most 74 octets, then CRLF
    and a space; never inside a character, and never right after a backslash or caret, which
    moves to the next piece (so an escape such as ``\\,`` is not split)."""
    data = line.encode()
    if len(data) < LINE_OCTETS:
        return data
    pieces = []
    start, end = 0, len(data)
    while end - start >= LINE_OCTETS:
        cut = start + LINE_OCTETS - 1
        while data[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if data[cut - 1] in ESCAPES and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


LINE_OCTETS = 75
ESCAPES = b"\\^"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def write(name: str, events: Sequence[Event]) -> bytes:
    """The calendar ``name`` with ``events``, as iCalendar bytes."""
    lines = [
        b"BEGIN:VCALENDAR", b"VERSION:2.0", fold(f"PRODID:{text(PRODUCT_ID)}"),
        b"CALSCALE:GREGORIAN", fold(f"X-WR-CALNAME:{text(name)}"),
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H", b"X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        stamp = _stamp(event.updated)
        lines += [
            b"BEGIN:VEVENT", fold(f"SUMMARY:{text(event.summary)}"),
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}".encode(),
            f"DTEND;VALUE=DATE:{event.day + dt.timedelta(days=1):%Y%m%d}".encode(),
            f"DTSTAMP:{stamp}".encode(), fold(f"UID:{text(event.uid)}"),
            fold(f"DESCRIPTION:{text(event.description)}"),
            f"LAST-MODIFIED:{stamp}".encode(),
        ]
        if event.location:
            lines.append(fold(f"LOCATION:{text(event.location)}"))
        lines += [b"TRANSP:TRANSPARENT", fold(f"URL:{event.url}"), b"END:VEVENT"]
    lines.append(b"END:VCALENDAR")
    lines.append(b"")
    return b"\r\n".join(lines)


# --- the rows of a session -----------------------------------------------------------------------


def row_text(row: step_rows.StepRow) -> str:
    """A row of the session page as a line of text: ``12 × 400 m @ T+ (200 m jog recovery):
    1:06.5``, with each athlete's target the row has (none for the squad's rows)."""
    if not row.is_work:
        return row.title
    text = row.title
    if row.first.target_text:
        text += f" @ {row.first.target_text}"
    if row.recovery:
        text += f" ({row.recovery_label} recovery)"
    targets = [cell.text for cell in row.cells if cell.text != "–"]
    return f"{text}: {', '.join(targets)}" if targets else text


STEP_FIELDS = ("session_id", "kind", "distance_m", "duration_s", "target_text",
               "lactate_lo", "lactate_hi", "mode", "set_number", "rep_number", "label")
TARGET_FIELDS = ("target_lo_s", "target_hi_s", "sea_level_lo_s", "sea_level_hi_s",
                 "pace_lo_s_per_km", "pace_hi_s_per_km", "sea_level_pace_lo_s_per_km",
                 "sea_level_pace_hi_s_per_km")
SquadStep = namedtuple("SquadStep", STEP_FIELDS[1:])  # a squad's step (its session's aside)
AthleteStep = namedtuple("AthleteStep", STEP_FIELDS[1:] + TARGET_FIELDS)  # with the target


def _athlete_rows(athlete: Athlete, since: dt.date
                  ) -> tuple[dict[int, tuple[str, ...]], dict[int, tuple[str, dt.datetime]]]:
    """The athlete's rows for each session of their feed (the sessions of the blocks they run
    in, not archived, from ``since``: the steps they follow, each with their target) and their
    own versions' workout and time of change by session id: two queries, each compiled once
    (``coach.prepared``), read by the sessions' conditions rather than a list of their ids."""
    args = (athlete.pk, since)
    versions = {pk: (notation, updated) for pk, notation, updated
                in prepared.rows("feed_versions", _versions_query, *args)[1]}
    steps = prepared.rows("feed_steps", _steps_query, *args)[1]
    return _rows_by_session(steps, AthleteStep, [athlete.display_name]), versions


def _of_feed(athlete_id: int, since: dt.date, session: str = "session"):
    """The rows of the sessions of an athlete's feed (``session``: the path to the session)."""
    return Q(**{f"{session}__date__gte": since, f"{session}__block__archived": False}) & Q(
        _runs_in(athlete_id, f"{session}__block_id"))


def _versions_query(athlete_id: int, since: dt.date):
    return (AthleteVersion.objects.filter(_of_feed(athlete_id, since), athlete_id=athlete_id)
            .order_by().values_list("session_id", "notation", "updated"))


def _steps_query(athlete_id: int, since: dt.date):
    """The steps the athlete follows, each with their target's fields (a join on the one
    target an athlete has for a step, ``one_target_per_athlete``: none, all empty)."""
    return (PlannedStep.objects.filter(_of_feed(athlete_id, since)).followed_by(athlete_id)
            .annotate(mine=FilteredRelation("targets",
                                            condition=Q(targets__athlete_id=athlete_id)))
            .order_by("session_id", "position")
            .values(*STEP_FIELDS, *(f"mine__{name}" for name in TARGET_FIELDS)))


def _squad_rows(sessions: Sequence[tuple]) -> dict[int, tuple[str, ...]]:
    """The squad's rows for each session, without targets: one query."""
    steps = (PlannedStep.objects.filter(session_id__in=[s.pk for s in sessions]).squad()
             .order_by("session_id", "position").values_list(*STEP_FIELDS))
    return _rows_by_session(steps, SquadStep, [])


def _rows_by_session(steps: Sequence[tuple], fields: type, names: list[str]
                     ) -> dict[int, tuple[str, ...]]:
    """The rows of text of each session's steps (rows of ``fields``, by session and position:
    ``SquadStep``, or ``AthleteStep`` with the target of the athlete ``names`` names).

    A feed repeats its workouts (an athlete's easy runs, warm-ups, the same session in week
    after week at the same paces: about 26 distinct of 90 sessions at club size), so each
    session's rows are written once per distinct steps and targets in the request: every
    field the rows are made of, all but the session's id, is in the key."""
    by_session: dict[int, list[tuple]] = defaultdict(list)
    for step in steps:
        by_session[step[0]].append(step[1:])
    spans: dict = {}  # equal targets share a span (as on the session page): paces come back
    made: dict[tuple, tuple[str, ...]] = {}
    found = {}
    for pk, rows in by_session.items():
        key = tuple(rows)
        text = made.get(key)
        if text is None:
            items = []
            for step in rows:
                step = fields._make(step)
                items.append(step_rows.planned_item(step, (step,) if names else (), spans))
            text = made[key] = tuple(row_text(row) for row in step_rows.group_steps(items, names))
        found[pk] = text
    return found
