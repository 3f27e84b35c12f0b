"""The calendar feed (issue 14, "Calendar feed", sessions/calendar_feed.py): a secret address per
person, turned on, renewed and off from their page; the feed parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from coach import prepared
from sessions import calendar_feed, step_rows
from sessions.calendar_feed import new_address
from sessions.models import AthleteVersion, Block, CalendarFeed, PlannedTarget, Session
from sessions.planning import move_session, plan_session
from tests import factories as f

DEMO = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"


@pytest.fixture
def current(coach, athlete):
    """A block from a week ago to three weeks ahead, in Flagstaff's time zone."""
    start = timezone.localdate() - dt.timedelta(days=7)
    return f.make_block(coach=coach, athletes=(athlete,), start=start, title="Flagstaff block",
                        time_zone="America/Phoenix", place="Flagstaff", altitude_m=2100)


def feed_of(client, feed) -> icalendar.Calendar:
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "max-age=0" in response["Cache-Control"]
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_athletes_feed_has_their_sessions_with_their_own_targets(client, current, athlete):
    reps = f.planned(current, DEMO, title="400s and 200s", date=timezone.localdate())
    easy = f.planned(current, "50min easy", title="Easy run",
                     date=timezone.localdate() + dt.timedelta(days=1))
    calendar = feed_of(client, new_address(athlete.user))
    assert str(calendar["x-wr-calname"]) == "Training: Ada Miler"
    found = events(calendar)
    assert set(found) == {f"session-{reps.pk}@testserver", f"session-{easy.pk}@testserver"}
    event = found[f"session-{reps.pk}@testserver"]
    assert str(event["summary"]) == "400s and 200s"
    assert event.decoded("dtstart") == reps.date  # an all-day event: a date, no time
    assert event.decoded("dtend") == reps.date + dt.timedelta(days=1)
    description = str(event["description"])
    assert description.startswith(DEMO)
    target = reps.steps_for(athlete).filter(kind="work").first().targets.get(athlete=athlete)
    t_plus = f"{target.target_lo_s:.1f}"
    lines = description.splitlines()
    assert "2 mi warm-up" in lines
    assert any(line.startswith("12 × 400 m @ T+ (200 m jog recovery): ") and t_plus[:2] in line
               for line in lines)
    assert f"http://testserver/sessions/{reps.pk}/" in lines
    assert str(event["location"]) == "Flagstaff"
    assert event.decoded("last-modified") == reps.updated.replace(microsecond=0)
    assert str(found[f"session-{easy.pk}@testserver"]["description"]).startswith("50min easy")


def test_an_athletes_own_version_is_what_their_feed_says(client, current, athlete):
    session = f.planned(current, "6x1k @ T (60s)", date=timezone.localdate())
    AthleteVersion.objects.create(session=session, athlete=athlete, notation="4x1k @ T (90s)")
    plan_session(session)
    (event,) = events(feed_of(client, new_address(athlete.user))).values()
    description = str(event["description"])
    assert description.startswith("4x1k @ T (90s)")
    assert "4 × 1 km @ T (1:30 recovery): " in description and "6 ×" not in description


def test_the_coachs_feed_has_every_session_of_their_blocks_named_by_block(
        client, current, coach, athlete):
    session = f.planned(current, DEMO, title="400s", date=timezone.localdate())
    other = f.make_block(coach=f.make_coach(username="someone"), athletes=(athlete,),
                         start=current.start_date, title="Not mine")
    f.planned(other, "50min easy", date=timezone.localdate())
    found = events(feed_of(client, new_address(coach)))
    (event,) = found.values()
    assert str(event["summary"]) == "Flagstaff block: 400s"
    assert "12 × 400 m @ T+ (200 m jog recovery)" in str(event["description"]).splitlines()
    assert str(event["uid"]) == f"session-{session.pk}@testserver"


def test_a_coach_who_also_runs_gets_their_blocks_and_their_own_sessions(client, current, coach):
    runner = f.make_athlete(name="Carla Runs", user=coach, coach=f.make_coach(username="hers"),
                            race=(5000, 1100))
    theirs = f.make_block(coach=runner.coaches.first(), athletes=(runner,),
                          start=current.start_date, title="Masters block")
    mine = f.planned(current, "6x1k @ T (60s)", title="1000s", date=timezone.localdate())
    run = f.planned(theirs, "4x1k @ T (90s)", title="Her 1000s", date=timezone.localdate())
    found = events(feed_of(client, new_address(coach)))
    assert str(found[f"session-{mine.pk}@testserver"]["summary"]) == "Flagstaff block: 1000s"
    own = found[f"session-{run.pk}@testserver"]
    assert str(own["summary"]) == "Her 1000s"  # their own: no block before it, their target
    assert "4 × 1 km @ T (1:30 recovery): " in str(own["description"])


