"""The daily email (``manage.py send_digest``, run by a scheduler once a day): to each person
with something waiting, one message listing their unread comments and the sessions of the last
two weeks without a log (``sessions/attention.py``), with a link to each and a one-click
opt-out (a signed link: no login needed).

Run twice on one day, it does not send the same items again: the second run sends only the
comments posted since the first (``User.digest_sent_at``), and nothing if there are none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from athletes.models import User

from . import attention
from .models import Comment

SALT = "training.digest-opt-out"
LISTED = 20  # items of each kind named in one email; the rest are counted


def opt_out_token(user: User) -> str:
    """The same token for a person every day (a link from an old email keeps working)."""
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_for_token(token: str) -> User | None:
    """The person a signed opt-out link is for, or None if it was not made here."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass
class Digest:
    user: User
    comments: list[Comment] = field(default_factory=list)
    missing: list[attention.MissingLog] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.comments or self.missing)

    @property
    def subject(self) -> str:
        parts = []
        if self.comments:
            n = len(self.comments)
            parts.append(f"{n} unread comment{'s' if n != 1 else ''}")
        if self.missing:
            n = len(self.missing)
            parts.append(f"{n} missing log{'s' if n != 1 else ''}")
        return "Coach: " + " and ".join(parts)


def digest_for(user: User, now=None) -> Digest:
    """What ``user``'s email would hold now: without what an email today already held."""
    now = now or timezone.now()
    comments = list(attention.unread_comments(user))
    last = user.digest_sent_at
    sent_today = last is not None and timezone.localdate(last) == timezone.localdate(now)
    if sent_today:
        return Digest(user, comments=[c for c in comments if c.created > last])
    return Digest(user, comments=comments, missing=attention.missing_logs(user))


def recipients():
    """People who may get the email: active, with an address, not opted out, and coaching or
    training (an admin only gets one as a coach or an athlete)."""
    return (User.objects.filter(is_active=True, digest_opt_out=False).exclude(email="")
            .filter(Q(is_coach=True) | Q(athlete__isnull=False)).order_by("pk"))


def render_digest(digest: Digest) -> EmailMultiAlternatives:
    context = {
        "user": digest.user, "digest": digest, "listed": LISTED,
        "comments": [(c, absolute(c.get_absolute_url())) for c in digest.comments[:LISTED]],
        "missing": [(m, absolute(m.url)) for m in digest.missing[:LISTED]],
        "more_comments": max(0, len(digest.comments) - LISTED),
        "more_missing": max(0, len(digest.missing) - LISTED),
        "opt_out_url": absolute(reverse("training:digest-opt-out",
                                        args=[opt_out_token(digest.user)])),
        "home_url": absolute(reverse("home")),
    }
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("training/email/digest.txt", context),
        to=[digest.user.email],
        headers={"List-Unsubscribe": f"<{context['opt_out_url']}>"},
    )
    message.attach_alternative(render_to_string("training/email/digest.html", context),
                               "text/html")
    return message


def send_digests(now=None) -> int:
    """Send today's emails; return how many went out."""
    now = now or timezone.now()
    sent = 0
    for user in recipients():
        digest = digest_for(user, now)
        if not digest:
            continue
        render_digest(digest).send()
        user.digest_sent_at = now
        user.save(update_fields=["digest_sent_at"])
        sent += 1
    return sent
