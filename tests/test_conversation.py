"""The thread under a log (issue 18): replies between an athlete and their coaches, remarks on
reps, private coach notes, read state, the home lists, and who reaches any of it."""

from __future__ import annotations

import datetime as dt
from collections import deque

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions import attention
from sessions.conversation import post_comment
from sessions.digest import send_digests
from sessions.logbook import save_rep, start_log
from sessions.models import Comment, CommentRead, SessionLog
from tests import factories as f
from tests.test_walk import _internal, _links

PRIVATE = "Knee looks sore: ease off on Thursday"


@pytest.fixture
def log(block, athlete):
    session = f.planned(block, "4x400 @ 75 (200 jog)", title="Four 400s")
    entry = start_log(session, athlete)
    for rep in entry.reps.all():
        save_rep(rep, {"actual_s": 74.5})
    return entry


def _thread_url(log):
    return reverse("training:log-comment", args=[log.pk])


def _summary(client, log) -> str:
    response = client.get(reverse("training:log-summary", args=[log.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- replying -----------------------------------------------------------------------------------

def test_the_athlete_and_the_coach_reply_to_each_other_in_order(client, coach, athlete, log,
                                                                htmx):
    client.force_login(athlete.user)
    response = client.post(_thread_url(log), {"body": "Legs felt heavy early."}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="log-thread"' in html
    assert "Legs felt heavy early." in html and "Private note" not in html
    client.force_login(coach)
    client.post(_thread_url(log), {"body": "Normal at altitude. Hydrate."}, **htmx)
    client.force_login(athlete.user)
    client.post(_thread_url(log), {"body": "Will do."}, **htmx)
    assert list(log.comments.values_list("author__username", "body")) == [
        (athlete.user.username, "Legs felt heavy early."),
        (coach.username, "Normal at altitude. Hydrate."),
        (athlete.user.username, "Will do."),
    ]
    html = _summary(client, log)
    assert html.index("Legs felt heavy") < html.index("Normal at altitude") < html.index("Will do")
    assert ">athlete<" in html and ">coach<" in html


def test_without_javascript_a_reply_redirects_to_it_and_an_empty_one_says_why(client, coach,
                                                                              log):
    client.force_login(coach)
    response = client.post(_thread_url(log), {"body": "Good"})
    comment = log.comments.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    empty = client.post(_thread_url(log), {"body": "   "})
    assert empty.status_code == 200 and "Write something first." in empty.content.decode()
    assert log.comments.count() == 1


def test_a_remark_on_a_rep_shows_beside_the_rep_and_in_the_thread(client, athlete, log):
    rep = log.reps.get(position=3)
    client.force_login(athlete.user)
    client.post(_thread_url(log), {"body": "Felt the wind on the back straight", "rep": rep.pk})
    assert log.comments.get().rep == rep
    html = _summary(client, log)
    assert "Rep 3 · 400 m" in html  # in the thread, and offered in the form
    assert html.count("Felt the wind on the back straight") == 2  # the thread and the table
    assert 'class="rep-remark"' in html


def test_a_rep_of_another_log_is_refused(client, athlete, log, block, htmx):
    other = start_log(f.planned(block, "2x200 @ 35", date=block.start_date + dt.timedelta(1)),
                      athlete)
    client.force_login(athlete.user)
    response = client.post(_thread_url(log), {"body": "Hm", "rep": other.reps.first().pk},
                           **htmx)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_coach_keeps_a_private_note_and_the_athlete_cannot(client, coach, athlete, log):
    client.force_login(coach)
    client.post(_thread_url(log), {"body": PRIVATE, "private": "on"})
    note = log.comments.get()
    assert note.private
    assert "private note · athlete won’t see it" in _summary(client, log)
    client.force_login(athlete.user)
    client.post(_thread_url(log), {"body": "Mine", "private": "on"})  # no such field for them
    assert not log.comments.get(body="Mine").private
    with pytest.raises(ValueError):
        post_comment(log, author=athlete.user, body="x", private=True)


def test_an_author_deletes_their_own_comment_only(client, coach, athlete, log, htmx):
    mine = post_comment(log, author=athlete.user, body="Mine")
    theirs = post_comment(log, author=coach, body="Theirs")
    client.force_login(athlete.user)
    url = lambda c: reverse("training:comment-delete", args=[c.pk])  # noqa: E731
    assert client.post(url(theirs)).status_code == 404
    assert client.get(url(mine)).status_code == 405
    response = client.post(url(mine), **htmx)
    assert response.status_code == 200 and "Mine" not in response.content.decode()
    assert list(log.comments.values_list("body", flat=True)) == ["Theirs"]
    client.force_login(coach)
    assert client.post(url(theirs)).status_code == 302
    assert not log.comments.exists()


def test_outsiders_reach_no_thread(client, other_coach, other_athlete, admin_user, log):
    post_comment(log, author=log.athlete.user, body="Ours")
    for outsider in (other_coach, other_athlete.user):
        client.force_login(outsider)
        assert client.get(reverse("training:log-summary", args=[log.pk])).status_code == 404
        assert client.post(_thread_url(log), {"body": "Hi"}).status_code == 404
    client.force_login(admin_user)  # reads every log, takes part in none
    assert "Ours" in _summary(client, log)
    assert client.post(_thread_url(log), {"body": "Hi"}).status_code == 404
    assert log.comments.count() == 1


# --- private notes never reach the athlete --------------------------------------------------

def _every_page(client) -> dict[str, str]:
    """Every page and fragment the person reaches by links from ``/`` (tests/test_walk.py's
    link reading), with its HTML."""
    seen, pages = {"/"}, {}
    queue = deque([("/", False)])
    while queue:
        path, fragment = queue.popleft()
        response = client.get(path, follow=True, **({"HTTP_HX_REQUEST": "true"} if fragment
                                                    else {}))
        assert response.status_code == 200, path
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)  # a stored watch file streams, and is binary
        html = body.decode(errors="replace")
        pages[path] = html
        links = _links(html)
        for hrefs, is_fragment in ((links.pages, False), (links.fragments, True)):
            for href in hrefs:
                target = _internal(response.request["PATH_INFO"], href)
                if target and target not in seen and not target.startswith("/admin/"):
                    seen.add(target)
                    queue.append((target, is_fragment))
    return pages


def test_private_notes_never_reach_the_athlete_on_any_page_fragment_or_email(
        client, coach, athlete, log, htmx):
    rep = log.reps.get(position=2)
    post_comment(log, author=coach, body=PRIVATE, private=True)
    post_comment(log, author=coach, body=PRIVATE + " (on a rep)", rep=rep, private=True)
    post_comment(log, author=coach, body="Well run")  # unread for the athlete: on their home
    client.force_login(coach)
    coach_pages = _every_page(client)
    assert any(PRIVATE in html for html in coach_pages.values())  # the coach does see them

    client.force_login(athlete.user)
    pages = _every_page(client)
    assert reverse("training:log-summary", args=[log.pk]) in pages
    assert reverse("training:today") in pages and reverse("training:history") in pages
    # the fragments the thread answers with
    pages["reply"] = client.post(_thread_url(log), {"body": "Thanks"}, **htmx).content.decode()
    mine = log.comments.get(body="Thanks")
    pages["delete"] = client.post(reverse("training:comment-delete", args=[mine.pk]),
                                  **htmx).content.decode()
    pages["reply without JS, invalid"] = client.post(_thread_url(log),
                                                     {"body": ""}).content.decode()
    post_comment(log, author=coach, body="See you Monday")  # unread: the digest names it
    send_digests()
    pages.update({f"email {i}": m.body + "".join(a[0] for a in m.alternatives)
                  for i, m in enumerate(mail.outbox) if athlete.user.email in m.to})
    assert any(name.startswith("email") for name in pages)
    assert "Well run" in pages[reverse("training:log-summary", args=[log.pk])]
    shown = [name for name, html in pages.items() if "Knee looks sore" in html]
    assert not shown, f"the athlete sees the private note on {shown}"
    assert "2 comments" not in pages[reverse("training:history")]  # "1 comment": Well run
    assert "1 comment<" in pages[reverse("training:history")]


# --- read state and the home lists -----------------------------------------------------------

def test_unread_comments_are_others_since_the_last_visit_that_the_person_may_read(
        client, coach, athlete, log):
    post_comment(log, author=athlete.user, body="How was that?")
    post_comment(log, author=coach, body=PRIVATE, private=True)
    assert list(attention.unread_comments(athlete.user)) == []  # own, and a private note
    reply = post_comment(log, author=coach, body="Smooth")
    assert list(attention.unread_comments(athlete.user)) == [reply]
    assert list(attention.unread_comments(coach)) == []  # read up to their own comment
    client.force_login(athlete.user)
    assert "Smooth" in client.get(reverse("training:today")).content.decode()
    html = _summary(client, log)  # opening the log reads the thread; the new reply is marked
    assert html.count('<span class="pill ok">new</span>') == 1
    assert html.index("Smooth") > html.index('<span class="pill ok">new</span>')
    assert '<span class="pill ok">new</span>' not in _summary(client, log)
    assert list(attention.unread_comments(athlete.user)) == []
    assert CommentRead.objects.filter(user=athlete.user, log=log).exists()
    later = post_comment(log, author=athlete.user, body="Thanks")
    assert list(attention.unread_comments(coach)) == [later]
    client.force_login(coach)
    home = client.get(reverse("training:coach-home")).content.decode()
    assert "Unread comments" in home and "Thanks" in home and later.get_absolute_url() in home


def test_missing_logs_are_the_last_two_weeks_sessions_without_a_log(coach, athlete, second,
                                                                    other_coach):
    today = dt.date(2026, 11, 20)
    block = f.make_block(coach=coach, athletes=(athlete, second), start=dt.date(2026, 11, 2))
    old = f.make_session(block=block, date=dt.date(2026, 11, 5), title="Too old")
    done = f.make_session(block=block, date=dt.date(2026, 11, 18), title="Logged by Ada")
    f.make_log(session=done, athlete=athlete, completed=True)
    f.make_session(block=block, date=today, title="Today")
    assert old.date < today - dt.timedelta(days=attention.LOOKBACK_DAYS)
    mine = attention.missing_logs(athlete.user, today=today)
    assert [m.session.title for m in mine] == []  # Ada logged the one in the window
    theirs = attention.missing_logs(coach, today=today)
    assert [(m.athlete.display_name, m.session.title) for m in theirs] == [
        ("Ben Runner", "Logged by Ada")]
    assert theirs[0].url == done.get_absolute_url()
    assert attention.missing_logs(second.user, today=today)[0].url == reverse(
        "training:log", args=[done.pk])
    assert attention.missing_logs(other_coach, today=today) == []


def test_the_homes_show_the_short_lists(client, coach, athlete, block):
    yesterday = timezone.now().date() - dt.timedelta(days=1)
    block.start_date = yesterday - dt.timedelta(days=10)  # four weeks around today
    block.end_date = block.start_date + dt.timedelta(days=27)
    block.time_zone = "UTC"
    block.save()
    f.make_session(block=block, date=yesterday - dt.timedelta(days=5), title="Hill reps")
    client.force_login(coach)
    html = client.get(reverse("training:coach-home")).content.decode()
    assert "Missing logs" in html and "Hill reps" in html and "Ada Miler" in html
    assert "Nothing unread." in html and "Turn the email off" in html
    client.force_login(athlete.user)
    html = client.get(reverse("training:today")).content.decode()
    assert "Hill reps" in html and "Needs your attention" in html


# --- query counts: constant in the number of comments and athletes ----------------------------

def _grow(coach, block, log, *, athletes: int, comments: int):
    for i in range(athletes):
        runner = f.make_athlete(name=f"Runner {i}", coach=coach)
        block.athletes.add(runner)
        other = start_log(log.session, runner)
        post_comment(other, author=runner.user, body=f"Note {i}")
    reps = list(log.reps.all())
    for i in range(comments):
        post_comment(log, author=coach if i % 2 else log.athlete.user, body=f"Comment {i}",
                     rep=reps[i % len(reps)] if i % 3 == 0 else None, private=i % 4 == 3)


@pytest.mark.parametrize("athletes,comments", [(1, 3), (6, 24)])
def test_query_counts_do_not_grow_with_athletes_and_comments(
        client, coach, athlete, block, log, athletes, comments, django_assert_max_num_queries):
    _grow(coach, block, log, athletes=athletes, comments=comments)
    summary = reverse("training:log-summary", args=[log.pk])
    for user in (coach, athlete.user):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            assert client.get(summary).status_code == 200
        with django_assert_max_num_queries(18):
            assert client.post(_thread_url(log), {"body": "More"},
                               HTTP_HX_REQUEST="true").status_code == 200
    client.force_login(coach)
    with django_assert_max_num_queries(15):  # (+1: today's sessions at the track, issue 13)
        assert client.get(reverse("training:coach-home")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("training:logs")).status_code == 200
    client.force_login(athlete.user)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("training:today")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("training:history")).status_code == 200


# --- the migration ------------------------------------------------------------------------------

def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_one_way_coach_comment_becomes_the_first_comment_of_the_thread_and_back():
    before = [("training", "0009_athlete_versions")]
    after = [("training", "0010_comments")]
    old = _migrate(before)
    User, Athlete = old.get_model("athletes", "User"), old.get_model("athletes", "Athlete")
    Block, Session = old.get_model("training", "Block"), old.get_model("training", "Session")
    Log = old.get_model("training", "SessionLog")
    coach = User.objects.create(username="carla", is_coach=True)
    tom = Athlete.objects.create(user=User.objects.create(username="tom"), display_name="Tom")
    day = dt.date(2026, 11, 2)
    block = Block.objects.create(coach=coach, title="B", start_date=day, end_date=day)
    session = Session.objects.create(block=block, date=day, title="S")
    other = Session.objects.create(block=block, date=day, slot="PM", title="T")
    Log.objects.create(session=session, athlete=tom, date_done=day, coach_comment=" Well run ")
    Log.objects.create(session=other, athlete=tom, date_done=day)
    try:
        new = _migrate(after)
        Comment = new.get_model("training", "Comment")
        assert list(Comment.objects.values_list("author__username", "body", "private",
                                                "log__session__title")) == [
            ("carla", "Well run", False, "S")]
        back = _migrate(before)
        assert list(back.get_model("training", "SessionLog").objects.order_by("session__slot")
                    .values_list("coach_comment", flat=True)) == ["Well run", ""]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_log_thread_is_only_for_its_athlete_and_coaches(coach, athlete, other_coach,
                                                          admin_user, log):
    assert list(SessionLog.objects.discussable_by(athlete.user)) == [log]
    assert list(SessionLog.objects.discussable_by(coach)) == [log]
    assert not SessionLog.objects.discussable_by(other_coach).exists()
    assert not SessionLog.objects.discussable_by(admin_user).exists()
    note = post_comment(log, author=coach, body=PRIVATE, private=True)
    assert list(Comment.objects.visible_to(coach)) == [note]
    assert list(Comment.objects.visible_to(admin_user)) == [note]
    assert not Comment.objects.visible_to(athlete.user).exists()
    assert not Comment.objects.visible_to(other_coach).exists()


def test_an_anonymous_visitor_gets_the_login_page(log):
    response = Client().post(_thread_url(log), {"body": "Hi"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Comment.objects.exists()
