"""Backup and restore of one athlete: export_athlete writes their whole history, import_athlete
reads it into an empty database, and every figure comes back the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from athletes.models import Athlete, User
from sessions import backup
from sessions.logbook import session_summary
from sessions.models import Block, RepResult, Session, SessionLog

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(athlete: Athlete) -> dict:
    """What the app computes from the athlete's rows: VDOT, and every log's summary."""
    vdot = athlete.vdot_source()
    out = {"vdot": None if vdot is None else round(vdot[0], 3), "logs": {}}
    for log in SessionLog.objects.filter(athlete=athlete).select_related("session"):
        s = session_summary(log)
        out["logs"][log.pk] = {
            "adherence": vars(s.adherence),
            "work": (s.work_distance_m, s.work_time_s, s.planned_work_distance_m),
            "recovery": (s.recovery_distance_m, s.recovery_time_s, s.recovery_count),
            "reps": [(j.rep.position, j.rep.actual_s, j.rep.deviation, j.status)
                     for g in s.groups for j in g.reps],
            "readings": [(r.status,) for r in s.readings],
            "comments": list(log.comments.values_list("author__username", "body", "private")),
        }
    return out


def _empty_the_database() -> None:
    call_command("flush", "--noinput", verbosity=0)
    assert not User.objects.exists() and not Block.objects.exists()


def test_an_athlete_goes_out_and_back_in_with_every_figure_intact(tmp_path):
    call_command("demo", stdout=io.StringIO())
    tom = Athlete.objects.get(display_name="Tom Keane")
    before = _figures(tom)
    assert before["logs"] and any(log["reps"] for log in before["logs"].values())
    sessions_before = set(Session.objects.filter(block__athletes=tom).values_list(
        "pk", "title", "notation", "date"))
    path = tmp_path / "tom.json"
    call_command("export_athlete", str(tom.pk), "--output", str(path),
                 "--csv", str(tmp_path / "tom.csv"), stderr=io.StringIO())

    _empty_the_database()
    out = io.StringIO()
    call_command("import_athlete", str(path), stdout=out)
    assert f"Imported Tom Keane (id {tom.pk})" in out.getvalue()

    tom = Athlete.objects.get(pk=tom.pk)
    assert _figures(tom) == before
    assert set(Session.objects.values_list("pk", "title", "notation", "date")) == sessions_before
    assert not tom.user.has_usable_password()  # a set-password link brings them back in
    # The pages draw from the restored rows (the admin account was not part of Tom's file).
    coach = User.objects.get(username="coach")
    client = Client()
    client.force_login(coach)
    log = SessionLog.objects.filter(athlete=tom).order_by("-date_done").first()
    assert client.get(log.get_absolute_url()).status_code == 200
    # New rows get fresh keys after the imported ones (the sequences moved on).
    rep = RepResult.objects.order_by("-pk").first()
    extra = RepResult.objects.create(log=rep.log, position=999, distance_m=200)
    assert extra.pk > rep.pk


def test_the_csv_has_a_line_per_rep(tmp_path):
    call_command("demo", stdout=io.StringIO())
    tom = Athlete.objects.get(display_name="Tom Keane")
    rows = list(csv.DictReader(io.StringIO(backup.logs_csv(tom))))
    reps = RepResult.objects.filter(log__athlete=tom).count()
    empty_logs = SessionLog.objects.filter(athlete=tom, reps=None).count()
    assert len(rows) == reps + empty_logs
    timed = [r for r in rows if r["actual_s"]]
    assert timed and all(float(r["actual_s"]) > 0 for r in timed)


def test_an_import_into_a_database_holding_its_rows_writes_nothing(tmp_path):
    call_command("demo", stdout=io.StringIO())
    tom = Athlete.objects.get(display_name="Tom Keane")
    path = tmp_path / "tom.json"
    path.write_text(backup.dumps(backup.export_athlete(tom)))
    counts = SessionLog.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match="already has a user with key"):
        call_command("import_athlete", str(path), stdout=io.StringIO())
    assert (SessionLog.objects.count(), User.objects.count()) == counts


@pytest.mark.parametrize(("text", "message"), [
    ("not json", "not JSON"),
    ('{"format": "something-else"}', "not an athlete export"),
    ('{"format": "coach-athlete-export", "version": 99, "objects": []}', "version 99"),
    ('{"format": "coach-athlete-export", "version": 1, "athlete": {"pk": 1}, '
     '"objects": [{"model": "training.nosuch", "pk": 1, "fields": {}}]}', "cannot be read"),
])
def test_a_broken_file_is_refused_with_the_reason(tmp_path, text, message):
    path = Path(tmp_path / "bad.json")
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_athlete", str(path), stdout=io.StringIO())
    assert not User.objects.exists()


def test_other_athletes_are_not_in_the_file(db):
    call_command("demo", stdout=io.StringIO())
    tom = Athlete.objects.get(display_name="Tom Keane")
    data = backup.export_athlete(tom)
    athletes = [o for o in data["objects"] if o["model"] == "athletes.athlete"]
    assert [a["pk"] for a in athletes] == [tom.pk]
    assert all(o["fields"].get("athlete") in (None, tom.pk) for o in data["objects"])
    blocks = [o for o in data["objects"] if o["model"] == "training.block"]
    assert blocks and all(b["fields"]["athletes"] == [tom.pk] for b in blocks)
    users = [o for o in data["objects"] if o["model"] == "athletes.user"]
    assert all(u["fields"]["password"].startswith("!") for u in users)  # unusable
    assert "sam" not in {u["fields"]["username"] for u in users}
    json.dumps(data)  # JSON-ready
