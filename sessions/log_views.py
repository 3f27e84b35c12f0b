"""Athlete-facing pages: today, the log form, history."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from athletes.models import Athlete

from .models import Session, SessionLog


def _athlete_or_404(request: HttpRequest) -> Athlete:
    athlete = request.user.athlete_or_none
    if athlete is None:
        raise Http404("Not an athlete")
    return athlete


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The athlete's home: today's sessions in each block's time zone, the next days, last logs."""
    athlete = _athlete_or_404(request)
    server_today = timezone.now().date()
    window = (
        Session.objects.for_athlete(athlete)
        .filter(date__gte=server_today - dt.timedelta(days=1),
                date__lte=server_today + dt.timedelta(days=8))
        .select_related("block")
        .prefetch_related(Prefetch("logs", queryset=SessionLog.objects.filter(athlete=athlete)))
        .order_by("date", "slot")
    )
    todays, upcoming = [], []
    for s in window:
        local_today = s.block.today()
        s.my_log = next(iter(s.logs.all()), None)
        if s.date == local_today:
            todays.append(s)
        elif local_today < s.date <= local_today + dt.timedelta(days=6):
            upcoming.append(s)
    logs = athlete.logs.select_related("session").order_by("-date_done", "-created")[:5]
    return render(
        request,
        "training/today.html",
        {"athlete": athlete, "todays": todays, "upcoming": upcoming, "logs": logs, "nav": "today"},
    )


@require_GET
@login_required
def history(request: HttpRequest) -> HttpResponse:
    """The athlete's logs, newest first."""
    athlete = _athlete_or_404(request)
    logs = athlete.logs.select_related("session__block").order_by("-date_done", "-created")
    return render(request, "training/history.html", {"logs": logs, "nav": "history"})
