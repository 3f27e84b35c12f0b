"""The log page's rows as plain data: what each compact row shows, built once in Python.

A row is one line on a phone (docs/logging.md): the rep's number, its amount, its target, the
one box it is judged by (the time; the lactate for a lactate-steered rep; the distance for a
timed rep) and, for a rep with a lactate band, the lactate box too, then the verdict once saved.
Heart rate, a note, the distance of a rep cut short and skip or remove are in the row's details
panel, rendered only when asked for (``RepForm``, GET .../more/), or inline when one of them
holds an error.

Building rows here rather than from a form with five widgets per row keeps the page and a save
cheap: the template only writes strings out. That template is Jinja2
(``templates/jinja2/training/rep_rows.html``, drawn by ``render_rows``, in Django templates by
``{% rep_rows %}``): the same markup in Django's template language took five times as long,
the largest part of the page's time (docs/frontend.md, "Fast fragments").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat
from django.utils.safestring import SafeString

from coach import formats
from coach.fields import metres_text, split_text
from coach.jinja2 import render_fragment

from . import judging
from .log_forms import Question, RepForm, number_text
from .models import RepResult

BOX_LABELS = {"time": "time", "lactate": "lactate, mmol/L", "distance": "distance run, m"}
PILLS = {"on": "ok on", "fast": "fast", "slow": "slow"}
LACTATE_PILLS = {"in": "ok", "above": "slow", "below": "fast"}


@dataclass(slots=True)
class Box:
    """One input of a row: ``time``, ``lactate`` or ``distance``."""

    name: str
    id: str
    value: str
    label: str
    placeholder: str
    primary: bool
    error: str = ""


@dataclass(slots=True)
class Row:
    """Everything one row of the log page shows (``templates/jinja2/training/rep_rows.html``)."""

    position: int
    name: str
    css: str
    target: str
    save_url: str
    skip_url: str
    more_url: str
    remove_url: str = ""
    ran: str = ""
    extra: bool = False
    skipped: bool = False
    boxes: list[Box] = field(default_factory=list)
    deviation: str = ""
    pill: str = ""
    pill_label: str = ""
    advice: str = ""
    state: str = ""
    state_ok: bool = False  # the state says the row is saved (a tick goes before it)
    saved: bool = False
    saved_at: int | None = None
    question: Question | None = None
    more: RepForm | None = None  # the details panel, shown open (an error in it, no-JS page)
    more_html: str = ""  # that panel drawn (``log.html#rep-more``: form fields, Django's)


def log_base_url(session_id: int) -> str:
    """``/sessions/<s>/log/``: every row's address hangs off it (``build_row``)."""
    return _log_base_url(session_id, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=1024)
def _log_base_url(session_id: int, prefix: str, urlconf: str | None) -> str:
    return reverse("training:log", args=[session_id])  # (a reverse costs more than a row)


def stored_text(rep: RepResult, name: str) -> str:
    """A stored value as it goes back into its box."""
    if name == "time":
        return split_text(rep.actual_s)
    if name == "lactate":
        return number_text(rep.lactate)
    if name == "distance":
        distance = RepForm.initial_for(rep)["distance"]
        return "" if distance is None else metres_text(distance)
    raise ValueError(name)


def placeholder(rep: RepResult, name: str) -> str:
    if name == "time":
        return RepForm.time_placeholder(rep)
    if name == "lactate":
        return rep.lactate_band_label or "mmol/L"
    return "metres"


def target_label(rep: RepResult, verdict: judging.Judged) -> str:
    if verdict.target:
        return formats.format_range(*verdict.target, distance_m=rep.distance_m)
    if rep.lactate_lo is not None:
        return f"{rep.lactate_band_label} mmol/L"
    return rep.target_text


def state_text(rep: RepResult, *, errors: bool, question: bool, primary: str,
               entered: bool | None = None) -> str:
    """The row's state line (``entered``: ``rep.is_entered``, if the caller knows it)."""
    entered = rep.is_entered if entered is None else entered
    if errors:
        rest = " (the rest is saved)" if entered else ""
        return f"Not saved: fix the box marked in red{rest}"
    if question:
        return "Not saved: check the time"
    if rep.skipped:
        return "Saved as skipped"
    if entered:
        todo = "" if rep.is_done else f" · {BOX_LABELS[primary].split(',')[0]} still to enter"
        return f"Saved{todo}"
    return ""


