"""The log form's hottest reads and writes, in SQL assembled once (docs/logging.md,
"Performance").

Opening the log form and saving a row run for every rep an athlete logs. Through the ORM,
building those queries cost several times what running them did (SQLite: a four-table
``select_related`` took about 0.4 ms of CPU to compile and 0.02 ms to run; the save's two reads
and write were half its time). Here each statement is assembled once per process from the
models' own metadata (tables, columns, the database's value converters), and the rows become
model instances as ``Model.from_db`` builds them (``_Table.instance``): adding a field to a
model needs no change here.

Each function names the ORM reading it stands for; the rules are the same (who may log what:
``logbook.loggable_log``; which steps an athlete follows: ``PlannedStepQuerySet.followed_by``).
tests/test_log_sql.py checks them against the ORM. Every statement is built from model
metadata only, every value is a parameter (hence the ``# nosec`` marks: bandit's B608 cannot see
that; docs/security.md). A write here sends no model signals: its caller records history
(``logbook.save_rep``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db import DatabaseError, connection
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from athletes.models import Athlete

from .models import (
    AthleteVersion,
    Block,
    PlannedStep,
    PlannedTarget,
    RepResult,
    SaveReceipt,
    Session,
    SessionLog,
    StepKind,
)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class _Table:
    """A model's columns in a SELECT under ``alias``, and how a row's values become an
    instance (the database's converters: SQLite's dates and booleans arrive as text and 0/1)."""

    model: type[Model]
    alias: str
    select: str
    names: tuple[str, ...]
    converters: tuple[tuple[int, object, tuple], ...]  # (index, column, functions)
    width: int

    def instance(self, row: Sequence, start: int = 0) -> Model:
        values = list(row[start:start + self.width])
        for index, col, funcs in self.converters:
            for func in funcs:
                values[index] = func(values[index], col, connection)
        return build(self.model, self.names, values, db=connection.alias)


def build(model: type[Model], names: Sequence[str], values: Sequence, *,
          db: str | None) -> Model:
    """``model(*values)`` (``names``: every concrete field's attname, in order), as read from
    database ``db`` (``Model.from_db``), or unsaved when ``db`` is None.

    ``Model.__init__`` sets each field's attribute in turn and sends the init signals; with
    nothing listening to them, setting the attributes at once makes the same instance in a
    third of the time (rows are built by the dozen on each open of the log form)."""
    if (pre_init.receivers or post_init.receivers) and (
            pre_init.has_listeners(model) or post_init.has_listeners(model)):
        if db is None:
            return model(*values)
        return model.from_db(db, names, values)
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    state = ModelState()
    state.adding, state.db = db is None, db
    instance._state = state
    return instance


@cache
def _table(model: type[Model], alias: str, vendor: str) -> _Table:
    fields = model._meta.concrete_fields
    converters = []
    for index, field in enumerate(fields):
        col = field.get_col(alias)
        funcs = tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        if funcs:
            converters.append((index, col, funcs))
    return _Table(
        model=model, alias=alias,
        select=", ".join(f"{_qn(alias)}.{_qn(field.column)}" for field in fields),
        names=tuple(field.attname for field in fields), converters=tuple(converters),
        width=len(fields))


def table(model: type[Model], alias: str) -> _Table:
    return _table(model, alias, connection.vendor)


def _name(model: type[Model]) -> str:
    return _qn(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    return _qn(model._meta.get_field(name).column)


def _fetch(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- the log form ---------------------------------------------------------------------------


@dataclass
class FormState:
    """What the log form reads first, in one query: the session (with its block), the athlete's
    log of it if there is one, the notation of their own version of it if they have one, and
    whether the session is in one of their blocks."""

    session: Session
    log: SessionLog | None
    version_notation: str | None
    in_their_blocks: bool


@cache
def _form_state_sql(vendor: str) -> str:
    s, b, lg = table(Session, "s"), table(Block, "b"), table(SessionLog, "l")
    members = Block.athletes.through
    return (
        f"SELECT {s.select}, {b.select}, {lg.select}, v.{_column(AthleteVersion, 'notation')}, "  # nosec
        f"EXISTS (SELECT 1 FROM {_name(members)} m WHERE m.{_qn('block_id')} = s.{_qn('block_id')}"
        f" AND m.{_qn('athlete_id')} = %s) "
        f"FROM {_name(Session)} s "
        f"INNER JOIN {_name(Block)} b ON b.{_qn('id')} = s.{_qn('block_id')} "
        f"LEFT JOIN {_name(SessionLog)} l ON l.{_qn('session_id')} = s.{_qn('id')} "
        f"AND l.{_qn('athlete_id')} = %s "
        f"LEFT JOIN {_name(AthleteVersion)} v ON v.{_qn('session_id')} = s.{_qn('id')} "
        f"AND v.{_qn('athlete_id')} = %s "
        f"WHERE s.{_qn('id')} = %s"
    )


def form_state(session_id: int, athlete_id: int) -> FormState | None:
    """The session, the athlete's log and version of it and whether it is in their blocks
    (``Session.objects.select_related("block")``, ``SessionLog.objects.filter(session=,
    athlete=)``, ``versions.version_of``, ``athlete.blocks.filter(pk=)``); None when there is
    no such session."""
    rows = _fetch(_form_state_sql(connection.vendor),
                  [athlete_id, athlete_id, athlete_id, session_id])
    if not rows:
        return None
    row = rows[0]
    s, b, lg = table(Session, "s"), table(Block, "b"), table(SessionLog, "l")
    session = s.instance(row)
    session.block = b.instance(row, s.width)
    start = s.width + b.width
    log = None
    if row[start] is not None:  # the log's id
        log = lg.instance(row, start)
        log.session = session
    return FormState(session=session, log=log, version_notation=row[start + lg.width],
                     in_their_blocks=bool(row[start + lg.width + 1]))


@cache
def _work_steps_sql(vendor: str, own_version: bool) -> str:
    st, t = table(PlannedStep, "st"), table(PlannedTarget, "t")
    followed = (f"st.{_qn('athlete_id')} = %s" if own_version else
                f"(st.{_qn('athlete_id')} = %s OR st.{_qn('athlete_id')} IS NULL)")
    return (
        f"SELECT {st.select}, {t.select} FROM {_name(PlannedStep)} st "  # nosec
        f"LEFT JOIN {_name(PlannedTarget)} t ON t.{_qn('step_id')} = st.{_qn('id')} "
        f"AND t.{_qn('athlete_id')} = %s "
        f"WHERE st.{_qn('session_id')} = %s AND st.{_qn('kind')} = %s AND {followed} "
        f"ORDER BY st.{_qn('position')}"
    )


def work_steps(session_id: int, athlete_id: int, *, own_version: bool) -> list[PlannedStep]:
    """The work steps the athlete follows in the session, in order, each with ``mine``: the
    athlete's target on it, in a list (``logbook._work_steps``: ``session.steps_for(athlete)``
    with ``kind=work``, the targets prefetched). ``own_version``: whether the athlete has their
    own version of the session (``FormState.version_notation is not None``): then their own
    steps, else the squad's (``PlannedStepQuerySet.followed_by``)."""
    st, t = table(PlannedStep, "st"), table(PlannedTarget, "t")
    rows = _fetch(_work_steps_sql(connection.vendor, own_version),
                  [athlete_id, session_id, StepKind.WORK.value, athlete_id])
    steps = []
    for row in rows:
        step = st.instance(row)
        step.mine = [t.instance(row, st.width)] if row[st.width] is not None else []
        steps.append(step)
    return steps