def test_a_calendar_client_may_ask_with_head_first(client, athlete):
    feed = new_address(athlete.user)
    response = client.head(feed.get_absolute_url())
    assert response.status_code == 200
    assert client.post(feed.get_absolute_url()).status_code == 405


def test_two_sessions_on_a_day_say_am_and_pm(client, current, athlete):
    day = timezone.localdate()
    f.planned(current, "6x1k @ T (60s)", title="1000s", date=day)
    f.planned(current, "30min easy", title="Shakeout", date=day, slot="PM")
    summaries = {str(e["summary"]) for e in events(feed_of(client, new_address(athlete.user)))
                 .values()}
    assert summaries == {"AM · 1000s", "PM · Shakeout"}


def test_the_window_is_eight_weeks_back_and_every_future_session(client, coach, athlete):
    today = timezone.localdate()
    old = f.make_block(coach=coach, athletes=(athlete,), start=today - dt.timedelta(days=120),
                       days=200)
    long_ago = f.planned(old, "30min easy", date=today - dt.timedelta(days=60))
    recent = f.planned(old, "30min easy", date=today - dt.timedelta(days=50))
    ahead = f.planned(old, "30min easy", date=today + dt.timedelta(days=70))
    uids = set(events(feed_of(client, new_address(athlete.user))))
    assert uids == {f"session-{s.pk}@testserver" for s in (recent, ahead)}
    assert f"session-{long_ago.pk}@testserver" not in uids


def test_a_changed_session_keeps_its_uid_and_tells_the_calendar_when(client, current, athlete):
    session = f.planned(current, "6x1k @ T (60s)", date=timezone.localdate())
    feed = new_address(athlete.user)
    Session.objects.filter(pk=session.pk).update(
        updated=timezone.now() - dt.timedelta(days=2))
    before = events(feed_of(client, feed))[f"session-{session.pk}@testserver"]
    session.refresh_from_db()
    move_session(session, date=session.date + dt.timedelta(days=1), slot="PM")
    after = events(feed_of(client, feed))[f"session-{session.pk}@testserver"]
    assert after.decoded("dtstart") == session.date
    assert after.decoded("dtstamp") > before.decoded("dtstamp")
    assert after.decoded("last-modified") > before.decoded("last-modified")


def test_a_long_block_takes_the_same_number_of_queries(
        client, coach, athlete, second, django_assert_max_num_queries):
    today = timezone.localdate()
    block = f.make_block(coach=coach, athletes=(athlete, second), start=today, days=70)
    AthleteVersion.objects.create(
        session=f.planned(block, DEMO, date=today), athlete=athlete, notation="4x400 @ T (60s)")
    for day in range(1, 60):
        f.planned(block, DEMO if day % 3 else "50min easy", date=today + dt.timedelta(days=day))
    plan_session(block.sessions.get(date=today))
    feed = new_address(athlete.user)
    coach_feed = new_address(coach)
    # the athlete's: the feed with its person and their athlete, the sessions, their own
    # versions, and the steps with their targets (four); the coach's: the feed with its person
    # (and no athlete), the sessions and the squad's steps
    with django_assert_max_num_queries(4):
        assert len(events(feed_of(client, feed))) == 60
    with django_assert_max_num_queries(3):
        assert len(events(feed_of(client, coach_feed))) == 60


def test_sessions_of_the_same_workout_each_get_their_own_targets(current, athlete):
    """A feed writes the rows of equal steps and targets once: a session whose steps are the
    same but whose targets are not gets its own rows, each session what it alone gives."""
    today = timezone.localdate()
    same = [f.planned(current, DEMO, date=today + dt.timedelta(days=day)) for day in range(3)]
    for day in (3, 4):
        f.planned(current, "50min easy", date=today + dt.timedelta(days=day))
    first = (PlannedTarget.objects.filter(step__session=same[1], athlete=athlete,
                                          step__kind="work").order_by("step__position").first())
    PlannedTarget.objects.filter(pk=first.pk).update(target_lo_s=first.target_lo_s + 1.0)
    last = (PlannedTarget.objects.filter(step__session=same[2], athlete=athlete,
                                         step__kind="work").order_by("step__position").last())
    last.delete()  # a rep without the athlete's target: no time on its row
    since = today - dt.timedelta(weeks=calendar_feed.WEEKS_BACK)
    rows, _ = calendar_feed._athlete_rows(athlete, since)
    names, steps = prepared.rows("feed_steps", calendar_feed._steps_query, athlete.pk, since)
    assert names == calendar_feed.STEP_FIELDS + tuple(
        f"mine__{name}" for name in calendar_feed.TARGET_FIELDS)
    assert len(rows) == 5
    for pk, text in rows.items():
        alone = [step for step in steps if step[0] == pk]
        assert calendar_feed._rows_by_session(
            alone, calendar_feed.AthleteStep, [athlete.display_name]) == {pk: text}
    for session in Session.objects.filter(pk__in=rows):  # as the session page reads them
        items = step_rows.items_from_planned(
            session.steps_for(athlete).order_by("position").prefetch_related("targets"),
            [athlete])
        assert rows[session.pk] == tuple(calendar_feed.row_text(row) for row in
                                         step_rows.group_steps(items, [athlete.display_name]))
    assert rows[same[0].pk][1] != rows[same[1].pk][1]  # the 12 x 400 row: its first rep's time
    assert rows[same[0].pk] != rows[same[2].pk] and rows[same[0].pk][1] == rows[same[2].pk][1]
    assert ": " not in rows[same[2].pk][-2] and ": " in rows[same[0].pk][-2]  # the last 200


