"""A club at scale for measuring: squads, coaches, athletes, back-to-back blocks, sessions of
real workouts planned for every athlete, and logs of most past sessions (``manage.py
seed_scale``).

Every row is written with ``bulk_create`` in batches, but holds exactly what the app's own
workflows write: sessions, steps and targets what ``sessions.planning.plan_session`` writes (its
own helpers build the values), logs and rows what ``sessions.logbook.start_log`` and the log
form (``save_rep``, ``set_skipped``, ``update_log``, ``finish_log``) leave behind.
``tests/test_seed_scale.py`` compares a seeded session and log with ones made through those
functions, field by field: when a workflow starts writing another field, that test fails
until this module writes it too. Everything the seeder writes is in this module.

Memory stays bounded: one block (a squad's 4-8 weeks) is built and written at a time, in its
own transaction, whatever the size of the club.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from athletes.models import Athlete, RaceResult, Squad, User
from coach import formats, notation, pace

from . import judging, workout_history
from .logbook import _set_and_rep_numbers, planned_row
from .models import AthleteGoal, Block, PlannedStep, PlannedTarget, RepResult, Session, SessionLog
from .planning import _planned_step, _planned_target, _store_totals

BATCH = 5000
SQUAD_SIZE = 20
PREFIX = "scale-"
# Not a secret (bandit exception): the made-up club's accounts, for measuring
PASSWORD = "scale-training-2026"  # nosec B105

# Workouts as coaches write them (docs/notation.md).
INTERVALS = [
    "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD",
    "2k WU; 10x1000 @ 3.0-3.5 mmol (60s); 2k CD",
    "2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD",
    "2k WU; 400-800-1200-800-400 @ I w/ equal time jog; 2k CD",
    "2k WU; 3x(4x400 @ I) 60s/3min; 2k CD",
    "2k WU; 6x800 @ I (400 jog); 2k CD",
    "2k WU; 8x300 @ R (300 jog); 2k CD",
    "2k WU; 5x6min @ 2.5 mmol (1min); 2k CD",
    "2k WU; 20x200 @ R (200 jog); 2k CD",
    "2k WU; 16x400 @ I (60s); 2k CD",
    "2k WU; 3x(5x300 @ R (100 jog)) 5min; 2k CD",
]
TEMPO = [
    "2mi WU; 20min @ T; 2mi CD",
    "2k WU; 4x2k @ T (90s); 2k CD",
    "2k WU; 3x3k @ M (2min); 2k CD",
    "2mi WU; 5x1mi @ T (60s); 2mi CD",
]
EASY = ["50min easy", "45min easy; 6x100 @ R (100 walk)", "30min easy", "40min easy",
        "60min easy", "40min easy; 8x150 @ R (150 walk)", "10k easy"]
LONG = ["90min easy", "75min easy"]
FEELINGS = ["Strong", "Heavy legs", "Smooth", "Windy on the back straight", "Tired", ""]
FIRST = ["Tom", "Sam", "Ana", "Lea", "Kofi", "Mia", "Jon", "Ines", "Ravi", "Zoe", "Eli", "Noor",
         "Finn", "Ada", "Luca", "Maya", "Omar", "Ivy", "Theo", "Sara"]
LAST = ["Keane", "Okafor", "Silva", "Berg", "Mensah", "Rossi", "Novak", "Haddad", "Kaur", "Lund",
        "Moreau", "Tanaka", "Walsh", "Costa", "Fischer", "Ndiaye", "Park", "Quinn"]
GOAL_RACES = [("Bowerman Mile", formats.MILE), ("Club 1500", 1500.0), ("Summer 5000", 5000.0)]


@dataclass
class SeedReport:
    """What ``seed_club`` wrote: rows per model, and how long it took."""

    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _write(model, objects: list, report: SeedReport) -> list:
    """Insert in batches; the objects get their primary keys (PostgreSQL and SQLite)."""
    if objects:
        model.objects.bulk_create(objects, batch_size=BATCH)
        report.rows[model._meta.object_name] += len(objects)
    return objects


# --- planning: what plan_session writes, through its own pieces -----------------------------


def session_steps(session: Session, workout: notation.Workout) -> list[PlannedStep]:
    """The squad's planned steps of the session, unsaved (``plan_session``'s own builder; the
    seeded club has no athlete's own versions)."""
    return [_planned_step(session, None, position, step)
            for position, step in enumerate(workout.steps, start=1)]