@cache
def _origins_sql(vendor: str) -> str:
    return (
        f"SELECT t.{_column(PlannedTarget, 'source')}, t.{_column(PlannedTarget, 'origin')} "  # nosec
        f"FROM {_name(PlannedTarget)} t INNER JOIN {_name(PlannedStep)} st "
        f"ON st.{_qn('id')} = t.{_qn('step_id')} "
        f"WHERE t.{_qn('athlete_id')} = %s AND st.{_qn('session_id')} = %s "
        f"ORDER BY st.{_qn('position')}"
    )


def origins(session_id: int, athlete_id: int) -> list[tuple[str, str]]:
    """``(source, origin)`` of the athlete's targets in the session, in the steps' order
    (``PlannedTarget.objects.filter(step__session=, athlete=)``)."""
    return _fetch(_origins_sql(connection.vendor), [athlete_id, session_id])


@cache
def _rows_and_origins_sql(vendor: str) -> str:
    r = table(RepResult, "r")
    width = r.width
    # one statement, two parts (the fourth column from the end tells them apart): the log's
    # rows in order, then the athlete's targets' origins (``_origins_sql``)
    return (
        f"SELECT {r.select}, NULL, NULL, 0, r.{_qn('position')} "  # nosec
        f"FROM {_name(RepResult)} r WHERE r.{_qn('log_id')} = %s "
        f"UNION ALL SELECT {', '.join(['NULL'] * width)}, "
        f"t.{_column(PlannedTarget, 'source')}, t.{_column(PlannedTarget, 'origin')}, 1, "
        f"st.{_qn('position')} "
        f"FROM {_name(PlannedTarget)} t INNER JOIN {_name(PlannedStep)} st "
        f"ON st.{_qn('id')} = t.{_qn('step_id')} "
        f"WHERE t.{_qn('athlete_id')} = %s AND st.{_qn('session_id')} = %s "
        f"ORDER BY {width + 3}, {width + 4}"
    )


