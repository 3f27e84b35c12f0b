"""Blocks and their calendar: create, edit, archive, the block page (the calendar of its
sessions, the athletes' own versions) and copying a week.

Access (coach/access.py): reading a block goes through ``for_user`` (its coach, its athletes,
admins); changing one goes through ``for_coach`` behind ``@coach_required``. The helpers
``own_block``, ``first_error``, ``drawn_version`` and ``calendar_or_redirect`` serve the
session views (views.py) too.
"""

from __future__ import annotations

import html

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from athletes.models import Athlete, User, distance_label
from coach import prepared
from coach.access import coach_required, htmx_view, login_required
from coach.jinja2 import url_maker
from coach.templatetags.coach_tags import clock

from . import (
    availability,
    block_calendar,
    history,
    planning,
)
from .forms import (
    BlockForm,
    CopyWeekForm,
)
from .models import Block, Session, Slot


def first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "Check the form."


def own_block(request: HttpRequest, pk: int) -> Block:
    """Block ``pk`` if this coach plans it (``for_coach``), else a 404."""
    return get_object_or_404(Block.objects.for_coach(request.user), pk=pk)

def drawn_version(request: HttpRequest, session: Session | Block | None) -> int | None:
    """The version a form re-shown after an error keeps (the one it was first drawn with, so a
    save in between is still caught), or the session's own on a fresh form."""
    if session is None:
        return None
    if request.method == "POST":
        posted = history.posted_version(request.POST)
        if posted is not None:
            return posted
    return session.version


# --- blocks ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coach_required
def block_new(request: HttpRequest) -> HttpResponse:
    """Create a block: dates, place, altitude, time zone, goal race, athletes."""
    return _block_form(request, None)


@require_http_methods(["GET", "POST"])
@coach_required
def block_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a block; upcoming unlogged sessions are re-planned when what targets depend on
    (athletes, altitude, goal) changed."""
    return _block_form(request, own_block(request, pk))


def _block_form(request: HttpRequest, block: Block | None) -> HttpResponse:
    """The block form, for a new block (``block`` None) or an existing one."""
    before = planning.plan_inputs(block) if block is not None else None
    form = BlockForm(request.POST or None, instance=block, coach=request.user)
    if request.method == "POST" and form.is_valid():
        if block is None:
            block = form.save()
            messages.success(request, f"Block “{block.title}” created. Add its first session.")
            return redirect(block)
        with transaction.atomic():
            seen = history.posted_version(request.POST)
            stale = (None if history.claim_version(block, seen)
                     else _block_conflict(request, form, seen))
            if stale is None:
                block = form.save()
                count = planning.replan_block(block, before=before)
        if stale is not None:
            return render(request, "training/block_form.html", {
                "form": form, "the_block": block, "nav": "plan", "conflict": stale,
                "version": stale.version})
        note = ""
        if count:
            note = f" Targets re-planned for {count} upcoming session{'s' * (count != 1)}."
        messages.success(request, f"Block saved.{note}")
        return redirect(block)
    return render(request, "training/block_form.html",
                  {"form": form, "the_block": block, "nav": "plan",
                   "version": drawn_version(request, block)})


BLOCK_FIELDS = {"title": "Title", "start_date": "First day", "end_date": "Last day",
                "place": "Place", "altitude_m": "Altitude (m)", "time_zone": "Time zone",
                "goal_race_name": "Goal race", "goal_race_date": "Goal race date",
                "goal_distance_m": "Goal race distance (m)", "notes": "Notes"}


def _block_conflict(request: HttpRequest, form: BlockForm, seen: int | None) -> history.Conflict:
    """A refused stale save of the block form: what changed since it was drawn beside what
    this editor typed (the athletes too, when they differ)."""
    current = Block.objects.get(pk=form.instance.pk)
    form.instance.title = current.title  # the page's crumbs name it as saved (the box: typed)
    yours = {**form.cleaned_data, "goal_distance_m": form.cleaned_data.get("goal_distance")}
    extra = []
    now = sorted(current.athletes.values_list("display_name", flat=True))
    typed = sorted(a.display_name for a in form.cleaned_data.get("athletes") or ())
    if now != typed:
        extra.append(history.FieldChange("Athletes", ", ".join(now) or "—",
                                         ", ".join(typed) or "—"))
    return history.conflict(current, seen, yours, BLOCK_FIELDS, user=request.user,
                            noun="block", extra=extra, long=("notes",))


@require_POST
@coach_required
def block_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a block (it leaves the athletes' days and the current list), or restore it."""
    block = own_block(request, pk)
    block.archived = request.POST.get("archived", "1") != "0"
    block.save(update_fields=["archived"])
    if block.archived:
        messages.success(request, f"“{block.title}” archived. You can restore it from its page.")
        return redirect("training:coach-home")
    messages.success(request, f"“{block.title}” restored.")
    return redirect(block)