def build_row(rep: RepResult, tolerance_pct: float, base_url: str, *,
              form: RepForm | None = None, saved_at: int | None = None,
              show_more: bool = False) -> Row:
    """The row of ``rep`` (``base_url``: ``log_base_url`` of its session). ``form``: the
    athlete's POST, when it holds an error or a question (what they typed stays in the box)."""
    verdict = judging.judge(rep, tolerance_pct)
    primary, in_row, more = RepForm.layout(rep)
    position = rep.position
    url = f"{base_url}reps/{position}/"
    errors = form.errors if form is not None else {}
    question = form.question if form is not None else None
    boxes = []
    amount = rep.amount_label
    for name in in_row:
        typed = form is not None and name in form.data and (name in errors or (
            name == "time" and question is not None))
        value = form.data.get(name, "") if typed else stored_text(rep, name)
        boxes.append(Box(
            name=name, id=f"rep-{position}-{name}", value=value,
            label=f"Rep {position}, {amount}: {BOX_LABELS[name]}",
            placeholder=placeholder(rep, name), primary=name == primary,
            error=" ".join(errors.get(name, [])),
        ))
    css = ["rep-row"]
    entered = rep.is_entered
    if rep.skipped:
        css.append("is-skipped")
    elif errors:
        css.append("has-errors")
    elif question is not None:
        css.append("is-questioned")
    elif entered:
        css.append("is-saved")
    if verdict.status:
        css.append(f"status-{verdict.status}")
    row = Row(
        position=position, name=amount, css=" ".join(css), target=target_label(rep, verdict),
        save_url=url, skip_url=f"{url}skip/", more_url=f"{url}more/",
        remove_url=reverse("training:rep-remove", args=[rep.pk]) if rep.extra and rep.pk else "",
        ran=rep.ran_label if rep.is_cut_short else "", extra=rep.extra, skipped=rep.skipped,
        boxes=boxes, saved=entered, saved_at=saved_at, question=question,
        state=state_text(rep, errors=bool(errors), question=question is not None,
                         primary=primary, entered=entered),
    )
    row.state_ok = bool(row.state) and not (errors or question is not None)
    if question is not None or primary in errors:
        pass  # the verdict would judge the stored value, not the one in the box
    elif verdict.status:
        row.deviation = verdict.deviation_label
        row.pill, row.pill_label = PILLS[verdict.status], verdict.status_label
    elif verdict.lactate_status:
        row.pill = LACTATE_PILLS[verdict.lactate_status]
        row.pill_label = verdict.lactate_label
    if verdict.lactate_status and verdict.lactate_status != "in":
        row.advice = f"Lactate {verdict.lactate_advice}."
    more_errors = any(name in errors for name in more)
    if show_more or more_errors:
        row.more = form if form is not None else RepForm(rep=rep)
        row.more_html = render_to_string("training/log.html#rep-more", {"row": row})
    return row


def render_rows(rows: Iterable[Row], *, csrf_token: str, cid: str | None = None,
                progress: dict[str, int] | None = None) -> SafeString:
    """The rows' HTML (``cid``: the client's id of the save a row answers; ``progress``: the
    log's progress, added out of band: a save's whole answer)."""
    return render_fragment("training/rep_rows.html", {
        "rows": rows, "csrf_token": csrf_token, "cid": cid, "answer_progress": progress})


def render_page(context) -> SafeString:
    """The log page under its problem box (``templates/jinja2/training/log_page.html``): the
    header, progress, rows by set and the two forms under them, from the page's context
    (``log_views._log_context``)."""
    session, log = context["session"], context["log"]
    return render_fragment("training/log_page.html", {
        "session": session, "log": log, "groups": context["groups"], "added": context["added"],
        "sources": context["sources"], "progress": context["progress"], "oob": False,
        "has_time_targets": context["has_time_targets"],
        "has_lactate_targets": context["has_lactate_targets"],
        "rendered_at": context["rendered_at"], "user_pk": context["user"].pk,
        "csrf_token": str(context.get("csrf_token", "")), "cid": None, "answer_progress": None,
        "date_label": dateformat.format(session.date, "D j M"),  # as |date:"D j M"
        "tolerance_label": floatformat(session.tolerance_pct, "-1"),
        "summary_url": reverse("training:log-summary", args=[log.pk]) if log.completed else "",
        "import_url": reverse("training:log-import", args=[session.pk]),
        **forms_context(context),
    })


def forms_context(context) -> dict:
    """What "Add a rep" and "How it went" read (``log_rep_add.html``, ``log_details.html``),
    from a Django context: the page's, or an htmx answer's. The forms' own fields stay
    Django's (``log.html#rep-add-field``, ``#log-details-fields``), drawn only when open."""
    log, form, add_form = context.get("log"), context.get("form"), context.get("add_form")
    show_fields = bool(context.get("show_fields"))
    return {
        "log_url": log_base_url(log.session_id), "oob": bool(context.get("oob")),
        "csrf_token": str(context.get("csrf_token", "")),
        "field_html": render_to_string("training/log.html#rep-add-field",
                                       {"add_form": add_form}) if add_form else "",
        "has_errors": bool(form is not None and form.errors),
        "show_fields": show_fields, "log_facts": context.get("log_facts") or "",
        "saved": bool(context.get("saved")), "completed": bool(log.completed),
        "fields_html": render_to_string("training/log.html#log-details-fields",
                                        {"form": form}) if show_fields and form else "",
    }


def render_form(name: str, context) -> SafeString:
    """"Add a rep" (``rep-add``) or "How it went" (``log-details``) alone, for an htmx
    answer (``log.html``'s partials of those names)."""
    file = {"rep-add": "training/log_rep_add.html", "log-details": "training/log_details.html"}
    return render_fragment(file[name], forms_context(context))


def render_progress(progress: dict[str, int] | None, *, oob: bool = False) -> SafeString:
    """The log's "8 of 22 reps done" line."""
    progress = progress or {"done": 0, "total": 0}
    return render_fragment("training/log_progress.html", {"progress": progress, "oob": oob})


def build_rows(reps: list[RepResult], tolerance_pct: float, session_id: int,
               bound: dict[int, RepForm] | None = None) -> dict[int, Row]:
    """Rows by position (``bound``: forms with the athlete's input, by position)."""
    base = log_base_url(session_id)
    bound = bound or {}
    return {rep.position: build_row(rep, tolerance_pct, base, form=bound.get(rep.position))
            for rep in reps}
