"""Coach planning, the calendar in place: moving and copying sessions, copying weeks (htmx),
and the same forms without JavaScript."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from markupsafe import Markup, escape

from athletes.models import Absence
from sessions import planning
from sessions.block_calendar import text_escape
from sessions.models import PlannedTarget, Session, Slot
from tests import factories as f

MON = dt.date(2026, 11, 2)  # the first day of the ``block`` fixture (tests/conftest.py)
THRESHOLD = "6x1k @ T 60s"


@pytest.fixture
def block(block):
    """The shared block (tests/conftest.py), three weeks long."""
    block.end_date = MON + dt.timedelta(days=20)
    block.save(update_fields=["end_date"])
    return block


# --- moving ---------------------------------------------------------------------------------

def test_moving_a_session_updates_the_calendar_in_place(coach_client, block, htmx):
    session = f.planned(block, THRESHOLD, date=MON)
    url = reverse("training:session-move", args=[session.pk])
    response = coach_client.post(url, {"date": "2026-11-04", "slot": "PM"}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="calendar"')
    assert "Moved “6x1k @ T 60s” to Wed 4 Nov PM." in html
    session.refresh_from_db()
    assert (session.date, session.slot) == (dt.date(2026, 11, 4), "PM")
    assert session.steps.count() == 11  # the plan moves with it


def test_moving_onto_a_taken_place_says_so_and_offers_to_swap(coach_client, block, htmx):
    mover = f.planned(block, THRESHOLD, date=MON, title="Threshold")
    sitter = f.planned(block, "50min easy", date=dt.date(2026, 11, 4), title="Easy run")
    url = reverse("training:session-move", args=[mover.pk])
    response = coach_client.post(url, {"date": "2026-11-04", "slot": "AM"}, **htmx)
    html = response.content.decode()
    assert "Wed 4 Nov AM already has “Easy run”." in html
    assert "Swap them" in html and 'name="swap"' in html
    mover.refresh_from_db()
    assert mover.date == MON
    response = coach_client.post(url, {"date": "2026-11-04", "slot": "AM", "swap": "on"},
                                 **htmx)
    assert "Swapped “Threshold” (Wed 4 Nov AM) and “Easy run” (Mon 2 Nov AM)." in (
        response.content.decode())
    mover.refresh_from_db()
    sitter.refresh_from_db()
    assert (mover.date, sitter.date) == (dt.date(2026, 11, 4), MON)
    assert mover.slot == sitter.slot == "AM"


def test_a_day_outside_the_block_is_refused(coach_client, block, htmx):
    session = f.planned(block, THRESHOLD, date=MON)
    url = reverse("training:session-move", args=[session.pk])
    response = coach_client.post(url, {"date": "2026-12-25", "slot": "AM"}, **htmx)
    assert "Fri 25 Dec is outside the block (2 Nov – 22 Nov)." in response.content.decode()
    response = coach_client.post(url, {"date": "", "slot": "AM"}, **htmx)
    assert "This field is required." in response.content.decode()
    session.refresh_from_db()
    assert session.date == MON


def test_without_javascript_a_move_goes_back_to_the_block_with_a_message(coach_client, block):
    session = f.planned(block, THRESHOLD, date=MON)
    response = coach_client.post(reverse("training:session-move", args=[session.pk]),
                                 {"date": "2026-11-03", "slot": "AM"}, follow=True)
    assert response.redirect_chain[-1][0] == block.get_absolute_url()
    assert "Moved “6x1k @ T 60s” to Tue 3 Nov AM." in response.content.decode()


def test_a_move_from_the_session_page_returns_to_the_session(coach_client, block):
    session = f.planned(block, THRESHOLD, date=MON)
    response = coach_client.post(reverse("training:session-move", args=[session.pk]),
                                 {"date": "2026-11-03", "slot": "PM", "next": "session"})
    assert response["Location"] == session.get_absolute_url()


def test_moving_and_copying_are_post_only(coach_client, block):
    session = f.planned(block, THRESHOLD, date=MON)
    for name in ("training:session-move", "training:session-copy"):
        assert coach_client.get(reverse(name, args=[session.pk])).status_code == 405
    assert coach_client.get(reverse("training:block-copy-week", args=[block.pk])) \
        .status_code == 405


# --- copying a session ----------------------------------------------------------------------

def test_copying_a_session_plans_the_copy_afresh(coach_client, block, athlete, htmx):
    session = f.planned(block, "12x400 @ T+ (200 jog)", date=MON, title="400s")
    response = coach_client.post(reverse("training:session-copy", args=[session.pk]),
                                 {"date": "2026-11-12", "slot": "PM"}, **htmx)
    assert "Copied “400s” to Thu 12 Nov PM." in response.content.decode()
    copy = Session.objects.get(date=dt.date(2026, 11, 12))
    assert (copy.slot, copy.title, copy.notation, copy.rep_count) == (
        "PM", "400s", "12x400 @ T+ (200 jog)", 12)
    assert PlannedTarget.objects.filter(step__session=copy, athlete=athlete).count() == 12
    assert f'id="session-{copy.pk}"' in response.content.decode()
    assert Session.objects.filter(pk=session.pk, date=MON).exists()


def test_copying_onto_a_taken_place_is_refused(coach_client, block, htmx):
    session = f.planned(block, THRESHOLD, date=MON)
    f.planned(block, "90min easy", date=dt.date(2026, 11, 3), title="Long run")
    response = coach_client.post(reverse("training:session-copy", args=[session.pk]),
                                 {"date": "2026-11-03", "slot": "AM"}, **htmx)
    html = response.content.decode()
    assert "Tue 3 Nov AM already has “Long run”." in html and "Swap them" not in html
    assert Session.objects.count() == 2


# --- copying a week -------------------------------------------------------------------------

def test_copying_a_week_keeps_weekdays_and_times_and_reports_collisions(coach_client, block,
                                                                         htmx):
    f.planned(block, THRESHOLD, date=MON, title="Mon threshold")
    f.planned(block, "30min easy", date=dt.date(2026, 11, 4), slot="PM", title="Wed shakeout")
    f.planned(block, "10x400 @ I (200 jog)", date=dt.date(2026, 11, 6), title="Fri reps")
    f.planned(block, "60min easy", date=dt.date(2026, 11, 13), title="Already there")
    response = coach_client.post(reverse("training:block-copy-week", args=[block.pk]),
                                 {"source": "2026-11-02", "target": "2026-11-09"}, **htmx)
    html = response.content.decode()
    assert "Copied 2 sessions to the week of Mon 9 Nov." in html
    assert "Not copied: Fri AM “Fri reps”: Fri 13 Nov AM already has “Already there”." in html
    copies = Session.objects.filter(date__gte=dt.date(2026, 11, 9)).order_by("date", "slot")
    assert [(s.date, s.slot, s.title) for s in copies] == [
        (dt.date(2026, 11, 9), "AM", "Mon threshold"),
        (dt.date(2026, 11, 11), "PM", "Wed shakeout"),
        (dt.date(2026, 11, 13), "AM", "Already there"),
    ]
    assert copies[0].steps.count() == 11


def test_copying_a_week_past_the_end_of_the_block_leaves_those_days_out(coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,), start=MON, days=10)  # ends Wed 11
    f.planned(block, THRESHOLD, date=MON)
    f.planned(block, THRESHOLD, date=dt.date(2026, 11, 6), title="Friday")
    result = planning.copy_week(block, source=MON, target=dt.date(2026, 11, 9))
    assert [s.date for s in result.copied] == [dt.date(2026, 11, 9)]
    assert result.skipped[0][1] == "13 Nov is outside the block"


@pytest.mark.parametrize("data,message", [
    ({"source": "2026-11-02", "target": "2026-11-02"}, "Pick a different week to copy to."),
    ({"source": "2026-11-02", "target": "2026-11-03"}, "Pick a week of this block."),
    ({"source": "2026-11-02", "target": "2027-01-04"}, "Pick a week of this block."),
])
def test_copying_a_week_needs_two_weeks_of_the_block(coach_client, block, htmx, data, message):
    f.planned(block, THRESHOLD, date=MON)
    response = coach_client.post(reverse("training:block-copy-week", args=[block.pk]), data,
                                 **htmx)
    assert message in response.content.decode()
    assert Session.objects.count() == 1


def test_an_empty_week_copies_nothing_and_says_so(coach_client, block, htmx):
    response = coach_client.post(reverse("training:block-copy-week", args=[block.pk]),
                                 {"source": "2026-11-09", "target": "2026-11-16"}, **htmx)
    assert "The week of Mon 9 Nov has no sessions to copy." in response.content.decode()


def test_copying_a_week_without_javascript_redirects_with_the_report(coach_client, block):
    f.planned(block, THRESHOLD, date=MON)
    response = coach_client.post(reverse("training:block-copy-week", args=[block.pk]),
                                 {"source": "2026-11-02", "target": "2026-11-16"}, follow=True)
    assert "Copied 1 session to the week of Mon 16 Nov." in response.content.decode()


def test_the_refreshed_calendar_costs_the_same_queries_as_the_page(
        coach_client, block, htmx, django_assert_max_num_queries):
    session = f.planned(block, THRESHOLD, date=MON)
    for day in range(1, 7):
        f.planned(block, THRESHOLD, date=MON + dt.timedelta(days=day))
    url = reverse("training:session-move", args=[session.pk])
    with django_assert_max_num_queries(16):
        coach_client.post(url, {"date": "2026-11-20", "slot": "PM"}, **htmx)


def test_the_calendar_has_one_move_menu_however_many_sessions(coach_client, block):
    """Each card links to its session's move form (#move) and the page holds one menu that
    plan.js fills for the chosen card: a week of sessions adds no form (issue 16)."""
    url = block.get_absolute_url()
    f.planned(block, THRESHOLD, date=MON)
    one = coach_client.get(url).content.decode()
    for day in range(1, 14):
        f.planned(block, THRESHOLD, date=MON + dt.timedelta(days=day), slot="PM")
    many = coach_client.get(url).content.decode()
    assert many.count('class="session-chip') == 14
    assert many.count("<form") == one.count("<form")
    assert many.count('id="place-dialog"') == 1
    session = block.sessions.get(date=MON)
    assert f'href="{session.get_absolute_url()}#move" data-place-menu' in many
    page = coach_client.get(session.get_absolute_url()).content.decode()
    assert 'id="move"' in page and "Move or copy to another day" in page


def test_an_athlete_sees_no_move_menu(athlete_client, block):
    f.planned(block, THRESHOLD, date=MON)
    html = athlete_client.get(block.get_absolute_url()).content.decode()
    assert 'class="session-chip' in html
    assert "place-dialog" not in html and "data-place-menu" not in html


# --- the workflows themselves ---------------------------------------------------------------

def test_move_session_refuses_a_taken_place_and_swaps_when_asked(block):
    a = f.planned(block, THRESHOLD, date=MON, title="A")
    b = f.planned(block, THRESHOLD, date=MON, slot="PM", title="B")
    with pytest.raises(planning.SlotTaken) as taken:
        planning.move_session(a, date=MON, slot="PM")
    assert taken.value.occupant == b
    assert planning.move_session(a, date=MON, slot="PM", swap=True) == b
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.slot, b.slot) == ("PM", "AM")


def test_move_session_to_where_it_is_changes_nothing(block):
    a = f.planned(block, THRESHOLD, date=MON)
    assert planning.move_session(a, date=MON, slot="AM") is None


def test_workflows_refuse_unknown_times_of_day_and_weeks_not_starting_on_monday(block):
    a = f.planned(block, THRESHOLD, date=MON)
    with pytest.raises(planning.PlanningError):
        planning.move_session(a, date=MON, slot="XX")
    with pytest.raises(planning.PlanningError):
        planning.copy_session(a, date=MON, slot="XX")
    with pytest.raises(planning.PlanningError):
        planning.copy_week(block, source=MON, target=dt.date(2026, 11, 10))
    with pytest.raises(planning.PlanningError):
        planning.copy_week(block, source=MON, target=MON)


def test_without_javascript_a_taken_place_shows_the_block_with_the_swap_button(coach_client,
                                                                               block):
    mover = f.planned(block, THRESHOLD, date=MON, title="Threshold")
    f.planned(block, "50min easy", date=dt.date(2026, 11, 3), title="Easy run")
    response = coach_client.post(reverse("training:session-move", args=[mover.pk]),
                                 {"date": "2026-11-03", "slot": "AM"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "Tue 3 Nov AM already has “Easy run”." in html and "Swap them" in html


# --- the calendar at scale (issue 16) -------------------------------------------------------

def test_the_calendar_costs_the_same_queries_for_a_week_and_three_weeks_of_sessions(
        client, coach, athlete, block, django_assert_max_num_queries):
    """The page and its htmx refresh, for the coach and for an athlete, at two sizes: the
    card grid is drawn from rows read in a fixed number of queries."""
    Absence.objects.create(athlete=athlete, start=MON, end=MON + dt.timedelta(days=2),
                           reason="sick")
    url = block.get_absolute_url()
    f.planned(block, THRESHOLD, date=MON)
    f.planned(block, "50min easy", date=MON, slot="PM")
    few = {}
    for user in (coach, athlete.user):
        client.force_login(user)
        for headers in ({}, {"HX-Request": "true"}):
            with django_assert_max_num_queries(15) as captured:
                assert client.get(url, headers=headers).status_code == 200
            few[user.pk, bool(headers)] = len(captured.captured_queries)
    for day in range(1, 21):
        f.planned(block, THRESHOLD, date=MON + dt.timedelta(days=day))
        f.planned(block, "6x400 @ R (400 jog)", date=MON + dt.timedelta(days=day), slot="PM")
    for user in (coach, athlete.user):
        client.force_login(user)
        for headers in ({}, {"HX-Request": "true"}):
            with django_assert_max_num_queries(few[user.pk, bool(headers)]):
                html = client.get(url, headers=headers).content.decode()
            assert html.count('class="session-chip') == 42
            assert html.count('aria-label="Unavailable"') == 6


def test_the_calendar_escapes_what_people_typed(coach_client, athlete, block):
    """The card grid is a Jinja2 fragment (autoescape on): a hostile session title or name
    is text, in the card, its data attribute and its menu's label."""
    hostile = '<script>alert("x")</script> & \'quoted\''
    athlete.display_name = f"<b>{hostile}"
    athlete.save(update_fields=["display_name"])
    Absence.objects.create(athlete=athlete, start=MON, end=MON, reason="sick")
    f.planned(block, THRESHOLD, date=MON, title=hostile)
    html = coach_client.get(block.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<b><script>" not in html
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39;"
    assert f'data-title="{escaped}"' in html
    assert f'aria-label="Move or copy {escaped}"' in html
    assert f"&lt;b&gt;{escaped}: sick</li>" in html


def test_the_calendar_reads_fewer_steps_and_shows_what_all_of_them_say(coach, athlete, second,
                                                                      block):
    """The calendar's steps query leaves out recoveries over a distance (a card reads none);
    the key targets and the running by time are those of every step, for the coach (squad's
    steps, own versions named) and for an athlete following their own version."""
    from sessions import block_calendar, versions
    from sessions.models import PlannedStep
    from sessions.volumes import timed_seconds

    block.athletes.add(second)
    plans = ["6x400 @ T+ (200 jog)", "3x(4x300 @ I (100 jog)) [3min]", "5x6min @ T (2min)",
             "50min easy", "10x200 @ R (200 walk)"]
    sessions = [f.planned(block, text, date=MON + dt.timedelta(days=day))
                for day, text in enumerate(plans)]
    versions.save_versions(sessions[0], {athlete.pk: "4x1k @ T (400 jog)"})
    planning.plan_session(sessions[0])
    for viewer, steps in (
            (None, PlannedStep.objects.filter(session__block=block).squad()),
            (athlete, PlannedStep.objects.filter(session__block=block).followed_by(athlete))):
        steps = list(steps.order_by("session", "position"))
        assert any(s.kind == "recovery" and s.distance_m for s in steps)
        targets = block_calendar.key_targets(steps)
        calendar = block_calendar.build_calendar(
            block, viewer, coached=list(block.coached_athletes()) if viewer is None else None)
        shown = [s for week in calendar.weeks for day in week.days for _, s in day.slots if s]
        assert len(shown) == len(plans)
        for s in shown:
            assert s.key_targets == targets.get(s.pk, [])
            assert s.timed_s == timed_seconds(x for x in steps if x.session_id == s.pk)
        first = next(s for s in shown if s.pk == sessions[0].pk)
        if viewer is None:
            assert first.own_versions == [athlete.display_name]
            assert first.key_targets == ["6x400 @ T+"]
        else:
            assert first.my_version and first.key_targets == ["4x1k @ T"]


def test_the_days_escape_texts_as_markupsafe_does():
    """``block_calendar.text_escape`` writes what ``markupsafe.escape`` writes, on random texts
    of the characters HTML cares about, other text, numbers, a choice and markup already."""
    rng = random.Random(16)
    alphabet = "&<>'\"ab; é✓\n"
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
              for _ in range(2000)]
    values += [12, 3.5, Slot.AM, Slot.PM, Markup("<b>kept</b> &amp;"), "&amp;", ""]
    for value in values:
        assert text_escape(value) == str(escape(value)), value