@htmx_view("GET")
@login_required
def block_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A block as a calendar: one row per week, AM and PM per day, week and block totals."""
    return _render_block(request, readable_block(request.user, pk))


def readable_block(user, pk: int) -> Block:
    """Block ``pk`` if ``user`` may read it (``Block.objects.for_user``), else a 404: the
    query compiled once per kind of reader (``coach.prepared``), an admin, a coach or not."""
    if not user.is_authenticated:
        raise Http404
    staff, coach = bool(user.is_staff), bool(user.is_coach)

    def build(block_id: int, user_id: int):
        reader = User(pk=user_id, is_staff=staff, is_coach=coach)  # who, for the rule only
        return Block.objects.for_user(reader).filter(pk=block_id)

    found = prepared.objects(f"readable_block:{staff}:{coach}", build, pk, user.pk)
    if not found:
        raise Http404("No Block matches the given query.")
    return found[0]


def _render_block(request: HttpRequest, block: Block, *,
                  notice: dict | None = None) -> HttpResponse:
    """The block page, or only its calendar for htmx (after a move or a copy)."""
    can_plan = block.coach_id == request.user.pk
    if can_plan:
        block.coach = request.user  # not fetched again (coached_athletes)
    seen = block_calendar.seen_athletes(block, request.user)
    calendar = block_calendar.build_calendar(
        block, _athlete_viewer(request, block),
        # for its coach, who they see of the block are its coached athletes
        coached=seen if can_plan and not request.user.is_staff else None)
    availability.mark_calendar(calendar, block, seen)  # who is out, greyed
    context = {
        "the_block": block, "nav": "plan", "calendar": calendar, "can_plan": can_plan,
        "calendar_html": block_calendar.render_calendar(
            calendar, block=block, can_plan=can_plan, today=block.today(), notice=notice,
            csrf_token=get_token(request)),
    }
    if request.htmx:
        return render(request, "training/block.html#calendar", context)
    athletes = (seen if block.coach_id == request.user.pk
                else block.athletes.active().order_by("display_name"))
    # an admin opens every profile; the block's coach is shown only the athletes they coach
    context["athletes"] = _with_profile_links(request, athletes,
                                              all_openable=can_plan or request.user.is_staff)
    if not all(hasattr(a, "goal_time_s") for a in context["athletes"]):  # (seen_athletes)
        goals = block.goal_times()
        for athlete in context["athletes"]:
            athlete.goal_time_s = goals.get(athlete.pk)
    context["athletes_html"] = _athletes_line(context["athletes"])
    context["urls"] = {  # the page's own addresses (``{{ urls.block_edit }}``)
        name.replace("-", "_"): url_maker(f"training:{name}")(block.pk)
        for name in ("session-new", "block-edit", "block-overview", "block-archive")}
    goal = block.goal_distance_m
    context["goal_distance"] = distance_label(goal) if goal else ""
    context["slots"] = Slot.values  # the choices of the calendar's one move/copy menu
    return render(request, "training/block.html", context)


def _athletes_line(athletes: list[Athlete]) -> SafeString:
    """The block's athletes, comma-separated, each linked to their profile where the viewer may
    open it, with their goal time for the goal race (written here, not in a loop of the
    template: a squad of 20 was a third of the page's Django template time). What
    ``format_html`` wrote, with Django's ``escape`` (``html.escape``) called directly on the
    plain texts: ``tests/test_planning_blocks.py`` compares the two."""
    parts = []
    for a in athletes:
        name = _escape(a.display_name)
        part = f'<a href="{_escape(a.profile_url)}">{name}</a>' if a.can_open else name
        if a.goal_time_s:
            part += (' <span class="athlete-goal-time">(goal <span class="num">'
                     f'{_escape(clock(a.goal_time_s))}</span>)</span>')
        parts.append(part)
    # bandit exception (B308, B703): every text escaped above
    return mark_safe(", ".join(parts))  # nosec


def _escape(text) -> str:
    """``django.utils.html.conditional_escape`` of a plain text (``html.escape(str(text))``);
    markup already stays as it is."""
    return str(text) if hasattr(text, "__html__") else html.escape(str(text))


def _athlete_viewer(request: HttpRequest, block: Block) -> Athlete | None:
    """The viewer when they are an athlete of the block (not its coach): the calendar shows
    them what they run, their own versions included."""
    me = request.user.athlete_or_none
    if me is None or block.coach_id == request.user.pk:
        return None
    return me if block.athletes.filter(pk=me.pk).exists() else None


def _with_profile_links(request: HttpRequest, athletes, *,
                        all_openable: bool = False) -> list[Athlete]:
    """The athletes, each with ``can_open``: whether this viewer may open their profile (an
    athlete sees the teammates of a block but may open only their own profile), and its
    ``profile_url``. ``all_openable``: the caller knows the viewer may open every one (no
    query)."""
    athletes = list(athletes)
    profile_url = url_maker("athletes:detail")
    if all_openable:
        openable = {a.pk for a in athletes}
    else:
        openable = set(Athlete.objects.for_user(request.user)
                       .filter(pk__in=[a.pk for a in athletes]).values_list("pk", flat=True))
    for athlete in athletes:
        athlete.can_open = athlete.pk in openable
        athlete.profile_url = profile_url(athlete.pk)
    return athletes


def calendar_or_redirect(request: HttpRequest, block: Block, notice: dict) -> HttpResponse:
    """After a calendar change: the refreshed calendar for htmx. Without JavaScript: back to
    the block after a success, or the block page with the notice (and its swap button)."""
    if request.htmx or not (notice.get("ok") or notice.get("partial")):
        return _render_block(request, block, notice=notice)
    messages.add_message(request, messages.SUCCESS if notice["ok"] else messages.WARNING,
                         notice["text"])
    return redirect(block)


@htmx_view("POST")
@coach_required
def block_copy_week(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy one week's sessions onto another week, keeping weekdays and AM/PM."""
    block = own_block(request, pk)
    form = CopyWeekForm(request.POST, block=block)
    if not form.is_valid():
        return calendar_or_redirect(request, block, {"ok": False, "text": first_error(form)})
    result = planning.copy_week(block, source=form.cleaned_data["source"],
                                target=form.cleaned_data["target"])
    return calendar_or_redirect(request, block, {
        "ok": bool(result.copied) and not result.skipped, "partial": bool(result.skipped),
        "text": result.summary(), "copied": [s.pk for s in result.copied],
    })
