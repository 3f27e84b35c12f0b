"""The database itself refuses rows that must never exist."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from athletes.models import PaceOverride, RaceResult
from sessions.models import AthleteGoal, Block, PlannedStep, RepResult, Session, SessionLog
from tests import factories as f


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.fixture
def plan(db, coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.make_session(block=block)
    log = f.make_log(session=session, athlete=athlete)
    step = PlannedStep.objects.create(session=session, position=1, kind="work", distance_m=400)
    return {"block": block, "session": session, "log": log, "step": step, "athlete": athlete,
            "coach": coach}


def test_race_results_need_positive_distance_and_time(athlete):
    for distance, time in [(0, 60), (-400, 60), (400, 0), (400, -3)]:
        assert refused(lambda d=distance, t=time: RaceResult.objects.create(
            athlete=athlete, distance_m=d, time_s=t, date=dt.date(2026, 1, 1)))


def test_a_block_cannot_end_before_it_starts(coach):
    assert refused(lambda: Block.objects.create(
        coach=coach, title="x", start_date=dt.date(2026, 5, 2), end_date=dt.date(2026, 5, 1)))
    Block.objects.create(coach=coach, title="one day", start_date=dt.date(2026, 5, 1),
                         end_date=dt.date(2026, 5, 1))


def test_block_goal_and_altitude_must_be_sane(coach):
    base = {"coach": coach, "title": "x", "start_date": dt.date(2026, 5, 1),
            "end_date": dt.date(2026, 5, 9)}
    assert refused(lambda: Block.objects.create(**base, goal_distance_m=0))
    assert refused(lambda: Block.objects.create(**base, altitude_m=9000))


def test_an_athlete_has_one_positive_goal_time_per_block(coach, athlete):
    block = Block.objects.create(coach=coach, title="x", start_date=dt.date(2026, 5, 1),
                                 end_date=dt.date(2026, 5, 9))
    assert refused(lambda: AthleteGoal.objects.create(block=block, athlete=athlete, time_s=-1))
    assert refused(lambda: AthleteGoal.objects.create(block=block, athlete=athlete, time_s=0))
    AthleteGoal.objects.create(block=block, athlete=athlete, time_s=235)
    assert refused(lambda: AthleteGoal.objects.create(block=block, athlete=athlete, time_s=240))


def test_one_log_per_athlete_per_session(plan):
    assert refused(lambda: SessionLog.objects.create(
        session=plan["session"], athlete=plan["athlete"], date_done=dt.date(2026, 11, 2)))


@pytest.mark.parametrize("rpe", [0, 11])
def test_rpe_is_1_to_10(plan, rpe):
    log = plan["log"]
    log.rpe = rpe
    assert refused(log.save)


def test_rpe_bounds_are_allowed(plan):
    log = plan["log"]
    for rpe in (1, 10):
        log.rpe = rpe
        log.save()


@pytest.mark.parametrize("field,value", [
    ("lactate", -0.1), ("lactate", 30.1), ("avg_hr", 24), ("avg_hr", 251),
    ("actual_s", 0), ("actual_s", -5), ("distance_m", 0),
])
def test_rep_results_refuse_impossible_values(plan, field, value):
    assert refused(lambda: RepResult.objects.create(log=plan["log"], position=1,
                                                    **{field: value}))


def test_rep_results_accept_the_edges(plan):
    RepResult.objects.create(log=plan["log"], position=1, lactate=30, avg_hr=250, actual_s=0.1)
    RepResult.objects.create(log=plan["log"], position=2, lactate=0, avg_hr=25)


def test_one_result_per_rep_position(plan):
    RepResult.objects.create(log=plan["log"], position=1)
    assert refused(lambda: RepResult.objects.create(log=plan["log"], position=1))


def test_planned_steps_need_positive_amounts_and_lactate_0_30(plan):
    s = plan["session"]
    assert refused(lambda: PlannedStep.objects.create(session=s, position=2, kind="work",
                                                      distance_m=0))
    assert refused(lambda: PlannedStep.objects.create(session=s, position=3, kind="work",
                                                      duration_s=-60))
    assert refused(lambda: PlannedStep.objects.create(session=s, position=4, kind="work",
                                                      duration_s=60, lactate_hi=31))
    assert refused(lambda: PlannedStep.objects.create(session=s, position=1, kind="work",
                                                      distance_m=200))


def test_one_session_per_slot_per_day(plan):
    s = plan["session"]
    assert refused(lambda: Session.objects.create(block=s.block, date=s.date, slot=s.slot,
                                                  title="again"))
    Session.objects.create(block=s.block, date=s.date, slot="PM", title="PM run")


def test_pace_overrides_are_ordered_and_unique(athlete):
    PaceOverride.objects.create(athlete=athlete, zone="T", fast_s_per_km=170, slow_s_per_km=172)
    assert refused(lambda: PaceOverride.objects.create(athlete=athlete, zone="T",
                                                       fast_s_per_km=171, slow_s_per_km=173))
    assert refused(lambda: PaceOverride.objects.create(athlete=athlete, zone="I",
                                                       fast_s_per_km=170, slow_s_per_km=160))
    assert refused(lambda: PaceOverride.objects.create(athlete=athlete, zone="R",
                                                       fast_s_per_km=0, slow_s_per_km=0))
