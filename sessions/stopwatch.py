"""The coach's stopwatch (issue 13): what the phone page needs, and how a timed rep reaches the
athlete's log.

The page (``sessions/stopwatch_views.py``, ``static/js/stopwatch.js``) runs on the coach's phone
and keeps its own clock; the server is told results afterwards, one at a time, each with an id
the phone made (``cid``). This module holds the server's rules:

- who may time a session (``timeable_by``: the block's coach and admins) and whom
  (``athletes_for``: the block's athletes they see; those out that day are not preselected);
- each athlete's reps as the phone times them (``stopwatch_data``): the reps they follow (their
  own version or the squad's, numbered as their log numbers them), their targets, the
  recovery after each rep, and what their log holds already;
- ``record``: one result into the athlete's log, exactly once per ``cid`` (a ``SaveReceipt``,
  shared with the log page), marked as timed by the coach (``RepResult.timed_by``). A time the
  athlete typed themselves is never replaced without the coach's ``confirm``: the answer is a
  conflict the page shows ("keep Tom's / use mine");
- ``squad_table``: athletes by reps, with deviations, after the session.

Judging is ``sessions.judging``; the page judges a split at once with the same rule ported to
JavaScript (``static/js/stopwatch-judging.js``; tests/test_stopwatch.py checks they agree).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from athletes.models import Athlete
from coach import formats

from . import availability, history, judging, logbook
from .models import (
    AthleteVersion,
    PlannedStep,
    PlannedTarget,
    RepResult,
    SaveReceipt,
    Session,
    SessionLog,
    StepKind,
)

KINDS = ("time", "skip", "clear", "extra")
SAME_TIME_S = 0.05  # a coach's time this close to the athlete's is the athlete's time
MAX_SPLIT_S = 6 * 3600.0


# --- who -----------------------------------------------------------------------------------------


def timeable_by(user):
    """Sessions a user may time: the block's coach's own, and any for an admin."""
    if not user.is_authenticated:
        return Session.objects.none()
    if user.is_staff:
        return Session.objects.all()
    return Session.objects.for_coach(user)


def may_time(user, block) -> bool:
    """``timeable_by`` for a session of ``block`` already read: whether to offer the stopwatch
    (no query)."""
    return user.is_authenticated and (
        user.is_staff or (user.is_coach and block.coach_id == user.pk))


def athletes_for(session: Session, user) -> list[Athlete]:
    """The athletes the user times in this session: the block's, as its pages show them to the
    user (``Block.athletes_seen_by``), by name."""
    return list(session.block.athletes_seen_by(user).order_by("display_name"))


def short_names(athletes: Sequence[Athlete]) -> dict[int, str]:
    """A short name per athlete for the buttons: the first name, or the whole name where two
    athletes share a first name."""
    first = {a.pk: (a.display_name.split() or [a.display_name])[0] for a in athletes}
    counts = Counter(first.values())
    return {a.pk: first[a.pk] if counts[first[a.pk]] == 1 else a.display_name for a in athletes}


def todays_sessions(blocks, *, sessions: list[Session] | None = None) -> list[Session]:
    """The sessions on today's date in each block's own time zone (the coach's home links
    them to the stopwatch). One query, none with ``sessions``: those of these blocks read
    already around today (``attention.window_sessions``), to pick from."""
    if sessions is not None:
        days = {block.pk: block.today() for block in blocks}
        return sorted((s for s in sessions if days.get(s.block_id) == s.date),
                      key=lambda s: (s.slot, s.pk))
    days = Q()
    for block in blocks:
        days |= Q(block=block, date=block.today())
    if not days:
        return []
    return list(Session.objects.filter(days).select_related("block").order_by("slot", "pk"))


# --- the phone's data ----------------------------------------------------------------------------


def _recovery(step: PlannedStep | None) -> dict | None:
    """The recovery after a rep as the clock counts it: a time to count down (``(90s)``), or a
    distance whose time since the finish is counted up (``(200 jog)``)."""
    if step is None or step.kind not in (StepKind.RECOVERY, StepKind.REST):
        return None
    if step.duration_s:
        return {"duration": step.duration_s, "distance": None,
                "text": f"{formats.format_amount(None, step.duration_s)} rest"}
    if step.distance_m:
        return {"duration": None, "distance": step.distance_m,
                "text": f"{formats.format_amount(step.distance_m, None)} {step.mode or 'jog'}"}
    return None


def _reps(steps: Sequence[PlannedStep], targets: Mapping[int, PlannedTarget],
          text: str) -> list[dict]:
    """The work steps as the phone times them, numbered from 1 as the log numbers its rows,
    each with its number within its set and the set's size ("Rep 5 of 12")."""
    reps = []
    for index, step in enumerate(steps):
        if step.kind != StepKind.WORK:
            continue
        target = targets.get(step.pk)
        lo = target.target_lo_s if target else None
        hi = target.target_hi_s if target else None
        reps.append({
            "position": len(reps) + 1,
            "distance": step.distance_m, "planned": step.distance_m,
            "duration": step.duration_s,
            "label": step.amount_label, "target": step.target_text,
            "lo": lo, "hi": hi,  # (no upper end: the band is its lower end, as judging reads it)
            "recovery": _recovery(steps[index + 1] if index + 1 < len(steps) else None),
        })
    work = logbook.work_steps_of(text, len(reps))  # () when it no longer matches: count all
    sizes = defaultdict(int)
    for step in work:
        sizes[step.part_index, step.set_index] += 1
    for rep, step in zip(reps, work or [None] * len(reps), strict=True):
        if step is None:
            rep["n"], rep["of"] = rep["position"], len(reps)
        else:
            rep["n"], rep["of"] = step.rep_index, sizes[step.part_index, step.set_index]
    return reps


