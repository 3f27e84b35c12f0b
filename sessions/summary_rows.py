"""The log summary's sets and its table of every rep as plain rows, drawn by Jinja2.

The summary (``training/log_summary.html``) writes a card per set (its figures and its chart,
``sessions.charts``) and a table row per rep: on a 22-rep session those were most of the
page's template time in Django's language. Here they are built once in Python from the
summary (``sessions.summary``) and drawn by ``templates/jinja2/training/log_summary_sets.html``
and ``log_summary_reps.html`` (docs/frontend.md, "Fast fragments"): the same markup, every
value ready, nothing in a fragment touching the database or a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString

from coach import formats
from coach.jinja2 import render_fragment
from coach.templatetags.coach_tags import split  # the times as the templates write them

from .charts import Chart
from .log_rows import LACTATE_PILLS
from .summary import GroupSummary, Summary


@dataclass(frozen=True, slots=True)
class Remark:
    """A comment on one rep, beside it in the table (its link goes to the comment)."""

    pk: int
    author: str
    private: bool
    snippet: str


@dataclass(frozen=True, slots=True)
class RepLine:
    """One row of the table of every rep, as ``log_summary_reps.html`` writes it."""

    position: int
    amount: str
    cut_short: str  # the distance run when the rep was cut short, else ""
    extra: bool
    skipped: bool
    target: str  # "" when there is none (the cell shows a dash)
    time: str  # the time run as called ("" without one)
    timed: bool  # on the coach's stopwatch
    watch: bool  # from a watch file
    ran: str  # the distance run of a timed rep ("" otherwise)
    deviation: str
    pill: str  # the verdict's pill class ("" without a verdict)
    pill_label: str
    hr: str
    lactate: str
    note: str
    remarks: tuple[Remark, ...]


@dataclass(frozen=True, slots=True)
class SetCard:
    """One set's card: its title, figures and chart."""

    number: int
    title: str
    on: int
    judged: int
    mean_deviation: str | None  # None without deviations
    worst_deviation: str
    mean_time: str  # "" without one
    fastest: str
    fastest_position: int | None
    slowest: str
    slowest_position: int | None
    chart: Chart | None
    chart_id: str


def set_card(group: GroupSummary) -> SetCard:
    fastest, slowest = group.fastest, group.slowest
    return SetCard(
        number=group.number, title=group.title,
        on=group.adherence.on, judged=group.adherence.judged,
        mean_deviation=(None if group.mean_deviation is None
                        else group.mean_deviation_label),
        worst_deviation=group.worst_deviation_label,
        mean_time=(split(group.mean_time_s, fastest.distance_m if fastest else None)
                   if group.mean_time_s else ""),
        fastest=split(fastest.actual_s, fastest.distance_m) if fastest else "",
        fastest_position=fastest.position if fastest else None,
        slowest=split(slowest.actual_s, slowest.distance_m) if slowest else "",
        slowest_position=slowest.position if slowest else None,
        chart=group.chart, chart_id=group.chart_id,
    )


def rep_lines(summary: Summary, remarks: Mapping[int, Sequence]) -> list[RepLine]:
    """The table's rows, set after set; ``remarks``: the comments on single reps by rep id
    (``conversation.remarks_by_rep``)."""
    lines = []
    for group in summary.groups:
        for judged in group.reps:
            rep = judged.rep
            if judged.target:
                target = formats.format_range(*judged.target, distance_m=rep.distance_m)
            elif rep.lactate_lo is not None:
                target = f"{rep.lactate_band_label} mmol"
            else:
                target = ""
            if judged.status:
                pill = "ok" if judged.status == "on" else judged.status
                pill_label = judged.status_label
            elif judged.lactate_status:
                pill = LACTATE_PILLS.get(judged.lactate_status, "fast")
                pill_label = judged.lactate_label
            else:
                pill = pill_label = ""
            lines.append(RepLine(
                position=rep.position, amount=rep.amount_label,
                cut_short=rep.ran_label if rep.is_cut_short else "",
                extra=rep.extra, skipped=rep.skipped, target=target,
                time=split(rep.actual_s, rep.distance_m) if rep.actual_s else "",
                timed=bool(getattr(rep, "timed_by_id", None)),
                watch=bool(getattr(rep, "from_device", False)),
                ran=rep.ran_label if rep.is_timed and rep.distance_m else "",
                deviation=judged.deviation_label, pill=pill, pill_label=pill_label,
                hr="–" if rep.avg_hr is None else str(rep.avg_hr),
                lactate="–" if rep.lactate is None else str(floatformat(rep.lactate, 1)),
                note=rep.note,
                remarks=tuple(Remark(c.pk, c.author.display_name, c.private, c.snippet)
                              for c in remarks.get(rep.pk, ())),
            ))
    return lines


def render_sets(summary: Summary) -> SafeString:
    """The cards of every set (``log_summary_sets.html``)."""
    return render_fragment("training/log_summary_sets.html",
                           {"sets": [set_card(g) for g in summary.groups]})


def render_reps(summary: Summary, remarks: Mapping[int, Sequence]) -> SafeString:
    """The rows of the table of every rep (``log_summary_reps.html``)."""
    return render_fragment("training/log_summary_reps.html",
                           {"rows": rep_lines(summary, remarks)})
