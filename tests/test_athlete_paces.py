"""The athlete profile: race results (VDOT) and the coach's pace overrides, managed in the app,
and the re-planning of upcoming sessions they cause. (Who may open what: test_access_matrix.py.)
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from athletes.models import PaceOverride, RaceResult
from coach import formats, pace
from sessions import athlete_changes
from sessions.models import PlannedTarget
from sessions.planning import plan_session
from tests import factories as f


def today() -> dt.date:
    """Today in UTC, the test blocks' time zone: asked when a test runs, not when the module is
    imported (a run that crosses midnight would put "past" and "upcoming" a day off)."""
    return dt.datetime.now(dt.UTC).date()


def detail(athlete) -> str:
    return reverse("athletes:detail", args=[athlete.pk])


def race_add(athlete) -> str:
    return reverse("athletes:race-add", args=[athlete.pk])


def race_delete(result) -> str:
    return reverse("athletes:race-delete", args=[result.athlete_id, result.pk])


def pace_set(athlete) -> str:
    return reverse("athletes:pace-set", args=[athlete.pk])


def pace_clear(athlete) -> str:
    return reverse("athletes:pace-clear", args=[athlete.pk])


def race(distance="5k", time="13:32.4", date="2026-06-10", name="Payton Jordan", other=""):
    return {"race-distance": distance, "race-other_distance": other, "race-time": time,
            "race-date": date, "race-race_name": name}


def override(zone="T", text="67.5"):
    return {"pace-zone": zone, "pace-pace": text}


def vdot_of(athlete) -> float:
    return athlete.vdot_source()[0]


def text(html: str) -> str:
    """The page's words without the tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",")


def errors(html: str, field: str) -> str:
    """The error text next to one field (inside its ``field-<name>`` wrapper)."""
    match = re.search(rf'id="field-{re.escape(field)}".*?</div>', html, re.S)
    assert match, f"no field {field}"
    return " ".join(re.findall(r'class="error"[^>]*>([^<]+)<', match.group(0)))


@pytest.fixture
def squad_coach(athlete):
    """A coach who has the athlete through a squad, not directly."""
    coach = f.make_coach(username="squadcoach")
    athlete.squad = f.make_squad(name="Milers", coaches=(coach,))
    athlete.save()
    return coach


# --- race results ------------------------------------------------------------------------------

def test_a_coach_adds_a_race_result_typed_like_a_coach(coach_client, athlete):
    response = coach_client.post(race_add(athlete), race("mile", "3:56.8", name="Night of PBs"))
    assert response.status_code == 302 and response["Location"] == detail(athlete)
    result = athlete.race_results.get(race_name="Night of PBs")
    assert result.distance_m == pytest.approx(formats.MILE)
    assert result.time_s == pytest.approx(236.8)
    assert result.date == dt.date(2026, 6, 10)
    page = coach_client.get(detail(athlete)).content.decode()
    assert "Added Mile 3:56.8 (Night of PBs)." in page
    assert "3:56.8" in page


def test_a_typed_distance_is_read_in_metres_or_with_a_unit(coach_client, athlete):
    coach_client.post(race_add(athlete), race("other", "9:05.2", other="3200", name="a"))
    coach_client.post(race_add(athlete), race("other", "8:59.0", other="2mi", name="b"))
    coach_client.post(race_add(athlete), race("other", "28:40", other="10,000", name="c"))
    assert athlete.race_results.get(race_name="a").distance_m == 3200
    assert athlete.race_results.get(race_name="b").distance_m == pytest.approx(2 * formats.MILE)
    assert athlete.race_results.get(race_name="c").distance_m == 10000


def test_adding_a_faster_race_raises_the_vdot(coach_client, athlete):
    before = vdot_of(athlete)  # 5000 m in 12:48: 83.6
    coach_client.post(race_add(athlete), race("5k", "12:40.3", name="Faster"))
    athlete.refresh_from_db()
    after, source = athlete.vdot_source()
    assert after > before + 0.9 and source.race_name == "Faster"
    page = coach_client.get(detail(athlete)).content.decode()
    assert f"VDOT {after:.1f} (was {before:.1f})." in page
    assert re.search(rf'id="vdot-value">{after:.1f}<', page)
    assert "from the 5000 m in 12:40.3, Faster" in text(page)


