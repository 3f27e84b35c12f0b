"""Training blocks, sessions (planned workouts), planned steps, logs and rep results."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from athletes.models import Athlete, ScopedQuerySet
from coach import formats, notation, pace

from . import judging, summary

TIME_ZONES = sorted(zoneinfo.available_timezones())


def _empty_or(field: str, **lookups) -> Q:
    """``field`` is empty (NULL) or meets every lookup: ``_empty_or("rpe", gte=1, lte=10)``."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__{k}": v for k, v in lookups.items()})


def _check_empty_or(field: str, *, name: str, **lookups) -> models.CheckConstraint:
    """The check constraint ``name`` that ``field`` is empty or meets every lookup."""
    return models.CheckConstraint(condition=_empty_or(field, **lookups), name=name)


class BlockQuerySet(ScopedQuerySet):
    def seen_by(self, user) -> BlockQuerySet:
        """Blocks a user may see (``for_user``: admins all): coaches their own; athletes those
        they are in."""
        mine = Q(athletes__user=user)
        if user.is_coach:
            mine |= Q(coach=user)
        return self.filter(mine).distinct()

    def for_coach(self, user) -> BlockQuerySet:
        """Blocks a user may plan (edit, add sessions to): only a coach's own."""
        if not user.is_authenticated or not user.is_coach:
            return self.none()
        return self.filter(coach=user)

    def current_first(self) -> BlockQuerySet:
        return self.order_by("archived", "-end_date", "-start_date")


