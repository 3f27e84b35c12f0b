"""The acute:chronic ratio of the coach's home table from one text per athlete.

``training_load.figures`` reads the daily loads as rows (athlete, day run, week of the
session), about thirty an athlete for a ratio's 28 days: at club scale, most of the home
table's rows. Here the athletes' query reads each athlete's logs of the 28 days as one text,
``YYYY-MM-DD:load,...`` (``loads_text``, a subquery), and ``acwr_from_text`` adds the loads up
as ``training_load.acwr_on`` adds the daily loads: a day's loads first, then the days from the
last back, so the floats are the same to the last bit. A database ``SUM`` over the 7 and the
28 days would add them in another order: the loads are RPE x minutes of seconds / 60, rarely
whole numbers, and over 72,200 figures of the scale data 17 then showed another whole number
(a sum of exactly x.5 read as x.4999999999999995, or the other way round).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Aggregate, Func, OuterRef, Subquery, TextField

from .models import SessionLog
from .training_load import _DAYS_BACK, ACUTE_DAYS, CHRONIC_DAYS, AcwrFigure, session_load


class _DayLoad(Func):
    """A log's day and load as text, ``YYYY-MM-DD:load``, the load written so that it reads
    back as the same float: PostgreSQL's shortest exact form (``extra_float_digits`` 1, its
    default), SQLite's 17 digits. Without a load: no text on PostgreSQL (the ``||`` of a NULL is
    NULL, which ``STRING_AGG`` leaves out), ``day:0.0`` on SQLite (adding nothing)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (load, load_params) = (
            compiler.compile(e) for e in self.get_source_expressions())
        if connection.vendor == "sqlite":
            return f"({day} || ':' || printf('%%!.17g', {load}))", (*day_params, *load_params)
        # to_char, not CAST: a date cast to text follows the server's DateStyle
        return (f"(to_char({day}, 'YYYY-MM-DD') || ':' || CAST({load} AS text))",
                (*day_params, *load_params))


class _Joined(Aggregate):
    """The texts of a group joined by commas (``STRING_AGG``; SQLite's ``GROUP_CONCAT``)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def loads_text(since, until):
    """An athlete's started logs run from ``since`` to ``until`` (dates or ``OuterRef``), each
    as its day and session-RPE load (``training_load.session_load``), joined by commas; None
    without a log. A subquery over ``Athlete``."""
    logs = (SessionLog.objects.started()
            .filter(athlete_id=OuterRef("pk"), date_done__gte=since, date_done__lte=until)
            .annotate(one_load=session_load()).order_by().values("athlete_id")
            .annotate(text=_Joined(_DayLoad("date_done", "one_load"))).values("text"))
    return Subquery(logs, output_field=TextField())


def days_back(day: dt.date) -> dict[str, int]:
    """The 28 days ending on ``day`` as ``loads_text`` writes them, each with how many days
    before ``day`` it is (once per page: every athlete's text uses it)."""
    return {(day - back).isoformat(): i for i, back in enumerate(_DAYS_BACK)}


def acwr_from_text(text: str | None, back: dict[str, int]) -> AcwrFigure:
    """``training_load.acwr_on`` on the day of ``back`` (``days_back``), from ``loads_text``'s
    text of the 28 days ending on it: the same windows and the same order of addition (each
    day's loads in the order read, then the day, the day before, ...), so the same floats."""
    window = [0.0] * CHRONIC_DAYS  # the day, the day before, ...
    for item in text.split(",") if text else ():
        day, _, load = item.partition(":")
        if load:
            window[back[day]] += float(load)
    acute = sum(window[:ACUTE_DAYS])
    chronic = sum(window) / (CHRONIC_DAYS / ACUTE_DAYS)
    return AcwrFigure(acute, chronic, acute / chronic if chronic > 0 else None)
