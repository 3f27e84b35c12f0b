"""Workflows of the athlete's log: start it, save a row, add, skip or remove a rep, finish it.

A log is created with the first thing the athlete saves (a rep, a skip, an added rep, a field
of the session, Finish), with one row per planned rep; opening the log form writes nothing
(``log_for_form`` shows the planned rows unsaved), so a log that exists holds something real.
Each row copies what was planned for that athlete (distance, target times, target as written,
lactate band, set and rep-within-set numbers), so the result reads right after the plan or the
athlete's paces change. If the coach re-plans the session before anything is entered, the empty rows
follow the new plan; once a row holds something, the log keeps the rows it has.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from athletes.models import Athlete
from coach import notation, prepared

from . import history, judging, log_sql, summary, versions, workout_history
from .models import (
    DeviceImport,
    ImportStatus,
    PlannedTarget,
    RepResult,
    SaveReceipt,
    Session,
    SessionLog,
    StepKind,
)

if TYPE_CHECKING:  # named in signatures only
    from .models import PlannedStep

# What ``row_states`` reads of a log's rows to count them: enough for judging.is_entered/is_done
# (a save counts them in SQL: log_sql.saved_row).
ROW_STATE_FIELDS = ("skipped", "actual_s", "target_lo_s", "lactate", "avg_hr", "duration_s",
                    "planned_distance_m", "distance_m", "note", "extra")
_RowState = namedtuple("_RowState", ROW_STATE_FIELDS)


def row_states(log_id: int) -> list[_RowState]:
    """The log's rows as light tuples, enough to count what is entered and done (one query,
    no model instances)."""
    return [_RowState(*values) for values in
            RepResult.objects.filter(log_id=log_id).values_list(*ROW_STATE_FIELDS)]


def start_log(session: Session, athlete: Athlete, *,
              date_done: dt.date | None = None, by_other: bool = False) -> SessionLog:
    """The athlete's log of this session, created (with its rows) by the first save.

    ``date_done`` is the "Date run" of a new log (the log form passes today in the block's time
    zone); by default the session's date. ``by_other``: someone other than the athlete starts
    it (the coach's stopwatch): a new log is marked ``changed_by_others`` as it is created."""
    with transaction.atomic():
        log, created = SessionLog.objects.get_or_create(
            session=session, athlete=athlete,
            defaults={"date_done": date_done or session.date, "changed_by_others": by_other},
        )
        if created or _rows_are_stale(log):
            _replace_rows(log)
    return log


def log_for_form(session: Session, athlete: Athlete) -> tuple[SessionLog, list[RepResult]]:
    """The log and its rows as the log form shows them, writing nothing.

    Before the first save the log is unsaved (no ``pk``), dated today in the block's time zone,
    and its rows are the planned reps, unsaved; so are the rows of a log whose empty rows no
    longer match the plan (the first save replaces them). Unsaved rows are known by their
    position, which the saved rows keep."""
    state = log_sql.form_state(session.pk, athlete.pk)
    if state is None:
        raise Session.DoesNotExist("the session is gone")
    return _form_rows(session, athlete, state.log, state.version_notation)


def _form_rows(session: Session, athlete: Athlete, log: SessionLog | None,
               version_notation: str | None) -> tuple[SessionLog, list[RepResult]]:
    """``log_for_form`` from what ``log_sql.form_state`` read (the log, the notation of the
    athlete's own version): the planned rows take one more query (``log_sql.work_steps``),
    a saved log's rows one, and a saved log whose rows are all empty one more (to check they
    still follow the plan)."""
    own = version_notation is not None
    notation_text = version_notation if own else session.notation  # versions.notation_for
    if log is None:
        log = SessionLog(session=session, athlete=athlete, date_done=session.block.today(),
                         planned_notation=notation_text)
        rows = _rows_from(log, log_sql.work_steps(session.pk, athlete.pk, own_version=own),
                          notation_text)
    else:
        log.session = session
        rows, log.target_origins = log_sql.log_rows_and_origins(log)
        if not log.completed and not any(judging.is_entered(row) or row.extra for row in rows):
            steps = log_sql.work_steps(session.pk, athlete.pk, own_version=own)
            if [row.step_id for row in rows] != [step.pk for step in steps]:  # stale
                rows = _rows_from(log, steps, notation_text)
    for row in rows:
        row.log = log
    return log, rows


def loggable_log(athlete: Athlete, session_id: int) -> tuple[Session, SessionLog, list[RepResult]]:
    """Session ``session_id`` if the athlete may log it (``Session.objects.loggable_by``: a
    session of their blocks, or one they have a log of), with the log and its rows as the form
    shows them (``log_for_form``); ``Session.DoesNotExist`` otherwise.

    The same rule as ``loggable_by``, read more cheaply: one query reads the session, the
    athlete's log and version of it and whether it is in their blocks (``log_sql.form_state``;
    the queryset's OR of two subqueries cost the log form more than its rows)."""
    state = log_sql.form_state(session_id, athlete.pk)
    if state is None or (state.log is None and not state.in_their_blocks):
        raise Session.DoesNotExist("not a session of the athlete's blocks")
    entry, rows = _form_rows(state.session, athlete, state.log, state.version_notation)
    return state.session, entry, rows


def row_at(log: SessionLog, position: int) -> RepResult | None:
    """The saved row at this position of a saved log, or None."""
    row = log.reps.filter(position=position).first()
    if row is not None:
        row.log = log
    return row


def saved_row(session_id: int, position: int, *, athlete: Athlete | None = None,
              athlete__user=None) -> RepResult | None:
    """The saved row at ``position`` of the log of session ``session_id`` whose athlete is
    ``athlete`` (or whose athlete's user is ``athlete__user``), with its log, session and
    block, and the log's counts (``done_count``, ``row_count``): what a row's save needs, in
    one query (``log_sql.saved_row``: the log's rows counted by the rules of ``judging``).

    None without a log, or when the log's rows are all empty and may no longer follow the plan
    (``log_for_form`` and ``start_log`` then decide, from the plan)."""
    read = log_sql.saved_row(
        session_id, position,
        athlete_id=athlete.pk if athlete is not None else None,
        user_id=athlete__user.pk if athlete is None else None)
    if read is None:
        return None
    row = read.row
    if not (row.log.completed or read.begun):
        return None
    row.done_count = read.done_count
    row.row_count = read.row_count
    return row


def progress_after(row: RepResult, was_done: bool) -> dict[str, int]:
    """The log's progress once ``row`` (from ``saved_row``, done before: ``was_done``) has
    been saved, without reading the log again."""
    done = row.done_count - was_done + judging.is_done(row)
    return {"done": done, "total": row.row_count}


def progress(reps: Iterable[judging.RepLike]) -> dict[str, int]:
    """``{"done": ..., "total": ...}`` of a log's rows (models, or ``row_states``)."""
    reps = list(reps)
    return {"done": sum(1 for r in reps if judging.is_done(r)), "total": len(reps)}


def _work_steps(log: SessionLog) -> list[PlannedStep]:
    mine = PlannedTarget.objects.filter(athlete_id=log.athlete_id)
    return list(
        log.session.steps_for(log.athlete_id).filter(kind=StepKind.WORK)
        .prefetch_related(Prefetch("targets", queryset=mine, to_attr="mine"))
        .order_by("position")
    )


def _rows_are_stale(log: SessionLog, rows: list[RepResult] | None = None) -> bool:
    """Empty rows that no longer match the plan (the coach changed the session); ``rows``:
    the log's rows, if already read."""
    if log.completed:
        return False
    rows = list(log.reps.all()) if rows is None else rows
    if any(judging.is_entered(row) or row.extra for row in rows):
        return False
    planned = list(log.session.steps_for(log.athlete_id).filter(kind=StepKind.WORK)
                   .order_by("position").values_list("pk", flat=True))
    return [row.step_id for row in rows] != planned


def work_steps_of(text: str, count: int) -> tuple:
    """The notation's work steps (``coach.notation``: each with its ``part_index``,
    ``set_index`` and ``rep_index``) when they still match the ``count`` planned reps, else
    ``()``: the coach may have changed the steps since (the log and the stopwatch then number
    reps through the session)."""
    try:
        work = notation.parse(text).work_steps if text else ()
    except notation.NotationError:
        return ()
    return tuple(work) if len(work) == count else ()


@lru_cache(maxsize=1024)
def _set_and_rep_numbers(text: str, count: int) -> tuple[tuple[int | None, int | None], ...]:
    """Each planned rep's set and its number within the set, from the notation.

    ``PlannedStep.rep_number`` counts through the whole session; the summary's sets need the
    count within each set, which restarts at every part (``12x400 & 10x200``). When the notation
    no longer matches the stored steps, the numbers are left out and the summary groups reps by
    distance and target instead.

    Kept per notation and count (a pure reading of the text): parsing the notation was two
    fifths of the CPU of reading the log form's planned rows.
    """
    work = work_steps_of(text, count)
    if not work:
        return ((None, None),) * count
    return tuple((step.set_index, step.rep_index) for step in work)


def planned_row(log: SessionLog, step: PlannedStep, target: PlannedTarget | None,
                position: int, numbers: tuple[int | None, int | None]) -> RepResult:
    """One unsaved row of a log for a planned rep: its amount, the athlete's target and its
    set and rep numbers (``numbers``).

    Built as ``RepResult(log=log, step=step, position=..., ...)`` would build it, from every
    field's value in order (``log_sql.build``: keyword arguments cost the log form's first
    open a fifth of its rows' time)."""
    set_number, rep_number = numbers
    given = {
        "log_id": log.pk, "step_id": step.pk, "position": position,
        "distance_m": step.distance_m, "planned_distance_m": step.distance_m,
        "duration_s": step.duration_s,
        "target_lo_s": target.target_lo_s if target else None,
        "target_hi_s": target.target_hi_s if target else None,
        "target_text": step.target_text, "lactate_lo": step.lactate_lo,
        "lactate_hi": step.lactate_hi, "set_number": set_number, "rep_number": rep_number,
    }
    row = log_sql.build(RepResult, _row_names(),
                        [given.get(name, default) for name, default in _row_defaults()], db=None)
    _LOG_FIELD.set_cached_value(row, log)  # as the keyword arguments log= and step= do
    _STEP_FIELD.set_cached_value(row, step)
    return row


_LOG_FIELD = RepResult._meta.get_field("log")
_STEP_FIELD = RepResult._meta.get_field("step")


@lru_cache(maxsize=1)
def _row_names() -> tuple[str, ...]:
    return tuple(name for name, _ in _row_defaults())


@lru_cache(maxsize=1)
def _row_defaults() -> tuple[tuple[str, object], ...]:
    """Each field of a row in order, with its default (a row of nothing)."""
    return tuple((field.attname, field.get_default())
                 for field in RepResult._meta.concrete_fields)


def planned_rows(log: SessionLog, notation_text: str | None = None) -> list[RepResult]:
    """One unsaved row per planned rep of the log's session, numbered from 1: the reps the
    athlete follows (their own version's, or the squad's). ``notation_text``: that workout's
    notation when the caller has just read it (``versions.notation_for``)."""
    steps = _work_steps(log)
    if notation_text is None:
        notation_text = versions.notation_for(log.session, log.athlete_id)
    return _rows_from(log, steps, notation_text)


def _rows_from(log: SessionLog, steps: list[PlannedStep], notation_text: str) -> list[RepResult]:
    """The unsaved rows of ``steps`` (the work steps the athlete follows, each with ``mine``:
    their target on it in a list) numbered within their sets by ``notation_text``."""
    numbers = _set_and_rep_numbers(notation_text, len(steps))
    return [
        planned_row(log, step, step.mine[0] if step.mine else None, position, pair)
        for position, (step, pair) in enumerate(zip(steps, numbers, strict=True), start=1)
    ]


def _replace_rows(log: SessionLog) -> None:
    log.reps.all().delete()
    RepResult.objects.bulk_create(planned_rows(log))
    stored = (log.planned_notation, log.workout_key)
    log.planned_notation = versions.notation_for(log.session, log.athlete_id)
    log.workout_key = workout_history.key_of(log.planned_notation)  # of what the log records
    if (log.planned_notation, log.workout_key) != stored:  # derived from the plan: no history
        log.save_without_historical_record(update_fields=["planned_notation", "workout_key"])


def _touch(log_id: int) -> None:
    SessionLog.objects.filter(pk=log_id).update(updated=timezone.now())


def claim_receipt(cid: str, log_id: int, position: int) -> bool:
    """Record the receipt of save ``cid`` for row ``position`` of log ``log_id``; False when it
    was recorded before (the log page's rows and the coach's stopwatch alike).

    One statement, ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, and SQLite
    from 3.35): a second request with the same id, at the same moment or later, finds the
    receipt and writes nothing, and no error breaks the transaction around it."""
    table = connection.ops.quote_name(SaveReceipt._meta.db_table)
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    # The table name is the model's own, quoted; every value is a parameter.
    sql = f"INSERT INTO {table} (cid, log_id, position, created) VALUES (%s, %s, %s, %s)"  # nosec
    with connection.cursor() as cursor:
        cursor.execute(sql + " ON CONFLICT (cid) DO NOTHING RETURNING id",
                       [cid, log_id, position, created])
        return cursor.fetchone() is not None


def save_rep(rep: RepResult, values: Mapping[str, object], *, cid: str | None = None) -> bool:
    """Write the given fields of one row, once per ``cid`` (the client's id of this save:
    a save sent again writes nothing). Whether it wrote; four queries with a ``cid`` (the
    receipt, the row, its history row, the log's time), three without, whatever the session's
    size; on PostgreSQL one (``log_sql.save_at_once``).

    A time that changes, saved without saying who timed it, is the athlete's own: a coach's
    stopwatch mark on the row (``timed_by``, sessions/stopwatch.py) goes, and so does the mark
    of a value from a watch file (``from_device``, sessions/watch_import.py)."""
    if not values:
        return False
    changes_time = "actual_s" in values and values["actual_s"] != rep.actual_s
    if changes_time and "timed_by" not in values and rep.timed_by_id is not None:
        values = {**values, "timed_by": None}
    if changes_time and "from_device" not in values and rep.from_device:
        values = {**values, "from_device": False}
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        if connection.vendor in log_sql.WRITES_AT_ONCE:  # the four statements below in one
            if not log_sql.save_at_once(rep, values, now, cid):
                return False
            for name, value in values.items():
                setattr(rep, name, value)
            return True
        if cid and not claim_receipt(cid, rep.log_id, rep.position):
            return False
        for name, value in values.items():
            setattr(rep, name, value)
        log_sql.update_row(rep, list(values))  # rep.save(update_fields=...), in plain SQL
        log_sql.record_row_history(rep, now)  # what the save signal would have written
        log_sql.touch_log(rep.log_id, now)
    return True


DEVICE_FIELDS = ("actual_s", "avg_hr", "distance_m", "from_device", "timed_by", "skipped")


def fill_from_device(log: SessionLog, rows: Iterable[RepResult],
                     changes: Mapping[int, Mapping[str, object]], *,
                     device_import: DeviceImport, totals: Mapping[str, float | None]) -> int:
    """Write the values of an accepted watch file into the log's rows (``changes``: the
    values per row position, from ``sessions.watch_import``), fill the session's total time and
    distance where the athlete left them empty, and mark the import accepted: four statements
    (the rows' history one of them) in one transaction, whatever the number of reps. The
    number of rows written."""
    by_position = {row.position: row for row in rows}
    changed = []
    for position, values in changes.items():
        row = by_position[position]
        for name, value in values.items():
            setattr(row, name, value)
        changed.append(row)
    own = {name: totals.get(name) for name in ("duration_s", "distance_m")
           if totals.get(name) and getattr(log, name) is None}
    with transaction.atomic():
        if changed:
            # with a history row each (docs/history.md), in one more statement
            bulk_update_with_history(changed, RepResult, DEVICE_FIELDS,
                                     default_user=device_import.uploaded_by,
                                     default_change_reason="from a watch file")
        for name, value in own.items():
            setattr(log, name, round(value))
        log.save(update_fields=[*own, "updated"])
        device_import.status = ImportStatus.ACCEPTED
        device_import.accepted_at = timezone.now()
        device_import.save(update_fields=["status", "accepted_at"])
    return len(changed)


def set_skipped(rep: RepResult, skipped: bool, *, cid: str | None = None) -> bool:
    """Skip a row or take the skip back, once per ``cid`` (as ``save_rep``)."""
    return save_rep(rep, {"skipped": skipped}, cid=cid)


def add_rep(log: SessionLog, *, distance_m: float) -> RepResult:
    """A rep the plan did not have, after the last row."""
    with transaction.atomic():
        SessionLog.objects.select_for_update().filter(pk=log.pk).first()
        last = log.reps.aggregate(last=Max("position"))["last"] or 0
        rep = RepResult.objects.create(
            log=log, position=last + 1, distance_m=distance_m, extra=True,
        )
        _touch(log.pk)
    rep.log = log
    return rep


def remove_rep(rep: RepResult) -> None:
    """Take back an added rep (planned reps are skipped, not removed)."""
    if not rep.extra:
        raise ValueError("only a rep the athlete added can be removed; skip a planned one")
    log_id = rep.log_id
    rep.delete()
    _touch(log_id)


def update_log(log: SessionLog, values: Mapping[str, object]) -> None:
    if not values:
        return
    for name, value in values.items():
        setattr(log, name, value)
    log.save(update_fields=[*values, "updated"])


def open_reps(reps: Iterable[RepResult]) -> list[RepResult]:
    """Rows that still need a time (or, without a time target, a reading), or a skip."""
    return [rep for rep in reps if not judging.is_done(rep)]


def finish_log(log: SessionLog, *, skip_open: bool = False) -> list[RepResult]:
    """Mark the log complete. Returns the rows still open instead, unless told to skip them."""
    with transaction.atomic():
        remaining = open_reps(log.reps.all())
        if remaining and not skip_open:
            return remaining
        if remaining:
            RepResult.objects.filter(pk__in=[r.pk for r in remaining]).update(skipped=True)
            for rep in remaining:
                rep.skipped = True
            history.record(remaining)  # one INSERT for the rows' history (docs/history.md)
        log.completed = True
        log.save(update_fields=["completed", "updated"])
    return []


def _summary_reps(log_id: int):
    return RepResult.objects.filter(log_id=log_id).order_by("position")


def _recoveries(session_id: int, athlete_id: int):
    from .models import PlannedStep

    return (PlannedStep.objects.filter(session_id=session_id).followed_by(athlete_id)
            .filter(kind__in=[StepKind.RECOVERY, StepKind.REST])
            .values_list("distance_m", "duration_s"))


def _version_work(session_id: int, athlete_id: int):
    from .models import AthleteVersion

    return AthleteVersion.objects.filter(session_id=session_id,
                                         athlete_id=athlete_id).values_list("work_distance_m")


def session_summary(log: SessionLog) -> summary.Summary:
    """The summary of one log: its reps, the session's planned recoveries and the work
    distance of the plan the athlete followed (``versions.followed_plan``), three queries
    compiled once (``coach.prepared``: the log summary's largest cost was building them);
    two when the log was read with its own version's work distance
    (``summary_reads.summary_log``: ``own_work_distance_m``, None without a version)."""
    reps = prepared.objects("summary_reps", _summary_reps, log.pk)
    for rep in reps:
        rep.log = log
    recoveries = prepared.rows("summary_recoveries", _recoveries, log.session_id,
                               log.athlete_id)[1]
    if hasattr(log, "own_work_distance_m"):  # read with the log (summary_reads.summary_log)
        own = log.own_work_distance_m
    else:
        version = prepared.rows("summary_version_work", _version_work, log.session_id,
                                log.athlete_id)[1]
        own = version[0][0] if version else None
    return summary.summarize(
        reps,
        tolerance_pct=log.session.tolerance_pct,
        planned_work_distance_m=log.session.work_distance_m if own is None else own,
        recoveries=recoveries,
    )
