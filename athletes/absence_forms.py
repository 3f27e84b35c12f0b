"""The availability form: the days an athlete is out, why, and a note. The dates are checked
here (``athletes.models.absence_dates_problem``) and the message stands next to the field."""

from __future__ import annotations

from django import forms

from coach.fields import DateInput

from .models import Absence, Reason, absence_dates_problem


class AbsenceForm(forms.ModelForm):
    prefix = "absence"

    class Meta:
        model = Absence
        fields = ["reason", "start", "end", "note"]
        labels = {"reason": "Why", "start": "First day out", "end": "Last day out",
                  "note": "Note"}
        help_texts = {"end": "Included: the day before they are back.", "note": ""}
        widgets = {
            "start": DateInput,
            "end": DateInput,
            "note": forms.TextInput(attrs={"placeholder": "e.g. sore Achilles, physio Tuesday"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Reason.choices  # one of the three, no blank line

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            problem = absence_dates_problem(start, end)
            if problem:
                self.add_error("end", problem)
        return data
