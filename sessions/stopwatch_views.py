"""The coach's stopwatch pages (issue 13): the phone page, the results it sends, the squad's
table. The rules are ``sessions/stopwatch.py``; the protocol is docs/stopwatch.md.

Who: the block's coach and admins (``stopwatch.timeable_by``); anyone else gets 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from coach.access import login_required

from . import stopwatch
from .models import Session


def _session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        stopwatch.timeable_by(request.user).select_related("block"), pk=pk)


@require_GET
@login_required
def stopwatch_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page: pick who runs, Go, a button per athlete. Everything after loading it
    happens on the phone (static/js/stopwatch.js), with or without a signal."""
    session = _session(request, pk)
    athletes = stopwatch.athletes_for(session, request.user)
    data = stopwatch.stopwatch_data(session, athletes, request.user)
    data["csrf"] = get_token(request)
    return render(request, "training/stopwatch.html", {
        "session": session, "the_block": session.block, "data": data,
        "athletes": data["athletes"], "nav": "plan",
    })


@require_POST
@login_required
def stopwatch_result(request: HttpRequest, pk: int) -> HttpResponse:
    """One result from the phone into an athlete's log (JSON answer; docs/stopwatch.md)."""
    session = _session(request, pk)
    try:
        result = stopwatch.parse(request.POST)
    except stopwatch.Invalid as exc:
        return JsonResponse({"status": "invalid", "message": str(exc)}, status=400)
    athlete = session.block.athletes_seen_by(request.user).filter(pk=result.athlete_id).first()
    if athlete is None:
        raise Http404("Not an athlete of this block")
    try:
        outcome = stopwatch.record(session, athlete, request.user, result)
    except stopwatch.Invalid as exc:
        return JsonResponse({"status": "invalid", "message": str(exc), "cid": result.cid},
                            status=400)
    return JsonResponse(outcome.as_json(), status=409 if outcome.status == "conflict" else 200)


@require_GET
@login_required
def stopwatch_table(request: HttpRequest, pk: int) -> HttpResponse:
    """After the session: athletes by reps, with deviations, and a link to each summary."""
    session = _session(request, pk)
    athletes = stopwatch.athletes_for(session, request.user)
    columns, lines = stopwatch.squad_table(session, athletes)
    return render(request, "training/stopwatch_table.html", {
        "session": session, "the_block": session.block, "columns": columns, "lines": lines,
        "nav": "plan",
    })
