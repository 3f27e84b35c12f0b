"""Per-athlete versions of a squad session (issue 18): planning, the session form and its
preview, the session page, print card, calendar and Today, logs judged against the athlete's
own version, and query counts that stay the same however many athletes there are."""

import datetime as dt
import html as html_lib

import pytest
from django.test import Client
from django.urls import reverse

from coach.formats import format_range
from sessions import logbook, versions
from sessions.block_calendar import build_calendar
from sessions.models import AthleteVersion, PlannedStep, PlannedTarget, SessionLog
from sessions.planning import plan_session
from tests import factories as f

SQUAD = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"
SHORTER = "2mi WU; 10x400 @ T+ (200 jog) & 8x200 @ mile (200 jog); 2mi CD"
DAY = dt.date(2026, 11, 3)


@pytest.fixture
def squad(coach, athlete, second):
    """Ada (athlete) and Ben (second) in one block, with the squad's session."""
    block = f.make_block(coach=coach, athletes=(athlete, second))
    return f.planned(block, SQUAD, date=DAY, title="400s and 200s")


def give_version(session, athlete, text=SHORTER):
    versions.save_versions(session, {athlete.pk: text})
    plan_session(session)
    return AthleteVersion.objects.get(session=session, athlete=athlete)


def work_targets(session, athlete):
    return list(PlannedTarget.objects.filter(step__session=session, athlete=athlete,
                                             step__kind="work")
                .order_by("step__position").values_list("step__athlete_id", "target_lo_s"))


def form_data(session, **versions_typed):
    data = {"date": session.date.isoformat(), "slot": session.slot, "title": session.title,
            "notation": session.notation, "notes": "", "tolerance_pct": "1.5"}
    data.update(versions_typed)
    return data


# --- planning -----------------------------------------------------------------------------------

def test_a_version_is_planned_as_the_athletes_own_steps_and_targets(squad, athlete, second):
    version = give_version(squad, second)
    assert squad.steps.squad().filter(kind="work").count() == 22
    assert list(squad.steps_for(athlete).filter(kind="work").values_list("athlete", flat=True)) \
        == [None] * 22
    own = squad.steps_for(second).filter(kind="work")
    assert own.count() == 18 and set(own.values_list("athlete", flat=True)) == {second.pk}
    ada, ben = work_targets(squad, athlete), work_targets(squad, second)
    assert len(ada) == 22 and {a for a, _ in ada} == {None}
    assert len(ben) == 18 and {a for a, _ in ben} == {second.pk}
    # the squad's totals stay the squad's; the version has its own
    assert (squad.rep_count, squad.work_distance_m) == (22, 6800)
    assert (version.rep_count, version.work_distance_m) == (18, 5600)
    assert version.squad_notation == SQUAD and not version.squad_changed


def test_editing_the_squads_workout_replans_its_followers_and_keeps_the_versions(
        squad, athlete, second):
    give_version(squad, second)
    ben_before = work_targets(squad, second)
    squad.notation = "2mi WU; 6x1k @ T (60s); 2mi CD"
    squad.save()
    plan_session(squad)
    assert len(work_targets(squad, athlete)) == 6
    assert work_targets(squad, second) == [(second.pk, t) for _, t in ben_before]
    version = AthleteVersion.objects.get(session=squad, athlete=second)
    assert version.notation == SHORTER and version.squad_changed


def test_back_to_the_squads_replans_only_that_athlete(squad, athlete, second):
    give_version(squad, second)
    ada_steps = set(squad.steps_for(athlete).values_list("pk", flat=True))
    assert versions.back_to_squad(squad, second)
    assert not AthleteVersion.objects.filter(session=squad).exists()
    assert not PlannedStep.objects.filter(session=squad, athlete__isnull=False).exists()
    assert len(work_targets(squad, second)) == 22
    assert set(squad.steps_for(second).values_list("pk", flat=True)) == ada_steps
    assert not versions.back_to_squad(squad, second)  # nothing to drop twice


def test_the_same_text_as_the_squads_is_no_version(squad, second):
    form = versions.VersionsForm({f"version-{second.pk}": "  " + SQUAD.upper() + " "},
                                 block=squad.block, athletes=[second])
    assert form.is_valid() and form.notations(SQUAD) == {second.pk: ""}


