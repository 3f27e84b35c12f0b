"""Geometry for the server-rendered SVG charts of trends over weeks
(templates/training/_trend_chart.html): grouped bars (volume planned against done), stacked
bars (intensity distribution), and lines (load, acute:chronic ratio with its shaded band, VDOT).

The frame is the rep charts' (``sessions.charts``: the same 360-unit-wide viewBox and padding),
so a phone scales every chart to its width with readable text. Each chart carries the table it
was drawn from, which the template shows behind a disclosure for screen readers and print.
Pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import ClassVar

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from .charts import CHART_HEIGHT, CHART_WIDTH, PAD_BOTTOM, PAD_LEFT, PAD_RIGHT, PAD_TOP, Tick

LEGEND_HEIGHT = 16.0  # the legend's row above the plot


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    css: str
    title: str = ""


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    css: str
    title: str = ""


@dataclass(frozen=True)
class Line:
    points: str
    css: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str
    anchor: str = "middle"  # "end" for a name that would run off the right edge


@dataclass(frozen=True)
class Key:
    """One entry of the legend: a swatch of ``css`` at ``x``, and its name."""

    x: float
    css: str
    text: str

    @property
    def text_x(self) -> float:
        return round(self.x + 14, 2)


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[str]]


@dataclass
class TrendChart:
    """One chart: its id (for ``aria-labelledby``), title and description, the y axis's unit,
    and what to draw."""

    id: str
    title: str
    desc: str
    unit: str
    ticks: list[Tick]
    labels: list[Label]
    table: Table
    rects: list[Rect] = field(default_factory=list)
    bands: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    legend: list[Key] = field(default_factory=list)
    note: str = ""

    @property
    def dot_r(self) -> float:
        """Smaller dots when there are many (a year of weeks)."""
        return 3.5 if len(self.table.rows) <= 16 else 2.0

    @property
    def html(self) -> SafeString:
        """The chart drawn (``render``)."""
        return render(self)

    width: ClassVar[float] = CHART_WIDTH
    height: ClassVar[float] = CHART_HEIGHT
    view_box: ClassVar[str] = f"0 0 {CHART_WIDTH:g} {CHART_HEIGHT:g}"
    left: ClassVar[float] = PAD_LEFT
    right: ClassVar[float] = CHART_WIDTH - PAD_RIGHT
    top: ClassVar[float] = PAD_TOP + LEGEND_HEIGHT
    bottom: ClassVar[float] = CHART_HEIGHT - PAD_BOTTOM
    tick_x: ClassVar[float] = PAD_LEFT - 6
    label_y: ClassVar[float] = CHART_HEIGHT - PAD_BOTTOM + 16
    legend_y: ClassVar[float] = PAD_TOP + 4
    legend_text_y: ClassVar[float] = PAD_TOP + 13


_NICE = (0.05, 0.1, 0.2, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000,
         2000, 2500, 5000, 10000)


def _scale(lo: float, hi: float, count: int = 4) -> list[float]:
    """Tick values from ``lo`` up to at least ``hi``, at a round step."""
    span = max(hi - lo, 1e-9)
    step = next((s for s in _NICE if span / s <= count), _NICE[-1])
    first = math.floor(lo / step + 1e-9) * step
    values = [first]
    while values[-1] < hi - 1e-9:
        values.append(round(values[-1] + step, 6))
    return values


def _y(lo: float, hi: float) -> Callable[[float], float]:
    top, bottom = TrendChart.top, TrendChart.bottom

    def y(value: float) -> float:
        return round(bottom - (value - lo) / (hi - lo) * (bottom - top), 2)
    return y


def _columns(count: int) -> tuple[list[float], float]:
    inner = TrendChart.right - TrendChart.left
    spacing = inner / max(count, 1)
    return [TrendChart.left + spacing * (i + 0.5) for i in range(count)], spacing


def _labels(xs: Sequence[float], names: Sequence[str]) -> list[Label]:
    """Every column's name when they fit, else every n-th (at most about six), counted back
    from the last (the latest week always has its name)."""
    every = 1 if len(names) <= 7 else math.ceil(len(names) / 6)  # six names fit the width
    last = len(names) - 1
    labels = []
    for i, (x, name) in enumerate(zip(xs, names, strict=True)):
        if (last - i) % every:
            continue
        if x + len(name) * 3 > CHART_WIDTH - 2:  # about 6 units a character at size 10
            labels.append(Label(CHART_WIDTH - 2, name, "end"))
        else:
            labels.append(Label(round(x, 2), name))
    return labels


def _legend(entries: Sequence[tuple[str, str]]) -> list[Key]:
    keys, x = [], TrendChart.left
    for css, text in entries:
        keys.append(Key(round(x, 2), css, text))
        x += 24 + len(text) * 6.4
    return keys


def _fmt(value: float | None, decimals: int) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def _tick_text(value: float) -> str:
    return f"{value:g}" if abs(value) < 1000 else f"{value:,.0f}"


def bar_chart(*, id: str, title: str, desc: str, unit: str, names: Sequence[str],
              series: Sequence[tuple[str, str, Sequence[float | None]]], decimals: int = 1,
              first_column: str = "Week",
              overlay: Sequence[tuple[str, str, Sequence[float | None]]] = ()) -> TrendChart:
    """Grouped bars: for each name (a week) one bar per series (``(label, css, values)``);
    ``overlay`` series are drawn as lines over the bars, on the same scale."""
    values = [v for _, _, vs in (*series, *overlay) for v in vs if v is not None]
    ticks = _scale(0.0, max(values + [1.0]))
    y = _y(0.0, ticks[-1])
    xs, spacing = _columns(len(names))
    width = min(spacing * 0.8 / max(len(series), 1), 18.0)
    rects = []
    for index, (label, css, vs) in enumerate(series):
        for name, x, value in zip(names, xs, vs, strict=True):
            if not value:
                continue
            left = x - width * len(series) / 2 + index * width
            rects.append(Rect(round(left, 2), y(value), round(width * 0.92, 2),
                              round(y(0.0) - y(value), 2), css,
                              f"{name}: {label} {_fmt(value, decimals)} {unit}"))
    lines, dots = _polylines(names, xs, y, overlay, decimals)
    every = (*series, *overlay)
    table = Table([first_column] + [label for label, _, _ in every],
                  [[name] + [_fmt(vs[i], decimals) for _, _, vs in every]
                   for i, name in enumerate(names)])
    return TrendChart(id=id, title=title, desc=desc, unit=unit,
                      ticks=[Tick(y(t), _tick_text(t)) for t in ticks], labels=_labels(xs, names),
                      table=table, rects=rects, lines=lines, dots=dots,
                      legend=_legend([(css, label) for label, css, _ in every]))


def _polylines(names, xs, y, series, decimals) -> tuple[list[Line], list[Dot]]:
    """A line through each series' known values (broken where one is None), a dot on each."""
    lines, dots = [], []
    for label, css, vs in series:
        run: list[str] = []
        for name, x, value in zip(names, xs, vs, strict=True):
            if value is None:
                if len(run) > 1:
                    lines.append(Line(" ".join(run), css))
                run = []
                continue
            run.append(f"{x:.2f},{y(value)}")
            dots.append(Dot(round(x, 2), y(value), css, f"{name}: {label} {_fmt(value, decimals)}"))
        if len(run) > 1:
            lines.append(Line(" ".join(run), css))
    return lines, dots


