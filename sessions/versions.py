"""Per-athlete versions of a squad session: what each athlete follows, and how the coach sets it.

The coach plans one session for the squad and may give any athlete their own version: another
notation (fewer reps, another target group), stored as an ``AthleteVersion`` and planned as that
athlete's own steps and targets (``planning.plan_session``). Everything that reads a session
for one athlete asks here or ``Session.steps_for``:

- ``followed_plan(session, athlete)``: the plan the athlete follows, their version or the
  session itself (both have ``notation``, ``rep_count``, ``work_distance_m``,
  ``total_distance_m``, ``work_duration_s``, ``estimated_duration_s``);
- ``Session.steps_for(athlete)`` / ``PlannedStep.objects.followed_by(athlete)``: their steps.

Writing: ``VersionsForm`` (a box per athlete on the session form, empty = the squad's),
``save_versions`` and ``back_to_squad``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from athletes.models import Athlete
from coach import notation, prepared
from coach.jinja2 import render_fragment

from . import history, preview, step_rows, volumes
from .forms import notation_message
from .models import AthleteVersion, Block, Session
from .planning import plan_athlete

# --- reading ----------------------------------------------------------------------------------


def version_of(session: Session, athlete: Athlete | int) -> AthleteVersion | None:
    """The athlete's own version of the session, or None when they follow the squad's."""
    athlete_id = getattr(athlete, "pk", athlete)
    return session.versions.filter(athlete_id=athlete_id).first()


def followed_plan(session: Session, athlete: Athlete | int) -> Session | AthleteVersion:
    """What the athlete follows in this session: their own version, or the squad's (the
    session). Read its ``notation`` and totals; its steps are ``session.steps_for(athlete)``."""
    return version_of(session, athlete) or session


def notation_for(session: Session, athlete: Athlete | int) -> str:
    """The workout the athlete runs in this session, as the coach wrote it."""
    return followed_plan(session, athlete).notation


# --- the session form's boxes --------------------------------------------------------------------


def field_name(athlete: Athlete) -> str:
    return f"version-{athlete.pk}"


class VersionsForm(forms.Form):
    """A notation box per athlete of the block, under the squad's workout: empty (or the same
    as the squad's) means the athlete follows the squad's. Each box is read by the same parser
    as the squad's and says what is wrong next to it."""

    def __init__(self, data=None, *, block: Block, athletes: Sequence[Athlete],
                 session: Session | None = None):
        existing = {}
        if session is not None and session.pk:  # ``session.versions.all()``, compiled once
            existing = {v.athlete_id: v for v in prepared.objects(
                "versions_form.existing", _session_versions_query, session.pk)}
        initial = {field_name(a): existing[a.pk].notation for a in athletes if a.pk in existing}
        super().__init__(data, initial=initial)
        self.block = block
        self.athletes = list(athletes)
        self.existing = existing
        self.workouts: dict[int, notation.Workout] = {}
        for athlete in self.athletes:
            self.fields[field_name(athlete)] = _box(athlete.display_name)

    def clean(self):
        data = super().clean()
        for athlete in self.athletes:
            name = field_name(athlete)
            text = (data.get(name) or "").strip()
            data[name] = text
            if not text:
                continue
            try:
                self.workouts[athlete.pk] = notation.parse(text)
            except notation.NotationError as exc:
                self.add_error(name, notation_message(exc))
                continue
            labels = {(part.label or "").upper() for part in self.workouts[athlete.pk].parts}
            if {"AM", "PM"} <= labels:
                self.add_error(name, "This version has an AM and a PM part: a session is one "
                                     "run, so write only this session's part.")
        return data

    def notations(self, squad: str) -> dict[int, str]:
        """Each athlete's own notation by athlete id; empty (the squad's) when the box is empty
        or holds the squad's workout as it is."""
        result = {}
        for athlete in self.athletes:
            text = self.cleaned_data.get(field_name(athlete), "")
            result[athlete.pk] = "" if _same_text(text, squad) else text
        return result

    def rows(self) -> list[dict]:
        """The boxes as the template shows them: the athlete, the box's name, id, value (as
        typed, or their version's) and errors, and their version."""
        rows = []
        if not self.is_bound and self.auto_id == "id_%s" and not self.prefix:
            # unbound: each box holds its initial value (its version's), without errors, as
            # its ``BoundField`` reads them (name, ``id_<name>``, ``initial``)
            for athlete in self.athletes:
                name = field_name(athlete)
                value = self.initial.get(name)
                rows.append({"athlete": athlete, "name": name, "id": f"id_{name}",
                             "value": "" if value is None else value, "errors": (),
                             "version": self.existing.get(athlete.pk)})
            return rows
        for athlete in self.athletes:
            field = self[field_name(athlete)]
            value = field.value()
            rows.append({"athlete": athlete, "name": field.html_name, "id": field.id_for_label,
                         "value": "" if value is None else value, "errors": field.errors,
                         "version": self.existing.get(athlete.pk)})
        return rows

    def render(self, preview_url: str) -> str:
        """The boxes (``templates/jinja2/training/version_fields.html``): a row per athlete,
        each sending the form to the live preview (``preview_url``) as it is typed in."""
        if not self.athletes:
            return ""
        return render_fragment("training/version_fields.html",
                               {"rows": self.rows(), "preview_url": preview_url})


