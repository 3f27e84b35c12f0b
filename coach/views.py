import sys
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .access import login_required


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own home: coach -> planning, athlete -> today, admin -> roster."""
    user = request.user
    if user.is_coach:
        return redirect("training:coach-home")
    if user.athlete_or_none is not None:
        return redirect("training:today")
    if user.is_staff:
        return redirect("athletes:roster")
    return redirect("no-role")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    """An account that is neither admin, coach nor athlete yet."""
    return render(request, "no_role.html")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (the Django admin's pages):
    send them to the static icon. Not permanent: its hashed name changes with each deploy."""
    response = redirect(static("favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def _read_service_worker() -> bytes:
    """static/js/sw.js: from the source tree (finders), else from the collected files."""
    path = finders.find("js/sw.js")
    if path:
        with open(path, "rb") as source:
            return source.read()
    with staticfiles_storage.open("js/sw.js") as source:
        return source.read()


_cached_service_worker = cache(_read_service_worker)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The log page's service worker (static/js/sw.js, docs/frontend.md), served from the site
    root: a worker controls only the pages under the folder it is served from, and the log
    pages are under /sessions/. ``no-cache``: the browser asks for a new one on every visit, so a
    deploy reaches phones at once. Anyone may fetch it (it is the same file for everyone)."""
    code = _read_service_worker() if settings.DEBUG else _cached_service_worker()
    response = HttpResponse(code, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's answer to an exception nothing else caught (``handler500``; DEBUG off).

    When the database is down or restarting, ``503`` and a page that says so (drawn without
    the database: no login, no menu), with ``Retry-After``: the phone's outbox keeps what was
    typed and sends it again (static/js/log.js), and the app reconnects by itself on the next
    request (``CONN_HEALTH_CHECKS``). Anything else is a plain ``500``."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