def stacked_chart(*, id: str, title: str, desc: str, names: Sequence[str],
                  series: Sequence[tuple[str, str, Sequence[float]]], unit: str = "km",
                  first_column: str = "Week") -> TrendChart:
    """Stacked bars of shares (each bar 100 % of its column's volume; an empty column none),
    and a table with each series' amount (``unit``) and share."""
    y = _y(0.0, 100.0)
    xs, spacing = _columns(len(names))
    width = min(spacing * 0.7, 34.0)
    rects, rows = [], []
    for i, (name, x) in enumerate(zip(names, xs, strict=True)):
        column_total = sum(vs[i] for _, _, vs in series)
        row = [name, _fmt(column_total, 1)]
        bottom = 0.0
        for label, css, vs in series:
            share = vs[i] / column_total * 100 if column_total else 0.0
            row.append(f"{_fmt(vs[i], 1)} ({share:.0f} %)" if column_total else "–")
            if share:
                rects.append(Rect(round(x - width / 2, 2), y(bottom + share), round(width, 2),
                                  round(y(bottom) - y(bottom + share), 2), css,
                                  f"{name}: {label} {share:.0f} % ({_fmt(vs[i], 1)} {unit})"))
            bottom += share
        rows.append(row)
    table = Table([first_column, f"Total ({unit})"] + [f"{label} ({unit}, share)"
                                                       for label, _, _ in series], rows)
    return TrendChart(id=id, title=title, desc=desc, unit="% of volume",
                      ticks=[Tick(y(t), f"{t:g}") for t in (0, 25, 50, 75, 100)],
                      labels=_labels(xs, names), table=table, rects=rects,
                      legend=_legend([(css, label) for label, css, _ in series]))


