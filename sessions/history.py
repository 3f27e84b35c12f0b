"""Who changed what and when (django-simple-history, docs/history.md), and stale saves refused.

Blocks, sessions, athletes' own versions, logs and rep results each keep a history table
(``Model.history``): every save through the app writes one row there with the user of the
request (``HistoryRequestMiddleware``) and the time. Writes that go around ``save()`` (queryset
updates, ``bulk_create``) record their rows here (``record``) or are documented as re-plans
recorded at the session level.

Blocks and sessions carry a ``version``. The edit forms post the version they were drawn with;
``claim_version`` raises it with one conditional UPDATE, so of two saves drawn at the same
version exactly one passes and the other is shown what changed (``conflict``) with its own text
kept in the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Model
from django.utils import timezone

from coach import formats

from .models import AthleteVersion, RepResult, Session, SessionLog

# --- versions: stale saves refused ------------------------------------------------------------


def posted_version(data: Mapping[str, str]) -> int | None:
    """The version a form was drawn with (its hidden ``version``), or None when it did not say
    (a client of its own: nothing to compare)."""
    value = (data.get("version") or "").strip()
    return int(value) if value.isdecimal() else None


def claim_version(instance: Model, seen: int | None) -> bool:
    """Raise ``instance``'s version if the database still holds ``seen`` (one conditional
    UPDATE: ``WHERE pk = ? AND version = ?``), and keep the new number on the instance so the
    save that follows writes it. False when someone saved since: nothing is changed.

    Without ``seen`` the version is raised unconditionally (the save was not drawn from a form
    that knows it)."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if seen is not None:
        rows = rows.filter(version=seen)
    if not rows.update(version=F("version") + 1):
        return False
    instance.version = (seen if seen is not None else instance.version) + 1
    if seen is None:
        instance.refresh_from_db(fields=["version"])
    return True


def bump_version(instance: Model, reason: str = "") -> None:
    """Raise the version of a session whose plan changed outside its form (a move, "back to
    the squad's"), so a form drawn before is refused, and record the session as it now is."""
    type(instance)._default_manager.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.refresh_from_db(fields=["version"])
    record([instance], reason=reason)


def record(instances: Sequence[Model], *, reason: str = "", created: bool = False) -> None:
    """History rows for instances written around ``save()`` (a queryset update, a bulk create
    or update), as they are in memory now, by the user of the request."""
    if instances:
        type(instances[0]).history.bulk_history_create(
            instances, update=not created, default_change_reason=reason)


def user_name(user) -> str:
    if user is None:
        return "Someone"
    return getattr(user, "display_name", "") or user.get_username()


@dataclass
class FieldChange:
    """One field of a stale save: the value saved since (theirs) beside the editor's."""

    label: str
    theirs: str
    yours: str
    long: bool = False  # a workout or notes: shown as blocks, not inline


@dataclass
class Conflict:
    """A save refused because the record changed since the form was drawn."""

    noun: str
    who: str
    when: dt.datetime | None
    mine: bool  # the same user, in another tab or window
    version: int  # the version now: the form posts it to save anyway
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def when_label(self) -> str:
        """10:42 today, else Tue 1 Dec 10:42 (the server's time zone)."""
        return when_label(self.when, short=True) if self.when else ""


def when_label(when: dt.datetime, *, short: bool = False) -> str:
    when = timezone.localtime(when)
    if short and when.date() == timezone.localdate():
        return f"{when:%H:%M}"
    return f"{when:%a %-d %b} {when:%H:%M}"


Formatter = Callable[[object], str]


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%a %-d %b %Y}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def conflict(current: Model, seen: int | None, yours: Mapping[str, object],
             labels: Mapping[str, str], *, user, noun: str,
             extra: Iterable[FieldChange] = (), long: Iterable[str] = ()) -> Conflict:
    """What a refused save is shown: who saved since ``seen`` and when (the newest history row
    after it), and each field (``labels``: name to label) that changed since ``seen`` (from
    the history row of that version; without one, each field that differs from ``yours``),
    their value beside the editor's."""
    rows = current.history.filter(version__gt=seen or 0).select_related("history_user") \
        .order_by("-history_date", "-history_id")
    newest = rows.first()
    then = current.history.filter(version=seen).order_by("history_date", "history_id").first() \
        if seen is not None else None
    long = set(long)
    changes = []
    for name, label in labels.items():
        now = getattr(current, name)
        changed = (getattr(then, name) != now) if then is not None else (yours.get(name) != now)
        if changed:
            changes.append(FieldChange(label, _text(now), _text(yours.get(name)), name in long))
    changes.extend(extra)
    who = newest.history_user if newest is not None else None
    return Conflict(noun=noun, who=user_name(who), when=newest.history_date if newest else None,
                    mine=who is not None and who.pk == user.pk, version=current.version,
                    changes=changes)


def mark_changed_by_others(log: SessionLog) -> None:
    """Note on the log that someone other than its athlete wrote to it (one UPDATE, the first
    time only): its summary then lists their changes (``log_changes``)."""
    if not log.changed_by_others:
        SessionLog.objects.filter(pk=log.pk).update(changed_by_others=True)
        log.changed_by_others = True


# --- what the pages show --------------------------------------------------------------------

SESSION_FIELDS = {"date": "Date", "slot": "Time of day", "title": "Title",
                  "notation": "Workout", "notes": "Notes", "tolerance_pct": "Tolerance (%)"}


