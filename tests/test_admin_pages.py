"""The admin's pages drawn for speed, session 8 (docs/perf-admin.md): the same output as
Django's own code and templates, byte for byte."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils import translation

from coach import admin_site
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