def line_chart(*, id: str, title: str, desc: str, unit: str, names: Sequence[str],
               series: Sequence[tuple[str, str, Sequence[float | None]]], decimals: int = 0,
               band: tuple[float, float] | None = None, band_label: str = "",
               floor: float | None = 0.0, first_column: str = "Week") -> TrendChart:
    """Lines with a dot per known value (a gap where a value is None); ``band`` shades a
    stretch of the y axis (the 0.8-1.3 ratio). ``floor`` None lets the axis start near the
    lowest value (a VDOT)."""
    values = [v for _, _, vs in series for v in vs if v is not None]
    if band:
        values += list(band)
    lo_value = min(values, default=0.0)
    hi_value = max(values + [floor or 0.0, (floor or 0.0) + 1e-6])
    if floor is None:
        margin = max((hi_value - lo_value) * 0.1, 0.5)
        lo_value, hi_value = lo_value - margin, hi_value + margin
    ticks = _scale(floor if floor is not None else lo_value, hi_value)
    y = _y(ticks[0], ticks[-1])
    xs, _ = _columns(len(names))
    lines, dots = _polylines(names, xs, y, series, decimals)
    bands = []
    if band:
        bands.append(Rect(TrendChart.left, y(band[1]), TrendChart.right - TrendChart.left,
                          round(y(band[0]) - y(band[1]), 2), "shade", band_label))
    entries = [(css, label) for label, css, _ in series]
    if band:
        entries.append(("shade", band_label))
    table = Table([first_column] + [label for label, _, _ in series],
                  [[name] + [_fmt(vs[i], decimals) for _, _, vs in series]
                   for i, name in enumerate(names)])
    return TrendChart(id=id, title=title, desc=desc, unit=unit,
                      ticks=[Tick(y(t), _tick_text(t)) for t in ticks], labels=_labels(xs, names),
                      table=table, bands=bands, lines=lines, dots=dots, legend=_legend(entries))


# --- drawing ------------------------------------------------------------------------------------
#
# A page draws hundreds of bars, dots and table cells; in Django's template language each value
# costs a variable lookup, localisation and escaping (most of the trend pages' time). So the
# markup is written here, with Django's own rules: text escaped as ``django.utils.html.escape``
# does (``html.escape``), numbers as ``localize`` writes them. templates/training/_trend_chart.html
# only places the result.


NUM = ' class="num"'


def _n(value: float) -> str:
    """A number as Django's template writes it (``localize``: ``repr`` but for exponents)."""
    text = repr(value)
    return localize(value) if "e" in text or "n" in text else text


