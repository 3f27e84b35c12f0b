"""The conversation under a log: comments, rep remarks, private notes, and who has read what.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .logs import RepResult, SessionLog  # noqa: F401

COMMENT_MAX_CHARS = 2000


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommentQuerySet:
        """Comments a user may read: those on the logs they see (``SessionLog.for_user``),
        except private notes on their own log: a coach's private note never reaches the
        athlete whose log it is."""
        if not user.is_authenticated:
            return self.none()
        return (self.filter(log__in=SessionLog.objects.for_user(user).values("pk"))
                .exclude(private=True, log__athlete__user=user))

    def deletable_by(self, user) -> CommentQuerySet:
        """Comments a user may delete: their own, on a thread they still take part in."""
        return self.filter(
            author=user, log__in=SessionLog.objects.discussable_by(user).values("pk"))

    def unread_by(self, user) -> CommentQuerySet:
        """Comments by others on the threads the user takes part in, posted since they last
        opened that log (``CommentRead``), that they may read: one query, whatever the number
        of logs."""
        if not user.is_authenticated:
            return self.none()
        seen = CommentRead.objects.filter(
            user=user, log=models.OuterRef("log"), seen_at__gte=models.OuterRef("created"))
        return (self.visible_to(user)
                .filter(log__in=SessionLog.objects.discussable_by(user).values("pk"))
                .exclude(author=user).exclude(models.Exists(seen)))


class Comment(models.Model):
    """One message in the thread under an athlete's log: by the athlete or one of their
    coaches, on the whole session or on one rep (``rep``: "felt the wind on the back
    straight"). A coach's ``private`` note is for the coaches only."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="log_comments")
    body = models.TextField(max_length=COMMENT_MAX_CHARS)
    rep = models.ForeignKey(RepResult, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="remarks", help_text="The rep this is a remark on.")
    private = models.BooleanField(
        default=False, help_text="A coach's note the athlete does not see.")
    created = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["log", "created"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on log {self.log_id}: {self.snippet}"  # no lookups

    def get_absolute_url(self) -> str:
        return reverse("training:log-summary", args=[self.log_id]) + f"#comment-{self.pk}"

    @property
    def snippet(self) -> str:
        """The first words, for lists and the digest."""
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"


class CommentRead(models.Model):
    """When a person last opened a log's thread: comments after it are unread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reads")
    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="reads")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "log"], name="one_read_mark_per_log"),
        ]

    def __str__(self) -> str:
        return f"User {self.user_id} read log {self.log_id} at {self.seen_at}"
