"""The thread under an athlete's log: the athlete and their coaches reply to each other, remark
on single reps, and coaches keep private notes the athlete never sees.

Who reads a thread: whoever reads the log (``SessionLog.objects.for_user``), private notes
excepted for the athlete whose log it is (``Comment.objects.visible_to``). Who posts: the
athlete and the coaches they have now (``SessionLog.objects.discussable_by``). Read state is a
``CommentRead`` per person and log, moved on when they open the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from .models import Comment, CommentRead, RepResult, SessionLog

NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass
class Thread:
    """What the thread region shows: the comments a person may read, in order, and whether
    they may post."""

    log: SessionLog
    comments: list[Comment]
    can_post: bool


def thread_for(log: SessionLog, user, *, last_seen=None) -> Thread:
    """The thread of ``log`` as ``user`` sees it (two queries; one when ``log`` was read
    ``with_thread_state``); with ``last_seen`` (when they last opened it, from ``mark_read``),
    others' comments since then are marked ``is_new``."""
    from .summary_reads import thread_comments  # (it reads this module's with_thread_state)

    comments = thread_comments(log, user)
    for comment in comments:
        comment.log = log
        comment.by_athlete = comment.author_id == log.athlete.user_id
        comment.is_new = (last_seen is not None and comment.author_id != user.pk
                          and comment.created > last_seen)
    can_post = getattr(log, "can_post", None)
    if can_post is None:
        can_post = SessionLog.objects.discussable_by(user).filter(pk=log.pk).exists()
    return Thread(log=log, comments=comments, can_post=can_post)


def remarks_by_rep(comments: list[Comment]) -> dict[int, list[Comment]]:
    """The remarks on single reps, by rep id (for the summary's table)."""
    found: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.rep_id:
            found.setdefault(comment.rep_id, []).append(comment)
    return found


@transaction.atomic
def post_comment(log: SessionLog, *, author, body: str, rep: RepResult | None = None,
                 private: bool = False) -> Comment:
    """Add a comment; the author has read the thread up to it. A private note by the athlete
    whose log it is makes no sense (they would hide it from themselves): refused."""
    if private and log.athlete.user_id == author.pk:
        raise ValueError("An athlete's own comment cannot be private")
    if rep is not None and rep.log_id != log.pk:
        raise ValueError("A remark must be on a rep of the same log")
    comment = Comment.objects.create(log=log, author=author, body=body, rep=rep,
                                     private=private)
    _seen(log, author, at=comment.created)
    return comment


def delete_comment(comment: Comment) -> None:
    comment.delete()


def with_thread_state(logs, user):
    """``logs`` (a queryset) with what the thread needs to know of ``user`` read in the same
    query: ``can_post`` (``SessionLog.objects.discussable_by``) and ``read_before``, when
    they last opened each log (``CommentRead``; None: never). ``mark_read`` and
    ``thread_for`` then ask nothing more."""
    return logs.annotate(
        can_post=Exists(SessionLog.objects.discussable_by(user).filter(pk=OuterRef("pk"))),
        read_before=Subquery(CommentRead.objects.filter(user=user, log=OuterRef("pk"))
                             .values("seen_at")[:1]),
    )


def mark_read(log: SessionLog, user, *, at=None):
    """``user`` has seen ``log``'s thread up to ``at`` (now). Returns when they had seen it
    before (never: the earliest time there is). Two queries; one when ``log`` was read
    ``with_thread_state``."""
    at = at or timezone.now()
    if hasattr(log, "read_before"):
        before = log.read_before
    else:
        before = (CommentRead.objects.filter(user=user, log=log)
                  .values_list("seen_at", flat=True).first())
    _seen(log, user, at=at, known=before is not None)
    return before or NEVER


def _seen(log: SessionLog, user, *, at, known: bool | None = None) -> None:
    """Record the read mark: an update when there is one (``known``: the caller looked),
    else an insert that a mark written meanwhile by another request leaves alone."""
    if known is not False and CommentRead.objects.filter(user=user, log=log).update(seen_at=at):
        return
    if known:
        return
    CommentRead.objects.bulk_create([CommentRead(user=user, log=log, seen_at=at)],
                                    ignore_conflicts=True)
