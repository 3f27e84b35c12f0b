"""``manage.py export_athlete ID``: one athlete's whole history as JSON (and their logs as CSV)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from athletes.models import Athlete
from sessions import backup


class Command(BaseCommand):
    help = (
        "Write one athlete's full history (profile, races, paces, days out, the blocks and "
        "sessions they followed with their targets, every log and rep, comments) as JSON, "
        "readable by import_athlete; with --csv also their logs, one line per rep. "
        "See docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("athlete", type=int, help="the athlete's id (the number in "
                                                      "/athletes/<id>/)")
        parser.add_argument("--output", "-o", help="the JSON file (default: standard output)")
        parser.add_argument("--csv", help="also write their logs to this CSV file")

    def handle(self, *args, athlete: int, output: str | None, csv: str | None, **options):
        found = Athlete.objects.filter(pk=athlete).select_related("user").first()
        if found is None:
            raise CommandError(f"There is no athlete with id {athlete}.")
        text = backup.dumps(backup.export_athlete(found))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {found.display_name}'s history to {output}.")
        else:
            self.stdout.write(text)
        if csv:
            Path(csv).write_text(backup.logs_csv(found), encoding="utf-8")
            self.stderr.write(f"Wrote {found.display_name}'s logs to {csv}.")
