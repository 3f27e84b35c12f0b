"""Coach planning, blocks: the list, creating, editing and archiving a block, the calendar."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from coach.templatetags.coach_tags import clock
from sessions import block_views
from sessions.models import AthleteGoal, Block, PlannedTarget
from sessions.planning import plan_session
from tests import factories as f

MILE = 1609.344


def block_data(**overrides):
    data = {
        "title": "Winter base", "start_date": "2026-12-07", "end_date": "2027-01-03",
        "place": "Flagstaff, Arizona", "altitude_m": "2100", "time_zone": "America/Phoenix",
        "goal_race_name": "Millrose Mile", "goal_race_date": "2027-02-07",
        "goal_distance": "mile", "notes": "",
    }
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------

def test_the_coach_home_lists_current_blocks_first_and_archived_apart(coach_client, coach,
                                                                      other_coach):
    f.make_block(coach=coach, title="Old block", start=dt.date(2025, 1, 5), archived=True)
    f.make_block(coach=coach, title="Autumn block", start=dt.date(2026, 9, 7))
    f.make_block(coach=coach, title="Winter block", start=dt.date(2026, 12, 7))
    f.make_block(coach=other_coach, title="Someone else's")
    html = coach_client.get(reverse("training:coach-home")).content.decode()
    assert html.index("Winter block") < html.index("Autumn block") < html.index("Old block")
    assert html.index("Archived blocks") < html.index("Old block")
    assert "Someone else" not in html
    assert reverse("training:block-new") in html


def test_planning_pages_send_anonymous_visitors_to_log_in(client, db):
    for url in (reverse("training:coach-home"), reverse("training:block-new"),
                reverse("training:templates")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_athlete_has_no_planning_pages(athlete_client):
    assert athlete_client.get(reverse("training:coach-home")).status_code == 404
    assert athlete_client.get(reverse("training:block-new")).status_code == 404
    assert athlete_client.post(reverse("training:block-new"), block_data()).status_code == 404
    assert not Block.objects.exists()


# --- creating -------------------------------------------------------------------------------

def test_a_coach_creates_a_block_with_a_goal_race_and_athletes(coach_client, coach, athlete,
                                                               second):
    data = block_data(athletes=[athlete.pk, second.pk], **{f"goal_{athlete.pk}": "3:55.0",
                                                           f"goal_{second.pk}": " 4:02 "})
    response = coach_client.post(reverse("training:block-new"), data)
    block = Block.objects.get()
    assert response.status_code == 302
    assert response["Location"] == block.get_absolute_url()
    assert block.coach == coach
    assert (block.title, block.place, block.altitude_m) == ("Winter base", "Flagstaff, Arizona",
                                                            2100)
    assert block.start_date == dt.date(2026, 12, 7) and block.end_date == dt.date(2027, 1, 3)
    assert block.time_zone == "America/Phoenix"
    assert block.goal_distance_m == pytest.approx(MILE)
    assert block.goal_race_key == "mile"
    assert block.goal_times() == {athlete.pk: pytest.approx(235.0), second.pk: 242.0}
    assert block.goal_race_date == dt.date(2027, 2, 7)
    assert set(block.athletes.all()) == {athlete, second}


@pytest.mark.parametrize("typed,metres", [("1500", 1500), ("5k", 5000), ("3000", 3000),
                                          ("10K", 10000), ("2mi", 2 * MILE), ("HM", 21097.5)])
def test_the_goal_distance_reads_race_keys_and_metres(coach_client, typed, metres):
    coach_client.post(reverse("training:block-new"),
                      block_data(goal_distance=typed))
    assert Block.objects.get().goal_distance_m == pytest.approx(metres)


def test_the_block_form_offers_only_the_coachs_active_athletes(coach_client, coach, athlete,
                                                               other_athlete):
    gone = f.make_athlete(name="Gone Away", coach=coach)
    gone.user.is_active = False
    gone.user.save()
    html = coach_client.get(reverse("training:block-new")).content.decode()
    assert "Ada Miler" in html
    assert "Bea Other" not in html and "Gone Away" not in html


def test_nobody_can_post_another_coachs_athlete_into_a_block(coach_client, other_athlete):
    response = coach_client.post(reverse("training:block-new"),
                                 block_data(athletes=[other_athlete.pk]))
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Block.objects.exists()


@pytest.mark.parametrize("changes,field,message", [
    ({"end_date": "2026-12-01"}, "end_date", "The last day must be on or after the first day."),
    ({"end_date": "2028-01-01"}, "end_date", "A block can be at most a year long."),
    ({"goal_distance": "far"}, "goal_distance", "is not a distance"),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice"),
    ({"altitude_m": "7000"}, "altitude_m", "Give an altitude up to 6000 m"),
    ({"title": ""}, "title", "This field is required"),
])
def test_bad_block_input_is_explained_next_to_its_field_and_nothing_typed_is_lost(
        coach_client, changes, field, message):
    data = block_data(**changes)
    response = coach_client.post(reverse("training:block-new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Block.objects.exists()
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    # the error sits inside its field's wrapper, and what was typed is still there
    wrapper = html[html.index(f'id="field-{field}"'):]
    wrapper = wrapper[:wrapper.index("</div>", wrapper.index('class="error"'))]
    assert message.split('"')[0][:20] in wrapper.replace("&quot;", '"').replace("&#x27;", "'")
    assert 'value="Flagstaff, Arizona"' in html


# --- each athlete's goal time -----------------------------------------------------------------

@pytest.mark.parametrize("changes,who,message", [
    ({"goal": "3:5x"}, "athlete", "is not a time"),
    ({"goal": "1:30"}, "athlete", "faster than any human"),
    ({"goal": "45:00"}, "athlete", "slower than walking"),
    ({"goal": "3:55", "goal_distance": ""}, "goal_distance", "Give the goal race distance"),
    ({"goal": "3:55", "unticked": True}, "athlete", "Tick Ada Miler to give them a goal time"),
])
def test_a_bad_goal_time_is_explained_beside_the_athletes_name_and_kept(
        coach_client, athlete, second, changes, who, message):
    name = f"goal_{athlete.pk}"
    data = block_data(athletes=[second.pk] if changes.get("unticked") else [athlete.pk],
                      **{name: changes["goal"]})
    if "goal_distance" in changes:
        data["goal_distance"] = changes["goal_distance"]
    response = coach_client.post(reverse("training:block-new"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Block.objects.exists()
    field = name if who == "athlete" else who
    assert any(message in e for e in response.context["form"].errors[field])
    wrapper = html[html.index(f'id="field-{field}"'):]
    wrapper = wrapper[:wrapper.index("</p>", wrapper.index('class="error"'))]
    assert message[:20] in wrapper
    assert f'value="{changes["goal"]}"' in html  # nothing typed is lost


def test_the_block_form_has_a_goal_time_beside_each_athlete(coach_client, athlete, second):
    html = coach_client.get(reverse("training:block-new")).content.decode()
    for person in (athlete, second):
        row = html[html.index(f'id="field-goal_{person.pk}"'):]
        row = row[:row.index("</li>")]
        assert f'value="{person.pk}"' in row and person.display_name in row
        assert f'name="goal_{person.pk}"' in row


def test_the_edit_form_shows_each_goal_as_typed_and_saves_changes(coach_client, coach, athlete,
                                                                  second):
    block = f.make_block(coach=coach, athletes=(athlete, second), goal_distance_m=MILE,
                         goals={athlete: 235.0, second: 242.0})
    url = reverse("training:block-edit", args=[block.pk])
    form = coach_client.get(url).context["form"]
    html = coach_client.get(url).content.decode()
    assert 'value="mile"' in html and 'value="3:55"' in html and 'value="4:02"' in html
    assert form[f"goal_{athlete.pk}"].value() == "3:55"
    data = block_data(start_date="2026-11-02", end_date="2026-11-29",
                      athletes=[athlete.pk, second.pk],
                      **{f"goal_{athlete.pk}": "3:53.5", f"goal_{second.pk}": ""})
    assert coach_client.post(url, data).status_code == 302
    assert block.goal_times() == {athlete.pk: 233.5}


def test_unticking_an_athlete_keeps_their_goal_for_when_they_come_back(coach_client, coach,
                                                                      athlete, second):
    block = f.make_block(coach=coach, athletes=(athlete, second), goal_distance_m=MILE,
                         goals={athlete: 235.0, second: 242.0})
    data = block_data(start_date="2026-11-02", end_date="2026-11-29", athletes=[athlete.pk],
                      **{f"goal_{athlete.pk}": "3:55", f"goal_{second.pk}": "4:02"})
    response = coach_client.post(reverse("training:block-edit", args=[block.pk]), data)
    assert response.status_code == 302
    assert list(block.athletes.all()) == [athlete]
    assert AthleteGoal.objects.get(block=block, athlete=second).time_s == 242.0


def test_changing_a_goal_in_the_block_form_re_plans_upcoming_sessions(coach_client, coach,
                                                                     athlete, second):
    today = dt.datetime.now(dt.UTC).date()
    block = f.make_block(coach=coach, athletes=(athlete, second), start=today,
                         goal_distance_m=MILE, goals={athlete: 235.0})
    session = f.make_session(block=block, notation="4x200 @ goal (200 jog)")
    plan_session(session)

    def target_of(person):
        return PlannedTarget.objects.filter(step__session=session, athlete=person).order_by(
            "step__position").first().target_lo_s

    before = target_of(second)  # no goal: the mile from his VDOT (a 3:56 mile)
    assert target_of(athlete) == pytest.approx(235 / MILE * 200)
    data = block_data(start_date=today.isoformat(),
                      end_date=(today + dt.timedelta(days=27)).isoformat(),
                      athletes=[athlete.pk, second.pk], altitude_m="0", time_zone="UTC",
                      **{f"goal_{athlete.pk}": "3:55", f"goal_{second.pk}": "4:02"})
    response = coach_client.post(reverse("training:block-edit", args=[block.pk]), data,
                                 follow=True)
    assert "Targets re-planned for 1 upcoming session." in response.content.decode()
    assert target_of(second) == pytest.approx(242 / MILE * 200) != before
    assert target_of(athlete) == pytest.approx(235 / MILE * 200)


# --- editing and archiving ------------------------------------------------------------------


def test_editing_a_block_saves_it(coach_client, coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,))
    data = block_data(title="Renamed", start_date="2026-11-02", end_date="2026-11-29",
                      athletes=[athlete.pk])
    response = coach_client.post(reverse("training:block-edit", args=[block.pk]), data)
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.title == "Renamed" and block.altitude_m == 2100


def test_a_block_cannot_shrink_away_from_its_sessions(coach_client, coach):
    block = f.make_block(coach=coach, start=dt.date(2026, 11, 2))
    f.make_session(block=block, date=dt.date(2026, 11, 20), title="Late session")
    data = block_data(start_date="2026-11-02", end_date="2026-11-15")
    response = coach_client.post(reverse("training:block-edit", args=[block.pk]), data)
    assert response.status_code == 200
    assert "Late session" in response.context["form"].errors["end_date"][0]
    block.refresh_from_db()
    assert block.end_date == dt.date(2026, 11, 29)


def test_adding_an_athlete_plans_their_targets_for_upcoming_sessions(coach_client, coach,
                                                                      athlete, second):
    today = dt.date.today()
    block = f.make_block(coach=coach, athletes=(athlete,), start=today - dt.timedelta(days=7),
                         time_zone="UTC")
    past = f.make_session(block=block, date=today - dt.timedelta(days=2), notation="6x1k @ T 60s")
    coming = f.make_session(block=block, date=today + dt.timedelta(days=2),
                            notation="6x1k @ T 60s")
    plan_session(past)
    plan_session(coming)
    data = block_data(start_date=block.start_date.isoformat(),
                      end_date=block.end_date.isoformat(), time_zone="UTC",
                      athletes=[athlete.pk, second.pk])
    response = coach_client.post(reverse("training:block-edit", args=[block.pk]), data,
                                 follow=True)
    assert "Targets re-planned for 1 upcoming session." in response.content.decode()
    assert PlannedTarget.objects.filter(step__session=coming, athlete=second).count() == 6
    assert not PlannedTarget.objects.filter(step__session=past, athlete=second).exists()


def test_editing_keeps_athletes_the_form_cannot_offer(coach_client, coach, athlete):
    gone = f.make_athlete(name="Gone Away", coach=coach)
    block = f.make_block(coach=coach, athletes=(athlete, gone))
    gone.user.is_active = False
    gone.user.save()
    data = block_data(start_date="2026-11-02", end_date="2026-11-29", athletes=[])
    coach_client.post(reverse("training:block-edit", args=[block.pk]), data)
    assert list(block.athletes.all()) == [gone]


def test_another_coachs_block_is_not_found(coach_client, other_coach):
    block = f.make_block(coach=other_coach)
    for name in ("training:block", "training:block-edit", "training:session-new"):
        assert coach_client.get(reverse(name, args=[block.pk])).status_code == 404
    for name in ("training:block-edit", "training:block-archive", "training:block-copy-week",
                 "training:session-preview", "training:session-new"):
        assert coach_client.post(reverse(name, args=[block.pk]), {}).status_code == 404
    block.refresh_from_db()
    assert not block.archived


def test_archiving_moves_a_block_to_the_archive_and_restoring_brings_it_back(coach_client,
                                                                            coach):
    block = f.make_block(coach=coach, title="Summer block")
    url = reverse("training:block-archive", args=[block.pk])
    assert coach_client.get(url).status_code == 405
    response = coach_client.post(url)
    assert response["Location"] == reverse("training:coach-home")
    block.refresh_from_db()
    assert block.archived
    coach_client.post(url, {"archived": "0"})
    block.refresh_from_db()
    assert not block.archived


# --- the calendar ---------------------------------------------------------------------------

@pytest.fixture
def planned_block(coach, athlete, second):
    block = f.make_block(coach=coach, athletes=(athlete, second), altitude_m=2100,
                         start=dt.date(2026, 11, 4), days=19, place="Flagstaff")
    for date, slot, text in [
        (dt.date(2026, 11, 4), "AM", "50min easy"),
        (dt.date(2026, 11, 5), "AM", "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); "
                                     "2mi CD"),
        (dt.date(2026, 11, 5), "PM", "5x6min @ 2.5 mmol (1min)"),
        (dt.date(2026, 11, 10), "AM", "6x1k @ T 60s"),
    ]:
        f.planned(block, text, date=date, slot=slot, title=text[:30])
    return block


def test_the_calendar_has_a_row_per_week_and_an_am_and_pm_place_per_day(coach_client,
                                                                         planned_block):
    response = coach_client.get(reverse("training:block", args=[planned_block.pk]))
    calendar = response.context["calendar"]
    assert [w.monday for w in calendar.weeks] == [dt.date(2026, 11, 2), dt.date(2026, 11, 9),
                                                  dt.date(2026, 11, 16)]
    thursday = calendar.weeks[0].days[3]
    assert thursday.date == dt.date(2026, 11, 5)
    assert [(slot, s.slot if s else None) for slot, s in thursday.slots] == [("AM", "AM"),
                                                                            ("PM", "PM")]
    assert not calendar.weeks[0].days[0].in_block  # Monday 2 Nov is before the block starts


def test_each_session_shows_its_volume_and_key_targets(coach_client, planned_block):
    html = coach_client.get(reverse("training:block", args=[planned_block.pk])).content.decode()
    assert "12x400 @ T+" in html and "10x200 @ mile pace" in html
    assert "5x6min @ 2.5 mmol" in html
    assert "17.4 km" in html and "work 6.8 km" in html  # the 12x400 & 10x200 session
    assert "50 min" in html  # the easy run, written by time
    assert "work 30 min" in html  # the timed threshold reps


def test_week_and_block_totals_add_up(coach_client, planned_block):
    calendar = coach_client.get(reverse("training:block", args=[planned_block.pk])).context[
        "calendar"]
    first, second_week = calendar.weeks[0].totals, calendar.weeks[1].totals
    assert first.work_m == pytest.approx(6800)
    assert first.quality == 2 and first.sessions == 3
    assert first.timed_s == pytest.approx(50 * 60 + 30 * 60 + 4 * 60)
    assert second_week.work_m == pytest.approx(6000) and second_week.quality == 1
    assert calendar.totals.work_m == pytest.approx(12800)
    assert calendar.totals.quality == 3 and calendar.totals.sessions == 4
    assert calendar.totals.total_m == pytest.approx(first.total_m + second_week.total_m)


def test_an_altitude_block_says_so(coach_client, planned_block):
    html = coach_client.get(reverse("training:block", args=[planned_block.pk])).content.decode()
    assert "Altitude block · 2100 m" in html


def test_an_athlete_of_the_block_sees_the_calendar_without_planning_controls(
        athlete_client, planned_block):
    html = athlete_client.get(reverse("training:block", args=[planned_block.pk])).content.decode()
    assert "12x400 @ T+" in html
    assert "Add session" not in html and "Move or copy" not in html and "Copy week" not in html


def test_the_calendar_costs_the_same_queries_however_many_sessions_and_athletes(
        coach_client, coach, athlete, django_assert_max_num_queries):
    small = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2))
    plan_session(f.make_session(block=small, notation="6x1k @ T 60s"))
    big = f.make_block(coach=coach, start=dt.date(2026, 11, 2), days=84)
    big.athletes.set([athlete] + [f.make_athlete(coach=coach, race=(5000, 900 + i))
                                  for i in range(5)])
    for day in range(0, 84, 2):
        plan_session(f.make_session(block=big, date=big.start_date + dt.timedelta(days=day),
                                    notation="2mi WU; 12x400 @ T+ (200 jog); 2mi CD"))
    # 8: the calendar marks who is out (availability: one query for the days out)
    with django_assert_max_num_queries(8) as small_queries:
        coach_client.get(reverse("training:block", args=[small.pk]))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        response = coach_client.get(reverse("training:block", args=[big.pk]))
    assert response.context["calendar"].totals.sessions == 42


def test_the_coach_home_costs_the_same_queries_however_many_blocks(
        coach_client, coach, athlete, django_assert_max_num_queries):
    f.make_block(coach=coach, athletes=(athlete,))
    # 13: the athlete table (three), the blocks and their memberships (two: the memberships
    # also say whose missing logs count), the sessions of the last two weeks (one: the
    # missing logs' and today's at the track), who is out (one), the logs among those
    # sessions (one), unread comments (one), the latest logs (one), whether the coach trains
    # too (one), and the request's session and user (two)
    with django_assert_max_num_queries(13) as few:
        coach_client.get(reverse("training:coach-home"))
    for i in range(6):
        f.make_block(coach=coach, athletes=(athlete,), title=f"Block {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        coach_client.get(reverse("training:coach-home"))


def test_a_block_contains_its_first_and_last_day_and_nothing_else(block):
    day = dt.timedelta(days=1)
    assert block.contains(block.start_date) and block.contains(block.end_date)
    assert not block.contains(block.start_date - day)
    assert not block.contains(block.end_date + day)
    assert (block.outside_text(block.end_date + day)
            == "Mon 30 Nov is outside the block (2 Nov – 29 Nov).")


def test_the_athletes_line_is_what_format_html_wrote():
    """The block page's athletes line, written with ``html.escape``, against the
    ``format_html`` it replaced: names and addresses that need escaping, with and without a
    link and a goal time, and a name that is markup already."""
    names = ["Ana <Aa>", "Ben & \"Bb\"", "Cy O'Cc", "plain", mark_safe("<b>safe</b>")]
    athletes = []
    for i, name in enumerate(names):
        athlete = SimpleNamespace(display_name=name, can_open=i % 2 == 0,
                                  profile_url=f"/athletes/{i}/?a=1&b='{i}'",
                                  goal_time_s=[None, 245.3, 0, 3725.0, 61.25][i])
        athletes.append(athlete)
    goal = ' <span class="athlete-goal-time">(goal <span class="num">{}</span>)</span>'
    expected = format_html_join(", ", "{}{}", (
        (format_html('<a href="{}">{}</a>', a.profile_url, a.display_name) if a.can_open
         else a.display_name,
         format_html(goal, clock(a.goal_time_s)) if a.goal_time_s else "")
        for a in athletes))
    assert block_views._athletes_line(athletes) == expected
    assert block_views._athletes_line([]) == format_html_join(", ", "{}{}", [])
