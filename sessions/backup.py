"""One athlete's whole history out of the database and back in (``manage.py export_athlete``,
``import_athlete``; docs/backup.md).

The export is a JSON document: a header (format, version, when, whose) and the rows, in
Django's serialisation format with their primary keys, in an order that can be loaded from
top to bottom:

- the accounts involved (the athlete's, their coaches', the authors of comments on their logs,
  whoever timed their reps), without passwords or permissions: an imported account gets a
  set-password link, like a new one;
- their squad, their profile, race results, pace overrides, days out;
- every block they are or were in, with its sessions (the plan as the squad saw it), their
  goals, their own versions of sessions, the planned steps they followed and their own targets;
- their logs with every rep, the comments on them and who has read them.

Many-to-many links are kept only between rows in the file (a block's other athletes are not
in it). Save receipts (the phone's proof that a save arrived) are left out: they matter only
while a phone still holds a save.

``import_athlete`` loads a file into a database that holds none of its rows (an empty one, or
one where the same keys are free), in one transaction, and moves the key sequences past what
it wrote (PostgreSQL). Figures are recomputed from the rows, so they come back as they were:
``tests/test_backup.py`` compares every log's summary before and after.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from athletes.models import Absence, Athlete, PaceOverride, RaceResult, Squad, User

from .models import (
    AthleteGoal,
    AthleteVersion,
    Block,
    Comment,
    CommentRead,
    PlannedStep,
    PlannedTarget,
    RepResult,
    Session,
    SessionLog,
)

FORMAT = "coach-athlete-export"
VERSION = 1
USER_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_coach",
               "date_joined", "digest_opt_out"]


class BackupError(Exception):
    """A file that cannot be imported; the message says why, for the command line."""


def _rows(objects: Iterable[Model], *, fields: list[str] | None = None) -> list[dict]:
    return json.loads(serializers.serialize("json", objects, fields=fields))


def export_athlete(athlete: Athlete) -> dict:
    """The athlete's history as a JSON-ready dict (see the module's docstring)."""
    blocks = Block.objects.filter(
        Q(athletes=athlete) | Q(sessions__logs__athlete=athlete) | Q(goals__athlete=athlete)
    ).distinct().order_by("pk")
    sessions = Session.objects.filter(block__in=blocks).order_by("pk")
    steps = PlannedStep.objects.filter(
        Q(athlete__isnull=True) | Q(athlete=athlete), session__in=sessions).order_by("pk")
    logs = SessionLog.objects.filter(athlete=athlete).order_by("pk")
    reps = RepResult.objects.filter(log__in=logs).order_by("pk")
    comments = Comment.objects.filter(log__in=logs).order_by("pk")
    reads = CommentRead.objects.filter(log__in=logs).order_by("pk")
    absences = Absence.objects.filter(athlete=athlete).order_by("pk")
    squad = Squad.objects.filter(pk=athlete.squad_id)

    people = User.objects.filter(
        Q(pk=athlete.user_id) | Q(coached_athletes=athlete) | Q(coached_squads__athletes=athlete)
        | Q(blocks__in=blocks) | Q(log_comments__in=comments) | Q(comment_reads__in=reads)
        | Q(pk__in=reps.exclude(timed_by=None).values("timed_by"))
        | Q(pk__in=absences.exclude(created_by=None).values("created_by"))
    ).distinct().order_by("pk")
    user_pks = set(people.values_list("pk", flat=True))

    objects = [
        *_rows(people, fields=USER_FIELDS),
        *_rows(squad),
        *_rows([athlete]),
        *_rows(RaceResult.objects.filter(athlete=athlete).order_by("pk")),
        *_rows(PaceOverride.objects.filter(athlete=athlete).order_by("pk")),
        *_rows(absences),
        *_rows(blocks),
        *_rows(sessions),
        *_rows(AthleteGoal.objects.filter(athlete=athlete).order_by("pk")),
        *_rows(AthleteVersion.objects.filter(athlete=athlete, session__in=sessions)
               .order_by("pk")),
        *_rows(steps),
        *_rows(PlannedTarget.objects.filter(athlete=athlete, step__in=steps).order_by("pk")),
        *_rows(logs),
        *_rows(reps),
        *_rows(comments),
        *_rows(reads),
    ]
    keep = {"athletes.user": user_pks, "training.block": set(blocks.values_list("pk", flat=True)),
            "athletes.athlete": {athlete.pk}}
    for row in objects:
        _trim_links(row, keep)
    return {
        "format": FORMAT, "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "athlete": {"pk": athlete.pk, "name": athlete.display_name},
        "objects": objects,
    }


# Many-to-many fields and the model their values point to: only rows in the file are kept.
_LINKS = {
    "athletes.squad": {"coaches": "athletes.user"},
    "athletes.athlete": {"coaches": "athletes.user"},
    "training.block": {"athletes": "athletes.athlete"},
}


def _trim_links(row: dict, keep: dict[str, set[int]]) -> None:
    for field, target in _LINKS.get(row["model"], {}).items():
        row["fields"][field] = [pk for pk in row["fields"].get(field, []) if pk in keep[target]]
    if row["model"] == "athletes.user":
        # Unusable: the person sets a new one through a set-password link.
        row["fields"]["password"] = make_password(None)


def dumps(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False)


def logs_csv(athlete: Athlete) -> str:
    """Every log of the athlete, one line per rep (a log without reps: one line), for a
    spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "session", "planned", "effort", "duration_s", "distance_m",
                     "completed", "rep", "rep_distance_m", "target_lo_s", "target_hi_s",
                     "actual_s", "avg_hr", "lactate", "skipped", "note"])
    logs = (SessionLog.objects.filter(athlete=athlete).select_related("session")
            .prefetch_related("reps").order_by("date_done", "pk"))
    for log in logs:
        head = [log.date_done.isoformat(), log.session.title, log.notation, _blank(log.rpe),
                _blank(log.duration_s), _blank(log.distance_m), "yes" if log.completed else "no"]
        reps = sorted(log.reps.all(), key=lambda r: r.position)
        if not reps:
            writer.writerow([*head, "", "", "", "", "", "", "", "", ""])
        for rep in reps:
            writer.writerow([*head, rep.position, _blank(rep.distance_m),
                             _blank(rep.target_lo_s), _blank(rep.target_hi_s),
                             _blank(rep.actual_s), _blank(rep.avg_hr), _blank(rep.lactate),
                             "yes" if rep.skipped else "", rep.note])
    return out.getvalue()


