"""Availability: which athletes are out (sick, injured, away) on which days, as the pages that
show sessions read it, and the sessions expected of an athlete (those on days they are not out).

The absences themselves are ``athletes.models.Absence``; a session on a day an athlete is out is
*unavailable* for that athlete: not missed (``sessions.attention.missing_logs``), not expected
(``expected_sessions``, what a compliance figure counts), greyed on the calendar. Logging it
stays allowed: someone may run anyway.

Every function here reads absences in one query, whatever the number of athletes or sessions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from athletes.models import Absence, Athlete
from coach import prepared

from .models import Block, Session

OUT_SOON_DAYS = 7  # "out this week": absences sharing a day with today and the next six


def athlete_today(athlete: Athlete) -> dt.date:
    """Today for an athlete: in the time zone of their current block (the one ending last),
    as their Today page counts it; the server's date when they are in no block."""
    block = (Block.objects.filter(athletes=athlete, archived=False)
             .order_by("-end_date", "-pk").only("time_zone").first())
    return block.today() if block else timezone.localdate()


def today_in(time_zone: str | None) -> dt.date:
    """``athlete_today`` from the time zone of the athlete's current block, read already
    (None: in no block, the server's date)."""
    return Block(time_zone=time_zone).today() if time_zone else timezone.localdate()


def expected_sessions(athlete: Athlete, start: dt.date, end: dt.date):
    """The sessions expected of ``athlete`` from ``start`` to ``end`` (both included): those of
    their current blocks, less those on days they are out. What "planned" counts in a planned
    versus done figure (compliance, expected load)."""
    out = Absence.objects.filter(athlete=athlete, start__lte=OuterRef("date"),
                                 end__gte=OuterRef("date"))
    return (Session.objects.for_athlete(athlete).filter(date__gte=start, date__lte=end)
            .exclude(Exists(out)))


class Absences:
    """The absences of some athletes over some days, read once, asked by athlete and day."""

    def __init__(self, athletes: Iterable[Athlete] | Iterable[int] | QuerySet, start: dt.date,
                 end: dt.date, *, found: Iterable[Absence] | None = None) -> None:
        """``athletes``: athletes, their ids, or a queryset of athletes (read in the same
        query, as a subquery); ``found``: the absences, read already (``athletes`` is then
        not read)."""
        self.by_athlete: dict[int, list[Absence]] = defaultdict(list)
        if found is None:
            found = _read(athletes, start, end)
        for absence in found:
            self.by_athlete[absence.athlete_id].append(absence)

    def on(self, athlete_id: int, day: dt.date) -> Absence | None:
        """The absence that has this athlete out on ``day``, or None."""
        return next((a for a in self.by_athlete.get(athlete_id, ()) if a.covers(day)), None)

    def overlapping(self, athlete_ids: Iterable[int], start: dt.date,
                    end: dt.date) -> list[Absence]:
        """The absences of those athletes sharing a day with ``start``-``end`` ("Out this
        week"), the soonest back first, then by name (the days must be among those read)."""
        wanted = set(athlete_ids)
        found = [a for aid, absences in self.by_athlete.items() if aid in wanted
                 for a in absences if a.start <= end and a.end >= start]
        return sorted(found, key=lambda a: (a.end, a.athlete.display_name))

    def out_on(self, athletes: Iterable[Athlete], day: dt.date) -> list[Absence]:
        """The absences of those of ``athletes`` who are out on ``day``, in their order."""
        if not self.by_athlete:  # nobody out in the whole span: the usual case
            return []
        found = (self.on(a.pk, day) for a in athletes if a.pk in self.by_athlete)
        return [a for a in found if a is not None]


def absences_query(athlete_ids, start: dt.date, end: dt.date) -> QuerySet:
    """The absences of those athletes (ids, or a query of them) sharing a day with
    ``start``-``end``, with their athlete, in the order ``Absences`` keeps them."""
    return (Absence.objects.filter(athlete_id__in=athlete_ids).overlapping(start, end)
            .select_related("athlete").order_by("start", "pk"))


def _read(athletes, start: dt.date, end: dt.date) -> list[Absence]:
    if isinstance(athletes, QuerySet):
        return list(absences_query(athletes.values("pk"), start, end))
    ids = sorted({a if isinstance(a, int) else a.pk for a in athletes})
    if not ids:
        return []
    # compiled once per number of athletes (``coach.prepared``)
    return prepared.objects("availability.absences", absences_query, ids, start, end)


def mark_sessions(sessions: Iterable[Session], athletes: Iterable[Athlete],
                  absences: Absences) -> None:
    """Give each session ``unavailable`` (the absences of the athletes out that day) and
    ``all_out`` (every one of ``athletes`` is out: the session is greyed)."""
    athletes = list(athletes)
    by_day: dict[dt.date, list[Absence]] = {}  # sessions of a day share who is out
    for session in sessions:
        out = by_day.get(session.date)
        if out is None:
            out = by_day[session.date] = absences.out_on(athletes, session.date)
        session.unavailable = list(out)
        session.all_out = bool(athletes) and len(out) == len(athletes)


def mark_calendar(calendar, block: Block, athletes: Iterable[Athlete]) -> None:
    """The sessions of a block calendar (``sessions.block_calendar.build_calendar``) marked
    with who is out (``mark_sessions``): one query."""
    athletes = list(athletes)
    sessions = [s for week in calendar.weeks for day in week.days for _, s in day.slots if s]
    absences = Absences(athletes, block.start_date, block.end_date)
    mark_sessions(sessions, athletes, absences)


def current_and_upcoming(athlete: Athlete, today: dt.date) -> list[Absence]:
    """An athlete's absences that have not ended, the soonest first (one query, compiled once:
    ``coach.prepared``)."""
    return prepared.objects("availability.upcoming", _upcoming_query, athlete.pk, today)


def _upcoming_query(athlete_id: int, today: dt.date):
    return Absence.objects.filter(athlete_id=athlete_id, end__gte=today).order_by("start", "end")
