"""The short lists on each person's home (the coach's planning page, the athlete's Today):
unread comments and missing logs (``sessions/attention.py``), and the link to turn the daily
email off or on (``sessions/digest.py``), drawn by Jinja2 from plain values
(``templates/jinja2/training/attention.html``, ``render_attention``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import SafeString

from coach.jinja2 import render_fragment, url_maker

from . import attention, digest
from .athlete_rows import day_formatter

SHOWN = 6  # items of each list on the home page; the rest are counted


def attention_context(user, *, skip_sessions: frozenset[int] = frozenset(),
                      found: attention.MissingLogs | None = None, more_url: str = "") -> dict:
    """``skip_sessions``: sessions the page lists already (the athlete's "Still to log");
    ``found``: the missing logs when the page has them already; ``more_url``: where the rest
    of the logs are. The lists as values, and drawn (``attention_html``)."""
    unread = attention.unread_list(user, SHOWN + 1)
    if found is None:
        found = attention.missing_logs(user, limit=SHOWN + len(skip_sessions))
    missing = [m for m in found if m.session.pk not in skip_sessions]
    skipped = len(found) - len(missing)
    context = {
        "unread": unread[:SHOWN], "unread_more": len(unread) > SHOWN,
        "missing": missing[:SHOWN],
        "missing_more": max(0, found.total - skipped - len(missing[:SHOWN])),
        "besides": bool(skip_sessions),
        "digest_url": reverse("training:digest-opt-out", args=[digest.opt_out_token(user)]),
    }
    context["attention_html"] = render_attention(user, context, more_url)
    return context


def render_attention(user, lists: dict, more_url: str) -> SafeString:
    """The lists of ``attention_context`` as the person's home shows them
    (``templates/jinja2/training/attention.html``): the comments and sessions as the text
    and addresses it writes."""
    day = day_formatter()
    log_url = url_maker("training:log-summary")
    return render_fragment("training/attention.html", {
        "unread": [{
            "url": f"{log_url(c.log_id)}#comment-{c.pk}", "author": c.author.display_name,
            "whose": (c.log.athlete.display_name if c.log.athlete.user_id != user.pk
                      else None),
            "day": day(c.log.date_done, "D j M"), "title": c.log.session.title,
            "private": c.private, "snippet": c.snippet,
        } for c in lists["unread"]],
        "unread_more": lists["unread_more"], "more_url": more_url,
        "missing": [{
            "url": m.url, "day": day(m.session.date, "D j M"), "slot": str(m.session.slot),
            "whose": m.athlete.display_name if m.athlete.user_id != user.pk else None,
            "title": m.session.title,
        } for m in lists["missing"]],
        "besides": lists["besides"], "missing_more": lists["missing_more"],
        "opted_out": user.digest_opt_out, "digest_url": lists["digest_url"],
    })
