import datetime as dt
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from athletes.models import Athlete

from .models import Block, PlannedStep, PlannedTarget, Session, SessionLog


def _coach_required(request: HttpRequest) -> None:
    if not request.user.is_coach:
        raise Http404("Not a coach")


@require_GET
@login_required
def coach_home(request: HttpRequest) -> HttpResponse:
    """The coach's planning overview: their blocks (current first), athletes, recent logs."""
    _coach_required(request)
    blocks = (
        Block.objects.for_coach(request.user).current_first().prefetch_related("athletes")
    )
    athletes = Athlete.objects.for_coach(request.user).active().select_related("squad")
    logs = (
        SessionLog.objects.filter(athlete__in=athletes)
        .select_related("athlete", "session")
        .order_by("-date_done", "-created")[:8]
    )
    return render(
        request,
        "training/coach_home.html",
        {"blocks": blocks, "athletes": athletes, "logs": logs, "nav": "plan"},
    )


@require_GET
@login_required
def block_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A block as a calendar: one row per week, AM and PM sessions per day, week totals."""
    block = get_object_or_404(
        Block.objects.for_user(request.user).prefetch_related("athletes"), pk=pk
    )
    sessions = block.sessions.order_by("date", "slot")
    by_day: dict[dt.date, list[Session]] = defaultdict(list)
    for s in sessions:
        by_day[s.date].append(s)
    weeks = []
    for days in block.weeks():
        week_sessions = [s for d in days for s in by_day.get(d, [])]
        weeks.append({
            "days": [{"date": d, "in_block": block.start_date <= d <= block.end_date,
                      "sessions": by_day.get(d, [])} for d in days],
            "total_km": sum(s.total_distance_m for s in week_sessions) / 1000,
            "work_km": sum(s.work_distance_m for s in week_sessions) / 1000,
            "quality": sum(1 for s in week_sessions if s.is_quality),
        })
    totals = {
        "total_km": sum(w["total_km"] for w in weeks),
        "work_km": sum(w["work_km"] for w in weeks),
        "quality": sum(w["quality"] for w in weeks),
    }
    return render(
        request,
        "training/block.html",
        {"block": block, "weeks": weeks, "totals": totals, "nav": "plan",
         "today": block.today()},
    )


@require_GET
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A planned session: its steps and, for each athlete, the target of every rep."""
    session = get_object_or_404(
        Session.objects.for_user(request.user).select_related("block"), pk=pk
    )
    athletes = list(session.block.athletes.all())
    if not request.user.is_staff and not request.user.is_coach:
        athletes = [a for a in athletes if a.user_id == request.user.pk]
    targets = PlannedTarget.objects.filter(step__session=session, athlete__in=athletes)
    steps = session.steps.prefetch_related(Prefetch("targets", queryset=targets))
    rows = []
    for step in steps:
        by_athlete = {t.athlete_id: t for t in step.targets.all()}
        rows.append({"step": step, "targets": [by_athlete.get(a.pk) for a in athletes]})
    return render(
        request,
        "training/session.html",
        {"session": session, "block": session.block, "athletes": athletes, "rows": rows,
         "kinds": dict(PlannedStep._meta.get_field("kind").choices)},
    )
