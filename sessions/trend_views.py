"""The block overview page: the block's athletes week by week against the plan
(``sessions.trend_pages.block_overview``). The athlete's own trends are a section of their
profile page (``sessions.athlete_views``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from coach.access import login_required

from . import trend_pages
from .models import Block


@require_GET
@login_required
def block_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever sees the block: its coach every athlete they coach, an athlete only themselves
    (``Block.athletes_seen_by``)."""
    block = get_object_or_404(Block.objects.for_user(request.user), pk=pk)
    athletes = list(block.athletes_seen_by(request.user).order_by("display_name")
                    .prefetch_related("race_results", "pace_overrides"))
    overview = trend_pages.block_overview(block, athletes, today=block.today())
    return render(request, "training/block_overview.html",
                  {"the_block": block, "overview": overview, "nav": "plan",
                   "can_plan": block.coach_id == request.user.pk})
