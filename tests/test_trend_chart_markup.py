# ruff: noqa: E501  (the template below is kept as it was, one element a line)
"""sessions/trend_charts.py draws its charts in Python (``render``): the markup must be what
Django's template language would write (escaped text, numbers as ``localize`` writes them)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils.formats import localize

from sessions import trend_charts as charts

# The markup as a Django template (the template the charts were drawn by before ``render``).
DJANGO = Template("""<figure class="trend-chart" id="{{ chart.id }}">
<svg viewBox="{{ chart.view_box }}" role="img" aria-labelledby="{{ chart.id }}-title {{ chart.id }}-desc" class="chart chart-trend" font-family="system-ui, sans-serif">
<title id="{{ chart.id }}-title">{{ chart.title }}</title>
<desc id="{{ chart.id }}-desc">{{ chart.desc }}</desc>
{% for band in chart.bands %}<rect class="{{ band.css }}" x="{{ band.x }}" y="{{ band.y }}" width="{{ band.w }}" height="{{ band.h }}"><title>{{ band.title }}</title></rect>{% endfor %}
{% for tick in chart.ticks %}
<line class="grid" x1="{{ chart.left }}" x2="{{ chart.right }}" y1="{{ tick.y }}" y2="{{ tick.y }}"/>
<text class="tick" x="{{ chart.tick_x }}" y="{{ tick.y }}" text-anchor="end" dominant-baseline="middle" font-size="11">{{ tick.label }}</text>
{% endfor %}
<text class="axis-note" x="4" y="12" font-size="11">{{ chart.unit }}</text>
{% for key in chart.legend %}<rect class="key {{ key.css }}" x="{{ key.x }}" y="{{ chart.legend_y }}" width="10" height="10" rx="2"/><text class="tick" x="{{ key.text_x }}" y="{{ chart.legend_text_y }}" font-size="11">{{ key.text }}</text>{% endfor %}
{% for r in chart.rects %}<rect class="{{ r.css }}" x="{{ r.x }}" y="{{ r.y }}" width="{{ r.w }}" height="{{ r.h }}"><title>{{ r.title }}</title></rect>{% endfor %}
{% for line in chart.lines %}<polyline class="trend-line {{ line.css }}" points="{{ line.points }}" fill="none"/>{% endfor %}
{% for d in chart.dots %}<circle class="trend-dot {{ d.css }}" cx="{{ d.x }}" cy="{{ d.y }}" r="{{ chart.dot_r }}"><title>{{ d.title }}</title></circle>{% endfor %}
{% for label in chart.labels %}<text class="rep-label" x="{{ label.x }}" y="{{ chart.label_y }}" text-anchor="{{ label.anchor }}" font-size="10">{{ label.text }}</text>{% endfor %}
</svg>
<figcaption class="muted">{{ chart.desc }}{% if chart.note %} {{ chart.note }}{% endif %}</figcaption>
<details class="chart-data">
<summary>Table: {{ chart.title|lower }}</summary>
<div class="table-wrap"><table class="chart-table">
<thead><tr>{% for h in chart.table.head %}<th scope="col"{% if not forloop.first %} class="num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in chart.table.rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>{% else %}<td class="num">{{ cell }}</td>{% endif %}{% endfor %}</tr>{% endfor %}</tbody>
</table></div>
</details>
</figure>""")


def _squeeze(html: str) -> str:
    return "".join(html.split())


def _charts() -> list[charts.TrendChart]:
    names = ["<b>1 Jan</b>", "Tom's & Sam's", '"W3"', "W4"]
    volume = charts.bar_chart(
        id="chart-x", title="Weekly <volume>", desc="Km & more: 'planned' \"done\"", unit="km",
        names=names, series=[("Planned", "bar-planned", [10.0, None, 12.345, 1e-7]),
                             ("Done", "bar-done", [0.0, 3.0, 1234567.5, 2.0])],
        overlay=[("Chronic", "line-chronic", [1.0, None, 2.5, 3.0])])
    volume.note = "<i>note</i>"
    ratio = charts.line_chart(id="r", title="Ratio", desc="d", unit="ratio", names=names,
                              series=[("Ratio", "line-ratio", [0.9, 1.4, None, 1e-9])],
                              band=(0.8, 1.3), band_label="0.8–1.3", decimals=2)
    mix = charts.stacked_chart(id="m", title="Mix", desc="d", names=names,
                               series=[("Easy", "int-easy", [1.0, 0.0, 2.0, 0.0]),
                                       ("Hard", "int-hard", [1.0, 0.0, 0.5, 0.0])])
    vdot = charts.line_chart(id="v", title="VDOT", desc="d", unit="VDOT", names=names[:2],
                             series=[("VDOT", "line-vdot", [50.1, 51.3])], floor=None)
    return [volume, ratio, mix, vdot]


def test_render_writes_what_the_django_template_wrote():
    for chart in _charts():
        assert _squeeze(charts.render(chart)) == _squeeze(DJANGO.render(Context({"chart": chart})))


def test_text_is_escaped_and_numbers_localized():
    html = charts.render(_charts()[0])
    assert "<b>" not in html and "&lt;b&gt;1 Jan&lt;/b&gt;" in html
    assert "Tom&#x27;s &amp; Sam&#x27;s" in html and "&quot;W3&quot;" in html
    assert "&lt;i&gt;note&lt;/i&gt;" in html
    assert charts._n(1e-7) == localize(1e-7) and charts._n(12.5) == "12.5"


def test_block_weeks_escape_names_and_write_shares_as_widthratio():
    import datetime as dt

    from athletes.models import Athlete
    from sessions import trend_pages, trends
    from sessions.training_load import AcwrFigure, WeekFigures

    monday = dt.date(2026, 11, 2)
    athlete = Athlete(pk=7, display_name="<b>Ann & 'Bo'</b>")
    dist = trends.Distribution()
    dist.done.update({"easy": 1000.0, "threshold": 500.0, "hard": 500.0})
    row = trend_pages.AthleteWeek(athlete, WeekFigures(7, monday, planned=3, done=2, missed=1,
                                                       km_planned=12.25, km_done=9.95,
                                                       load=412.5),
                                  dist, AcwrFigure(400.0, 250.0, 1.6))
    html = trend_pages.render_weeks([trend_pages.BlockWeek(monday, 1, [row])])
    assert "&lt;b&gt;Ann &amp; &#x27;Bo&#x27;&lt;/b&gt;" in html and "<b>" not in html
    assert ">Week 1 <span class=\"muted\">from Mon 2 Nov</span></h2>" in html
    assert "10.0 / 12.3" in html  # floatformat rounds half up
    assert ">413</td>" in html  # and 412.5 to 413
    assert "1.60 <span class=\"pill slow\">out of band</span>" in html
    assert "50 % <span class=\"muted\">(–)</span>" in html
