"""The coach's home table: each athlete's week at a glance, with the flags that need the coach
(docs/overview.md). The figures are ``sessions.training_load``'s; this module picks the week,
reads the athletes (with their latest lactate readings, as subqueries), flags and sorts.

Three queries, whatever the number of athletes, weeks of history, logs or reps: the athletes,
the planned sessions, the logs (``training_load.figures``).
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from athletes.models import Athlete
from coach import prepared
from coach.jinja2 import url_maker

from . import judged_sql, load_text
from . import training_load as tl
from .judging import band_label, lactate_status
from .models import RepResult, SessionLog

WEEK_PARAM, SORT_PARAM, DIR_PARAM = "week", "sort", "dir"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    first_dir: str  # the direction of a first click on the column


COLUMNS = (
    Column("athlete", "Athlete", "asc"),
    Column("sessions", "Sessions", "desc"),
    Column("volume", "Volume", "desc"),
    Column("adherence", "On target", "desc"),
    Column("lactate", "Lactate", "desc"),
    Column("load", "Load", "desc"),
    Column("acwr", "ACWR", "desc"),
    Column("flags", "Flags", "desc"),
)
SORTS = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "athlete"


@dataclass(frozen=True)
class Flag:
    key: str
    text: str  # short, in the cell
    title: str  # what it means, on hover and for screen readers


@dataclass(frozen=True)
class Lactate:
    """The readings of the athlete's latest log of the week that has any."""

    log_id: int
    readings: int
    banded: int  # readings of reps with a lactate target
    in_band: int
    last: float
    last_lo: float | None
    last_hi: float | None

    @property
    def last_status(self) -> str | None:
        return lactate_status(self.last, self.last_lo, self.last_hi)

    @property
    def band(self) -> str:
        return band_label(self.last_lo, self.last_hi)

    @property
    def share(self) -> float | None:
        return self.in_band / self.banded if self.banded else None


@dataclass
class Row:
    athlete: Athlete
    week: tl.WeekFigures
    acwr: tl.AcwrFigure
    lactate: Lactate | None
    flags: list[Flag] = field(default_factory=list)

    @property
    def session_share(self) -> float | None:
        return self.week.done / self.week.planned if self.week.planned else None

    def sort_value(self, key: str):
        """The value the table sorts by (None sorts last, either way)."""
        return {
            "athlete": self.athlete.display_name.casefold(),
            "sessions": self.session_share,
            "volume": self.week.km_done if self.week.km_done or self.week.km_planned else None,
            "adherence": self.week.adherence,
            "lactate": self.lactate.share if self.lactate else None,
            "load": self.week.load if self.week.load or self.week.done else None,
            "acwr": self.acwr.ratio,
            "flags": len(self.flags),
        }[key]


@dataclass
class Table:
    rows: list[Row]
    week: dt.date  # Monday
    today: dt.date
    acwr_day: dt.date
    sort: str
    direction: str
    notice: str = ""

    acwr_method: str = tl.ACWR_METHOD
    acwr_band: str = f"{tl.ACWR_LOW}–{tl.ACWR_HIGH}"
    high_rpe: int = tl.HIGH_RPE_ON_EASY
    far_off_pct: str = f"{judged_sql.FAR_OFF_PCT:g}"

    @property
    def rows_html(self) -> SafeString:
        """The table's body rows (``render_rows``)."""
        return render_rows(self.rows)

    @property
    def week_end(self) -> dt.date:
        return self.week + dt.timedelta(days=6)

    @property
    def is_current(self) -> bool:
        return self.week == tl.week_start(self.today)

    def url(self, *, week: dt.date | None = None, sort: str | None = None,
            direction: str | None = None) -> str:
        """The home with this table's week and order, changed as asked (default order and the
        current week are left out of the address)."""
        week = week or self.week
        sort = sort or self.sort
        direction = direction or self.direction
        params = {}
        if week != tl.week_start(self.today):
            params[WEEK_PARAM] = week.isoformat()
        if (sort, direction) != (DEFAULT_SORT, SORTS[DEFAULT_SORT].first_dir):
            params[SORT_PARAM], params[DIR_PARAM] = sort, direction
        base = reverse("training:coach-home")
        return f"{base}?{urlencode(params)}" if params else base

    @property
    def previous_url(self) -> str:
        return self.url(week=self.week - dt.timedelta(days=7))

    @property
    def next_url(self) -> str:
        return self.url(week=self.week + dt.timedelta(days=7))

    @property
    def current_url(self) -> str:
        return self.url(week=tl.week_start(self.today))

    def headers(self) -> list[dict]:
        """Each column's label, its sort link and its ``aria-sort``."""
        found = []
        for column in COLUMNS:
            active = column.key == self.sort
            if active:
                direction = "asc" if self.direction == "desc" else "desc"
            else:
                direction = column.first_dir
            found.append({
                "key": column.key, "label": column.label, "active": active,
                "url": self.url(sort=column.key, direction=direction),
                "aria": ("ascending" if self.direction == "asc" else "descending")
                if active else "none",
                "arrow": ("▲" if self.direction == "asc" else "▼") if active else "",
            })
        return found


