"""Re-planning: which sessions it replaces (``Session.objects.upcoming_unlogged``, by each
block's own date) and one function per cause (``planning.replan_block``,
``planning.replan_athlete``)."""

import datetime as dt

import pytest

from sessions import planning
from sessions.models import Session
from tests import factories as f

NOW = dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.UTC)  # Kiritimati: 11 Nov; Pago Pago: 9 Nov


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_upcoming_unlogged_sessions_start_from_each_blocks_own_date(frozen_now, coach, athlete):
    east = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2),
                        time_zone="Pacific/Kiritimati", title="East")
    west = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2),
                        time_zone="Pacific/Pago_Pago", title="West")
    assert (east.today(), west.today()) == (dt.date(2026, 11, 11), dt.date(2026, 11, 9))
    for block, days in ((east, (10, 11)), (west, (8, 9, 10))):
        for day in days:
            f.make_session(block=block, date=dt.date(2026, 11, day), title=f"{block.title} {day}")
    logged = f.make_session(block=west, date=dt.date(2026, 11, 12), title="West 12 logged")
    f.make_log(session=logged, athlete=athlete)

    upcoming = Session.objects.upcoming_unlogged()
    assert _titles(upcoming) == {"East 11", "West 9", "West 10"}
    assert _titles(east.sessions.upcoming_unlogged()) == {"East 11"}
    for block in (east, west):  # the same as each block's own calendar says
        assert _titles(block.sessions.upcoming_unlogged()) == _titles(
            block.sessions.filter(date__gte=block.today(), logs__isnull=True))


def test_replan_block_re_plans_only_when_what_targets_depend_on_changed(frozen_now, coach,
                                                                        athlete):
    block = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2))
    for day in (9, 10, 11):
        session = f.make_session(block=block, date=dt.date(2026, 11, day), notation="4x400 @ I")
        planning.plan_session(session)
    before = planning.plan_inputs(block)
    assert planning.replan_block(block, before=before) == 0
    block.altitude_m = 2100
    block.save()
    assert planning.replan_block(block, before=before) == 2  # today and tomorrow (UTC)


def test_replan_athlete_reports_nothing_upcoming(frozen_now, coach, athlete):
    f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 10, 1))
    done = planning.replan_athlete(athlete)
    assert (done.ran, done.replanned, done.summary()) == (True, 0,
                                                          "No upcoming sessions to update.")
