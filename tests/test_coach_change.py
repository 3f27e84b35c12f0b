"""Issue 9, item 12: moving an athlete to another coach cuts off the old one.

Sam trains in Carla's squad, in her current block (a past session Sam logged, an upcoming one)
and in her ended winter block (a session Sam logged). An admin moves Sam to Otto's squad. The
rule (``Athlete.objects.for_coach``, applied by ``sessions.athlete_changes.leave_former_coaches``):
Sam leaves Carla's blocks that have not ended and the upcoming unlogged targets there; Carla
sees nothing of Sam on any page; Sam and Otto keep Sam's logs.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from athletes import actions
from athletes.models import Athlete
from sessions import planning
from sessions.athlete_changes import leave_former_coaches
from sessions.logbook import save_rep, start_log
from sessions.models import PlannedTarget, Session, SessionLog
from sessions.planning import plan_session
from tests import factories as f

SAM = "Sam Mover"


class World:
    pass


@pytest.fixture
def w(db, coach, other_coach, admin_user):
    """Carla (``coach``) and Otto (``other_coach``), Sam in Carla's squad, Ada (coached by
    Carla directly) beside Sam in Carla's blocks."""
    w = World()
    today = timezone.now().date()
    w.carla, w.otto, w.admin = coach, other_coach, admin_user
    w.squad_a = f.make_squad(name="Squad A", coaches=(coach,))
    w.squad_b = f.make_squad(name="Squad B", coaches=(other_coach,))
    w.sam = f.make_athlete(name=SAM, squad=w.squad_a, race=(5000, 900))
    w.ada = f.make_athlete(name="Ada Stays", coach=coach, race=(5000, 800))
    w.current = f.make_block(coach=coach, athletes=(w.sam, w.ada), title="Spring build",
                             start=today - dt.timedelta(days=7))
    w.past = f.make_session(block=w.current, date=today - dt.timedelta(days=2),
                            title="Track Tuesday", notation="4x400 @ T (200 jog)")
    w.upcoming = f.make_session(block=w.current, date=today + dt.timedelta(days=2),
                                title="Kilometres", notation="5x1k @ I (2min jog)")
    w.ended = f.make_block(coach=coach, athletes=(w.sam, w.ada), title="Winter base",
                           start=today - dt.timedelta(days=70))
    w.winter = f.make_session(block=w.ended, date=w.ended.start_date + dt.timedelta(days=1),
                              title="Winter eights", notation="6x800 @ I (400 jog)")
    for session in (w.past, w.upcoming, w.winter):
        plan_session(session)
    w.log = _logged(w.past, w.sam)
    w.winter_log = _logged(w.winter, w.sam)
    return w


def _logged(session: Session, athlete: Athlete) -> SessionLog:
    log = start_log(session, athlete)
    save_rep(log.reps.first(), {"actual_s": 71.3})
    log.completed = True
    log.save(update_fields=["completed"])
    return log


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _targets(session: Session, athlete: Athlete) -> int:
    return PlannedTarget.objects.filter(step__session=session, athlete=athlete).count()


