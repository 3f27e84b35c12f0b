"""A person's calendar feed: the secret address their phone's calendar subscribes to
(sessions/calendar_feed.py builds the feed, docs/watch-export-and-calendar.md explains it)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from coach import prepared


def token_hash(token: str) -> str:
    """The SHA-256 of a token, in hex: what the feed is looked up by, so that the database
    compares hashes, and the time a lookup takes says nothing about the token itself."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def by_token(self, token: str) -> CalendarFeed | None:
        """The feed turned on with this token, with its person, or None. Looked up by the
        token's hash (a unique index), then compared in constant time (``hmac``)."""
        if not token or len(token) > 100:
            return None
        found = prepared.objects("calendar_feed.by_token", _by_token, token_hash(token))
        feed = found[0] if found else None
        if feed is None or not hmac.compare_digest(feed.token, token):
            return None
        return feed


def _by_token(digest: str) -> models.QuerySet:
    """The feed of a token's hash, with its person and their athlete profile (read by
    ``User.athlete_or_none``: None kept when there is none), compiled once (``coach.prepared``):
    the feed's address is the one request that reads them, without a signed-in session."""
    return (CalendarFeed.objects.filter(token_hash=digest, revoked_at__isnull=True,
                                        user__is_active=True)
            .select_related("user", "user__athlete").order_by("pk")[:1])


class CalendarFeed(models.Model):
    """One person's feed. ``token`` is the secret part of the address
    (``secrets.token_urlsafe(32)``), shown to its owner on their calendar page; ``token_hash``
    finds it. A new address replaces both, so the old one stops working at once
    (``calendar_feed.new_address``); turning the feed off sets ``revoked_at``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(help_text="When this address was made.")
    revoked_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When the feed was turned off; empty: on.")

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(token=""), name="feed_token_not_empty"),  # nosec
        ]

    def __str__(self) -> str:  # never the token: admin lists and logs show this
        return f"Calendar feed of user {self.user_id}"

    def get_absolute_url(self) -> str:
        return reverse("training:calendar-feed", args=[self.token])

    @property
    def is_on(self) -> bool:
        return self.revoked_at is None
