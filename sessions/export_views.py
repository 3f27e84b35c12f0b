"""The plan outside the app (docs/watch-export-and-calendar.md): a session as a FIT workout for
the watch (``session_watch_file``), and each person's calendar feed: the page that turns it on,
renews or turns off its secret address (``calendar_page``, ``calendar_change``) and the feed
itself (``calendar_feed``, no login: the address's token is the credential).

Access: the watch file goes through ``Session.objects.for_user`` and the block's
``athletes_seen_by`` (an athlete gets only their own targets; the coach any athlete of the
block they coach now); anyone else gets a 404. The feed answers 404 at once to a token that is
unknown or turned off.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST, require_safe

from athletes.models import Athlete, User
from coach import prepared
from coach.access import login_required

from . import calendar_feed, fit_workout
from .models import Block, CalendarFeed, Session


@require_GET
@login_required
def session_watch_file(request: HttpRequest, pk: int, athlete: int) -> HttpResponse:
    """The session as ``athlete`` runs it, with their targets, as a FIT workout download."""
    session = _readable_session(request.user, pk)
    runner = _seen_athlete(session.block, request.user, athlete)
    file = fit_workout.workout_file(session, runner)
    response = HttpResponse(file.content, content_type=fit_workout.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    response["Cache-Control"] = "private, no-store"  # the plan may change: always fresh
    return response


def _readable_session(user: User, pk: int) -> Session:
    """Session ``pk`` with its block if ``user`` sees it (``Session.objects.for_user``), else
    a 404: one query, compiled once per kind of reader (``coach.prepared``): an admin, a coach
    or neither."""
    staff, coach = bool(user.is_staff), bool(user.is_coach)

    def build(session_id: int, user_id: int):
        reader = User(pk=user_id, is_staff=staff, is_coach=coach)  # who, for the rule only
        return Session.objects.for_user(reader).select_related("block").filter(pk=session_id)

    found = prepared.objects(f"watch_session:{staff}:{coach}", build, pk, user.pk)
    if not found:
        raise Http404("No Session matches the given query.")
    return found[0]


def _seen_athlete(block: Block, user: User, pk: int) -> Athlete:
    """Athlete ``pk`` if ``user`` sees them on the block's pages (``Block.athletes_seen_by``),
    else a 404: one query, compiled once per kind of viewer (an admin, the block's coach,
    anyone else)."""
    if user.is_staff:
        role = "staff"
    elif user.pk == block.coach_id:
        if not user.is_coach:  # ``for_coach``: nobody
            raise Http404("No Athlete matches the given query.")
        role = "coach"
    else:
        role = "other"

    def build(block_id: int, user_id: int, athlete_id: int):
        # who, for the rule only; the block's coach is the viewer only in the coach's case
        viewer = User(pk=user_id, is_staff=role == "staff", is_coach=role == "coach",
                      is_active=True)
        seen = Block(pk=block_id, coach_id=user_id if role == "coach" else None)
        return seen.athletes_seen_by(viewer).filter(pk=athlete_id)

    found = prepared.objects(f"watch_athlete:{role}", build, block.pk, user.pk, pk)
    if not found:
        raise Http404("No Athlete matches the given query.")
    return found[0]


# --- the calendar feed -------------------------------------------------------------------------


def _may_subscribe(request: HttpRequest) -> None:
    """The feed is for athletes (their sessions) and coaches (their blocks'): others 404."""
    if not (request.user.is_coach or request.user.athlete_or_none is not None):
        raise Http404("Nothing to put in a calendar")


@require_GET
@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The person's calendar feed: its address to copy, and the buttons that change it."""
    _may_subscribe(request)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = None
    if feed is not None and feed.is_on:
        url = request.build_absolute_uri(feed.get_absolute_url())
    return render(request, "training/calendar_feed.html", {
        "feed": feed, "feed_url": url, "webcal_url": url and "webcal://" + url.split("://", 1)[1],
        "is_coach": request.user.is_coach, "nav": "calendar",
    })


@require_POST
@login_required
def calendar_change(request: HttpRequest) -> HttpResponse:
    """``on`` (a new address, the old one if any stops working), ``new`` (the same) or
    ``off`` (the address stops working; nothing is shown any more)."""
    _may_subscribe(request)
    what = request.POST.get("feed")
    if what in ("on", "new"):
        calendar_feed.new_address(request.user)
        messages.success(request, "Your calendar address is ready: copy it into your calendar."
                         if what == "on" else
                         "New address made. The old one no longer works: subscribe again "
                         "with this one.")
    elif what == "off":
        calendar_feed.turn_off(request.user)
        messages.success(request, "Calendar feed turned off: its address no longer works.")
    else:
        messages.error(request, "Choose one of the buttons.")
    return redirect("training:calendar")


@require_safe  # GET, and HEAD: some calendar clients look before they fetch
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of the token's person; 404 for a token unknown or turned off."""
    feed = CalendarFeed.objects.by_token(token)
    if feed is None:
        raise Http404("No such calendar")
    body = calendar_feed.build(feed.user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "training.ics")
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
