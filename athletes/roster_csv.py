"""The roster as CSV: read a file into rows, plan what each row would do, write the export.

Columns: ``name, email, main event, squad, coach email``. Extra columns (such as the export's
``active``) are ignored, so an exported file imports again. A row whose email is already an
athlete's updates that athlete (squad, main event, added coaches); a blank cell leaves the
value as it is. A squad that does not exist yet is created. Coaches must exist already.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower

from .models import Athlete, Event, Squad, User

COLUMNS = ["name", "email", "main event", "squad", "coach email"]
REQUIRED = ["name", "email"]
ALIASES = {"main_event": "main event", "event": "main event", "coach": "coach email",
           "coach emails": "coach email", "coaches": "coach email"}
MAX_ROWS = 2000
EXPORT_COLUMNS = [*COLUMNS, "active"]


class CSVFormatError(ValueError):
    """The file as a whole cannot be read (not a row's problem)."""


def _event_lookup() -> dict[str, str]:
    table = {}
    for key, label in Event.choices:
        for spelling in (key, label, label.replace(" ", ""), label.replace(",", "")):
            table[spelling.casefold()] = key
    table["10000 m"] = table["10000m"] = "10k"
    return table


EVENTS = _event_lookup()


@dataclass
class RowPlan:
    """One data row: what it says, what importing it would do, and what is wrong with it."""

    number: int  # the row as a spreadsheet counts it: the header is row 1
    name: str = ""
    email: str = ""
    main_event: str = ""
    event_text: str = ""  # as typed, shown when it is not an event we know
    squad_name: str = ""
    coach_emails: list[str] = field(default_factory=list)
    squad: Squad | None = None  # an existing squad; None with squad_name set -> a new one
    coaches: list[User] = field(default_factory=list)
    user: User | None = None  # an existing account without an athlete profile
    athlete: Athlete | None = None  # an existing athlete this row updates
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def event_label(self) -> str:
        return dict(Event.choices).get(self.main_event, "")


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by canonical column name) for each non-blank row.

    Raises CSVFormatError for faults of the whole file. Commas, semicolons or tabs separate
    the cells, whichever the header line uses most.
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CSVFormatError("The file is empty.")
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        names = [_column(h) for h in next(reader)]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise CSVFormatError(
                "The first line must name the columns "
                f"({', '.join(COLUMNS)}); missing: {', '.join(missing)}."
            )
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            rows.append((number, {n: (cells[i].strip() if i < len(cells) else "")
                                  for i, n in enumerate(names) if n in COLUMNS}))
            if len(rows) > MAX_ROWS:
                raise CSVFormatError(f"More than {MAX_ROWS} rows; split the file.")
    except csv.Error as exc:
        raise CSVFormatError(f"Line {reader.line_num} cannot be read: {exc}.") from exc
    if not rows:
        raise CSVFormatError("The file has a header but no rows.")
    return rows


def _column(header: str) -> str:
    name = " ".join(header.casefold().replace("_", " ").split())
    return ALIASES.get(name, name)


def plan_rows(rows: list[tuple[int, dict[str, str]]], *, actor: User) -> list[RowPlan]:
    """Check every row against the database and the other rows, as ``actor`` would write
    them; nothing is written."""
    emails = {r.get("email", "").strip().lower() for _, r in rows} | {
        e for _, r in rows for e in _emails(r.get("coach email", ""))
    }
    emails.discard("")
    people = {}
    found = (
        User.objects.annotate(email_cf=Lower("email"), username_cf=Lower("username"))
        .filter(Q(email_cf__in=emails) | Q(username_cf__in=emails))
        .select_related("athlete")
    )
    for user in found.prefetch_related("athlete__coaches"):
        people.setdefault(user.email.lower(), user)
        people.setdefault(user.username.lower(), user)
    squads = {s.name.casefold(): s for s in Squad.objects.all()}
    seen: dict[str, int] = {}
    return [_plan(number, row, people, squads, seen, actor) for number, row in rows]


def _emails(cell: str) -> list[str]:
    return [e.lower() for e in re.split(r"[\s,;]+", cell) if e]


