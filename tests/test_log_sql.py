"""sessions/log_sql.py: the log form's reads in plain SQL give what the ORM's querysets they
stand for give (the rules of who logs what, which steps an athlete follows, converted values)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError

from sessions import log_sql, logbook
from sessions.models import PlannedTarget, RepResult, Session, SessionLog, StepKind
from sessions.planning import plan_session
from sessions.versions import save_versions

from . import factories as f


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname)
            for field in type(instance)._meta.concrete_fields}


def test_the_form_state_is_the_session_the_log_the_version_and_the_block_rule(
        block, athlete, second, other_athlete):
    block.athletes.add(second)
    session = f.planned(block, "4x400 @ 64 (200 jog) & 2x6min @ 2.5 mmol (1min)")
    state = log_sql.form_state(session.pk, athlete.pk)
    orm = Session.objects.select_related("block").get(pk=session.pk)
    assert fields_of(state.session) == fields_of(orm)
    assert fields_of(state.session.block) == fields_of(orm.block)
    assert state.log is None and state.version_notation is None and state.in_their_blocks
    assert not log_sql.form_state(session.pk, other_athlete.pk).in_their_blocks
    assert log_sql.form_state(10**9, athlete.pk) is None

    log = logbook.start_log(session, athlete)
    logbook.update_log(log, {"rpe": 7, "completed": True})
    state = log_sql.form_state(session.pk, athlete.pk)
    assert fields_of(state.log) == fields_of(SessionLog.objects.get(pk=log.pk))
    assert state.log.completed is True and isinstance(state.log.date_done, dt.date)
    assert state.log.session is state.session

    save_versions(session, {second.pk: "3x400 @ 64 (200 jog)"})
    assert log_sql.form_state(session.pk, second.pk).version_notation == "3x400 @ 64 (200 jog)"
    assert log_sql.form_state(session.pk, athlete.pk).version_notation is None


@pytest.mark.parametrize("own", [False, True])
def test_the_work_steps_are_those_the_athlete_follows_with_their_targets(
        block, athlete, second, own):
    block.athletes.add(second)
    session = f.planned(block, "2mi WU; 4x400 @ 64 (200 jog) & 3x200 @ 30 (200 jog); 2mi CD")
    if own:
        save_versions(session, {second.pk: "3x400 @ 66 (200 jog)"})
        plan_session(session)
    steps = log_sql.work_steps(session.pk, second.pk, own_version=own)
    orm = list(session.steps_for(second).filter(kind=StepKind.WORK).order_by("position"))
    assert [fields_of(s) for s in steps] == [fields_of(s) for s in orm]
    for step in steps:
        target = PlannedTarget.objects.get(step=step, athlete=second)
        assert [fields_of(t) for t in step.mine] == [fields_of(target)]
    assert len(steps) == (3 if own else 7)


def test_a_saved_logs_rows_and_a_saves_read_match_the_orm(block, athlete, coach):
    session = f.planned(block, "3x400 @ 64 (200 jog)")
    log = logbook.start_log(session, athlete)
    first, second, third = log.reps.order_by("position")
    logbook.save_rep(first, {"actual_s": 64.2, "avg_hr": 171, "note": "windy"})
    logbook.save_rep(second, {"skipped": True})
    logbook.save_rep(third, {"actual_s": 66.0, "timed_by": coach})

    rows, origins = log_sql.log_rows_and_origins(log)
    assert [fields_of(r) for r in rows] == [fields_of(r) for r in log.reps.all()]
    assert all(r.log is log for r in rows)
    targets = PlannedTarget.objects.filter(step__session=session, athlete=athlete)
    assert origins == list(targets.order_by("step__position").values_list("source", "origin"))
    assert origins == log_sql.origins(session.pk, athlete.pk) and len(origins) == 3
    assert rows[1].skipped is True and rows[2].timed_by_id == coach.pk

    by_user = log_sql.saved_row(session.pk, 2, user_id=athlete.user_id)
    by_athlete = log_sql.saved_row(session.pk, 2, athlete_id=athlete.pk)
    orm = RepResult.objects.select_related("log__session__block").get(log=log, position=2)
    for read in (by_user, by_athlete):
        assert fields_of(read.row) == fields_of(orm)
        assert fields_of(read.row.log) == fields_of(orm.log)
        assert fields_of(read.row.log.session) == fields_of(orm.log.session)
        assert fields_of(read.row.log.session.block) == fields_of(orm.log.session.block)
        assert (read.row_count, read.done_count, read.begun) == (3, 3, True)
    assert log_sql.saved_row(session.pk, 9, athlete_id=athlete.pk) is None
    other = f.make_athlete(coach=coach)
    assert log_sql.saved_row(session.pk, 2, athlete_id=other.pk) is None
    fresh = logbook.start_log(f.planned(block, "2x400 @ 64 (200 jog)",
                                        date=session.date + dt.timedelta(days=1)), athlete)
    read = log_sql.saved_row(fresh.session_id, 1, athlete_id=athlete.pk)
    assert (read.row_count, read.done_count, read.begun) == (2, 0, False)


def test_the_rows_counted_in_sql_follow_the_rules_of_judging(block, athlete):
    """``log_sql``'s SQL for ``judging.is_done`` and ``is_entered`` (or added) agrees with
    them on every combination of the fields they read (null or not, true or false)."""
    import itertools

    from sessions import judging

    log = logbook.start_log(f.planned(block, "1x400 @ 64 (200 jog)"), athlete)
    log.reps.all().delete()
    names = ("skipped", "extra", "actual_s", "target_lo_s", "lactate", "avg_hr", "duration_s",
             "planned_distance_m", "distance_m", "note")
    filled = {"skipped": True, "extra": True, "actual_s": 64.0, "target_lo_s": 63.0,
              "lactate": 2.1, "avg_hr": 170, "duration_s": 60.0, "planned_distance_m": 400.0,
              "distance_m": 380.0, "note": "ok"}
    empty = {"skipped": False, "extra": False, "note": ""}
    rows = []
    for position, picks in enumerate(itertools.product((False, True), repeat=len(names)), 1):
        values = {name: filled[name] if pick else empty.get(name) for name, pick in
                  zip(names, picks, strict=True)}
        rows.append(RepResult(log=log, position=position, **values))
    RepResult.objects.bulk_create(rows)
    stored = list(RepResult.objects.filter(log=log).order_by("id"))
    assert len(stored) == 2 ** len(names)
    expected = [(judging.is_done(r), judging.is_entered(r) or r.extra) for r in stored]
    assert log_sql.row_states(log.pk) == expected
    assert {done for done, _ in expected} == {True, False}


def test_a_row_written_in_sql_is_what_save_would_write(block, athlete, coach):
    session = f.planned(block, "2x400 @ 64 (200 jog)")
    log = logbook.start_log(session, athlete)
    rep = log.reps.get(position=1)
    rep.actual_s, rep.skipped, rep.note, rep.timed_by = 63.9, True, "ok", coach
    log_sql.update_row(rep, ["actual_s", "skipped", "note", "timed_by"])
    stored = RepResult.objects.get(pk=rep.pk)
    assert (stored.actual_s, stored.skipped, stored.note, stored.timed_by_id) == (
        63.9, True, "ok", coach.pk)
    rep.timed_by = None
    log_sql.update_row(rep, ["timed_by"])
    assert RepResult.objects.get(pk=rep.pk).timed_by_id is None
    RepResult.objects.filter(pk=rep.pk).delete()
    with pytest.raises(DatabaseError):
        log_sql.update_row(rep, ["actual_s"])


def test_an_instance_built_at_once_is_the_one_the_model_builds(block, athlete):
    log = logbook.start_log(f.planned(block, "2x400 @ 64 (200 jog)"), athlete)
    stored = RepResult.objects.filter(log=log).first()
    names = [field.attname for field in RepResult._meta.concrete_fields]
    values = [getattr(stored, name) for name in names]
    for db, made in ((None, RepResult(*values)), ("default", RepResult.from_db(
            "default", names, values))):
        built = log_sql.build(RepResult, names, values, db=db)
        assert type(built) is RepResult and fields_of(built) == fields_of(made)
        assert (built._state.adding, built._state.db) == (made._state.adding, made._state.db)
        assert {k: v for k, v in vars(built).items() if k != "_state"} == {
            k: v for k, v in vars(made).items() if k != "_state"}
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    from django.db.models.signals import post_init
    post_init.connect(listener, sender=RepResult)
    try:  # something listens: the model builds it itself, signals and all
        built = log_sql.build(RepResult, names, values, db="default")
    finally:
        post_init.disconnect(listener, sender=RepResult)
    assert seen == [built]
