"""``manage.py send_digest``: the daily email of unread comments and missing logs."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sessions.digest import send_digests


class Command(BaseCommand):
    help = (
        "Email each coach and athlete their unread comments and the sessions of the last two "
        "weeks without a log (one email a person, none if nothing is waiting or they opted "
        "out). Run it once a day from a scheduler; a second run the same day sends only "
        "comments posted since the first."
    )

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"Sent {sent} digest email{'s' if sent != 1 else ''}.")