def log_rows_and_origins(log: SessionLog) -> tuple[list[RepResult], list[tuple[str, str]]]:
    """The log's rows in order, each with ``log`` set (``log.reps.all()``), and
    ``origins(log.session_id, log.athlete_id)``, in one query: the log form of a log in
    progress reads both."""
    r = table(RepResult, "r")
    width = r.width
    rows, pairs = [], []
    for row in _fetch(_rows_and_origins_sql(connection.vendor),
                      [log.pk, log.athlete_id, log.session_id]):
        if row[width + 2]:
            pairs.append((row[width], row[width + 1]))
        else:
            rep = r.instance(row)
            rep.log = log
            rows.append(rep)
    return rows, pairs


# --- a row's save ---------------------------------------------------------------------------


def _is_done_sql(o: str) -> str:
    """``judging.is_done`` of a row (alias ``o``) as an SQL condition: the same rule, pinned to
    it by tests/test_log_sql.py on every combination of the fields it reads."""
    def c(name: str) -> str:
        return f"{o}.{_column(RepResult, name)}"
    return (f"({c('skipped')} OR {c('actual_s')} IS NOT NULL OR ({c('target_lo_s')} IS NULL "
            f"AND ({c('lactate')} IS NOT NULL OR {c('avg_hr')} IS NOT NULL "
            f"OR ({c('duration_s')} IS NOT NULL AND {c('planned_distance_m')} IS NULL "
            f"AND {c('distance_m')} IS NOT NULL))))")


def _is_begun_sql(o: str) -> str:
    """``judging.is_entered(row) or row.extra`` (alias ``o``) as an SQL condition (pinned as
    ``_is_done_sql``)."""
    def c(name: str) -> str:
        return f"{o}.{_column(RepResult, name)}"
    return (f"({c('skipped')} OR {c('extra')} OR {c('actual_s')} IS NOT NULL "
            f"OR {c('avg_hr')} IS NOT NULL OR {c('lactate')} IS NOT NULL "
            f"OR COALESCE({c('note')}, '') <> '')")


@dataclass
class SavedRow:
    """The row at a saved position as a model (with its log, session and block), and what a
    save needs of its log's rows: how many, how many done, whether any holds something."""

    row: RepResult
    row_count: int
    done_count: int
    begun: bool


@cache
def _saved_row_sql(vendor: str, by_user: bool) -> str:
    r, lg = table(RepResult, "r"), table(SessionLog, "l")
    s, b = table(Session, "s"), table(Block, "b")
    owner = (f"INNER JOIN {_name(Athlete)} a ON a.{_qn('id')} = l.{_qn('athlete_id')} "
             f"WHERE a.{_qn('user_id')} = %s" if by_user else f"WHERE l.{_qn('athlete_id')} = %s")
    rows = f"FROM {_name(RepResult)} o WHERE o.{_qn('log_id')} = r.{_qn('log_id')}"
    # one row: the saved one with its log, session and block, and its log's rows counted in
    # SQL (read one by one beside it, they were most of a save's read)
    return (
        f"SELECT {r.select}, {lg.select}, {s.select}, {b.select}, "  # nosec
        f"(SELECT COUNT(*) {rows}), "
        f"(SELECT COUNT(*) {rows} AND {_is_done_sql('o')}), "
        f"EXISTS (SELECT 1 {rows} AND {_is_begun_sql('o')}) "
        f"FROM {_name(RepResult)} r "
        f"INNER JOIN {_name(SessionLog)} l ON l.{_qn('id')} = r.{_qn('log_id')} "
        f"INNER JOIN {_name(Session)} s ON s.{_qn('id')} = l.{_qn('session_id')} "
        f"INNER JOIN {_name(Block)} b ON b.{_qn('id')} = s.{_qn('block_id')} "
        f"{owner} AND l.{_qn('session_id')} = %s AND r.{_qn('position')} = %s"
    )