_BOX = forms.CharField(
    required=False, max_length=2000,
    widget=forms.Textarea(attrs={
        "class": "notation version-notation", "rows": 1, "spellcheck": "false",
        "autocapitalize": "off", "autocomplete": "off", "placeholder": "The squad’s workout",
    }),
)


def _box(label: str) -> forms.CharField:
    """An athlete's box, labelled with their name: a copy of ``_BOX`` made as a form copies its
    declared fields (``Field.__deepcopy__``: the field, its widget and their attributes,
    error messages and validators), without building a field and a widget (20 a form)."""
    box = copy.copy(_BOX)
    box.label = label
    box.widget = copy.copy(_BOX.widget)
    box.widget.attrs = _BOX.widget.attrs.copy()
    box.error_messages = _BOX.error_messages.copy()
    box.validators = _BOX.validators[:]
    return box


def _session_versions_query(session_id: int):
    return AthleteVersion.objects.filter(session=session_id)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


# --- writing ------------------------------------------------------------------------------------


@transaction.atomic
def save_versions(session: Session, notations: Mapping[int, str]) -> None:
    """Store the athletes' own notations (athlete id to text; empty: back to the squad's).

    A version whose text changes, or a new one, records the squad's workout it was written
    against. Planning is the caller's (``plan_session`` plans every version with the squad)."""
    existing = {v.athlete_id: v for v in session.versions.all()}
    gone = [v.pk for aid, v in existing.items() if not notations.get(aid, v.notation)]
    if gone:
        AthleteVersion.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for athlete_id, text in notations.items():
        if not text:
            continue
        version = existing.get(athlete_id)
        if version is None:
            new.append(AthleteVersion(session=session, athlete_id=athlete_id, notation=text,
                                      squad_notation=session.notation))
        elif version.notation != text:
            version.notation, version.squad_notation = text, session.notation
            changed.append(version)
    # each with its history row (who wrote it, when: sessions/history.py)
    bulk_create_with_history(new, AthleteVersion)
    if changed:
        bulk_update_with_history(changed, AthleteVersion, ["notation", "squad_notation"])


@transaction.atomic
def back_to_squad(session: Session, athlete: Athlete) -> bool:
    """Drop the athlete's own version: they follow the squad's again, re-planned now (only
    their steps and targets change). False when they had no version."""
    deleted, _ = session.versions.filter(athlete=athlete).delete()
    if not deleted:
        return False
    plan_athlete(session, athlete)
    # a form drawn before would bring the version back: a new version of the session
    history.bump_version(session, f"{athlete.display_name} follows the squad’s workout again")
    return True


