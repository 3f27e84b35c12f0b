"""Forms of the log: one rep row, an added rep, the session's own fields, the coach's comment.

Times and distances are read by the fields of ``coach.fields`` (a lone decimal comma from a
phone's keypad included), so a split typed on the log form reads like one typed anywhere
else; the checks against the rep (a speed a runner can run, a rep cut short is shorter) are
here.

A rep row saves only the fields that differ from what is stored (``changed_data``), and of
those only the valid ones: a bad heart rate never costs the athlete the time typed beside it,
and a bad time never overwrites a saved one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django import forms

from coach import formats
from coach.fields import (
    TIME_EXAMPLES,
    DateInput,
    DistanceField,
    TimeField,
    amount_text,
    decimal_point,
    split_text,
    text_input,
    whole_minutes_text,
)

from . import judging, versions
from .models import RepResult, SessionLog

MIN_SESSION_S = 5 * 60
MAX_SESSION_S = 12 * 3600
MAX_SESSION_M = 200_000
NOTES_MAX = 4000
HR_MIN, HR_MAX = 25, 250
LACTATE_MAX = 30.0



def number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Question:
    """A split too fast or too slow for its rep, asked about instead of stored: "6.64 s for
    400 m? Did you mean 1:06.4?" (``suggestion``: seconds, or None; ``can_keep``: whether the
    value is possible at all, so that the athlete may keep it)."""

    typed: str
    message: str
    suggestion: float | None
    can_keep: bool

    @property
    def suggestion_value(self) -> str:
        return split_text(self.suggestion)

    @property
    def suggestion_label(self) -> str:
        return "" if self.suggestion is None else formats.format_time(self.suggestion)


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")


class RepForm(forms.Form):
    """One row of the log: the time, and optionally heart rate, lactate, distance run, a note.

    It validates a row's POST (fields without a prefix: ``time``, ``lactate``, ``avg_hr``,
    ``note``, ``distance``; only the fields posted are changed) and renders the row's details
    panel; the row itself is plain data (``sessions/log_rows.py``). A split impossible or far
    off for its rep is not stored but questioned (``question``), unless ``confirm`` says the
    athlete meant it and it is possible at all."""

    FIELDS = {"time": "actual_s", "avg_hr": "avg_hr", "lactate": "lactate",
              "distance": "distance_m", "note": "note"}

    time = TimeField(label="Time", required=False, display=split_text,
                     hint=f"Write it like {TIME_EXAMPLES}.")
    avg_hr = forms.CharField(label="Heart rate", required=False, max_length=8,
                             widget=text_input(inputmode="numeric", css="num"))
    lactate = forms.CharField(label="Lactate", required=False, max_length=8,
                              widget=text_input(inputmode="decimal", css="num"))
    distance = DistanceField(label="Distance run", required=False)
    note = forms.CharField(label="Note", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "enterkeyhint": "done"}))

    def __init__(self, *args, rep: RepResult, **kwargs) -> None:
        self.rep = rep
        self._question: Question | None = None
        kwargs.setdefault("auto_id", f"rep-{rep.position}-%s")  # ids unique on the page
        kwargs.setdefault("initial", self.initial_for(rep))
        super().__init__(*args, **kwargs)
        self.fields["time"].widget.attrs.update(
            inputmode="decimal", placeholder=self.time_placeholder(rep), enterkeyhint="next")
        if rep.is_timed:
            self.fields["distance"].label = "Distance (m)"
            self.fields["time"].label = "Time run, if not " + rep.amount_label
            self.fields["distance"].widget.attrs["placeholder"] = "metres"
        else:
            planned = rep.planned_distance_m or rep.distance_m
            self.fields["distance"].label = "Distance run, if cut short"
            if planned:
                self.fields["distance"].widget.attrs["placeholder"] = formats.format_amount(
                    planned, None)
        self.fields["avg_hr"].widget.attrs["placeholder"] = "bpm"
        self.fields["lactate"].widget.attrs["placeholder"] = (
            f"band {rep.lactate_band_label}" if rep.lactate_lo is not None else "mmol/L"
        )
        self.primary, self.in_row, self.more = self.layout(rep)

    @staticmethod
    def layout(rep: RepResult) -> tuple[str, list[str], list[str]]:
        """The row's one box (``primary``), the boxes shown in the row (the primary one, and
        the lactate box of a rep with a lactate target), and those of the details panel.

        The primary box is the one the rep is judged by: the time for a rep with a time target,
        the lactate for a lactate-steered rep, the distance covered for a timed rep."""
        if rep.lactate_lo is not None and rep.target is None:
            primary = "lactate"
        elif rep.is_timed:
            primary = "distance"
        else:
            primary = "time"
        in_row = [primary]
        if rep.lactate_lo is not None and primary != "lactate":
            in_row.append("lactate")
        order = ["time", "distance", "avg_hr", "lactate", "note"]
        if rep.is_timed:
            order = ["distance", "time", "avg_hr", "lactate", "note"]
        return primary, in_row, [name for name in order if name not in in_row]

    @property
    def question(self) -> Question | None:
        """The split asked about instead of stored, if any (a bound form, once validated)."""
        if self.is_bound:
            self.is_valid()
        return self._question

    @property
    def more_fields(self):
        return [self[name] for name in self.more]

    @property
    def more_has_errors(self) -> bool:
        return any(name in self.errors for name in self.more)

    @staticmethod
    def initial_for(rep: RepResult) -> dict[str, object]:
        planned = rep.planned_distance_m
        run_differs = rep.distance_m is not None and (
            planned is None or abs(rep.distance_m - planned) > 0.05
        )
        return {
            "time": rep.actual_s,
            "avg_hr": "" if rep.avg_hr is None else str(rep.avg_hr),
            "lactate": number_text(rep.lactate),
            "distance": rep.distance_m if run_differs else None,
            "note": rep.note,
        }

    @staticmethod
    def time_placeholder(rep: RepResult) -> str:
        target = rep.target
        if target is not None:
            return "e.g. " + formats.format_split((target[0] + target[1]) / 2, rep.distance_m)
        if rep.is_timed:
            return formats.format_time(rep.duration_s)
        return "e.g. 4:05" if (rep.distance_m or 0) >= 800 else "e.g. 64.2"

    def clean_avg_hr(self) -> int | None:
        text = self.cleaned_data["avg_hr"].strip()
        if not text:
            return None
        if not text.isdecimal():
            raise forms.ValidationError(
                f'"{text}" is not a heart rate: write whole beats per minute, like 172.'
            )
        value = int(text)
        if not HR_MIN <= value <= HR_MAX:
            raise forms.ValidationError(
                f"A heart rate of {value} bpm is not possible: it is between {HR_MIN} and "
                f"{HR_MAX}."
            )
        return value

    def clean_lactate(self) -> float | None:
        text = decimal_point(self.cleaned_data["lactate"])
        if not text:
            return None
        if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]+)?", text):
            raise forms.ValidationError(
                f'"{text}" is not a lactate reading: write mmol/L, like 2.4.'
            )
        value = float(text)
        if not 0 < value <= LACTATE_MAX:
            raise forms.ValidationError(
                f"{value:g} mmol/L is not a lactate reading: readings are above 0 and at most "
                f"{LACTATE_MAX:g}."
            )
        return round(value, 1)

    def clean_distance(self) -> float | None:
        metres = self.cleaned_data["distance"]
        if metres is None:
            return None
        check_rep_distance(metres)
        planned = self.rep.planned_distance_m
        if not self.rep.is_timed and planned and metres > planned + 0.05:
            raise forms.ValidationError(
                f"{formats.format_amount(metres, None)} is longer than the "
                f"{formats.format_amount(planned, None)} planned: a rep cut short is shorter. "
                "Ran further? Add a rep below."
            )
        return metres

    def _pair(self, data: dict) -> tuple[float | None, float | None]:
        """The time and distance the row would hold after this save (a field not posted keeps
        what is stored)."""
        rep = self.rep
        if "distance" in self.data:
            metres = data.get("distance") or (None if rep.is_timed else
                                              rep.planned_distance_m or rep.distance_m)
        else:
            metres = rep.distance_m
        seconds = data.get("time") if "time" in self.data else rep.actual_s
        if rep.is_timed:
            seconds = seconds or rep.duration_s
        return seconds, metres

    def suggestion(self, typed: str, metres: float) -> float | None:
        """What the typed digits most likely meant (``judging.likely_reading``)."""
        return judging.likely_reading(formats.time_readings(typed), metres,
                                      judging.target_over(self.rep, metres),
                                      besides=self.cleaned_data.get("time"))

    def clean(self) -> dict:
        """Time and distance together: the speed must be one a runner can run.

        A split typed alone that is impossible or far off for the rep is questioned (``question``,
        not stored): a slip on the keypad most likely. ``confirm`` keeps one that is possible.
        When a typed time and distance together fail, neither is saved: the error stands beside
        each box the athlete changed."""
        data = super().clean()
        if "time" in self.errors or "distance" in self.errors:
            return data
        typed = [name for name in ("time", "distance")
                 if name in self.data and name in self.changed_data]
        seconds, metres = self._pair(data)
        if not typed or not seconds or not metres:
            return data
        if typed == ["time"] and data.get("time") is not None:
            return self._check_split(data, seconds, metres)
        if judging.is_possible(seconds, metres):
            return data
        for name in typed:
            self.add_error(name, f"{self._problem(seconds, metres)}: check the {name}.")
        return data

    def _problem(self, seconds: float, metres: float) -> str:
        where = f"{formats.format_time(seconds)} for {formats.format_amount(metres, None)}"
        if metres / seconds > judging.FASTEST_M_PER_S:
            return f"{where} is faster than a world record"
        return f"{where} is too slow for a rep"

    def _check_split(self, data: dict, seconds: float, metres: float) -> dict:
        possible = judging.is_possible(seconds, metres)
        plausible = judging.is_plausible(seconds, metres, judging.target_over(self.rep, metres))
        if plausible or (possible and self.data.get("confirm") == "1"):
            return data
        text = str(self.data.get("time", "")).strip()
        better = self.suggestion(text, metres)
        if not possible and better is None:
            self.add_error("time", f"{self._problem(seconds, metres)}: check the time.")
            return data
        shown = f"{text} s" if _PLAIN_NUMBER.fullmatch(text) else text
        message = f"{shown} for {formats.format_amount(metres, None)}?"
        if better is not None:
            message += f" Did you mean {formats.format_time(better)}?"
        self._question = Question(text, message, better, possible)
        data.pop("time", None)
        return data

    def values_to_save(self) -> dict[str, object]:
        """Model field -> value for the posted fields the athlete changed and got right (a
        questioned time is not among them)."""
        self.is_valid()
        values = {}
        for name in self.changed_data:
            if name not in self.data or name in self.errors or name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if name == "distance" and value is None:
                value = self.rep.planned_distance_m  # blank again: as planned
            if name == "note":
                value = value.strip()
            values[self.FIELDS[name]] = value
        return values


def check_rep_distance(metres: float) -> None:
    if metres > 50_000:
        raise forms.ValidationError(f"{metres:g} m is not a rep: check the distance.")


class AddRepForm(forms.Form):
    """A rep the plan did not have (one more, or a rep split in two)."""

    distance = DistanceField(
        label="Distance of the added rep", attrs={"placeholder": "e.g. 400"},
        error_messages={"required": "How far was it? Write the distance, like 400."},
    )

    def clean_distance(self) -> float:
        metres = self.cleaned_data["distance"]
        check_rep_distance(metres)
        return metres


RPE_CHOICES = [
    ("", "–"),
    (1, "1 · very, very easy"), (2, "2 · easy"), (3, "3 · moderate"),
    (4, "4 · somewhat hard"), (5, "5 · hard"), (6, "6 · hard+"), (7, "7 · very hard"),
    (8, "8 · very hard+"), (9, "9 · extremely hard"), (10, "10 · maximal"),
]


class LogForm(forms.ModelForm):
    """The session as a whole: when, how hard, how long, how it felt."""

    rpe = forms.TypedChoiceField(
        label="Effort (RPE 1–10)", choices=RPE_CHOICES, coerce=int, empty_value=None,
        required=False,
    )
    duration = TimeField(
        label="Total time", required=False, max_length=16, minutes=True,
        display=whole_minutes_text, hint="Write minutes (95) or h:mm:ss (1:35:00).",
        help_text="Minutes (95) or h:mm:ss (1:35:00), warm-up to cool-down.",
        attrs={"inputmode": "text", "placeholder": "95"},
    )
    distance = DistanceField(
        label="Distance", required=False, unit_below=100, display=amount_text,
        help_text="With its unit: 10 km, 6.2 mi or 10000 m.",
        attrs={"inputmode": "text", "placeholder": "10 km"},
    )

    class Meta:
        model = SessionLog
        fields = ["date_done", "rpe", "feeling", "notes"]
        labels = {"date_done": "Date run", "feeling": "How it felt", "notes": "Notes"}
        widgets = {
            "date_done": DateInput(),
            "feeling": forms.TextInput(attrs={
                "placeholder": "Strong, flat, heavy legs…", "autocomplete": "off",
            }),
            "notes": forms.Textarea(attrs={"rows": 3, "placeholder": "Wind, track, anything"}),
        }

    field_order = ["date_done", "rpe", "duration", "distance", "feeling", "notes"]
    FIELDS = {"duration": "duration_s", "distance": "distance_m"}  # form field -> model field

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # The fields open on demand: a post without them (Finish with the session's
            # details folded) changes none of them, rather than clearing them.
            for name in [name for name in self.fields if self.add_prefix(name) not in self.data]:
                del self.fields[name]
            if not self.fields:
                return
        log = self.instance
        # Always set, so that clearing the box counts as a change (changed_data).
        self.initial["duration"] = log.duration_s
        self.initial["distance"] = log.distance_m
        if "notes" in self.fields:
            self.fields["notes"].widget.attrs["maxlength"] = NOTES_MAX
        if "distance" not in self.fields and "duration" not in self.fields:
            return
        session = versions.followed_plan(log.session, log.athlete_id)  # their own, if any
        if session.total_distance_m and "distance" in self.fields:
            self.fields["distance"].widget.attrs["placeholder"] = formats.format_amount(
                session.total_distance_m, None)
        if (not session.rep_count and session.estimated_duration_s
                and "duration" in self.fields):
            self.fields["duration"].widget.attrs["placeholder"] = formats.format_time(
                session.estimated_duration_s, decimals=0)

    def clean_distance(self) -> float | None:
        metres = self.cleaned_data["distance"]
        if metres is None:
            return None
        if metres > MAX_SESSION_M:
            raise forms.ValidationError(
                f"{formats.format_amount(metres, None)} is over 200 km: check the distance.")
        return metres

    def changes(self) -> dict[str, object]:
        """Model field -> value for the fields the athlete changed and got right (a bad field
        never blocks the rest, and never reaches the database)."""
        self.is_valid()
        return {
            self.FIELDS.get(name, name): self.cleaned_data[name]
            for name in self.changed_data
            if name not in self.errors and name in self.cleaned_data
        }

    def clean_notes(self) -> str:
        text = self.cleaned_data["notes"].strip()
        if len(text) > NOTES_MAX:
            raise forms.ValidationError(
                f"Keep the notes to at most {NOTES_MAX} characters (they have {len(text)}).")
        return text

    def clean_date_done(self) -> dt.date:
        day = self.cleaned_data["date_done"]
        latest = self.instance.session.block.today() + dt.timedelta(days=1)
        if day > latest:
            raise forms.ValidationError("That date has not come yet.")
        if day < self.instance.session.date - dt.timedelta(days=366):
            raise forms.ValidationError("That is over a year before the session.")
        return day

    def clean_duration(self) -> float | None:
        seconds = self.cleaned_data["duration"]
        if seconds is None:
            return None
        if seconds < MIN_SESSION_S:
            raise forms.ValidationError(
                f"{formats.format_time(seconds)} is under 5 minutes: for an hour and a half write "
                "90 or 1:30:00."
            )
        if seconds > MAX_SESSION_S:
            raise forms.ValidationError("That is over 12 hours: check the total time.")
        return seconds
