"""Roster and athlete-profile forms: times, distances and paces are read by the fields of
``coach.fields``, checked in clean_* (a race time against its distance, a pace against the
VDOT), and every object a field chooses comes from a queryset scoped to the user who submits
it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone

from coach import formats, pace, records
from coach.fields import (
    PACE_HELP,
    DateField,
    DistanceField,
    PaceBand,
    PaceBandField,
    TimeField,
    offer_days,
)

from .models import (
    EARLIEST_RESULT,
    Event,
    Squad,
    User,
    Zone,
    race_date_problem,
    race_time_problem,
)
from .roster_csv import CSVFormatError, RowPlan, plan_digest, plan_rows, read_rows

MAX_CSV_BYTES = 1_000_000


def coaches_for(user: User):
    """The coaches a user may assign: admins, every active coach."""
    if not user.is_staff:
        return User.objects.none()
    return User.objects.filter(is_coach=True, is_active=True).order_by(
        "first_name", "last_name", "username")


def _person_with_email(email: str) -> User | None:
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .select_related("athlete").first()
    )


class PersonForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="As it appears on lists and plans.")
    email = forms.EmailField(
        help_text="Their username; the set-password link goes here.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.existing_user: User | None = None

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        self.existing_user = _person_with_email(email)
        return email


class AthleteForm(PersonForm):
    prefix = "athlete"  # unique field ids: three forms share the roster page
    main_event = forms.ChoiceField(choices=[("", "—"), *Event.choices], required=False)
    squad = forms.ModelChoiceField(queryset=Squad.objects.none(), required=False,
                                   empty_label="No squad")
    coaches = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Coaches of the squad see the athlete too; tick only extra ones.",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["squad"].queryset = Squad.objects.for_user(user)
        self.fields["coaches"].queryset = coaches_for(user)

    def offer(self, squads, coaches) -> AthleteForm:
        """Show these squads and coaches (those the querysets hold, already read by the page:
        ``Squad.objects.for_user`` and ``coaches_for`` the user) instead of reading them again;
        what is submitted is still checked against the querysets."""
        for name, objects in (("squad", squads), ("coaches", coaches)):
            field = self.fields[name]
            field.choices = [*([("", field.empty_label)] if field.empty_label is not None else []),
                             *((ModelChoiceIteratorValue(field.prepare_value(o), o),
                                field.label_from_instance(o)) for o in objects)]
        return self

    def clean_email(self) -> str:
        email = super().clean_email()
        person = self.existing_user
        if person is not None and person.athlete_or_none is not None:
            raise forms.ValidationError(
                f"{person.athlete.display_name} already has this email on the roster."
            )
        if person is not None and not self.user.may_manage_account_of(person):
            raise forms.ValidationError(
                "This is an admin's account: only a superuser can make it an athlete's."
            )
        return email


class CoachForm(PersonForm):
    prefix = "coach"
    def clean_email(self) -> str:
        email = super().clean_email()
        if self.existing_user is not None and self.existing_user.is_coach:
            raise forms.ValidationError(
                f"{self.existing_user.display_name} is already a coach."
            )
        return email


class SquadForm(forms.ModelForm):
    prefix = "squad"
    class Meta:
        model = Squad
        fields = ["name"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Squad.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"There is a squad called {name} already.")
        return name


class MoveForm(forms.Form):
    squad = forms.ModelChoiceField(queryset=Squad.objects.none(), required=False,
                                   empty_label="No squad")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["squad"].queryset = Squad.objects.for_user(user)


class AssignCoachForm(forms.Form):
    coach = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="Choose a coach")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches_for(user)


STATUS_CHOICES = [("active", "Active"), ("inactive", "Left (inactive)"), ("all", "Everyone")]


class RosterFilterForm(forms.Form):
    """Search and filters for the athlete list; anything it cannot read is ignored."""

    q = forms.CharField(required=False, label="Search", max_length=100,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name or email"}))
    squad = forms.ChoiceField(required=False)
    coach = forms.ChoiceField(required=False)
    event = forms.ChoiceField(required=False, choices=[("", "All events"), *Event.choices])
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, squads, coaches, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["squad"].choices = [("", "All squads"), ("none", "No squad")] + [
            (str(s.pk), s.name) for s in squads]
        self.fields["coach"].choices = [("", "All coaches")] + [
            (str(c.pk), c.display_name) for c in coaches]

    def filter(self, athletes, *, coaches):
        """Apply the valid filters to ``athletes`` (status defaults to active)."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        status = data.get("status") or "active"
        if status == "active":
            athletes = athletes.active()
        elif status == "inactive":
            athletes = athletes.inactive()
        if data.get("q"):
            athletes = athletes.search(data["q"])
        if data.get("squad") == "none":
            athletes = athletes.filter(squad__isnull=True)
        elif data.get("squad"):
            athletes = athletes.filter(squad_id=int(data["squad"]))
        if data.get("coach"):
            coach = next(c for c in coaches if str(c.pk) == data["coach"])
            athletes = athletes.coached_by(coach)
        if data.get("event"):
            athletes = athletes.filter(main_event=data["event"])
        return athletes

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(k) for k in ("q", "squad", "coach", "event")) or (
            self.data.get("status", "active") not in ("", "active"))


