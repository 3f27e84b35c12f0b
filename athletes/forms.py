"""Roster forms: each parses and checks its input in clean_*, and every object a field
chooses comes from a queryset scoped to the user who submits it."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from .models import EVENT_CHOICES, Squad, User
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
    main_event = forms.ChoiceField(choices=[("", "—"), *EVENT_CHOICES], required=False)
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

    def clean_email(self) -> str:
        email = super().clean_email()
        person = self.existing_user
        if person is not None and person.athlete_or_none is not None:
            raise forms.ValidationError(
                f"{person.athlete.display_name} already has this email on the roster."
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
    event = forms.ChoiceField(required=False, choices=[("", "All events"), *EVENT_CHOICES])
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
            data["plans"] = plan_rows(read_rows(text))
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
