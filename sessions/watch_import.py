"""A watch file into a log (issue 14): read it, match its laps to the planned reps, let the
athlete review the match, then fill the log (docs/watch-import.md).

Reading and matching are ``sessions.watch``'s (``files.read_activity``, ``matching.match_reps``);
this module is the log's side of it:

- ``upload``: a file read and matched is stored, with the match, as the log's one pending
  ``DeviceImport`` (a new upload replaces the pending one and its file). A file that cannot be
  read stores nothing and changes nothing (``WatchFileError``, its message for the page).
- ``review``: the match as rows for the review table: each planned rep with the lap matched to
  it (time, distance, heart rate, how it was matched), its deviation from the target, and the
  split the athlete typed already when it differs; the laps matched to no rep ("extras").
  The athlete may give a rep another lap (``choices``: a rep's own match, another rep's, an
  extra, or none).
- ``accept`` (``logbook.fill_from_device``): the chosen values into the rows, marked
  ``from_device``; a split the athlete typed (or the coach timed) stays unless they ticked
  "use the watch's" for that rep.

What the match stores (``DeviceImport.matches``) is plain JSON: the candidates (every lap or
group of laps matched to a rep, and every extra, in the order they were run, each with an id
``c1``, ``c2``...) and, per planned rep, the id of its candidate (none when missing) and how it
was matched. Reassigning a lap only changes which candidate a rep points to: the file is not
read again.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from coach import formats

from . import judging, logbook
from .models import DeviceImport, ImportStatus, RepResult, SessionLog
from .watch.files import MAX_FILE_BYTES, WatchFileError, read_activity
from .watch.matching import PlannedRep, match_reps

__all__ = ["MAX_FILE_BYTES", "WatchFileError", "ENDINGS", "upload", "review", "accept"]

ENDINGS = DeviceImport.ENDINGS
SAME_TIME_S = 0.05  # a typed split within this of the watch's is the same split
HOW_LABELS = {
    "workout step": "workout step", "aligned": "aligned", "split": "split", "merged": "merged",
    "missing": "missing", "reassigned": "chosen by you",
}
HOW_HELP = {
    "workout step": "the watch's own step of the workout it ran",
    "aligned": "laps lined up with the plan by their distances and times",
    "split": "two laps joined: the lap button was pressed during the rep",
    "merged": "one lap held two reps (a press missed): cut at the planned distance",
    "missing": "nothing on the watch for this rep",
    "reassigned": "the lap you chose",
}
METHODS = {
    "workout step": "by the workout steps the watch ran",
    "laps": "by your laps",
    "track": "by the fast stretches of the track (no laps to go by)",
    "none": "",
}


def has_allowed_ending(name: str) -> bool:
    return name.lower().endswith(ENDINGS)


# --- upload: read, match, keep ------------------------------------------------------------------


def planned_reps(rows: list[RepResult]) -> list[PlannedRep]:
    """The log's planned rows as the matcher takes them (added reps are not matched)."""
    return [PlannedRep(position=row.position, distance_m=row.planned_distance_m,
                       duration_s=row.duration_s if row.is_timed else None)
            for row in rows if not row.extra]


def _clock(seconds: float | None) -> str:
    minutes, rest = divmod(int(seconds or 0), 60)
    return f"{minutes}:{rest:02d}"


def _label(pieces, lap_indexes, start_s, how) -> str:
    """How the athlete finds a candidate on their watch: its lap (or stretch) and when it
    began on the watch's timer."""
    own = [pieces[i] for i in lap_indexes if i in pieces]
    if not own:
        return f"From {_clock(start_s)}"
    laps = sorted({p.lap_index for p in own if p.lap_index is not None})
    at = _clock(start_s if start_s is not None else own[0].start_s)
    if not laps:
        return f"Stretch from {at}"
    name = f"Lap {laps[0] + 1}" if len(laps) == 1 else f"Laps {laps[0] + 1}–{laps[-1] + 1}"
    if how == "merged":
        name = f"Part of lap {laps[0] + 1}"
    return f"{name} (from {at})"