def saved_row(session_id: int, position: int, *, athlete_id: int | None = None,
              user_id: int | None = None) -> SavedRow | None:
    """The row at ``position`` of the log of session ``session_id`` whose athlete is
    ``athlete_id`` (or whose athlete's user is ``user_id``) with its log, session and block
    (``RepResult.objects.filter(log__session_id=, position=, log__athlete=)
    .select_related("log__session__block")``), and its log's rows counted (all, those
    ``judging.is_done``, whether any is entered or added), in one query; None without one."""
    r, lg = table(RepResult, "r"), table(SessionLog, "l")
    s, b = table(Session, "s"), table(Block, "b")
    owner = user_id if athlete_id is None else athlete_id
    rows = _fetch(_saved_row_sql(connection.vendor, athlete_id is None),
                  [owner, session_id, position])
    if not rows:
        return None
    found = rows[0]
    rep = r.instance(found)
    rep.log = lg.instance(found, r.width)
    rep.log.session = s.instance(found, r.width + lg.width)
    rep.log.session.block = b.instance(found, r.width + lg.width + s.width)
    count, done, begun = found[r.width + lg.width + s.width + b.width:]
    return SavedRow(rep, count, done or 0, bool(begun))


@cache
def _row_states_sql(vendor: str) -> str:
    return (f"SELECT {_is_done_sql('o')}, {_is_begun_sql('o')} "  # nosec
            f"FROM {_name(RepResult)} o WHERE o.{_qn('log_id')} = %s ORDER BY o.{_qn('id')}")


def row_states(log_id: int) -> list[tuple[bool, bool]]:
    """``(is done, is entered or added)`` of each of the log's rows by ``_is_done_sql`` and
    ``_is_begun_sql``, in the order of their ids (for tests/test_log_sql.py)."""
    return [(bool(done), bool(begun))
            for done, begun in _fetch(_row_states_sql(connection.vendor), [log_id])]


def update_row(rep: RepResult, names: Sequence[str]) -> None:
    """Write fields ``names`` of ``rep`` as they are on the instance, in one UPDATE
    (``rep.save(update_fields=names)``: RepResult has no signals or fields set on save)."""
    fields = [RepResult._meta.get_field(name) for name in names]
    params = []
    for field in fields:
        value = getattr(rep, field.attname)
        params.append(field.get_db_prep_save(value, connection))
    sets = ", ".join(f"{_qn(field.column)} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_name(RepResult)} SET {sets} WHERE {_qn('id')} = %s",  # nosec
                       [*params, rep.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


def touch_log(log_id: int, when) -> None:
    """The log's ``updated`` time (``SessionLog.objects.filter(pk=).update(updated=)``)."""
    field = SessionLog._meta.get_field("updated")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_name(SessionLog)} SET {_qn(field.column)} = %s "  # nosec
                       f"WHERE {_qn('id')} = %s",
                       [field.get_db_prep_save(when, connection), log_id])


@cache
def _history_model() -> type[Model]:
    """RepResult's historical model (``RepResult.history`` builds a new manager class, through
    ``inspect.getmembers``, on every access: a tenth of a save's time)."""
    return RepResult.history.model


@cache
def _history_sql() -> str:
    history = _history_model()
    copied = [f.column for f in RepResult._meta.concrete_fields]
    columns = [*copied, "history_date", "history_user_id", "history_type",
               "history_change_reason"]
    return (f"INSERT INTO {_name(history)} ({', '.join(_qn(c) for c in columns)}) "  # nosec
            f"SELECT {', '.join(_qn(c) for c in copied)}, %s, %s, '~', NULL "
            f"FROM {_name(RepResult)} WHERE {_qn('id')} = %s")


