"""plan_session: notation -> stored steps, totals and every athlete's targets."""

import pytest

from coach import notation
from sessions.models import PlannedStep, PlannedTarget
from sessions.planning import plan_session
from tests import factories as f


@pytest.fixture
def block(block, coach):
    """The shared block (tests/conftest.py), with a slower athlete too."""
    block.athletes.add(f.make_athlete(name="Ben Slower", coach=coach, race=(5000, 14 * 60 + 30)))
    return block


def test_it_stores_steps_totals_and_targets_for_each_athlete(block):
    text = "12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)"
    session = f.make_session(block=block, notation=text)
    workout = plan_session(session)
    session.refresh_from_db()
    assert (session.rep_count, session.work_distance_m) == (22, 6800)
    assert session.total_distance_m == 6800 + 21 * 200
    assert session.is_quality
    assert workout.rep_count == 22
    work = PlannedStep.objects.filter(session=session, kind="work")
    assert work.count() == 22
    assert PlannedStep.objects.filter(session=session, kind="recovery").count() == 21
    ada, ben = block.athletes.order_by("display_name")
    first = work.get(rep_number=1)
    ada_t = PlannedTarget.objects.get(step=first, athlete=ada)
    ben_t = PlannedTarget.objects.get(step=first, athlete=ben)
    # Ada ran 12:48 for 5000 m: T+ is 61.4-64.0 per 400 at sea level (docs/paces.md).
    assert ada_t.target_lo_s == pytest.approx(61.4, abs=0.2)
    assert ada_t.target_hi_s == pytest.approx(64.0, abs=0.2)
    assert ben_t.target_lo_s > ada_t.target_hi_s
    assert PlannedTarget.objects.filter(step__session=session).count() == 44


def test_each_target_stores_where_its_pace_came_from(coach, athlete):
    ben = f.make_athlete(name="Ben Slower", coach=coach, race=(5000, 14 * 60 + 30))
    ben.pace_overrides.create(zone="T", fast_s_per_km=180, slow_s_per_km=180)
    block = f.make_block(coach=coach, athletes=(athlete, ben), altitude_m=2100,
                         goal_distance_m=1609.344, goals={athlete: 235.0})
    session = f.make_session(block=block, notation=(
        "3x1k @ T (60s) & 2x200 @ mile (200 jog) & 2x400 @ 64 (200 jog) & "
        "2x6min @ 2.5 mmol, T (1min)"))
    plan_session(session)
    stored = {(t.athlete.display_name, t.step.rep_number): (t.source, t.origin)
              for t in PlannedTarget.objects.filter(step__session=session)
              .select_related("athlete", "step")}
    altitude = "+4.7 % for 2100 m altitude"
    assert stored["Ada Miler", 1] == ("T", f"VDOT 83.6 from 5000 m 12:48, {altitude}")
    assert stored["Ben Slower", 1] == ("T", f"the coach's pace, {altitude}")
    assert stored["Ada Miler", 4] == ("mile pace",
                                      "goal 3:55 for the mile, sea-level speed at 2100 m")
    assert stored["Ben Slower", 4][1].startswith("VDOT 72.4 from 5000 m 14:30, sea-level")
    assert stored["Ada Miler", 6] == ("64", "")  # a time as written: nothing to explain
    assert stored["Ada Miler", 8] == ("T", "VDOT 83.6 from 5000 m 12:48")  # lactate governs


def test_altitude_slows_threshold_targets_and_keeps_sea_level_beside(coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,), altitude_m=2100)
    session = f.make_session(block=block, notation="6x1k @ T 60s; 4x200 @ R (200 jog)")
    plan_session(session)
    t = PlannedTarget.objects.get(step__session=session, step__rep_number=1)
    assert t.target_lo_s > t.sea_level_lo_s * 1.04
    r = PlannedTarget.objects.get(step__session=session, step__rep_number=7)
    assert r.target_lo_s == pytest.approx(r.sea_level_lo_s)


def test_lactate_and_timed_reps_keep_the_band_and_a_pace(block):
    session = f.make_session(block=block, notation="5x6min @ 2.5 mmol (1min)")
    plan_session(session)
    step = PlannedStep.objects.filter(session=session, kind="work").first()
    assert (step.duration_s, step.lactate_lo, step.lactate_hi) == (360, 2.5, 2.5)
    session.refresh_from_db()
    assert session.work_duration_s == 5 * 360
    assert session.estimated_duration_s >= 5 * 360 + 4 * 60


def test_replanning_replaces_the_old_plan(block):
    session = f.make_session(block=block, notation="12x400 @ 64 (200 jog)")
    plan_session(session)
    session.notation = "6x1k @ T 60s"
    plan_session(session)
    assert PlannedStep.objects.filter(session=session, kind="work").count() == 6
    session.refresh_from_db()
    assert session.rep_count == 6


def test_a_bad_notation_writes_nothing(block):
    session = f.make_session(block=block, notation="12x400 @ 64 (200 jog)")
    plan_session(session)
    session.notation = "12x40O"
    with pytest.raises(notation.NotationError):
        plan_session(session)
    assert PlannedStep.objects.filter(session=session, kind="work").count() == 12


def test_deactivated_athletes_get_no_targets(block, athlete):
    athlete.user.is_active = False
    athlete.user.save()
    session = f.make_session(block=block, notation="4x400 @ T (60s)")
    plan_session(session)
    assert not PlannedTarget.objects.filter(athlete=athlete).exists()


def test_easy_runs_are_not_quality(block):
    session = f.make_session(block=block, notation="50min easy")
    plan_session(session)
    session.refresh_from_db()
    assert not session.is_quality
    assert session.estimated_duration_s == 50 * 60


def test_planning_does_a_bounded_number_of_queries(block, django_assert_max_num_queries):
    session = f.make_session(block=block, notation="2mi WU; 25x400 @ T (60s); 2mi CD")
    with django_assert_max_num_queries(12):
        plan_session(session)
