"""The planned session as a FIT workout for the watch (issue 14, "Export", sessions/fit_workout.py).

Every file is written with fit-tool and read back with Garmin's own decoder (garmin-fit-sdk),
which checks the file's integrity (header, CRC) and knows nothing of how it was written: every
step, its duration and its target must come back as planned, for the athlete who asked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from garmin_fit_sdk import Decoder, Stream

from athletes.models import Athlete
from sessions import fit_workout
from sessions.models import AthleteVersion, PlannedTarget
from sessions.planning import plan_session
from tests import factories as f

DEMO = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"
MILE = 1609.344


def decode(content: bytes) -> dict:
    """The file's messages by Garmin's decoder, after its integrity check (CRC and sizes)."""
    decoder = Decoder(Stream.from_byte_array(bytearray(content)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(content))).read()
    assert errors == []
    return messages


def run_order(steps: list[dict]) -> list[dict]:
    """The steps in the order the watch runs them: each repeat step sends the watch back to
    the step it names until its count is done (the FIT SDK's meaning, written out here)."""
    by_index = {s["message_index"]: s for s in steps}
    done: list[dict] = []
    index, repeats = 0, {}
    while index < len(steps):
        step = by_index[index]
        if step["duration_type"] == "repeat_until_steps_cmplt":
            repeats[index] = repeats.get(index, 1) + 1
            if repeats[index] <= step["repeat_steps"]:
                index = step["duration_step"]
                continue
            repeats.pop(index)
        else:
            done.append(step)
        index += 1
    return done


def athlete_file(session, athlete) -> tuple[dict, list[dict]]:
    messages = decode(fit_workout.workout_file(session, athlete).content)
    return messages, run_order(messages["workout_step_mesgs"])


def target(session, athlete, position) -> PlannedTarget:
    return PlannedTarget.objects.get(step__session=session, step__position=position,
                                     athlete=athlete)


def speeds(step) -> tuple[float, float]:
    return step["custom_target_speed_low"], step["custom_target_speed_high"]


# --- the file -------------------------------------------------------------------------------------


def test_the_demo_session_comes_back_step_by_step_with_the_athletes_own_speeds(block, athlete):
    block.altitude_m = 2100
    block.goal_distance_m = MILE
    block.save()
    session = f.planned(block, DEMO, title="Threshold-plus 400s & mile-pace 200s")
    messages, steps = athlete_file(session, athlete)
    assert messages["file_id_mesgs"][0]["type"] == "workout"
    workout = messages["workout_mesgs"][0]
    assert workout["sport"] == "running"
    assert workout["wkt_name"] == "Threshold-plus 400s & mile-pace 200s"[:30]
    assert workout["num_valid_steps"] == len(messages["workout_step_mesgs"])
    # folded into repeats: 12 x (400, jog), 9 x (200, jog), the last 200, WU and CD
    assert len(messages["workout_step_mesgs"]) == 9
    assert len(steps) == 1 + 22 + 21 + 1
    warmup, *middle, cooldown = steps
    assert (warmup["intensity"], warmup["duration_type"]) == ("warmup", "distance")
    assert warmup["duration_distance"] == pytest.approx(2 * MILE, abs=0.01)
    assert (cooldown["intensity"], cooldown["duration_distance"]) == (
        "cooldown", pytest.approx(2 * MILE, abs=0.01))
    reps = [s for s in middle if s["intensity"] == "active"]
    jogs = [s for s in middle if s["intensity"] == "recovery"]
    assert [r["duration_distance"] for r in reps] == [400.0] * 12 + [200.0] * 10
    assert [j["duration_distance"] for j in jogs] == [200.0] * 21
    assert all(j["target_type"] == "open" for j in jogs)
    assert reps[0]["wkt_step_name"] == "400 m @ T+" and reps[12]["wkt_step_name"] == (
        "200 m @ mile pace")
    # T+ is a band: the fast end's time is the fast speed, the slow end's the slow speed
    t_plus = target(session, athlete, 2)
    assert t_plus.target_hi_s > t_plus.target_lo_s
    assert speeds(reps[0]) == pytest.approx(
        (400 / t_plus.target_hi_s, 400 / t_plus.target_lo_s), abs=0.001)
    # mile pace is one time: the session's on-target tolerance either side
    mile = target(session, athlete, 2 + 2 * 12)
    assert mile.target_hi_s in (None, mile.target_lo_s)
    lo = mile.target_lo_s
    assert speeds(reps[12]) == pytest.approx(
        (200 / (lo * 1.015), 200 / (lo * 0.985)), abs=0.001)
    assert all(r["target_type"] == "speed" for r in reps)
    assert reps[12]["notes"].startswith("Target ")


def test_each_athlete_gets_their_own_targets_and_their_own_version(block, athlete, second):
    block.athletes.add(second)
    session = f.planned(block, "2k WU; 6x1k @ T (60s); 2k CD")
    AthleteVersion.objects.create(session=session, athlete=second,
                                  notation="2k WU; 4x1k @ T (90s); 2k CD")
    plan_session(session)
    _, ada = athlete_file(session, athlete)
    _, ben = athlete_file(session, second)
    ada_reps = [s for s in ada if s["intensity"] == "active"]
    ben_reps = [s for s in ben if s["intensity"] == "active"]
    assert (len(ada_reps), len(ben_reps)) == (6, 4)
    assert [s["duration_time"] for s in ben if s["intensity"] == "rest"] == []
    assert [s["duration_time"] for s in ben if s["intensity"] == "recovery"] == [90.0] * 3
    ada_t = PlannedTarget.objects.filter(athlete=athlete, step__session=session).first()
    ben_t = PlannedTarget.objects.filter(athlete=second, step__session=session).first()
    assert ada_t.target_lo_s != ben_t.target_lo_s
    assert speeds(ada_reps[0])[1] == pytest.approx(1000 / ada_t.target_lo_s * (
        1 if (ada_t.target_hi_s or 0) > ada_t.target_lo_s else 1 / 0.985), abs=0.001)
    assert speeds(ben_reps[0])[1] == pytest.approx(1000 / ben_t.target_lo_s * (
        1 if (ben_t.target_hi_s or 0) > ben_t.target_lo_s else 1 / 0.985), abs=0.001)


def test_a_timed_rep_has_a_time_duration_and_its_pace_as_a_speed(block, athlete):
    session = f.planned(block, "5x3min @ 3:05-3:10/km (90s jog)")
    _, steps = athlete_file(session, athlete)
    reps = [s for s in steps if s["intensity"] == "active"]
    assert [(r["duration_type"], r["duration_time"]) for r in reps] == [("time", 180.0)] * 5
    assert speeds(reps[0]) == pytest.approx((1000 / 190, 1000 / 185), abs=0.001)
    assert [s["duration_time"] for s in steps if s["intensity"] == "recovery"] == [90.0] * 4


def test_lactate_reps_have_no_speed_and_say_their_band(block, athlete):
    session = f.planned(block, "2k WU; 5x6min @ 2.5 mmol (1min); 2k CD")
    _, steps = athlete_file(session, athlete)
    reps = [s for s in steps if s["intensity"] == "active"]
    assert len(reps) == 5
    assert all(r["target_type"] == "open" for r in reps)
    assert reps[0]["wkt_step_name"] == "6 min @ 2.5 mmol"
    assert reps[0]["duration_time"] == 360.0


def test_set_rests_standing_rests_and_equal_time_recoveries(block, athlete):
    session = f.planned(block, "2x(3x400 @ 64) 60s stand/3min walk")
    _, steps = athlete_file(session, athlete)
    kinds = [(s["intensity"], s.get("duration_time") or s.get("duration_distance"))
             for s in steps]
    assert kinds == [("active", 400.0), ("rest", 60.0), ("active", 400.0), ("rest", 60.0),
                     ("active", 400.0), ("rest", 180.0), ("active", 400.0), ("rest", 60.0),
                     ("active", 400.0), ("rest", 60.0), ("active", 400.0)]
    ladder = f.planned(block, "400-800 @ 64-66/400 w/ equal time jog",
                       date=block.start_date + dt.timedelta(days=1))
    _, steps = athlete_file(ladder, athlete)
    assert [s["intensity"] for s in steps] == ["active", "recovery", "active"]
    assert steps[1]["duration_type"] == "time"
    assert steps[1]["duration_time"] == pytest.approx(65.0, abs=0.1)  # as long as the 400


@pytest.mark.parametrize(("text", "expect"), [
    ("50min easy", ("time", "duration_time", 3000.0)),
    ("10k easy", ("distance", "duration_distance", 10000.0)),
])
def test_an_easy_run_is_one_step(block, athlete, text, expect):
    session = f.planned(block, text, title="Easy run")
    messages, steps = athlete_file(session, athlete)
    assert len(messages["workout_step_mesgs"]) == 1
    (step,) = steps
    kind, field, value = expect
    assert (step["intensity"], step["duration_type"], step[field]) == ("active", kind, value)
    assert step["wkt_step_name"].endswith("easy run")


def test_a_step_without_an_amount_is_open_until_the_lap_button():
    step = fit_workout.WatchStep(kind=fit_workout.StepKind.RECOVERY, name="Jog",
                                 intensity=fit_workout.Intensity.RECOVERY)
    messages = decode(fit_workout.encode("Open", [step]))
    assert messages["workout_step_mesgs"][0]["duration_type"] == "open"


def test_repeats_fold_only_equal_pairs():
    rep = fit_workout.WatchStep(kind=fit_workout.StepKind.WORK, name="400 m",
                                intensity=fit_workout.Intensity.ACTIVE, distance_m=400)
    jog = fit_workout.WatchStep(kind=fit_workout.StepKind.RECOVERY, name="200 m jog",
                                intensity=fit_workout.Intensity.RECOVERY, distance_m=200)
    other = fit_workout.WatchStep(kind=fit_workout.StepKind.WORK, name="800 m",
                                  intensity=fit_workout.Intensity.ACTIVE, distance_m=800)
    folded = fit_workout.with_repeats([rep, jog, rep, jog, rep, jog, other, jog, rep])
    assert folded == [fit_workout.Repeat((rep, jog), 3), other, jog, rep]


def test_the_file_name_says_the_day_the_reps_and_whose(block, athlete):
    session = f.planned(block, DEMO, title="400s")
    assert fit_workout.workout_file(session, athlete).filename == (
        f"{session.date:%Y-%m-%d}-12x400-10x200-ada-miler.fit")


# --- the download -------------------------------------------------------------------------------


def url(session, athlete) -> str:
    return reverse("training:session-watch-file", args=[session.pk, athlete.pk])


def test_the_athlete_downloads_their_own_workout(client, block, athlete):
    session = f.planned(block, DEMO)
    client.force_login(athlete.user)
    response = client.get(url(session, athlete))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.ant.fit"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{session.date:%Y-%m-%d}-12x400-10x200-ada-miler.fit"')
    assert "no-store" in response["Cache-Control"]
    assert len(run_order(decode(response.content)["workout_step_mesgs"])) == 45


def test_an_athlete_gets_only_their_own_and_outsiders_get_404(
        client, block, athlete, second, other_athlete, other_coach):
    block.athletes.add(second)
    session = f.planned(block, DEMO)
    client.force_login(athlete.user)
    assert client.get(url(session, second)).status_code == 404
    client.force_login(other_athlete.user)
    assert client.get(url(session, other_athlete)).status_code == 404
    assert client.get(url(session, athlete)).status_code == 404
    client.force_login(other_coach)
    assert client.get(url(session, athlete)).status_code == 404
    client.logout()
    assert client.get(url(session, athlete)).status_code == 302


def test_the_coach_downloads_any_athletes_workout_from_the_session_page(
        coach_client, block, athlete, second, django_assert_max_num_queries):
    block.athletes.add(second)
    session = f.planned(block, DEMO)
    page = coach_client.get(session.get_absolute_url()).content.decode()
    assert url(session, athlete) in page and url(session, second) in page
    # the login's session and user, the session with its block, the athlete, steps, targets
    with django_assert_max_num_queries(6):
        response = coach_client.get(url(session, second))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-ben-runner.fit"')


def test_who_may_download_follows_the_block_page_rule(
        client, coach, block, athlete, second, admin_user):
    """The queries compiled once per kind of viewer (coach.prepared) keep the rule of
    ``Block.athletes_seen_by``: an admin any active athlete of the block, the coach those they
    coach now, nobody an athlete outside the block or one who left the club."""
    block.athletes.add(second)
    session = f.planned(block, DEMO)
    client.force_login(admin_user)
    assert client.get(url(session, second)).status_code == 200
    client.force_login(coach)
    assert client.get(url(session, second)).status_code == 200
    second.coaches.remove(coach)  # coached by someone else now
    assert client.get(url(session, second)).status_code == 404
    client.force_login(admin_user)
    assert client.get(url(session, second)).status_code == 200
    outsider = f.make_athlete(name="Olga Outside", coach=coach)
    assert client.get(url(session, outsider)).status_code == 404
    athlete.user.is_active = False
    athlete.user.save()
    assert client.get(url(session, athlete)).status_code == 404


def test_the_athletes_session_page_offers_their_own_file_only(client, block, athlete, second):
    block.athletes.add(second)
    session = f.planned(block, DEMO)
    client.force_login(athlete.user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert url(session, athlete) in page
    assert url(session, second) not in page
    assert "Workout for my watch (.fit)" in page


def test_a_session_without_a_workout_offers_no_file(client, block, athlete):
    session = f.make_session(block=block, title="Rest day")
    client.force_login(athlete.user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert url(session, athlete) not in page
    assert Athlete.objects.count() == 1


def test_names_in_any_script_survive_cut_to_what_watches_show():
    step = fit_workout.WatchStep(kind=fit_workout.StepKind.WORK, name="ü" * 30,
                                 intensity=fit_workout.Intensity.ACTIVE, distance_m=400,
                                 speed_lo=5.0, speed_hi=6.0, notes="–" * 60)
    messages = decode(fit_workout.encode("Hügel – Fartlek ✓ " * 3, [step]))
    assert messages["workout_mesgs"][0]["wkt_name"] == ("Hügel – Fartlek ✓ " * 3)[:30]
    decoded = messages["workout_step_mesgs"][0]
    assert (decoded["wkt_step_name"], decoded["notes"]) == ("ü" * 30, "–" * 60)
