"""The coach's stopwatch on the server (issue 13, sessions/stopwatch.py): the page's data, the
results endpoint (exactly once, conflicts with what the athlete typed, access), the squad's
table and the athlete's "timed by"; the judging rule ported to JavaScript agrees with Python."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from athletes.models import Absence
from sessions import judging, logbook, stopwatch
from sessions.models import AthleteVersion, RepResult, SaveReceipt, SessionLog
from sessions.planning import plan_session
from tests import factories as f

WORKOUT = "2mi WU; 3x400 @ 64 (200 jog) & 2x200 @ 30 (90s); 2mi CD"


@pytest.fixture
def squad(coach, athlete, second):
    block = f.make_block(coach=coach, athletes=(athlete, second))
    session = f.planned(block, WORKOUT, title="400s and 200s")
    return session


def url(session, name="training:stopwatch-result"):
    return reverse(name, args=[session.pk])


def post(client, session, athlete, *, cid=None, **fields):
    data = {"cid": cid or str(uuid.uuid4()), "athlete": athlete.pk, "kind": "time", **fields}
    return client.post(url(session), {k: str(v) for k, v in data.items()})


def rep(session, athlete, position) -> RepResult:
    return RepResult.objects.get(log__session=session, log__athlete=athlete, position=position)


# --- the page's data ---------------------------------------------------------------------------


def test_the_page_gives_each_athlete_their_own_reps_targets_and_recoveries(
        squad, coach, athlete, second):
    AthleteVersion.objects.create(session=squad, athlete=second,
                                  notation="2x400 @ 66 (200 jog) & 2x200 @ 31 (90s)")
    plan_session(squad)
    data = stopwatch.stopwatch_data(squad, stopwatch.athletes_for(squad, coach), coach)
    ada, ben = data["athletes"]
    assert (ada["short"], ben["short"]) == ("Ada", "Ben")
    assert [r["position"] for r in ada["reps"]] == [1, 2, 3, 4, 5]
    assert [(r["n"], r["of"], r["label"]) for r in ada["reps"]] == [
        (1, 3, "400 m"), (2, 3, "400 m"), (3, 3, "400 m"), (1, 2, "200 m"), (2, 2, "200 m")]
    assert ada["reps"][0]["lo"] == 64 and ada["reps"][3]["lo"] == 30
    assert ada["reps"][0]["recovery"] == {"duration": None, "distance": 200, "text": "200 m jog"}
    assert ada["reps"][3]["recovery"] == {"duration": 90, "distance": None, "text": "1:30 rest"}
    assert ada["reps"][4]["recovery"] is None  # the cool-down follows the last rep
    # Ben's own version: four reps, his own targets
    assert [(r["n"], r["of"], r["lo"]) for r in ben["reps"]] == [
        (1, 2, 66), (2, 2, 66), (1, 2, 31), (2, 2, 31)]


def test_each_athletes_reps_are_the_steps_they_follow_and_number_as_their_log(
        squad, coach, athlete, second):
    AthleteVersion.objects.create(session=squad, athlete=second, notation="4x300 @ 48 (100 jog)")
    plan_session(squad)
    data = stopwatch.stopwatch_data(squad, [athlete, second], coach)
    for person, given in zip((athlete, second), data["athletes"], strict=True):
        followed = squad.steps_for(person).filter(kind="work").order_by("position")
        assert [r["distance"] for r in given["reps"]] == [s.distance_m for s in followed]
        rows = logbook.planned_rows(logbook.start_log(squad, person))
        assert [(r["position"], r["lo"]) for r in given["reps"]] == [
            (row.position, row.target_lo_s) for row in rows]


def test_the_stopwatch_is_linked_from_the_session_and_todays_sessions_on_the_coachs_home(
        coach, coach_client, athlete, client):
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=(athlete,), start=today, time_zone="UTC")
    session = f.planned(block, "6x400 @ 64 (200 jog)", title="Six 400s", date=today)
    f.planned(block, "50min easy", title="Easy", date=today + dt.timedelta(days=1))
    link = f'href="{url(session, "training:stopwatch")}"'
    home = coach_client.get(reverse("training:coach-home")).content.decode()
    assert "Today at the track" in home and link in home and "Easy" not in home
    assert link in coach_client.get(session.get_absolute_url()).content.decode()
    client.force_login(athlete.user)
    assert "stopwatch" not in client.get(session.get_absolute_url()).content.decode()


def test_the_link_is_offered_to_exactly_those_who_may_time(squad, coach, other_coach,
                                                         admin_user, athlete):
    """``may_time`` (the session page's link, no query) says what ``timeable_by`` lets in."""
    from django.contrib.auth.models import AnonymousUser

    unflagged = f.make_coach(username="former")
    own = f.make_block(coach=unflagged, athletes=(athlete,), start=dt.date(2027, 1, 4))
    theirs = f.planned(own, "4x400 @ 64")
    unflagged.is_coach = False
    unflagged.save()
    for user in (coach, other_coach, admin_user, athlete.user, unflagged, AnonymousUser()):
        for session in (squad, theirs):
            assert stopwatch.may_time(user, session.block) == (
                stopwatch.timeable_by(user).filter(pk=session.pk).exists()), (user, session)


def test_athletes_out_that_day_are_listed_but_not_preselected(squad, coach, athlete, second):
    Absence.objects.create(athlete=second, reason="injured", start=squad.date, end=squad.date)
    data = stopwatch.stopwatch_data(squad, stopwatch.athletes_for(squad, coach), coach)
    assert [(a["name"], a["selected"], a["out"]) for a in data["athletes"]] == [
        ("Ada Miler", True, ""), ("Ben Runner", False, "injured")]


def test_the_page_knows_what_the_logs_hold_already(squad, coach, athlete):
    log = logbook.start_log(squad, athlete)
    logbook.save_rep(logbook.row_at(log, 1), {"actual_s": 63.8})
    data = stopwatch.stopwatch_data(squad, [athlete], coach)
    assert data["athletes"][0]["logged"] == {
        "1": {"time": 63.8, "skipped": False, "coach": False, "distance": 400, "extra": False}}


def test_the_page_renders_for_the_coach_with_its_data(squad, coach_client):
    response = coach_client.get(url(squad, "training:stopwatch"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stopwatch-data"' in html and "Who is running?" in html
    assert "js/stopwatch.js" in html and "js/stopwatch-judging.js" in html


@pytest.mark.parametrize("size", [2, 8])
def test_the_page_queries_stay_flat(coach, coach_client, django_assert_max_num_queries, size):
    athletes = [f.make_athlete(coach=coach, race=(5000, 800 + n)) for n in range(size)]
    block = f.make_block(coach=coach, athletes=tuple(athletes))
    session = f.planned(block, WORKOUT)
    AthleteVersion.objects.create(session=session, athlete=athletes[0], notation="2x400 @ 65")
    plan_session(session)
    with django_assert_max_num_queries(14):
        response = coach_client.get(url(session, "training:stopwatch"))
    assert response.content.decode().count('class="sw-pick-row"') == size


# --- results into the logs ---------------------------------------------------------------------


def test_a_time_lands_in_the_log_marked_as_timed_by_the_coach(squad, coach, coach_client,
                                                              athlete):
    response = post(coach_client, squad, athlete, position=2, time="64.3")
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "saved" and answer["position"] == 2
    row = rep(squad, athlete, 2)
    assert (row.actual_s, row.timed_by, row.skipped) == (64.3, coach, False)
    assert SessionLog.objects.get(session=squad, athlete=athlete).reps.count() == 5


def test_the_same_result_sent_twice_is_written_once(squad, coach_client, athlete):
    cid = str(uuid.uuid4())
    first = post(coach_client, squad, athlete, cid=cid, position=1, time="64.3")
    # the coach corrects it on the phone meanwhile (another result, another cid) ...
    post(coach_client, squad, athlete, position=1, time="64.9")
    # ... then the first result arrives again (its answer had been lost): nothing written
    again = post(coach_client, squad, athlete, cid=cid, position=1, time="64.3")
    assert first.json()["status"] == "saved"
    assert again.status_code == 200 and again.json()["status"] == "repeat"
    assert again.json()["row"]["time"] == 64.9
    assert rep(squad, athlete, 1).actual_s == 64.9
    assert SaveReceipt.objects.filter(cid=cid).count() == 1


def test_a_time_the_athlete_typed_is_not_overwritten_without_the_coachs_confirmation(
        squad, coach, coach_client, athlete):
    log = logbook.start_log(squad, athlete)
    logbook.save_rep(logbook.row_at(log, 3), {"actual_s": 63.5})
    cid = str(uuid.uuid4())
    conflict = post(coach_client, squad, athlete, cid=cid, position=3, time="64.1")
    assert conflict.status_code == 409
    assert conflict.json()["status"] == "conflict" and conflict.json()["athlete_time"] == 63.5
    assert rep(squad, athlete, 3).actual_s == 63.5 and rep(squad, athlete, 3).timed_by is None
    assert not SaveReceipt.objects.filter(cid=cid).exists()
    # "Use mine": the same result, confirmed
    mine = post(coach_client, squad, athlete, cid=cid, position=3, time="64.1", confirm="1")
    assert mine.json()["status"] == "saved"
    assert (rep(squad, athlete, 3).actual_s, rep(squad, athlete, 3).timed_by) == (64.1, coach)
    again = post(coach_client, squad, athlete, cid=cid, position=3, time="64.1", confirm="1")
    assert again.json()["status"] == "repeat"


def test_the_athletes_own_time_equal_to_the_coachs_stays_theirs(squad, coach_client, athlete):
    log = logbook.start_log(squad, athlete)
    logbook.save_rep(logbook.row_at(log, 1), {"actual_s": 64.0})
    answer = post(coach_client, squad, athlete, position=1, time="64.0").json()
    assert answer["status"] == "same"
    assert rep(squad, athlete, 1).timed_by is None


def test_a_skip_over_a_typed_time_asks_too(squad, coach_client, athlete):
    log = logbook.start_log(squad, athlete)
    logbook.save_rep(logbook.row_at(log, 1), {"actual_s": 64.0})
    response = post(coach_client, squad, athlete, position=1, kind="skip")
    assert response.status_code == 409
    assert not rep(squad, athlete, 1).skipped


def test_skip_cut_short_and_undo(squad, coach, coach_client, athlete):
    post(coach_client, squad, athlete, position=1, kind="skip")
    post(coach_client, squad, athlete, position=2, time="48.3", distance="300")
    post(coach_client, squad, athlete, position=3, time="64.0")
    one, two, three = (rep(squad, athlete, n) for n in (1, 2, 3))
    assert one.skipped and one.actual_s is None and one.timed_by == coach
    assert (two.actual_s, two.distance_m, two.planned_distance_m) == (48.3, 300, 400)
    assert judging.judge(two, 1.5).status == "on"  # 48.0 for 300 m at 64 per 400
    # undo of a result already sent: the coach's own values go
    assert post(coach_client, squad, athlete, position=3, kind="clear").json()["status"] == "saved"
    three = rep(squad, athlete, 3)
    assert (three.actual_s, three.timed_by, three.skipped) == (None, None, False)


def test_an_undo_never_clears_what_the_athlete_typed(squad, coach_client, athlete):
    log = logbook.start_log(squad, athlete)
    logbook.save_rep(logbook.row_at(log, 2), {"actual_s": 65.0})
    answer = post(coach_client, squad, athlete, position=2, kind="clear").json()
    assert answer["status"] == "kept" and rep(squad, athlete, 2).actual_s == 65.0


def test_an_extra_rep_is_added_once(squad, coach, coach_client, athlete):
    cid = str(uuid.uuid4())
    first = post(coach_client, squad, athlete, cid=cid, kind="extra", time="31.2",
                 distance="200").json()
    again = post(coach_client, squad, athlete, cid=cid, kind="extra", time="31.2",
                 distance="200").json()
    assert (first["status"], first["position"]) == ("saved", 6)
    assert (again["status"], again["position"]) == ("repeat", 6)
    extra = rep(squad, athlete, 6)
    assert (extra.extra, extra.actual_s, extra.distance_m, extra.timed_by) == (
        True, 31.2, 200, coach)
    assert RepResult.objects.filter(log__athlete=athlete).count() == 6


@pytest.mark.parametrize(("fields", "message"), [
    ({"position": 1}, "needs its time"),
    ({"position": 1, "time": "abc"}, "not a number"),
    ({"position": 1, "time": "-3"}, "above zero"),
    ({"position": 99, "time": "64"}, "has no rep 99"),
    ({"position": 1, "time": "64", "kind": "lap"}, "Unknown kind"),
    ({"kind": "extra", "time": "64"}, "needs its distance"),
])
def test_bad_results_are_refused_with_a_reason(squad, coach_client, athlete, fields, message):
    response = post(coach_client, squad, athlete, **fields)
    assert response.status_code == 400 and message in response.json()["message"]
    assert not RepResult.objects.filter(actual_s__isnull=False).exists()


def test_a_result_without_its_id_is_refused(squad, coach_client, athlete):
    response = coach_client.post(url(squad), {"athlete": athlete.pk, "position": 1, "time": "64"})
    assert response.status_code == 400 and "cid" in response.json()["message"]


def test_only_the_blocks_coach_and_admins_may_send_results(squad, client, athlete, other_coach,
                                                           admin_user, other_athlete):
    for user in (other_coach, athlete.user, other_athlete.user):
        client.force_login(user)
        assert post(client, squad, athlete, position=1, time="64").status_code == 404
    assert not SessionLog.objects.exists()
    client.force_login(admin_user)
    assert post(client, squad, athlete, position=1, time="64").json()["status"] == "saved"


def test_an_athlete_outside_the_block_is_not_found(squad, coach_client, coach):
    stranger = f.make_athlete(coach=coach)
    assert post(coach_client, squad, stranger, position=1, time="64").status_code == 404


def test_without_a_login_the_phone_gets_401_and_the_login_address(squad, client, athlete):
    response = client.post(url(squad), {"cid": str(uuid.uuid4()), "athlete": athlete.pk,
                                        "position": 1, "time": "64"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and response["X-Login-Url"] == reverse("login")


@pytest.mark.parametrize(("notation", "fresh", "most"), [
    (WORKOUT, True, 26), (WORKOUT, False, 17),
    ("12x400 @ 64 (200 jog) & 10x200 @ 30 (200 jog)", True, 26),
    ("12x400 @ 64 (200 jog) & 10x200 @ 30 (200 jog)", False, 17),
])
def test_a_result_takes_few_queries_whatever_the_sessions_size(
        coach, coach_client, athlete, django_assert_max_num_queries, notation, fresh, most):
    """The first result of an athlete starts their log (``logbook.start_log``: the log, its
    rows in one insert, savepoints included in the count); later ones write a row."""
    session = f.planned(f.make_block(coach=coach, athletes=(athlete,)), notation)
    if not fresh:
        post(coach_client, session, athlete, position=1, time="64.0")
    with django_assert_max_num_queries(most):
        response = post(coach_client, session, athlete, position=2, time="64.2")
    assert response.json()["status"] == "saved"


# --- the athlete's side ------------------------------------------------------------------------


def test_the_athlete_sees_who_timed_it_and_their_own_correction_becomes_theirs(
        squad, coach_client, athlete, client):
    post(coach_client, squad, athlete, position=1, time="64.3")
    post(coach_client, squad, athlete, position=2, time="64.6")
    log = SessionLog.objects.get(session=squad, athlete=athlete)
    client.force_login(athlete.user)
    html = client.get(reverse("training:log-summary", args=[log.pk])).content.decode()
    assert "Timed by Carla Coach on the stopwatch" in html
    assert html.count('class="timed-mark') == 2
    # the athlete types a different time over rep 2: it is theirs now; a note alone is not
    logbook.save_rep(rep(squad, athlete, 1), {"actual_s": 64.3, "note": "windy"})
    logbook.save_rep(rep(squad, athlete, 2), {"actual_s": 64.1})
    assert rep(squad, athlete, 1).timed_by is not None
    assert rep(squad, athlete, 2).timed_by is None


def test_the_squads_table_shows_every_athlete_by_rep_with_deviations(
        squad, coach_client, athlete, second, django_assert_max_num_queries):
    post(coach_client, squad, athlete, position=1, time="63.2")
    post(coach_client, squad, athlete, position=2, kind="skip")
    post(coach_client, squad, second, position=1, time="70.0")
    with django_assert_max_num_queries(10):
        response = coach_client.get(url(squad, "training:stopwatch-table"))
    html = response.content.decode()
    log = SessionLog.objects.get(session=squad, athlete=athlete)
    assert f'href="{log.get_absolute_url()}"' in html
    assert "63.2" in html and "skipped" in html
    ada_target = rep(squad, athlete, 1).target
    assert judging.format_deviation(63.2 - sum(ada_target) / 2) in html


# --- the judging rule, in Python and in JavaScript ---------------------------------------------

JUDGING_JS = Path(__file__).resolve().parent.parent / "static" / "js" / "stopwatch-judging.js"
VECTORS = [  # (lo, hi, planned, run, actual, tolerance)
    (64, 64, 400, 400, 64.0, 1.5), (64, 64, 400, 400, 62.9, 1.5), (64, 64, 400, 400, 63.1, 1.5),
    (64, 64, 400, 400, 65.0, 1.5), (64, 64, 400, 400, 64.97, 1.5),
    (68.0, 70.8, 400, 400, 66.9, 1.5), (68.0, 70.8, 400, 400, 71.9, 1.5),
    (68.0, 70.8, 400, 400, 71.8, 1.5), (68.0, 70.8, 400, 300, 52.0, 1.5),
    (29.2, 29.2, 200, 200, 29.25, 1.5), (29.2, 29.2, 200, 200, 29.15, 0.5),
    (170, 175, 1000, 1000, 180.0, 3.0), (170, 175, 1000, 800, 140.0, 3.0),
    (64, None, 400, 400, 64.05, 1.5), (64, None, 400, 400, 63.95, 1.5),
    (30.0, 30.0, 200, 200, 29.55, 1.5), (30.0, 30.0, 200, 200, 30.45, 1.5),
]


class Rep:
    def __init__(self, lo, hi, planned, run):
        self.target_lo_s, self.target_hi_s = lo, hi
        self.planned_distance_m, self.distance_m = planned, run


def test_the_javascript_judging_agrees_with_the_servers():
    script = (f"const J = require({json.dumps(str(JUDGING_JS))});"
              f"const vectors = {json.dumps(VECTORS)};"
              "console.log(JSON.stringify(vectors.map(([lo, hi, planned, run, actual, tol]) => {"
              " const j = J.judge({lo, hi, planned, distance: run}, actual, tol);"
              " return [j.target, j.status, j.label]; })));")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    from_js = json.loads(out.stdout)
    for vector, (target, status, label) in zip(VECTORS, from_js, strict=True):
        lo, hi, planned, run, actual, tolerance = vector
        expected_target = judging.rep_target(Rep(lo, hi, planned, run))
        assert target == pytest.approx(list(expected_target)), vector
        assert status == judging.status(actual, expected_target, tolerance), vector
        assert label == judging.format_deviation(
            judging.deviation(actual, expected_target)), vector
