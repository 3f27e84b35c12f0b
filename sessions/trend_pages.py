"""Read models of the trend pages: an athlete's "Training" section (their profile page) and a
block's overview, week by week. The figures are ``sessions.training_load``'s and
``sessions.trends``'; the charts ``sessions.trend_charts``'. A fixed number of queries whatever
the length of the history (docs/overview.md, "Athlete and block trends").
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from athletes.models import Athlete
from coach import pace, prepared

from . import training_load as load
from . import trend_charts as charts
from . import trends
from .models import Block
from .overview import decimal_separator
from .overview import number as plain_number  # floatformat without its locale lookups

WEEKS = 12  # the athlete's section: this week and the 11 before it, unless another period
PERIODS = (4, 12, 26, 52)  # the periods it offers (``?weeks=``)


def period(text: str | None) -> int:
    """The weeks asked for (``?weeks=26``), if one of ``PERIODS``; else ``WEEKS``."""
    return int(text) if text in {str(p) for p in PERIODS} else WEEKS

INTENSITY_CSS = {trends.EASY: "int-easy", trends.THRESHOLD: "int-threshold",
                 trends.HARD: "int-hard", trends.UNKNOWN: "int-unknown"}


def _week_name(monday: dt.date) -> str:
    return f"{monday:%-d %b}"


def _series_of(distribution_by_week, side: str, *, skip_empty_unknown: bool = True):
    """The intensity series (label, css, km per week) of a list of ``Distribution``s."""
    series = []
    for key in trends.INTENSITIES:
        values = [getattr(d, side)[key] / 1000 for d in distribution_by_week]
        if key == trends.UNKNOWN and skip_empty_unknown and not any(values):
            continue
        series.append((trends.INTENSITY_LABELS[key], INTENSITY_CSS[key], values))
    return series


def _ratio_weeks(loads: dict[dt.date, float], mondays: list[dt.date],
                 today: dt.date) -> list[load.AcwrFigure]:
    """The ratio at the end of each week (today for the current week)."""
    return [load.acwr_on(loads, min(monday + dt.timedelta(days=6), today)) for monday in mondays]


def _acwr_chart(id: str, names: list[str], figures: list[load.AcwrFigure]) -> charts.TrendChart:
    chart = charts.line_chart(
        id=id, title="Acute:chronic load ratio",
        desc=(f"Acute:chronic ratio at the end of each week ({load.ACWR_METHOD}); the shaded "
              f"band is {load.ACWR_LOW:g}–{load.ACWR_HIGH:g}, descriptive only."),
        unit="ratio", names=names, decimals=2,
        series=[("Ratio", "line-ratio", [f.ratio for f in figures])],
        band=(load.ACWR_LOW, load.ACWR_HIGH), band_label=f"{load.ACWR_LOW:g}–{load.ACWR_HIGH:g}")
    chart.table = charts.Table(
        ["Week ending", "Acute (7 d)", "Chronic (28 d / 4)", "Ratio"],
        [[name, f"{f.acute_7d:,.0f}", f"{f.chronic_28d:,.0f}",
          "–" if f.ratio is None else f"{f.ratio:.2f}"] for name, f in zip(names, figures,
                                                                           strict=True)])
    return chart


# --- the athlete's section ----------------------------------------------------------------------


@dataclass
class AthleteTraining:
    weeks: list[dt.date]
    periods = PERIODS
    figures: list[load.WeekFigures]
    distribution: trends.Distribution  # the whole period
    charts: list[charts.TrendChart]
    acwr_now: load.AcwrFigure
    method: str
    vdot_points: list[trends.VdotPoint]
    vdot_chart: charts.TrendChart | None
    predictions: list[trends.Prediction]
    goal_race: str | None
    goal_label: str = ""

    @property
    def shares(self) -> list[tuple[str, str, float, float]]:
        """(label, css, km, share) of the period's done volume, by intensity."""
        done = self.distribution.done
        shares = self.distribution.done_shares
        return [(trends.INTENSITY_LABELS[k], INTENSITY_CSS[k], done[k] / 1000, shares[k])
                for k in trends.INTENSITIES if done[k] or k != trends.UNKNOWN]

    @property
    def vdot_trend(self) -> str:
        """``+2.1 since 14 Mar 2026``, ``unchanged since ...``; empty with fewer than two
        points."""
        if len(self.vdot_points) < 2:
            return ""
        first, last = self.vdot_points[0], self.vdot_points[-1]
        change = round(last.vdot - first.vdot, 1)
        since = f"since {first.date:%-d %b %Y}"
        return f"unchanged {since}" if not change else f"{change:+.1f} {since}"

    @property
    def has_logs(self) -> bool:
        return any(f.done for f in self.figures)


