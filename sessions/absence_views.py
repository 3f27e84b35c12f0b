"""An athlete's availability: the days they are out (sick, injured, away), added, ended early
("back today") and deleted by the athlete, their coaches and admins
(``Athlete.objects.for_user``; anyone else gets a 404).

It lives in ``sessions/`` because "today" is the athlete's block's today
(``sessions.availability.athlete_today``), and ``athletes/`` imports nothing from
``sessions/``. Its URLs keep the ``athletes`` namespace (``sessions/athlete_urls.py``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from athletes.absence_forms import AbsenceForm
from athletes.models import Athlete
from coach.access import athlete_in

from .availability import athlete_today

PAST_SHOWN = 10  # ended absences listed under the current ones


def _page(athlete: Athlete) -> str:
    return reverse("athletes:availability", args=[athlete.pk])


@require_http_methods(["GET", "POST"])
@athlete_in("for_user")
def availability(request: HttpRequest, athlete: Athlete) -> HttpResponse:
    """The athlete's absences (current and coming, then the last ended ones) and the form that
    adds one. A refused form comes back with the message next to the field and what was
    typed in place."""
    today = athlete_today(athlete)
    form = AbsenceForm(request.POST or None, initial={"start": today, "end": today})
    if request.method == "POST" and form.is_valid():
        absence = form.save(commit=False)
        absence.athlete, absence.created_by = athlete, request.user
        absence.save()
        messages.success(request, f"{athlete.display_name}: {absence.get_reason_display()}, "
                                  f"{absence.days_text}.")
        return redirect(_page(athlete))
    return render(request, "training/availability.html", {
        "athlete": athlete, "form": form, "today": today,
        "current": list(athlete.absences.filter(end__gte=today).order_by("start", "end")),
        "past": list(athlete.absences.filter(end__lt=today).order_by("-end")[:PAST_SHOWN]),
        "nav": "profile" if athlete.user_id == request.user.pk else "",
    })


@require_POST
@athlete_in("for_user")
def absence_end(request: HttpRequest, athlete: Athlete, absence_pk: int) -> HttpResponse:
    """Back earlier than planned: the absence ends yesterday (today is available again). One
    that has not started yet is deleted instead, from its own button."""
    absence = get_object_or_404(athlete.absences.all(), pk=absence_pk)
    problem = absence.end_early(athlete_today(athlete))
    if problem:
        messages.warning(request, problem)
    else:
        absence.save(update_fields=["end"])
        messages.success(request, f"{athlete.display_name} is back from today "
                                  f"({absence.days_text} stay marked out).")
    return redirect(_page(athlete))


@require_POST
@athlete_in("for_user")
def absence_delete(request: HttpRequest, athlete: Athlete, absence_pk: int) -> HttpResponse:
    """Delete an absence entered by mistake: its sessions are expected again."""
    absence = get_object_or_404(athlete.absences.all(), pk=absence_pk)
    text = f"{absence.get_reason_display()}, {absence.days_text}"
    absence.delete()
    messages.success(request, f"Deleted: {text}.")
    return redirect(_page(athlete))
