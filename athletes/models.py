"""People and rosters: accounts, squads, athletes, race results and pace overrides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from coach import formats, pace, prepared, records


class Event(models.TextChoices):
    """An athlete's main event (stored as the key the race tables use)."""

    M800 = "800", "800 m"
    M1500 = "1500", "1500 m"
    MILE = "mile", "Mile"
    M3000 = "3k", "3000 m"
    STEEPLECHASE = "3ksc", "3000 m steeplechase"
    M5000 = "5k", "5000 m"
    M10000 = "10k", "10,000 m"
    HALF_MARATHON = "HM", "Half marathon"
    MARATHON = "marathon", "Marathon"


class User(AbstractUser):
    """An account. Roles: admin (``is_staff``), coach (``is_coach``), athlete (has a profile).

    One person may hold several roles (a coach who also races has an athlete profile).
    """

    is_coach = models.BooleanField(
        default=False, help_text="Can plan training for the athletes assigned to them."
    )
    digest_opt_out = models.BooleanField(
        default=False, db_default=False,
        help_text="Sends no daily email of unread comments and missing logs.",
    )
    digest_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last daily email went out."
    )
    security_stamp = models.PositiveIntegerField(
        default=0, db_default=0, editable=False,
        help_text="Raised when the account is deactivated or a set-password link is issued: "
                  "links and logins made before stop working, even after a reactivation.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._was_active = user.__dict__.get("is_active")
        return user

    def save(self, *args, **kwargs) -> None:
        """Deactivating, by any road (the roster, the Django admin, a command), raises the
        stamp, so nothing issued before it works again after a reactivation."""
        if getattr(self, "_was_active", None) and not self.is_active:
            self.security_stamp += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "security_stamp"}
        super().save(*args, **kwargs)
        self._was_active = self.is_active

    def may_manage_account_of(self, person: User) -> bool:
        """Admins manage the club's accounts; another admin's or a superuser's (attaching an
        athlete profile, deactivating, reactivating) only a superuser."""
        return self.is_superuser or not (person.is_staff or person.is_superuser)

    def revoke_links_and_logins(self) -> None:
        """Raise the stamp now (a new set-password link is being issued)."""
        User.objects.filter(pk=self.pk).update(security_stamp=F("security_stamp") + 1)
        self.refresh_from_db(fields=["security_stamp"])

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's session hash (from the password), with the stamp mixed in once raised: a
        session cookie from before a deactivation or a reissued link no longer matches. With
        the stamp at 0 it is Django's own hash, so no login was lost when the stamp came."""
        if not self.security_stamp:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "athletes.User.get_session_auth_hash"
        value = f"{self.password}|stamp:{self.security_stamp}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def athlete_or_none(self) -> Athlete | None:
        try:
            return self.athlete
        except Athlete.DoesNotExist:
            return None


class Timestamped(models.Model):
    """A row that keeps when it was created (``created``, set on insert)."""

    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ScopedQuerySet(models.QuerySet):
    """The rows a person may see (``for_user``), the same rule for every model: nothing without
    a login, everything for an admin; anyone else what ``seen_by`` says (each model's own)."""

    def for_user(self, user: User):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.seen_by(user)

    def seen_by(self, user: User):
        """The rows a signed-in person other than an admin sees: none, unless the model's
        queryset says whose."""
        return self.none()


class SquadQuerySet(ScopedQuerySet):
    def seen_by(self, user: User) -> SquadQuerySet:
        """Coaches the squads they coach; athletes none."""
        return self.filter(coaches=user) if user.is_coach else self.none()


