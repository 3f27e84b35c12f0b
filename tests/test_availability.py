"""Availability (issue 18): days an athlete is out, sick, injured or away. Their sessions on
those days are unavailable for them: not missing (``sessions.attention.missing_logs``), not
expected (``sessions.availability.expected_sessions``), greyed on the calendar, marked on the
session page and their Today; logging them stays open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from athletes.absence_forms import AbsenceForm
from athletes.models import Absence, absence_dates_problem
from sessions import attention, availability
from sessions.models import RepResult
from tests import factories as f

NOV = dt.date(2026, 11, 2)  # the block fixture's first day, a Monday


def out(athlete, start, end, reason="injured", **extra) -> Absence:
    return Absence.objects.create(athlete=athlete, start=start, end=end, reason=reason, **extra)


def today() -> dt.date:
    return timezone.now().date()


@pytest.fixture
def current(coach, athlete, second):
    """A block around today (UTC) with Ada and Ben, and an easy run on each of its days."""
    block = f.make_block(coach=coach, athletes=(athlete, second),
                         start=today() - dt.timedelta(days=10), days=20, title="Current")
    for day in range(20):
        f.make_session(block=block, date=block.start_date + dt.timedelta(days=day),
                       title=f"Run {day}", notation="40min easy")
    return block


def started_log(session, athlete, **extra):
    return f.make_log(session=session, athlete=athlete, completed=True, rpe=5, **extra)


# --- the model --------------------------------------------------------------------------------

def test_covering_includes_the_first_and_the_last_day(athlete):
    absence = out(athlete, NOV, NOV + dt.timedelta(days=2))
    for day, inside in ((NOV - dt.timedelta(days=1), False), (NOV, True),
                        (NOV + dt.timedelta(days=2), True), (NOV + dt.timedelta(days=3), False)):
        assert list(Absence.objects.covering(day)) == ([absence] if inside else []), day
        assert absence.covers(day) is inside
    assert absence.days == 3
    assert absence.until_text == "injured until 4 Nov"


def test_overlapping_finds_any_shared_day(athlete):
    absence = out(athlete, NOV, NOV + dt.timedelta(days=2))

    def overlapping(first, last):
        return list(Absence.objects.overlapping(NOV + dt.timedelta(days=first),
                                                NOV + dt.timedelta(days=last)))

    assert overlapping(2, 9) == [absence] and overlapping(-5, 0) == [absence]
    assert overlapping(-5, 5) == [absence] and overlapping(1, 1) == [absence]
    assert overlapping(3, 5) == [] and overlapping(-3, -1) == []


def test_the_database_refuses_an_end_before_the_start(athlete):
    with pytest.raises(IntegrityError):
        out(athlete, NOV, NOV - dt.timedelta(days=1))


def test_dates_problems_are_said_in_words():
    assert absence_dates_problem(NOV, NOV) is None
    assert "before the first day" in absence_dates_problem(NOV, NOV - dt.timedelta(days=1))
    assert absence_dates_problem(NOV, NOV + dt.timedelta(days=365)) is None  # 366 days
    assert "at most 366 days" in absence_dates_problem(NOV, NOV + dt.timedelta(days=366))


def test_the_form_puts_the_message_next_to_the_last_day():
    form = AbsenceForm({"absence-reason": "sick", "absence-start": "2026-11-05",
                        "absence-end": "2026-11-04", "absence-note": "flu"})
    assert not form.is_valid()
    assert list(form.errors) == ["end"]
    assert "before the first day" in form.errors["end"][0]
    assert form.non_field_errors() == []


def test_absences_are_visible_to_the_athlete_their_coaches_and_admins(
        athlete, coach, other_coach, admin_user, other_athlete):
    absence = out(athlete, NOV, NOV)
    assert list(Absence.objects.for_user(athlete.user)) == [absence]
    assert list(Absence.objects.for_user(coach)) == [absence]
    assert list(Absence.objects.for_user(admin_user)) == [absence]
    assert not Absence.objects.for_user(other_coach).exists()
    assert not Absence.objects.for_user(other_athlete.user).exists()


# --- the page: add, end early, delete -----------------------------------------------------------

def test_the_athlete_marks_their_own_days_out(athlete_client, athlete):
    url = reverse("athletes:availability", args=[athlete.pk])
    assert athlete_client.get(url).status_code == 200
    response = athlete_client.post(url, {
        "absence-reason": "sick", "absence-start": "2026-11-03", "absence-end": "2026-11-05",
        "absence-note": "flu"}, follow=True)
    absence = Absence.objects.get()
    assert (absence.athlete, absence.reason, absence.start, absence.end, absence.note) == (
        athlete, "sick", dt.date(2026, 11, 3), dt.date(2026, 11, 5), "flu")
    assert absence.created_by == athlete.user
    assert "Ada Miler: sick, Tue 3 Nov to Thu 5 Nov." in response.content.decode()


def test_the_coach_marks_their_athlete_out_from_the_athlete_page(coach_client, coach, athlete):
    profile = coach_client.get(reverse("athletes:detail", args=[athlete.pk])).content.decode()
    url = reverse("athletes:availability", args=[athlete.pk])
    assert url in profile  # the way there
    coach_client.post(url, {"absence-reason": "injured", "absence-start": "2026-11-03",
                            "absence-end": "2026-11-05"})
    absence = Absence.objects.get()
    assert absence.athlete == athlete and absence.created_by == coach


def test_bad_dates_come_back_with_the_message_and_what_was_typed(coach_client, athlete):
    url = reverse("athletes:availability", args=[athlete.pk])
    response = coach_client.post(url, {
        "absence-reason": "away", "absence-start": "2026-11-10", "absence-end": "2026-11-08",
        "absence-note": "altitude camp"})
    html = response.content.decode()
    assert response.status_code == 200 and not Absence.objects.exists()
    field = html.split('id="field-absence-end"')[1].split("</div>")[0]
    assert "The last day cannot be before the first day." in field
    assert 'value="altitude camp"' in html and 'value="2026-11-10"' in html
    assert 'value="away" selected' in html
    too_long = coach_client.post(url, {"absence-reason": "injured", "absence-start": "2026-01-01",
                                       "absence-end": "2027-06-01"})
    assert "at most 366 days" in too_long.content.decode() and not Absence.objects.exists()
    not_a_date = coach_client.post(url, {"absence-reason": "injured", "absence-start": "soon",
                                         "absence-end": "2026-11-08"})
    assert "Enter a valid date." in not_a_date.content.decode()
    assert not Absence.objects.exists()


def test_back_today_ends_the_absence_yesterday(athlete_client, athlete):
    absence = out(athlete, today() - dt.timedelta(days=3), today() + dt.timedelta(days=4))
    page = athlete_client.get(reverse("athletes:availability", args=[athlete.pk])).content.decode()
    url = reverse("athletes:absence-end", args=[athlete.pk, absence.pk])
    assert url in page
    response = athlete_client.post(url, follow=True)
    absence.refresh_from_db()
    assert absence.end == today() - dt.timedelta(days=1)
    assert "Ada Miler is back from today" in response.content.decode()


def test_back_today_does_not_touch_an_absence_not_started_or_ended(athlete_client, athlete):
    coming = out(athlete, today(), today() + dt.timedelta(days=2))
    ended = out(athlete, today() - dt.timedelta(days=9), today() - dt.timedelta(days=5))
    for absence, says in ((coming, "delete it instead"), (ended, "has ended already")):
        response = athlete_client.post(
            reverse("athletes:absence-end", args=[athlete.pk, absence.pk]), follow=True)
        assert says in response.content.decode()
    assert [a.end for a in Absence.objects.order_by("start")] == [ended.end, coming.end]


def test_delete_removes_the_absence(coach_client, athlete):
    absence = out(athlete, NOV, NOV)
    response = coach_client.post(reverse("athletes:absence-delete", args=[athlete.pk, absence.pk]))
    assert response.status_code == 302 and not Absence.objects.exists()


def test_nobody_reaches_someone_elses_absence_through_their_own_page(
        client, athlete, other_athlete, other_coach):
    absence = out(athlete, NOV, NOV + dt.timedelta(days=3))
    client.force_login(other_athlete.user)
    for name in ("athletes:absence-end", "athletes:absence-delete"):
        assert client.post(reverse(name, args=[other_athlete.pk, absence.pk])).status_code == 404
    client.force_login(other_coach)
    assert client.get(reverse("athletes:availability", args=[athlete.pk])).status_code == 404
    assert client.post(reverse("athletes:availability", args=[athlete.pk]), {
        "absence-reason": "sick", "absence-start": "2026-11-03",
        "absence-end": "2026-11-05"}).status_code == 404
    assert Absence.objects.get() == absence and absence.end == NOV + dt.timedelta(days=3)


# --- missing logs and expected sessions --------------------------------------------------------

def test_missing_logs_leave_out_logged_sessions_days_out_today_and_old_ones(block, athlete):
    sessions = {d: f.make_session(block=block, date=NOV + dt.timedelta(days=d), title=f"Day {d}")
                for d in range(0, 22)}
    the_day = NOV + dt.timedelta(days=20)  # today: day 20; the last 14 days are days 6 to 19
    started_log(sessions[19], athlete)
    f.make_log(session=sessions[18], athlete=athlete)  # opened, nothing in it: still missing
    out(athlete, NOV + dt.timedelta(days=10), NOV + dt.timedelta(days=12))
    missing = attention.missing_logs(athlete.user, today=the_day, limit=50)
    days = [(m.session.date - NOV).days for m in missing]
    assert days == [18, 17, 16, 15, 14, 13, 9, 8, 7, 6]
    assert all(m.athlete == athlete for m in missing)
    assert missing.total == 10 and missing.more == 0


def test_the_short_list_counts_the_rest(block, athlete):
    for d in range(12):
        f.make_session(block=block, date=NOV + dt.timedelta(days=d))
    missing = attention.missing_logs(athlete.user, today=NOV + dt.timedelta(days=12))
    assert len(missing) == attention.SHORT_LIST and missing.total == 12 and missing.more == 4
    assert missing[0].session.date == NOV + dt.timedelta(days=11)  # newest first


def test_a_coach_sees_the_missing_logs_of_their_athletes_in_their_blocks(
        coach, athlete, second, other_coach, other_athlete):
    mine = f.make_block(coach=coach, athletes=(athlete, second), start=NOV)
    session = f.make_session(block=mine, date=NOV, title="Mine")
    started_log(session, second)
    theirs = f.make_block(coach=other_coach, athletes=(other_athlete, athlete), start=NOV)
    f.make_session(block=theirs, date=NOV, title="Theirs")
    archived = f.make_block(coach=coach, athletes=(athlete,), start=NOV, archived=True)
    f.make_session(block=archived, date=NOV, title="Archived")
    missing = attention.missing_logs(coach, today=NOV + dt.timedelta(days=1))
    assert [(m.athlete, m.session.title) for m in missing] == [(athlete, "Mine")]
    # Ada sees both of her blocks' sessions, her coaches only their own block's
    own = attention.missing_logs(athlete.user, today=NOV + dt.timedelta(days=1))
    assert sorted(m.session.title for m in own) == ["Mine", "Theirs"]
    athlete.user.is_active = False  # an athlete who left drops out of the list
    athlete.user.save()
    assert not attention.missing_logs(coach, today=NOV + dt.timedelta(days=1))


def test_missing_logs_of_someone_without_athletes_is_empty(admin_user, other_coach):
    assert attention.missing_logs(admin_user) == []
    assert attention.missing_logs(other_coach).total == 0


def test_missing_logs_count_today_in_the_blocks_time_zone(coach, athlete, monkeypatch):
    late_evening_utc = dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    auckland = f.make_block(coach=coach, athletes=(athlete,), time_zone="Pacific/Auckland",
                            start=NOV)
    f.make_session(block=auckland, date=dt.date(2026, 11, 10), title="Tuesday")  # yesterday there
    f.make_session(block=auckland, date=dt.date(2026, 11, 11), title="Wednesday")  # today there
    assert [m.session.title for m in attention.missing_logs(athlete.user)] == ["Tuesday"]


def test_expected_sessions_leave_out_the_days_out(block, athlete, second):
    block.athletes.add(second)
    for d in range(7):
        f.make_session(block=block, date=NOV + dt.timedelta(days=d))
    out(athlete, NOV + dt.timedelta(days=2), NOV + dt.timedelta(days=4))
    week = (NOV, NOV + dt.timedelta(days=6))
    assert [s.date.day for s in availability.expected_sessions(athlete, *week)] == [2, 3, 7, 8]
    assert availability.expected_sessions(second, *week).count() == 7
    # what the missing logs count is what is expected, less what was logged
    missing = attention.missing_logs(athlete.user, today=NOV + dt.timedelta(days=7))
    assert {m.session.pk for m in missing} == set(
        availability.expected_sessions(athlete, *week).values_list("pk", flat=True))


# --- where it shows ---------------------------------------------------------------------------

def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_calendar_greys_the_sessions_of_an_athlete_who_is_out(block, coach, athlete, second):
    coach_client, athlete_client = as_user(coach), as_user(athlete.user)
    block.athletes.add(second)
    monday = f.make_session(block=block, date=NOV, title="Monday run")
    tuesday = f.make_session(block=block, date=NOV + dt.timedelta(days=1), title="Tuesday run")
    out(athlete, NOV, NOV)

    def chip(html, session):
        return html.split(f'id="session-{session.pk}"')[1].split("</article>")[0]

    html = coach_client.get(reverse("training:block", args=[block.pk])).content.decode()
    assert "Ada Miler: injured" in chip(html, monday)
    assert "Ada Miler" not in chip(html, tuesday)
    assert f'all-out" id="session-{monday.pk}"' not in html  # Ben is not out: not greyed
    mine = athlete_client.get(reverse("training:block", args=[block.pk])).content.decode()
    assert f'all-out" id="session-{monday.pk}"' in mine  # for Ada, her day is greyed
    assert f'all-out" id="session-{tuesday.pk}"' not in mine
    assert "Ben Runner" not in chip(mine, monday)


def test_the_session_page_marks_the_athlete_unavailable(block, coach, athlete):
    coach_client, athlete_client = as_user(coach), as_user(athlete.user)
    session = f.planned(block, "4x400 @ 64 (200 jog)", date=NOV + dt.timedelta(days=1))
    out(athlete, NOV, NOV + dt.timedelta(days=3), note="sore Achilles")
    html = coach_client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "unavailable — injured until 5 Nov" in html and "sore Achilles" in html
    mine = athlete_client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "unavailable — injured until 5 Nov" in mine
    assert reverse("training:log", args=[session.pk]) in mine  # logging stays open


def test_today_shows_the_athletes_own_absence_and_lets_them_log_anyway(
        athlete_client, current, athlete):
    todays = current.sessions.get(date=today())
    out(athlete, today() - dt.timedelta(days=1), today() + dt.timedelta(days=2), reason="sick")
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert "You are out: <b>sick</b>" in html
    today_part = html.split("Still to log")[0]
    assert "unavailable: sick" in today_part and "Log it anyway" in today_part
    assert athlete_client.get(reverse("training:log", args=[todays.pk])).status_code == 200
    still = html.split("Still to log")[1].split("Next days")[0]
    yesterday = current.sessions.get(date=today() - dt.timedelta(days=1))
    assert yesterday.title not in still  # out that day: not to log
    assert current.sessions.get(date=today() - dt.timedelta(days=2)).title in still
    assert "and 1 more" in still  # ten days before today, one of them out: 8 listed of 9


def test_the_coach_home_shows_who_is_out_and_the_missing_logs(coach_client, current, athlete,
                                                              second):
    out(athlete, today() - dt.timedelta(days=1), today() + dt.timedelta(days=2), note="calf")
    out(second, today() + dt.timedelta(days=20), today() + dt.timedelta(days=22), reason="away")
    html = coach_client.get(reverse("training:coach-home")).content.decode()
    week = html.split('id="out-week-h"')[1].split("</section>")[0]
    until = today() + dt.timedelta(days=2)
    assert "Ada Miler" in week and "injured" in week and f"until {until:%a %-d %b}" in week
    assert "calf" in week and "Ben Runner" not in week  # Ben is away later, not this week
    missing = html.split('id="attention-h"')[1].split("</section>")[0]
    yesterday = current.sessions.get(date=today() - dt.timedelta(days=1))
    assert f"<b>Ben Runner</b> · {yesterday.title}" in missing
    assert f"<b>Ada Miler</b> · {yesterday.title}" not in missing


def test_the_athlete_page_shows_their_days_out(athlete_client, athlete):
    out(athlete, today(), today() + dt.timedelta(days=2), reason="away", note="exams")
    html = athlete_client.get(reverse("athletes:detail", args=[athlete.pk])).content.decode()
    part = html.split('id="availability-h"')[1].split("</section>")[0]
    assert "away" in part and "exams" in part


# --- queries: constant in the number of athletes, absences and sessions --------------------------

def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(block, coach) -> None:
    """Three more athletes in the block, each out twice, and a PM session on the last days."""
    for n in range(3):
        extra = f.make_athlete(name=f"Extra {n}", coach=coach, race=(5000, 900))
        block.athletes.add(extra)
        out(extra, today() - dt.timedelta(days=4), today() - dt.timedelta(days=3))
        out(extra, today() + dt.timedelta(days=1), today() + dt.timedelta(days=2))
    for day in range(-4, 3):
        f.make_session(block=block, date=today() + dt.timedelta(days=day), slot="PM",
                       title=f"PM {day}", notation="30min easy")


@pytest.mark.parametrize("where", ["coach-home", "block", "session", "today", "availability",
                                  "detail"])
def test_pages_cost_the_same_queries_with_more_athletes_absences_and_sessions(
        client, coach, athlete, current, where, django_assert_max_num_queries):
    session = current.sessions.get(date=today())
    out(athlete, today() - dt.timedelta(days=1), today())
    started_log(current.sessions.get(date=today() - dt.timedelta(days=2)), athlete)
    urls = {"coach-home": (coach, reverse("training:coach-home")),
            "block": (coach, reverse("training:block", args=[current.pk])),
            "session": (coach, reverse("training:session", args=[session.pk])),
            "today": (athlete.user, reverse("training:today")),
            "availability": (coach, reverse("athletes:availability", args=[athlete.pk])),
            "detail": (coach, reverse("athletes:detail", args=[athlete.pk]))}
    user, url = urls[where]
    client.force_login(user)
    small = _count(client, url)
    _grow(current, coach)
    out(athlete, today() - dt.timedelta(days=8), today() - dt.timedelta(days=6))
    out(athlete, today() + dt.timedelta(days=3), today() + dt.timedelta(days=5))
    started_log(current.sessions.get(date=today() - dt.timedelta(days=3), slot="AM"), athlete)
    pm = current.sessions.get(date=today() - dt.timedelta(days=4), slot="PM")
    RepResult.objects.create(log=f.make_log(session=pm, athlete=athlete), position=1,
                             distance_m=400, actual_s=70)
    large = _count(client, url)
    assert large == small, f"{where}: {small} queries, then {large}"
    with django_assert_max_num_queries(small):
        client.get(url)


# --- the demo ---------------------------------------------------------------------------------

def test_the_demo_has_tom_injured_for_three_days_and_his_log_kept(db):
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    absence = Absence.objects.get(athlete__display_name="Tom Keane")
    assert absence.reason == "injured" and absence.days == 3
    block = absence.athlete.blocks.get(title="Flagstaff altitude block")
    assert block.contains(absence.start) and block.contains(absence.end)
    logged = absence.athlete.logs.get(session__block=block)
    assert not absence.covers(logged.session.date)
    coach = block.coach
    missing = attention.missing_logs(coach)
    assert not any(m.athlete == absence.athlete and absence.covers(m.session.date)
                   for m in missing)


def test_ending_an_absence_early_is_the_models_rule(athlete):
    day = dt.date(2026, 11, 10)
    now = Absence(athlete=athlete, start=day - dt.timedelta(days=2), end=day + dt.timedelta(days=3))
    assert now.end_early(day) is None and now.end == day - dt.timedelta(days=1)
    assert now.days_text == "Sun 8 Nov to Mon 9 Nov"
    later = Absence(athlete=athlete, start=day, end=day + dt.timedelta(days=1))
    assert "delete it instead" in later.end_early(day) and later.end == day + dt.timedelta(days=1)
    over = Absence(athlete=athlete, start=day - dt.timedelta(days=5),
                   end=day - dt.timedelta(days=4))
    assert "ended already" in over.end_early(day)
    assert Absence(athlete=athlete, start=day, end=day).days_text == "Tue 10 Nov"
