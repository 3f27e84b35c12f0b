"""What an athlete logs: the log of a session, its rep results, and the receipts that make each
save from the phone count once.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from athletes.models import Athlete, ScopedQuerySet, Timestamped
from coach import formats

from .. import judging, summary
from .checks import check_empty_or, empty_or
from .plans import Block, PlannedStep, Session  # noqa: F401


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

    def with_watch_file(self) -> SessionLogQuerySet:
        """Each log with the id and name of the last watch file accepted into it
        (``watch_file_pk``, ``watch_file_name``; None without one), in the same query: the
        summary links to it (sessions/watch_import.py)."""
        from .imports import DeviceImport, ImportStatus

        last = (DeviceImport.objects.filter(log=models.OuterRef("pk"),
                                            status=ImportStatus.ACCEPTED).order_by("-created"))
        return self.annotate(watch_file_pk=models.Subquery(last.values("pk")[:1]),
                             watch_file_name=models.Subquery(last.values("filename")[:1]))


class SessionLog(Timestamped):
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
    updated = models.DateTimeField(auto_now=True)
    # Set when someone other than the athlete wrote to this log or its reps (a coach's
    # stopwatch, an admin): the summary then reads the history for its "Changes" list
    # (sessions/history.py), and costs nothing more otherwise.
    changed_by_others = models.BooleanField(default=False, editable=False)

    objects = SessionLogQuerySet.as_manager()
    history = HistoricalRecords()

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
            check_empty_or("rpe", gte=1, lte=10, name="log_rpe_1_10"),
            check_empty_or("duration_s", gt=0, name="log_duration_positive"),
            check_empty_or("distance_m", gt=0, name="log_distance_positive"),
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

    @cached_property
    def timers(self) -> list[str]:
        """The names of whoever timed reps of this log on the stopwatch (``RepResult.timed_by``):
        what the athlete's summary says. One query."""
        from athletes.models import User

        return [user.display_name for user in
                User.objects.filter(timed_reps__log=self).distinct().order_by("pk")]


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
    # The coach who took this rep's time on the stopwatch (issue 13, sessions/stopwatch.py);
    # empty when the athlete typed it (the log page clears it when they type a time).
    timed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="timed_reps", help_text="The coach who timed this rep on the stopwatch.",
    )
    # Whether the time (and heart rate, distance) came from a watch file the athlete imported
    # (issue 14, sessions/watch_import.py); cleared when a time is typed or timed over it.
    from_device = models.BooleanField(
        default=False, help_text="The values came from a watch file (DeviceImport).")

    objects = RepResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["log", "position"]
        constraints = [
            models.UniqueConstraint(fields=["log", "position"], name="one_result_per_position"),
            check_empty_or("actual_s", gt=0, name="rep_time_positive"),
            check_empty_or("distance_m", gt=0, name="rep_distance_positive"),
            check_empty_or("avg_hr", gte=25, lte=250, name="rep_hr_25_250"),
            check_empty_or("lactate", gte=0, lte=30, name="rep_lactate_0_30"),
            models.CheckConstraint(
                condition=empty_or("lactate_lo", gte=0, lte=30)
                & empty_or("lactate_hi", gte=0, lte=30),
                name="rep_lactate_band_range",
            ),
            check_empty_or("planned_distance_m", gt=0, name="rep_planned_distance_positive"),
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
    save whose receipt exists is not applied twice (``sessions/log_views.py``, docs/logging.md).
    The coach's stopwatch keeps its receipts here too (``sessions/stopwatch.py``)."""

    cid = models.CharField(max_length=64, unique=True)
    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="receipts")
    position = models.PositiveIntegerField()
    created = models.DateTimeField()

    def __str__(self) -> str:
        return f"Save {self.cid} of rep {self.position} of log {self.log_id}"