def record_row_history(rep: RepResult, when) -> None:
    """The history row of a row just written by ``update_row``, copied from the row in the
    database in one ``INSERT … SELECT`` (what django-simple-history's save signal writes:
    every field, the time, the request's user, ``~`` for a change; docs/history.md)."""
    history = _history_model()
    user = history.get_default_history_user(rep)
    field = history._meta.get_field("history_date")
    with connection.cursor() as cursor:
        cursor.execute(_history_sql(), [field.get_db_prep_save(when, connection),
                                        getattr(user, "pk", None), rep.pk])


# PostgreSQL writes a save in one statement (data-modifying WITH queries); other databases in
# one statement each (``logbook.save_rep``).
WRITES_AT_ONCE = frozenset({"postgresql"})


@cache
def _save_at_once_sql(names: tuple[str, ...], with_receipt: bool) -> str:
    history = _history_model()
    copied = ", ".join(_qn(f.column) for f in RepResult._meta.concrete_fields)
    fields = [RepResult._meta.get_field(name) for name in names]
    sets = ", ".join(f"{_qn(field.column)} = %s" for field in fields)
    updated = SessionLog._meta.get_field("updated").column
    receipt, claimed = "", ""
    if with_receipt:
        receipt = (f"claim AS (INSERT INTO {_name(SaveReceipt)} ({_qn('cid')}, "  # nosec
                   f"{_qn('log_id')}, "
                   f"{_qn('position')}, {_qn('created')}) VALUES (%s, %s, %s, %s) "
                   f"ON CONFLICT ({_qn('cid')}) DO NOTHING RETURNING {_qn('id')}), ")
        claimed = "AND EXISTS (SELECT 1 FROM claim) "
    return (
        f"WITH {receipt}"  # nosec
        f"written AS (UPDATE {_name(RepResult)} SET {sets} WHERE {_qn('id')} = %s {claimed}"
        f"RETURNING {copied}), "
        f"kept AS (INSERT INTO {_name(history)} ({copied}, {_qn('history_date')}, "
        f"{_qn('history_user_id')}, {_qn('history_type')}, {_qn('history_change_reason')}) "
        f"SELECT {copied}, %s, %s, '~', NULL FROM written), "
        f"touched AS (UPDATE {_name(SessionLog)} SET {_qn(updated)} = %s WHERE {_qn('id')} = %s "
        f"AND EXISTS (SELECT 1 FROM written)) "
        f"SELECT {'(SELECT COUNT(*) FROM claim)' if with_receipt else '1'}, "
        f"(SELECT COUNT(*) FROM written)"
    )


def save_at_once(rep: RepResult, values: dict[str, object], when, cid: str | None) -> bool:
    """``claim_receipt``, ``update_row``, ``record_row_history`` and ``touch_log`` in one
    statement (PostgreSQL: the receipt claimed, the row written with ``values``, its history
    row copied from what was written, the log's ``updated``, each only if the one before it
    happened): whether it wrote, False when the receipt of ``cid`` was there already. ``rep``
    itself is left as it was (its caller sets what was written)."""
    names = tuple(values)
    params: list[object] = []
    if cid:
        params += [cid, rep.log_id, rep.position,
                   connection.ops.adapt_datetimefield_value(when)]
    for name in names:
        field = RepResult._meta.get_field(name)
        value = values[name]
        if field.is_relation and isinstance(value, Model):
            value = value.pk
        params.append(field.get_db_prep_save(value, connection))
    history = _history_model()
    user = history.get_default_history_user(rep)
    date = history._meta.get_field("history_date").get_db_prep_save(when, connection)
    log_time = SessionLog._meta.get_field("updated").get_db_prep_save(when, connection)
    params += [rep.pk, date, getattr(user, "pk", None), log_time, rep.log_id]
    rows = _fetch(_save_at_once_sql(names, bool(cid)), params)
    claimed, written = rows[0]
    if not claimed:
        return False
    if written != 1:
        raise DatabaseError("Save with update_fields did not affect any rows.")
    return True
