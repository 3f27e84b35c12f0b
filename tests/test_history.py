"""No lost or silently overwritten work (issue 17): stale saves of the session and block forms
are refused with what changed, the editor's text kept; every change to a plan, a log or a rep
records who and when; the athlete sees a coach's change of their splits; an admin restores an
earlier version (docs/history.md)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions import history, logbook, planning, versions
from sessions.models import AthleteVersion, Block, RepResult, Session, SessionLog
from tests import factories as f

WORKOUT = "2mi WU; 6x400 @ 64 (200 jog); 2mi CD"
THEIRS = "2mi WU; 8x400 @ 64 (200 jog); 2mi CD"
MINE = "2mi WU; 5x1k @ T (90s); 2mi CD"


@pytest.fixture
def session(block):
    return f.planned(block, WORKOUT, title="Four hundreds", date=dt.date(2026, 11, 4))


def edit_url(session):
    return reverse("training:session-edit", args=[session.pk])


def form_data(session, version, **overrides):
    data = {"date": session.date.isoformat(), "slot": session.slot, "title": session.title,
            "notation": session.notation, "notes": "", "tolerance_pct": "1.5",
            "version": str(version)}
    data.update(overrides)
    return data


def drawn_version(client, session) -> int:
    """The version the edit form was drawn with (its hidden field)."""
    response = client.get(edit_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="version" value="{session.version}"' in html
    return response.context["version"]


def second_tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- stale saves refused ------------------------------------------------------------------------

def test_two_tabs_the_second_save_is_refused_with_what_changed_and_its_text_kept(
        coach, coach_client, session):
    other = second_tab(coach)
    first_version = drawn_version(coach_client, session)
    assert drawn_version(other, session) == first_version == 1
    saved = coach_client.post(edit_url(session), form_data(session, first_version,
                                                           notation=THEIRS))
    assert saved.status_code == 302
    refused = other.post(edit_url(session), form_data(session, first_version, notation=MINE,
                                                      title="Kilometres"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Not saved: you changed this session in another tab or window" in html
    conflict = refused.context["conflict"]
    assert [c.label for c in conflict.changes] == ["Workout"]  # only what changed since
    assert (conflict.changes[0].theirs, conflict.changes[0].yours) == (THEIRS, MINE)
    assert MINE in html and "Kilometres" in html  # the editor's text stays in the form
    assert 'name="version" value="2"' in html  # saving now overwrites deliberately
    session.refresh_from_db()
    assert (session.notation, session.title, session.version) == (THEIRS, "Four hundreds", 2)
    assert session.steps.filter(kind="work").count() == 8  # planned from theirs


def test_save_mine_anyway_overwrites_deliberately(coach, coach_client, session):
    other = second_tab(coach)
    coach_client.post(edit_url(session), form_data(session, 1, notation=THEIRS))
    refused = other.post(edit_url(session), form_data(session, 1, notation=MINE))
    assert "Save mine anyway" in refused.content.decode()
    anyway = other.post(edit_url(session), form_data(session, refused.context["version"],
                                                     notation=MINE))
    assert anyway.status_code == 302
    session.refresh_from_db()
    assert (session.notation, session.version) == (MINE, 3)
    assert session.steps.filter(kind="work").count() == 5


def test_another_persons_save_is_named_with_its_time(coach, coach_client, session, admin_user):
    admin_user.first_name, admin_user.last_name = "Ann", "Admin"
    admin_user.save()
    version = drawn_version(coach_client, session)
    admin = second_tab(admin_user)  # an admin edits the session in the Django admin
    response = admin.post(reverse("admin:training_session_change", args=[session.pk]), {
        "block": session.block_id, "date": session.date.isoformat(), "slot": "AM",
        "title": "Renamed by admin", "notation": WORKOUT, "notes": "", "tolerance_pct": "1.5",
        "work_distance_m": "0", "total_distance_m": "0", "work_duration_s": "0",
        "estimated_duration_s": "0", "rep_count": "0",
        **_empty_inlines(),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    refused = coach_client.post(edit_url(session), form_data(session, version, title="Mine"))
    html = refused.content.decode()
    when = Session.history.filter(id=session.pk).latest("history_date").history_date
    assert "Not saved: Ann Admin changed this session at " in html
    assert history.when_label(when, short=True) in html
    change = refused.context["conflict"].changes[0]
    assert (change.label, change.theirs, change.yours) == ("Title", "Renamed by admin", "Mine")


def _empty_inlines() -> dict:
    data = {}
    for prefix in ("versions", "steps"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


def test_a_move_since_the_form_was_drawn_is_caught(coach_client, session):
    version = drawn_version(coach_client, session)
    moved = coach_client.post(reverse("training:session-move", args=[session.pk]),
                              {"date": "2026-11-05", "slot": "PM"})
    assert moved.status_code in (200, 302)
    session.refresh_from_db()
    assert (session.date, session.version) == (dt.date(2026, 11, 5), 2)
    refused = coach_client.post(edit_url(session), form_data(session, version, date="2026-11-04",
                                                             slot="AM", notation=MINE))
    labels = {c.label: (c.theirs, c.yours) for c in refused.context["conflict"].changes}
    assert labels == {"Date": ("Thu 5 Nov 2026", "Wed 4 Nov 2026"), "Time of day": ("PM", "AM")}
    session.refresh_from_db()
    assert (session.date, session.notation) == (dt.date(2026, 11, 5), WORKOUT)


def test_back_to_the_squads_raises_the_version(coach_client, session, athlete):
    versions.save_versions(session, {athlete.pk: "4x400 @ 64 (200 jog)"})
    planning.plan_session(session)
    version = drawn_version(coach_client, session)
    coach_client.post(reverse("training:session-back-to-squad", args=[session.pk, athlete.pk]))
    refused = coach_client.post(edit_url(session), form_data(session, version, **{
        f"version-{athlete.pk}": "4x400 @ 64 (200 jog)"}))
    assert refused.status_code == 200 and refused.context["conflict"] is not None
    assert not AthleteVersion.objects.filter(session=session).exists()


def test_the_conditional_update_lets_one_of_two_racing_saves_pass(session):
    """Two saves drawn at the same version: one ``UPDATE ... WHERE id = ? AND version = ?``
    each, so the second finds no row, however close together they come."""
    first, second = Session.objects.get(pk=session.pk), Session.objects.get(pk=session.pk)
    with CaptureQueriesContext(connection) as queries:
        assert history.claim_version(first, 1)
    sql = queries.captured_queries[0]["sql"]
    assert sql.startswith("UPDATE") and '"version" = 1' in sql and '"id" =' in sql
    assert not history.claim_version(second, 1)
    assert second.version == 1  # nothing changed for the loser
    assert Session.objects.get(pk=session.pk).version == 2
    assert history.claim_version(second, 2)  # drawn again: it passes


def test_a_stale_block_save_is_refused_with_its_text_kept(coach, coach_client, block):
    url = reverse("training:block-edit", args=[block.pk])
    page = coach_client.get(url)
    assert 'name="version" value="1"' in page.content.decode()
    data = {"title": block.title, "start_date": block.start_date.isoformat(),
            "end_date": block.end_date.isoformat(), "time_zone": "UTC", "altitude_m": "0",
            "athletes": [a.pk for a in block.athletes.all()], "version": "1"}
    assert second_tab(coach).post(url, {**data, "place": "Flagstaff"}).status_code == 302
    refused = coach_client.post(url, {**data, "place": "Iten", "notes": "Mine"})
    html = refused.content.decode()
    assert refused.status_code == 200 and "Not saved: you changed this block" in html
    change = refused.context["conflict"].changes[0]
    assert (change.label, change.theirs, change.yours) == ("Place", "Flagstaff", "Iten")
    assert 'value="Iten"' in html and "Mine" in html
    block.refresh_from_db()
    assert (block.place, block.version) == ("Flagstaff", 2)
    assert coach_client.post(url, {**data, "place": "Iten", "version": "2"}).status_code == 302
    block.refresh_from_db()
    assert block.place == "Iten"


# --- who changed what, when ---------------------------------------------------------------------

def test_every_kind_of_plan_change_records_user_and_time(coach, coach_client, athlete):
    today = dt.date.today()
    start = today + dt.timedelta(days=7 - today.weekday())  # upcoming: a block edit re-plans
    block = f.make_block(coach=coach, athletes=(athlete,), start=start)
    session = f.planned(block, WORKOUT, title="Four hundreds", date=start + dt.timedelta(days=2))
    before = dt.datetime.now(dt.UTC)
    coach_client.post(edit_url(session), form_data(session, 1, notation=THEIRS, **{
        f"version-{athlete.pk}": "4x400 @ 64 (200 jog)"}))
    coach_client.post(reverse("training:session-move", args=[session.pk]),
                      {"date": (session.date + dt.timedelta(days=1)).isoformat(), "slot": "AM"})
    coach_client.post(reverse("training:block-edit", args=[session.block_id]), {
        "title": "Renamed", "start_date": block.start_date.isoformat(),
        "end_date": block.end_date.isoformat(), "time_zone": "UTC", "altitude_m": "2100",
        "athletes": [athlete.pk], "version": "1"})
    rows = list(Session.history.filter(id=session.pk).order_by("history_date", "history_id"))
    mine = [r for r in rows if r.history_date >= before]  # (the fixture planned it: no user)
    assert len(mine) >= 4 and {r.history_user_id for r in mine} == {coach.pk}
    assert THEIRS in {r.notation for r in rows}
    assert rows[-2].history_change_reason == "moved"
    assert rows[-1].history_change_reason == "targets re-planned: the block changed"
    version = AthleteVersion.history.get(session_id=session.pk)
    assert (version.history_user_id, version.history_type) == (coach.pk, "+")
    block = Block.history.filter(id=session.block_id).latest("history_date")
    assert (block.history_user_id, block.title, block.altitude_m) == (coach.pk, "Renamed", 2100)
    entries = history.plan_changes(session, {athlete.pk: "Ada Miler"})
    whats = [e.what for e in entries]
    assert "moved" in whats and "wrote Ada Miler’s own version" in whats
    assert "changed the session" in whats
    assert {e.who for e in entries if e.when >= before} == {"Carla Coach"}
    assert entries[-1].what == "created the session"  # (by the fixture, with no user: Someone)


def test_every_kind_of_log_change_records_user_and_time(athlete, athlete_client, session, htmx):
    row = reverse("training:new-rep-save", args=[session.pk, 1])
    assert athlete_client.post(row, {"time": "69.8"}, **htmx).status_code == 200
    log = SessionLog.objects.get()
    rep = log.reps.get(position=1)
    logbook.update_log(log, {"rpe": 7})
    added = logbook.add_rep(log, distance_m=200)
    added_pk = added.pk
    logbook.remove_rep(added)
    logbook.finish_log(log, skip_open=True)
    reps = RepResult.history.filter(log_id=log.pk)
    timed = reps.filter(id=rep.pk, actual_s=69.8).get()
    assert timed.history_user_id == athlete.user_id and timed.history_date is not None
    assert list(reps.filter(id=added_pk).order_by("history_id")
                .values_list("history_type", flat=True)) == ["+", "-"]
    assert reps.filter(skipped=True).count() == 5  # finishing skipped the five open reps
    assert SessionLog.history.filter(id=log.pk, rpe=7).exists()
    assert not SessionLog.objects.get().changed_by_others  # the athlete's own changes only


def test_saving_a_rep_costs_one_insert_more_and_no_select(athlete, athlete_client, session, htmx):
    row = reverse("training:new-rep-save", args=[session.pk, 1])
    athlete_client.post(row, {"time": "69.8"}, **htmx)
    with CaptureQueriesContext(connection) as queries:
        athlete_client.post(reverse("training:new-rep-save", args=[session.pk, 2]),
                            {"time": "68.1"}, **htmx)
    history_sql = [q["sql"] for q in queries.captured_queries if "historical" in q["sql"]]
    assert len(history_sql) == 1
    if connection.vendor == "postgresql":  # the save's one statement (log_sql.save_at_once)
        # session, user, the rows, the save
        assert history_sql[0].startswith("WITH") and len(queries) == 4
        assert "INSERT INTO" in history_sql[0].split("historical")[0].rsplit("AS (", 1)[1]
    else:
        assert history_sql[0].startswith("INSERT")


def stopwatch(client, session, athlete, **fields):
    data = {"cid": str(uuid.uuid4()), "athlete": athlete.pk, "kind": "time", **fields}
    return client.post(reverse("training:stopwatch-result", args=[session.pk]),
                       {k: str(v) for k, v in data.items()})


def test_the_athlete_sees_the_coachs_change_of_their_split(
        coach, athlete, session, admin_user, htmx):
    runner = second_tab(athlete.user)
    runner.post(reverse("training:new-rep-save", args=[session.pk, 5]), {"time": "69.8"}, **htmx)
    log = SessionLog.objects.get()
    own = runner.get(reverse("training:log-summary", args=[log.pk])).content.decode()
    assert "Changes by" not in own  # their own edits are not listed
    timing = stopwatch(second_tab(coach), session, athlete, position=5, time="68.9", confirm="1")
    assert timing.status_code == 200
    assert log.reps.get(position=5).actual_s == 68.9
    page = runner.get(reverse("training:log-summary", args=[log.pk])).content.decode()
    assert "Changes by others (1)" in page
    assert "<b>Carla Coach</b> changed rep 5" in page
    assert "time from 69.8 to 68.9" in page
    for reader in (admin_user, coach):  # admins and the coach see it too
        html = second_tab(reader).get(reverse("training:log-summary", args=[log.pk]))
        assert "changed rep 5" in html.content.decode()


def test_a_logs_changes_cost_no_query_when_no_one_else_wrote(athlete, session, htmx,
                                                             django_assert_num_queries):
    runner = second_tab(athlete.user)
    runner.post(reverse("training:new-rep-save", args=[session.pk, 1]), {"time": "69.8"}, **htmx)
    log = SessionLog.objects.select_related("athlete").get()
    with django_assert_num_queries(0):
        assert history.log_changes(log) == []


def test_the_summary_of_a_log_a_coach_changed_stays_within_two_more_queries(
        coach, athlete, session, htmx, django_assert_max_num_queries):
    runner = second_tab(athlete.user)
    runner.post(reverse("training:new-rep-save", args=[session.pk, 1]), {"time": "69.8"}, **htmx)
    coach_client = second_tab(coach)
    for position in range(1, 7):
        stopwatch(coach_client, session, athlete, position=position, time="68.9", confirm="1")
    log = SessionLog.objects.get()
    with django_assert_max_num_queries(12 + 2):  # the summary's budget, plus the two histories
        page = coach_client.get(reverse("training:log-summary", args=[log.pk]))
    assert page.content.decode().count("changed rep") == 6


# --- the plan's history on the session page -------------------------------------------------------

def test_the_session_page_offers_the_plan_changes_and_loads_them(coach_client, session, htmx,
                                                                 athlete):
    coach_client.post(edit_url(session), form_data(session, 1, notation=THEIRS))
    page = coach_client.get(session.get_absolute_url()).content.decode()
    url = reverse("training:session-changes", args=[session.pk])
    assert f'hx-get="{url}"' in page and "Plan changes" in page
    fragment = coach_client.get(url, **htmx).content.decode()
    assert "<html" not in fragment
    assert "<b>Carla Coach</b> changed the session" in fragment
    assert f"Workout from {WORKOUT} to {THEIRS}" in fragment
    runner = second_tab(athlete.user)
    assert "Plan changes" not in runner.get(session.get_absolute_url()).content.decode()
    assert runner.get(url).status_code == 404


# --- an admin restores an earlier version --------------------------------------------------------

def test_an_admin_restores_a_session_to_an_earlier_version(coach_client, session, admin_user):
    coach_client.post(edit_url(session), form_data(session, 1, notation=THEIRS, title="Eights"))
    session.refresh_from_db()
    assert (session.notation, session.steps.filter(kind="work").count()) == (THEIRS, 8)
    admin = second_tab(admin_user)
    assert admin.get(reverse("admin:training_session_history", args=[session.pk])) \
        .status_code == 200
    original = Session.history.filter(id=session.pk, notation=WORKOUT).latest("history_date")
    url = reverse("admin:training_session_simple_history",
                  args=[session.pk, original.history_id])
    form = admin.get(url)
    assert form.status_code == 200 and "Revert" in form.content.decode()
    response = admin.post(url, {
        "block": session.block_id, "date": original.date.isoformat(), "slot": original.slot,
        "title": original.title, "notation": original.notation, "notes": original.notes,
        "tolerance_pct": original.tolerance_pct, "work_distance_m": "0",
        "total_distance_m": "0", "work_duration_s": "0", "estimated_duration_s": "0",
        "rep_count": "0", **_empty_inlines()})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.notation, session.title) == (WORKOUT, "Four hundreds")
    assert session.version == 3  # a new version: a form drawn before the restore is refused
    assert session.steps.filter(kind="work").count() == 6  # planned again from the old workout
    assert Session.history.filter(id=session.pk).latest("history_date").history_user == admin_user


@pytest.mark.parametrize("model", ["block", "session", "sessionlog", "represult",
                                   "athleteversion"])
def test_the_admin_history_pages_open(admin_client_, session, athlete, model, htmx):
    logbook.start_log(session, athlete)
    versions.save_versions(session, {athlete.pk: "4x400 @ 64"})
    obj = {"block": session.block, "session": session, "sessionlog": SessionLog.objects.get(),
           "represult": RepResult.objects.first(),
           "athleteversion": AthleteVersion.objects.get()}[model]
    for name in ("changelist", "change", "history"):
        args = [] if name == "changelist" else [obj.pk]
        response = admin_client_.get(reverse(f"admin:training_{model}_{name}", args=args))
        assert response.status_code == 200, (model, name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writers at once need PostgreSQL (SQLite serialises them)")
def test_two_concurrent_saves_of_one_version_exactly_one_passes(coach, athlete):
    """Two transactions claim the same version at the same moment: the second waits on the
    first's row lock, re-reads the row after its commit and finds the version gone."""
    import threading
    import time

    from django.db import connections, transaction

    block = f.make_block(coach=coach, athletes=(athlete,))
    session = f.planned(block, WORKOUT)
    both_in = threading.Barrier(2)
    results = {}

    def save(name: str, pause: float) -> None:
        try:
            with transaction.atomic():
                mine = Session.objects.get(pk=session.pk)
                both_in.wait()
                time.sleep(pause)
                results[name] = history.claim_version(mine, 1)
                time.sleep(0.3)  # hold the row while the other tries
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=("first", 0)),
               threading.Thread(target=save, args=("second", 0.1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [False, True]
    assert Session.objects.get(pk=session.pk).version == 2