@pytest.mark.parametrize(("distance", "time", "shown", "extrapolated"), [
    ("5k", "12:37", "85.0", False),
    ("10k", "26:19", "85.0", False),
    ("marathon", "2:01:10", "85.1", True),
])
def test_results_at_the_top_of_the_sport_give_a_vdot_flagged_when_extrapolated(
        coach_client, athlete, distance, time, shown, extrapolated):
    athlete.race_results.all().delete()
    response = coach_client.post(race_add(athlete), race(distance, time, name="Record try"),
                                 follow=True)
    page = response.content.decode()
    assert athlete.race_results.get().race_name == "Record try"
    assert re.search(rf'id="vdot-value">{shown}<', page)
    assert ("extrapolated" in text(page)) is extrapolated
    flag = " (extrapolated)" if extrapolated else ""
    assert f"VDOT {shown}{flag}." in text(page)
    row = re.search(r'<td class="race-vdot">.*?</td>', page, re.S).group(0)
    assert f">{shown}<" in row and ("(extrapolated)" in row) is extrapolated
    assert "pill ok" in row  # the VDOT in use, not refused


def test_adding_a_race_with_htmx_answers_with_the_paces_and_results(coach_client, athlete,
                                                                    htmx):
    response = coach_client.post(race_add(athlete), race("5k", "12:40.0"), **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="athlete-paces"')
    assert 'id="paces"' in html and 'id="race-results"' in html
    assert "12:40" in html
    assert 'class="notice ok"' in html and "(was 83.6)" in html
    assert athlete.race_results.count() == 2


def test_an_800_counts_as_a_race_pace_only(coach_client, athlete, htmx):
    before = vdot_of(athlete)
    html = coach_client.post(race_add(athlete), race("800", "1:48.2"), **htmx).content.decode()
    assert "800 m is too short for a VDOT: it counts as a race pace only (54.1 per 400 m)." in html
    assert "race pace only" in html[html.index('id="race-results"'):]
    assert athlete.race_results.filter(distance_m=800).exists()
    assert vdot_of(athlete) == pytest.approx(before)


@pytest.mark.parametrize(("data", "field", "message"), [
    (race(time="6o.2"), "race-time", '"6o.2" is not a time'),
    (race(time="13.32"), "race-time", "faster than anyone has run"),
    (race(time="5:00:00"), "race-time", "slower than walking"),
    (race("other", other="5 parsecs"), "race-other_distance", '"5 parsecs" is not a distance'),
    (race("other", other=""), "race-other_distance", "Type the distance"),
    (race("5k", other="3200"), "race-other_distance", "Choose “Other distance…”"),
    (race("10 miles"), "race-distance", "Select a valid choice"),
    (race(date="2999-01-01"), "race-date", "cannot be in the future"),
    (race(date="yesterday"), "race-date", "Enter a valid date"),
])
def test_bad_race_input_says_why_next_to_the_field(coach_client, athlete, htmx, data, field,
                                                   message):
    response = coach_client.post(race_add(athlete), data, **htmx)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<form class="race-form" id="race-form"')  # just the form
    assert response["HX-Retarget"] == "#race-form" and response["HX-Reswap"] == "outerHTML"
    assert message in errors(html, field).replace("&quot;", '"')
    assert athlete.race_results.count() == 1


def test_nothing_typed_is_lost_when_a_race_is_refused(coach_client, athlete):
    response = coach_client.post(race_add(athlete), race("other", "6o.2", other="3200",
                                                         name="Indoor champs"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html  # without JS: the whole page
    assert 'value="6o.2"' in html and 'value="3200"' in html
    assert 'value="Indoor champs"' in html and 'value="2026-06-10"' in html
    assert re.search(r'<option value="other" selected>', html)


def test_a_coach_deletes_a_race_result_and_the_vdot_follows(coach_client, athlete, htmx):
    slower = f.make_race(athlete, distance_m=10000, time_s=1700, race_name="Ten")
    best = athlete.race_results.get(distance_m=5000)
    html = coach_client.post(race_delete(best), **htmx).content.decode()
    assert not RaceResult.objects.filter(pk=best.pk).exists()
    assert RaceResult.objects.filter(pk=slower.pk).exists()
    assert "Deleted 5000 m 12:48 (Test race)." in html and "(was 83.6)" in html
    assert "from the 10,000 m in 28:20, Ten" in text(html)


def test_deleting_the_last_result_leaves_no_vdot(coach_client, athlete):
    response = coach_client.post(race_delete(athlete.race_results.get()), follow=True)
    html = response.content.decode()
    assert "No VDOT now" in html and "No race results yet." in html


def test_the_athlete_adds_and_deletes_their_own_results(athlete_client, athlete, htmx):
    response = athlete_client.post(race_add(athlete), race("10k", "27:59.9", name="Mine"), **htmx)
    assert response.status_code == 200
    mine = athlete.race_results.get(race_name="Mine")
    assert athlete_client.post(race_delete(mine), **htmx).status_code == 200
    assert not RaceResult.objects.filter(pk=mine.pk).exists()


def test_the_athletes_page_has_race_forms_but_no_pace_form(athlete_client, athlete):
    html = athlete_client.get(detail(athlete)).content.decode()
    assert reverse("athletes:race-add", args=[athlete.pk]) in html
    assert pace_set(athlete) not in html and "Set a zone’s pace" not in html


def test_a_result_of_another_athlete_is_not_found(coach_client, athlete, other_athlete):
    theirs = other_athlete.race_results.get()
    url = reverse("athletes:race-delete", args=[athlete.pk, theirs.pk])
    assert coach_client.post(url).status_code == 404
    assert RaceResult.objects.filter(pk=theirs.pk).exists()


# --- pace overrides ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "fast", "slow"), [
    ("67.5", 168.75, 168.75),  # seconds per 400 m
    ("1:07.5", 168.75, 168.75),
    ("2:48/km", 168.0, 168.0),
    ("2:48 per km", 168.0, 168.0),
    ("4:30/mi", 270 * 1000 / formats.MILE, 270 * 1000 / formats.MILE),
    ("66-68", 165.0, 170.0),  # a band, per 400 m
    ("66 – 68/400", 165.0, 170.0),
    ("2:45-2:50/km", 165.0, 170.0),
])
def test_a_coach_sets_a_zones_pace_per_400_km_or_mile(coach_client, athlete, text, fast, slow):
    response = coach_client.post(pace_set(athlete), override("T", text))
    assert response.status_code == 302
    saved = PaceOverride.objects.get(athlete=athlete, zone="T")
    assert (saved.fast_s_per_km, saved.slow_s_per_km) == (pytest.approx(fast), pytest.approx(slow))


def test_the_paces_table_marks_an_override_and_shows_the_vdot_pace_beside_it(coach_client,
                                                                           athlete, htmx):
    html = coach_client.post(pace_set(athlete), override("T+", "60.0-63.0"), **htmx)
    html = html.content.decode()
    assert "<html" not in html and "T+ set to 60.0–63.0 per 400 m (2:30–2:38/km)." in html
    row = re.search(r'<tr id="pace-t-plus".*?</tr>', html, re.S).group(0)
    assert "set by coach" in row and "60.0–63.0" in row
    assert "VDOT 61.4–64.0" in row  # T+ from the 12:48 VDOT: 10k to 5k race pace
    plain = re.search(r'<tr id="pace-t".*?</tr>', html, re.S).group(0)
    assert "set by coach" not in plain and "VDOT 67.3" not in plain and "67.3" in plain
    assert athlete.pace_profile().sea_level("T+") == (pytest.approx(150.0), pytest.approx(157.5))


def test_setting_a_zone_again_replaces_its_pace(coach_client, athlete):
    coach_client.post(pace_set(athlete), override("I", "62.5"))
    coach_client.post(pace_set(athlete), override("I", "61.0"))
    assert PaceOverride.objects.get(athlete=athlete, zone="I").fast_s_per_km == 152.5


def test_clearing_a_zone_restores_the_vdot_pace(coach_client, athlete, htmx):
    athlete.pace_overrides.create(zone="T", fast_s_per_km=160, slow_s_per_km=160)
    html = coach_client.post(pace_clear(athlete), {"zone": "T"}, **htmx).content.decode()
    assert not athlete.pace_overrides.exists()
    assert "T is back to the VDOT pace." in html and "set by coach" not in html
    row = re.search(r'<tr id="pace-t".*?</tr>', html, re.S).group(0)
    assert "67.3" in row


def test_clearing_a_zone_without_an_override_changes_nothing(coach_client, athlete):
    response = coach_client.post(pace_clear(athlete), {"zone": "R"}, follow=True)
    assert "R already uses the VDOT pace." in response.content.decode()


def test_clearing_an_unknown_zone_says_so(coach_client, athlete, htmx):
    html = coach_client.post(pace_clear(athlete), {"zone": "Z"}, **htmx).content.decode()
    assert "Choose a zone: E, M, T, T+, I or R." in html


@pytest.mark.parametrize(("text", "message"), [
    ("6o.2", '"6o.2" is not a time'),
    ("64.0-61.4", "The slow end (61.4) is faster than the fast end (64.0): write the faster "
                  "pace first, e.g. 61.4-64.0."),
    ("2:48", "far slower than T from the VDOT (2:48/km). For a pace per km, write 2:48/km."),
    ("1:40/km", "far faster than T from the VDOT"),
    ("20", "is not a running pace"),  # 20 s per 400 m: 20 m/s
    ("60-62-64", "is not a pace or a band"),
    ("2:45/km-4:30/mi", "same unit"),
    ("2:45/km-66", "write the faster pace first"),
    ("", "This field is required."),
])
def test_bad_pace_input_says_why_next_to_the_field(coach_client, athlete, htmx, text, message):
    response = coach_client.post(pace_set(athlete), override("T", text), **htmx)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<form class="pace-form" id="pace-form"')
    assert response["HX-Retarget"] == "#pace-form"
    assert message in errors(html, "pace-pace").replace("&quot;", '"')
    assert f'value="{text}"' in html or not text
    assert not athlete.pace_overrides.exists()


def test_without_a_vdot_any_running_pace_is_accepted(coach_client, athlete):
    athlete.race_results.all().delete()
    coach_client.post(pace_set(athlete), override("E", "1:45-2:00"))
    saved = athlete.pace_overrides.get()
    assert (saved.fast_s_per_km, saved.slow_s_per_km) == (262.5, 300.0)
    html = coach_client.get(detail(athlete)).content.decode()
    assert "only the coach’s paces are known" in html and "needs a VDOT" in html
    row = re.search(r'<tr id="pace-e".*?</tr>', html, re.S).group(0)
    assert "1:45–2:00" in row and "4:23–5:00" in row


def test_a_squad_coach_and_an_admin_may_set_paces(client, squad_coach, admin_user, athlete):
    client.force_login(squad_coach)
    assert client.post(pace_set(athlete), override("M", "74")).status_code == 302
    client.force_login(admin_user)
    assert client.post(pace_set(athlete), override("R", "56")).status_code == 302
    assert set(athlete.pace_overrides.values_list("zone", flat=True)) == {"M", "R"}


def test_the_athlete_cannot_set_or_clear_their_paces(athlete_client, athlete):
    athlete.pace_overrides.create(zone="T", fast_s_per_km=160, slow_s_per_km=160)
    assert athlete_client.post(pace_set(athlete), override("I", "60")).status_code == 404
    assert athlete_client.post(pace_clear(athlete), {"zone": "T"}).status_code == 404
    assert list(athlete.pace_overrides.values_list("zone", flat=True)) == ["T"]
    html = athlete_client.get(detail(athlete)).content.decode()
    assert "set by coach" in html and pace_clear(athlete) not in html


# --- who may ------------------------------------------------------------------------------------

def urls(athlete):
    return [race_add(athlete), race_delete(athlete.race_results.get()), pace_set(athlete),
            pace_clear(athlete)]


def test_anonymous_people_are_sent_to_log_in(client, athlete):
    for url in urls(athlete):
        response = client.post(url, race() | override())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_another_coach_gets_not_found_and_changes_nothing(client, other_coach, athlete):
    athlete.pace_overrides.create(zone="T", fast_s_per_km=160, slow_s_per_km=160)
    client.force_login(other_coach)
    for url in urls(athlete):
        assert client.post(url, race() | override("I") | {"zone": "T"}).status_code == 404
    assert athlete.race_results.count() == 1 and athlete.pace_overrides.count() == 1
    assert client.get(detail(athlete)).status_code == 404


def test_the_new_views_take_posts_only(coach_client, athlete):
    for url in urls(athlete):
        assert coach_client.get(url).status_code == 405


# --- re-planning upcoming sessions ------------------------------------------------------------

@pytest.fixture
def sessions(coach, athlete):
    """A block around today: a past session, an upcoming logged one, an upcoming one, an easy
    run; all planned with the athlete's VDOT paces (T = 2:48/km at 12:48 for 5000 m)."""
    day = today()
    block = f.make_block(coach=coach, athletes=(athlete,), start=day - dt.timedelta(days=3))
    made = {
        "past": f.make_session(block=block, date=day - dt.timedelta(days=1),
                               notation="6x1k @ T 60s"),
        "logged": f.make_session(block=block, date=day + dt.timedelta(days=1),
                                 notation="6x1k @ T 60s"),
        "upcoming": f.make_session(block=block, date=day + dt.timedelta(days=2),
                                   notation="6x1k @ T 60s"),
        "easy": f.make_session(block=block, date=day + dt.timedelta(days=3),
                               notation="50min easy"),
    }
    for session in made.values():
        plan_session(session)
    f.make_log(session=made["logged"], athlete=athlete)
    return made


def first_target(session, athlete) -> float:
    return PlannedTarget.objects.filter(step__session=session, athlete=athlete).order_by(
        "step__position").first().target_lo_s


def test_an_override_replans_upcoming_sessions_but_not_past_or_logged_ones(
        coach_client, athlete, sessions, htmx):
    before = {name: first_target(s, athlete) for name, s in sessions.items() if name != "easy"}
    assert before["upcoming"] == pytest.approx(168.2, abs=0.2)
    html = coach_client.post(pace_set(athlete), override("T", "2:40/km"), **htmx)
    assert "Targets updated in 1 upcoming session." in html.content.decode()
    assert first_target(sessions["upcoming"], athlete) == pytest.approx(160.0)
    assert first_target(sessions["past"], athlete) == before["past"]
    assert first_target(sessions["logged"], athlete) == before["logged"]


def test_clearing_the_override_replans_again(coach_client, athlete, sessions):
    coach_client.post(pace_set(athlete), override("T", "2:40/km"))
    response = coach_client.post(pace_clear(athlete), {"zone": "T"}, follow=True)
    assert "Targets updated in 1 upcoming session." in response.content.decode()
    assert first_target(sessions["upcoming"], athlete) == pytest.approx(168.2, abs=0.2)


def test_a_faster_race_replans_upcoming_sessions(coach_client, athlete, sessions, htmx):
    html = coach_client.post(race_add(athlete), race("5k", "12:40.0"), **htmx).content.decode()
    assert "Targets updated in 1 upcoming session." in html
    assert first_target(sessions["upcoming"], athlete) < 167  # T 2:48 -> 2:47 per km


def test_a_race_that_leaves_the_vdot_alone_replans_nothing(coach_client, athlete, sessions,
                                                           htmx):
    html = coach_client.post(race_add(athlete), race("5k", "13:30.0"), **htmx).content.decode()
    assert "VDOT stays 83.6." in html and "Targets" not in html.split("</p>")[0]


def test_an_override_that_changes_no_upcoming_target_says_so(coach_client, athlete, sessions):
    response = coach_client.post(pace_set(athlete), override("M", "70"), follow=True)
    assert "Targets in upcoming sessions are unchanged." in response.content.decode()


def test_archived_blocks_are_not_replanned(coach_client, athlete, sessions):
    block = sessions["upcoming"].block
    block.archived = True
    block.save()
    response = coach_client.post(pace_set(athlete), override("T", "2:40/km"), follow=True)
    assert "No upcoming sessions to update." in response.content.decode()
    assert first_target(sessions["upcoming"], athlete) == pytest.approx(168.2, abs=0.2)


def test_a_session_whose_notation_no_longer_reads_keeps_its_plan(coach_client, athlete,
                                                                 sessions):
    broken = sessions["upcoming"]
    type(broken).objects.filter(pk=broken.pk).update(notation="6x1k @ T (60s")
    response = coach_client.post(pace_set(athlete), override("T", "2:40/km"), follow=True)
    assert "Not re-planned, its notation no longer reads" in response.content.decode()
    assert athlete.pace_overrides.filter(zone="T").exists()
    assert first_target(broken, athlete) == pytest.approx(168.2, abs=0.2)


def test_an_athlete_who_left_is_not_replanned(athlete, sessions):
    athlete.user.is_active = False
    athlete.user.save()
    done = athlete_changes.set_pace_override(athlete, zone="T", fast_s_per_km=160,
                                             slow_s_per_km=160)
    assert done.replanned == 0 and done.summary() == "No upcoming sessions to update."


# --- goal times ---------------------------------------------------------------------------------

def goal_set(athlete, block) -> str:
    return reverse("athletes:goal-set", args=[athlete.pk, block.pk])


@pytest.fixture
def mile_block(coach, athlete):
    """A block around today aiming at a mile: one upcoming session at goal pace."""
    day = today()
    block = f.make_block(coach=coach, athletes=(athlete,), start=day - dt.timedelta(days=3),
                         goal_distance_m=formats.MILE, goal_race_name="Bowerman Mile")
    session = f.make_session(block=block, date=day + dt.timedelta(days=1),
                             notation="8x200 @ goal (200 jog)")
    plan_session(session)
    block.session = session
    return block


def test_the_coach_sets_a_goal_on_the_athlete_page_and_upcoming_sessions_follow(
        coach_client, athlete, mile_block, htmx):
    from_vdot = first_target(mile_block.session, athlete)
    assert from_vdot == pytest.approx(pace.race_time(vdot_of(athlete), formats.MILE) / formats.MILE
                                      * 200)
    page = coach_client.get(detail(athlete)).content.decode()
    assert "Bowerman Mile" in text(page) and "From the VDOT:" in text(page)
    html = coach_client.post(goal_set(athlete, mile_block),
                             {f"goal-{mile_block.pk}-time": "3:55.0"}, **htmx).content.decode()
    assert "Goal for Bowerman Mile set to 3:55. Targets updated in 1 upcoming session." in html
    assert mile_block.goal_times() == {athlete.pk: 235.0}
    assert first_target(mile_block.session, athlete) == pytest.approx(235 / formats.MILE * 200)
    assert 'value="3:55"' in html


def test_clearing_a_goal_goes_back_to_the_vdot(coach_client, athlete, mile_block):
    from_vdot = first_target(mile_block.session, athlete)
    coach_client.post(goal_set(athlete, mile_block), {f"goal-{mile_block.pk}-time": "3:55"})
    response = coach_client.post(goal_set(athlete, mile_block),
                                 {f"goal-{mile_block.pk}-time": " "}, follow=True)
    assert "Goal for Bowerman Mile cleared" in response.content.decode()
    assert mile_block.goal_times() == {}
    assert first_target(mile_block.session, athlete) == pytest.approx(from_vdot)
    again = coach_client.post(goal_set(athlete, mile_block),
                              {f"goal-{mile_block.pk}-time": ""}, follow=True)
    assert "The goal for Bowerman Mile is unchanged." in again.content.decode()


@pytest.mark.parametrize(("typed", "message"), [
    ("3:5x", "is not a time"),
    ("2:30", "faster than any human"),
    ("45:00", "slower than walking"),
])
def test_a_bad_goal_says_why_next_to_the_field_and_keeps_what_was_typed(
        coach_client, athlete, mile_block, htmx, typed, message):
    name = f"goal-{mile_block.pk}-time"
    response = coach_client.post(goal_set(athlete, mile_block), {name: typed}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200 and mile_block.goal_times() == {}
    assert message in errors(html.replace("&quot;", '"'), name)
    assert f'value="{typed}"' in html


def test_the_athlete_sees_their_goal_but_cannot_change_it(athlete_client, athlete, mile_block):
    athlete_changes.set_goal(athlete, block=mile_block, time_s=242.0)
    page = athlete_client.get(detail(athlete)).content.decode()
    assert "Goal 4:02" in text(page) and "goal-form" not in page
    response = athlete_client.post(goal_set(athlete, mile_block),
                                   {f"goal-{mile_block.pk}-time": "3:50"})
    assert response.status_code == 404
    assert mile_block.goal_times() == {athlete.pk: 242.0}


def test_a_goal_re_plans_only_the_blocks_own_sessions(coach, athlete, mile_block, sessions):
    other = first_target(sessions["upcoming"], athlete)
    done = athlete_changes.set_goal(athlete, block=mile_block, time_s=235.0)
    assert done.replanned == 1 and done.changed == 1
    assert first_target(sessions["upcoming"], athlete) == other


# --- the page stays cheap ---------------------------------------------------------------------

def test_the_profile_costs_the_same_queries_whatever_the_number_of_results(
        client, coach, athlete, django_assert_max_num_queries):
    client.force_login(coach)
    athlete.pace_overrides.create(zone="T", fast_s_per_km=160, slow_s_per_km=162)
    f.make_block(coach=coach, athletes=(athlete,), start=today(), goal_distance_m=formats.MILE,
                 goals={athlete: 235.0})
    # 10: the athlete (with whether this user sets their paces and their block's time zone),
    # their results and overrides (3), the goal races (1), their days out (1), the benchmark
    # workouts (2), whether the viewer trains too (1) and the request's session and user (2);
    # the training section loads on its own request
    with django_assert_max_num_queries(10):
        assert client.get(detail(athlete)).status_code == 200
    for n in range(5):
        f.make_block(coach=coach, athletes=(athlete,), start=today(), goal_distance_m=5000,
                     goals={athlete: 790.0 + n})
    for n in range(30):
        f.make_race(athlete, distance_m=(800, 1500, 5000)[n % 3], time_s=(110, 220, 800)[n % 3] + n,
                    date=dt.date(2025, 1, 1) + dt.timedelta(days=n))
    with django_assert_max_num_queries(10):
        html = client.get(detail(athlete)).content.decode()
    assert html.count('id="race-') >= 31
    assert html.count('class="goal-row"') == 6


def test_the_profile_page_has_no_duplicate_ids(coach_client, athlete):
    athlete.pace_overrides.create(zone="T+", fast_s_per_km=155, slow_s_per_km=160)
    f.make_race(athlete, distance_m=800, time_s=108.2)
    html = coach_client.get(detail(athlete)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_plain_client_without_js_gets_the_whole_page_back(athlete):
    client = Client()
    client.force_login(athlete.user)
    response = client.post(race_add(athlete), race("5k", "12:40.0"), follow=True)
    html = response.content.decode()
    assert "<html" in html and 'class="message success"' in html