def athlete_training(athlete: Athlete, *, today: dt.date, weeks: int = WEEKS) -> AthleteTraining:
    """The athlete's last ``weeks`` weeks to ``today``'s: volume planned and done, load, the
    acute:chronic ratio, intensity, VDOT over time and predictions. ``athlete`` comes with its
    ``race_results`` and ``pace_overrides`` prefetched. Seven queries, whatever the
    history."""
    first = load.week_start(today) - dt.timedelta(days=7 * (weeks - 1))
    mondays = [first + dt.timedelta(days=7 * w) for w in range(weeks)]
    names = [_week_name(m) for m in mondays]
    joined = load.joined_dates([athlete.pk])
    read = load.figures([athlete.pk], first, weeks, today=today, joined=joined,
                        loads_from=first - dt.timedelta(days=load.CHRONIC_DAYS))
    figures = [read.weeks[athlete.pk, m] for m in mondays]
    intensity = trends.intensity_by_week([athlete.pk], first, weeks, athletes=[athlete],
                                         joined=joined)
    dists = [intensity[athlete.pk, m] for m in mondays]
    daily = read.daily[athlete.pk]
    ratios = _ratio_weeks(daily, mondays, today)
    volume = charts.bar_chart(
        id="chart-volume", title="Weekly volume", unit="km", names=names,
        desc=f"Kilometres planned and done each week, the last {weeks} weeks.",
        series=[("Planned", "bar-planned", [f.km_planned for f in figures]),
                ("Done", "bar-done", [f.km_done for f in figures])])
    weekly_load = charts.bar_chart(
        id="chart-load", title="Weekly load", unit="RPE × min", decimals=0, names=names,
        desc="Session-RPE load (Foster): each log's RPE (1–10) times its minutes, summed by "
             "week, in arbitrary units; the line is the chronic load (the 28 days to the "
             "week's end, divided by 4).",
        series=[("Load", "bar-load", [f.load for f in figures])],
        overlay=[("Chronic", "line-chronic", [r.chronic_28d for r in ratios])])
    ratio = _acwr_chart("chart-acwr", names, ratios)
    mix = charts.stacked_chart(
        id="chart-intensity", title="Intensity distribution",
        desc="Share of the volume run each week that was easy, threshold or hard, "
             "by the zone each rep was planned at.",
        names=names, series=_series_of(dists, "done"))
    results = list(athlete.race_results.all())
    points = trends.vdot_history(results)
    goal_race, goal_label = _goal_race(athlete, today)
    return AthleteTraining(
        weeks=mondays, figures=figures, distribution=trends.total(dists),
        charts=[volume, weekly_load, ratio, mix],
        acwr_now=load.acwr_on(daily, today), method=load.ACWR_METHOD,
        vdot_points=points, vdot_chart=_vdot_chart(points) if len(points) > 1 else None,
        predictions=trends.predictions(points[-1].vdot if points else None, goal_race),
        goal_race=goal_race, goal_label=goal_label)


def _goal_race(athlete: Athlete, today: dt.date) -> tuple[str | None, str]:
    """The race the athlete is training for: the goal race of their block running now (or the
    next one) when it is a standard distance, else their main event; and how to name it."""
    found = prepared.rows("trends.goal_race", _goal_race_query, athlete.pk, today)[1]
    if found:
        distance, name, title = found[0]
        key = pace.race_key(distance) if distance else None  # ``Block.goal_race_key``
        if key in pace.RACES:
            return key, f"the goal race ({name or title})"
    if athlete.main_event in pace.RACES:
        return athlete.main_event, "the main event"
    return None, ""


def _goal_race_query(athlete_id: int, today: dt.date):
    """``_goal_race``'s block (compiled once: ``coach.prepared``)."""
    return (Block.objects.filter(athletes=athlete_id, end_date__gte=today,
                                 goal_distance_m__isnull=False)
            .order_by("start_date").values_list("goal_distance_m", "goal_race_name", "title")[:1])


def _vdot_chart(points: list[trends.VdotPoint]) -> charts.TrendChart:
    names = [f"{p.date:%b %Y}" for p in points]
    chart = charts.line_chart(
        id="chart-vdot", title="VDOT over time", unit="VDOT", names=names, decimals=1,
        desc="The VDOT planning used after each race day (the best result so far, 3000 m or "
             "longer preferred).",
        series=[("VDOT", "line-vdot", [p.vdot for p in points])], floor=None,
        first_column="Date")
    chart.table = charts.Table(["Date", "VDOT", "From"],
                               [[f"{p.date:%-d %b %Y}", f"{p.vdot:.1f}", p.race.short_label]
                                for p in points])
    return chart