def match_document(result) -> dict:
    """The match as it is stored (``DeviceImport.matches``): candidates in running order
    (every rep's match, and every piece matched to no rep), each rep pointing at its own."""
    pieces = {p.index: p for p in result.pieces}
    found = []  # (start, order, candidate, rep position or None)
    for order, rep in enumerate(result.reps):
        if rep.how == "missing" or rep.time_s is None:
            continue
        found.append((rep.start_s or 0.0, order, {
            "label": _label(pieces, rep.lap_indexes, rep.start_s, rep.how),
            "time_s": rep.time_s, "distance_m": rep.distance_m, "avg_hr": rep.avg_hr},
            rep.position))
    for order, extra in enumerate(result.extras, start=len(result.reps)):
        found.append((extra.start_s or 0.0, order, {
            "label": _label(pieces, (extra.lap_index,), extra.start_s, "extra"),
            "time_s": extra.time_s, "distance_m": extra.distance_m, "avg_hr": extra.avg_hr},
            None))
    found.sort(key=lambda item: item[:2])
    candidates, own = [], {}
    for number, (_start, _order, candidate, position) in enumerate(found, start=1):
        candidate["id"] = f"c{number}"
        candidates.append(candidate)
        if position is not None:
            own[position] = candidate["id"]
    return {
        "method": result.method,
        "candidates": candidates,
        "reps": [{"position": rep.position, "candidate": own.get(rep.position),
                  "how": rep.how} for rep in result.reps],
    }


def _totals(activity) -> dict:
    """The run's time (the watch's timer: without its pauses) and distance, for the log's own
    boxes where the athlete left them empty."""
    distance = sum(lap.distance_m or 0 for lap in activity.laps)
    if not distance:
        distance = max((p.distance_m or 0 for p in activity.points), default=0)
    return {"duration_s": activity.duration_s or None, "distance_m": distance or None}


def upload(log_session, athlete, *, data: bytes, filename: str, user) -> DeviceImport:
    """Read and match the file, then keep it as the log's pending import (the log begins now
    if it had not: dated the day the file was recorded, in the block's time zone). Raises
    ``WatchFileError`` with the message for the page, having stored nothing."""
    activity = read_activity(data, filename)
    with transaction.atomic():
        entry = logbook.start_log(log_session, athlete,
                                  date_done=_day_run(activity, log_session))
        rows = list(entry.reps.all())
        result = match_reps(activity, planned_reps(rows))
        for old in entry.device_imports.filter(status=ImportStatus.PENDING):
            _delete_with_file(old)
        pending = DeviceImport(
            log=entry, filename=filename[-200:], size=len(data), source=activity.source,
            device=(activity.device or "")[:120], started_at=activity.started_at,
            uploaded_by=user, matches={**match_document(result), "totals": _totals(activity)})
        pending.file.save(filename, ContentFile(data), save=False)
        try:
            pending.save()
        except Exception:
            pending.file.delete(save=False)
            raise
    return pending


def _delete_with_file(device_import: DeviceImport) -> None:
    name = device_import.file.name
    storage = device_import.file.storage
    device_import.delete()
    transaction.on_commit(lambda: storage.delete(name))


DAYS_APART = 7  # a file recorded further than this from the session's date is not its day


def day_recorded(started_at: dt.datetime | None, block) -> dt.date | None:
    """The day a file was recorded, where the block is."""
    if started_at is None:
        return None
    if timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at, dt.UTC)
    return timezone.localtime(started_at, block.tz).date()


def _day_run(activity, log_session) -> dt.date:
    """A new log's "Date run": the day the file was recorded, unless that is far from the
    session's date (a wrong file, or a watch whose clock was never set); else today, as the
    log form dates it."""
    day = day_recorded(activity.started_at, log_session.block)
    if day is None or abs((day - log_session.date).days) > DAYS_APART:
        return log_session.block.today()
    return day


def date_warning(device_import: DeviceImport, log_session) -> str:
    """A word when the file was recorded on another day than the session's."""
    day = day_recorded(device_import.started_at, log_session.block)
    if day is None or abs((day - log_session.date).days) <= 1:
        return ""
    return (f"This file was recorded on {day:%a %-d %b %Y}; the session was planned for "
            f"{log_session.date:%a %-d %b %Y}. Is it the right file?")


# --- review -----------------------------------------------------------------------------------


@dataclass
class Choice:
    id: str
    label: str


