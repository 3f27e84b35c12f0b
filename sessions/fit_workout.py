"""The planned session as a structured FIT workout for a watch (docs/watch-export-and-calendar.md).

One athlete's session: the steps they follow (``Session.steps_for``: their own version's, or the
squad's) with their own targets (``PlannedTarget``), encoded with fit-tool as a FIT file of type
*workout* (a ``file_id``, a ``workout`` and its ``workout_step`` messages) that Garmin and other
watches load as a structured workout.

- ``watch_steps`` turns planned steps into ``WatchStep``: each step's duration (a distance, a
  time, or open: until the lap button), its intensity (warm-up, active, recovery, rest,
  cool-down) and, for a rep with a target time or pace, a speed range in m/s;
- ``with_repeats`` folds runs of equal rep-and-recovery pairs into one FIT repeat step
  (``12 x (400 m, 200 m jog)``), which keeps long sessions within what watches accept;
- ``encode`` writes the file; ``workout_file`` does all three for a session and an athlete.

Targets become speeds (FIT's ``custom_target_speed_low``/``_high``, m/s, scaled by 1000 in the
file): a rep of ``d`` metres with a target time from ``lo`` (fast) to ``hi`` (slow) seconds runs
between ``d / hi`` and ``d / lo`` m/s; a timed rep's pace per km gives ``1000 / pace``. A single
target time (``66.5``) becomes a range of the session's on-target tolerance either side, the
same band the log uses to call a rep on target. Lactate, heart-rate and effort targets have no
speed: the step is open and its name says the target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from athletes.models import Athlete
from coach import prepared

from . import step_rows
from .models import PlannedStep, PlannedTarget, Session, StepKind

CONTENT_TYPE = "application/vnd.ant.fit"
NAME_LENGTH = 30  # watches show a step's name on one line; longer text goes to its notes
NOTES_LENGTH = 60
RESTING_MODES = {"rest", "stand", "walk"}


@dataclass(frozen=True)
class WatchStep:
    """One step as the watch runs it. ``distance_m`` or ``duration_s`` ends it (neither: the
    lap button); ``speed_lo``/``speed_hi`` are the slow and fast end of a speed target in m/s."""

    kind: StepKind
    name: str
    intensity: Intensity
    distance_m: float | None = None
    duration_s: float | None = None
    speed_lo: float | None = None
    speed_hi: float | None = None
    notes: str = ""

    @property
    def duration_type(self) -> WorkoutStepDuration:
        if self.distance_m:
            return WorkoutStepDuration.DISTANCE
        if self.duration_s:
            return WorkoutStepDuration.TIME
        return WorkoutStepDuration.OPEN


@dataclass(frozen=True)
class Repeat:
    """``steps`` run ``count`` times: a FIT repeat step after them points back to the first."""

    steps: tuple[WatchStep, ...]
    count: int


# --- planned steps -> watch steps ------------------------------------------------------------


def watch_steps(steps: Iterable[PlannedStep], targets: dict[int, PlannedTarget], *,
                tolerance_pct: float) -> list[WatchStep]:
    """The athlete's planned steps, in order, as watch steps; ``targets`` are the athlete's
    own, by step id (a rep without one gets no speed target)."""
    result: list[WatchStep] = []
    previous_rep_s: float | None = None  # an equal-time recovery lasts as long as the rep
    for step in steps:
        kind = StepKind(step.kind)
        if kind == StepKind.WORK:
            target = targets.get(step.pk)
            watch = _rep(step, target, tolerance_pct)
            previous_rep_s = step.duration_s or _middle_time(target)
        else:
            watch = _other(step, kind, previous_rep_s)
        result.append(watch)
    return result


def _rep(step: PlannedStep, target: PlannedTarget | None, tolerance_pct: float) -> WatchStep:
    amount = step_rows.amount_label(step.distance_m, step.duration_s)
    written = step.target_text
    if step.lactate_lo is not None and "mmol" not in written:
        written = f"{written} {step_rows.lactate_text(step)}".strip()
    name = f"{amount} {step.mode}".strip() if step.mode else amount
    if written:
        name = f"{name} @ {written}"
    speed_lo = speed_hi = None
    notes = ""
    span = step_rows.planned_span(target)
    if span is not None:
        lo, hi = _with_tolerance(span.lo, span.hi, tolerance_pct)
        if span.per_km:  # a timed rep: its pace per km
            speed_lo, speed_hi = 1000 / hi, 1000 / lo
        elif step.distance_m:
            speed_lo, speed_hi = step.distance_m / hi, step.distance_m / lo
        notes = f"Target {span.text(step.distance_m)}"
    return WatchStep(kind=StepKind.WORK, name=name[:NAME_LENGTH], intensity=Intensity.ACTIVE,
                     distance_m=step.distance_m, duration_s=step.duration_s,
                     speed_lo=speed_lo, speed_hi=speed_hi, notes=notes[:NOTES_LENGTH])


def _with_tolerance(lo: float, hi: float | None, tolerance_pct: float) -> tuple[float, float]:
    """A range stays as it is; a single value gets the on-target tolerance either side."""
    if hi is not None and hi > lo:
        return lo, hi
    share = tolerance_pct / 100
    return lo * (1 - share), lo * (1 + share)


def _middle_time(target: PlannedTarget | None) -> float | None:
    if target is None or target.target_lo_s is None:
        return None
    return (target.target_lo_s + (target.target_hi_s or target.target_lo_s)) / 2


INTENSITY = {StepKind.WARMUP: Intensity.WARMUP, StepKind.COOLDOWN: Intensity.COOLDOWN,
             StepKind.RECOVERY: Intensity.RECOVERY, StepKind.REST: Intensity.REST}
NAMES = {StepKind.WARMUP: "Warm-up", StepKind.COOLDOWN: "Cool-down",
         StepKind.RECOVERY: "Recovery", StepKind.REST: "Rest"}


def _other(step: PlannedStep, kind: StepKind, previous_rep_s: float | None) -> WatchStep:
    """A warm-up, recovery, rest or cool-down: its amount, or open (the lap button)."""
    distance, duration = step.distance_m, step.duration_s
    intensity, word = INTENSITY[kind], NAMES[kind]
    notes = ""
    if step.mode == "easy":  # ``50min easy``: an easy run, wherever it stands
        intensity, word = Intensity.ACTIVE, "Easy run"
    elif kind in (StepKind.RECOVERY, StepKind.REST):
        if step.mode:
            word = step.mode.capitalize()
        intensity = Intensity.REST if step.mode in RESTING_MODES else Intensity.RECOVERY
        if kind == StepKind.REST and not step.mode:
            intensity = Intensity.REST
        if distance is None and duration is None and previous_rep_s:
            duration, notes = round(previous_rep_s, 1), "Equal time"
    amount = step_rows.amount_label(distance, duration)
    name = f"{amount} {word.lower()}" if amount else word
    if not amount:
        notes = "Until you press lap"
    return WatchStep(kind=kind, name=name[:NAME_LENGTH], intensity=intensity,
                     distance_m=distance, duration_s=duration, notes=notes)


def with_repeats(steps: Sequence[WatchStep]) -> list[WatchStep | Repeat]:
    """Runs of two or more equal (rep, recovery) pairs become one ``Repeat``; everything else
    stays as it is. ``12x400 (200 jog) & 10x200 (200 jog)`` is 12 x (400, jog), 9 x (200, jog)
    and the last 200 on its own."""
    result: list[WatchStep | Repeat] = []
    index = 0
    while index < len(steps):
        step = steps[index]
        pair = tuple(steps[index:index + 2])
        if (len(pair) == 2 and step.kind == StepKind.WORK
                and pair[1].kind in (StepKind.RECOVERY, StepKind.REST)):
            count = 1
            while tuple(steps[index + 2 * count:index + 2 * count + 2]) == pair:
                count += 1
            if count > 1:
                result.append(Repeat(pair, count))
                index += 2 * count
                continue
        result.append(step)
        index += 1
    return result


# --- encoding --------------------------------------------------------------------------------


def encode(name: str, items: Sequence[WatchStep | Repeat], *,
           created: dt.datetime | None = None) -> bytes:
    """The FIT workout file: a ``file_id`` (type workout), the ``workout`` (running, its name,
    the number of steps) and one ``workout_step`` per step, repeats as FIT repeat steps."""
    messages: list[WorkoutStepMessage] = []
    for item in items:
        if isinstance(item, Repeat):
            first = len(messages)
            messages.extend(_step_message(len(messages), step) for step in item.steps)
            messages.append(_repeat_message(len(messages), first, item.count))
        else:
            messages.append(_step_message(len(messages), item))
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = round((created or timezone.now()).timestamp() * 1000)
    workout = WorkoutMessage()
    workout.sport = Sport.RUNNING
    workout.workout_name = name[:NAME_LENGTH]
    workout.num_valid_steps = len(messages)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all(messages)
    return builder.build().to_bytes()


def _step_message(index: int, step: WatchStep) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.workout_step_name = step.name
    message.intensity = step.intensity
    message.duration_type = step.duration_type  # before the value: it picks the value's unit
    if step.duration_type == WorkoutStepDuration.DISTANCE:
        message.duration_distance = step.distance_m
    elif step.duration_type == WorkoutStepDuration.TIME:
        message.duration_time = step.duration_s
    if step.speed_lo is not None:
        message.target_type = WorkoutStepTarget.SPEED  # before the range, likewise
        message.target_value = 0  # 0: a custom range, not a speed zone
        message.custom_target_speed_low = round(step.speed_lo, 3)
        message.custom_target_speed_high = round(step.speed_hi, 3)
    else:
        message.target_type = WorkoutStepTarget.OPEN
    if step.notes:
        message.notes = step.notes
    return message


def _repeat_message(index: int, first: int, count: int) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
    message.duration_step = first
    message.target_type = WorkoutStepTarget.OPEN
    message.target_repeat_steps = count
    return message


# --- a session for an athlete -----------------------------------------------------------------


@dataclass(frozen=True)
class WorkoutFile:
    filename: str
    content: bytes


def athlete_steps(session: Session, athlete: Athlete) -> tuple[list[PlannedStep],
                                                               dict[int, PlannedTarget]]:
    """The steps the athlete follows in the session and their targets by step id (2 queries,
    each compiled once: ``coach.prepared``)."""
    steps = prepared.objects("watch_steps", _steps_query, session.pk, athlete.pk)
    # the athlete's targets in the session, by step: one query, not a prefetch (which filters
    # a queryset per step to hand each its own); a step not followed is never looked up
    return steps, {t.step_id: t for t in prepared.objects("watch_targets", _targets_query,
                                                          session.pk, athlete.pk)}


def _steps_query(session_id: int, athlete_id: int):
    """``Session.steps_for(athlete)`` in order, for a session's id."""
    return (PlannedStep.objects.filter(session_id=session_id).followed_by(athlete_id)
            .order_by("position"))


