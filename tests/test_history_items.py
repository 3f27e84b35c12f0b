""""This workout before"'s run items: each figure's and verdict's text written once per distinct
values (``step_rows._figure_html``, ``_judged_html``), as the loop before wrote it every time."""

import pytest
from markupsafe import escape

from coach.jinja2 import django_escape
from sessions import step_rows
from sessions.workout_history import Figures


def written_before(f):
    """The figure as ``_run_items`` wrote it before it was kept (the same expression)."""
    return (f'<div><dt>{django_escape(f.name)}{" (distance)" if f.timed else ""}</dt>'
            f'<dd class="num">mean <b>{escape(f.mean_label)}</b> · best '
            f'<b>{escape(f.best_label)}</b>'
            f'{f""" <span class="muted">({f.count} reps)</span>""" if f.count > 1 else ""}'
            f'</dd></div>')


@pytest.mark.parametrize("figures", [
    Figures(400.0, None, 12, 66.54, 64.96),
    Figures(1000.0, None, 1, 185.4, 185.4),
    Figures(1609.344, None, 3, 290.0, 287.2),
    Figures(None, 360.0, 5, 1712.5, 1790.0),  # timed reps: distances
])
def test_a_figure_is_written_as_before_and_kept(figures):
    step_rows._figure_html.cache_clear()
    first = step_rows._figure_html(figures)
    assert first == written_before(figures)
    again = Figures(figures.distance_m, figures.duration_s, figures.count, figures.mean,
                    figures.best)
    assert step_rows._figure_html(again) is first
    assert step_rows._figure_html.cache_info().hits == 1


def test_a_verdict_is_written_as_before():
    assert step_rows._judged_html(7, 9, "+0.8 s") == (
        '<div><dt>Against targets</dt><dd class="num"><b>7/9</b> on target · mean '
        '<b>+0.8 s</b></dd></div>')
    assert "&lt;" in step_rows._judged_html(1, 1, "<x>")
