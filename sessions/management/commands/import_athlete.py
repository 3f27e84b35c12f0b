"""``manage.py import_athlete FILE``: load an export_athlete file into an empty database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions import backup


class Command(BaseCommand):
    help = (
        "Read a file written by export_athlete back into a database that does not hold its "
        "rows yet (an empty one after migrate): all of it in one transaction, or nothing. "
        "Accounts come without passwords: make each person a set-password link on the roster."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the JSON file export_athlete wrote ('-' for stdin)")

    def handle(self, *args, file: str, **options) -> None:
        try:
            text = (self.stdin_text() if file == "-"
                    else Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            athlete = backup.import_athlete(backup.loads(text))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        logs = athlete.logs.count()
        self.stdout.write(self.style.SUCCESS(
            f"Imported {athlete.display_name} (id {athlete.pk}) with {logs} "
            f"log{'s' if logs != 1 else ''}."))

    def stdin_text(self) -> str:
        import sys

        return sys.stdin.read()