def _logged(session: Session, athletes: Sequence[Athlete]) -> dict[int, dict[int, dict]]:
    """What the athletes' logs hold already, by athlete and position (one query)."""
    found: dict[int, dict[int, dict]] = defaultdict(dict)
    rows = (RepResult.objects.filter(log__session=session, log__athlete__in=athletes)
            .values_list("log__athlete_id", "position", "actual_s", "skipped", "timed_by_id",
                         "distance_m", "extra"))
    for athlete_id, position, actual_s, skipped, timed_by, distance, extra in rows:
        if actual_s is None and not skipped:
            continue
        found[athlete_id][position] = {"time": actual_s, "skipped": skipped,
                                       "coach": timed_by is not None, "distance": distance,
                                       "extra": extra}
    return found


def stopwatch_data(session: Session, athletes: Sequence[Athlete], user) -> dict:
    """Everything the phone needs to time the session offline, as JSON-ready values. Six
    queries, whatever the number of athletes."""
    ids = [a.pk for a in athletes]
    own = dict(AthleteVersion.objects.filter(session=session, athlete__in=ids)
               .values_list("athlete_id", "notation"))
    steps = list(PlannedStep.objects.filter(session=session).order_by("position"))
    targets: dict[int, dict[int, PlannedTarget]] = defaultdict(dict)
    for target in PlannedTarget.objects.filter(step__session=session, athlete__in=ids):
        targets[target.athlete_id][target.step_id] = target
    out = availability.Absences(ids, session.date, session.date)
    logged = _logged(session, athletes)
    shorts = short_names(athletes)
    people = []
    for athlete in athletes:
        followed = [s for s in steps
                    if (s.athlete_id == athlete.pk if athlete.pk in own else s.athlete_id is None)]
        absence = out.on(athlete.pk, session.date)
        people.append({
            "id": athlete.pk, "name": athlete.display_name, "short": shorts[athlete.pk],
            "out": absence.get_reason_display().lower() if absence else "",
            "selected": absence is None,
            "reps": _reps(followed, targets[athlete.pk], own.get(athlete.pk, session.notation)),
            "logged": {str(k): v for k, v in logged[athlete.pk].items()},
        })
    return {
        "session": session.pk, "title": session.title, "tolerance": session.tolerance_pct,
        "key": f"{user.pk}:{session.pk}",
        "resultUrl": reverse("training:stopwatch-result", args=[session.pk]),
        "tableUrl": reverse("training:stopwatch-table", args=[session.pk]),
        "athletes": people,
    }