def _blank(value) -> str:
    return "" if value is None else str(value)


def loads(text: str) -> dict:
    """The export read back, or a ``BackupError`` saying what is wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BackupError(f"The file is not JSON: {exc}.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("The file is not an athlete export of this app.")
    if data.get("version") != VERSION:
        raise BackupError(f"The file is export version {data.get('version')}; this app reads "
                          f"version {VERSION}.")
    if not isinstance(data.get("objects"), list):
        raise BackupError("The file has no rows.")
    return data


def import_athlete(data: dict) -> Athlete:
    """Load an export into a database where none of its rows exist yet; all or nothing."""
    with transaction.atomic():
        try:
            objects = list(serializers.deserialize("json", json.dumps(data["objects"])))
        except serializers.base.DeserializationError as exc:
            raise BackupError(f"A row cannot be read: {exc}") from exc
        _refuse_clashes(objects)
        for item in objects:
            item.save()
        models = {type(item.object) for item in objects}
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        return Athlete.objects.get(pk=data["athlete"]["pk"])


def _refuse_clashes(objects: list) -> None:
    by_model: dict[type[Model], list[int]] = {}
    for item in objects:
        by_model.setdefault(type(item.object), []).append(item.object.pk)
    for model, pks in by_model.items():
        taken = model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)[:1]
        if taken:
            raise BackupError(
                f"This database already has a {model._meta.verbose_name} with key {taken[0]}: "
                "import into an empty database (or one without these rows). Nothing was "
                "written.")


def export_filename(athlete: Athlete, suffix: str) -> str:
    return f"athlete-{athlete.pk}-{dt.date.today():%Y-%m-%d}.{suffix}"
