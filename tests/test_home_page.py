"""The coach's home reads its blocks, memberships and sessions once for several parts
(sessions/home_page.py): what it lists must be what each part reads on its own."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions import attention, home_lists, home_page, stopwatch
from sessions.athlete_rows import day_formatter
from sessions.models import Block, Comment, Session, SessionLog

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
            written = day_formatter()  # the language read once
            for n in range(0, 400, 11):
                day = start + dt.timedelta(days=n)
                assert written(day, "D j M") == date_filter(day, "D j M")


def test_the_blocks_of_a_squad_share_one_list_of_names_in_name_order(coach):
    """``home_page.blocks``: each card's athletes by name, one list (and one ``card_ids``) for
    blocks naming the same athletes, so that ``render_lists`` escapes and joins it once."""
    start = timezone.localdate() - dt.timedelta(days=3)
    zoe, ana = f.make_athlete(name="Zoe", coach=coach), f.make_athlete(name="Ana", coach=coach)
    one = f.make_block(coach=coach, athletes=(zoe, ana), start=start, title="One")
    two = f.make_block(coach=coach, athletes=(ana, zoe), start=start - dt.timedelta(days=90),
                       title="Two", archived=True)
    alone = f.make_block(coach=coach, athletes=(zoe,), start=start, title="Alone")
    read = home_page.blocks(coach, [zoe, ana])
    by_pk = {b.pk: b for b in read.current + read.archived}
    assert by_pk[one.pk].card_athletes == [ana, zoe] and by_pk[one.pk].card_ids == (ana.pk, zoe.pk)
    assert by_pk[two.pk].card_athletes is by_pk[one.pk].card_athletes
    assert by_pk[alone.pk].card_athletes == [zoe] and by_pk[alone.pk].card_ids == (zoe.pk,)


def test_the_latest_logs_are_read_as_the_fields_the_home_shows(coach):
    ana = f.make_athlete(name="Ana <&>", coach=coach)
    block = f.make_block(coach=coach, athletes=(ana,), start=timezone.localdate())
    older = f.make_log(session=f.make_session(block=block, title="Hills"), athlete=ana,
                       completed=True)
    newer = f.make_log(session=f.make_session(block=block, title="Reps <i>", slot="PM"),
                       athlete=ana)
    SessionLog.objects.filter(pk=newer.pk).update(rpe=7, date_done=older.date_done
                                                  + dt.timedelta(days=1))
    found = home_page.latest_logs(coach)
    assert [tuple(log) for log in found] == [
        (newer.pk, older.date_done + dt.timedelta(days=1), "Ana <&>", "Reps <i>", 7, False),
        (older.pk, older.date_done, "Ana <&>", "Hills", None, True)]


def test_missing_logs_of_athletes_of_the_same_name_keep_their_order(coach):
    """Two athletes of one name on one session: listed in the order ``_missing`` reads the
    athletes (the sort keeps it), whichever blocks they are in."""
    today = timezone.localdate()
    twins = [f.make_athlete(name="Sam", coach=coach) for _ in range(3)]
    first = f.make_block(coach=coach, athletes=twins[:2], start=today - dt.timedelta(days=5))
    second = f.make_block(coach=coach, athletes=twins[1:], start=today - dt.timedelta(days=5))
    for block in (first, second):
        f.make_session(block=block, date=today - dt.timedelta(days=1))
    found = attention.missing_logs(coach, today=today)
    members = attention._members(*attention._whose(coach))
    order = list({m.athlete_id for m in members})
    assert found.total == 4
    by_session: dict[int, list[int]] = {}
    for m in found:
        by_session.setdefault(m.session.pk, []).append(m.athlete.pk)
    assert all(ids == sorted(ids, key=order.index) for ids in by_session.values())


OLD_ATTENTION = (Path(__file__).parent / "old_templates" / "_attention.html").read_text()


@pytest.mark.parametrize("viewer", ["coach", "athlete"])
@pytest.mark.parametrize("opted_out", [False, True])
def test_the_attention_lists_write_what_the_django_template_wrote(coach, viewer, opted_out,
                                                                   rf):
    """``home_lists.render_attention`` against the Django template it replaced
    (``tests/old_templates/_attention.html``): comments by both, a private note, the viewer's
    own log and another's, missing logs of the viewer and of their athlete, names and titles
    that need escaping, more than fit, nothing at all, and "Nothing else"."""
    from django.template import Context, Template

    today = timezone.localdate()
    ana = f.make_athlete(name="Ana <b>\"O'Neil\"</b> & co", coach=coach)
    me = f.make_athlete(name="Carla & me", user=coach)
    block = f.make_block(coach=coach, athletes=(ana, me), start=today - dt.timedelta(days=12))
    for day in range(1, 10):
        f.make_session(block=block, date=today - dt.timedelta(days=day),
                       slot="PM" if day % 2 else "AM", title=f"Run <{day}> & 'more'")
    logged = f.make_session(block=block, date=today - dt.timedelta(days=11), title="Reps <i>")
    for athlete in (ana, me):
        log = f.make_log(session=logged, athlete=athlete, completed=True)
        for n in range(6):
            Comment.objects.create(log=log, author=athlete.user,
                                   body=f"Windy <b>{n}</b> " + "word " * (n * 12))
    Comment.objects.create(log=log, author=ana.user, body="On your log & \"quote\"")
    ana_log = SessionLog.objects.get(athlete=ana)
    for private in (True, False):
        Comment.objects.create(log=ana_log, author=coach, body="Note", private=private)
    user = coach if viewer == "coach" else ana.user
    user.digest_opt_out = opted_out
    user.save()
    Comment.objects.filter(author=user).delete()
    old = Template("{% load static %}" + OLD_ATTENTION)
    for skip, found in ((frozenset(), None), (frozenset(), attention.MissingLogs()),
                        (frozenset(s.pk for s in Session.objects.all()), None)):
        context = home_lists.attention_context(user, skip_sessions=skip, found=found,
                                               more_url="/logs/?a=1&b=<2>")
        expected = old.render(Context({**context, "user": user, "more_url": "/logs/?a=1&b=<2>"}))
        assert context["attention_html"] == expected
    assert len(context["unread"]) == (6 if viewer == "coach" else 1)
    assert context["unread_more"] == (viewer == "coach")


OLD_CARD = (Path(__file__).parent / "old_templates" / "block_card_macro.html").read_text()


@pytest.mark.parametrize("card", [
    {"url": "/blocks/1/", "title": "Autumn <base> & 'co'", "archived": False,
     "dates": "1 Sep – 30 Sep 2026", "place": "", "altitude": None, "goal": "",
     "athletes": ""},
    {"url": "/blocks/2/?a=1&b=2", "title": "Camp", "archived": True, "dates": "1 – 2 <Jan>",
     "place": "Iten \"high\" <camp>", "altitude": 2400, "goal": "Worlds & \"more\"",
     "athletes": "Ana &amp; Bo, Cy"},
    {"url": "/blocks/3/", "title": "", "archived": False, "dates": "", "place": None,
     "altitude": 0, "goal": None, "athletes": "x"},
    {"url": "/blocks/4/", "title": "T", "archived": True, "dates": "d", "place": "Track",
     "altitude": None, "goal": "", "athletes": ""},
])
def test_a_block_card_is_written_as_the_jinja2_macro_wrote_it(card):
    from django.template import engines
    from django.utils.safestring import mark_safe

    card = {**card, "athletes": mark_safe(card["athletes"])}  # escaped by render_lists
    macro = engines["jinja2"].env.from_string(OLD_CARD + "{{ card(b) }}")
    assert home_page.card_html(card) == macro.render(b=card)


def test_the_window_sessions_given_their_blocks_are_the_sessions_read_with_them(coach,
                                                                               other_coach):
    """``attention.window_sessions(known=...)``: the same sessions, each with the block given;
    a block not given (another coach's, where the coach trains) reads them with theirs."""
    today = timezone.localdate()
    mine = f.make_block(coach=coach, start=today - dt.timedelta(days=9), title="Mine")
    theirs = f.make_block(coach=other_coach, start=today - dt.timedelta(days=9))
    for block in (mine, theirs):
        for day in (1, 3, 20):
            f.make_session(block=block, date=today - dt.timedelta(days=day))
    read = attention.window_sessions([mine.pk], today)
    given = attention.window_sessions([mine.pk], today, known={mine.pk: mine})
    assert [s.pk for s in given] == [s.pk for s in read] and len(read) == 2
    assert all(s.block is mine for s in given)
    both = attention.window_sessions([mine.pk, theirs.pk], today, known={mine.pk: mine})
    assert len(both) == 4 and all(s.block.pk == s.block_id for s in both)
    assert not any(s.block is mine for s in both)