# --- a result into the log -----------------------------------------------------------------------


class Invalid(ValueError):
    """A result the server cannot apply (a bad value, a rep the log does not have)."""


@dataclass(frozen=True)
class Result:
    """One result as the phone sends it (``parse``)."""

    cid: str
    athlete_id: int
    kind: str
    position: int
    time_s: float | None = None
    distance_m: float | None = None
    confirm: bool = False


def _number(data: Mapping[str, str], name: str, *, integer: bool = False):
    text = (data.get(name) or "").strip()
    if not text:
        return None
    try:
        value = int(text) if integer else float(text)
    except ValueError as exc:
        raise Invalid(f"{name} is not a number: {text!r}") from exc
    if not math.isfinite(value) or value <= 0:
        raise Invalid(f"{name} must be above zero: {text!r}")
    return value


def parse(data: Mapping[str, str]) -> Result:
    """The posted fields: ``cid``, ``athlete``, ``kind`` (time, skip, clear, extra),
    ``position``, ``time`` (seconds), ``distance`` (metres run: a rep cut short, an extra rep)
    and ``confirm`` ("1": replace what the athlete typed)."""
    cid = (data.get("cid") or "").strip()
    if not 8 <= len(cid) <= 64:
        raise Invalid("Each result needs the id the phone gave it (cid).")
    kind = data.get("kind") or "time"
    if kind not in KINDS:
        raise Invalid(f"Unknown kind {kind!r}.")
    athlete = _number(data, "athlete", integer=True)
    position = _number(data, "position", integer=True)
    time_s = _number(data, "time")
    distance = _number(data, "distance")
    if athlete is None or (position is None and kind != "extra"):
        raise Invalid("Say whose rep it is (athlete, position).")
    if kind in ("time", "extra") and time_s is None:
        raise Invalid("A timed rep needs its time.")
    if time_s is not None and time_s > MAX_SPLIT_S:
        raise Invalid("A split longer than six hours is not a rep.")
    if kind == "extra" and distance is None:
        raise Invalid("An extra rep needs its distance.")
    return Result(cid=cid, athlete_id=athlete, kind=kind, position=position or 0,
                  time_s=round(time_s, 1) if time_s is not None else None,
                  distance_m=distance, confirm=data.get("confirm") == "1")


@dataclass
class Outcome:
    """The server's answer to one result. ``status``: ``saved``; ``repeat`` (this cid was
    applied before: nothing written); ``same`` (the athlete typed this time already: theirs
    kept); ``kept`` (an undo that found the athlete's own value: left alone); ``conflict``
    (the athlete typed another value: nothing written until the coach confirms)."""

    status: str
    result: Result
    position: int
    row: dict = field(default_factory=dict)
    athlete_time: float | None = None

    def as_json(self) -> dict:
        return {"status": self.status, "cid": self.result.cid,
                "athlete": self.result.athlete_id, "kind": self.result.kind,
                "position": self.position, "row": self.row,
                "athlete_time": self.athlete_time}


def _row(rep: RepResult | None) -> dict:
    if rep is None:
        return {}
    return {"time": rep.actual_s, "skipped": rep.skipped, "coach": rep.timed_by_id is not None,
            "distance": rep.distance_m}


def _typed_by_athlete(rep: RepResult) -> bool:
    return rep.actual_s is not None and rep.timed_by_id is None


def _values(result: Result, rep: RepResult, coach) -> dict:
    planned = rep.planned_distance_m or rep.distance_m
    if result.kind == "time":
        return {"actual_s": result.time_s, "skipped": False, "timed_by": coach,
                "distance_m": result.distance_m or planned}
    if result.kind == "skip":
        return {"actual_s": None, "skipped": True, "timed_by": coach, "distance_m": planned}
    # clear: the coach's undo of a result sent before
    return {"actual_s": None, "skipped": False, "timed_by": None, "distance_m": planned}