def _move_on_the_roster(w) -> str:
    response = _client(w.admin).post(reverse("athletes:athlete-move", args=[w.sam.pk]),
                                     {"squad": w.squad_b.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def _old_coach_pages(w) -> dict[str, object]:
    """Every page of Carla's that showed Sam's targets, logs or name (GET unless noted)."""
    carla = _client(w.carla)
    pages = {}
    for session in (w.past, w.upcoming, w.winter):
        for name in ("training:session", "training:session-print"):
            pages[f"{name} {session.title}"] = carla.get(reverse(name, args=[session.pk]))
    for block in (w.current, w.ended):
        pages[f"block {block.title}"] = carla.get(reverse("training:block", args=[block.pk]))
        pages[f"preview {block.title}"] = carla.post(
            reverse("training:session-preview", args=[block.pk]),
            {"notation": "6x400 @ T (200 jog)"}, HTTP_HX_REQUEST="true")
    pages["session edit"] = carla.get(reverse("training:session-edit", args=[w.upcoming.pk]))
    pages["coach home"] = carla.get(reverse("training:coach-home"))
    pages["logs"] = carla.get(reverse("training:logs"))
    return pages


def test_before_the_move_carla_sees_sam_on_every_page(w):
    """The pages the cut-off is checked on do show Sam while Carla coaches Sam."""
    for where, response in _old_coach_pages(w).items():
        assert response.status_code == 200, where
        assert SAM in response.content.decode(), f"{where} should show {SAM} before the move"


def test_after_the_move_carla_sees_nothing_of_sam(w):
    note = _move_on_the_roster(w)
    for where, response in _old_coach_pages(w).items():
        assert response.status_code == 200, where
        assert SAM not in response.content.decode(), f"{where} still shows {SAM}"
    carla = _client(w.carla)
    for log in (w.log, w.winter_log):
        assert carla.get(reverse("training:log-summary", args=[log.pk])).status_code == 404
        assert carla.post(reverse("training:log-comment", args=[log.pk]),
                          {"body": "Hm"}).status_code == 404
    assert carla.get(reverse("athletes:detail", args=[w.sam.pk])).status_code == 404
    assert carla.get(reverse("training:logs"), {"athlete": w.sam.pk}).status_code == 404
    assert "Left the current block of a former coach: “Spring build” (Carla Coach)." in note


def test_the_session_page_keeps_everyone_else(w):
    _move_on_the_roster(w)
    response = _client(w.carla).get(reverse("training:session", args=[w.past.pk]))
    assert [a.display_name for a in response.context["athletes"]] == ["Ada Stays"]
    assert response.context["logs"] == []  # only Sam had logged it
    admin = _client(w.admin).get(reverse("training:session", args=[w.winter.pk]))
    assert SAM in admin.content.decode()  # an admin sees every athlete of the ended block


def test_sam_leaves_the_current_block_and_its_upcoming_targets_not_the_past(w):
    before_past = _targets(w.past, w.sam)
    assert before_past and _targets(w.upcoming, w.sam) and _targets(w.winter, w.sam)
    _move_on_the_roster(w)
    assert list(w.current.athletes.all()) == [w.ada]
    assert set(w.ended.athletes.all()) == {w.sam, w.ada}  # ended: history as it was
    assert _targets(w.upcoming, w.sam) == 0
    assert _targets(w.past, w.sam) == before_past
    assert _targets(w.winter, w.sam) > 0
    assert _targets(w.upcoming, w.ada) > 0
    assert set(SessionLog.objects.filter(athlete=w.sam)) == {w.log, w.winter_log}
    assert w.log.reps.filter(actual_s=71.3).exists()


def test_an_upcoming_session_sam_already_logged_keeps_sams_targets(w):
    start_log(w.upcoming, w.sam)
    kept = _targets(w.upcoming, w.sam)
    _move_on_the_roster(w)
    assert kept and _targets(w.upcoming, w.sam) == kept


def test_new_and_replanned_sessions_are_not_planned_for_sam(w):
    _move_on_the_roster(w)
    carla = _client(w.carla)
    day = w.upcoming.date + dt.timedelta(days=1)
    response = carla.post(reverse("training:session-new", args=[w.current.pk]), {
        "date": day.isoformat(), "slot": "AM", "title": "Hills", "tolerance_pct": "1.5",
        "notation": "10x200 @ R (200 jog)"})
    assert response.status_code == 302
    new = Session.objects.get(block=w.current, title="Hills")
    assert _targets(new, w.sam) == 0 and _targets(new, w.ada) == 10
    plan_session(w.winter)  # Sam is still a member of the ended block, but not Carla's
    assert _targets(w.winter, w.sam) == 0 and _targets(w.winter, w.ada) == 6


def test_planning_leaves_out_a_member_the_coach_does_not_coach(w):
    """Whatever put them there: the membership alone plans nothing for them."""
    stranger = f.make_athlete(name="Stranger Danger", coach=w.otto, race=(5000, 1000))
    w.current.athletes.add(stranger)
    plan_session(w.upcoming)
    assert _targets(w.upcoming, stranger) == 0 and _targets(w.upcoming, w.sam) == 5
    carla = _client(w.carla)
    preview = carla.post(reverse("training:session-preview", args=[w.current.pk]),
                         {"notation": "6x400 @ T"}, HTTP_HX_REQUEST="true")
    assert "Stranger Danger" not in preview.content.decode()
    page = carla.get(reverse("training:session", args=[w.upcoming.pk])).content.decode()
    assert "Stranger Danger" not in page
    assert planning.replan_athlete(w.sam).replanned == 1  # Sam: the upcoming session
    assert planning.replan_athlete(stranger).replanned == 0  # not Carla's block


def test_the_new_coach_reads_sams_logs(w):
    _move_on_the_roster(w)
    otto = _client(w.otto)
    logs = otto.get(reverse("training:logs")).content.decode()
    assert "Track Tuesday" in logs and "Winter eights" in logs
    for log in (w.log, w.winter_log):
        assert otto.get(reverse("training:log-summary", args=[log.pk])).status_code == 200
    assert otto.post(reverse("training:log-comment", args=[w.log.pk]),
                     {"body": "Welcome"}).status_code == 302
    assert SAM in otto.get(reverse("training:coach-home")).content.decode()


def test_sam_keeps_their_logs_but_not_carlas_current_block(w):
    _move_on_the_roster(w)
    sam = _client(w.sam.user)
    history = sam.get(reverse("training:history")).content.decode()
    assert "Track Tuesday" in history and "Winter eights" in history
    summary = sam.get(reverse("training:log-summary", args=[w.log.pk]))
    assert summary.status_code == 200
    # the summary's "Edit this log" still opens their own log, to correct a time
    edit = re.search(r'href="([^"]+)">Edit this log', summary.content.decode()).group(1)
    assert sam.get(edit).status_code == 200
    assert sam.get(reverse("training:log", args=[w.upcoming.pk])).status_code == 404
    assert sam.get(reverse("training:block", args=[w.current.pk])).status_code == 404
    assert sam.get(reverse("training:session", args=[w.upcoming.pk])).status_code == 404
    assert "Kilometres" not in sam.get(reverse("training:today")).content.decode()
    # the ended block stays theirs to read, with their own targets
    winter = sam.get(reverse("training:session", args=[w.winter.pk]))
    assert winter.status_code == 200 and SAM in winter.content.decode()
    assert not SessionLog.objects.filter(athlete=w.sam, session=w.upcoming).exists()


def test_coming_back_does_not_put_sam_back_in_the_blocks(w):
    _move_on_the_roster(w)
    actions.move_athlete(w.sam, squad=w.squad_a)
    assert list(w.current.athletes.all()) == [w.ada]
    assert SAM in _client(w.carla).get(reverse("training:coach-home")).content.decode()


# --- every path that changes an athlete's coach -------------------------------------------------

def test_removing_a_direct_coach_on_the_roster(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as when the request commits
        response = _client(w.admin).post(
            reverse("athletes:athlete-coach-remove", args=[w.ada.pk, w.carla.pk]))
    assert response.status_code == 302
    assert list(w.current.athletes.all()) == [w.sam]
    assert _targets(w.upcoming, w.ada) == 0 and _targets(w.past, w.ada) > 0


def test_a_coach_who_stops_coaching_the_squad(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(w.admin).post(
            reverse("athletes:squad-coach-remove", args=[w.squad_a.pk, w.carla.pk]))
    assert response.status_code == 302
    assert list(w.current.athletes.all()) == [w.ada]
    assert SAM not in _client(w.carla).get(
        reverse("training:session", args=[w.past.pk])).content.decode()


def test_a_coach_kept_another_way_keeps_the_athlete(w):
    """Sam also has Carla directly: moving squads leaves Sam hers, in her blocks."""
    w.sam.coaches.add(w.carla)
    _move_on_the_roster(w)
    assert set(w.current.athletes.all()) == {w.sam, w.ada}
    assert _targets(w.upcoming, w.sam) > 0


def _import(w, row: str) -> None:
    admin = _client(w.admin)
    text = "name,email,main event,squad,coach email\n" + row + "\n"
    preview = admin.post(reverse("athletes:import"), {"text": text}).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview).group(1)
    response = admin.post(reverse("athletes:import"),
                          {"text": text, "confirm": "1", "digest": digest})
    assert response.status_code == 200 and "Squad B" in str(
        Athlete.objects.get(pk=w.sam.pk).squad)


def test_a_csv_row_that_moves_sam(w):
    _import(w, f"{SAM},{w.sam.user.email},5k,Squad B,")
    assert list(w.current.athletes.all()) == [w.ada]
    assert _targets(w.upcoming, w.sam) == 0


def test_a_csv_row_that_moves_sam_but_keeps_carla_as_coach(w):
    """The row is judged as a whole: its squad and its coach together."""
    _import(w, f"{SAM},{w.sam.user.email},5k,Squad B,{w.carla.email}")
    assert set(w.current.athletes.all()) == {w.sam, w.ada}


def _admin_change(w, django_capture_on_commit_callbacks, **changes):
    data = {"user": w.sam.user_id, "display_name": SAM, "main_event": "1500",
            "birth_date": "", "squad": w.squad_a.pk, "coaches": [],
            "race_results-TOTAL_FORMS": "0", "race_results-INITIAL_FORMS": "0",
            "pace_overrides-TOTAL_FORMS": "0", "pace_overrides-INITIAL_FORMS": "0", **changes}
    w.sam.race_results.all().delete()
    url = reverse("admin:athletes_athlete_change", args=[w.sam.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(w.admin).post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_the_django_admin_moving_sam(w, django_capture_on_commit_callbacks):
    _admin_change(w, django_capture_on_commit_callbacks, squad=w.squad_b.pk)
    assert w.sam.squad_id == w.squad_a.pk  # the fixture's copy; the database has moved on
    assert Athlete.objects.get(pk=w.sam.pk).squad == w.squad_b
    assert list(w.current.athletes.all()) == [w.ada]
    assert _targets(w.upcoming, w.sam) == 0


def test_the_django_admin_moving_sam_and_keeping_carla_in_one_save(
        w, django_capture_on_commit_callbacks):
    """The admin saves the squad, then the coaches: the check waits for both."""
    _admin_change(w, django_capture_on_commit_callbacks, squad=w.squad_b.pk,
                  coaches=[w.carla.pk])
    assert set(w.current.athletes.all()) == {w.sam, w.ada}


def test_the_django_admin_deleting_the_squad(w, django_capture_on_commit_callbacks):
    url = reverse("admin:athletes_squad_delete", args=[w.squad_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(w.admin).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert list(w.current.athletes.all()) == [w.ada]


def test_a_coach_removed_from_the_squad_from_the_coachs_side(
        w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w.carla.coached_squads.clear()
    assert list(w.current.athletes.all()) == [w.ada]


def test_leave_former_coaches_changes_nothing_when_nobody_left(w):
    assert leave_former_coaches() == []
    assert set(w.current.athletes.all()) == {w.sam, w.ada}