def test_archived_blocks_and_blocks_left_are_not_in_the_athletes_feed(
        client, coach, athlete, second):
    """The sessions, own versions, steps and targets are read by the feed's conditions (the
    blocks the athlete runs in, not archived, from eight weeks back), not by a list of ids:
    nothing of another block leaks into the events, however the rows are joined."""
    today = timezone.localdate()
    runs = f.make_block(coach=coach, athletes=(athlete, second), start=today, title="Runs")
    left = f.make_block(coach=coach, athletes=(athlete, second), start=today, title="Left")
    archived = f.make_block(coach=coach, athletes=(athlete,), start=today, title="Old")
    kept = f.planned(runs, "6x1k @ T (60s)", title="1000s", date=today)
    gone = f.planned(left, "8x400 @ R (200 jog)", title="400s", date=today)
    f.planned(archived, "5x1k @ I (2min)", title="Ks", date=today)
    for session in (kept, gone):
        AthleteVersion.objects.create(session=session, athlete=athlete,
                                      notation="4x800 @ T (90s)")
        plan_session(session)
    left.athletes.remove(athlete)
    Block.objects.filter(pk=archived.pk).update(archived=True)
    found = events(feed_of(client, new_address(athlete.user)))
    assert set(found) == {f"session-{kept.pk}@testserver"}
    description = str(found[f"session-{kept.pk}@testserver"]["description"])
    assert description.startswith("4x800 @ T (90s)")  # their own version
    assert "4 × 800 m @ T (1:30 recovery): " in description  # its steps, with their target
    assert "1 km" not in description and "400" not in description
    # the teammate still in both blocks: the squad's workouts, no own version of theirs
    theirs = events(feed_of(client, new_address(second.user)))
    assert set(theirs) == {f"session-{s.pk}@testserver" for s in (kept, gone)}
    assert str(theirs[f"session-{gone.pk}@testserver"]["description"]).startswith(
        "8x400 @ R (200 jog)")


# --- the address -------------------------------------------------------------------------------


def test_turning_on_renewing_and_turning_off_from_the_page(client, athlete):
    client.force_login(athlete.user)
    page = client.get(reverse("training:calendar")).content.decode()
    assert "Turn on" in page and ".ics" not in page
    change = reverse("training:calendar-change")
    client.post(change, {"feed": "on"})
    feed = CalendarFeed.objects.get(user=athlete.user)
    first = feed.token
    page = client.get(reverse("training:calendar")).content.decode()
    assert f"http://testserver/calendar/{first}.ics" in page
    assert f"webcal://testserver/calendar/{first}.ics" in page
    assert client.get(f"/calendar/{first}.ics").status_code == 200
    client.post(change, {"feed": "new"})
    feed.refresh_from_db()
    assert feed.token != first and feed.is_on
    assert client.get(f"/calendar/{first}.ics").status_code == 404  # the old one: at once
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 200
    client.post(change, {"feed": "off"})
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    page = client.get(reverse("training:calendar")).content.decode()
    assert feed.token not in page and "Turn on" in page
    client.post(change, {"feed": "on"})  # on again: a new address, never the old one
    feed.refresh_from_db()
    assert feed.is_on and client.get(f"/calendar/{feed.token}.ics").status_code == 200


def test_the_token_is_long_random_and_stored_with_its_hash(athlete):
    feed = new_address(athlete.user)
    assert len(feed.token) >= 43
    assert feed.token_hash == hashlib.sha256(feed.token.encode()).hexdigest()
    assert feed.token not in str(feed)


