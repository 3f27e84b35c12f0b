"""``manage.py seed_scale`` (sessions/scale.py): a club at scale written with bulk inserts that
hold exactly what planning and the logbook write."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from sessions import judging
from sessions.logbook import finish_log, save_rep, set_skipped, start_log, update_log
from sessions.models import (
    Block,
    PlannedStep,
    PlannedTarget,
    RepResult,
    Session,
    SessionLog,
)
from sessions.planning import plan_session
from sessions.scale import seed_club

pytestmark = pytest.mark.django_db

SESSION_FIELDS = ["rep_count", "work_distance_m", "total_distance_m", "work_duration_s",
                  "estimated_duration_s", "is_quality", "notation", "tolerance_pct"]
ENTERED = ["actual_s", "avg_hr", "lactate", "distance_m", "note"]


def _fields(obj, *, leave_out: tuple[str, ...] = ()) -> dict:
    names = [f.attname for f in obj._meta.concrete_fields
             if f.name not in ("id", *leave_out)]
    return {name: getattr(obj, name) for name in names}


def _plan_of(session: Session) -> tuple:
    steps = [_fields(s, leave_out=("session",)) for s in session.steps.order_by("position")]
    targets = sorted(
        (t.step.position, t.athlete_id, tuple(sorted(_fields(t, leave_out=("step",)).items())))
        for t in PlannedTarget.objects.filter(step__session=session).select_related("step")
    )
    return model_to_dict(session, fields=SESSION_FIELDS), steps, targets


def _log_of(log: SessionLog) -> tuple:
    return (_fields(log, leave_out=("created", "updated")),
            [_fields(r, leave_out=("log",)) for r in log.reps.order_by("position")])


def _replay(seeded: SessionLog) -> SessionLog:
    """The same log entered through the logbook, as the log form does it."""
    fields, rows = _log_of(seeded)
    session, athlete = seeded.session, seeded.athlete
    seeded.delete()
    log = start_log(session, athlete, date_done=fields["date_done"])
    for rep, want in zip(log.reps.order_by("position"), rows, strict=True):
        values = {name: want[name] for name in ENTERED if want[name] != getattr(rep, name)}
        if values:
            save_rep(rep, values)
        if want["skipped"] and not judging.is_entered(rep):
            set_skipped(rep, True)
    update_log(log, {name: fields[name] for name in ("rpe", "duration_s", "distance_m",
                                                     "feeling", "notes")})
    if fields["completed"]:
        finish_log(log, skip_open=True)
    return SessionLog.objects.get(pk=log.pk)


@pytest.fixture
def club():
    return seed_club(athletes=6, weeks=4, seed=3)


def test_it_writes_a_club_with_blocks_sessions_targets_logs_and_reps(club):
    assert club.rows["Athlete"] == 6
    assert club.rows["User"] == 7  # one coach for the squad
    assert Block.objects.count() >= 1
    weekly = Session.objects.count() / 4
    assert 6 <= weekly <= 10
    assert Session.objects.filter(rep_count=0).exists()  # easy runs
    assert Session.objects.filter(is_quality=True).exists()
    assert SessionLog.objects.exists() and RepResult.objects.filter(actual_s__isnull=False)
    assert RepResult.objects.filter(avg_hr__isnull=False).exists()
    assert club.rows["RepResult"] == RepResult.objects.count()
    assert club.rows["PlannedTarget"] == PlannedTarget.objects.count()
    assert club.total == sum(club.rows.values()) and club.seconds > 0
    # nothing is logged from today on
    assert not SessionLog.objects.filter(session__date__gt=Block.objects.first().today())


def test_a_seeded_session_holds_what_plan_session_writes(club):
    sessions = Session.objects.filter(rep_count__gt=0, logs__isnull=True).distinct()
    checked = 0
    for session in sessions[:6]:
        before = _plan_of(session)
        plan_session(session)
        session.refresh_from_db()
        assert _plan_of(session) == before
        checked += 1
    assert checked and PlannedStep.objects.exists()


def test_a_seeded_log_holds_what_the_logbook_writes(club):
    logs = list(SessionLog.objects.select_related("session", "athlete").order_by("pk"))
    kinds = {
        "easy run": next(g for g in logs if not g.session.rep_count),
        "reps": next(g for g in logs if g.session.rep_count and g.completed),
        "lactate": next((g for g in logs if g.reps.filter(lactate__isnull=False).exists()),
                        None),
        "unfinished": next((g for g in logs if not g.completed), None),
    }
    for kind, seeded in kinds.items():
        if seeded is None:
            continue
        want = _log_of(seeded)
        assert _log_of(_replay(seeded)) == want, kind


def test_the_command_reports_rows_time_and_memory_and_refuses_to_seed_twice():
    # four weeks: the seeded weeks end two after this one, so one whole week is past and
    # logged whatever today's weekday (with two, a Monday or Tuesday had no logged reps yet)
    out = io.StringIO()
    call_command("seed_scale", "--athletes", "2", "--weeks", "4", stdout=out)
    text = out.getvalue()
    assert "RepResult" in text and "rows in" in text and "peak memory" in text
    with pytest.raises(CommandError, match="already holds a seeded club"):
        call_command("seed_scale", "--athletes", "2", "--weeks", "4", stdout=io.StringIO())