class ImportForm(forms.Form):
    """A CSV file (or pasted text) read and checked row by row; see athletes.roster_csv."""

    file = forms.FileField(required=False, label="CSV file",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    text = forms.CharField(
        required=False, label="Or paste the rows", strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "notation", "spellcheck": "false"}),
    )
    send_links = forms.BooleanField(
        required=False, initial=True, label="Email each new person a set-password link",
    )
    digest = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_file(self) -> str:
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it as “CSV UTF-8” and try again."
            ) from exc

    def clean(self) -> dict:
        data = super().clean()
        text = data.get("file") or data.get("text") or ""
        if "file" in self.errors:
            return data
        if not text.strip():
            raise forms.ValidationError("Choose a CSV file or paste the rows.")
        try:
            data["plans"] = plan_rows(read_rows(text), actor=self.user)
        except CSVFormatError as exc:
            raise forms.ValidationError(str(exc)) from exc
        data["csv_text"] = text
        data["plan_digest"] = plan_digest(data["plans"])
        return data

    @property
    def confirmed(self) -> bool:
        """Valid, every row fine, and the rows still do what the preview showed."""
        return (self.is_valid() and not self.bad_rows
                and self.cleaned_data["digest"] == self.cleaned_data["plan_digest"])

    @property
    def stale(self) -> bool:
        """Confirmed from a preview that no longer holds (the roster changed meanwhile)."""
        return (self.is_valid() and bool(self.cleaned_data["digest"])
                and self.cleaned_data["digest"] != self.cleaned_data["plan_digest"])

    @property
    def plans(self) -> list[RowPlan]:
        return self.cleaned_data.get("plans", []) if hasattr(self, "cleaned_data") else []

    @property
    def bad_rows(self) -> list[RowPlan]:
        return [p for p in self.plans if p.errors]


# --- race results and pace overrides (the athlete profile) ------------------------------------

RACE_DISTANCES = [(key, label) for key, label in Event.choices if key in pace.RACES]
OTHER = "other"
MIN_RACE_SPEED = 1.0  # m/s: slower than walking is not a race time
MAX_SPEED = records.MAX_SPEED_M_PER_S  # m/s: faster than anyone runs (docs/paces.md)
MIN_PACE_SPEED = 2.0  # m/s: a training pace slower than this is a typo (docs/paces.md)