def test_planning_costs_the_same_queries_however_many_athletes_and_versions(
        coach, squad, second, django_assert_max_num_queries):
    give_version(squad, second)
    with django_assert_max_num_queries(40) as few:
        plan_session(squad)
    for i in range(4):
        extra = f.make_athlete(coach=coach, race=(5000, 800 + 10 * i))
        squad.block.athletes.add(extra)
        versions.save_versions(squad, {extra.pk: "6x400 @ T (60s)"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        plan_session(squad)
    assert AthleteVersion.objects.filter(session=squad).count() == 5


# --- the session form ----------------------------------------------------------------------------

def test_the_form_has_a_box_per_athlete_empty_for_the_squads(coach_client, squad, athlete,
                                                              second):
    give_version(squad, second)
    response = coach_client.get(reverse("training:session-edit", args=[squad.pk]))
    html = html_lib.unescape(response.content.decode())
    assert f'name="version-{athlete.pk}"' in html
    assert f'name="version-{second.pk}"' in html and SHORTER in html
    assert "own version" in html


def test_saving_a_version_from_the_form_plans_it(coach_client, squad, second):
    response = coach_client.post(reverse("training:session-edit", args=[squad.pk]),
                                 form_data(squad, **{f"version-{second.pk}": SHORTER}))
    assert response.status_code == 302
    assert AthleteVersion.objects.get(session=squad, athlete=second).notation == SHORTER
    assert len(work_targets(squad, second)) == 18


def test_emptying_a_box_puts_the_athlete_back_on_the_squads(coach_client, squad, second):
    give_version(squad, second)
    response = coach_client.post(reverse("training:session-edit", args=[squad.pk]),
                                 form_data(squad, **{f"version-{second.pk}": ""}))
    assert response.status_code == 302
    assert not AthleteVersion.objects.filter(session=squad).exists()
    assert len(work_targets(squad, second)) == 22


def test_a_bad_version_is_explained_next_to_its_box_and_nothing_is_lost(
        coach_client, squad, athlete, second):
    data = form_data(squad, notation=SQUAD + " ", title="Changed title",
                     **{f"version-{second.pk}": "10x400 @@ T+", f"version-{athlete.pk}": ""})
    response = coach_client.post(reverse("training:session-edit", args=[squad.pk]), data)
    assert response.status_code == 200
    errors = response.context["versions_form"].errors
    assert list(errors) == [f"version-{second.pk}"]
    html = html_lib.unescape(response.content.decode())
    box = html.index(f'id="field-version-{second.pk}"')
    assert 'class="error"' in html[box:box + 2500] and "10x400 @@ T+" in html
    assert 'value="Changed title"' in html
    squad.refresh_from_db()
    assert squad.title == "400s and 200s" and not AthleteVersion.objects.exists()


def test_the_preview_shows_each_version_as_its_own_section(coach_client, squad, athlete, second,
                                                          htmx):
    response = coach_client.post(reverse("training:session-preview", args=[squad.block.pk]),
                                 {"notation": SQUAD, f"version-{second.pk}": SHORTER}, **htmx)
    preview = response.context["preview"]
    assert [a.pk for a in preview.athletes] == [athlete.pk]  # the squad's: its followers
    [own] = response.context["version_previews"]
    assert own.athlete == second and own.preview.workout.rep_count == 18
    assert own.preview.rows[1].cells[0].name == "Ben Runner"
    html = html_lib.unescape(response.content.decode())
    assert "Ben Runner’s own version" in html


def test_a_version_that_does_not_read_says_why_in_the_preview(coach_client, squad, second, htmx):
    response = coach_client.post(reverse("training:session-preview", args=[squad.block.pk]),
                                 {"notation": SQUAD, f"version-{second.pk}": "10x400 @@"},
                                 **htmx)
    [own] = response.context["version_previews"]
    assert own.preview is None and own.error
    assert response.context["preview"].workout.rep_count == 22


def test_the_preview_costs_the_same_queries_however_many_versions(
        coach_client, coach, squad, second, htmx, django_assert_max_num_queries):
    url = reverse("training:session-preview", args=[squad.block.pk])
    with django_assert_max_num_queries(8) as few:
        coach_client.post(url, {"notation": SQUAD, f"version-{second.pk}": SHORTER}, **htmx)
    data = {"notation": SQUAD}
    for i in range(4):
        extra = f.make_athlete(coach=coach, race=(5000, 800 + 10 * i))
        squad.block.athletes.add(extra)
        data[f"version-{extra.pk}"] = "6x400 @ T (60s)"
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coach_client.post(url, data, **htmx)
    assert len(response.context["version_previews"]) == 4


# --- the pages ------------------------------------------------------------------------------------

def test_the_session_page_shows_the_squads_followers_and_each_version(coach_client, squad,
                                                                      second):
    give_version(squad, second)
    response = coach_client.get(reverse("training:session", args=[squad.pk]))
    assert [a.display_name for a in response.context["athletes"]] == ["Ada Miler"]
    [section] = response.context["version_sections"]
    assert section.athlete == second and [r.count for r in section.rows if r.kind == "work"] \
        == [10, 8]
    html = html_lib.unescape(response.content.decode())
    assert "Ben Runner’s own version" in html and "differs from the squad’s" in html
    assert reverse("training:session-back-to-squad", args=[squad.pk, second.pk]) in html


def test_the_athlete_sees_their_own_version_and_no_planning_buttons(client, squad, second):
    give_version(squad, second)
    client.force_login(second.user)
    response = client.get(reverse("training:session", args=[squad.pk]))
    html = html_lib.unescape(response.content.decode())
    assert response.context["athletes"] == []  # Ben does not follow the squad's
    assert "Your own version" in html and SHORTER in html
    assert "Ada Miler" not in html and "Back to the squad" not in html
    assert html.index("own version") < html.index("The squad’s workout")


def test_the_print_card_has_each_version(coach_client, squad, second):
    give_version(squad, second)
    response = coach_client.get(reverse("training:session-print", args=[squad.pk]))
    html = html_lib.unescape(response.content.decode())
    assert "Ben Runner’s own version" in html and "Back to the squad" not in html


def test_back_to_the_squads_from_the_session_page(coach_client, squad, second):
    give_version(squad, second)
    response = coach_client.post(
        reverse("training:session-back-to-squad", args=[squad.pk, second.pk]))
    assert response.status_code == 302 and response["Location"] == squad.get_absolute_url()
    assert not AthleteVersion.objects.exists()
    missing = coach_client.post(
        reverse("training:session-back-to-squad", args=[squad.pk, second.pk]))
    assert missing.status_code == 404


def test_the_session_page_costs_the_same_queries_however_many_versions(
        coach_client, coach, squad, second, django_assert_max_num_queries):
    give_version(squad, second)
    url = reverse("training:session", args=[squad.pk])
    with django_assert_max_num_queries(12) as few:
        coach_client.get(url)
    for i in range(4):
        extra = f.make_athlete(coach=coach, race=(5000, 800 + 10 * i))
        squad.block.athletes.add(extra)
        versions.save_versions(squad, {extra.pk: "6x400 @ T (60s)"})
    plan_session(squad)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coach_client.get(url)
    assert len(response.context["version_sections"]) == 5
    with django_assert_max_num_queries(len(few.captured_queries)):
        coach_client.get(reverse("training:session-print", args=[squad.pk]))


def test_the_calendar_names_own_versions_and_shows_an_athlete_theirs(squad, second, athlete):
    give_version(squad, second)
    coach_view = build_calendar(squad.block)
    card = next(s for w in coach_view.weeks for d in w.days for _, s in d.slots if s)
    assert card.own_versions == ["Ben Runner"] and card.key_targets[0] == "12x400 @ T+"
    ben_view = build_calendar(squad.block, second)
    card = next(s for w in ben_view.weeks for d in w.days for _, s in d.slots if s)
    assert card.my_version and card.key_targets == ["10x400 @ T+", "8x200 @ mile pace"]
    assert ben_view.totals.work_m == 5600
    ada_view = build_calendar(squad.block, athlete)
    card = next(s for w in ada_view.weeks for d in w.days for _, s in d.slots if s)
    assert not card.my_version and ada_view.totals.work_m == 6800


def test_the_block_page_shows_the_note_to_the_coach_and_the_athlete(coach_client, client,
                                                                    squad, second):
    give_version(squad, second)
    html = coach_client.get(reverse("training:block", args=[squad.block.pk])).content.decode()
    assert "Ben Runner: own version" in html
    client.force_login(second.user)
    html = client.get(reverse("training:block", args=[squad.block.pk])).content.decode()
    assert "Your own version" in html and "10x400 @ T+" in html


def test_today_shows_the_athletes_own_version(client, coach, second):
    today = dt.date.today()
    block = f.make_block(coach=coach, athletes=(second,), start=today - dt.timedelta(days=1),
                         time_zone="UTC")
    session = f.planned(block, SQUAD, date=today)
    give_version(session, second)
    client.force_login(second.user)
    response = client.get(reverse("training:today"))
    html = html_lib.unescape(response.content.decode())
    assert SHORTER in html and "18 reps" in html and "your own version" in html


# --- logs judged against the athlete's own version --------------------------------------------

def test_the_log_form_has_the_athletes_own_reps_and_targets(client, squad, athlete, second):
    give_version(squad, second)
    client.force_login(second.user)
    response = client.get(reverse("training:log", args=[squad.pk]))
    shown = [row for group in response.context["groups"] for row in group["rows"]]
    rows = logbook.log_for_form(squad, second)[1]  # what the page's rows are built from
    own = dict(PlannedTarget.objects.filter(athlete=second, step__session=squad)
               .values_list("step_id", "target_lo_s"))
    assert len(rows) == len(shown) == 18
    assert [row.target for row in shown] == [
        format_range(r.target_lo_s, r.target_hi_s, distance_m=r.distance_m) for r in rows]
    assert [r.target_lo_s for r in rows] == [own[r.step_id] for r in rows]
    assert response.context["log"].notation == SHORTER
    assert [r.rep_number for r in rows][9:11] == [10, 1]  # within each part


def test_a_log_is_judged_against_the_athletes_own_targets(squad, second):
    give_version(squad, second)
    log = logbook.start_log(squad, second)
    rows = list(log.reps.order_by("position"))
    assert len(rows) == 18 and log.planned_notation == SHORTER
    first = rows[0]
    logbook.save_rep(first, {"actual_s": first.target_lo_s})
    first.log = log
    assert first.status == "on"
    summary = logbook.session_summary(log)
    assert summary.planned_work_distance_m == 5600


def test_a_log_started_before_the_version_changed_keeps_its_rows(squad, second):
    log = logbook.start_log(squad, second)
    first = log.reps.get(position=1)
    logbook.save_rep(first, {"actual_s": 66.0})
    give_version(squad, second)
    again = logbook.start_log(squad, second)
    assert again.reps.count() == 22 and again.planned_notation == SQUAD


def test_empty_rows_follow_a_new_version(squad, second):
    log = logbook.start_log(squad, second)
    assert log.reps.count() == 22
    give_version(squad, second)
    entry, rows = logbook.log_for_form(squad, second)
    assert len(rows) == 18
    again = logbook.start_log(squad, second)
    assert again.reps.count() == 18 and again.planned_notation == SHORTER


def test_the_log_form_costs_the_same_queries_however_many_versions(
        client, coach, squad, second, django_assert_max_num_queries):
    give_version(squad, second)
    client.force_login(second.user)
    url = reverse("training:log", args=[squad.pk])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(4):
        extra = f.make_athlete(coach=coach, race=(5000, 800 + 10 * i))
        squad.block.athletes.add(extra)
        versions.save_versions(squad, {extra.pk: "6x400 @ T (60s)"})
    plan_session(squad)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["groups"][0]["rows"]) == 10
    assert not SessionLog.objects.exists()


def test_a_copy_of_the_session_keeps_the_athletes_own_versions(squad, second):
    from sessions.planning import copy_session

    give_version(squad, second)
    copy = copy_session(squad, date=DAY + dt.timedelta(days=1), slot="PM")
    assert AthleteVersion.objects.get(session=copy, athlete=second).notation == SHORTER
    assert len(work_targets(copy, second)) == 18


def test_the_calendar_costs_the_same_queries_however_many_versions(
        coach_client, coach, squad, second, django_assert_max_num_queries):
    give_version(squad, second)
    url = reverse("training:block", args=[squad.block.pk])
    client = Client()
    client.force_login(second.user)
    with django_assert_max_num_queries(8) as coach_few:  # the calendar, with who is out
        coach_client.get(url)
    with django_assert_max_num_queries(15) as ben_few:
        client.get(url)
    for i in range(4):
        extra = f.make_athlete(coach=coach, race=(5000, 800 + 10 * i))
        squad.block.athletes.add(extra)
        versions.save_versions(squad, {extra.pk: "6x400 @ T (60s)"})
        f.planned(squad.block, "6x400 @ T (60s)", date=DAY + dt.timedelta(days=i + 1))
    plan_session(squad)
    with django_assert_max_num_queries(len(coach_few.captured_queries)):
        response = coach_client.get(url)
    card = response.context["calendar"].weeks[0].days[1].slots[0][1]
    assert len(card.own_versions) == 5
    with django_assert_max_num_queries(len(ben_few.captured_queries)):
        client.get(url)
