"""The short lists on each person's home (the coach's planning page, the athlete's Today):
unread comments and missing logs (``sessions/attention.py``), and the link to turn the daily
email off or on (``sessions/digest.py``). The template is ``training/_attention.html``."""

from __future__ import annotations

from django.urls import reverse

from . import attention, digest

SHOWN = 6  # items of each list on the home page; the rest are counted


def attention_context(user, *, skip_sessions: frozenset[int] = frozenset(),
                      found: attention.MissingLogs | None = None) -> dict:
    """``skip_sessions``: sessions the page lists already (the athlete's "Still to log");
    ``found``: the missing logs when the page has them already."""
    unread = attention.first_unread_comments(user, SHOWN + 1)
    if found is None:
        found = attention.missing_logs(user, limit=SHOWN + len(skip_sessions))
    missing = [m for m in found if m.session.pk not in skip_sessions]
    skipped = len(found) - len(missing)
    return {
        "unread": unread[:SHOWN], "unread_more": len(unread) > SHOWN,
        "missing": missing[:SHOWN],
        "missing_more": max(0, found.total - skipped - len(missing[:SHOWN])),
        "besides": bool(skip_sessions),
        "digest_url": reverse("training:digest-opt-out", args=[digest.opt_out_token(user)]),
    }
