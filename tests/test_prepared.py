"""coach/prepared.py: a queryset compiled once per shape gives what the ORM gives, for any
values of the same shape, and refuses a builder that computes a parameter from an argument."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from coach import prepared
from sessions.models import SessionLog
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


def _logs(ids, start, end):
    return (SessionLog.objects.filter(athlete_id__in=ids, date_done__gte=start,
                                      date_done__lte=end)
            .values("athlete_id", "date_done").annotate(n=Count("pk")).order_by())


@pytest.fixture
def logs():
    coach = f.make_coach()
    ana, ben = f.make_athlete(coach=coach), f.make_athlete(coach=coach)
    block = f.make_block(coach=coach, athletes=(ana, ben), start=DAY, days=14)
    for offset in (0, 3, 9):
        session = f.make_session(block=block, date=DAY + dt.timedelta(days=offset))
        f.make_log(session=session, athlete=ana, date_done=session.date)
        if offset < 5:
            f.make_log(session=session, athlete=ben, date_done=session.date)
    return ana, ben


def test_same_rows_as_the_orm_for_other_values_of_the_same_shape(logs):
    ana, ben = logs
    week = dt.timedelta(days=7)
    for ids, start, end in (([ana.pk, ben.pk], DAY, DAY + 2 * week),
                            ([ben.pk, ana.pk], DAY + dt.timedelta(days=2), DAY + week),
                            ([ana.pk], DAY, DAY + dt.timedelta(days=5))):
        got = prepared.dicts("test_logs", _logs, ids, start, end)
        assert sorted(got, key=lambda r: (r["athlete_id"], r["date_done"])) == sorted(
            _logs(ids, start, end), key=lambda r: (r["athlete_id"], r["date_done"]))
        assert all(isinstance(r["date_done"], dt.date) for r in got)


def test_one_query_and_none_for_no_ids(logs):
    ana, _ = logs
    prepared.dicts("test_logs", _logs, [ana.pk], DAY, DAY)
    with CaptureQueriesContext(connection) as queries:
        prepared.dicts("test_logs", _logs, [ana.pk], DAY, DAY + dt.timedelta(days=3))
    assert len(queries) == 1
    assert prepared.dicts("test_logs", _logs, [], DAY, DAY) == []


def test_refuses_a_parameter_computed_from_an_argument(logs):
    ana, _ = logs

    def shifted(ids, start):
        return _logs(ids, start - dt.timedelta(days=1), start)

    with pytest.raises(ValueError, match="computed from an argument"):
        prepared.dicts("test_shifted", shifted, [ana.pk], DAY)


def test_refuses_sql_that_depends_on_a_value(logs):
    ana, _ = logs

    def decided(ids, start):
        qs = _logs(ids, start, start)
        return qs.filter(rpe=5) if start.year > 1200 else qs  # the stand-ins: 1100 and 1300

    with pytest.raises(ValueError, match="depends on the arguments"):
        prepared.dicts("test_decided", decided, [ana.pk], DAY)


def test_a_text_argument_is_a_parameter_like_the_others(logs):
    ana, ben = logs
    SessionLog.objects.filter(athlete=ana).update(workout_key="12x400")

    def keyed(ids, key):
        return _logs(ids, DAY, DAY + dt.timedelta(days=14)).filter(workout_key=key)

    for key, expected in (("12x400", 3), ("", 2), ("5x1000", 0)):
        got = prepared.dicts("test_keyed", keyed, [ana.pk, ben.pk], key)
        assert sum(row["n"] for row in got) == expected
        assert sorted(got, key=lambda r: (r["athlete_id"], r["date_done"])) == sorted(
            keyed([ana.pk, ben.pk], key), key=lambda r: (r["athlete_id"], r["date_done"]))


def _figures(ids, start, end):
    from django.db.models import Avg, F, FloatField, Max, Sum
    from django.db.models.functions import TruncWeek
    return (SessionLog.objects.filter(athlete_id__in=ids, date_done__gte=start,
                                      date_done__lte=end)
            .values("athlete_id", week=TruncWeek("date_done"))
            .annotate(n=Count("pk"), rpe_sum=Sum("rpe"), avg_rpe=Avg("rpe"),
                      minutes=Sum(F("duration_s") / 60.0, output_field=FloatField()),
                      last=Max("date_done"))
            .order_by("athlete_id", "week"))


def test_converted_columns_are_what_the_orm_gives_types_included(logs):
    """Float, integer, truncated-week and average columns converted as the ORM converts them:
    every value and its type."""
    ana, ben = logs
    SessionLog.objects.filter(athlete=ana).update(rpe=7, duration_s=3000.5)
    ids, start, end = [ana.pk, ben.pk], DAY, DAY + dt.timedelta(days=20)
    got = prepared.dicts("test_figures", _figures, ids, start, end)
    expected = list(_figures(ids, start, end))
    assert got == expected and len(got) >= 3
    for mine, theirs in zip(got, expected, strict=True):
        assert [type(v) for v in mine.values()] == [type(v) for v in theirs.values()]
    assert any(row["minutes"] is None for row in got)  # a None passes through


def test_a_column_the_database_types_as_the_converter_would_is_not_converted(logs):
    """``_converted`` skips ``float()`` on a PostgreSQL ``float8`` column and ``int()`` on an
    integer one (psycopg gives those types already); any other type code, a ``numeric`` SUM
    say, or none (SQLite), still converts. Shown with values the conversion would change."""
    ana, ben = logs
    statement = prepared._statement(_figures, ([ana.pk, ben.pk], DAY, DAY))
    n_at, minutes_at = statement.names.index("n"), statement.names.index("minutes")
    row = [None] * len(statement.fields)
    row[n_at], row[minutes_at] = 2.0, 3  # an int where a float goes, and the other way
    types = [None] * len(statement.fields)

    def converted(n_type, minutes_type):
        types[n_at], types[minutes_at] = n_type, minutes_type
        got = prepared._converted([tuple(row)], statement.fields, connection, types)[0]
        return got[n_at], got[minutes_at]

    assert converted(20, 701) == (2.0, 3) and type(converted(20, 701)[1]) is int  # skipped
    assert converted(23, 701)[0] == 2.0 and type(converted(21, 701)[0]) is float
    assert type(converted(1700, 1700)[0]) is int and type(converted(1700, 1700)[1]) is float
    assert type(converted(None, None)[0]) is int and type(converted(None, None)[1]) is float
    assert prepared._converted([tuple(row)], statement.fields, connection)[0][minutes_at] == 3.0
