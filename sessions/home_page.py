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
import html
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markupsafe import Markup, escape

from athletes.models import Athlete
from coach import prepared
from coach.jinja2 import render_fragment, url_maker

from . import attention
from .athlete_rows import day_formatter
from .models import Block, SessionLog

LATEST_LOGS = 8


def _blocks_query(coach_id: int):
    return Block.objects.filter(coach_id=coach_id).current_first()


def _members_query(coach_id: int, me_id: int | None = None):
    whose = Q(block__coach_id=coach_id)
    if me_id is not None:
        whose |= Q(athlete_id=me_id)
    return (Block.athletes.through.objects.filter(whose)
            .values_list("block_id", "athlete_id", "block__archived", "block__coach_id"))


@dataclass
class Blocks:
    """The coach's blocks, current first, each with ``card_athletes``, and the memberships
    whose sessions count for the missing logs (``attention.missing_logs``' ``members``)."""

    current: list[Block]
    archived: list[Block]
    members: list[attention.Member]


def blocks(user, athletes: list[Athlete]) -> Blocks:
    """The coach's blocks, current first (``Block.objects.for_coach``), each with
    ``card_athletes``: those of ``athletes`` (the coach's active athletes, by name) in it
    (and ``card_ids``, their ids in that order);
    and, from the same read of the memberships, those of current blocks whose missing logs
    the coach sees (``attention._members_query``: the coach's athletes in their own blocks,
    and the coach's own as an athlete, in anyone's). Two queries."""
    coach_id = user.pk  # read once: ``request.user`` is a lazy object, slow to ask in a loop
    found = prepared.objects("home.blocks", _blocks_query, coach_id)
    me = user.athlete_or_none
    if me is not None and not user.is_active:
        me = None
    by_id = {a.pk: a for a in athletes}
    # each athlete's place by name: a card's names sorted through it, not a key apiece
    rank = {a.pk: i for i, a in enumerate(sorted(athletes, key=lambda a: (a.display_name, a.pk)))}
    cards = defaultdict(list)
    members = []
    if found or me is not None:
        me_id = me.pk if me is not None else None
        if me is None:
            rows = prepared.rows("home.members", _members_query, coach_id)[1]
        else:
            rows = prepared.rows("home.members.me", _members_query, coach_id, me_id)[1]
        for block_id, athlete_id, archived, block_coach_id in rows:
            coached = block_coach_id == coach_id and athlete_id in by_id
            if coached:
                cards[block_id].append(athlete_id)
            if not archived and (coached or athlete_id == me_id):
                athlete = by_id.get(athlete_id) or me
                members.append(attention.Member(block_id, athlete_id, athlete))
    lists: dict[tuple[int, ...], list[Athlete]] = {}  # a squad's blocks name the same athletes
    for block in found:
        ids = cards.get(block.pk)
        key = tuple(sorted(ids, key=rank.__getitem__)) if ids else ()
        names = lists.get(key)
        if names is None:
            names = lists[key] = [by_id[pk] for pk in key]
        block.card_ids, block.card_athletes = key, names
    return Blocks([b for b in found if not b.archived], [b for b in found if b.archived],
                  members)


class LatestLog(NamedTuple):
    """What the home lists of a log (``LATEST``), read as a plain row."""

    pk: int
    date_done: dt.date
    athlete_name: str
    title: str  # the session's
    rpe: int | None
    completed: bool


LATEST = ("pk", "date_done", "athlete__display_name", "session__title", "rpe", "completed")


def _logs_query(coach_id: int):
    return (SessionLog.objects.started()
            .filter(athlete__in=Athlete.objects.coached_by(coach_id).active())
            .order_by("-date_done", "-created").values_list(*LATEST)[:LATEST_LOGS])


def latest_logs(coach) -> list[LatestLog]:
    """The newest started logs of the athletes the coach has now (active ones), as the fields
    the home shows (not a log, its athlete and its session as instances): one query."""
    return [LatestLog(*row) for row in prepared.rows("home.logs", _logs_query, coach.pk)[1]]


