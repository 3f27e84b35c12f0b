"""Lists of logs (today's last logs, an athlete's history, a coach's ``/logs/``) as plain rows,
drawn by Jinja2 (``templates/jinja2/training/log_items.html``; docs/frontend.md "Fast
fragments").

Each item shows the log's session, block, effort, comments and its adherence at a glance
(``summary.adherence``). The adherence is counted from the few rep fields judging reads,
fetched for the whole page in one query of plain rows (``RepFacts``), not as a model instance
per rep: a page of 30 logs of 22 reps made 660 instances for a bar and a line of counts. The
logs themselves are plain rows too (``ListedLog``).
"This workout before" (``workout_history``) reads its runs' reps the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from coach import prepared
from coach.jinja2 import render_fragment, url_maker

from . import judging, summary
from .models import RepResult

# What judging a logged rep reads (``judging.RepLike``: its fields, in its order) and the log it
# belongs to, as a plain row: the lists and "This workout before" only judge their logs' reps,
# so they are not made into models.
RepFacts = NamedTuple("RepFacts", [("log_id", int), *judging.RepLike.__annotations__.items()])


def _facts_query(log_ids: list[int]):
    return (RepResult.objects.filter(log_id__in=log_ids).order_by("log_id", "position")
            .values_list(*RepFacts._fields))


def rep_facts(log_ids: list[int]) -> dict[int, list[RepFacts]]:
    """The reps of each log by id, as plain rows in each log's order: one query,
    compiled once per number of logs (``coach.prepared``)."""
    reps: dict[int, list[RepFacts]] = {pk: [] for pk in log_ids}
    if log_ids:
        for row in prepared.rows("log_list_facts", _facts_query, log_ids)[1]:
            reps[row[0]].append(RepFacts(*row))
    return reps


class ListedLog(NamedTuple):
    """What a list shows of a log, read as a plain row (``LISTED``: the fields in order)."""

    pk: int
    date_done: dt.date
    rpe: int | None
    completed: bool
    comment_count: int
    title: str
    block_title: str
    tolerance_pct: float
    athlete_name: str


LISTED = ("pk", "date_done", "rpe", "completed", "comment_count", "session__title",
          "session__block__title", "session__tolerance_pct", "athlete__display_name")


def adherences(logs: Sequence[ListedLog]) -> dict[int, summary.Adherence]:
    """Each log's adherence by id: one query for them all."""
    reps = rep_facts([log.pk for log in logs])
    return {log.pk: summary.adherence(reps[log.pk], log.tolerance_pct) for log in logs}


@dataclass(frozen=True, slots=True)
class LogItem:
    """One log in a list, as ``log_items.html`` writes it."""

    url: str
    date: str
    athlete: str  # the athlete's name on a coach's list, else ""
    title: str
    block: str
    rpe: int | None
    completed: bool
    comments: int
    adherence: summary.Adherence


def day_label(day: dt.date) -> str:
    """``{{ day|date:"D j M" }}`` ("Tue 3 Mar"), formatted once per day and language: Django's
    ``date`` filter sets up its formatter and looks up the translated names on every call, a
    tenth of a list's time for its 30 dates."""
    return _day_label(day, get_language())


@lru_cache(maxsize=4096)
def _day_label(day: dt.date, language: str | None) -> str:
    return date_filter(day, "D j M")  # in ``language``, the active one


def items(logs: Sequence[ListedLog], *, show_athlete: bool = False) -> list[LogItem]:
    """The items of ``logs`` (``list_views._logs_with_reps``)."""
    found = adherences(logs)
    url = url_maker("training:log-summary")
    return [LogItem(
        url=url(log.pk), date=day_label(log.date_done),
        athlete=log.athlete_name if show_athlete else "",
        title=log.title, block=log.block_title, rpe=log.rpe,
        completed=log.completed, comments=log.comment_count, adherence=found[log.pk],
    ) for log in logs]


def render_items(logs: Sequence[ListedLog], *, show_athlete: bool = False) -> SafeString:
    """The ``<li>`` of each log (empty without logs: the page writes its own line then)."""
    if not logs:
        return SafeString("")
    return render_fragment("training/log_items.html",
                           {"logs": items(logs, show_athlete=show_athlete)})
