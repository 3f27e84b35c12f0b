"""What needs someone's attention, for their home page and the daily email
(``sessions/digest.py``): the sessions whose log is missing, and comments they have not read.

``missing_logs(user, today=None)`` is the one entry point for missing logs (the homes and the
digest call it): for an athlete, their own sessions of the last days with no log; for a coach,
the same for the athletes they coach, in their own blocks. A session on a day the athlete is
out (sick, injured, away: ``athletes.models.Absence``) is unavailable, not missing. Each list
costs a fixed number of queries, whatever the number of athletes, sessions and comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete, User
from coach import prepared

from .availability import Absences
from .models import Block, Comment, Session, SessionLog

LOOKBACK_DAYS = 14  # how far back a missing log is still asked for
SHORT_LIST = 8  # how many a home page lists; the rest are counted


@dataclass(frozen=True)
class MissingLog:
    """One athlete's session with no log; ``url`` where the viewer deals with it (the athlete:
    the log form; a coach: the session)."""

    athlete: Athlete
    session: Session
    url: str


class MissingLogs(list):
    """The missing logs, newest first, at most ``limit`` of them; ``total`` counts them all
    and ``more`` those left out of the list."""

    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self)


def _memberships(user: User) -> Q:
    """Whose sessions count for ``user``: their own as an athlete (their current blocks), and
    as a coach those of the athletes they coach now in the blocks they plan."""
    found = Q(pk__in=[])
    me = user.athlete_or_none
    if me is not None:
        found |= Q(athlete=me)
    if user.is_coach:
        found |= Q(block__coach=user, athlete__in=Athlete.objects.for_coach(user).values("pk"))
    return found


def missing_logs(user: User, today: dt.date | None = None, *,
                 limit: int = SHORT_LIST, absences: Absences | None = None) -> MissingLogs:
    """The sessions of the last ``LOOKBACK_DAYS`` days before today (in each block's time
    zone, unless ``today`` is given) that an athlete of ``user``'s has not logged and was not
    out for, newest first: items with ``.athlete`` and ``.session``. Four queries, whatever
    the number of athletes, blocks, sessions or absences; three with ``absences`` read already
    (``absences_around``: the coach's home reads them once for this and who is out)."""
    if not user.is_authenticated:
        return MissingLogs()
    return _missing(_memberships(user), today, limit, viewer_id=user.pk, absences=absences)


def absences_around(user: User, today: dt.date, days_ahead: int) -> Absences:
    """The absences that ``missing_logs`` reads for ``user`` (their own, and those of the
    athletes they coach now), from its look-back to ``days_ahead`` after ``today``: one query
    for the missing logs and another list of the same absences (who is out this week)."""
    whose = Q(user=user)
    if user.is_coach:
        whose |= Q(pk__in=Athlete.objects.for_coach(user).values("pk"))
    return Absences(Athlete.objects.filter(whose), today - dt.timedelta(days=LOOKBACK_DAYS + 2),
                    today + dt.timedelta(days=days_ahead))


def missing_logs_of(athlete: Athlete, today: dt.date | None = None, *,
                    limit: int = SHORT_LIST, absences: Absences | None = None) -> MissingLogs:
    """``missing_logs`` for one athlete, in all their current blocks (``absences``: theirs,
    read already over the look-back, as ``missing_logs``)."""
    members = prepared.objects("missing_members", _athlete_members, athlete.pk)
    return _missing(members, today, limit, viewer_id=athlete.user_id, absences=absences)


def _memberships_of(memberships: Q):
    return Block.athletes.through.objects.filter(
        memberships, block__archived=False, athlete__user__is_active=True,
    ).select_related("athlete")


def _athlete_members(athlete_id: int):
    return _memberships_of(Q(athlete_id=athlete_id))


def _sessions_between(block_ids: list[int], first: dt.date, last: dt.date):
    return Session.objects.filter(block_id__in=block_ids, date__gte=first,
                                  date__lte=last).select_related("block")


def _logged_between(block_ids: list[int], first: dt.date, last: dt.date,
                    athlete_ids: list[int]):
    return SessionLog.objects.started().filter(
        session__block_id__in=block_ids, session__date__gte=first, session__date__lte=last,
        athlete_id__in=athlete_ids,
    ).values_list("session_id", "athlete_id")


def _missing(memberships: Q | list, today: dt.date | None, limit: int, *,
             viewer_id: int | None, absences: Absences | None = None) -> MissingLogs:
    """``memberships``: whose block memberships count (a ``Q``), or those memberships read
    already. The sessions and the logs among them are read with SQL compiled once per
    number of blocks and athletes (``coach.prepared``)."""
    result = MissingLogs()
    members = (memberships if isinstance(memberships, list)
               else list(_memberships_of(memberships)))
    pairs = {(m.block_id, m.athlete_id) for m in members}
    if not pairs:
        return result
    around = today or timezone.now().date()  # each block's today is within a day of it
    first, last = around - dt.timedelta(days=LOOKBACK_DAYS + 1), around + dt.timedelta(days=1)
    block_ids = sorted({b for b, _ in pairs})
    sessions = prepared.objects("missing_sessions", _sessions_between, block_ids, first, last)
    todays = {}
    for s in sessions:
        if s.block_id not in todays:
            todays[s.block_id] = today or s.block.today()
    athletes = {m.athlete_id: m.athlete for m in members}
    athlete_ids = set(athletes)
    logged = set(prepared.rows("missing_logged", _logged_between, block_ids, first, last,
                               sorted(athlete_ids))[1])
    if absences is None:
        absences = Absences(athlete_ids, first, last)
    found = []
    for s in sessions:
        local_today = todays[s.block_id]
        if not local_today - dt.timedelta(days=LOOKBACK_DAYS) <= s.date < local_today:
            continue
        for athlete_id in athlete_ids:
            if ((s.block_id, athlete_id) in pairs and (s.pk, athlete_id) not in logged
                    and absences.on(athlete_id, s.date) is None):
                athlete = athletes[athlete_id]
                url = (reverse("training:log", args=[s.pk]) if athlete.user_id == viewer_id
                       else s.get_absolute_url())
                found.append(MissingLog(athlete=athlete, session=s, url=url))
    found.sort(key=lambda m: m.athlete.display_name)
    found.sort(key=lambda m: (m.session.date, m.session.slot), reverse=True)
    result.extend(found[:limit])
    result.total = len(found)
    return result


def unread_comments(user):
    """Comments by others on the threads ``user`` takes part in that they have not seen (the
    athlete never counts a private note), newest first, ready to list."""
    return (Comment.objects.unread_by(user)
            .select_related("author", "log__athlete", "log__session")
            .order_by("-created", "-pk"))


def first_unread_comments(user, count: int) -> list[Comment]:
    """The first ``count`` of ``unread_comments``, read with SQL compiled once per kind of
    viewer (``coach.prepared``, ``summary_reads.viewer``): the home pages list a few."""
    from .summary_reads import viewer

    if not user.is_authenticated:
        return []

    def build(user_id: int):
        return unread_comments(viewer(user_id, user))[:count]

    kind = f"{user.is_staff:d}{user.is_coach:d}"
    return prepared.objects(f"unread_comments:{kind}:{count}", build, user.pk)