# --- the block's overview -----------------------------------------------------------------------


@dataclass
class AthleteWeek:
    athlete: Athlete
    figures: load.WeekFigures
    distribution: trends.Distribution
    acwr: load.AcwrFigure | None  # None for a week to come

    @property
    def intensity(self) -> list[tuple[str, str, float | None, float | None]]:
        """(label, css, planned share, done share) for easy, threshold, hard; a share is None
        without any volume on its side (nothing run yet, nothing planned)."""
        d = self.distribution
        planned = d.planned_shares if d.planned_total else {}
        done = d.done_shares if d.done_total else {}
        return [(trends.INTENSITY_LABELS[k], INTENSITY_CSS[k], planned.get(k), done.get(k))
                for k in (trends.EASY, trends.THRESHOLD, trends.HARD)]


@dataclass
class BlockWeek:
    monday: dt.date
    number: int
    rows: list[AthleteWeek] = field(default_factory=list)
    is_future: bool = False

    @property
    def km_planned(self) -> float:
        return sum(r.figures.km_planned for r in self.rows)

    @property
    def km_done(self) -> float:
        return sum(r.figures.km_done for r in self.rows)


@dataclass
class BlockOverview:
    weeks: list[BlockWeek]
    charts: list[charts.TrendChart]
    athletes: list[Athlete]
    method: str

    @property
    def weeks_html(self) -> SafeString:
        """Every week's section (``render_weeks``)."""
        return render_weeks(self.weeks)


# A block of twenty athletes over ten weeks has two hundred rows of seven cells: written in
# Python with Django's own filters (``floatformat``, ``date``, escaping, ``widthratio``'s
# rounding) they cost a fraction of the template language's variable lookups.

_WEEK_HEAD = (
    '<div class="table-wrap"><table class="block-overview-table">\n'
    '    <thead><tr>\n'
    '      <th scope="col">Athlete</th>\n'
    '      <th scope="col" class="num">Sessions<br><span class="muted">done / planned</span></th>\n'
    '      <th scope="col" class="num">Missed</th>\n'
    '      <th scope="col" class="num">km<br><span class="muted">done / planned</span></th>\n'
    '      <th scope="col" class="num">Load<br><span class="muted">RPE × min</span></th>\n'
    '      <th scope="col" class="num">Ratio</th>\n'
    '      <th scope="col">Intensity, done <span class="muted">(planned)</span><br>'
    '<span class="muted">easy · threshold · hard</span></th>\n'
    '    </tr></thead>\n'
    '    <tbody>')


def _percent(share: float | None) -> str:
    """A share as ``{% widthratio share 1 100 %} %`` writes it; None as a dash."""
    return "–" if share is None else f"{round(float(share) * 100)} %"


@functools.cache
def _share_head(label: str, css: str) -> str:
    """The start of an intensity's share in a row (the same few labels in every row)."""
    return (f'<span class="int-share" title="{escape(label)}"><span class="int-swatch '
            f'{escape(css)}" aria-hidden="true"></span><span class="vh">{escape(label)} </span>')


_SHARE_HEADS = tuple((key, _share_head(trends.INTENSITY_LABELS[key], INTENSITY_CSS[key]))
                     for key in (trends.EASY, trends.THRESHOLD, trends.HARD))


def _row(row: AthleteWeek, link: str, name: str, sep: str) -> str:
    f = row.figures
    missed = f'<span class="pill slow">{f.missed}</span>' if f.missed else "0"
    if row.acwr is None or row.acwr.ratio is None:
        ratio = "–"
    else:
        ratio = plain_number(row.acwr.ratio, 2, sep)
        if row.acwr.outside:
            ratio += ' <span class="pill slow">out of band</span>'
    # ``row.intensity`` written out: the same shares (each side's metres over their sum, in the
    # same order, so the same floats), without its dicts and lists for each of 160-odd rows
    planned, done = row.distribution.planned, row.distribution.done
    planned_total, done_total = sum(planned.values()), sum(done.values())
    if done_total or planned_total:
        intensity = " · ".join(
            f'{head}{_percent(done[key] / done_total if done_total else None)} '
            '<span class="muted">'
            f'({_percent(planned[key] / planned_total if planned_total else None)})</span></span>'
            for key, head in _SHARE_HEADS)
    else:
        intensity = "–"
    return (
        f'\n      <tr>\n        <th scope="row"><a href="{link}#training">{name}</a></th>\n'
        f'        <td class="num" data-label="Sessions done / planned">{f.done} / {f.planned}'
        '</td>\n'
        f'        <td class="num" data-label="Missed">{missed}</td>\n'
        '        <td class="num" data-label="km done / planned">'
        f'{plain_number(f.km_done, 1, sep)} / '
        f'{plain_number(f.km_planned, 1, sep)}</td>\n'
        f'        <td class="num" data-label="Load (RPE × min)">{plain_number(f.load, 0)}</td>\n'
        f'        <td class="num" data-label="Ratio">{ratio}</td>\n'
        '        <td class="num intensity-cell" data-label="Intensity done (planned): easy · '
        f'threshold · hard">{intensity}</td>\n      </tr>')