def parse_week(text: str | None, today: dt.date) -> tuple[dt.date, str]:
    """The Monday of the week asked for (``YYYY-MM-DD``, any day of it), else this week's, with
    a notice saying why."""
    if not text:
        return tl.week_start(today), ""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return tl.week_start(today), f"“{text[:20]}” is not a date (YYYY-MM-DD): this week shown."
    return tl.week_start(day), ""


def parse_sort(sort: str | None, direction: str | None) -> tuple[str, str]:
    key = sort if sort in SORTS else DEFAULT_SORT
    if direction not in ("asc", "desc"):
        direction = SORTS[key].first_dir
    return key, direction


def _athletes(user, start: dt.date, end: dt.date, acwr_day: dt.date) -> list[Athlete]:
    """The coach's active athletes with the day of their first log (who joined when), the
    readings of their latest log of the week with any, and the loads of their logs of the 28
    days ending on ``acwr_day`` (``loads``, ``load_text.loads_text``) (subqueries: one
    query, compiled once per shape by ``coach.prepared``)."""
    if user.is_authenticated and user.is_coach:  # ``for_coach`` sees none otherwise
        return prepared.objects("coach_athletes", _athletes_query, user.pk, start, end,
                                acwr_day - dt.timedelta(days=tl.CHRONIC_DAYS - 1), acwr_day)
    return []


def _athletes_query(coach_id: int, start: dt.date, end: dt.date, chronic_from: dt.date,
                    acwr_day: dt.date):
    """``_athletes``'s queryset: ``Athlete.objects.for_coach`` for a coach's id."""
    readings = RepResult.objects.filter(log=OuterRef("lactate_log"), lactate__isnull=False,
                                        skipped=False)
    with_readings = RepResult.objects.filter(log=OuterRef("pk"), lactate__isnull=False,
                                             skipped=False)
    latest = (SessionLog.objects.filter(athlete=OuterRef("pk"), date_done__gte=start,
                                        date_done__lte=end)
              .filter(Exists(with_readings)).order_by("-date_done", "-created", "-pk"))
    last = readings.order_by("-position")
    counted = judged_sql.with_lactate_verdict(readings).order_by().values("log")
    banded = Q(lactate_lo__isnull=False)
    return (Athlete.objects.coached_by(coach_id).active().select_related("squad")
            .annotate(first_log=tl.first_log_day(), lactate_log=Subquery(latest.values("pk")[:1]))
            .annotate(
                lactate_n=Subquery(counted.annotate(n=Count("pk")).values("n")),
                lactate_banded=Subquery(counted.annotate(n=Count("pk", filter=banded))
                                        .values("n")),
                lactate_in=Subquery(counted.annotate(n=Count("pk", filter=Q(in_band=True)))
                                    .values("n")),
                lactate_last=Subquery(last.values("lactate")[:1]),
                lactate_last_lo=Subquery(last.values("lactate_lo")[:1]),
                lactate_last_hi=Subquery(last.values("lactate_hi")[:1]),
                loads=load_text.loads_text(chronic_from, acwr_day))
            .order_by(F("display_name").asc(), "pk"))


