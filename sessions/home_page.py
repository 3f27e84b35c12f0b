"""What the coach's home reads besides its athlete table (``sessions.overview``): their blocks
and who is in each, the latest logs, today's sessions at the track, as few queries as the
page's parts allow, each compiled once per shape (``coach.prepared``), and the lower half of
the page drawn by Jinja2 from plain rows (``templates/jinja2/training/home_lists.html``;
docs/perf-home-athlete.md).

The athletes the block cards name are the table's (the coach's active athletes, read once),
so a block's athletes are a list of (block, athlete) ids; the sessions of the last two weeks
that the missing logs read (``attention.window_sessions``) hold today's sessions too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString

from athletes.models import Athlete
from coach import prepared
from coach.jinja2 import render_fragment, url_maker

from .models import Block, SessionLog

LATEST_LOGS = 8


def _blocks_query(coach_id: int):
    return Block.objects.filter(coach_id=coach_id).current_first()


def _members_query(coach_id: int):
    return (Block.athletes.through.objects.filter(block__coach_id=coach_id)
            .values_list("block_id", "athlete_id"))


def blocks(coach, athletes: list[Athlete]) -> list[Block]:
    """The coach's blocks, current first (``Block.objects.for_coach``), each with
    ``card_athletes``: those of ``athletes`` (the coach's active athletes, by name) in it.
    Two queries."""
    found = prepared.objects("home.blocks", _blocks_query, coach.pk)
    if not found:
        return found
    order = {a.pk: (a.display_name, a.pk) for a in athletes}
    by_id = {a.pk: a for a in athletes}
    members = defaultdict(list)
    for block_id, athlete_id in prepared.rows("home.members", _members_query, coach.pk)[1]:
        if athlete_id in by_id:
            members[block_id].append(by_id[athlete_id])
    for block in found:
        block.card_athletes = sorted(members.get(block.pk, ()), key=lambda a: order[a.pk])
    return found


def _logs_query(coach_id: int):
    return (SessionLog.objects.started()
            .filter(athlete__in=Athlete.objects.coached_by(coach_id).active())
            .select_related("athlete", "session")
            .order_by("-date_done", "-created")[:LATEST_LOGS])


def latest_logs(coach) -> list[SessionLog]:
    """The newest started logs of the athletes the coach has now (active ones): one query."""
    return prepared.objects("home.logs", _logs_query, coach.pk)


def _day(day: dt.date, fmt: str) -> str:
    return dateformat.format(day, fmt)


def render_lists(*, current: list[Block], archived: list[Block], out_soon, logs,
                 today: dt.date) -> SafeString:
    """The home's blocks, archived blocks, who is out this week and the latest logs, as
    ``templates/jinja2/training/home_lists.html`` draws them."""
    block_url = url_maker("training:block")
    availability_url = url_maker("athletes:availability")
    log_url = url_maker("training:log-summary")

    def card(block: Block) -> dict:
        return {
            "url": block_url(block.pk), "title": block.title, "archived": block.archived,
            "dates": f"{_day(block.start_date, 'j M')} – {_day(block.end_date, 'j M Y')}",
            "place": block.place, "altitude": block.altitude_m if block.is_altitude else None,
            "goal": block.goal_race_name,
            "athletes": [a.display_name for a in block.card_athletes],
        }

    return render_fragment("training/home_lists.html", {
        "current": [card(b) for b in current], "archived": [card(b) for b in archived],
        "new_block_url": reverse("training:block-new"),
        "out": [{
            "url": availability_url(a.athlete_id), "name": a.athlete.display_name,
            "reason": a.get_reason_display(),
            "start": _day(a.start, "D j M") if a.start > today else "",
            "end": _day(a.end, "D j M"), "note": a.note,
        } for a in out_soon],
        "logs": [{
            "day": _day(log.date_done, "D j M"), "athlete": log.athlete.display_name,
            "url": log_url(log.pk), "title": log.session.title, "rpe": log.rpe,
            "completed": log.completed,
        } for log in logs],
    })
