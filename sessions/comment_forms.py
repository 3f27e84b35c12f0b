"""The reply form under a log: a message, optionally about one rep, and for a coach the choice
of a private note the athlete never sees."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator

from .models import COMMENT_MAX_CHARS, RepResult, SessionLog


class _ReadChoices(ModelChoiceIterator):
    """The choices from the queryset's rows when they are already read (``CommentForm``'s
    ``reps``), else from the database as Django's iterator does."""

    def __iter__(self):
        if self.queryset._result_cache is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class RepChoice(forms.ModelChoiceField):
    iterator = _ReadChoices

    def label_from_instance(self, rep: RepResult) -> str:
        return f"Rep {rep.position} · {rep.amount_label}"


class CommentForm(forms.Form):
    """A new comment on ``log`` by ``user``: ``rep`` offers only this log's reps (nobody can
    post another log's ids), ``private`` only to a coach (not the athlete whose log it is)."""

    body = forms.CharField(
        label="Reply", widget=forms.Textarea(attrs={"rows": 3}), strip=True,
        error_messages={"required": "Write something first."},
    )
    rep = RepChoice(queryset=RepResult.objects.none(), required=False,
                    empty_label="The whole session", label="About")
    private = forms.BooleanField(required=False, label="Private note (athlete won’t see it)")

    def __init__(self, *args, log: SessionLog, user, reps: list[RepResult] | None = None,
                 **kwargs) -> None:
        """``reps``: the log's reps when the page has read them already (the summary): the
        choices are drawn from them instead of two more queries (the field's check that any
        exist, then its options). What is posted is still looked up in the database."""
        super().__init__(*args, **kwargs)
        self.log = log
        field = self.fields["rep"]
        field.queryset = RepResult.objects.filter(log=log).order_by("position")
        if reps is not None:
            field.queryset._result_cache = sorted(reps, key=lambda rep: rep.position)
        if log.athlete.user_id == user.pk:
            del self.fields["private"]
            self.fields["body"].label = "Reply to your coach"
        else:
            self.fields["body"].label = f"Reply to {log.athlete.display_name}"

    def clean_body(self) -> str:
        text = self.cleaned_data["body"]  # already stripped (``strip=True``)
        if len(text) > COMMENT_MAX_CHARS:
            raise forms.ValidationError(
                f"Keep it under {COMMENT_MAX_CHARS:,} characters (this is {len(text):,}).")
        return text