def _flags(week: tl.WeekFigures, ratio: tl.AcwrFigure) -> list[Flag]:
    flags = []
    if week.missed:
        flags.append(Flag("missed", f"{week.missed} missed",
                          f"{week.missed} planned session(s) passed without a log"))
    if week.rpe_high:
        flags.append(Flag("rpe", f"RPE {tl.HIGH_RPE_ON_EASY}+ easy",
                          f"RPE {tl.HIGH_RPE_ON_EASY} or more on {week.rpe_high} session(s) "
                          "planned easy"))
    if week.reps_far_off:
        flags.append(Flag("off", f"{week.reps_far_off} rep{'s' if week.reps_far_off > 1 else ''}"
                                 f" off", f"{week.reps_far_off} rep(s) more than "
                                          f"{judged_sql.FAR_OFF_PCT:g} % outside the target"))
    if ratio.outside:
        flags.append(Flag("acwr", f"ACWR {ratio.ratio:.2f}",
                          f"Acute:chronic load ratio outside {tl.ACWR_LOW}–{tl.ACWR_HIGH}"))
    return flags


def athlete_table(user, *, today: dt.date, week: str | None = None, sort: str | None = None,
                  direction: str | None = None) -> Table:
    """The coach's table for the week asked for (``?week=``), sorted as asked (``?sort=``,
    ``?dir=``). Three queries."""
    monday, notice = parse_week(week, today)
    key, direction = parse_sort(sort, direction)
    sunday = monday + dt.timedelta(days=6)
    acwr_day = min(today, sunday) if monday <= today else today
    athletes = _athletes(user, monday, sunday, acwr_day)
    joined = {a.pk: tl.joined_on(a.created, a.first_log) for a in athletes}
    # The ratio from each athlete's loads of 28 days read as one text, not as ~30 rows of the
    # figures' statement each (docs/perf-home-athlete.md, Session 8).
    figures = tl.figures(athletes, monday, 1, today=today, joined=joined)
    back = load_text.days_back(acwr_day)
    rows = []
    for athlete in athletes:
        lactate = None
        if athlete.lactate_log is not None:
            lactate = Lactate(athlete.lactate_log, athlete.lactate_n or 0,
                              athlete.lactate_banded or 0, athlete.lactate_in or 0,
                              athlete.lactate_last, athlete.lactate_last_lo,
                              athlete.lactate_last_hi)
        week_figures = figures.weeks[(athlete.pk, monday)]
        ratio = load_text.acwr_from_text(athlete.loads, back)
        rows.append(Row(athlete, week_figures, ratio, lactate, _flags(week_figures, ratio)))
    present = [r for r in rows if r.sort_value(key) is not None]
    absent = [r for r in rows if r.sort_value(key) is None]
    present.sort(key=lambda r: r.sort_value(key), reverse=direction == "desc")
    return Table(present + absent, monday, today, acwr_day, key, direction, notice)


# --- the rows, written in Python ----------------------------------------------------------------
#
# A coach with forty athletes has forty rows of eight cells with a dozen conditions each; the
# template language's lookups were most of the page's time. Django's own ``floatformat``,
# escaping and ``widthratio`` rounding keep the markup what the template wrote.

DASH = '<span class="muted">–</span>'
_PLACES = {places: Decimal(1).scaleb(-places) for places in (0, 1, 2)}


