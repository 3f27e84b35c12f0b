"""Club scale (issue 16): pages whose query count must not grow with the data (asserted at two
sizes), ``__str__`` without related lookups, the admin at scale, the indexes for lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from sessions.admin import LargeTablePaginator
from sessions.list_views import LOGS_PER_PAGE
from sessions.logbook import save_rep, start_log
from sessions.models import PlannedStep, PlannedTarget, RepResult, SessionLog
from tests import factories as f

pytestmark = pytest.mark.django_db

SMALL = "2x400 @ 64 (200 jog)"
BIG = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"


def _logged(block, athlete, day: int, notation: str = SMALL, *, also=()) -> SessionLog:
    """A session on ``day`` of the block, logged by ``athlete`` (and the athletes ``also``)."""
    session = f.planned(block, notation, date=block.start_date + dt.timedelta(days=day))
    for other in also:
        _log(session, other)
    return _log(session, athlete)


def _log(session, athlete) -> SessionLog:
    log = start_log(session, athlete)
    for rep in log.reps.all():
        save_rep(rep, {"actual_s": 65.0, "avg_hr": 170})
    return log


def _queries(client, url, assert_max, limit: int | None = None) -> int:
    with assert_max(limit if limit is not None else 15) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- __str__ without related lookups ---------------------------------------------------------

def test_the_big_tables_name_their_rows_without_a_query(block, athlete,
                                                         django_assert_num_queries):
    _logged(block, athlete, 0)
    log = SessionLog.objects.get()
    rep = RepResult.objects.first()
    step = PlannedStep.objects.first()
    target = PlannedTarget.objects.first()
    with django_assert_num_queries(0):
        names = [str(log), str(rep), str(step), str(target)]
    assert names[0] == f"Log {log.pk} ({log.date_done})"
    assert names[1] == f"Rep {rep.position} of log {log.pk}"
    assert str(step.session_id) in names[2] and str(target.athlete_id) in names[3]


# --- the admin at two sizes -------------------------------------------------------------------

def test_the_admin_log_page_costs_the_same_queries_for_2_reps_and_22(
        admin_client_, block, athlete, django_assert_max_num_queries):
    small = _logged(block, athlete, 0)
    big = _logged(block, athlete, 1, BIG)
    url = "admin:training_sessionlog_change"
    few = _queries(admin_client_, reverse(url, args=[small.pk]), django_assert_max_num_queries)
    _queries(admin_client_, reverse(url, args=[big.pk]), django_assert_max_num_queries, few)
    page = admin_client_.get(reverse(url, args=[big.pk])).content.decode()
    assert 'class="vForeignKeyRawIdAdminField"' in page  # no <select> of every session


def test_the_admin_session_page_costs_the_same_queries_for_any_workout(
        admin_client_, block, athlete, django_assert_max_num_queries):
    small = f.planned(block, SMALL)
    big = f.planned(block, BIG, date=block.start_date + dt.timedelta(days=1))
    url = "admin:training_session_change"
    few = _queries(admin_client_, reverse(url, args=[small.pk]), django_assert_max_num_queries)
    _queries(admin_client_, reverse(url, args=[big.pk]), django_assert_max_num_queries, few)


@pytest.mark.parametrize("model", ["sessionlog", "represult", "plannedtarget", "session"])
def test_the_admin_lists_of_big_tables_do_not_grow(admin_client_, coach, athlete, second,
                                                   model, django_assert_max_num_queries):
    block = f.make_block(coach=coach, athletes=(athlete, second))
    _logged(block, athlete, 0)
    url = reverse(f"admin:training_{model}_changelist")
    few = _queries(admin_client_, url, django_assert_max_num_queries)
    for day in range(1, 8):
        _logged(block, athlete, day, BIG, also=(second,))
    _queries(admin_client_, url, django_assert_max_num_queries, few)


def test_rep_results_have_a_lean_admin_page(admin_client_, block, athlete):
    log = _logged(block, athlete, 0)
    rep = log.reps.first()
    page = admin_client_.get(reverse("admin:training_represult_change", args=[rep.pk]))
    assert page.status_code == 200
    assert 'name="log"' in page.content.decode() and "<select name=\"log\"" not in (
        page.content.decode())


def test_a_large_table_counts_exactly_on_sqlite_and_by_estimate_on_postgresql(
        block, athlete, monkeypatch):
    for day in range(3):
        _logged(block, athlete, day)
    monkeypatch.setattr(LargeTablePaginator, "ESTIMATE_ABOVE", -1)
    everything = LargeTablePaginator(RepResult.objects.order_by("pk"), 10)
    filtered = LargeTablePaginator(RepResult.objects.filter(position=1).order_by("pk"), 10)
    assert filtered.count == 3  # a filtered list always counts
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE training_represult")
        assert LargeTablePaginator(RepResult.objects.order_by("pk"), 10).count == 6
    else:
        assert everything.count == 6


# --- lists of logs at two sizes ---------------------------------------------------------------

def test_coach_home_and_logs_cost_the_same_queries_for_2_logs_and_16_of_22_reps(
        coach_client, coach, athlete, second, django_assert_max_num_queries):
    block = f.make_block(coach=coach, athletes=(athlete, second))
    _logged(block, athlete, 0, also=(second,))
    pages = [reverse("training:coach-home"), reverse("training:logs"),
             f"{reverse('training:logs')}?athlete={athlete.pk}"]
    few = [_queries(coach_client, url, django_assert_max_num_queries) for url in pages]
    for day in range(1, 8):
        _logged(block, athlete, day, BIG, also=(second,))
    for url, count in zip(pages, few, strict=True):
        _queries(coach_client, url, django_assert_max_num_queries, count)


def test_the_logs_are_read_newest_first_through_an_index():
    names = {index.name: index.fields for index in SessionLog._meta.indexes}
    assert names["log_athlete_newest"] == ["athlete", "-date_done", "-created"]
    assert names["log_newest"] == ["-date_done", "-created"]
    assert SessionLog._meta.ordering == ["-date_done", "-created"]


def test_history_and_logs_page_newest_first_without_counting_every_log(
        coach, athlete, django_assert_max_num_queries):
    block = f.make_block(coach=coach, athletes=(athlete,), days=28)
    for i in range(LOGS_PER_PAGE + 2):
        session = f.make_session(block=block, date=block.start_date + dt.timedelta(days=i // 2),
                                 slot="AM" if i % 2 else "PM", title=f"Run {i:02}")
        f.make_log(session=session, athlete=athlete, completed=True)
    for user, url in ((athlete.user, reverse("training:history")),
                      (coach, reverse("training:logs"))):
        client = Client()
        client.force_login(user)
        with django_assert_max_num_queries(15) as captured:
            first = client.get(url).content.decode()
        # no count of every log for the pager (a log's own comment count is per row)
        assert not any(q["sql"].upper().startswith("SELECT COUNT(")
                       for q in captured.captured_queries)
        assert "Run 31" in first and "Run 00" not in first  # newest first
        assert "Page 1" in first and "page=2" in first and "Newer" not in first
        second = client.get(url, {"page": 2}).content.decode()
        assert "Run 00" in second and "Run 01" in second and "Run 31" not in second
        assert "Newer" in second and "Older" not in second
        assert "Run 31" in client.get(url, {"page": 99}).content.decode()  # back to the first


def test_a_block_and_a_session_show_their_sessions_and_steps_read_only_in_the_admin(
        admin_client_, block, athlete):
    session = f.planned(block, BIG)
    page = admin_client_.get(reverse("admin:training_block_change", args=[block.pk]))
    html = page.content.decode()
    assert "12x400 @ T+" in html and 'name="sessions-0-notation"' not in html  # text
    page = admin_client_.get(reverse("admin:training_session_change", args=[session.pk]))
    html = page.content.decode()
    assert "T+" in html and 'name="steps-0-position"' not in html
    assert 'name="steps-TOTAL_FORMS"' in html  # the page still saves its own fields


def _covered_single_column_indexes(tables) -> list[str]:
    """Plain single-column indexes of ``tables`` that another index of the same table (a
    composite or a unique one) already starts with."""
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            indexes = connection.introspection.get_constraints(cursor, table)
            multi = [i["columns"] for i in indexes.values()
                     if (i["index"] or i["unique"]) and len(i["columns"]) > 1]
            for name, index in indexes.items():
                if (index["index"] and not index["unique"] and not index["primary_key"]
                        and len(index["columns"]) == 1
                        and any(cols[0] == index["columns"][0] for cols in multi)):
                    found.append(f"{table}.{name}")
    return found


def test_no_index_of_the_athletes_or_many_to_many_tables_is_covered_by_another():
    """athletes.0004 and training.0015 dropped them; a new field or table must not bring one
    back unnoticed (a redundant index costs every write and the disk)."""
    from django.apps import apps
    models = [*apps.get_app_config("athletes").get_models(),
              *apps.get_app_config("training").get_models()]
    tables = {m._meta.db_table for m in models if m._meta.app_label == "athletes"}
    tables |= {field.remote_field.through._meta.db_table for m in models
               for field in m._meta.local_many_to_many}
    assert "training_block_athletes" in tables and "athletes_user_groups" in tables
    assert _covered_single_column_indexes(sorted(tables)) == []