@dataclass
class Entry:
    """One line of a history: who, when, and what."""

    who: str
    when: dt.datetime
    what: str
    details: list[str] = field(default_factory=list)

    @property
    def when_label(self) -> str:
        return when_label(self.when)


def _diff(before, after, labels: Mapping[str, str], fmt: Formatter = _text) -> list[str]:
    out = []
    for name, label in labels.items():
        old, new = (getattr(before, name) if before is not None else None), getattr(after, name)
        if old != new and not (before is None and new in (None, "", False)):
            out.append(f"{label} from {fmt(old)} to {fmt(new)}" if before is not None
                       else f"{label} {fmt(new)}")
    return out


def _consecutive(rows: Iterable, key: str = "id"):
    """(previous row of the same object or None, row), oldest first."""
    last = {}
    for row in rows:
        yield last.get(getattr(row, key)), row
        last[getattr(row, key)] = row


def _versions(history) -> Iterator[tuple]:
    """(the object's previous version or None, a version, the name of who wrote it), oldest
    first, from a history queryset: one query."""
    rows = history.select_related("history_user").order_by("history_date", "history_id")
    for before, row in _consecutive(rows):
        yield before, row, user_name(row.history_user)


def _versions_by_others(history, owner: int) -> Iterator[tuple]:
    """``_versions`` written by someone other than ``owner`` (a user id); writes without a
    user (scripts) are left out."""
    for before, row, who in _versions(history):
        if row.history_user_id is not None and row.history_user_id != owner:
            yield before, row, who


def plan_changes(session: Session, names: Mapping[int, str], *, limit: int = 12) -> list[Entry]:
    """The session's plan changes, newest first: what an editor of the session changed (the
    fields of the form, a move), re-plans with their reason, and the athletes' own versions
    written, changed or dropped. Two queries. ``names``: athlete id to the name shown."""
    entries = []
    for before, row, who in _versions(session.history.all()):
        if row.history_type == "+":
            entries.append(Entry(who, row.history_date, "created the session"))
            continue
        details = _diff(before, row, SESSION_FIELDS)
        if details or row.history_change_reason:
            entries.append(Entry(who, row.history_date,
                                 row.history_change_reason or "changed the session", details))
    for before, row, who in _versions(AthleteVersion.history.filter(session_id=session.pk)):
        name = names.get(row.athlete_id, "an athlete")
        if row.history_type == "-":
            entries.append(Entry(who, row.history_date, f"dropped {name}’s own version"))
        elif before is None or before.history_type == "-":
            entries.append(Entry(who, row.history_date, f"wrote {name}’s own version",
                                 [f"Workout {row.notation}"]))
        elif before.notation != row.notation:
            entries.append(Entry(who, row.history_date, f"changed {name}’s own version",
                                 [f"Workout from {before.notation} to {row.notation}"]))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _rep_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


REP_FIELDS: dict[str, tuple[str, Formatter]] = {
    "actual_s": ("time", lambda v: "—" if v is None else formats.format_time(v)),
    "distance_m": ("distance run", lambda v: "—" if v is None else formats.format_amount(v, None)),
    "skipped": ("skipped", _rep_value),
    "avg_hr": ("heart rate", _rep_value),
    "lactate": ("lactate", _rep_value),
    "note": ("note", _rep_value),
}
def _split_of(distance_m: float | None) -> Formatter:
    return lambda v: "—" if v is None else formats.format_split(v, distance_m)


LOG_FIELDS = {"date_done": "date run", "rpe": "effort", "duration_s": "duration",
              "distance_m": "distance", "feeling": "feeling", "notes": "notes",
              "completed": "finished"}


def log_changes(log: SessionLog) -> list[Entry]:
    """Changes to the log and its reps made by someone other than its athlete (a coach's
    stopwatch, an admin), oldest first: "Carla Reyes changed rep 5 from 1:09.8 to 1:08.9".
    Writes without a user (scripts) are left out. Two queries, and none for a log no one else
    wrote to (``SessionLog.changed_by_others``)."""
    if not log.changed_by_others:
        return []
    owner = log.athlete.user_id
    entries = []
    for before, row, who in _versions_by_others(RepResult.history.filter(log_id=log.pk), owner):
        if row.history_type == "-":
            entries.append(Entry(who, row.history_date, f"removed rep {row.position}"))
            continue
        details = []
        for name, (label, fmt) in REP_FIELDS.items():
            if name == "actual_s":  # as the summary shows splits: 68.9, 2:48.0
                fmt = _split_of(row.distance_m)
            old = getattr(before, name) if before is not None else None
            new = getattr(row, name)
            if before is None and name == "distance_m":
                continue  # a new row's planned distance is no change
            if old != new and not (before is None and new in (None, "", False)):
                details.append(f"{label} from {fmt(old)} to {fmt(new)}")
        if details:
            entries.append(Entry(who, row.history_date, f"changed rep {row.position}", details))
    for before, row, who in _versions_by_others(SessionLog.history.filter(id=log.pk), owner):
        if row.history_type == "+":
            entries.append(Entry(who, row.history_date, "started the log"))
            continue
        details = _diff(before, row, LOG_FIELDS, _rep_value)
        if details:
            entries.append(Entry(who, row.history_date, "changed the log", details))
    entries.sort(key=lambda e: e.when)
    return entries