def _targets_query(session_id: int, athlete_id: int):
    return PlannedTarget.objects.filter(athlete_id=athlete_id, step__session_id=session_id)


def workout_file(session: Session, athlete: Athlete) -> WorkoutFile:
    """The session as the athlete runs it, as a FIT workout, with a name that says what."""
    steps, targets = athlete_steps(session, athlete)
    watch = watch_steps(steps, targets, tolerance_pct=session.tolerance_pct)
    content = encode(session.title, with_repeats(watch))
    return WorkoutFile(filename=file_name(session, athlete, steps), content=content)


def file_name(session: Session, athlete: Athlete, steps: Sequence[PlannedStep]) -> str:
    """``2026-12-05-12x400-10x200-tom-keane.fit``: the day, the reps (the title for a session
    without reps) and whose targets they are."""
    runs: list[list] = []
    for step in steps:
        if step.kind == StepKind.WORK:
            amount = step_rows.short_amount(step.distance_m, step.duration_s)
            if runs and runs[-1][1] == amount:
                runs[-1][0] += 1
            else:
                runs.append([1, amount])
    what = "-".join(f"{n}x{a}" if n > 1 else a for n, a in runs[:4]) or session.title
    what = slugify(what)[:40].strip("-") or "session"
    who = slugify(athlete.display_name)[:40].strip("-") or f"athlete-{athlete.pk}"
    return f"{session.date:%Y-%m-%d}-{what}-{who}.fit"
