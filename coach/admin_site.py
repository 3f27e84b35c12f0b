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
on every request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

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


class CoachAdminConfig(AdminConfig):
    """``django.contrib.admin`` in ``INSTALLED_APPS``, its default site ``CoachAdminSite``."""

    default_site = "coach.admin_site.CoachAdminSite"