def render_weeks(weeks: list[BlockWeek]) -> SafeString:
    """Each week's section of the block overview: a row per athlete."""
    people: dict[int, tuple[str, str]] = {}
    sep = decimal_separator()  # looked up once, not for each of a thousand numbers
    out = []
    for week in weeks:
        n = week.number
        future = ' <span class="pill">to come</span>' if week.is_future else ""
        out.append(
            f'<section class="card block-week" id="overview-week-{n}" '
            f'aria-labelledby="overview-week-{n}-h">\n'
            f'  <h2 id="overview-week-{n}-h">Week {n} <span class="muted">from '
            f'{escape(date_format(week.monday, "D j M"))}</span>{future}</h2>\n  ')
        if not week.rows:
            out.append('<p class="empty">No athletes in this block.</p>\n</section>\n')
            continue
        out.append(_WEEK_HEAD)
        for row in week.rows:
            athlete = row.athlete
            if athlete.pk not in people:
                people[athlete.pk] = (escape(athlete.get_absolute_url()),
                                      escape(athlete.display_name))
            out.append(_row(row, *people[athlete.pk], sep))
        out.append("\n    </tbody>\n  </table></div>\n  \n</section>\n")
    # bandit exception (B308, B703): every value escaped above
    return mark_safe("".join(out))  # nosec


def block_overview(block: Block, athletes: list[Athlete], *, today: dt.date) -> BlockOverview:
    """Each week of the block, each of ``athletes``: planned against done, load, ratio and
    intensity; charts of the squad's weekly volume and intensity. A fixed number of queries,
    whatever the number of weeks and logs."""
    mondays = [week[0] for week in block.weeks()]
    ids = [a.pk for a in athletes]
    joined = load.joined_dates(ids)
    # ``reps=False``: the rows show no figure of the reps (adherence, lactate, timed minutes)
    read = load.figures(ids, mondays[0], len(mondays), today=today, joined=joined,
                        loads_from=mondays[0] - dt.timedelta(days=load.CHRONIC_DAYS), reps=False)
    by_week, daily = read.weeks, read.daily
    intensity = trends.intensity_by_week(ids, mondays[0], len(mondays), athletes=athletes,
                                         joined=joined)
    # each week's ratio on its last day (today for the current week), none for weeks to come
    ends = [min(monday + dt.timedelta(days=6), today) for monday in mondays if monday <= today]
    ratios = {a.pk: load.acwr_on_days(daily[a.pk], ends) for a in athletes}
    weeks = []
    for number, monday in enumerate(mondays, start=1):
        week = BlockWeek(monday=monday, number=number, is_future=monday > today)
        for athlete in athletes:
            ratio = None if week.is_future else ratios[athlete.pk][number - 1]
            week.rows.append(AthleteWeek(athlete, by_week[athlete.pk, monday],
                                         intensity[athlete.pk, monday], ratio))
        weeks.append(week)
    names = [f"W{w.number}" for w in weeks]
    squad = [trends.total(r.distribution for r in w.rows) for w in weeks]
    together = len(athletes) > 1
    volume = charts.bar_chart(
        id="chart-block-volume", title="Weekly volume" + (", all athletes" if together else ""),
        unit="km", names=names,
        desc="Kilometres planned and done each week of the block"
             + (", the athletes' together." if together else "."),
        series=[("Planned", "bar-planned", [w.km_planned for w in weeks]),
                ("Done", "bar-done", [w.km_done for w in weeks])])
    mix_done = charts.stacked_chart(
        id="chart-block-intensity", title="Intensity distribution, done",
        desc="Share of the volume run each week that was easy, threshold or hard"
             + (", the athletes' together." if together else "."),
        names=names, series=_series_of(squad, "done"))
    mix_planned = charts.stacked_chart(
        id="chart-block-intensity-plan", title="Intensity distribution, planned",
        desc="Share of the volume planned each week that is easy, threshold or hard.",
        names=names, series=_series_of(squad, "planned"))
    return BlockOverview(weeks=weeks, charts=[volume, mix_planned, mix_done],
                         athletes=athletes, method=load.ACWR_METHOD)