def record(session: Session, athlete: Athlete, coach, result: Result) -> Outcome:
    """Apply one result from the stopwatch to the athlete's log, exactly once per cid."""
    done = (SaveReceipt.objects.filter(cid=result.cid)
            .values_list("position", "log__athlete_id").first())
    if done is not None:
        position, owner = done
        if owner != athlete.pk:
            raise Invalid("This result id was used for another athlete.")
        log = SessionLog.objects.filter(session=session, athlete=athlete).first()
        return Outcome("repeat", result, position, _row(log and logbook.row_at(log, position)))
    with transaction.atomic():
        # the athlete's summary lists the coach's changes (one UPDATE for a log begun before)
        log = logbook.start_log(session, athlete, by_other=True)
        history.mark_changed_by_others(log)
        if result.kind == "extra":
            if not logbook.claim_receipt(result.cid, log.pk, 0):
                return Outcome("repeat", result, 0)
            rep = logbook.add_rep(log, distance_m=result.distance_m)
            SaveReceipt.objects.filter(cid=result.cid).update(position=rep.position)
            logbook.save_rep(rep, {"actual_s": result.time_s, "timed_by": coach})
            return Outcome("saved", result, rep.position, _row(rep))
        rep = logbook.row_at(log, result.position)
        if rep is None:
            raise Invalid(f"{athlete.display_name}’s log has no rep {result.position}.")
        if result.kind == "clear" and rep.timed_by_id is None:
            kept = logbook.claim_receipt(result.cid, log.pk, rep.position)
            return Outcome("kept" if kept else "repeat", result, rep.position, _row(rep))
        if result.kind in ("time", "skip") and _typed_by_athlete(rep):
            same = result.kind == "time" and abs(rep.actual_s - result.time_s) < SAME_TIME_S
            if same and logbook.claim_receipt(result.cid, log.pk, rep.position):
                return Outcome("same", result, rep.position, _row(rep))
            if not same and not result.confirm:
                return Outcome("conflict", result, rep.position, _row(rep),
                               athlete_time=rep.actual_s)
        if not logbook.save_rep(rep, _values(result, rep, coach), cid=result.cid):
            return Outcome("repeat", result, rep.position, _row(rep))
        return Outcome("saved", result, rep.position, _row(rep))


# --- after the session: the squad's table --------------------------------------------------------


@dataclass
class Cell:
    rep: RepResult | None
    judged: judging.Judged | None

    @property
    def status_class(self) -> str:
        if self.rep is None:
            return "is-empty"
        if self.rep.skipped:
            return "is-skipped"
        return f"status-{self.judged.status}" if self.judged and self.judged.status else ""


@dataclass
class Column:
    """One athlete of the table: their log (None before anything was saved)."""

    athlete: Athlete
    log: SessionLog | None

    @property
    def adherence(self):
        return self.log.adherence if self.log is not None else None


@dataclass
class Line:
    """One rep of the table: its position, what was planned, a cell per athlete."""

    position: int
    label: str
    cells: list[Cell]


def squad_table(session: Session, athletes: Sequence[Athlete]) -> tuple[list[Column], list[Line]]:
    """Reps by athletes: each athlete's log (if any), and per position a cell per athlete with
    the rep judged (``sessions.judging``). Two queries."""
    logs = {log.athlete_id: log for log in
            SessionLog.objects.filter(session=session, athlete__in=athletes)
            .prefetch_related("reps")}
    columns = [Column(athlete, logs.get(athlete.pk)) for athlete in athletes]
    by_position: dict[int, dict[int, RepResult]] = defaultdict(dict)
    for log in logs.values():
        log.session = session
        for rep in log.reps.all():
            rep.log = log
            by_position[rep.position][log.athlete_id] = rep
    lines = []
    for position in sorted(by_position):
        found = by_position[position]
        first = next(iter(found.values()))
        cells = []
        for column in columns:
            rep = found.get(column.athlete.pk)
            cells.append(Cell(rep, judging.judge(rep, session.tolerance_pct) if rep else None))
        lines.append(Line(position, first.amount_label or first.ran_label, cells))
    return columns, lines
