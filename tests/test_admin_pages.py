"""The admin's pages drawn for speed, session 8 (docs/perf-admin.md): the same output as
Django's own code and templates, byte for byte."""

from __future__ import annotations

import datetime as dt
import re

import markupsafe
import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from coach import admin_raw_ids, admin_site, admin_tables
from coach.jinja2 import render_fragment
from sessions.logbook import save_rep, start_log
from tests import factories as f

pytestmark = pytest.mark.django_db


def _csrf_blank(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _csrf_blank(response.content.decode())


def _request(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _djangos(request, label=None):
    return AdminSite._build_app_dict(admin.site, request, label)


def test_the_site_is_the_projects():
    assert isinstance(admin.site._wrapped, admin_site.CoachAdminSite)


@pytest.mark.parametrize("label", [None, "training", "athletes"])
def test_the_app_list_is_djangos_for_each_set_of_permissions(admin_user, label):
    staff = f.make_user(username="staffer", is_staff=True)
    admin_site._APP_DICTS.clear()
    for _ in range(2):  # built, then from the memo
        assert admin.site._build_app_dict(_request(admin_user), label) == _djangos(
            _request(admin_user), label)
        staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per user object
        assert admin.site._build_app_dict(_request(staff), label) == _djangos(
            _request(staff), label) == {}
    staff.user_permissions.add(Permission.objects.get(codename="view_session",
                                                      content_type__app_label="training"))
    staff = type(staff).objects.get(pk=staff.pk)
    ours = admin.site._build_app_dict(_request(staff), label)
    assert ours == _djangos(_request(staff), label)
    if label != "athletes":
        assert [m["object_name"] for m in ours["training"]["models"]] == ["Session"]
        assert ours["training"]["models"][0]["view_only"] is True
    with translation.override("de"):  # the names in the active language
        german = admin.site._build_app_dict(_request(admin_user), label)
        assert german == _djangos(_request(admin_user), label)


def test_a_request_changing_its_app_list_leaves_the_next_ones_alone(admin_user):
    first = admin.site.get_app_list(_request(admin_user))
    first[0]["models"].clear()
    first[0]["name"] = "changed"
    again = admin.site._build_app_dict(_request(admin_user))
    again["training"]["models"][0]["perms"]["add"] = "changed"
    assert admin.site.get_app_list(_request(admin_user)) == AdminSite.get_app_list(
        admin.site, _request(admin_user)) != first
    assert admin.site._build_app_dict(_request(admin_user)) == _djangos(_request(admin_user))


def test_the_sidebar_asks_the_permissions_on_every_request(admin_user, monkeypatch):
    model_admin = admin.site._registry[next(m for m in admin.site._registry
                                             if m._meta.model_name == "session")]
    admin.site._build_app_dict(_request(admin_user))
    monkeypatch.setattr(model_admin, "has_module_permission", lambda request: False)
    shown = admin.site._build_app_dict(_request(admin_user))
    assert "Session" not in [m["object_name"] for m in shown["training"]["models"]]
    assert shown == _djangos(_request(admin_user))


HOSTILE = "<b>&'\"</b>"


@pytest.mark.parametrize("link_text", ["Change", "View"])
@pytest.mark.parametrize("rows", [0, 1, 3])
@pytest.mark.parametrize("list_url", ["", "/admin/x/?a=1&b=<2>"])
def test_a_read_only_table_is_what_its_jinja2_template_writes(link_text, rows, list_url):
    table = {
        "heads": [("name", HOSTILE), ("lazy", translation.gettext_lazy("Date")),
                  ("safe", mark_safe("<i>x</i>"))],
        "rows": [{
            "name": mark_safe(f"<b>row {i}</b>") if i else HOSTILE,
            "url": f"/admin/y/{i}/?q=&<'\"" if i != 1 else "",
            "site_url": "" if i else "/r/1/&'",
            "cells": [("name", HOSTILE), ("lazy", mark_safe('<a href="/">&amp;</a>')),
                      ("safe", "")],
        } for i in range(rows)],
        "link_text": link_text,
        "list_url": list_url,
        "list_text": f"These {HOSTILE} in their list",
    }
    assert admin_tables.table_markup(table) == render_fragment("admin/readonly_table.html",
                                                               table)


def test_the_admins_session_list_is_read_in_the_order_of_an_index(admin_user):
    """Without it PostgreSQL sorted every session for each page of the list (14-24 ms at
    13,000 sessions; 0.15 ms through the index)."""
    from sessions.models import Session

    request = _request(admin_user, "/admin/training/session/")
    changelist = admin.site._registry[Session].get_changelist_instance(request)
    ordering = changelist.get_ordering(request, Session.objects.all())
    index = {i.name: i.fields for i in Session._meta.indexes}["session_date_order"]
    assert [name.replace("-pk", "-id") for name in ordering] == index == ["date", "slot", "-id"]


SAMPLES = [HOSTILE, mark_safe(HOSTILE), translation.gettext_lazy("Date"), 12, None,
           lazy(lambda: mark_safe("<i>&</i>"), str)(), markupsafe.Markup("<b>&amp;</b>")]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_quick_escapes_write_what_django_and_jinja2_write(text):
    assert admin_tables._escaped(text) == conditional_escape(text)
    assert admin_tables._jinja(text) == markupsafe.escape(text)


def _drawn_afresh(path, apps):
    kept = dict(admin_site._SIDEBARS)
    admin_site._SIDEBARS.clear()
    try:
        return admin_site.sidebar_html(path, apps)
    finally:
        admin_site._SIDEBARS.clear()
        admin_site._SIDEBARS.update(kept)


def test_a_sidebar_kept_is_the_one_its_page_would_draw(admin_user):
    staff = f.make_user(username="staffer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_session",
                                                      content_type__app_label="training"))
    staff = type(staff).objects.get(pk=staff.pk)
    paths = ["/admin/", "/admin/training/session/", "/admin/training/session/3/change/",
             "/admin/training/block/", "/admin/athletes/", "/admin/training/session/"]
    for user in (admin_user, staff, admin_user):
        for language in ("en", "de", "en"):
            with translation.override(language):
                apps = admin.site.get_app_list(_request(user))
                for path in paths:  # from the memo (a path seen before) or drawn
                    kept = admin_site.sidebar_html(path, apps)
                    assert kept == _drawn_afresh(path, apps)
    with_markup = [{**app, "name": mark_safe("<b>Training</b>")}
                   for app in admin.site.get_app_list(_request(admin_user))]
    as_text = [{**app, "name": "<b>Training</b>"} for app in with_markup]
    assert "<b>Training</b>" in admin_site.sidebar_html("/admin/", with_markup)
    assert "&lt;b&gt;Training" in admin_site.sidebar_html("/admin/", as_text)


@pytest.fixture
def logged(block, athlete):
    session = f.planned(block, "2mi WU; 6x400 @ T+ (200 jog); 2mi CD", title="Tempo <b>&</b>")
    log = start_log(session, athlete)
    rep = log.reps.order_by("position").first()
    save_rep(rep, {"actual_s": 65.0})
    return log


def _djangos_boxes(monkeypatch):
    """Django's raw-id boxes: each reads its object itself."""
    monkeypatch.setattr(admin_raw_ids.KnownObjectRawIdWidget, "label_and_url_for_value",
                        ForeignKeyRawIdWidget.label_and_url_for_value)


def _change_pages(logged):
    rep = logged.reps.order_by("position").first()
    return [reverse(f"admin:training_{name}_change", args=[pk]) for name, pk in (
        ("sessionlog", logged.pk), ("represult", rep.pk), ("session", logged.session_id),
        ("block", logged.session.block_id))]


def test_raw_id_boxes_name_their_objects_from_the_pages_query(
        admin_client_, logged, monkeypatch):
    ours = {}
    for url in _change_pages(logged):
        _page(admin_client_, url)  # once before: the content types are read once a process
        with CaptureQueriesContext(connection) as captured:
            ours[url] = _page(admin_client_, url)
        ours[url] = (ours[url], len(captured))
    _djangos_boxes(monkeypatch)
    saved = {"sessionlog": 2, "represult": 2, "session": 1, "block": 1}  # one query a box
    for url, (html, count) in ours.items():
        with CaptureQueriesContext(connection) as captured:
            assert _page(admin_client_, url) == html
        assert count == len(captured) - next(n for name, n in saved.items() if name in url)
    assert 'href="/admin/training/session/' in ours[_change_pages(logged)[0]][0]


def test_a_box_sent_back_naming_another_row_names_that_row(admin_client_, logged, block,
                                                          monkeypatch):
    other = f.planned(block, "4x200 @ mile", title="Other <i>one</i>",
                      date=logged.session.date + dt.timedelta(days=1))
    url = reverse("admin:training_sessionlog_change", args=[logged.pk])
    data = {"session": other.pk, "athlete": logged.athlete_id, "rpe": "99", "completed": "on",
            "reps-TOTAL_FORMS": "0", "reps-INITIAL_FORMS": "0",
            "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0"}
    ours = admin_client_.post(url, data).content.decode()
    assert "Other &lt;i&gt;one" in ours
    _djangos_boxes(monkeypatch)
    assert _csrf_blank(admin_client_.post(url, data).content.decode()) == _csrf_blank(ours)


def test_a_related_manager_that_filters_is_asked_as_django_asks_it(logged, monkeypatch):
    from sessions.models import Session

    widget = admin_raw_ids.KnownObjectRawIdWidget(
        logged._meta.get_field("session").remote_field, admin.site)
    widget.known = logged.session
    assert widget.label_and_url_for_value(logged.session_id)[0].startswith(str(logged.session.date))
    manager = type(Session._default_manager)
    original = manager.get_queryset
    monkeypatch.setattr(manager, "get_queryset", lambda self: original(self).filter(pk=-1))
    assert widget.label_and_url_for_value(logged.session_id) == ("", "")
    assert widget.label_and_url_for_value(str(logged.session_id + 1)) == ("", "")