def _plan(number: int, row: dict[str, str], people: dict[str, User],
          squads: dict[str, Squad], seen: dict[str, int], actor: User) -> RowPlan:
    plan = RowPlan(number=number, name=" ".join(row.get("name", "").split()),
                   email=row.get("email", "").strip().lower(),
                   squad_name=" ".join(row.get("squad", "").split()),
                   coach_emails=_emails(row.get("coach email", "")))
    if not plan.name:
        plan.errors.append("The name is missing.")
    elif len(plan.name) > 100:
        plan.errors.append("The name is longer than 100 characters.")
    _plan_email(plan, people, seen, actor)
    _plan_event(plan, row.get("main event", ""))
    _plan_squad(plan, squads)
    _plan_coaches(plan, people)
    if not plan.errors and plan.athlete is not None and not plan.changes:
        plan.changes.append("Already on the roster: no change.")
    return plan


def _plan_email(plan: RowPlan, people: dict[str, User], seen: dict[str, int],
                actor: User) -> None:
    if not plan.email:
        plan.errors.append("The email is missing.")
        return
    try:
        validate_email(plan.email)
    except ValidationError:
        plan.errors.append(f"“{plan.email}” is not an email address.")
        return
    if plan.email in seen:
        plan.errors.append(f"The email {plan.email} is also on row {seen[plan.email]}.")
        return
    seen[plan.email] = plan.number
    user = people.get(plan.email)
    if user is None:
        plan.changes.append(f"Creates an account for {plan.name or plan.email}.")
    elif user.athlete_or_none is not None:
        plan.athlete = user.athlete
        if not user.is_active:
            plan.changes.append(f"Updates {plan.athlete.display_name} (who has left).")
    elif not actor.may_manage_account_of(user):
        plan.errors.append(f"{plan.email} is an admin's account: only a superuser can make it "
                           "an athlete's.")
    else:
        plan.user = user
        plan.changes.append(f"Adds an athlete profile to {user.display_name}'s account.")


def _plan_event(plan: RowPlan, raw: str) -> None:
    text = " ".join(raw.split())
    plan.event_text = text
    if not text:
        return
    key = EVENTS.get(text.casefold())
    if key is None:
        known = ", ".join(k for k in Event.values)
        plan.errors.append(f"Unknown main event “{text}” (use one of {known}).")
        return
    plan.main_event = key
    if plan.athlete is not None and plan.athlete.main_event != key:
        plan.changes.append(f"Main event becomes {plan.event_label}.")


def _plan_squad(plan: RowPlan, squads: dict[str, Squad]) -> None:
    if not plan.squad_name:
        return
    if len(plan.squad_name) > 100:
        plan.errors.append("The squad name is longer than 100 characters.")
        return
    plan.squad = squads.get(plan.squad_name.casefold())
    if plan.squad is None:
        plan.changes.append(f"Creates the squad {plan.squad_name}.")
    else:
        plan.squad_name = plan.squad.name
    if plan.athlete is None:
        plan.changes.append(f"Joins {plan.squad_name}.")
    elif plan.squad is None or plan.athlete.squad_id != plan.squad.pk:
        plan.changes.append(f"Moves to {plan.squad_name}.")


def _plan_coaches(plan: RowPlan, people: dict[str, User]) -> None:
    current = set()
    if plan.athlete is not None:
        current = {c.pk for c in plan.athlete.coaches.all()}
    for email in plan.coach_emails:
        coach = people.get(email)
        if coach is None:
            plan.errors.append(f"No coach has the email {email}.")
        elif not coach.is_coach or not coach.is_active:
            plan.errors.append(f"{coach.display_name} ({email}) is not an active coach.")
        elif coach.pk not in current and coach not in plan.coaches:
            plan.coaches.append(coach)
            plan.changes.append(f"Coached by {coach.display_name}.")


def plan_digest(plans: Iterable[RowPlan]) -> str:
    """A fingerprint of what a preview promised, so a confirm writes only what was shown."""
    shown = [(p.number, p.errors, p.changes) for p in plans]
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def write_csv(athletes: Iterable[Athlete]) -> str:
    """The roster as CSV text (athletes need ``user``, ``squad`` and ``coaches`` loaded)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for a in athletes:
        writer.writerow([_safe(v) for v in (
            a.display_name, a.user.email, a.get_main_event_display() if a.main_event else "",
            a.squad.name if a.squad else "", " ".join(c.email for c in a.coaches.all()),
            "yes" if a.user.is_active else "no",
        )])
    return out.getvalue()


def _safe(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