def render_table(table) -> SafeString:
    """The athlete table with its week picker, headers and legend
    (``templates/jinja2/training/athlete_table.html``) around its rows (``table.rows_html``,
    ``sessions.overview``): ``table`` is an ``overview.Table``."""
    rows = bool(table.rows)
    _day = day_formatter()  # formatted once per day and format
    return render_fragment("training/athlete_table.html", {
        "week_day": _day(table.week, "D j M"), "is_current": table.is_current,
        "previous_url": table.previous_url, "next_url": table.next_url,
        "current_url": "" if table.is_current else table.current_url,
        "notice": table.notice, "has_rows": rows,
        "week_span": f"{_day(table.week, 'j M')}–{_day(table.week_end, 'j M')}",
        "headers": table.headers() if rows else [],
        "rows_html": table.rows_html if rows else "",
        "acwr_day": _day(table.acwr_day, "D j M"), "acwr_method": table.acwr_method,
        "high_rpe": table.high_rpe, "far_off_pct": table.far_off_pct,
        "acwr_band": table.acwr_band,
    })


ARCHIVED = ' <span class="pill">archived</span>'


def card_html(b: dict) -> Markup:
    """A block card, as the macro that drew it in ``home_lists.html`` wrote it (a Jinja2
    macro call per card was a third of the lists' time; ``tests/test_home_page.py`` renders
    both): ``url`` and ``dates`` escaped as Jinja2 escapes, free text as Django does (``|dj``),
    ``athletes`` already escaped."""
    place, altitude, goal = b["place"], b["altitude"], b["goal"]
    out = [f'<article class="card block-card">\n  <h3><a href="{escape(b["url"])}">'
           f'{html.escape(str(b["title"]))}</a>'
           f'{ARCHIVED if b["archived"] else ""}</h3>\n'
           f'  <p class="num">{escape(b["dates"])}</p>\n  ']
    if place or altitude is not None:
        out.append(f'<p class="muted">{html.escape(str(place))}')
        if altitude is not None:
            out.append(f'{" · " if place else ""}<span class="pill alt">altitude '
                       f'{escape(altitude)} m</span>')
        out.append("</p>")
    out.append("\n  ")
    if goal:
        out.append(f"<p>Goal: {html.escape(str(goal))}</p>")
    athletes = b["athletes"]
    out.append(f'\n  <p class="muted">{escape(athletes) if athletes else "No athletes yet"}'
               "</p>\n</article>\n")
    return Markup("".join(out))  # nosec B704: every value escaped above


def render_lists(*, current: list[Block], archived: list[Block], out_soon, logs,
                 today: dt.date) -> SafeString:
    """The home's blocks, archived blocks, who is out this week and the latest logs, as
    ``templates/jinja2/training/home_lists.html`` draws them."""
    block_url = url_maker("training:block")
    availability_url = url_maker("athletes:availability")
    log_url = url_maker("training:log-summary")
    _day = day_formatter()  # formatted once per day and format
    names: dict[tuple[int, ...], SafeString] = {}  # a squad's blocks name the same athletes

    def athlete_names(block: Block) -> SafeString:
        key, athletes = block.card_ids, block.card_athletes
        found = names.get(key)
        if found is None:
            # escaped as Django escapes (html.escape), joined once (a squad names twenty);
            # bandit exception (B308, B703): escaped here
            found = names[key] = mark_safe(", ".join(  # nosec
                html.escape(a.display_name) for a in athletes))
        return found

    def card(block: Block) -> Markup:
        return card_html({
            "url": block_url(block.pk), "title": block.title, "archived": block.archived,
            "dates": f"{_day(block.start_date, 'j M')} – {_day(block.end_date, 'j M Y')}",
            "place": block.place, "altitude": block.altitude_m if block.is_altitude else None,
            "goal": block.goal_race_name,
            "athletes": athlete_names(block),
        })

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
            "day": _day(log.date_done, "D j M"), "athlete": log.athlete_name,
            "url": log_url(log.pk), "title": log.title, "rpe": log.rpe,
            "completed": log.completed,
        } for log in logs],
    })
