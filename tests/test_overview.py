"""The coach's home table (sessions/overview.py): each athlete's week, the week picker, sorting
by links and by htmx, the flags, and its cost in queries. The club and its hand-worked figures
are tests/test_training_load.py's."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sessions import overview

from . import factories as f
from .test_training_load import W1, W2, _log, club  # noqa: F401  (the fixture)

HOME = reverse("training:coach-home")


def _rows(html: str) -> list[str]:
    """The athletes' names in the table's order."""
    table = html[html.index('id="athlete-table"'):]
    table = table[:table.index("</table>")]
    return re.findall(r'<th scope="row" class="sticky-col"><a href="[^"]+">([^<]+)</a>', table)


def _row(html: str, name: str) -> str:
    start = html.index(f">{name}</a>")
    return html[start:html.index("</tr>", start)]


def test_the_table_shows_each_athletes_week_with_its_flags(coach_client, club):  # noqa: F811
    html = coach_client.get(HOME, {"week": "2026-11-04"}).content.decode()
    assert "week of Mon 2 Nov" in html and _rows(html) == ["Ana Aa", "Ben Bb", "Cy Cc"]
    ana = _row(html, "Ana Aa")
    assert "3 / 3" in ana and "12.7 / 12.2 km" in ana and "15 / 15 min timed" in ana
    assert "50 %" in ana and "2 of 4 reps" in ana
    assert "2.6" in ana and "2.5" in ana and "2 of 3 in band" in ana  # last reading, band
    assert '<td class="num">580' in ana  # the load: 240 + 165 + 175
    assert "4.00" in ana and "580 : 145" in ana  # ACWR on Sun 8 Nov
    assert "2 reps off" in ana and "ACWR 4.00" in ana and "missed" not in ana
    ben = _row(html, "Ben Bb")
    assert "1 / 1" in ben and "1.4 / 2.2 km" in ben and "100 %" in ben
    cy = _row(html, "Cy Cc")
    assert "0 / 0" not in cy and "missed" not in cy  # not in the club yet: nothing owed
    week2 = coach_client.get(HOME, {"week": "2026-11-09"}).content.decode()
    assert "2 missed" in _row(week2, "Ben Bb")
    assert "RPE 8+ easy" in _row(week2, "Ana Aa") and "1 without RPE" in _row(week2, "Ana Aa")
    assert "1 missed" in _row(week2, "Cy Cc") and "11.6 km" in _row(week2, "Cy Cc")


def test_the_columns_sort_both_ways_with_athletes_without_a_figure_last(coach_client,
                                                                         club):  # noqa: F811
    week = "2026-11-02"
    by_adherence = coach_client.get(HOME, {"week": week, "sort": "adherence", "dir": "desc"})
    assert _rows(by_adherence.content.decode()) == ["Ben Bb", "Ana Aa", "Cy Cc"]  # 100, 50, -
    ascending = coach_client.get(HOME, {"week": week, "sort": "adherence", "dir": "asc"})
    assert _rows(ascending.content.decode()) == ["Ana Aa", "Ben Bb", "Cy Cc"]
    by_load = coach_client.get(HOME, {"week": week, "sort": "load", "dir": "desc"})
    assert _rows(by_load.content.decode()) == ["Ana Aa", "Ben Bb", "Cy Cc"]
    html = by_adherence.content.decode()
    # the active column's link turns the order round; the others start with their own
    assert 'aria-sort="descending"' in html
    assert "sort=adherence&amp;dir=asc" in html and "sort=load&amp;dir=desc" in html
    assert "week=2026-11-02" in html  # the week stays when sorting
    nonsense = coach_client.get(HOME, {"sort": "password", "dir": "sideways"})
    assert nonsense.status_code == 200 and 'aria-sort="ascending"' in nonsense.content.decode()


def test_htmx_gets_the_table_alone_and_pushes_its_address(coach_client, club, htmx):  # noqa: F811
    response = coach_client.get(HOME, {"week": "2026-11-02", "sort": "load", "dir": "desc"},
                                 **htmx, HTTP_HX_TARGET="athlete-table")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="athlete-table"')
    assert 'hx-push-url="true"' in html and 'hx-target="#athlete-table"' in html
    assert _rows(html) == ["Ana Aa", "Ben Bb", "Cy Cc"]
    assert "Today at the track" not in html


def test_the_week_picker_moves_a_week_and_a_bad_week_says_so(coach_client, club):  # noqa: F811
    html = coach_client.get(HOME, {"week": "2026-11-10"}).content.decode()
    assert "week of Mon 9 Nov" in html
    assert f"{HOME}?week=2026-11-02" in html and f"{HOME}?week=2026-11-16" in html
    assert "This week" in html  # back to the current week
    bad = coach_client.get(HOME, {"week": "2026-13-45"})
    assert bad.status_code == 200
    assert "is not a date (YYYY-MM-DD): this week shown." in bad.content.decode()


def test_parse_week_reads_any_day_of_the_week():
    today = dt.date(2026, 12, 4)
    assert overview.parse_week("2026-11-12", today) == (W2, "")
    assert overview.parse_week("", today) == (dt.date(2026, 11, 30), "")
    assert overview.parse_week("last week", today)[1].startswith("“last week” is not a date")


def test_a_coach_sees_only_their_own_athletes(club, other_coach, other_athlete):  # noqa: F811
    client = Client()
    client.force_login(other_coach)
    html = client.get(HOME, {"week": "2026-11-02"}).content.decode()
    assert "Ana Aa" not in html and other_athlete.display_name in html


def test_a_coach_without_athletes_is_told_so(client, db):
    lonely = f.make_coach()
    client.force_login(lonely)
    assert "No athletes are assigned to you yet." in client.get(HOME).content.decode()


def test_the_home_costs_the_same_queries_for_more_athletes_and_history(
        coach_client, coach, club, django_assert_max_num_queries):  # noqa: F811
    week = {"week": "2026-11-09"}
    with django_assert_max_num_queries(13) as few:
        coach_client.get(HOME, week)
    more = [f.make_athlete(name=f"Extra {i}", coach=coach) for i in range(4)]
    earlier = f.make_block(coach=coach, athletes=(club["ana"], *more),
                           start=W1 - dt.timedelta(days=42), days=42, title="Earlier")
    for n in range(6):
        session = f.planned(earlier, "4x400 @ 64 (200 jog)",
                            date=earlier.start_date + dt.timedelta(days=7 * n))
        for athlete in (club["ana"], *more):
            _log(session, athlete, (64, 65, 66, 63), lactate=(3.0,), rpe=6, duration_s=2000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = coach_client.get(HOME, week).content.decode()
    assert "Extra 3" in html


def test_the_table_comes_first_and_the_rest_of_the_home_stays(coach_client, club):  # noqa: F811
    html = coach_client.get(HOME).content.decode()
    table = html.index('id="athlete-table"')
    for later in ("Needs your attention", "Training blocks", "Latest logs"):
        assert table < html.index(later)


@pytest.mark.parametrize("key", [c.key for c in overview.COLUMNS])
def test_every_column_sorts(coach_client, club, key):  # noqa: F811
    for direction in ("asc", "desc"):
        response = coach_client.get(HOME, {"week": "2026-11-09", "sort": key, "dir": direction})
        assert response.status_code == 200
        assert sorted(_rows(response.content.decode())) == ["Ana Aa", "Ben Bb", "Cy Cc"]


def test_a_separator_looked_up_once_is_the_one_floatformat_writes():
    """The tables look the active language's separator up once and pass it to every number
    they write: under another language too, the same as ``floatformat``."""
    rng = random.Random(7)
    values = [2.5, -0.04, 12.345, 0.0, 1.005] + [rng.uniform(-50, 50) for _ in range(200)]
    for language in ("en", "de"):
        with translation.override(language):
            separator = overview.decimal_separator()
            for value in values:
                for places in (0, 1, 2):
                    assert (overview.number(value, places, separator)
                            == str(floatformat(value, places))), (language, value, places)


def test_the_table_writes_numbers_as_floatformat_does():
    rng = random.Random(16)
    values = [0, 0.0, -0.0, 7, -3, 2.5, 0.5, 1.005, 2.675, -0.04, -0.5, 1e-7, 123456.785,
              None, float("nan")]
    values += [rng.uniform(-500, 500) for _ in range(2000)]
    values += [round(rng.uniform(0, 50), rng.choice((1, 2, 3))) for _ in range(2000)]
    values += [rng.randint(-10_000, 10_000) for _ in range(200)]
    for value in values:
        for places in (0, 1, 2):
            expected = str(floatformat(value, places))
            assert overview.number(value, places) == expected, (value, places)


# --- the athlete table around its rows: Jinja2 (home_page.render_table) ------------------------

# coach_home.html's partial "athlete-table" as Django's template language wrote it, kept as it
# was when Jinja2 took over (home_page.render_table)
DJANGO_TABLE = (Path(__file__).parent / "old_templates" / "athlete_table.html").read_text()


@pytest.mark.parametrize("query", [
    {}, {"sort": "load", "dir": "desc"}, {"sort": "flags"}, {"week": "2026-11-02"},
    {"week": "<b>'\"&amp;"}, {"week": "2026-11-02", "sort": "acwr", "dir": "asc"}])
def test_the_table_fragment_writes_what_the_django_partial_wrote(club, coach, rf,  # noqa: F811
                                                                  query):
    from django.template import engines

    from sessions import home_page

    table = overview.athlete_table(coach, today=dt.date(2026, 11, 12), week=query.get("week"),
                                   sort=query.get("sort"), direction=query.get("dir"))
    assert table.rows
    django = engines["django"].from_string(DJANGO_TABLE).render({"table": table})
    assert str(home_page.render_table(table)) + "\n" == django
    empty = overview.athlete_table(f.make_coach(), today=dt.date(2026, 11, 12),
                                   week=query.get("week"))
    assert not empty.rows
    django = engines["django"].from_string(DJANGO_TABLE).render({"table": empty})
    assert str(home_page.render_table(empty)) + "\n" == django
