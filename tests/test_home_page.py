"""The coach's home reads its blocks, memberships and sessions once for several parts
(sessions/home_page.py): what it lists must be what each part reads on its own."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sessions import attention, home_lists, stopwatch
from sessions.models import Block

from . import factories as f


def test_the_home_lists_what_each_part_reads_on_its_own(client, coach, other_coach):
    today = timezone.localdate()
    start = today - dt.timedelta(days=10)
    ana = f.make_athlete(name="Ana Active", coach=coach)
    gone = f.make_athlete(name="Gus Gone", coach=coach)
    gone.user.is_active = False
    gone.user.save()
    stranger = f.make_athlete(name="Sam Stranger", coach=other_coach)
    me = f.make_athlete(name="Carla Coach", user=coach)  # the coach trains too
    current = f.make_block(coach=coach, athletes=(ana, gone, stranger), start=start,
                           title="Current <block>", place="Home track")
    old = f.make_block(coach=coach, athletes=(ana,), start=start - dt.timedelta(days=60),
                       title="Old block", archived=True, altitude_m=2100)
    f.make_block(coach=coach, start=start, title="Empty block")
    theirs = f.make_block(coach=other_coach, athletes=(me, stranger), start=start,
                          title="Club block")
    for day in (2, 5, 9, 10):
        f.make_session(block=current, date=start + dt.timedelta(days=day), title=f"Run {day}")
    f.make_session(block=theirs, date=start + dt.timedelta(days=8), title="Club run")
    f.make_session(block=theirs, date=today, title="Club today")
    logged = f.make_session(block=current, date=start + dt.timedelta(days=3), slot="PM",
                            title="Logged")
    f.make_log(session=logged, athlete=ana, completed=True)
    client.force_login(coach)

    page = client.get(reverse("training:coach-home"))

    alone = home_lists.attention_context(coach, found=attention.missing_logs(
        coach, limit=home_lists.SHOWN))
    assert [(m.athlete.pk, m.session.pk, m.url) for m in page.context["missing"]] == [
        (m.athlete.pk, m.session.pk, m.url) for m in alone["missing"]]
    assert page.context["missing_more"] == alone["missing_more"]
    whose = {m.athlete.display_name for m in page.context["missing"]}
    assert whose == {"Ana Active", "Carla Coach"}  # not the inactive, not another's athlete
    own = [m for m in page.context["missing"] if m.athlete.pk == me.pk]
    assert own and own[0].url == reverse("training:log", args=[own[0].session.pk])
    blocks = Block.objects.filter(coach=coach, archived=False).order_by("-end_date")
    assert ([s.pk for s in page.context["at_the_track"]]
            == [s.pk for s in stopwatch.todays_sessions(list(blocks))])
    html = page.content.decode()
    assert "Current &lt;block&gt;" in html and "Old block" in html and "Club block" not in html
    cards = html.split('class="card block-card"')[1:]
    current_card = next(c for c in cards if "Current &lt;block&gt;" in c)
    assert "Ana Active" in current_card
    assert "Gus Gone" not in current_card and "Sam Stranger" not in current_card
    assert "No athletes yet" in next(c for c in cards if "Empty block" in c)
    assert "altitude 2100 m" in next(c for c in cards if "Old block" in c)
    assert old.pk and "Archived blocks (1)" in html


def test_the_athlete_page_escapes_what_people_typed_as_django_does(client, coach):
    athlete = f.make_athlete(name="Ana Active", coach=coach)
    f.make_race(athlete, distance_m=800, time_s=130.5, race_name="<b>Club</b> 'mile' & \"co\"")
    f.make_race(athlete, distance_m=5000, time_s=900, race_name="Park <run>")
    client.force_login(coach)
    html = client.get(reverse("athletes:detail", args=[athlete.pk])).content.decode()
    assert "&lt;b&gt;Club&lt;/b&gt; &#x27;mile&#x27; &amp; &quot;co&quot;" in html
    assert "<b>Club</b>" not in html and "Park &lt;run&gt;" in html
    assert 'data-confirm="Delete the 800 m in' in html and "race pace only" in html
    assert '<span class="pill ok">used</span>' in html  # the 5000 gives the VDOT


def test_a_coach_who_trains_in_another_coachs_block_costs_no_more_queries(
        client, coach, other_coach, django_assert_max_num_queries):
    today = timezone.localdate()
    start = today - dt.timedelta(days=10)
    ana = f.make_athlete(name="Ana Active", coach=coach)
    f.make_session(block=f.make_block(coach=coach, athletes=(ana,), start=start),
                   date=today - dt.timedelta(days=2))
    client.force_login(coach)
    with django_assert_max_num_queries(13):
        client.get(reverse("training:coach-home"))
    me = f.make_athlete(name="Carla Coach", user=coach)
    theirs = f.make_block(coach=other_coach, athletes=(me,), start=start, title="Club block")
    f.make_session(block=theirs, date=today - dt.timedelta(days=3), title="Club run")
    with django_assert_max_num_queries(13):
        page = client.get(reverse("training:coach-home"))
    assert {m.session.title for m in page.context["missing"]} >= {"Club run"}


def test_days_formatted_once_read_as_the_date_filter_writes_them():
    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    from sessions.athlete_rows import format_day

    start = dt.date(2025, 12, 20)
    for language in ("en-gb", "de"):
        with translation.override(language):
            for n in range(0, 400, 7):
                day = start + dt.timedelta(days=n)
                for fmt in ("j M", "j M Y", "D j M", "Y-m-d"):
                    assert format_day(day, fmt) == date_filter(day, fmt)
                    assert format_day(day, fmt) == date_filter(day, fmt)  # from the cache