@dataclass
class ReviewRow:
    """One planned rep in the review table."""

    position: int
    rep: RepResult
    amount: str
    target: str
    candidate: dict | None
    how: str
    chosen: str  # the candidate id chosen ("" for none)
    time_s: float | None = None
    distance_m: float | None = None
    avg_hr: int | None = None
    deviation: str = ""
    status: str = ""
    status_label: str = ""
    typed_s: float | None = None  # the split already in the log, when it differs
    typed_by: str = ""  # "you" or "the coach"
    skipped: bool = False  # the athlete skipped it already
    use_watch: bool = False  # the athlete ticked "use the watch's"
    shared: bool = False  # another rep has the same lap
    same: bool = False  # the split in the log is the watch's already (typed the same)

    @property
    def how_label(self) -> str:
        return HOW_LABELS.get(self.how, self.how)

    @property
    def how_help(self) -> str:
        return HOW_HELP.get(self.how, "")

    @property
    def conflict(self) -> bool:
        return self.candidate is not None and (self.typed_s is not None or self.skipped)

    @property
    def writes(self) -> bool:
        """Accepting writes something into this rep."""
        return bool(values_of(self))


@dataclass
class Review:
    device_import: DeviceImport
    rows: list[ReviewRow]
    extras: list[dict]
    choices: list[Choice]
    matched: int
    planned: int
    shared: list[str] = field(default_factory=list)  # "Lap 7 ... is given to reps 4 and 5"
    method: str = ""  # how the laps were found: "from your laps"

    @property
    def conflicts(self) -> int:
        return sum(1 for row in self.rows if row.conflict)

    @property
    def filling(self) -> int:
        return sum(1 for row in self.rows if row.writes)


def candidate_label(candidate: dict, distance_m: float | None = None) -> str:
    """A lap as the list offers it: ``Lap 7 (from 24:10) · 68.9 · 402 m``."""
    parts = [candidate["label"], formats.format_split(candidate["time_s"], distance_m)]
    if candidate.get("distance_m"):
        parts.append(f"{candidate['distance_m']:.0f} m")
    return " · ".join(parts)


def _typed(rep: RepResult) -> float | None:
    """The split in the log that is the athlete's (or the coach's), not a watch's."""
    if rep.actual_s is None or rep.from_device:
        return None
    return rep.actual_s


def _picks(doc: dict, positions: list[int], chosen: Mapping[int, str]) -> dict[int, str]:
    """Each rep's candidate once the athlete's choices are applied (as
    ``sessions.watch.matching.reassign`` does it): a rep given a lap another rep held takes it,
    and that other rep, left at its own, has none."""
    known = {c["id"] for c in doc.get("candidates", [])}
    own = {rep["position"]: rep["candidate"] or "" for rep in doc.get("reps", [])}
    picks = {}
    for position in positions:
        pick = chosen.get(position, own[position])
        picks[position] = pick if pick in known or pick == "" else own[position]
    claimed = {pick for position, pick in picks.items() if pick and pick != own[position]}
    return {position: "" if pick == own[position] and pick in claimed else pick
            for position, pick in picks.items()}


