"""The project's admin site: Django's, with the sidebar's list of apps and models built once per
set of permissions (docs/perf-admin.md, session 8).

Every admin page asks ``each_context`` for ``available_apps``: for every registered model its
permissions, then three ``reverse`` calls (the app's, the changelist's and the add page's
address), two thirds of the 0.9 ms ``each_context`` took. The dictionary Django builds is a
pure function of what goes into it: the registered models and their admins, each model's
permissions for the request's user (asked every time, as Django asks them), the active
language (the names), the URL configuration and script prefix (the addresses). Those are the
key of a small memo; each request gets its own copy of the dictionaries (``get_app_list``
sorts the lists in place). No data from the database is kept: the permissions are asked anew
on every request.

The sidebar's list of models (``sidebar_html``) is drawn by a Jinja2 fragment, and the markup
drawn is kept by everything it shows (a pure function of that), so the pages of a list, or of
the objects of one model, draw it once per process and language."""

from __future__ import annotations

from urllib.parse import quote as urlquote

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coach.jinja2 import render_fragment

_APP_DICTS: dict[tuple, dict] = {}
_APP_DICTS_MAX = 256  # distinct keys: permission sets x languages x URL configurations


class CoachAdminSite(admin.AdminSite):
    """``admin.site`` of the project (``CoachAdminConfig``): Django's, its app list memoized."""

    def _build_app_dict(self, request, label=None):
        models = self._registry.items()
        if label:
            models = [(m, m_a) for m, m_a in models if m._meta.app_label == label]
        rights = []
        for model, model_admin in models:  # what Django asks, in its order
            module = model_admin.has_module_permission(request)
            rights.append((model, model_admin, module,
                           tuple(model_admin.get_model_perms(request).items()) if module else ()))
        key = (self.name, label, get_language(), get_script_prefix(),
               get_urlconf() or settings.ROOT_URLCONF, tuple(rights))
        built = _APP_DICTS.get(key)
        if built is None:
            built = super()._build_app_dict(request, label)
            if len(_APP_DICTS) >= _APP_DICTS_MAX:
                _APP_DICTS.clear()
            _APP_DICTS[key] = built
        return {app_label: {**app, "models": [{**model, "perms": dict(model["perms"])}
                                              for model in app["models"]]}
                for app_label, app in built.items()}


def sidebar_html(path: str, available_apps: list[dict]) -> SafeString:
    """Django's ``admin/app_list.html`` as every admin page's sidebar includes it, from
    ``available_apps`` (the admin's ``each_context``): in the template language its loop over
    every model was a third of an admin list page's time. The app and the model of the page
    are marked as Django marks them (their address within the page's, URL-quoted)."""
    here = urlquote(path, safe="/")
    apps = [{
        "label": app["app_label"], "url": app["app_url"], "name": app["name"],
        "current": app["app_url"] in here,
        "title": _("Models in the %(name)s application") % {"name": app["name"]},
        "models": [{
            "lower": model["object_name"].lower(), "name": model["name"],
            "url": model["admin_url"], "add_url": model["add_url"],
            "current": bool(model["admin_url"]) and model["admin_url"] in here,
        } for model in app["models"]],
    } for app in available_apps]
    words = {"model_name": _("Model name"), "add_link": _("Add link"),
             "change_link": _("Change or view list link"), "add": _("Add"),
             "nothing": _("You don’t have permission to view or edit anything.")}
    # every value the fragment writes, as text: the same key, the same markup
    key = (tuple((*(_keyed(app[k]) for k in ("label", "url", "name", "title", "current")),
                  tuple(tuple(_keyed(v) for v in model.values()) for model in app["models"]))
                 for app in apps), tuple(_keyed(word) for word in words.values()))
    drawn = _SIDEBARS.get(key)
    if drawn is None:
        drawn = render_fragment("admin/nav_app_list.html", {"apps": apps, "words": words})
        if len(_SIDEBARS) >= 512:
            _SIDEBARS.clear()
        _SIDEBARS[key] = drawn
    return drawn


def _keyed(value) -> tuple:
    """``value`` in a memo's key: lazy text as its text now, with its type (markup and plain
    text of the same letters are written differently)."""
    if isinstance(value, Promise):
        value = str(value)
    return type(value), value


# The sidebars drawn, by everything they show (``sidebar_html``): a pure function of its key
# (the apps' and models' names, addresses and which is the page's; the words in the active
# language), so a page of the same list or of another object of the same model draws none.
_SIDEBARS: dict[tuple, SafeString] = {}


class CoachAdminConfig(AdminConfig):
    """``django.contrib.admin`` in ``INSTALLED_APPS``, its default site ``CoachAdminSite``."""

    default_site = "coach.admin_site.CoachAdminSite"