def number(value, places: int, separator: str | None = None) -> str:
    """``{{ value|floatformat:places }}`` (``places`` 0, 1 or 2) for a finite number, without
    its locale lookups on every call: the table writes about a hundred numbers. Anything else
    (None, grouping by thousands on) goes to Django's own ``floatformat``;
    ``tests/test_overview.py`` compares both on random numbers. ``separator``: the active
    language's ``decimal_separator()``, when the caller writes many numbers and has looked it
    up once (the lookup, through the active language, was most of a call's time)."""
    if (settings.USE_THOUSAND_SEPARATOR or type(value) not in (float, int)
            or not math.isfinite(value)):
        return floatformat(value, places)
    try:
        rounded = Decimal(str(value)).quantize(_PLACES[places], ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds
        return floatformat(value, places)
    text = f"{rounded:f}"
    if not rounded and text.startswith("-"):
        text = text[1:]  # no "-0"
    if not places:
        return text
    return text.replace(".", decimal_separator() if separator is None else separator)


def escape(text) -> str:
    """``django.utils.html.escape`` (which is ``html.escape(str(text))``) without its lazy-text
    wrapper, a quarter of its cost: the table escapes a few hundred values."""
    return html_module.escape(str(text))


def decimal_separator() -> str:
    """The active language's decimal separator, as ``floatformat`` writes it."""
    return get_format("DECIMAL_SEPARATOR")


def _ratio(part: float, whole: float) -> str:
    """``{% widthratio part whole 100 %}``."""
    return str(round(float(part) / float(whole) * 100))


def _lactate_cell(lactate: Lactate, sep: str) -> str:
    html = (f'<span class="lactate-{escape(lactate.last_status or "none")}">'
            f'{number(lactate.last, 1, sep)}</span>')
    band = lactate.band
    if band:
        html += f' <span class="muted">/ {escape(band)}</span>'
    if lactate.banded:
        count = f"{lactate.in_band} of {lactate.banded} in band"
    else:
        count = (f"{lactate.readings} reading{'' if lactate.readings == 1 else 's'}, "
                 "no band")
    return f'{html}<span class="muted small-line">{count}</span>'


def _row_html(row: Row, athlete_url, sep: str) -> str:
    a, w, r = row.athlete, row.week, row.acwr
    squad = (f'<span class="muted small-line">{escape(a.squad.name)}</span>' if a.squad
             else "")
    sessions = f"{w.done} / {w.planned}" if w.planned or w.done else DASH
    volume = ""
    if w.km_planned or w.km_done:
        volume = f"{number(w.km_done, 1, sep)} / {number(w.km_planned, 1, sep)} km"
    if w.timed_min_planned or w.timed_min_done:
        volume += (f'<span class="small-line">{number(w.timed_min_done, 0)} / '
                   f'{number(w.timed_min_planned, 0)} min timed</span>')
    volume = volume or DASH
    adherence = (f'{_ratio(w.reps_on, w.reps_judged)} %<span class="muted small-line">'
                 f'{w.reps_on} of {w.reps_judged} reps</span>' if w.reps_judged else DASH)
    lactate = _lactate_cell(row.lactate, sep) if row.lactate else DASH
    if w.load or w.done:
        load = number(w.load, 0)
        if w.unrated:
            load += f'<span class="muted small-line">{w.unrated} without RPE</span>'
    else:
        load = DASH
    acute, chronic = number(r.acute_7d, 0), number(r.chronic_28d, 0)
    ratio = (f'<span class="{"acwr-out" if r.outside else ""}">{number(r.ratio, 2, sep)}</span>'
             if r.ratio is not None else DASH)
    if r.acute_7d or r.chronic_28d:
        ratio += f'<span class="muted small-line">{acute} : {chronic}</span>'
    flags = "".join(
        f'<span class="pill flag-{escape(f.key)}" title="{escape(f.title)}">{escape(f.text)}'
        f'<span class="visually-hidden"> ({escape(f.title)})</span></span> '
        for f in row.flags) or DASH
    return (
        f'\n    <tr data-athlete="{a.pk}">\n'
        f'      <th scope="row" class="sticky-col"><a href="{escape(athlete_url(a.pk))}">'
        f'{escape(a.display_name)}</a>{squad}</th>\n'
        f'      <td class="num">{sessions}</td>\n'
        f'      <td class="num">{volume}</td>\n'
        f'      <td class="num">{adherence}</td>\n'
        f'      <td class="num">{lactate}</td>\n'
        f'      <td class="num">{load}</td>\n'
        f'      <td class="num" title="acute {acute} · chronic {chronic}">{ratio}</td>\n'
        f'      <td class="flags">{flags}</td>\n    </tr>\n    ')


def render_rows(rows: list[Row]) -> SafeString:
    """The athlete table's body rows, as ``coach_home.html#athlete-table`` places them."""
    # bandit exception (B308, B703): escaped above
    athlete_url = url_maker("athletes:detail")  # ``Athlete.get_absolute_url``, reversed once
    sep = decimal_separator()
    return mark_safe("".join(_row_html(row, athlete_url, sep) for row in rows))  # nosec
