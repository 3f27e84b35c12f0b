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
import secrets
from collections import defaultdict
from collections.abc import Sequence

import icalendar
from django.db.models import Prefetch, Q
from django.utils import timezone

from athletes.models import Athlete, User

from . import step_rows
from .models import AthleteVersion, CalendarFeed, PlannedStep, PlannedTarget, Session
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


def feed_sessions(user: User, athlete: Athlete | None, *, since: dt.date) -> list[Session]:
    """The sessions of the person's feed from ``since``: those of the blocks they run in (an
    athlete) and of the blocks they plan (a coach); archived blocks are left out."""
    mine = Q(block__coach=user) if user.is_coach else Q(pk__in=[])
    if athlete is not None:
        mine |= Q(block__athletes=athlete)
    return list(Session.objects.filter(mine, block__archived=False, date__gte=since)
                .select_related("block").distinct().order_by("date", "slot", "pk"))


def build(user: User, *, base_url: str) -> bytes:
    """The person's feed as iCalendar bytes; ``base_url`` is ``https://host`` (the events'
    UIDs and links)."""
    athlete = user.athlete_or_none
    since = timezone.localdate() - dt.timedelta(weeks=WEEKS_BACK)
    sessions = feed_sessions(user, athlete, since=since)
    runs_in = set(athlete.blocks.values_list("pk", flat=True)) if athlete is not None else set()
    own = [s for s in sessions if s.block_id in runs_in]
    planned = [s for s in sessions if s.block_id not in runs_in]
    own_rows, versions = _athlete_rows(own, athlete) if own else ({}, {})
    squad_rows = _squad_rows(planned) if planned else {}
    days = defaultdict(int)
    for session in sessions:
        days[(session.block_id, session.date)] += 1
    host = base_url.split("://", 1)[-1]
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Training: {user.display_name}")
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for session in sessions:
        version = versions.get(session.pk)
        is_own = session.block_id in runs_in
        calendar.add_component(_event(
            session, rows=(own_rows if is_own else squad_rows).get(session.pk, []),
            notation=version.notation if version else session.notation,
            updated=max(session.updated, version.updated) if version else session.updated,
            prefix="" if is_own else f"{session.block.title}: ",
            slot=days[(session.block_id, session.date)] > 1, host=host, base_url=base_url,
        ))
    return calendar.to_ical()


def _event(session: Session, *, rows: Sequence[str], notation: str, updated: dt.datetime,
           prefix: str, slot: bool, host: str, base_url: str) -> icalendar.Event:
    block = session.block
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}@{host}")
    event.add("dtstamp", updated)
    event.add("last-modified", updated)
    event.add("dtstart", session.date)  # a date: an all-day event on the block's own day
    event.add("dtend", session.date + dt.timedelta(days=1))
    event.add("summary", f"{prefix}{session.slot + ' · ' if slot else ''}{session.title}")
    lines = [notation, "", *rows] if notation else list(rows)
    if session.notes:
        lines += ["", session.notes]
    where = block.place + (f" ({block.altitude_m} m)" if block.altitude_m else "")
    lines += ["", f"{block.title}{' · ' + where if block.place else ''}",
              f"{base_url}{session.get_absolute_url()}"]
    event.add("description", "\n".join(lines).strip())
    if block.place:
        event.add("location", block.place)
    event.add("url", f"{base_url}{session.get_absolute_url()}")
    event.add("transp", "TRANSPARENT")  # a plan, not a meeting: it does not make one busy
    return event


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


def _athlete_rows(sessions: Sequence[Session], athlete: Athlete
                  ) -> tuple[dict[int, list[str]], dict[int, AthleteVersion]]:
    """The athlete's rows for each session (the steps they follow, with their targets) and
    their own versions by session id: three queries."""
    ids = [s.pk for s in sessions]
    versions = {v.session_id: v for v in AthleteVersion.objects.filter(
        athlete=athlete, session_id__in=ids)}
    targets = PlannedTarget.objects.filter(athlete=athlete)
    steps = (PlannedStep.objects.filter(session_id__in=ids).followed_by(athlete)
             .order_by("session_id", "position")
             .prefetch_related(Prefetch("targets", queryset=targets)))
    return _rows_by_session(steps, [athlete]), versions


def _squad_rows(sessions: Sequence[Session]) -> dict[int, list[str]]:
    """The squad's rows for each session, without targets: one query."""
    steps = (PlannedStep.objects.filter(session_id__in=[s.pk for s in sessions]).squad()
             .order_by("session_id", "position")
             .prefetch_related(Prefetch("targets", queryset=PlannedTarget.objects.none())))
    return _rows_by_session(steps, [])


def _rows_by_session(steps, athletes: Sequence[Athlete]) -> dict[int, list[str]]:
    by_session: dict[int, list[PlannedStep]] = defaultdict(list)
    for step in steps:
        by_session[step.session_id].append(step)
    names = [a.display_name for a in athletes]
    return {
        pk: [row_text(row) for row in step_rows.group_steps(
            step_rows.items_from_planned(planned, athletes), names)]
        for pk, planned in by_session.items()
    }