class Block(models.Model):
    """A training block: dates, place, altitude, time zone, goal race, athletes.

    The block names the goal race (name, date, distance); the goal times are each athlete's
    (``AthleteGoal``): a squad shares a block, not a goal time."""

    coach = models.ForeignKey(  # indexed by (coach, archived, -end_date) below
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="blocks", db_index=False
    )
    title = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField()
    place = models.CharField(max_length=120, blank=True)
    altitude_m = models.PositiveIntegerField(default=0, help_text="Metres above sea level.")
    time_zone = models.CharField(max_length=64, default="UTC")
    goal_race_name = models.CharField(max_length=120, blank=True)
    goal_race_date = models.DateField(null=True, blank=True)
    goal_distance_m = models.FloatField(null=True, blank=True)
    notes = models.TextField(blank=True)
    athletes = models.ManyToManyField(Athlete, blank=True, related_name="blocks")
    archived = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["coach", "archived", "-end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="block_end_not_before_start"
            ),
            models.CheckConstraint(condition=Q(altitude_m__lte=6000), name="block_altitude_sane"),
            _check_empty_or("goal_distance_m", gt=0, name="block_goal_distance_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:block", args=[self.pk])

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """Today where the block happens, not where the server is."""
        return timezone.now().astimezone(self.tz).date()

    @property
    def goal_race_key(self) -> str | None:
        """The race key (``mile``, ``5k``, ...) of the goal distance, if it is a standard one."""
        return pace.race_key(self.goal_distance_m) if self.goal_distance_m else None

    @property
    def is_altitude(self) -> bool:
        return self.altitude_m >= 1000

    def weeks(self) -> list[list[dt.date]]:
        """Calendar rows: Monday-to-Sunday weeks covering the block's dates."""
        first = self.start_date - dt.timedelta(days=self.start_date.weekday())
        rows = []
        day = first
        while day <= self.end_date:
            rows.append([day + dt.timedelta(days=i) for i in range(7)])
            day += dt.timedelta(days=7)
        return rows

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` is one of the block's days (the first and the last included)."""
        return self.start_date <= day <= self.end_date

    def outside_text(self, day: dt.date) -> str:
        """Why ``day`` cannot take a session of this block."""
        return (f"{day:%a %-d %b} is outside the block ({self.start_date:%-d %b} – "
                f"{self.end_date:%-d %b}).")

    def has_ended(self) -> bool:
        return self.end_date < self.today()

    def coached_athletes(self):
        """The block's athletes as planned and shown: active, and coached by its coach now.

        An athlete who moved to another coach leaves the blocks of the old coach that have
        not ended (``sessions.athlete_changes.leave_former_coaches``); ended blocks keep them as
        members, so their own history stays theirs, but their old coach no longer sees them
        there either: the rule is ``Athlete.objects.for_coach``."""
        return self.athletes.active().for_coach(self.coach)

    def athletes_seen_by(self, user):
        """Whose targets, logs and names ``user`` sees on this block's pages: an admin every
        active athlete of the block; the block's coach those they coach now
        (``coached_athletes``); an athlete of the block only themselves."""
        if user.is_staff:
            return self.athletes.active()
        if user.pk == self.coach_id:  # coached_athletes(), without fetching the coach again
            return self.athletes.active().for_coach(user)
        return self.athletes.active().filter(user=user)

    def goals_editable_by(self, user) -> bool:
        """Who sets the athletes' goal times in this block: its coach and admins."""
        return user.is_staff or self.coach_id == user.pk

    def goal_times(self) -> dict[int, float]:
        """Each athlete's goal time for the goal race, in seconds by athlete id (one query)."""
        return dict(self.goals.values_list("athlete_id", "time_s"))

    def profile_for(self, athlete: Athlete,
                    goal_times: dict[int, float] | None = None) -> pace.PaceProfile:
        """The athlete's paces in this block: their VDOT and the coach's overrides, the block's
        altitude, and their own goal time for the block's goal race (``goal_times``, from
        ``Block.goal_times``, saves a query per athlete when planning for several)."""
        goals = self.goal_times() if goal_times is None else goal_times
        return athlete.pace_profile(altitude_m=self.altitude_m, goal_race=self.goal_race_key,
                                    goal_time_s=goals.get(athlete.pk))


class AthleteGoal(models.Model):
    """An athlete's goal time for the goal race of a block (``Block.goal_distance_m``): the
    pace of ``@ goal``, and of ``@ mile`` when the goal race is a mile, for this athlete in this
    block. Without one, both come from the athlete's VDOT."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="goals",
                              db_index=False)  # indexed by one_goal_per_athlete
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="goals")
    time_s = models.FloatField(help_text="Goal time for the block's goal race, seconds.")

    class Meta:
        ordering = ["block", "athlete__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["block", "athlete"], name="one_goal_per_athlete"),
            models.CheckConstraint(condition=Q(time_s__gt=0), name="goal_time_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.athlete}: {formats.format_time(self.time_s)} ({self.block})"


class SessionQuerySet(ScopedQuerySet):
    def seen_by(self, user) -> SessionQuerySet:
        """Sessions a user may see (``for_user``: admins all): those of the blocks they see."""
        return self.filter(block__in=Block.objects.for_user(user))

    def for_coach(self, user) -> SessionQuerySet:
        """Sessions a user may plan (edit, move, delete): those of their own blocks."""
        return self.filter(block__in=Block.objects.for_coach(user))

    def for_athlete(self, athlete: Athlete) -> SessionQuerySet:
        return self.filter(block__athletes=athlete, block__archived=False)

    def loggable_by(self, athlete: Athlete) -> SessionQuerySet:
        """Sessions the athlete may log: those of their blocks, and those they have a log of
        already (after moving to another coach, their logs in the old coach's blocks stay
        theirs to read and correct, though they left those blocks)."""
        return self.filter(
            Q(block__in=athlete.blocks.values("pk"))
            | Q(pk__in=SessionLog.objects.filter(athlete=athlete).values("session"))
        )

    def upcoming_unlogged(self) -> SessionQuerySet:
        """Sessions from today where their block happens (each block's own time zone, not the
        server's date) that nobody has logged: the sessions re-planning replaces. Past and
        logged sessions keep the targets they were planned with (a log points to its steps).

        The zones are grouped by the date it is in them now (two or three dates at any moment),
        so one query serves blocks in any time zone."""
        now = timezone.now()
        zones_by_today: dict[dt.date, list[str]] = defaultdict(list)
        for name in TIME_ZONES:
            zones_by_today[now.astimezone(zoneinfo.ZoneInfo(name)).date()].append(name)
        from_today = Q()
        for today, zones in zones_by_today.items():
            from_today |= Q(block__time_zone__in=zones, date__gte=today)
        return self.filter(from_today, logs__isnull=True).distinct()


class Slot(models.TextChoices):
    """The time of day of a session: a day holds an AM and a PM session."""

    AM = "AM", "AM"
    PM = "PM", "PM"


def _volumes_not_negative(name: str) -> models.CheckConstraint:
    """The plan totals that a session (the squad's) and an athlete's version each hold are
    never below zero."""
    return models.CheckConstraint(
        condition=Q(work_distance_m__gte=0) & Q(total_distance_m__gte=0)
        & Q(work_duration_s__gte=0),
        name=name,
    )


class Session(models.Model):
    """One planned workout on one day of a block (a day holds an AM and a PM session)."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="sessions",
                              db_index=False)  # indexed by one_session_per_slot
    date = models.DateField()
    slot = models.CharField(max_length=2, choices=Slot, default=Slot.AM)
    title = models.CharField(max_length=120)
    notation = models.TextField(blank=True, help_text="The workout as the coach wrote it.")
    notes = models.TextField(blank=True)
    tolerance_pct = models.FloatField(
        default=1.5, help_text="A rep within this % of its target counts as on target."
    )
    work_distance_m = models.FloatField(default=0)
    total_distance_m = models.FloatField(default=0)
    work_duration_s = models.FloatField(default=0)
    estimated_duration_s = models.FloatField(
        default=0, help_text="Rough session length, warm-up to cool-down (seconds)."
    )
    rep_count = models.PositiveIntegerField(default=0)
    is_quality = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["block", "date", "slot"], name="one_session_per_slot"),
            models.CheckConstraint(
                condition=Q(tolerance_pct__gt=0) & Q(tolerance_pct__lte=20),
                name="session_tolerance_sane",
            ),
            _volumes_not_negative("session_volumes_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.pk])

    def steps_for(self, athlete) -> PlannedStepQuerySet:
        """The planned steps ``athlete`` follows in this session: their own version's, or the
        squad's. The one accessor for "this athlete's steps" (logs, summaries, pages)."""
        return PlannedStep.objects.filter(session=self).followed_by(athlete)


class AthleteVersion(models.Model):
    """One athlete's own version of a squad session: their own notation (fewer reps, another
    target), planned as their own steps (``PlannedStep.athlete``) and targets. The totals are
    this version's, as ``Session`` holds the squad's. ``squad_notation`` is the squad's workout
    when the version was written, so the pages can say when the squad's has changed since."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="versions",
                                db_index=False)  # indexed by one_version_per_athlete
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="versions")
    notation = models.TextField(help_text="This athlete's workout, as the coach wrote it.")
    squad_notation = models.TextField(
        blank=True, help_text="The squad's workout when this version was written."
    )
    rep_count = models.PositiveIntegerField(default=0)
    work_distance_m = models.FloatField(default=0)
    total_distance_m = models.FloatField(default=0)
    work_duration_s = models.FloatField(default=0)
    estimated_duration_s = models.FloatField(default=0)
    is_quality = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "athlete__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "athlete"], name="one_version_per_athlete"),
            _volumes_not_negative("version_volumes_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.athlete}'s version"

    @property
    def squad_changed(self) -> bool:
        """Whether the squad's workout was edited after this version was written."""
        return bool(self.squad_notation) and self.squad_notation != self.session.notation


class StepKind(models.TextChoices):
    """What a planned step is: a rep (``work``) or the running around reps. The values are the
    notation's step kinds (``coach.notation.words.StepKind``); ``StepKind.of`` reads one."""

    WARMUP = "warmup", "Warm-up"
    WORK = "work", "Rep"
    RECOVERY = "recovery", "Recovery"
    REST = "rest", "Rest"
    COOLDOWN = "cooldown", "Cool-down"

    @classmethod
    def of(cls, step: notation.Step) -> StepKind:
        """The kind of a step of a parsed workout: the one place notation kinds become these."""
        return cls(step.kind)


class PlannedStepQuerySet(models.QuerySet):
    def squad(self) -> PlannedStepQuerySet:
        """The squad's steps: those every athlete without their own version follows."""
        return self.filter(athlete__isnull=True)

    def followed_by(self, athlete) -> PlannedStepQuerySet:
        """The steps ``athlete`` (an Athlete or its id) follows, in any number of sessions: their
        own version's where they have one (``AthleteVersion``), else the squad's. One query."""
        athlete_id = getattr(athlete, "pk", athlete)
        own = AthleteVersion.objects.filter(session=models.OuterRef("session"),
                                            athlete_id=athlete_id)
        return self.filter(Q(athlete_id=athlete_id)
                           | Q(athlete__isnull=True) & ~models.Exists(own))


class PlannedStep(models.Model):
    """One step of a session's expanded workout: warm-up, rep, recovery, set rest, cool-down.

    ``athlete`` is empty for the squad's steps; set, the step belongs to that athlete's own
    version of the session (``AthleteVersion``). Read an athlete's steps with
    ``Session.steps_for`` (``PlannedStep.objects.followed_by``), never ``session.steps`` alone."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="steps")
    athlete = models.ForeignKey(
        Athlete, null=True, blank=True, on_delete=models.CASCADE, related_name="own_steps",
        help_text="Empty: the squad's step; set: a step of this athlete's own version.",
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=StepKind)
    set_number = models.PositiveIntegerField(null=True, blank=True)
    rep_number = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(max_length=20, blank=True, help_text="Part label such as AM or PM.")
    distance_m = models.FloatField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    target_text = models.CharField(
        max_length=80, blank=True, help_text="The target as written: T+, mile pace, 64, 3:05/km."
    )
    lactate_lo = models.FloatField(null=True, blank=True)
    lactate_hi = models.FloatField(null=True, blank=True)
    mode = models.CharField(max_length=12, blank=True, help_text="jog, walk, float, ...")

    objects = PlannedStepQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="one_step_per_position",
                                    condition=Q(athlete__isnull=True)),
            models.UniqueConstraint(fields=["session", "athlete", "position"],
                                    name="one_own_step_per_position",
                                    condition=Q(athlete__isnull=False)),
            _check_empty_or("distance_m", gt=0, name="step_distance_positive"),
            _check_empty_or("duration_s", gt=0, name="step_duration_positive"),
            models.CheckConstraint(
                condition=_empty_or("lactate_lo", gte=0, lte=30)
                & _empty_or("lactate_hi", gte=0, lte=30),
                name="step_lactate_range",
            ),
        ]

    def __str__(self) -> str:  # no related lookups: admin pages list thousands
        return f"Step {self.position} ({self.kind}) of session {self.session_id}"

    @property
    def amount_label(self) -> str:
        return formats.format_amount(self.distance_m, self.duration_s)


class PlannedTarget(models.Model):
    """A rep's target time for one athlete, resolved from their paces when it was planned."""

    step = models.ForeignKey(PlannedStep, on_delete=models.CASCADE, related_name="targets",
                             db_index=False)  # indexed by one_target_per_athlete
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="planned_targets")
    target_lo_s = models.FloatField(null=True, blank=True, help_text="Fast end, seconds.")
    target_hi_s = models.FloatField(null=True, blank=True, help_text="Slow end, seconds.")
    sea_level_lo_s = models.FloatField(null=True, blank=True)
    sea_level_hi_s = models.FloatField(null=True, blank=True)
    pace_lo_s_per_km = models.FloatField(
        null=True, blank=True, help_text="Target pace, fast end (s/km); timed reps have only this."
    )
    pace_hi_s_per_km = models.FloatField(null=True, blank=True)
    sea_level_pace_lo_s_per_km = models.FloatField(null=True, blank=True)
    sea_level_pace_hi_s_per_km = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text="The target that set the pace.")
    origin = models.CharField(
        max_length=160, blank=True,
        help_text="Where the pace came from: VDOT and its race, goal, coach, altitude.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "athlete"], name="one_target_per_athlete"),
            _check_empty_or("target_lo_s", gt=0, name="target_positive"),
            _check_empty_or("target_hi_s", gte=F("target_lo_s"), name="target_range_ordered"),
        ]

    def __str__(self) -> str:  # no related lookups: admin pages list thousands
        return f"Target of step {self.step_id} for athlete {self.athlete_id}"


class SessionTemplateQuerySet(models.QuerySet):
    def for_coach(self, user) -> SessionTemplateQuerySet:
        """A coach's own templates: nobody else sees or changes them."""
        return self.filter(coach=user)


class SessionTemplate(models.Model):
    """A coach's saved workout, ready to insert on another day."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_templates"
    )
    title = models.CharField(max_length=120)
    notation = models.TextField()
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "title"], name="one_template_per_title"),
        ]

    def __str__(self) -> str:
        return self.title


class SessionLogQuerySet(ScopedQuerySet):
    def started(self) -> SessionLogQuerySet:
        """Logs with something in them. Opening the log form writes nothing, but an empty log
        may be left from before that (or hold only a date): lists of logs leave those out."""
        entered = RepResult.objects.filter(log=models.OuterRef("pk")).filter(
            Q(actual_s__isnull=False) | Q(skipped=True) | Q(extra=True)
            | Q(lactate__isnull=False) | Q(avg_hr__isnull=False) | ~Q(note="")
        )
        return self.filter(
            Q(completed=True) | Q(rpe__isnull=False) | Q(duration_s__isnull=False)
            | Q(distance_m__isnull=False) | ~Q(notes="") | ~Q(feeling="") | models.Exists(entered)
        )

    def seen_by(self, user) -> SessionLogQuerySet:
        """Athletes see their own logs; coaches the logs of the athletes they coach now
        (``Athlete.objects.for_coach``: not those of an athlete who moved away); admins all
        (``for_user``)."""
        return self.filter(athlete__in=Athlete.objects.for_user(user).values("pk"))

    def commentable_by(self, user) -> SessionLogQuerySet:
        """Logs a user may comment on as a coach: those of the athletes they coach now."""
        return self.filter(athlete__in=Athlete.objects.for_coach(user))

    def discussable_by(self, user) -> SessionLogQuerySet:
        """Logs whose thread a user takes part in (reads, posts to, counts unread): the
        athlete's own and those of the athletes they coach now (``commentable_by``). Admins
        read every thread (``for_user``) but take part in none of theirs."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(athlete__user=user)
                           | Q(athlete__in=Athlete.objects.for_coach(user).values("pk")))

    def editable_by(self, user) -> SessionLogQuerySet:
        """Logs a user may change (add reps to): their own, as an athlete."""
        return self.filter(athlete__user=user)


class SessionLog(models.Model):
    """One athlete's record of one session."""

    # indexed by one_log_per_athlete (session) and the athlete's newest-first index (athlete)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="logs",
                                db_index=False)
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="logs",
                                db_index=False)
    date_done = models.DateField()
    rpe = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Effort, 1-10.")
    duration_s = models.FloatField(null=True, blank=True, help_text="Total duration, seconds.")
    distance_m = models.FloatField(
        null=True, blank=True, help_text="Total distance run, metres (an easy run's distance)."
    )
    feeling = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True)
    completed = models.BooleanField(default=False)
    planned_notation = models.TextField(
        blank=True, help_text="The workout as planned when the rows were made, kept after edits."
    )
    workout_key = models.CharField(
        max_length=32, blank=True, editable=False,
        help_text="coach.notation.workout_key of planned_notation: the same workout, "
                  "however spelled (sessions.workout_history); blank without reps.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SessionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date_done", "-created"]
        indexes = [  # the order of every list of logs: an athlete's, and a coach's
            models.Index(fields=["athlete", "-date_done", "-created"], name="log_athlete_newest"),
            models.Index(fields=["-date_done", "-created"], name="log_newest"),
            models.Index(fields=["athlete", "workout_key", "-date_done"],
                         name="log_workout_history"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "athlete"], name="one_log_per_athlete"),
            _check_empty_or("rpe", gte=1, lte=10, name="log_rpe_1_10"),
            _check_empty_or("duration_s", gt=0, name="log_duration_positive"),
            _check_empty_or("distance_m", gt=0, name="log_distance_positive"),
        ]

    def __str__(self) -> str:  # no related lookups: admin pages list thousands
        return f"Log {self.pk} ({self.date_done})"

    # --- logging behaviour (issue 5) ---

    def get_absolute_url(self) -> str:
        return reverse("training:log-summary", args=[self.pk])

    @property
    def notation(self) -> str:
        """The workout this log was run against (the plan may have changed since)."""
        return self.planned_notation or self.session.notation

    @cached_property
    def adherence(self) -> summary.Adherence:
        """Reps on target / fast / slow at a glance (prefetch ``reps``, select ``session``)."""
        return summary.adherence(self.reps.all(), self.session.tolerance_pct)


class RepResultQuerySet(models.QuerySet):
    def editable_by(self, user) -> RepResultQuerySet:
        """Rows a user may change (save, skip, remove): those of their own logs."""
        return self.filter(log__athlete__user=user)


class RepResult(models.Model):
    """What one rep was: the actual time beside the target that was planned for it."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="reps",
                            db_index=False)  # indexed by one_result_per_position
    step = models.ForeignKey(
        PlannedStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    position = models.PositiveIntegerField()
    distance_m = models.FloatField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True, help_text="Planned duration, if timed.")
    actual_s = models.FloatField(null=True, blank=True)
    target_lo_s = models.FloatField(null=True, blank=True)
    target_hi_s = models.FloatField(null=True, blank=True)
    avg_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    lactate = models.FloatField(null=True, blank=True, help_text="mmol/L after this rep.")
    note = models.CharField(max_length=200, blank=True)
    skipped = models.BooleanField(default=False)
    extra = models.BooleanField(default=False, help_text="A rep added by the athlete.")
    # The plan as it was when the log began, so a result reads right after the plan changes
    # (issue 5). distance_m above is the distance run; it differs when a rep was cut short.
    planned_distance_m = models.FloatField(null=True, blank=True)
    target_text = models.CharField(max_length=80, blank=True)
    lactate_lo = models.FloatField(null=True, blank=True)
    lactate_hi = models.FloatField(null=True, blank=True)
    set_number = models.PositiveIntegerField(null=True, blank=True)
    rep_number = models.PositiveIntegerField(null=True, blank=True)  # within its set

    objects = RepResultQuerySet.as_manager()

    class Meta:
        ordering = ["log", "position"]
        constraints = [
            models.UniqueConstraint(fields=["log", "position"], name="one_result_per_position"),
            _check_empty_or("actual_s", gt=0, name="rep_time_positive"),
            _check_empty_or("distance_m", gt=0, name="rep_distance_positive"),
            _check_empty_or("avg_hr", gte=25, lte=250, name="rep_hr_25_250"),
            _check_empty_or("lactate", gte=0, lte=30, name="rep_lactate_0_30"),
            models.CheckConstraint(
                condition=_empty_or("lactate_lo", gte=0, lte=30)
                & _empty_or("lactate_hi", gte=0, lte=30),
                name="rep_lactate_band_range",
            ),
            _check_empty_or("planned_distance_m", gt=0, name="rep_planned_distance_positive"),
        ]

    def __str__(self) -> str:  # no related lookups: a log's admin page lists every rep
        return f"Rep {self.position} of log {self.log_id}"

    # --- logging behaviour (issue 5): the rules live in sessions/judging.py ---
    # ``status`` reads the tolerance from self.log.session: fetch them with the rep.

    @property
    def target(self) -> tuple[float, float] | None:
        return judging.rep_target(self)

    @property
    def deviation(self) -> float | None:
        return self.verdict.deviation

    @property
    def status(self) -> str | None:
        return self.verdict.status

    @property
    def lactate_status(self) -> str | None:
        return judging.lactate_status(self.lactate, self.lactate_lo, self.lactate_hi)

    @property
    def verdict(self) -> judging.Judged:
        return judging.judge(self, self.log.session.tolerance_pct)

    @property
    def is_entered(self) -> bool:
        return judging.is_entered(self)

    @property
    def is_done(self) -> bool:
        return judging.is_done(self)

    @property
    def amount_label(self) -> str:
        """What the rep was planned as: 400 m, 6 min (the distance run is ``distance_m``)."""
        return summary.planned_amount(self)

    @property
    def ran_label(self) -> str:
        """The distance run, as every amount reads (``formats.format_amount``): 300 m, 1.5 km."""
        return formats.format_amount(self.distance_m, None)

    @property
    def lactate_band_label(self) -> str:
        return judging.band_label(self.lactate_lo, self.lactate_hi)

    @property
    def is_cut_short(self) -> bool:
        planned = self.planned_distance_m
        return bool(planned and self.distance_m and abs(planned - self.distance_m) > 0.05)

    @property
    def is_timed(self) -> bool:
        """A rep of a set time (``5x6min``) rather than a set distance."""
        return self.duration_s is not None and not self.planned_distance_m


class SaveReceipt(models.Model):
    """A row save the server has applied, by the id its client gave it (``cid``, a UUID): the
    log page may send a save again (no answer came back, a reload with saves waiting), and a
    save whose receipt exists is not applied twice (``sessions/log_views.py``, docs/logging.md)."""

    cid = models.CharField(max_length=64, unique=True)
    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="receipts")
    position = models.PositiveIntegerField()
    created = models.DateTimeField()

    def __str__(self) -> str:
        return f"Save {self.cid} of rep {self.position} of log {self.log_id}"


COMMENT_MAX_CHARS = 2000


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommentQuerySet:
        """Comments a user may read: those on the logs they see (``SessionLog.for_user``),
        except private notes on their own log: a coach's private note never reaches the
        athlete whose log it is."""
        if not user.is_authenticated:
            return self.none()
        return (self.filter(log__in=SessionLog.objects.for_user(user).values("pk"))
                .exclude(private=True, log__athlete__user=user))

    def deletable_by(self, user) -> CommentQuerySet:
        """Comments a user may delete: their own, on a thread they still take part in."""
        return self.filter(
            author=user, log__in=SessionLog.objects.discussable_by(user).values("pk"))

    def unread_by(self, user) -> CommentQuerySet:
        """Comments by others on the threads the user takes part in, posted since they last
        opened that log (``CommentRead``), that they may read: one query, whatever the number
        of logs."""
        if not user.is_authenticated:
            return self.none()
        seen = CommentRead.objects.filter(
            user=user, log=models.OuterRef("log"), seen_at__gte=models.OuterRef("created"))
        return (self.visible_to(user)
                .filter(log__in=SessionLog.objects.discussable_by(user).values("pk"))
                .exclude(author=user).exclude(models.Exists(seen)))


class Comment(models.Model):
    """One message in the thread under an athlete's log: by the athlete or one of their
    coaches, on the whole session or on one rep (``rep``: "felt the wind on the back
    straight"). A coach's ``private`` note is for the coaches only."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="log_comments")
    body = models.TextField(max_length=COMMENT_MAX_CHARS)
    rep = models.ForeignKey(RepResult, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="remarks", help_text="The rep this is a remark on.")
    private = models.BooleanField(
        default=False, help_text="A coach's note the athlete does not see.")
    created = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["log", "created"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on log {self.log_id}: {self.snippet}"  # no lookups

    def get_absolute_url(self) -> str:
        return reverse("training:log-summary", args=[self.log_id]) + f"#comment-{self.pk}"

    @property
    def snippet(self) -> str:
        """The first words, for lists and the digest."""
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"


class CommentRead(models.Model):
    """When a person last opened a log's thread: comments after it are unread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reads")
    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="reads")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "log"], name="one_read_mark_per_log"),
        ]

    def __str__(self) -> str:
        return f"User {self.user_id} read log {self.log_id} at {self.seen_at}"
