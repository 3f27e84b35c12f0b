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
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from athletes.models import Athlete, User
from coach import prepared
from coach.jinja2 import url_maker

from .availability import Absences, absences_query
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


@dataclass(frozen=True)
class Member:
    """An athlete in a current block, as ``_missing`` reads memberships (the through model's
    rows have the same three attributes)."""

    block_id: int
    athlete_id: int
    athlete: Athlete


class MissingLogs(list):
    """The missing logs, newest first, at most ``limit`` of them; ``total`` counts them all
    and ``more`` those left out of the list."""

    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self)


def _whose(user: User) -> tuple[int | None, int | None]:
    """Whose sessions count for ``user``: their own as an athlete (the id of their athlete
    profile, else None), and as a coach those of the athletes they coach now in the blocks
    they plan (their own id, else None)."""
    me = user.athlete_or_none
    return (me.pk if me is not None else None), (user.pk if user.is_coach else None)


def _members_query(me_id: int | None, coach_id: int | None):
    """The memberships (block, athlete) of current blocks whose sessions count: ``me_id``'s
    own, and the athletes coach ``coach_id`` has now in the blocks they plan (either may be
    None). Built from the ids alone, so that ``coach.prepared`` compiles it once."""
    found = Q(pk__in=[])
    if me_id is not None:
        found |= Q(athlete_id=me_id)
    if coach_id is not None:
        found |= Q(block__coach_id=coach_id,
                   athlete__in=Athlete.objects.coached_by(coach_id).values("pk"))
    return Block.athletes.through.objects.filter(
        found, block__archived=False, athlete__user__is_active=True).select_related("athlete")


def _members(me_id: int | None, coach_id: int | None) -> list:
    """``_members_query``'s rows, compiled once per kind of person (athlete, coach, both)."""
    ids = [i for i in (me_id, coach_id) if i is not None]
    if not ids:
        return []
    me, coach = me_id is not None, coach_id is not None

    def build(*values):
        values = list(values)
        return _members_query(values.pop(0) if me else None, values.pop(0) if coach else None)

    return prepared.objects(f"attention.members.{me:d}{coach:d}", build, *ids)


def missing_logs(user: User, today: dt.date | None = None, *,
                 limit: int = SHORT_LIST, absences: Absences | None = None,
                 sessions: list[Session] | None = None,
                 sessions_of: set[int] = frozenset(),
                 members: list[Member] | None = None) -> MissingLogs:
    """The sessions of the last ``LOOKBACK_DAYS`` days before today (in each block's time
    zone, unless ``today`` is given) that an athlete of ``user``'s has not logged and was not
    out for, newest first: items with ``.athlete`` and ``.session``. Four queries, whatever
    the number of athletes, blocks, sessions or absences; three with ``absences`` read already
    (``absences_around``: the coach's home reads them once for this and who is out), two
    with ``sessions`` too: ``window_sessions`` of the blocks ``sessions_of`` read already (the
    coach's home has them for today's sessions), used when they hold every block needed;
    one with ``members`` too: whose sessions count (``_members_query``'s rows, as ``Member``),
    read already."""
    if not user.is_authenticated:
        return MissingLogs()
    if members is None:
        members = _members(*_whose(user))
    if sessions is not None and not {m.block_id for m in members} <= set(sessions_of):
        sessions = None  # a block of the person's own, not among those read
    return _missing(members, today, limit, viewer_id=user.pk, absences=absences,
                    sessions=sessions)


def absences_around(user: User, today: dt.date, days_ahead: int) -> Absences:
    """The absences that ``missing_logs`` reads for ``user`` (their own, and those of the
    athletes they coach now), from its look-back to ``days_ahead`` after ``today``: one query
    for the missing logs and another list of the same absences (who is out this week),
    compiled once per role (``coach.prepared``)."""
    start = today - dt.timedelta(days=LOOKBACK_DAYS + 2)
    end = today + dt.timedelta(days=days_ahead)
    is_coach = bool(user.is_coach)

    def build(user_id: int, first: dt.date, last: dt.date):
        whose = Q(user_id=user_id)
        if is_coach:
            whose |= Q(pk__in=Athlete.objects.coached_by(user_id).values("pk"))
        return absences_query(Athlete.objects.filter(whose).values("pk"), first, last)

    found = prepared.objects(f"attention.absences.{is_coach:d}", build, user.pk, start, end)
    return Absences((), start, end, found=found)


def missing_logs_of(athlete: Athlete, today: dt.date | None = None, *,
                    limit: int = SHORT_LIST, absences: Absences | None = None) -> MissingLogs:
    """``missing_logs`` for one athlete, in all their current blocks (``absences``: theirs,
    read already over the look-back, as ``missing_logs``)."""
    return _missing(_members(athlete.pk, None), today, limit, viewer_id=athlete.user_id,
                    absences=absences)


def _window_sessions(block_ids: list[int], first: dt.date, last: dt.date):
    return _window_sessions_only(block_ids, first, last).select_related("block")


