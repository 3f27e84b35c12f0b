"""Coach planning forms: blocks, sessions, templates, move/copy.

Raw text becomes domain values in the fields of ``coach.fields`` (times, distances, dates)
and in ``clean_<field>`` through ``coach.notation``, so every entry point parses the same way
and says the same thing when it cannot. Every field that chooses an object has a queryset
scoped to the coach.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from athletes.models import Athlete
from coach import formats, notation, records
from coach.fields import (
    DateField,
    DateInput,
    DistanceField,
    TimeField,
    offer_days,
    race_or_metres,
)

from .models import TIME_ZONES, AthleteGoal, Block, Session, SessionTemplate, Slot

MAX_BLOCK_DAYS = 366
FASTEST_RACE_M_PER_S = records.MAX_SPEED_M_PER_S  # no one races faster, 800 m or more
SLOWEST_RACE_M_PER_S = 1.0


def notation_widget() -> forms.Textarea:
    return forms.Textarea(attrs={
        "class": "notation", "rows": 3, "spellcheck": "false", "autocapitalize": "off",
        "autocomplete": "off", "placeholder": "2mi WU; 12x400 @ T+ (200 jog); 2mi CD",
    })


def parse_notation(text: str) -> notation.Workout | None:
    """The workout a coach typed, or None for a blank box; a ValidationError says where it broke."""
    if not text.strip():
        return None
    try:
        return notation.parse(text)
    except notation.NotationError as exc:
        raise forms.ValidationError(notation_message(exc), code="notation") from exc


def notation_message(exc: notation.NotationError) -> str:
    message = str(exc)
    column = getattr(exc, "column", None)
    if column and "column" not in message:
        return f"column {column}: {message}"
    return message


def goal_time_field(label: str) -> TimeField:
    """A goal time typed as a coach writes it; blank for none."""
    return TimeField(label=label, required=False, hint="Write it like 3:55.0 or 13:32.4.",
                     attrs={"css": "num goal-time", "placeholder": "e.g. 3:55.0"})


def check_goal_time(seconds: float | None, distance_m: float | None) -> float | None:
    """A goal time (None for none) if it can be raced over the goal distance. A
    ValidationError says what is wrong: no goal distance to race it over, faster than any
    human or slower than walking over that distance."""
    if seconds is None:
        return None
    if not distance_m:
        raise forms.ValidationError("Give the block’s goal race distance first.")
    speed = distance_m / seconds
    if speed > FASTEST_RACE_M_PER_S:
        raise forms.ValidationError(f"{formats.format_time(seconds)} for {distance_m:g} m is "
                                    "faster than any human has run.")
    if speed < SLOWEST_RACE_M_PER_S:
        raise forms.ValidationError(f"{formats.format_time(seconds)} for {distance_m:g} m is "
                                    "slower than walking; check the time.")
    return seconds


class BlockForm(forms.ModelForm):
    """Create or edit a block. Athletes come from the coach's active roster only.

    The block names the goal race (name, date, distance); each athlete offered has a goal
    time field of their own beside their name (``goal_<athlete pk>``)."""

    goal_distance = DistanceField(
        label="Goal race distance", required=False, max_length=32, display=race_or_metres,
        help_text="A race such as 1500, mile, 5k or 10k, or metres (3000).",
        attrs={"list": "race-distances", "inputmode": "text", "css": ""},
    )
    time_zone = forms.ChoiceField(
        choices=[(tz, tz.replace("_", " ")) for tz in TIME_ZONES],
        help_text="Where the block happens: “today” on the calendar follows it.",
    )

    class Meta:
        model = Block
        fields = [
            "title", "start_date", "end_date", "place", "altitude_m", "time_zone",
            "goal_race_name", "goal_race_date", "athletes", "notes",
        ]
        labels = {
            "start_date": "First day", "end_date": "Last day", "altitude_m": "Altitude (m)",
            "goal_race_name": "Goal race", "goal_race_date": "Goal race date",
        }
        help_texts = {
            "altitude_m": "Metres above sea level. From about 1000 m, aerobic paces are "
                          "adjusted.",
            "place": "Where you train, e.g. Flagstaff, Arizona.",
        }
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(), "goal_race_date": DateInput(),
            "athletes": forms.CheckboxSelectMultiple(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "altitude_m": forms.NumberInput(attrs={"min": 0, "max": 6000, "step": 1,
                                                   "inputmode": "numeric"}),
        }

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.coach = coach
        roster = Athlete.objects.for_coach(coach).active().order_by("display_name")
        self.fields["athletes"].queryset = roster
        self.fields["athletes"].help_text = (
            "Your active athletes. Targets are planned for each; a goal time beside a name "
            "is that athlete’s own for the goal race.")
        self.roster = list(roster)
        goals = dict(self.instance.goals.values_list("athlete_id", "time_s")
                     if self.instance.pk else ())
        for athlete in self.roster:
            name = f"goal_{athlete.pk}"
            self.fields[name] = goal_time_field(f"Goal time for {athlete.display_name}")
            if athlete.pk in goals:
                self.initial.setdefault(name, goals[athlete.pk])
        if not self.instance.pk:
            latest = Block.objects.for_coach(coach).order_by("-created").first()
            self.initial.setdefault("time_zone", latest.time_zone if latest else "UTC")
        else:
            self.initial.setdefault("goal_distance", self.instance.goal_distance_m)

    def athlete_rows(self) -> list[tuple]:
        """(checkbox, goal time field) per athlete offered, in the roster's order."""
        goals = {str(a.pk): self[f"goal_{a.pk}"] for a in self.roster}
        return [(choice, goals[str(choice.data["value"])]) for choice in self["athletes"]]

    def clean_altitude_m(self) -> int:
        altitude = self.cleaned_data["altitude_m"]
        if altitude is None:
            return 0
        if altitude > 6000:
            raise forms.ValidationError("Give an altitude up to 6000 m (Flagstaff is 2100 m).")
        return altitude

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", "The last day must be on or after the first day.")
            elif (end - start).days + 1 > MAX_BLOCK_DAYS:
                self.add_error("end_date", "A block can be at most a year long.")
            elif self.instance.pk:
                self._check_sessions_fit(start, end)
        self._clean_goals(data)
        return data

    def _clean_goals(self, data: dict) -> None:
        """Each athlete's goal time, checked against the goal distance, into ``goals`` (athlete
        -> seconds or None) for the athletes chosen. A goal newly typed for an athlete left
        unticked is refused rather than dropped."""
        distance = data.get("goal_distance")
        chosen = {a.pk for a in data.get("athletes") or ()}
        self.goals: dict[Athlete, float | None] = {}
        typed_without_distance = False
        for athlete in self.roster:
            name = f"goal_{athlete.pk}"
            if name in self.errors:
                continue
            seconds = data.get(name)
            if seconds is None:
                if athlete.pk in chosen:
                    self.goals[athlete] = None
                continue
            if athlete.pk not in chosen:
                if name in self.changed_data:
                    self.add_error(name, f"Tick {athlete.display_name} to give them a goal "
                                         "time in this block, or clear it.")
                continue
            if not distance and "goal_distance" not in self.errors:
                typed_without_distance = True
                continue
            try:
                self.goals[athlete] = check_goal_time(seconds, distance)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        if typed_without_distance:
            self.add_error("goal_distance", "Give the goal race distance for the goal times.")

    def _check_sessions_fit(self, start: dt.date, end: dt.date) -> None:
        outside = self.instance.sessions.exclude(date__range=(start, end)).order_by("date")
        first = outside.first()
        if first is not None:
            count = outside.count()
            what = "1 session falls" if count == 1 else f"{count} sessions fall"
            self.add_error(
                "start_date" if first.date < start else "end_date",
                f"{what} outside these dates (first: {first.title}, "
                f"{first.date:%a %-d %b}). Move or delete them first.",
            )

    def save(self, commit: bool = True) -> Block:
        block = super().save(commit=False)
        block.coach = block.coach if block.coach_id else self.coach
        block.goal_distance_m = self.cleaned_data.get("goal_distance")
        if commit:
            block.save()
            self.save_athletes(block)
            self.save_goals(block)
        return block

    def save_goals(self, block: Block) -> None:
        """Set or clear the goal times of the athletes chosen; those of athletes the form
        did not offer or that were left unticked stay as they were."""
        for athlete, seconds in self.goals.items():
            if seconds is None:
                AthleteGoal.objects.filter(block=block, athlete=athlete).delete()
            else:
                AthleteGoal.objects.update_or_create(block=block, athlete=athlete,
                                                     defaults={"time_s": seconds})

    def save_athletes(self, block: Block) -> None:
        """Set the chosen athletes, keeping those the form could not offer (deactivated or
        no longer on this coach's roster): the form only manages the ones it shows."""
        offered = self.fields["athletes"].queryset
        kept = block.athletes.exclude(pk__in=offered.values("pk"))
        block.athletes.set([*self.cleaned_data["athletes"], *kept])