def _t(text: object) -> str:
    return escape(str(text))


def render(chart: TrendChart) -> SafeString:
    """The chart's ``<figure>``: the SVG, its caption and its table behind a disclosure. No
    style attributes (the CSP forbids them): colours come from classes in app.css. The table
    is the chart's text alternative."""
    c, id = chart, _t(chart.id)
    out = [f'<figure class="trend-chart" id="{id}">\n'
           f'  <svg viewBox="{_t(c.view_box)}" role="img" aria-labelledby="{id}-title {id}-desc"'
           ' class="chart chart-trend" font-family="system-ui, sans-serif">\n'
           f'    <title id="{id}-title">{_t(c.title)}</title>\n'
           f'    <desc id="{id}-desc">{_t(c.desc)}</desc>\n    ']
    out += [f'<rect class="{_t(b.css)}" x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" '
            f'height="{_n(b.h)}"><title>{_t(b.title)}</title></rect>' for b in c.bands]
    left, right, tick_x = _n(c.left), _n(c.right), _n(c.tick_x)
    for tick in c.ticks:
        y = _n(tick.y)
        out.append(f'\n      <line class="grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>\n'
                   f'      <text class="tick" x="{tick_x}" y="{y}" text-anchor="end" '
                   f'dominant-baseline="middle" font-size="11">{_t(tick.label)}</text>\n    ')
    out.append(f'\n    <text class="axis-note" x="4" y="12" font-size="11">{_t(c.unit)}</text>\n'
               '    ')
    legend_y, legend_text_y = _n(c.legend_y), _n(c.legend_text_y)
    out += [f'<rect class="key {_t(k.css)}" x="{_n(k.x)}" y="{legend_y}" width="10" height="10"'
            f' rx="2"/><text class="tick" x="{_n(k.text_x)}" y="{legend_text_y}" font-size="11">'
            f'{_t(k.text)}</text>' for k in c.legend]
    out.append("\n    ")
    out += [f'<rect class="{_t(r.css)}" x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" '
            f'height="{_n(r.h)}"><title>{_t(r.title)}</title></rect>' for r in c.rects]
    out.append("\n    ")
    out += [f'<polyline class="trend-line {_t(line.css)}" points="{_t(line.points)}" '
            'fill="none"/>' for line in c.lines]
    out.append("\n    ")
    r = _n(c.dot_r)
    out += [f'<circle class="trend-dot {_t(d.css)}" cx="{_n(d.x)}" cy="{_n(d.y)}" r="{r}">'
            f'<title>{_t(d.title)}</title></circle>' for d in c.dots]
    out.append("\n    ")
    label_y = _n(c.label_y)
    out += [f'<text class="rep-label" x="{_n(label.x)}" y="{label_y}" '
            f'text-anchor="{_t(label.anchor)}" font-size="10">{_t(label.text)}</text>'
            for label in c.labels]
    note = f" {_t(c.note)}" if c.note else ""
    out.append(f'\n  </svg>\n  <figcaption class="muted">{_t(c.desc)}{note}</figcaption>\n'
               '  <details class="chart-data">\n'
               f'    <summary>Table: {_t(c.title.lower())}</summary>\n'
               '    <div class="table-wrap"><table class="chart-table">\n      <thead><tr>')
    out += [f'<th scope="col"{NUM if i else ""}>{_t(h)}</th>' for i, h in enumerate(c.table.head)]
    out.append("</tr></thead>\n      <tbody>")
    for row in c.table.rows:
        out.append(f'<tr><th scope="row">{_t(row[0])}</th>')
        out += [f'<td class="num">{_t(cell)}</td>' for cell in row[1:]]
        out.append("</tr>")
    out.append("</tbody>\n    </table></div>\n  </details>\n</figure>\n")
    # bandit exception (B308, B703): every value escaped above
    return mark_safe("".join(out))  # nosec
