from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
