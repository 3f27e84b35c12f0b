"""What a coach plans: blocks, their athletes' goals, sessions, athletes' own versions, the
planned steps and each athlete's targets, and session templates.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from athletes.models import Athlete, ScopedQuerySet, Timestamped
from coach import formats, notation, pace, prepared

from .checks import check_empty_or, empty_or

TIME_ZONES = sorted(zoneinfo.available_timezones())


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


class Block(Timestamped):
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
    # Raised by each save of the block form (sessions/history.py, docs/history.md): a form
    # drawn at an older version is refused instead of overwriting a newer save.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BlockQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["coach", "archived", "-end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="block_end_not_before_start"
            ),
            models.CheckConstraint(condition=Q(altitude_m__lte=6000), name="block_altitude_sane"),
            check_empty_or("goal_distance_m", gt=0, name="block_goal_distance_positive"),
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
        return dict(prepared.rows("block_goal_times", _goal_times_query, self.pk)[1])

    def profile_for(self, athlete: Athlete,
                    goal_times: dict[int, float] | None = None) -> pace.PaceProfile:
        """The athlete's paces in this block: their VDOT and the coach's overrides, the block's
        altitude, and their own goal time for the block's goal race (``goal_times``, from
        ``Block.goal_times``, saves a query per athlete when planning for several)."""
        goals = self.goal_times() if goal_times is None else goal_times
        return athlete.pace_profile(altitude_m=self.altitude_m, goal_race=self.goal_race_key,
                                    goal_time_s=goals.get(athlete.pk))


def _goal_times_query(block_id: int):
    """``Block.goal_times``'s queryset (compiled once, ``coach.prepared``): without the
    model's ordering, whose joins a dict by athlete does not need."""
    return AthleteGoal.objects.filter(block_id=block_id).order_by().values_list(
        "athlete_id", "time_s")


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
            | Q(pk__in=apps.get_model("training", "SessionLog").objects  # (logs build on plans)
                 .filter(athlete=athlete).values("session"))
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


class Session(Timestamped):
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
    updated = models.DateTimeField(
        auto_now=True, help_text="When the plan last changed: edited, moved or re-planned "
                                 "(calendar feeds tell phones from it)."
    )
    # Raised by every write an editor's form would overwrite (the session form, a move, "back
    # to the squad's"): a form drawn at an older version is refused (sessions/history.py).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "slot"]
        # the admin's list of every session, in this order with the newest id first among
        # equals (Django adds "-pk"): without it PostgreSQL sorted the whole table per page
        indexes = [models.Index(fields=["date", "slot", "-id"], name="session_date_order")]
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


class AthleteVersion(Timestamped):
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
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

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
            check_empty_or("distance_m", gt=0, name="step_distance_positive"),
            check_empty_or("duration_s", gt=0, name="step_duration_positive"),
            models.CheckConstraint(
                condition=empty_or("lactate_lo", gte=0, lte=30)
                & empty_or("lactate_hi", gte=0, lte=30),
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
            check_empty_or("target_lo_s", gt=0, name="target_positive"),
            check_empty_or("target_hi_s", gte=F("target_lo_s"), name="target_range_ordered"),
        ]

    def __str__(self) -> str:  # no related lookups: admin pages list thousands
        return f"Target of step {self.step_id} for athlete {self.athlete_id}"


class SessionTemplateQuerySet(models.QuerySet):
    def for_coach(self, user) -> SessionTemplateQuerySet:
        """A coach's own templates: nobody else sees or changes them."""
        return self.filter(coach=user)


class SessionTemplate(Timestamped):
    """A coach's saved workout, ready to insert on another day."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_templates"
    )
    title = models.CharField(max_length=120)
    notation = models.TextField()
    notes = models.TextField(blank=True)

    objects = SessionTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "title"], name="one_template_per_title"),
        ]

    def __str__(self) -> str:
        return self.title
