"""The log pages' shortcuts (docs/perf-log-pages.md, "Session 7") write what Django wrote:
the lists' day labels, the coach's athlete filter, Today's addresses, and the summary's
planned work distance read with its log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import translation

from sessions import log_list, logbook, versions
from sessions.models import SessionLog
from sessions.planning import plan_session
from tests import factories as f

SQUAD = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"
SHORTER = "2mi WU; 10x400 @ T+ (200 jog) & 8x200 @ mile (200 jog); 2mi CD"


def test_a_day_label_is_the_date_filters_in_the_active_language():
    for day in (dt.date(2026, 1, 1), dt.date(2026, 3, 3), dt.date(2027, 12, 31)):
        assert log_list.day_label(day) == date_filter(day, "D j M")
        with translation.override("de"):
            assert log_list.day_label(day) == date_filter(day, "D j M")
    with translation.override("de"):
        assert log_list.day_label(dt.date(2026, 3, 3)) == "Di 3 Mär"
    assert log_list.day_label(dt.date(2026, 3, 3)) == "Tue 3 Mar"


def test_the_athlete_filter_escapes_names_and_selects_the_chosen_one(client, coach, athlete):
    odd = f.make_athlete(name='Zoë <b>"Quick"</b> O\'Hara', coach=coach)
    client.force_login(coach)
    html = client.get(reverse("training:logs")).content.decode()
    assert (f'<option value="{odd.pk}">Zoë &lt;b&gt;&quot;Quick&quot;&lt;/b&gt; O&#x27;Hara'
            "</option>") in html
    assert f'<option value="{athlete.pk}">Ada Miler</option>' in html
    html = client.get(reverse("training:logs"), {"athlete": odd.pk}).content.decode()
    assert f'<option value="{odd.pk}" selected>' in html
    assert f'<option value="{athlete.pk}">Ada Miler</option>' in html
    assert html.index(f'value="{athlete.pk}"') < html.index(f'value="{odd.pk}"')  # by name


def test_today_links_each_session_its_plan_log_and_summary(athlete_client, athlete, block):
    today = dt.date.today()
    done = f.planned(block, "4x400 @ 64 (200 jog)", date=today, title="Done today")
    log = f.make_log(session=done, athlete=athlete, completed=True)
    later = f.planned(block, "6x200 @ 32 (200 jog)", date=today + dt.timedelta(days=2),
                      title="Later")
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert f'href="{reverse("training:log-summary", args=[log.pk])}">See the summary' in html
    assert f'href="{reverse("training:log", args=[done.pk])}">Edit the log' in html
    assert f'href="{reverse("training:session", args=[done.pk])}">Plan and targets' in html
    assert (f'<a href="{reverse("training:session", args=[later.pk])}"><span class="num muted">'
            f'{date_filter(later.date, "D j M")} {later.slot}</span>') in html


@pytest.mark.parametrize("own_version", [False, True])
def test_the_summary_plans_the_work_of_the_version_the_athlete_ran(
        coach, athlete, second, django_assert_max_num_queries, own_version):
    block = f.make_block(coach=coach, athletes=(athlete, second))
    session = f.planned(block, SQUAD, date=dt.date(2026, 11, 3), title="400s and 200s")
    if own_version:
        versions.save_versions(session, {second.pk: SHORTER})
        plan_session(session)
    log = logbook.start_log(session, second)
    first = log.reps.order_by("position").first()
    logbook.save_rep(first, {"actual_s": first.target_lo_s})
    expected = logbook.session_summary(SessionLog.objects.select_related("session").get(
        pk=log.pk)).planned_work_distance_m  # read on its own, as before
    assert expected == (5600 if own_version else 6800)
    client = f_client(coach)
    with django_assert_max_num_queries(10):  # 11 before the version came with the log
        response = client.get(reverse("training:log-summary", args=[log.pk]))
    assert response.context["summary"].planned_work_distance_m == expected
    assert f"of {expected / 1000:.1f} km planned" in response.content.decode()


def f_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_today_shows_the_athletes_own_version_and_their_log_in_progress(
        athlete_client, athlete, block, django_assert_max_num_queries):
    today = dt.date.today()
    mine = f.planned(block, SQUAD, date=today, title="Squad 400s")
    versions.save_versions(mine, {athlete.pk: SHORTER})
    plan_session(mine)
    log = logbook.start_log(mine, athlete)
    first = log.reps.order_by("position").first()
    logbook.save_rep(first, {"actual_s": first.target_lo_s})
    with django_assert_max_num_queries(11):  # 13 before the log and version came along
        response = athlete_client.get(reverse("training:today"))
    html = response.content.decode()
    [card] = response.context["todays"]
    assert card.my_log.pk == log.pk and not card.my_log.completed
    assert card.my_version.notation == SHORTER and card.my_version.rep_count == 18
    assert (f'<p class="notation-text">{SHORTER.replace("&", "&amp;")}</p> '
            '<p class="pill alt">your own version</p>') in html
    assert f'href="{reverse("training:log", args=[mine.pk])}#next">Continue logging' in html