# --- the pages: each version as its own section ----------------------------------------------


@dataclass
class VersionSection:
    """One athlete's own version as the session page and the print card show it."""

    version: AthleteVersion
    athlete: Athlete
    rows: list
    recoveries: list[tuple[int, str]]
    volume: str
    work: str
    sources: list[tuple[str, str]]

    @property
    def athletes(self) -> list[Athlete]:
        """The one athlete, as the steps table takes athletes."""
        return [self.athlete]


def versions_seen(session: Session, athletes: Sequence[Athlete]) -> list[AthleteVersion]:
    """The own versions of the session whose athlete is among ``athletes`` (those the viewer
    sees), in the athletes' order. One query, compiled once per number of athletes
    (``coach.prepared``)."""
    by_athlete = {a.pk: a for a in athletes}
    found = {v.athlete_id: v for v in prepared.objects(
        "versions_seen", _versions_query, session.pk, list(by_athlete))}
    result = []
    for athlete in athletes:
        version = found.get(athlete.pk)
        if version is not None:
            version.athlete, version.session = athlete, session
            result.append(version)
    return result


def _versions_query(session_id: int, athlete_ids: list[int]):
    return AthleteVersion.objects.filter(session=session_id, athlete__in=athlete_ids)


def version_sections(session: Session, own: Sequence[AthleteVersion],
                     steps: Mapping[int | None, Sequence] | None = None) -> list[VersionSection]:
    """Each version as its own section: its reps grouped with its athlete's targets, volumes
    and where the targets came from. ``steps``: the versions' steps by athlete id, as
    ``step_rows.read_planned`` reads them with the squad's; without them, two queries whatever
    the number of versions."""
    if not own:
        return []
    if steps is None:
        steps = step_rows.read_planned(session.pk, [], [v.athlete_id for v in own])
    sections = []
    for version in own:
        mine = steps.get(version.athlete_id, [])
        items = step_rows.items_from_planned(mine, [version.athlete])
        sections.append(VersionSection(
            version=version, athlete=version.athlete,
            rows=step_rows.group_steps(items, [version.athlete.display_name]),
            recoveries=step_rows.recovery_counts(items),
            volume=volumes.session_volume(version, volumes.timed_seconds(mine)),
            work=volumes.volume_label(version.work_distance_m, version.work_duration_s),
            sources=step_rows.planned_sources(mine, [version.athlete]),
        ))
    return sections


@dataclass
class VersionPreview:
    """The live preview of one athlete's own version, or why it does not read."""

    athlete: Athlete
    preview: preview.Preview | None = None
    error: str = ""


def build_previews(block: Block, athletes: Sequence[Athlete], texts: Mapping[int, str],
                   squad_text: str = "", *, goal_times: dict[int, float] | None = None,
                   ) -> tuple[list[Athlete], list[VersionPreview]]:
    """For the live preview: the athletes who follow the squad's workout, and a preview per own
    version (``texts``: athlete id to the typed notation; empty or the squad's: a follower).
    ``goal_times``: ``Block.goal_times``, when the caller has read them."""
    followers, previews = [], []
    if goal_times is None:
        goal_times = block.goal_times() if athletes else {}
    for athlete in athletes:
        text = (texts.get(athlete.pk) or "").strip()
        if not text or _same_text(text, squad_text):
            followers.append(athlete)
            continue
        try:
            workout = notation.parse(text)
        except notation.NotationError as exc:
            previews.append(VersionPreview(athlete, error=notation_message(exc)))
            continue
        previews.append(VersionPreview(athlete, preview.build_preview(
            workout, block, [athlete], goal_times=goal_times)))
    return followers, previews


def typed_texts(data: Mapping[str, str], athletes: Sequence[Athlete]) -> dict[int, str]:
    """The version boxes as posted (by athlete id)."""
    return {a.pk: data.get(field_name(a), "") for a in athletes}
