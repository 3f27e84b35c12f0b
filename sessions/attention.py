"""What needs a person's attention, for their home page and the daily email
(``sessions/digest.py``): comments they have not read, and sessions of the last two weeks
nobody logged. Each list costs a fixed number of queries, whatever the number of athletes,
sessions and comments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse

from athletes.models import Athlete

from .models import Comment, Session, SessionLog

MISSING_DAYS = 14


@dataclass
class MissingLog:
    """A past session ``athlete`` has not logged; ``url`` where the viewer deals with it (the
    athlete: the log form; a coach: the session)."""

    athlete: Athlete
    session: Session
    url: str


def _window(session: Session, today: dt.date | None) -> bool:
    day = today or session.block.today()
    return day - dt.timedelta(days=MISSING_DAYS) <= session.date < day


def missing_logs(user, today: dt.date | None = None) -> list[MissingLog]:
    """Sessions of the last 14 days (before ``today``, by default today where each block is)
    without a log: for an athlete their own, for a coach those of the athletes they coach now
    in their current blocks. Newest first."""
    if not user.is_authenticated:
        return []
    latest = today or dt.date.today() + dt.timedelta(days=1)  # a day's grace for time zones
    earliest = latest - dt.timedelta(days=MISSING_DAYS + 2)
    found: list[MissingLog] = []
    athlete = user.athlete_or_none
    if athlete is not None:
        sessions = (Session.objects.for_athlete(athlete)
                    .filter(date__gte=earliest, date__lt=latest)
                    .exclude(logs__athlete=athlete).select_related("block"))
        found += [MissingLog(athlete, s, reverse("training:log", args=[s.pk]))
                  for s in sessions if _window(s, today)]
    if user.is_coach:
        coached = Athlete.objects.active().for_coach(user).select_related("user")
        sessions = list(
            Session.objects.for_coach(user).filter(block__archived=False, date__gte=earliest,
                                                   date__lt=latest)
            .select_related("block")
            .prefetch_related(Prefetch("block__athletes", queryset=coached, to_attr="coached"))
        )
        sessions = [s for s in sessions if _window(s, today)]
        logged = set(SessionLog.objects.filter(session__in=[s.pk for s in sessions])
                     .values_list("session_id", "athlete_id"))
        found += [MissingLog(a, s, s.get_absolute_url())
                  for s in sessions for a in s.block.coached
                  if (s.pk, a.pk) not in logged and a.user_id != user.pk]
    found.sort(key=lambda m: (m.session.date, m.session.slot, m.athlete.display_name),
               reverse=True)
    return found


def unread_comments(user):
    """Comments by others on the threads ``user`` takes part in that they have not seen (the
    athlete never counts a private note), newest first, ready to list."""
    return (Comment.objects.unread_by(user)
            .select_related("author", "log__athlete", "log__session")
            .order_by("-created", "-pk"))