def review(device_import: DeviceImport, rows: list[RepResult], tolerance_pct: float, *,
           chosen: Mapping[int, str] | None = None,
           use_watch: frozenset[int] = frozenset()) -> Review:
    """The review table of a pending import against the log's rows (``chosen``: the
    candidate the athlete picked per rep position, "" for none; ``use_watch``: the positions
    whose typed split they let the watch's replace)."""
    doc = device_import.matches
    candidates = {c["id"]: c for c in doc.get("candidates", [])}
    by_position = {rep["position"]: rep for rep in doc.get("reps", [])}
    planned = [rep for rep in rows if not rep.extra and rep.position in by_position]
    picks = _picks(doc, [rep.position for rep in planned], chosen or {})
    table, taken = [], {}
    for rep in planned:
        match = by_position[rep.position]
        pick = picks[rep.position]
        how = match["how"] if pick == (match["candidate"] or "") else (
            "reassigned" if pick else "missing")
        candidate = candidates.get(pick)
        row = ReviewRow(position=rep.position, rep=rep, amount=rep.amount_label,
                        target=_target_text(rep), candidate=candidate, how=how, chosen=pick,
                        skipped=rep.skipped, use_watch=rep.position in use_watch)
        if candidate:
            row.time_s, row.avg_hr = candidate["time_s"], candidate.get("avg_hr")
            row.distance_m = candidate.get("distance_m")
            _judge(row, rep, tolerance_pct)
            taken.setdefault(pick, []).append(rep.position)
        typed = _typed(rep)
        if typed is not None and (row.time_s is None or abs(typed - row.time_s) > SAME_TIME_S):
            row.typed_s = typed
            row.typed_by = "the coach" if rep.timed_by_id else "you"
        elif typed is not None:
            row.same = True
        table.append(row)
    shared = []
    for pick, positions in taken.items():
        if len(positions) > 1:
            for row in table:
                row.shared = row.shared or row.chosen == pick
            shared.append(f"{candidates[pick]['label']} is given to reps "
                          + " and ".join(str(p) for p in positions))
    extras = [c for c in candidates.values() if c["id"] not in taken]
    return Review(
        device_import=device_import, rows=table, extras=extras,
        choices=[Choice(c["id"], candidate_label(c)) for c in candidates.values()],
        matched=sum(1 for row in table if row.candidate), planned=len(table), shared=shared,
        method=METHODS.get(doc.get("method", ""), ""))


def _target_text(rep: RepResult) -> str:
    target = judging.rep_target(rep)
    if target is None:
        return rep.target_text or ""
    return formats.format_range(target[0], target[1], distance_m=rep.distance_m)


def _judge(row: ReviewRow, rep: RepResult, tolerance_pct: float) -> None:
    """The watch's time against the rep's target, as the log would judge it."""
    trial = copy.copy(rep)
    trial.actual_s, trial.skipped = row.time_s, False
    if rep.is_timed and row.distance_m:
        trial.distance_m = row.distance_m
    verdict = judging.judge(trial, tolerance_pct)
    row.deviation = verdict.deviation_label
    row.status, row.status_label = verdict.status or "", verdict.status_label


# --- accept -----------------------------------------------------------------------------------


def values_of(row: ReviewRow) -> dict[str, object]:
    """What accepting writes into one rep: the watch's time, its heart rate (in the log's
    range) and, for a rep of a set time, the distance run; marked as from the watch. A rep
    planned by distance keeps its distance: a watch's GPS distance for a 400 m rep is not a
    rep cut short. Nothing over a split the athlete typed (or the coach timed) unless they
    ticked "use the watch's"; where theirs is the watch's already, only an empty heart rate."""
    rep, hr = row.rep, row.avg_hr
    if row.candidate is None or (row.conflict and not row.use_watch):
        return {}
    hr_fits = hr is not None and 25 <= hr <= 250
    if row.same:  # the athlete's split is the watch's: it stays theirs, an empty HR is filled
        return {"avg_hr": round(hr)} if hr_fits and rep.avg_hr is None else {}
    values: dict[str, object] = {"actual_s": round(row.time_s, 1), "from_device": True,
                                 "timed_by": None, "skipped": False}
    if hr_fits and (rep.avg_hr is None or row.use_watch or rep.from_device):
        values["avg_hr"] = round(hr)
    if rep.is_timed and row.distance_m and row.distance_m > 0:
        values["distance_m"] = round(row.distance_m)
    current = {name: getattr(rep, "timed_by_id" if name == "timed_by" else name)
               for name in values}
    if all(current[name] == value for name, value in values.items()):
        return {}  # the same file again: nothing to write
    return values


def accept(table: Review, rows: list[RepResult]) -> int:
    """Fill the log from the reviewed match (``logbook.fill_from_device``) and mark the import
    accepted; the number of reps filled. A lap given to two reps is not accepted
    (``table.shared``: the page asks for another lap first)."""
    if table.shared:
        raise ValueError("a lap is given to two reps")
    item = table.device_import
    changes = {row.position: values for row in table.rows if (values := values_of(row))}
    return logbook.fill_from_device(item.log, rows, changes, device_import=item,
                                    totals=item.matches.get("totals") or {})


def pending_import(entry: SessionLog) -> DeviceImport | None:
    if entry.pk is None:
        return None
    return entry.device_imports.filter(status=ImportStatus.PENDING).first()