class Squad(Timestamped):
    """A training group with its coaches and athletes."""

    name = models.CharField(max_length=100, unique=True)
    coaches = models.ManyToManyField(
        User, blank=True, related_name="coached_squads", limit_choices_to={"is_coach": True}
    )

    objects = SquadQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AthleteQuerySet(ScopedQuerySet):
    def active(self) -> AthleteQuerySet:
        return self.filter(user__is_active=True)

    def inactive(self) -> AthleteQuerySet:
        """Athletes who left: their account is deactivated, their history kept."""
        return self.filter(user__is_active=False)

    def search(self, text: str) -> AthleteQuerySet:
        """Athletes whose name, email or username contains every word of ``text``."""
        found = self
        for word in text.split():
            found = found.filter(
                Q(display_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(user__username__icontains=word)
            )
        return found

    def coached_by(self, coach: User) -> AthleteQuerySet:
        """For filtering (not access): athletes this coach has, directly or through a squad."""
        return self.filter(pk__in=_coached_ids(coach))

    def for_coach(self, user: User) -> AthleteQuerySet:
        """The athletes a coach may see and plan for: those they coach now.

        This is the one rule of the coaching relationship: an athlete is this coach's while
        the coach is assigned to them directly or coaches their squad. When an admin moves an
        athlete to another squad or coach, the old coach loses them here, and with them their
        profile, targets, logs and name on every page (sessions, print card, preview,
        calendar, logs, coach home) and in planning (``sessions.models.Block.coached_athletes``).
        """
        if not user.is_authenticated or not user.is_coach:
            return self.none()
        return self.filter(pk__in=_coached_ids(user))

    def seen_by(self, user: User) -> AthleteQuerySet:
        """What this user may see (``for_user``: admins all): coaches theirs (``for_coach``),
        athletes themselves."""
        mine = Q(user=user)
        if user.is_coach:
            mine |= Q(pk__in=_coached_ids(user))
        return self.filter(mine)

    def editable_by(self, user: User) -> AthleteQuerySet:
        """Whose training settings (pace overrides) a user may change: admins everyone's,
        coaches their athletes' (``for_coach``); not the athlete themselves."""
        return self.all() if user.is_staff else self.for_coach(user)


def _coached_ids(coach: User) -> models.QuerySet:
    """The ids of the athletes a coach has now, directly or through a squad (a subquery, so
    the querysets above need no ``distinct`` and compose with prefetches and annotations)."""
    return Athlete.objects.filter(Q(coaches=coach) | Q(squad__coaches=coach)).values("pk")


class Athlete(Timestamped):
    """An athlete's profile. Leaving the club deactivates the account; history stays."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="athlete")
    display_name = models.CharField(max_length=100)
    main_event = models.CharField(max_length=10, choices=Event, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    squad = models.ForeignKey(
        Squad, null=True, blank=True, on_delete=models.SET_NULL, related_name="athletes"
    )
    coaches = models.ManyToManyField(
        User,
        blank=True,
        related_name="coached_athletes",
        limit_choices_to={"is_coach": True},
        help_text="Coaches assigned directly (squad coaches see the athlete too).",
    )

    objects = AthleteQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("athletes:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    def personal_bests(self) -> list[RaceResult]:
        """The fastest result at each distance, shortest distance first."""
        best: dict[float, RaceResult] = {}
        for result in self.race_results.all():
            current = best.get(result.distance_m)
            if current is None or result.time_s < current.time_s:
                best[result.distance_m] = result
        return [best[d] for d in sorted(best)]

    def vdot_source(self) -> tuple[float, RaceResult] | None:
        """The VDOT from race results and its race (docs/paces.md, "VDOT": prefer 3000 m or
        longer)."""
        results = list(self.race_results.all())
        found = pace.best_vdot((r.distance_m, r.time_s) for r in results)
        if found is None:
            return None
        value, (distance, seconds) = found
        source = next(r for r in results if r.distance_m == distance and r.time_s == seconds)
        return value, source

    def pace_profile(
        self, *, altitude_m: float = 0, goal_race: str | None = None, goal_time_s=None
    ) -> pace.PaceProfile:
        """This athlete's paces for planning: VDOT (and the race it came from), the coach's
        overrides, and their goal time for a block's goal race. From the rows ``keep_pace_rows``
        kept on the athlete when it did, else from ``race_results`` and ``pace_overrides``."""
        basis = self.__dict__.get("_pace_basis")
        if basis is None:
            source = self.vdot_source()
            basis = PaceBasis(
                vdot=source[0] if source else None,
                vdot_race=source[1].short_label if source else None,
                overrides={o.zone: (o.fast_s_per_km, o.slow_s_per_km)
                           for o in self.pace_overrides.all()},
            )
        goal_times = {goal_race: goal_time_s} if goal_race and goal_time_s else {}
        return pace.PaceProfile(
            vdot=basis.vdot,
            goal_times=goal_times,
            overrides=dict(basis.overrides),
            altitude_m=altitude_m,
            goal_race=goal_race,
            vdot_race=basis.vdot_race,
        )


@dataclass(frozen=True)
class PaceBasis:
    """What ``Athlete.pace_profile`` takes from an athlete's rows: the VDOT of their race
    results (``Athlete.vdot_source``) and the race it came from (``RaceResult.short_label``),
    and the coach's overrides by zone."""

    vdot: float | None
    vdot_race: str | None
    overrides: dict[str, tuple[float, float]]

    @classmethod
    def from_rows(cls, results: list[tuple[float, float]],
                  overrides: list[tuple[str, float, float]]) -> PaceBasis:
        """``results``: ``(distance_m, time_s)`` in the results' own order (latest first, as
        ``race_results.all()``); ``overrides``: ``(zone, fast, slow)`` by zone."""
        found = pace.best_vdot(results)
        return cls(
            vdot=found[0] if found else None,
            vdot_race=race_short_label(*found[1]) if found else None,
            overrides={zone: (fast, slow) for zone, fast, slow in overrides},
        )


def keep_pace_rows(athletes: list[Athlete]) -> list[Athlete]:
    """``athletes`` with what their ``pace_profile`` needs read as plain rows, two queries for
    them all (none without athletes), compiled once per number of athletes (``coach.prepared``):
    cheaper than ``prefetch_related("race_results", "pace_overrides")``, whose model
    instances and related managers only the pace profile would read. As with a prefetch, the
    rows are those of the time of reading: read them again after a write."""
    if not athletes:
        return athletes
    ids = [a.pk for a in athletes]
    results: dict[int, list[tuple[float, float]]] = {pk: [] for pk in ids}
    for athlete_id, distance, seconds in prepared.rows("pace_rows.results", _result_rows, ids)[1]:
        results[athlete_id].append((distance, seconds))
    overrides: dict[int, list[tuple[str, float, float]]] = {pk: [] for pk in ids}
    for athlete_id, *override in prepared.rows("pace_rows.overrides", _override_rows, ids)[1]:
        overrides[athlete_id].append(override)
    for athlete in athletes:
        athlete._pace_basis = PaceBasis.from_rows(results[athlete.pk], overrides[athlete.pk])
    return athletes


def _result_rows(athlete_ids: list[int]):
    # the order of ``race_results.all()`` (the model's), which breaks a VDOT tie
    return RaceResult.objects.filter(athlete_id__in=athlete_ids).order_by("-date").values_list(
        "athlete_id", "distance_m", "time_s")


def _override_rows(athlete_ids: list[int]):
    # each athlete's in the order of ``pace_overrides.all()`` (the model's: by zone)
    return PaceOverride.objects.filter(athlete_id__in=athlete_ids).order_by(
        "athlete_id", "zone").values_list("athlete_id", "zone", "fast_s_per_km", "slow_s_per_km")

EARLIEST_RESULT = dt.date(1950, 1, 1)


_EVENT_LABELS: dict[str | None, dict[str, str]] = {}  # by language, built once each


def event_label(key: str) -> str:
    """The label of an event's key (``Event``) in the active language, else the key."""
    language = translation.get_language()
    labels = _EVENT_LABELS.get(language)
    if labels is None:
        labels = _EVENT_LABELS[language] = {value: str(label) for value, label in Event.choices}
    return labels.get(key, key)


def distance_label(distance_m: float) -> str:
    """``5000 m``, ``Mile``, ``Half marathon`` for the standard races, else ``3200 m``."""
    key = pace.race_key(distance_m)
    if key is not None:
        return event_label(key)
    return formats.format_amount(distance_m, None)


def race_short_label(distance_m: float, time_s: float) -> str:
    """``5000 m 13:32.4``, ``mile 3:56.8``: a race as a VDOT's origin names it."""
    label = distance_label(distance_m)
    return f"{label[0].lower()}{label[1:]} {race_time_text(time_s)}"

def race_time_text(seconds: float) -> str:
    """A race time as results are written: tenths when there are some, under an hour."""
    tenths = round(seconds * 10) % 10
    return formats.format_time(seconds, decimals=1 if tenths and seconds < 3600 else 0)


def _record_text(seconds: float) -> str:
    return formats.format_time(seconds, decimals=2 if round(seconds * 100) % 100 else 0)


def race_time_problem(distance_m: float, seconds: float) -> str | None:
    """Why a race time cannot be right (faster than the world record), or None."""
    bound = records.fastest_time(distance_m)
    if seconds >= bound:
        return None
    typed, label = formats.format_time(seconds), distance_label(distance_m)
    record = records.world_record(distance_m)
    if record is not None:
        return (f"{typed} for {label} is faster than the world record "
                f"({_record_text(record)}): check the time and the distance.")
    return (f"{typed} for {label} is faster than the world records allow (about "
            f"{_record_text(bound)} at best): check the time and the distance.")


def race_date_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why a race date cannot be right (before 1950, or in the future), or None. A day's grace
    after today for time zones ahead of the server's."""
    today = today or timezone.localdate()
    if day < EARLIEST_RESULT:
        return f"Results from before {EARLIEST_RESULT.year} are not taken: check the year."
    if day > today + dt.timedelta(days=1):
        return "A result cannot be in the future."
    return None


class RaceResult(models.Model):
    # indexed by (athlete, -date) below, which also serves lookups by athlete alone
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="race_results",
                                db_index=False)
    distance_m = models.FloatField(help_text="Race distance in metres.")
    time_s = models.FloatField(help_text="Finishing time in seconds.")
    date = models.DateField()
    race_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["athlete", "-date"])]
        constraints = [
            models.CheckConstraint(condition=Q(distance_m__gt=0), name="race_distance_positive"),
            models.CheckConstraint(condition=Q(time_s__gt=0), name="race_time_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.distance_label} {formats.format_time(self.time_s)} ({self.date})"

    @property
    def time_display(self) -> str:
        return formats.format_time(self.time_s)

    @property
    def distance_label(self) -> str:
        return distance_label(self.distance_m)

    @property
    def short_label(self) -> str:
        """``5000 m 13:32.4``, ``mile 3:56.8``: the race as a VDOT's origin names it."""
        return race_short_label(self.distance_m, self.time_s)

    def clean(self) -> None:
        """What every form that saves a result (the Django admin's included) refuses: a time
        faster than the world record for the distance, a date before 1950 or in the future."""
        errors = {}
        if (self.distance_m or 0) > 0 and (self.time_s or 0) > 0:
            problem = race_time_problem(self.distance_m, self.time_s)
            if problem:
                errors["time_s"] = problem
        if self.date is not None:
            problem = race_date_problem(self.date)
            if problem:
                errors["date"] = problem
        if errors:
            raise ValidationError(errors)


class Zone(models.TextChoices):
    """A training zone, as ``coach.pace.ZONES`` names them (the label is the name itself)."""

    E = "E", "E"
    M = "M", "M"
    T = "T", "T"
    T_PLUS = "T+", "T+"
    I = "I", "I"  # noqa: E741 (the zone's own name)
    R = "R", "R"


class PaceOverride(models.Model):
    """A coach-set pace for one zone (seconds per km; fast end and slow end)."""

    # indexed by the unique (athlete, zone) below
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="pace_overrides",
                                db_index=False)
    zone = models.CharField(max_length=4, choices=Zone)
    fast_s_per_km = models.FloatField()
    slow_s_per_km = models.FloatField()

    class Meta:
        ordering = ["athlete", "zone"]
        constraints = [
            models.UniqueConstraint(fields=["athlete", "zone"], name="one_override_per_zone"),
            models.CheckConstraint(condition=Q(fast_s_per_km__gt=0), name="override_positive"),
            models.CheckConstraint(
                condition=Q(slow_s_per_km__gte=models.F("fast_s_per_km")),
                name="override_slow_not_faster",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.athlete}: {self.zone}"


class Reason(models.TextChoices):
    """Why an athlete is out."""

    SICK = "sick", "sick"
    INJURED = "injured", "injured"
    AWAY = "away", "away"


ABSENCE_MAX_DAYS = 366


class AbsenceQuerySet(models.QuerySet):
    def covering(self, day: dt.date) -> AbsenceQuerySet:
        """Absences that include ``day`` (the first and the last day are included)."""
        return self.filter(start__lte=day, end__gte=day)

    def overlapping(self, start: dt.date, end: dt.date) -> AbsenceQuerySet:
        """Absences sharing at least one day with ``start``-``end`` (both included)."""
        return self.filter(start__lte=end, end__gte=start)

    def for_user(self, user: User) -> AbsenceQuerySet:
        """Whose absences a user may see and change: the athlete's own, their coaches' and the
        admins' (``Athlete.objects.for_user``)."""
        return self.filter(athlete__in=Athlete.objects.for_user(user).values("pk"))


class Absence(Timestamped):
    """Days an athlete is out (sick, injured, away), first and last day included: their
    sessions on those days are unavailable, not missed."""

    # indexed by (athlete, end) below
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="absences",
                                db_index=False)
    start = models.DateField()
    end = models.DateField(help_text="The last day out (included).")
    reason = models.CharField(max_length=10, choices=Reason)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-end"]
        indexes = [models.Index(fields=["athlete", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="absence_end_not_before_start",
                violation_error_message="The last day cannot be before the first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.athlete}: {self.reason} {self.start} – {self.end}"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def until_text(self) -> str:
        """``injured until 14 Nov`` (the last day out)."""
        return f"{self.get_reason_display()} until {self.end:%-d %b}"

    @property
    def days_text(self) -> str:
        """``Mon 2 Nov`` or ``Mon 2 Nov to Wed 4 Nov``."""
        if self.start == self.end:
            return f"{self.start:%a %-d %b}"
        return f"{self.start:%a %-d %b} to {self.end:%a %-d %b}"

    def end_early(self, today: dt.date) -> str | None:
        """Back earlier than planned: the absence ends yesterday (``today`` is available
        again; not saved). Why it cannot, or None: one not started yet is deleted instead, and
        one already over has nothing to end."""
        if self.start >= today:
            return "That absence starts today or later: delete it instead."
        if self.end < today:
            return "That absence has ended already."
        self.end = today - dt.timedelta(days=1)
        return None


def absence_dates_problem(start: dt.date, end: dt.date) -> str | None:
    """Why these days cannot be an absence (the end before the start, more than a year), or
    None."""
    if end < start:
        return "The last day cannot be before the first day."
    if (end - start).days + 1 > ABSENCE_MAX_DAYS:
        return f"An absence lasts at most {ABSENCE_MAX_DAYS} days: split a longer one."
    return None
