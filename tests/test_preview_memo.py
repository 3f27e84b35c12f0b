"""The live preview's per-athlete plans, kept by workout and pace profile
(``sessions.preview._plan_of``): the same answers as working them out afresh, for every
profile, and a bounded memo."""

import pytest

from coach import notation, pace
from sessions import preview
from sessions.step_rows import origin_line

WORKOUTS = [
    "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD",
    "5x6min @ 2.5 mmol (1min)",
    "3x(4x400 @ I) 60s/3min",
    "400-800-1200-800-400 @ I w/ equal time jog",
    "10x400 @ 64 (200 walk)",
    "45min easy",
]
PROFILES = [
    None,
    pace.PaceProfile(vdot=60),
    pace.PaceProfile(vdot=60, altitude_m=2100),
    pace.PaceProfile(vdot=60, overrides={"mile": (150, 152)}),
    pace.PaceProfile(vdot=52.5, goal_times={"mile": 250}, goal_race="mile",
                     vdot_race="5000 m 17:10"),
]


def afresh(workout, profile):
    resolved = notation.resolve(workout, profile)
    pairs = [] if profile is None else preview._origin_pairs(resolved, profile)
    return (targets(resolved), origin_line(pairs),
            preview.estimated_duration(workout, resolved, profile))


def targets(resolved):
    """What the preview reads of resolved steps: everything but their own step."""
    return [{k: v for k, v in vars(r).items() if k != "step"} for r in resolved]


def kept(plan):
    return (targets(plan[0]), plan[1], plan[2])


@pytest.mark.parametrize("text", WORKOUTS)
@pytest.mark.parametrize("profile", PROFILES)
def test_reps_alike_resolve_to_the_targets_resolve_gives(text, profile):
    workout = notation.parse(text)
    resolved = preview._resolved(preview._alike_reps(workout), profile)
    assert targets(resolved) == targets(notation.resolve(workout, profile))
    assert len(resolved) == len(workout.work_steps)
    # each rep's resolved step is one of its reps alike's, with the same amount and targets
    for step, made in zip(workout.work_steps, resolved, strict=True):
        assert (made.step.distance_m, made.step.duration_s, made.step.targets) == (
            step.distance_m, step.duration_s, step.targets)


@pytest.fixture(autouse=True)
def empty_memo():
    preview._plans.clear()
    yield
    preview._plans.clear()


@pytest.mark.parametrize("text", WORKOUTS)
def test_a_kept_plan_is_the_plan_worked_out_afresh(text):
    for profile in PROFILES[1:]:
        first = preview._plan_of(notation.parse(text), profile)
        # an equal workout parsed again and an equal profile made again find it
        again = preview._plan_of(notation.parse(text), pace.PaceProfile(
            vdot=profile.vdot, goal_times=dict(profile.goal_times),
            overrides=dict(profile.overrides), altitude_m=profile.altitude_m,
            goal_race=profile.goal_race, vdot_race=profile.vdot_race))
        assert again is first
        assert kept(first) == afresh(notation.parse(text), profile)


def test_each_profile_has_its_own_plan():
    workout = notation.parse(WORKOUTS[0])
    plans = [preview._plan_of(workout, p) for p in PROFILES[1:]]
    assert len(preview._plans[workout]) == len(PROFILES) - 1
    assert targets(plans[0][0]) != targets(plans[1][0])  # altitude slows the targets
    assert targets(plans[0][0]) != targets(plans[2][0])  # the coach's mile pace
    assert "altitude" in plans[1][1] and "coach's pace" in plans[2][1]
    assert [p[2] for p in plans] == [afresh(workout, p)[2] for p in PROFILES[1:]]


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(preview, "MEMO_PROFILES", 3)
    monkeypatch.setattr(preview, "MEMO_WORKOUTS", 2)
    workout = notation.parse(WORKOUTS[4])
    for vdot in range(40, 50):
        preview._plan_of(workout, pace.PaceProfile(vdot=vdot))
        assert len(preview._plans[workout]) <= 3
    for text in WORKOUTS:
        preview._plan_of(notation.parse(text), PROFILES[1])
        assert len(preview._plans) <= 2


def test_the_memo_is_bounded_in_all(monkeypatch):
    """Many workouts with a few profiles each stay under the bound of all plans together."""
    monkeypatch.setattr(preview, "MEMO_PLANS", 5)
    for text in WORKOUTS:
        for vdot in (40, 45, 50):
            preview._plan_of(notation.parse(text), pace.PaceProfile(vdot=vdot))
            assert sum(len(plans) for plans in preview._plans.values()) <= 5


def test_a_preview_is_the_same_drawn_again_after_paces_change(db):
    """The memo is by the profile's values: a new race result gives new targets at once."""
    from sessions.preview import block_athletes  # noqa: PLC0415
    from tests.factories import make_athlete, make_block, make_coach, make_race  # noqa: PLC0415
    coach = make_coach()
    ada = make_athlete(name="Ada Fast", coach=coach, race=(5000, 900))
    ben = make_athlete(name="Ben Slow", coach=coach, race=(5000, 1080))
    block = make_block(coach=coach, athletes=(ada, ben), altitude_m=1800)
    workout = notation.parse(WORKOUTS[0])

    def cells():
        drawn = preview.build_preview(notation.parse(WORKOUTS[0]), block,
                                      block_athletes(block, coach))
        return [[c.text for c in r.cells] for r in drawn.rows if r.is_work], drawn

    first, drawn = cells()
    again, _ = cells()
    assert again == first and len(preview._plans[workout]) == 2
    assert drawn.durations == [afresh(workout, block.profile_for(a))[2]
                               for a in block_athletes(block, coach)]
    make_race(ada, distance_m=5000, time_s=840, race_name="Newer")
    faster, _ = cells()
    assert faster != first and [row[1] for row in faster] == [row[1] for row in first]
