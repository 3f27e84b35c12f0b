from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from coach import pace

from .models import Athlete, Squad, User


@require_GET
@staff_member_required(login_url="login")
def roster(request: HttpRequest) -> HttpResponse:
    """The admin's home: every squad with its coaches and athletes."""
    athletes = Athlete.objects.select_related("user").order_by("display_name")
    squads = Squad.objects.prefetch_related(
        "coaches", Prefetch("athletes", queryset=athletes)
    )
    unassigned = athletes.filter(squad__isnull=True)
    coaches = User.objects.filter(is_coach=True, is_active=True)
    return render(
        request,
        "athletes/roster.html",
        {"squads": squads, "unassigned": unassigned, "coaches": coaches, "nav": "roster"},
    )


@require_GET
@login_required
def athlete_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An athlete's profile: race results, personal bests, VDOT and training paces."""
    athlete = get_object_or_404(
        Athlete.objects.for_user(request.user)
        .select_related("user", "squad")
        .prefetch_related("race_results", "pace_overrides", "coaches"),
        pk=pk,
    )
    source = athlete.vdot_source()
    paces = []
    if source:
        profile = athlete.pace_profile()
        for zone in pace.ZONES:
            fast, slow = profile.sea_level(zone)
            paces.append({
                "zone": zone,
                "per_400": _span(pace.per_km_to_per_400(fast), pace.per_km_to_per_400(slow)),
                "per_km": _span(fast, slow, decimals=0),
                "per_mile": _span(
                    pace.per_km_to_per_mile(fast), pace.per_km_to_per_mile(slow), decimals=0
                ),
            })
    return render(
        request,
        "athletes/detail.html",
        {"athlete": athlete, "vdot": source, "paces": paces},
    )


def _span(fast: float, slow: float, *, decimals: int = 1) -> str:
    first = pace.format_time(fast, decimals=decimals)
    last = pace.format_time(slow, decimals=decimals)
    return first if first == last else f"{first}–{last}"
