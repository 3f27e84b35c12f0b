"""The admin's pages drawn for speed, session 8 (docs/perf-admin.md): the same output as
Django's own code and templates, byte for byte."""

from __future__ import annotations

import markupsafe
import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from coach import admin_site, admin_tables
from coach.jinja2 import render_fragment
from tests import factories as f

pytestmark = pytest.mark.django_db


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