@pytest.mark.parametrize("token", ["nope", "x" * 43, "", "a" * 500])
def test_an_unknown_token_is_404(client, athlete, token):
    new_address(athlete.user)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_deactivated_person_has_no_feed(client, athlete):
    feed = new_address(athlete.user)
    athlete.user.is_active = False
    athlete.user.save()
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_a_bad_choice_says_so_and_changes_nothing(client, athlete):
    client.force_login(athlete.user)
    response = client.post(reverse("training:calendar-change"), {"feed": "maybe"}, follow=True)
    assert "Choose one of the buttons." in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_page_is_for_athletes_and_coaches(client, admin_user, coach):
    client.force_login(admin_user)
    assert client.get(reverse("training:calendar")).status_code == 404
    assert client.post(reverse("training:calendar-change"), {"feed": "on"}).status_code == 404
    client.force_login(coach)
    page = client.get(reverse("training:calendar"))
    assert page.status_code == 200
    assert reverse("training:calendar") in page.content.decode()  # the account menu's link


def icalendar_bytes(name: str, found) -> bytes:
    """The feed as the icalendar package writes the same events (how it was written before
    ``calendar_feed.write``): the reference its bytes are compared with."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", calendar_feed.PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for one in found:
        event = icalendar.Event()
        event.add("uid", one.uid)
        event.add("dtstamp", one.updated)
        event.add("last-modified", one.updated)
        event.add("dtstart", one.day)
        event.add("dtend", one.day + dt.timedelta(days=1))
        event.add("summary", one.summary)
        event.add("description", one.description)
        if one.location:
            event.add("location", one.location)
        event.add("url", one.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def test_the_feed_is_byte_for_byte_what_the_icalendar_package_writes(
        client, current, coach, athlete):
    session = f.planned(current, DEMO, title="400s, 200s; and a \\ backslash",
                        date=timezone.localdate())
    Session.objects.filter(pk=session.pk).update(notes="Bring spikes, water; 😀 " + "é" * 80)
    f.planned(current, "50min easy", title="Easy run " + "ü" * 70,
              date=timezone.localdate() + dt.timedelta(days=1))
    for user in (athlete.user, coach):
        found = calendar_feed.events(user, base_url="https://coach.example.org")
        name = calendar_feed.calendar_name(user)
        assert len(found) == 2
        assert calendar_feed.write(name, found) == icalendar_bytes(name, found)
        assert calendar_feed.build(user, base_url="https://coach.example.org") \
            == icalendar_bytes(name, found)


@pytest.mark.parametrize("seed", range(5))
def test_folding_and_escaping_match_the_icalendar_package(seed):
    """Random texts of ASCII, escapes and characters of 2-4 octets, in lines long and short."""
    import random

    chars = "ab ,;\\^\n\r:é·×€😀"
    rng = random.Random(seed)
    found = [calendar_feed.Event(
        uid=f"session-{n}@x", updated=timezone.now(), day=dt.date(2026, 1, 1) + dt.timedelta(n),
        summary="".join(rng.choice(chars) for _ in range(rng.randrange(0, 200))),
        description="".join(rng.choice(chars) for _ in range(rng.randrange(60, 400))),
        location="".join(rng.choice(chars) for _ in range(rng.randrange(0, 90))),
        url=f"https://x/sessions/{n}/") for n in range(40)]
    assert calendar_feed.write("Training: Zoë", found) == icalendar_bytes("Training: Zoë", found)
    parsed = icalendar.Calendar.from_ical(calendar_feed.write("Training: Zoë", found))
    for event, one in zip(parsed.walk("VEVENT"), found, strict=True):
        assert str(event["description"]) == one.description.replace("\r\n", "\n") \
            .replace("\r", "\n")


@pytest.mark.parametrize("value", ["", "plain · é × 😀", "a\\Nb", "a\\b", "a;b", "a,b",
                                   "a\r\nb", "a\nb", "a\rb", "session-12@coach.example.org"])
def test_text_is_escaped_as_the_icalendar_package_does_with_or_without_escapes(value):
    assert calendar_feed.text(value) == icalendar.vText(value).to_ical().decode()


def test_the_token_reads_the_feed_its_person_and_their_athlete_in_one_query(
        athlete, coach, django_assert_num_queries):
    for user, profile in ((athlete.user, athlete), (coach, None)):
        feed = new_address(user)
        with django_assert_num_queries(1):
            found = CalendarFeed.objects.by_token(feed.token)
            assert (found.pk, found.user, found.user.athlete_or_none) == (feed.pk, user, profile)
            assert found.user.display_name == user.display_name
    old = new_address(athlete.user).token
    assert CalendarFeed.objects.by_token(new_address(athlete.user).token) is not None
    assert CalendarFeed.objects.by_token(old) is None  # renewed: the old address is gone
    calendar_feed.turn_off(coach)
    assert CalendarFeed.objects.by_token(feed.token) is None
