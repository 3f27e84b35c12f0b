"""Deleting a session that athletes logged results against asks first and names whose results
go with it; a session whose logs were only opened deletes at once (issue 9, item 5). Written
against the log side as it is and as it is becoming: a log may exist without a saved rep."""


import pytest
from django.urls import reverse

from sessions import logbook
from sessions.models import RepResult, Session, SessionLog
from tests import factories as f


@pytest.fixture
def session(block, second):
    block.athletes.add(second)
    return f.planned(block, "6x400 @ T (60s)", title="Six 400s")


def log_with_a_saved_rep(session, athlete):
    log = logbook.start_log(session, athlete)
    first = log.reps.order_by("position").first()
    logbook.save_rep(first, {"actual_s": 70.2})
    return log


def delete(client, session, **data):
    return client.post(reverse("training:session-delete", args=[session.pk]), data)


def test_results_are_named_and_nothing_goes_until_confirmed(coach_client, session, athlete,
                                                            second):
    logs = [log_with_a_saved_rep(session, athlete), log_with_a_saved_rep(session, second)]
    page = coach_client.get(session.get_absolute_url()).content.decode()
    assert "Ada Miler and Ben Runner logged results" in page

    response = delete(coach_client, session)
    html = response.content.decode()
    assert response.status_code == 200
    assert "has results logged by Ada Miler and Ben Runner" in html
    assert "Delete the session and Ada Miler and Ben Runner’s results" in html
    assert Session.objects.filter(pk=session.pk).exists()
    assert SessionLog.objects.count() == 2 and RepResult.objects.exists()

    confirm = response.context["confirm_logs"]
    assert sorted(int(v) for v in confirm.split(",")) == sorted(log.pk for log in logs)
    response = delete(coach_client, session, confirm_logs=confirm)
    assert response.status_code == 302
    assert response["Location"] == session.block.get_absolute_url()
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not SessionLog.objects.exists() and not RepResult.objects.exists()
    follow = coach_client.get(response["Location"]).content.decode()
    assert "Deleted “Six 400s”" in follow and "Ada Miler and Ben Runner’s results" in follow


def test_a_result_logged_after_the_question_asks_again(coach_client, session, athlete, second):
    first = log_with_a_saved_rep(session, athlete)
    log_with_a_saved_rep(session, second)  # Ben logs while the coach reads the question
    response = delete(coach_client, session, confirm_logs=str(first.pk))
    assert response.status_code == 200
    assert "Someone logged results since you asked" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_logs_only_opened_go_without_asking(coach_client, session, athlete, second):
    logbook.start_log(session, athlete)  # opened, nothing saved (today's log form does this)
    f.make_log(session=session, athlete=second)  # a bare log, as the log side may leave
    response = delete(coach_client, session)
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not SessionLog.objects.exists()


def test_a_session_without_logs_deletes_at_once(coach_client, session):
    assert "data-confirm" in coach_client.get(session.get_absolute_url()).content.decode()
    assert delete(coach_client, session).status_code == 302
    assert not Session.objects.exists()


def test_confirming_is_still_only_for_the_blocks_coach(client, other_coach, session, athlete):
    log = log_with_a_saved_rep(session, athlete)
    client.force_login(other_coach)
    assert delete(client, session, confirm_logs=str(log.pk)).status_code == 404
    client.force_login(athlete.user)
    assert delete(client, session, confirm_logs=str(log.pk)).status_code == 404
    assert Session.objects.filter(pk=session.pk).exists()