def session_totals(workout: notation.Workout) -> dict:
    """The session fields ``plan_session`` fills from the workout."""
    plan = Session()
    _store_totals(plan, workout)
    return {name: getattr(plan, name) for name in (
        "rep_count", "work_distance_m", "total_distance_m", "work_duration_s",
        "estimated_duration_s", "is_quality")}


# --- the club ----------------------------------------------------------------------------------


class _Club:
    def __init__(self, *, athletes: int, weeks: int, seed: int, today: dt.date,
                 report: SeedReport, progress: Callable[[str], None]) -> None:
        self.athlete_count, self.weeks = athletes, weeks
        # bandit exception: reproducible made-up data, not secrets
        self.rng = random.Random(seed)  # nosec B311
        self.today = today
        self.report = report
        self.progress = progress
        self.workouts: dict[str, notation.Workout] = {}
        self.numbers: dict[str, list] = {}
        self.keys: dict[str, str] = {}
        self.password = make_password(PASSWORD)

    def workout(self, text: str) -> notation.Workout:
        if text not in self.workouts:
            self.workouts[text] = notation.parse(text)
        return self.workouts[text]

    # people

    def people(self) -> list[tuple[Squad, User, list[Athlete]]]:
        squads_needed = max(1, -(-self.athlete_count // SQUAD_SIZE))
        with transaction.atomic():
            squads = _write(Squad, [Squad(name=f"{PREFIX}squad {i + 1:02}")
                                    for i in range(squads_needed)], self.report)
            coaches = _write(User, [
                User(username=f"{PREFIX}coach{i + 1:02}", first_name=self.rng.choice(FIRST),
                     last_name=self.rng.choice(LAST), email=f"{PREFIX}coach{i + 1}@example.org",
                     is_coach=True, password=self.password)
                for i in range(squads_needed)
            ], self.report)
            Squad.coaches.through.objects.bulk_create([
                Squad.coaches.through(squad_id=s.pk, user_id=c.pk)
                for s, c in zip(squads, coaches, strict=True)
            ])
            self.report.rows["Squad.coaches"] += len(squads)
            users = _write(User, [
                User(username=f"{PREFIX}athlete{i + 1:04}", first_name=self.rng.choice(FIRST),
                     last_name=self.rng.choice(LAST), email=f"{PREFIX}a{i + 1}@example.org",
                     password=self.password)
                for i in range(self.athlete_count)
            ], self.report)
            athletes = _write(Athlete, [
                Athlete(user=u, display_name=f"{u.first_name} {u.last_name} {i + 1}",
                        main_event=self.rng.choice(["800", "1500", "mile", "5000"]),
                        squad=squads[i // SQUAD_SIZE])
                for i, u in enumerate(users)
            ], self.report)
            first_day = self.first_monday()
            results = []
            for a in athletes:  # a 5000 m between 13:20 and 19:00, run before the first block
                results.append(RaceResult(
                    athlete=a, distance_m=5000, time_s=round(self.rng.uniform(800, 1140), 1),
                    date=first_day - dt.timedelta(days=self.rng.randint(10, 60)),
                    race_name="Club 5000"))
                if self.rng.random() < 0.5:
                    results.append(RaceResult(
                        athlete=a, distance_m=1500, time_s=round(self.rng.uniform(225, 300), 1),
                        date=first_day - dt.timedelta(days=self.rng.randint(10, 90)),
                        race_name="Club 1500"))
            _write(RaceResult, results, self.report)
        return [(squad, coach, [a for a in athletes if a.squad_id == squad.pk])
                for squad, coach in zip(squads, coaches, strict=True)]

    def first_monday(self) -> dt.date:
        """The seeded weeks end a fortnight after this week (upcoming sessions to plan)."""
        this_monday = self.today - dt.timedelta(days=self.today.weekday())
        ahead = min(2, self.weeks - 1)
        return this_monday - dt.timedelta(weeks=self.weeks - 1 - ahead)

    # blocks

    def blocks_of(self, squad: Squad, coach: User, members: list[Athlete]) -> None:
        start = self.first_monday()
        end_of_all = start + dt.timedelta(weeks=self.weeks, days=-1)
        number = 0
        profiles_base = {a.pk: a.pace_profile() for a in members}
        while start <= end_of_all:
            number += 1
            length = self.rng.randint(4, 8)
            end = min(start + dt.timedelta(weeks=length, days=-1), end_of_all)
            with transaction.atomic():
                self.block(squad, coach, members, profiles_base, number, start, end)
            start = end + dt.timedelta(days=1)

    def block(self, squad, coach, members, profiles_base, number, start, end) -> None:
        rng = self.rng
        altitude = rng.choice([0, 0, 0, 2100])
        goal = rng.choice([None, *GOAL_RACES])
        block = Block(
            coach=coach, title=f"{squad.name} block {number}", start_date=start, end_date=end,
            place="Flagstaff, Arizona" if altitude else "Home track", altitude_m=altitude,
            time_zone="Europe/London", goal_race_name=goal[0] if goal else "",
            goal_race_date=end if goal else None, goal_distance_m=goal[1] if goal else None,
            archived=end < self.today - dt.timedelta(weeks=12),
        )
        _write(Block, [block], self.report)
        Block.athletes.through.objects.bulk_create([
            Block.athletes.through(block_id=block.pk, athlete_id=a.pk) for a in members
        ])
        self.report.rows["Block.athletes"] += len(members)
        goals = []
        if block.goal_race_key:
            for a in members:
                base = profiles_base[a.pk]
                if base.vdot and rng.random() < 0.8:
                    predicted = pace.race_time(base.vdot, block.goal_distance_m)
                    goals.append(AthleteGoal(block=block, athlete=a,
                                             time_s=round(predicted * 0.98, 1)))
        _write(AthleteGoal, goals, self.report)
        goal_times = {g.athlete_id: g.time_s for g in goals}
        profiles = {a.pk: block.profile_for(a, goal_times) for a in members}

        sessions = self.sessions(block)
        _write(Session, sessions, self.report)
        steps_by_session = {}
        all_steps = []
        for s in sessions:
            steps = session_steps(s, self.workout(s.notation))
            steps_by_session[s.pk] = steps
            all_steps += steps
        _write(PlannedStep, all_steps, self.report)
        del all_steps

        resolved_cache: dict[tuple[int, str], tuple] = {}
        targets = []
        mine: dict[tuple[int, int], PlannedTarget] = {}  # (step pk, athlete pk) -> target
        for s in sessions:
            work = [p for p in steps_by_session[s.pk] if p.kind == "work"]
            if not work:
                continue
            for a in members:
                key = (a.pk, s.notation)
                if key not in resolved_cache:
                    resolved_cache[key] = notation.resolve(self.workout(s.notation),
                                                           profiles[a.pk])
                for planned, r in zip(work, resolved_cache[key], strict=True):
                    target = _planned_target(planned, a, r, profiles[a.pk])
                    targets.append(target)
                    mine[(planned.pk, a.pk)] = target
            if len(targets) >= BATCH:
                _write(PlannedTarget, targets, self.report)
                targets = []
        _write(PlannedTarget, targets, self.report)
        self.logs(block, sessions, steps_by_session, members, mine)

    def sessions(self, block: Block) -> list[Session]:
        """6-10 sessions a week: intervals twice, a tempo run, a long run, easy runs between,
        and doubles (a PM easy run) on some days."""
        rng = self.rng
        sessions = []
        day = block.start_date
        while day <= block.end_date:
            monday = day - dt.timedelta(days=day.weekday())
            week = {0: rng.choice(EASY), 1: rng.choice(INTERVALS), 2: rng.choice(EASY),
                    3: rng.choice(TEMPO), 4: rng.choice(EASY), 5: rng.choice(INTERVALS),
                    6: rng.choice(LONG)}
            plan = [(d, "AM", text) for d, text in week.items()]
            doubles = rng.sample([0, 1, 2, 3, 4, 5], rng.randint(0, 3))
            plan += [(d, "PM", rng.choice(EASY[2:4])) for d in doubles]
            for weekday, slot, text in plan:
                date = monday + dt.timedelta(days=weekday)
                if not block.contains(date):
                    continue
                workout = self.workout(text)
                title = ("Long run" if text in LONG else "Easy run" if text in EASY
                         else "Tempo" if text in TEMPO else "Intervals")
                sessions.append(Session(block=block, date=date, slot=slot, title=title,
                                        notation=text, **session_totals(workout)))
            day = monday + dt.timedelta(weeks=1)
        return sessions

    # logs: what start_log and the log form leave behind

    def logs(self, block, sessions, steps_by_session, members, mine) -> None:
        rng = self.rng
        local_today = block.today()
        logs, rows_by_log = [], []
        for s in sessions:
            if s.date >= local_today:
                continue
            work = [p for p in steps_by_session[s.pk] if p.kind == "work"]
            numbers = self.set_numbers(s, len(work))
            for a in members:
                if rng.random() > 0.85:
                    continue  # not logged
                log = SessionLog(session=s, athlete=a, date_done=s.date,
                                 planned_notation=s.notation,
                                 workout_key=self.workout_key(s.notation))
                rows = [self.row(log, step, mine.get((step.pk, a.pk)), position, number)
                        for position, (step, number) in enumerate(zip(work, numbers,
                                                                      strict=True), start=1)]
                self.fill_log(log, s, rows)
                logs.append(log)
                rows_by_log.append(rows)
        _write(SessionLog, logs, self.report)
        reps = []
        for log, rows in zip(logs, rows_by_log, strict=True):
            for row in rows:
                row.log = log
            reps += rows
            if len(reps) >= BATCH:
                _write(RepResult, reps, self.report)
                reps = []
        _write(RepResult, reps, self.report)

    def set_numbers(self, session: Session, count: int) -> list:
        if session.notation not in self.numbers:
            self.numbers[session.notation] = _set_and_rep_numbers(session.notation, count)
        return self.numbers[session.notation]

    def workout_key(self, text: str) -> str:
        if text not in self.keys:
            self.keys[text] = workout_history.key_of(text)
        return self.keys[text]

    row = staticmethod(planned_row)  # the logbook's own

    def fill_log(self, log: SessionLog, session: Session, rows: list[RepResult]) -> None:
        """What the athlete entered: ``save_rep`` per row, then ``update_log`` and, mostly,
        ``finish_log`` (which marks the rows left open skipped)."""
        rng = self.rng
        takes_lactate = rng.random() < 0.2
        for i, row in enumerate(rows):
            if rng.random() < 0.02:
                row.skipped = True
                continue
            fatigue = i / max(1, len(rows))
            if row.target_lo_s is not None:
                middle = (row.target_lo_s + (row.target_hi_s or row.target_lo_s)) / 2
                row.actual_s = round(middle * rng.gauss(1.0, 0.015), 1)
            elif row.duration_s is not None and not row.planned_distance_m:
                row.distance_m = float(round(row.duration_s / rng.uniform(190, 260) * 1000))
            elif row.distance_m:
                row.actual_s = round(row.distance_m / 1000 * rng.uniform(180, 230), 1)
            row.avg_hr = int(150 + 30 * fatigue + rng.randint(-4, 4))
            if row.lactate_lo is not None:
                row.lactate = round(rng.uniform(row.lactate_lo - 0.5, row.lactate_hi + 0.5), 1)
            elif takes_lactate and i % 3 == 2:
                row.lactate = round(rng.uniform(2.0, 6.0), 1)
        log.rpe = rng.randint(3, 9)
        if not rows:  # an easy run: its time and distance
            log.duration_s = float(round(session.estimated_duration_s * rng.uniform(0.9, 1.1)))
            log.distance_m = float(round(log.duration_s / rng.uniform(240, 330) * 1000))
        log.feeling = rng.choice(FEELINGS)
        if rng.random() < 0.9:
            for row in rows:
                if not judging.is_done(row):
                    row.skipped = True
            log.completed = True


def seed_club(*, athletes: int, weeks: int, seed: int = 1, today: dt.date | None = None,
              progress: Callable[[str], None] = lambda line: None) -> SeedReport:
    """Write a club of ``athletes`` athletes (squads of 20, a coach each) training for
    ``weeks`` weeks, ending a fortnight from now. Refuses to seed twice into one database."""
    if User.objects.filter(username__startswith=PREFIX).exists():
        raise ValueError("This database already holds a seeded club (users named scale-...): "
                         "seed a fresh database.")
    if athletes < 1 or weeks < 1:
        raise ValueError("Seed at least one athlete and one week.")
    report = SeedReport()
    started = time.perf_counter()
    club = _Club(athletes=athletes, weeks=weeks, seed=seed, today=today or dt.date.today(),
                 report=report, progress=progress)
    for squad, coach, members in club.people():
        club.blocks_of(squad, coach, members)
        progress(f"{squad.name}: {report.total:,} rows so far, "
                 f"{time.perf_counter() - started:.0f} s")
    report.seconds = time.perf_counter() - started
    return report