class RaceResultForm(forms.Form):
    """A race result as a coach writes it: a standard race or a typed distance, and a time
    like ``3:56.8`` or ``13:32.4``, both parsed by ``coach.pace``."""

    prefix = "race"
    distance = forms.ChoiceField(choices=[*RACE_DISTANCES, (OTHER, "Other distance…")],
                                 initial="5k")
    other_distance = DistanceField(
        required=False, max_length=32, label="Other distance", help_text="Metres, or 2mi, 15k",
        attrs={"inputmode": "text", "css": ""},
    )
    time = TimeField(help_text="e.g. 3:56.8 or 13:32.4", hint="Write it like 3:56.8 or 13:32.4.")
    date = DateField()
    race_name = forms.CharField(required=False, max_length=120, label="Race",
                                widget=forms.TextInput(attrs={"placeholder": "e.g. Payton Jordan"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        offer_days(self.fields["date"], EARLIEST_RESULT,
                   timezone.localdate() + dt.timedelta(days=1))

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        problem = race_date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean(self) -> dict:
        data = super().clean()
        choice, typed = data.get("distance"), data.get("other_distance")
        if "other_distance" in self.errors or choice is None:
            return data
        if choice == OTHER:
            if typed is None:
                self.add_error("other_distance", "Type the distance, e.g. 3200 or 2mi.")
                return data
            data["distance_m"] = typed
        elif typed is not None and not formats.same_distance(typed, pace.RACES[choice]):
            self.add_error("other_distance", "Choose “Other distance…” above to use this "
                                             "distance, or clear it.")
            return data
        else:
            data["distance_m"] = pace.RACES[choice]
        if data.get("time") is not None:
            self._check_speed(data["distance_m"], data["time"])
        return data

    def _check_speed(self, distance_m: float, seconds: float) -> None:
        speed = distance_m / seconds
        label = formats.format_amount(distance_m, None)
        if speed > MAX_SPEED:
            self.add_error("time", f"{formats.format_time(seconds)} for {label} is faster than "
                                   "anyone has run: write minutes and seconds as 13:32.4.")
        elif speed < MIN_RACE_SPEED:
            self.add_error("time", f"{formats.format_time(seconds)} for {label} is slower than "
                                   "walking: check the time.")
        elif problem := race_time_problem(distance_m, seconds):
            self.add_error("time", problem)


class PaceOverrideForm(forms.Form):
    """A coach's pace for one zone, as seconds per 400 m or per km or mile, stored as a
    (fast, slow) band in seconds per km. ``reference`` (the athlete's VDOT paces) catches a
    per-km pace typed without its unit."""

    prefix = "pace"
    zone = forms.ChoiceField(choices=Zone.choices, initial=Zone.T)
    pace = PaceBandField(attrs={"inputmode": "text", "placeholder": "67.5 or 2:48/km"})

    def __init__(self, *args, reference: pace.PaceProfile | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean(self) -> dict:
        data = super().clean()
        band = data.get("pace")
        if band is None or "zone" not in data:
            return data
        fast, slow = band.fast_s_per_km, band.slow_s_per_km
        data.update(fast_s_per_km=fast, slow_s_per_km=slow, unit=band.unit)
        if 1000 / slow < MIN_PACE_SPEED or 1000 / fast > MAX_SPEED:
            self.add_error("pace", f"{band.text} {band.unit} is not a running pace "
                                   f"({formats.format_time(fast, decimals=0)}/km): {PACE_HELP}")
        else:
            self._compare_with_vdot(data, band)
        return data

    def _compare_with_vdot(self, data: dict, band: PaceBand) -> None:
        """Refuse a pace 1.5 times off the VDOT's: a per-km pace typed without its unit is
        2.5 times too slow as seconds per 400 m (and the other way round)."""
        vdot_band = self.reference.sea_level(data["zone"]) if self.reference else None
        if vdot_band is None:
            return
        middle = (band.fast_s_per_km + band.slow_s_per_km) / 2
        vdot_middle = sum(vdot_band) / 2
        if 1 / 1.5 <= middle / vdot_middle <= 1.5:
            return
        typed = band.text
        found = (f"{typed} {band.unit} is {formats.format_time(middle, decimals=0)}/km, far "
                 f"{'slower' if middle > vdot_middle else 'faster'} than {data['zone']} from "
                 f"the VDOT ({formats.format_time(vdot_middle, decimals=0)}/km)")
        if not band.unit_written and middle > vdot_middle:
            self.add_error("pace", f"{found}. For a pace per km, write {typed}/km.")
        else:
            self.add_error("pace", f"{found}: check the time and the unit.")


class ZoneForm(forms.Form):
    zone = forms.ChoiceField(choices=Zone.choices)
