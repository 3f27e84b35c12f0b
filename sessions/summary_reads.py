"""The log summary's reads, each compiled to SQL once per shape (``coach.prepared``).

Building the summary's querysets (access rules as subqueries, annotations, joins) and
compiling them cost the ORM more Python than the page's templates: about 2-4 ms a query on
the bench machine, against a fraction of a millisecond to run the SQL kept from an earlier
request with this request's values. What a query's SQL depends on besides its values is who
asks: an admin, a coach, or an athlete (``ScopedQuerySet.for_user``, ``discussable_by``,
``Comment.objects.visible_to`` branch on ``is_staff`` and ``is_coach``). So each is compiled
once per kind of viewer, with a stand-in ``User`` that carries the viewer's id and those two
flags (``viewer``), and run with the real ids.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from athletes.models import User
from coach import prepared

from .attention import stand_in_user
from .conversation import with_thread_state
from .models import AthleteVersion, Comment, SessionLog

LOG_RELATED = ("session__block", "athlete")  # what the summary reads of its log


def viewer(user_id: int, like: User) -> User:
    """A signed-in stand-in for ``like`` with the id ``user_id``: what the access rules read
    of a user (their id, ``is_staff``, ``is_coach``): ``attention.stand_in_user``."""
    return stand_in_user(user_id, is_coach=like.is_coach, is_staff=like.is_staff)


def _kind(user: User) -> str:
    return f"staff={user.is_staff:d},coach={user.is_coach:d}"


def summary_log(user: User, pk: int) -> SessionLog | None:
    """Log ``pk`` if ``user`` may read it (``SessionLog.objects.for_user``), with its session,
    block, athlete, last watch file (``with_watch_file``), thread state
    (``conversation.with_thread_state``) and the work distance of the athlete's own version
    (``own_work_distance_m``, for ``logbook.session_summary``): one query; None otherwise."""

    def build(user_id: int, log_id: int):
        who = viewer(user_id, user)
        return with_thread_state(
            SessionLog.objects.for_user(who).select_related(*LOG_RELATED).with_watch_file()
            .annotate(own_work_distance_m=own_work_distance()),
            who).filter(pk=log_id)

    found = prepared.objects(f"summary_log:{_kind(user)}", build, user.pk, pk)
    return found[0] if found else None


def own_work_distance() -> Subquery:
    """The work distance of the log's athlete's own version of its session (``AthleteVersion``,
    one at most), NULL without one: the version's field is never NULL itself."""
    return Subquery(AthleteVersion.objects.filter(
        session_id=OuterRef("session_id"), athlete_id=OuterRef("athlete_id"))
        .values("work_distance_m")[:1])


def thread_comments(log: SessionLog, user: User) -> list[Comment]:
    """The comments of ``log`` that ``user`` may read (``Comment.objects.visible_to``), oldest
    first, with their authors and reps: one query."""

    def build(user_id: int, log_id: int):
        return (Comment.objects.visible_to(viewer(user_id, user)).filter(log_id=log_id)
                .select_related("author__athlete", "rep").order_by("created", "pk"))

    return prepared.objects(f"thread_comments:{_kind(user)}", build, user.pk, log.pk)
