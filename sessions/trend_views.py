"""The block overview page: the block's athletes week by week against the plan
(``sessions.trend_pages.block_overview``), and the athlete's own trends, a section of their
profile page loaded on its own request (``athlete_training``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from athletes.models import Athlete, User
from coach import prepared
from coach.access import htmx_view, login_required

from . import availability, preview, trend_pages
from .athlete_views import page_athlete
from .block_views import readable_block
from .models import Block


@require_GET
@login_required
def block_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever sees the block: its coach every athlete they coach, an athlete only themselves
    (``Block.athletes_seen_by``)."""
    block = readable_block(request.user, pk)
    athletes = _seen_athletes(block, request.user)
    overview = trend_pages.block_overview(block, athletes, today=block.today())
    return render(request, "training/block_overview.html",
                  {"the_block": block, "overview": overview, "nav": "plan",
                   "can_plan": block.coach_id == request.user.pk})


def _seen_athletes(block: Block, user: User) -> list[Athlete]:
    """``block.athletes_seen_by(user)`` by name, with their race results and pace overrides
    (as ``prefetch_related`` reads them): three queries, each compiled once per kind of
    viewer (``coach.prepared``): an admin, the block's coach, anyone else."""
    if user.is_staff:
        role = "staff"
    elif user.pk == block.coach_id:
        if not user.is_coach:  # ``for_coach``: nobody
            return []
        role = "coach"
    else:
        role = "other"

    def build(block_id: int, user_id: int):
        # who, for the rule only; the block's coach is the viewer only in the coach's case
        viewer = User(pk=user_id, is_staff=role == "staff", is_coach=role == "coach",
                      is_active=True)
        seen = Block(pk=block_id, coach_id=user_id if role == "coach" else None)
        return seen.athletes_seen_by(viewer).order_by("display_name")

    return preview.keep_paces(prepared.objects(f"overview_athletes.{role}", build,
                                               block.pk, user.pk))


@htmx_view("GET")
@login_required
def athlete_training(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Training" section of an athlete's profile, drawn on its own request: the profile
    page asks for it once shown (htmx, ``hx-trigger="load"``), so its figures (seven queries
    over the whole period) do not weigh on the page itself; without JavaScript, the section's
    link opens it as a page. Whoever sees the athlete (``Athlete.objects.for_user``)."""
    # as the profile page reads them (``coach.prepared``, three queries): the athlete with the
    # time zone of their current block (``availability.athlete_today``'s, without its query),
    # their race results and pace overrides
    athlete = page_athlete(request.user, pk, scoped=True)
    if athlete is None:
        raise Http404("No Athlete matches the given query.")
    training = trend_pages.athlete_training(
        athlete, today=availability.today_in(athlete.block_tz),
        weeks=trend_pages.period(request.GET.get("weeks")))
    context = {"athlete": athlete, "training": training}
    if request.htmx:  # the section alone: it reads nothing of the request's context (the
        # navigation's roles would cost a query and their processors)
        return HttpResponse(render_to_string("training/_athlete_training.html", context))
    return render(request, "training/athlete_training.html",
                  {**context, "nav": "profile" if athlete.user_id == request.user.pk else ""})
