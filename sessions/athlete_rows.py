"""The athlete page's longest parts as plain rows drawn by Jinja2 (docs/frontend.md, "Fast
fragments"; docs/perf-home-athlete.md): the race results
(``templates/jinja2/athletes/race_rows.html``) and the benchmark workouts
(``templates/jinja2/training/benchmarks.html``). The HTML is what ``athletes/detail.html``
and ``training/_benchmarks.html`` wrote with Django's template language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache, partial

from django.template.defaultfilters import floatformat
from django.utils import dateformat
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from coach.jinja2 import render_fragment, url_maker

from . import benchmarks


def format_day(day: dt.date, fmt: str) -> str:
    """``day|date:fmt`` (``dateformat.format``): the same day and format give the same text in
    a language, and pages write the same few dozen days again and again (two a block card on
    the coach's home, two a benchmark here), so each is formatted once."""
    return _formatted(day, fmt, get_language())


def day_formatter() -> Callable[[dt.date, str], str]:
    """``format_day`` for the active language, asked once: a page that writes many days (the
    coach's home: two a block card) need not ask Django's translation state for each."""
    return partial(_formatted, language=get_language())


@lru_cache(maxsize=4096)
def _formatted(day: dt.date, fmt: str, language: str | None) -> str:
    return dateformat.format(day, fmt)


def render_races(results, athlete_id: int, vdot, csrf_token: str) -> SafeString:
    """The rows of the race results table: ``results`` with ``vdot_info`` and ``time_text``
    (``athlete_views._profile``); ``vdot`` the VDOT and the result it comes from, or None."""
    delete_url = url_maker("athletes:race-delete", 2)
    used = vdot[1].pk if vdot else None
    rows = []
    for r in results:
        info = r.vdot_info
        value = info.get("value")
        rows.append({
            "pk": r.pk, "race_name": r.race_name, "iso_date": format_day(r.date, "Y-m-d"),
            "date": format_day(r.date, "j M Y"), "distance": r.distance_label,
            "time": r.time_text, "vdot": str(floatformat(value, 1)) if value else "",
            "extrapolated": info.get("extrapolated"), "used": bool(value) and used == r.pk,
            "why": info.get("why", ""), "reason": info.get("reason", ""),
            "per_400": info.get("per_400", ""), "delete_url": delete_url(athlete_id, r.pk),
        })
    return render_fragment("athletes/race_rows.html", {"rows": rows, "csrf_token": csrf_token})


def render_benchmarks(user, athlete) -> SafeString:
    """The "Benchmark workouts" section (``sessions.benchmarks``: two queries)."""
    log_url = url_maker("training:log-summary")
    marks = []
    for m in benchmarks.benchmarks(user, athlete):
        best = m.best
        marks.append({
            "label": m.label, "count": m.count, "last_url": m.last_url,
            "last_date": format_day(m.last_date, "j M Y"), "main_name": m.main_name,
            "best": best is not None,
            "best_url": log_url(best.log_id) if best else "",
            "best_mean": best.mean_label if best else "",
            "best_date": format_day(best.date, "j M Y") if best else "",
            "trend": m.trend_label,
        })
    return render_fragment("training/benchmarks.html", {"marks": marks})