class AthleteGoalForm(forms.Form):
    """One athlete's goal time for one block's goal race (the athlete page); blank clears it."""

    time = goal_time_field("Goal time")

    def __init__(self, *args, block: Block, **kwargs):
        kwargs.setdefault("prefix", f"goal-{block.pk}")
        super().__init__(*args, **kwargs)
        self.block = block

    def clean_time(self) -> float | None:
        return check_goal_time(self.cleaned_data["time"], self.block.goal_distance_m)


class SessionForm(forms.ModelForm):
    """Add or edit a session of a block: day, AM/PM, the workout in notation."""

    class Meta:
        model = Session
        fields = ["date", "slot", "title", "notation", "notes", "tolerance_pct"]
        labels = {"notation": "Workout", "tolerance_pct": "On-target tolerance (%)",
                  "slot": "Time of day"}
        help_texts = {
            "notation": "Write it as you would on the board: 2mi WU; 12x400 @ T+ (200 jog); "
                        "2mi CD. Targets: E M T T+ I R, 1500, mile, 5k, goal, 64, 3:05/km, "
                        "2.0-3.0 mmol.",
            "title": "Leave blank to use the workout.",
        }
        widgets = {
            "date": DateInput(),
            "slot": forms.RadioSelect(),
            "notation": notation_widget(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "tolerance_pct": forms.NumberInput(attrs={"min": 0.1, "max": 20, "step": 0.1,
                                                      "inputmode": "decimal"}),
        }

    def __init__(self, *args, block: Block, **kwargs):
        super().__init__(*args, **kwargs)
        self.block = block
        self.workout: notation.Workout | None = None
        self.fields["title"].required = False
        offer_days(self.fields["date"], block.start_date, block.end_date)

    def clean_notation(self) -> str:
        text = self.cleaned_data["notation"].strip()
        self.workout = parse_notation(text)
        if self.workout is None:
            raise forms.ValidationError("Write the workout, e.g. 50min easy or "
                                        "2mi WU; 6x1k @ T 60s; 2mi CD.", code="required")
        labels = {(part.label or "").upper() for part in self.workout.parts}
        if {Slot.AM.value, Slot.PM.value} <= labels:
            raise forms.ValidationError(
                "This workout has an AM and a PM part: a session is one run, so save the AM "
                "part in the AM slot and the PM part in the PM slot.", code="two_sessions")
        return text

    def clean_tolerance_pct(self) -> float:
        value = self.cleaned_data["tolerance_pct"]
        if value is None or not 0 < value <= 20:
            raise forms.ValidationError("Give a tolerance between 0.1 and 20 %.")
        return value

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if not self.block.contains(day):
            raise forms.ValidationError(
                f"Pick a day in the block ({self.block.start_date:%-d %b} – "
                f"{self.block.end_date:%-d %b %Y})."
            )
        return day

    def clean(self):
        data = super().clean()
        day, slot = data.get("date"), data.get("slot")
        if day and slot:
            taken = self.block.sessions.filter(date=day, slot=slot).exclude(pk=self.instance.pk)
            occupant = taken.first()
            if occupant is not None:
                self.add_error("slot", f"{day:%a %-d %b} {slot} already has “{occupant.title}”. "
                               "Pick the other time of day or another day.")
        if not data.get("title") and self.workout is not None:
            data["title"] = auto_title(self.workout, data.get("notation", ""))
        return data

    def save(self, commit: bool = True) -> Session:
        session = super().save(commit=False)
        session.block = self.block
        session.title = self.cleaned_data["title"]
        if commit:
            session.save()
        return session


def auto_title(workout: notation.Workout, text: str) -> str:
    """A session title from its workout: the canonical text, cut to fit."""
    try:
        title = notation.format(workout)
    except Exception:  # a formatter gap must not block saving what the coach typed
        title = text
    title = " ".join(title.split())
    return title if len(title) <= 120 else title[:119] + "…"


class SlotForm(forms.Form):
    """Where a session goes when it is moved or copied."""

    date = DateField(label="Day")
    slot = forms.ChoiceField(label="Time of day", choices=Slot.choices)
    swap = forms.BooleanField(required=False)

    def __init__(self, *args, block: Block, **kwargs):
        super().__init__(*args, **kwargs)
        self.block = block

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if not self.block.contains(day):
            raise forms.ValidationError(self.block.outside_text(day))
        return day


class CopyWeekForm(forms.Form):
    """Copy one week of a block onto another: weeks are named by their Monday."""

    source = forms.DateField(label="Copy the week of", widget=forms.Select())
    target = forms.DateField(label="to the week of", widget=forms.Select())

    def __init__(self, *args, block: Block, **kwargs):
        super().__init__(*args, **kwargs)
        self.block = block
        mondays = [week[0] for week in block.weeks()]
        choices = [(m.isoformat(), f"{m:%a %-d %b}") for m in mondays]
        self.fields["source"].widget.choices = choices
        self.fields["target"].widget.choices = choices
        self.mondays = set(mondays)

    def _monday(self, field: str) -> dt.date:
        day = self.cleaned_data[field]
        if day not in self.mondays:
            raise forms.ValidationError("Pick a week of this block.")
        return day

    def clean_source(self) -> dt.date:
        return self._monday("source")

    def clean_target(self) -> dt.date:
        return self._monday("target")

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", "Pick a different week to copy to.")
        return data


class TemplateForm(forms.ModelForm):
    """A coach's saved workout. Titles are unique per coach."""

    replace = forms.BooleanField(
        required=False, label="Replace my template",
    )

    class Meta:
        model = SessionTemplate
        fields = ["title", "notation", "notes"]
        labels = {"notation": "Workout"}
        widgets = {"notation": notation_widget(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.coach = coach
        self.existing: SessionTemplate | None = None

    def clean_notation(self) -> str:
        text = self.cleaned_data["notation"].strip()
        if parse_notation(text) is None:
            raise forms.ValidationError("Write the workout to save as a template.")
        return text

    def clean(self):
        data = super().clean()
        title = (data.get("title") or "").strip()
        same = SessionTemplate.objects.filter(coach=self.coach, title__iexact=title)
        self.existing = same.exclude(pk=self.instance.pk).first()
        if self.existing is not None and not data.get("replace"):
            self.add_error("title", f"You already have a template called “{self.existing.title}”. "
                           "Choose another title, or tick “Replace”.")
        return data

    def validate_unique(self) -> None:
        """Uniqueness of the title is checked in clean() with a friendlier message."""

    def save(self, commit: bool = True) -> SessionTemplate:
        template = self.instance
        if self.existing is not None:  # replacing: the old one takes the new content
            if template.pk:
                template.delete()
            template = self.existing
        template.coach = self.coach
        for name in ("title", "notation", "notes"):
            setattr(template, name, self.cleaned_data[name])
        if commit:
            template.save()
        return template
