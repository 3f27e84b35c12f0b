"""The daily email (``manage.py send_digest``): one message a person with something waiting,
links to each item, a one-click opt-out, nothing sent twice on one day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.conversation import post_comment
from sessions.digest import opt_out_token, send_digests
from sessions.logbook import save_rep, start_log
from tests import factories as f

SITE = "https://coach.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def recent(coach, athlete, second):
    """A block whose sessions of the last days nobody logged but Ada's 400s."""
    today = timezone.now().date()
    block = f.make_block(coach=coach, athletes=(athlete, second), start=today - dt.timedelta(10),
                         time_zone="UTC")
    session = f.planned(block, "4x400 @ 75 (200 jog)", title="Four 400s",
                        date=today - dt.timedelta(days=2))
    f.make_session(block=block, date=today - dt.timedelta(days=1), title="Easy hour",
                   notation="60min easy")
    log = start_log(session, athlete)
    save_rep(log.reps.first(), {"actual_s": 75.0})  # a log with something in it: not missing
    return log


@pytest.fixture(autouse=True)
def empty_outbox():
    mail.outbox.clear()


def _mail_to(user):
    """The emails sent to ``user`` (Django's test outbox, read when asked)."""
    return [m for m in mail.outbox if m.to == [user.email]]


def test_each_person_gets_one_email_with_links_to_their_items(coach, athlete, second, recent):
    reply = post_comment(recent, author=coach, body="Nice and even. Keep the 200s easy.")
    out = io.StringIO()
    call_command("send_digest", stdout=out)
    assert out.getvalue().strip() == "Sent 3 digest emails."
    (ada,) = _mail_to(athlete.user)
    assert ada.subject == "Coach: 1 unread comment and 1 missing log"
    assert "Carla Coach on " in ada.body and "Nice and even." in ada.body
    assert f"{SITE}{reply.get_absolute_url()}" in ada.body
    easy = recent.session.block.sessions.get(title="Easy hour")
    assert f"{SITE}{reverse('training:log', args=[easy.pk])}" in ada.body
    html = ada.alternatives[0][0]
    assert ada.alternatives[0][1] == "text/html" and f'href="{SITE}' in html
    opt_out = f"{SITE}{reverse('training:digest-opt-out', args=[opt_out_token(athlete.user)])}"
    assert opt_out in ada.body and opt_out in html and ada.extra_headers["List-Unsubscribe"]
    (carla,) = _mail_to(coach)
    assert carla.subject == "Coach: 3 missing logs"  # Ben twice, Ada's easy hour
    assert "Ben Runner" in carla.body and "Nice and even" not in carla.body  # their own
    (ben,) = _mail_to(second.user)
    assert "unread" not in ben.subject


def test_nothing_is_sent_twice_on_one_day_but_a_new_comment_is(coach, athlete, recent):
    post_comment(recent, author=coach, body="First")
    assert send_digests() == 3
    mail.outbox.clear()
    assert send_digests() == 0 and not mail.outbox
    post_comment(recent, author=coach, body="Second")
    assert send_digests() == 1
    (again,) = mail.outbox
    assert again.to == [athlete.user.email] and "Second" in again.body
    assert "First" not in again.body and "missing" not in again.subject
    mail.outbox.clear()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert send_digests(now=tomorrow) == 3  # a new day: everything still waiting


def test_opening_the_log_clears_its_comments_from_the_email(coach, athlete, recent):
    post_comment(recent, author=coach, body="Read me")
    client = Client()
    client.force_login(athlete.user)
    client.get(recent.get_absolute_url())
    send_digests()
    (ada,) = _mail_to(athlete.user)
    assert "Read me" not in ada.body and ada.subject == "Coach: 1 missing log"


def test_the_signed_link_turns_the_email_off_and_on_without_a_login(coach, athlete, recent):
    url = reverse("training:digest-opt-out", args=[opt_out_token(athlete.user)])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and "Stop the daily email" in page.content.decode()
    athlete.user.refresh_from_db()
    assert not athlete.user.digest_opt_out  # a GET (a mail scanner) changes nothing
    done = client.post(url, {"email": "off"})
    assert "Done: no daily email goes to" in done.content.decode()
    athlete.user.refresh_from_db()
    assert athlete.user.digest_opt_out
    post_comment(recent, author=coach, body="Hello")
    send_digests()
    assert not _mail_to(athlete.user) and _mail_to(coach)
    client.post(url, {"email": "on"})
    athlete.user.refresh_from_db()
    assert not athlete.user.digest_opt_out


def test_a_link_not_signed_here_is_a_404(athlete):
    client = Client()
    assert client.get(reverse("training:digest-opt-out", args=["1:forged:token"])).status_code \
        == 404
    assert client.post(reverse("training:digest-opt-out", args=[str(athlete.user_id)]),
                       {"email": "off"}).status_code == 404
    athlete.user.refresh_from_db()
    assert not athlete.user.digest_opt_out


def test_nobody_without_something_waiting_gets_an_email(coach, athlete, admin_user):
    assert send_digests() == 0 and not mail.outbox


def test_the_home_page_links_to_the_opt_out(client, athlete):
    client.force_login(athlete.user)
    html = client.get(reverse("training:today")).content.decode()
    assert reverse("training:digest-opt-out", args=[opt_out_token(athlete.user)]) in html