def _window_logged(block_ids: list[int], first: dt.date, last: dt.date,
                   athlete_ids: list[int]):
    return SessionLog.objects.started().filter(
        session__block_id__in=block_ids, session__date__gte=first, session__date__lte=last,
        athlete_id__in=athlete_ids,
    ).values_list("session_id", "athlete_id")


def window(around: dt.date) -> tuple[dt.date, dt.date]:
    """The days ``missing_logs`` reads sessions of, around the server's today (each block's
    today is within a day of it)."""
    return around - dt.timedelta(days=LOOKBACK_DAYS + 1), around + dt.timedelta(days=1)


def _window_sessions_only(block_ids: list[int], first: dt.date, last: dt.date):
    return Session.objects.filter(block_id__in=block_ids, date__gte=first, date__lte=last)


def window_sessions(block_ids, around: dt.date, *,
                    known: Mapping[int, Block] | None = None) -> list[Session]:
    """The sessions of those blocks in ``window(around)`` (with their block): one query,
    compiled once per number of blocks. ``known``: blocks read already, by id (the coach's
    home has its blocks): when it holds every block asked for, the sessions are read without
    theirs and given those (the same rows, read in the same request)."""
    first, last = window(around)
    ids = sorted(block_ids)
    if known is None or not all(pk in known for pk in ids):
        return prepared.objects("attention.sessions", _window_sessions, ids, first, last)
    found = prepared.objects("attention.sessions.only", _window_sessions_only, ids, first,
                             last)
    for s in found:
        s.block = known[s.block_id]
    return found


def _missing(members: list, today: dt.date | None, limit: int, *,
             viewer_id: int | None, absences: Absences | None = None,
             sessions: list[Session] | None = None) -> MissingLogs:
    """``members``: ``_members``'s rows; ``sessions``: ``window_sessions`` of (at least) their
    blocks when the page has read them already."""
    result = MissingLogs()
    pairs = {(m.block_id, m.athlete_id) for m in members}
    if not pairs:
        return result
    around = today or timezone.now().date()  # each block's today is within a day of it
    first, last = window(around)
    block_ids = sorted({b for b, _ in pairs})
    if sessions is None:
        sessions = window_sessions(block_ids, around)
    else:
        wanted = set(block_ids)
        sessions = [s for s in sessions if s.block_id in wanted]
    todays = {}
    for s in sessions:
        if s.block_id not in todays:
            todays[s.block_id] = today or s.block.today()
    athletes = {m.athlete_id: m.athlete for m in members}
    athlete_ids = set(athletes)
    # the logs of these athletes only, not every log of their blocks
    logged = set(prepared.rows("attention.logged", _window_logged, block_ids, first, last,
                               sorted(athlete_ids))[1])
    if absences is None:
        absences = Absences(athlete_ids, first, last)
    # each block's athletes, in the order of ``athlete_ids`` (that of the list's equal items)
    in_block = {b: [a for a in athlete_ids if (b, a) in pairs] for b in block_ids}
    found = []
    for s in sessions:
        local_today = todays[s.block_id]
        if not local_today - dt.timedelta(days=LOOKBACK_DAYS) <= s.date < local_today:
            continue
        for athlete_id in in_block[s.block_id]:
            if (s.pk, athlete_id) not in logged and absences.on(athlete_id, s.date) is None:
                found.append((athletes[athlete_id], s))
    found.sort(key=lambda m: m[0].display_name)
    found.sort(key=lambda m: (m[1].date, m[1].slot), reverse=True)
    log_url, session_url = url_maker("training:log"), url_maker("training:session")
    for athlete, s in found[:limit]:  # the address of those listed only
        url = log_url(s.pk) if athlete.user_id == viewer_id else session_url(s.pk)
        result.append(MissingLog(athlete=athlete, session=s, url=url))
    result.total = len(found)
    return result


def stand_in_user(user_id: int, is_coach: bool, is_staff: bool) -> User:
    """A user of that id and those roles, for building a query from the id alone."""
    return User(pk=user_id, is_coach=is_coach, is_staff=is_staff, is_active=True)


def unread_list(user: User, limit: int) -> list[Comment]:
    """``unread_comments(user)[:limit]`` as a list: one query, compiled once per role."""
    if not user.is_authenticated:
        return []
    roles = (bool(user.is_coach), bool(user.is_staff))

    def build(user_id: int):
        return unread_comments(stand_in_user(user_id, *roles))[:limit]

    return prepared.objects(f"attention.unread.{roles[0]:d}{roles[1]:d}.{limit}", build,
                            user.pk)


def unread_comments(user):
    """Comments by others on the threads ``user`` takes part in that they have not seen (the
    athlete never counts a private note), newest first, ready to list."""
    return (Comment.objects.unread_by(user)
            .select_related("author", "log__athlete", "log__session")
            .order_by("-created", "-pk"))
