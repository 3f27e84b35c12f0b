"""Coach planning: the coach's home, sessions typed in notation with a live preview, moving
and copying sessions, keeping one as a template and the printable session card (blocks and
their calendar: block_views.py; templates: template_views.py).

Access (coach/access.py): reading a session goes through ``for_user`` (its coach, its athletes,
admins); changing one goes through ``for_coach`` behind ``@coach_required``: only the block's
own coach plans it, and anyone else gets a 404. htmx requests get the partial of the same
template, others a full page or a redirect, so every form works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache, partial
from typing import NamedTuple

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from athletes.models import Athlete
from coach import notation, prepared
from coach.access import coach_required, htmx_view, login_required
from coach.jinja2 import render_fragment, url_maker

from . import (
    attention,
    availability,
    history,
    home_lists,
    home_page,
    overview,
    planning,
    step_rows,
    stopwatch,
    versions,
    volumes,
    workout_history,
)
from .block_views import calendar_or_redirect, drawn_version, first_error, own_block
from .forms import (
    SessionForm,
    SlotForm,
    TemplateForm,
    notation_message,
)
from .models import Block, Session, SessionLog, SessionTemplate, Slot
from .planning import plan_session
from .preview import Preview, block_athletes, build_preview


def _own_session(request: HttpRequest, pk: int) -> Session:
    """Session ``pk``, with its block, if this coach plans the block, else a 404: the query
    compiled once (``coach.prepared``; ``for_coach`` reads only that the user is a coach)."""
    user = request.user
    if not user.is_authenticated or not user.is_coach:  # ``for_coach``: none
        raise Http404("No Session matches the given query.")
    found = prepared.objects("own_session", _own_session_query, pk, user.pk)
    if not found:
        raise Http404("No Session matches the given query.")
    return found[0]


def _own_session_query(session_id: int, coach_id: int):
    coach = attention.stand_in_user(coach_id, True, False)
    return Session.objects.for_coach(coach).select_related("block").filter(pk=session_id)


# --- the coach's home -----------------------------------------------------------------------


@require_GET
@coach_required
def coach_home(request: HttpRequest) -> HttpResponse:
    """The coach's home: their athletes' week (``sessions.overview``; an htmx request for
    another week or order gets the table alone), today at the track, what needs attention,
    blocks (current first, then archived), who is out, the latest logs."""
    today = timezone.localdate()
    table = overview.athlete_table(
        request.user, today=today, week=request.GET.get(overview.WEEK_PARAM),
        sort=request.GET.get(overview.SORT_PARAM), direction=request.GET.get(overview.DIR_PARAM))
    if request.htmx and request.htmx.target == "athlete-table":
        return render(request, "training/coach_home.html#athlete-table", {"table": table})
    athletes = [row.athlete for row in table.rows]  # the coach's active athletes
    blocks = home_page.blocks(request.user, athletes)
    current, archived = blocks.current, blocks.archived
    # the sessions of the last two weeks: the missing logs' and today's at the track
    read = {b.pk for b in current} | {m.block_id for m in blocks.members}
    window = attention.window_sessions(read, timezone.now().date(),
                                       known={b.pk: b for b in blocks.current})
    # who is out this week and the missing logs: one read of the absences
    absences = attention.absences_around(request.user, today, availability.OUT_SOON_DAYS)
    found = attention.missing_logs(request.user, limit=home_lists.SHOWN, absences=absences,
                                   sessions=window, sessions_of=read, members=blocks.members)
    out_soon = absences.overlapping([a.pk for a in athletes], today,
                                    today + dt.timedelta(days=availability.OUT_SOON_DAYS - 1))
    return render(request, "training/coach_home.html", {
        "table": table, "nav": "plan", "today": today,
        "at_the_track": stopwatch.todays_sessions(current, sessions=window),
        "lists": home_page.render_lists(current=current, archived=archived, out_soon=out_soon,
                                        logs=home_page.latest_logs(request.user), today=today),
        **home_lists.attention_context(request.user, found=found,
                                       more_url=reverse("training:logs")),
    })


# --- sessions -------------------------------------------------------------------------------
# --- sessions -------------------------------------------------------------------------------


def _templates(request: HttpRequest):
    return SessionTemplate.objects.for_coach(request.user).order_by("title")


def _logged(session_id: int) -> int:
    """``session.logs.count()``, compiled once (``coach.prepared``): a log per athlete."""
    return len(prepared.rows("session_form.logged", _logs_query, session_id)[1])


def _logs_query(session_id: int):
    return SessionLog.objects.filter(session=session_id).order_by().values_list("pk")


def _template_list(user) -> list[SessionTemplate]:
    """``_templates`` as a list, for the session form's chips: the query compiled once
    (``coach.prepared``; ``for_coach`` reads the user's id alone)."""
    return prepared.objects("session_form.templates", _templates_query, user.pk)


def _templates_query(coach_id: int):
    return SessionTemplate.objects.for_coach(coach_id).order_by("title")


@require_http_methods(["GET", "POST"])
@coach_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a session to a block: ``?date=&slot=`` pick the place, ``?template=`` fills it."""
    block = own_block(request, pk)
    initial = {"date": request.GET.get("date") or _default_day(block),
               "slot": request.GET.get("slot") or Slot.AM, "tolerance_pct": 1.5}
    template = None
    if request.GET.get("template", "").isdecimal():
        template = _templates(request).filter(pk=request.GET["template"]).first()
    if template is not None:
        initial.update(title=template.title, notation=template.notation, notes=template.notes)
    form = SessionForm(request.POST or None, block=block, initial=initial)
    return _session_form(request, block, form)


@require_http_methods(["GET", "POST"])
@coach_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a session; saving re-parses the workout and re-plans every athlete's targets."""
    session = _own_session(request, pk)
    form = SessionForm(request.POST or None, instance=session, block=session.block)
    return _session_form(request, session.block, form)


def _session_form(request: HttpRequest, block: Block, form: SessionForm) -> HttpResponse:
    wants_preview = request.POST.get("action") == "preview"
    athletes = block_athletes(block, request.user)
    own = versions.VersionsForm(request.POST or None, block=block, athletes=athletes,
                                session=form.instance if form.instance.pk else None)
    # both forms validated, so every box shows its own error at once
    valid = request.method == "POST" and all([form.is_valid(), own.is_valid()])
    stale = None
    if valid and not wants_preview:
        with transaction.atomic():
            seen = history.posted_version(request.POST)
            if form.instance.pk and not history.claim_version(form.instance, seen):
                stale = _session_conflict(request, form, own, athletes, seen)
            else:
                session = form.save()
                versions.save_versions(session, own.notations(session.notation))
                plan_session(session)
    if valid and not wants_preview and stale is None:
        messages.success(request, f"Saved “{session.title}”, {session.date:%a %-d %b} "
                                  f"{session.slot}.")
        for warning in _preview_of(form.workout, block).volume_warnings:
            messages.warning(request, f"“{session.title}”: {warning}")
        by_pk = {a.pk: a for a in athletes}
        for athlete_pk, text in own.notations(session.notation).items():  # versions warn too
            workout = (own.workouts.get(athlete_pk) or _parsed_or_none(text)) if text else None
            if workout is None or athlete_pk not in by_pk:
                continue
            athlete = by_pk[athlete_pk]
            version = build_preview(workout, block, [athlete])
            for warning in version.volume_warnings:
                messages.warning(request, f"“{session.title}”, {athlete.display_name}’s "
                                          f"version: {warning}")
        return redirect(session if request.POST.get("next") == "session" else block)
    if form.is_bound:  # what was typed, if it parsed (the error is next to the box if not)
        workout, text = form.workout, form.data.get("notation", "")
    else:  # the session or template being edited
        text = form.initial.get("notation") or form.instance.notation
        workout = _parsed_or_none(text)
    texts = (versions.typed_texts(request.POST, athletes) if own.is_bound
             else {a.pk: own.initial.get(versions.field_name(a), "") for a in athletes})
    goal_times = block.goal_times() if athletes else {}  # read once for every preview
    followers, version_previews = versions.build_previews(block, athletes, texts, text,
                                                          goal_times=goal_times)
    preview = (None if workout is None
               else build_preview(workout, block, followers, goal_times=goal_times))
    session = form.instance if form.instance.pk else None
    return render(request, "training/session_form.html", {
        "form": form, "the_block": block, "session": session, "preview": preview,
        "versions_form": own, "version_previews": version_previews,
        "templates": _template_list(request.user), "nav": "plan",
        "logged": _logged(session.pk) if session else 0,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "conflict": stale,
        # the version the form was drawn with; after a refused save, the one it was shown
        "version": stale.version if stale else drawn_version(request, session),
    })




def _session_conflict(request: HttpRequest, form: SessionForm, own: versions.VersionsForm,
                      athletes, seen: int | None) -> history.Conflict:
    """A refused stale save of the session form: what changed since it was drawn, the
    session's fields and the athletes' own versions, beside what this editor typed."""
    current = Session.objects.get(pk=form.instance.pk)
    form.instance.title = current.title  # the page's crumbs name it as saved (the box: typed)
    now = {v.athlete_id: v.notation for v in current.versions.all()}
    typed = own.notations(form.cleaned_data["notation"])
    extra = [
        history.FieldChange(f"{a.display_name}’s own version",
                            now.get(a.pk) or "(the squad’s)", typed.get(a.pk) or "(the squad’s)",
                            long=True)
        for a in athletes if (now.get(a.pk) or "") != (typed.get(a.pk) or "")
    ]
    return history.conflict(current, seen, form.cleaned_data, history.SESSION_FIELDS,
                            user=request.user, noun="session", extra=extra,
                            long=("notation", "notes"))


def _parsed_or_none(text: str) -> notation.Workout | None:
    try:
        return _parsed(text)
    except notation.NotationError:
        return None


@lru_cache(maxsize=256)
def _parsed(text: str) -> notation.Workout:
    """``notation.parse``, kept by text (a pure function; a workout is frozen): the form and
    the live preview read the same workout again and again. Errors are not kept."""
    return notation.parse(text)


def _preview_of(workout: notation.Workout | None, block: Block) -> Preview | None:
    if workout is None:
        return None
    return build_preview(workout, block, block_athletes(block))


def _default_day(block: Block) -> dt.date:
    today = block.today()
    return today if block.contains(today) else block.start_date


@require_POST
@coach_required
def session_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The live preview of a workout being typed, for the block's athletes (htmx).

    A workout that does not parse answers with the error alone, retargeted to its own box, so
    the last good preview stays on screen."""
    block = own_block(request, pk)
    text = request.POST.get("notation", "").strip()
    if not text:
        return render(request, "training/session_form.html#preview",
                      {"preview": None, "the_block": block, "clear_error": True})
    athletes = block_athletes(block, request.user)
    try:
        workout = _parsed(text)
    except notation.NotationError as exc:
        response = render(request, "training/session_form.html#preview-error",
                          {"error": notation_message(exc), "pointer": _pointer(text, exc.column)})
        return reswap(retarget(response, "#preview-error"), "outerHTML")
    goal_times = block.goal_times() if athletes else {}  # read once for every preview
    followers, version_previews = versions.build_previews(
        block, athletes, versions.typed_texts(request.POST, athletes), text,
        goal_times=goal_times)
    preview = build_preview(workout, block, followers, goal_times=goal_times)
    return render(request, "training/session_form.html#preview",
                  {"preview": preview, "the_block": block, "clear_error": True,
                   "version_previews": version_previews})


def _pointer(text: str, column: int) -> dict[str, str]:
    """The typed text split around the 1-based column where it stopped making sense."""
    index = max(0, min(column - 1, len(text)))
    return {"before": text[:index], "at": text[index:index + 1], "after": text[index + 1:]}


@require_GET
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A planned session: the workout grouped as a coach reads it, with every athlete's target,
    and for the coach the ways to change it."""
    return _render_session(request, _readable_session(request.user, pk),
                           "training/session.html")


@htmx_view("GET")
@login_required
def session_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the session's plan, when and what (its history, sessions/history.py): for
    its coach and admins; the session page loads it into its "Plan changes" disclosure."""
    session = get_object_or_404(Session.objects.for_user(request.user).select_related("block"),
                                pk=pk)
    if session.block.coach_id != request.user.pk and not request.user.is_staff:
        raise Http404("only the block's coach and admins read its plan's history")
    names = dict(session.block.athletes.values_list("pk", "display_name"))
    context = {"session": session, "the_block": session.block, "nav": "plan",
               "entries": history.plan_changes(session, names)}
    if request.htmx:
        return render(request, "training/session_changes.html#entries", context)
    return render(request, "training/session_changes.html", context)


@require_GET
@login_required
def session_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable card: the workout and each athlete's rep targets on one page."""
    return _render_session(request, _readable_session(request.user, pk),
                           "training/session_print.html", lists=False)


# The session page's access queries, compiled once per role of the viewer (``coach.prepared``,
# as ``block_views.readable_block``): building their subqueries through the ORM cost more
# than running them. Each builds from the viewer's id and roles alone
# (``attention.stand_in_user``), so the rules stay those of the querysets they call.

def _roles(user) -> tuple[bool, bool]:
    return bool(user.is_coach), bool(user.is_staff)


def _readable_session(user, pk: int) -> Session:
    """Session ``pk`` with its block if ``user`` may read it (``Session.objects.for_user``),
    else a 404."""
    roles = _roles(user)

    def build(session_id: int, user_id: int):
        reader = attention.stand_in_user(user_id, *roles)
        return Session.objects.for_user(reader).select_related("block").filter(pk=session_id)

    found = prepared.objects(f"session_page.session.{roles[0]:d}{roles[1]:d}", build, pk,
                             user.pk)
    if not found:
        raise Http404("No Session matches the given query.")
    return found[0]


def _athletes_seen(block: Block, user) -> list[Athlete]:
    """``block.athletes_seen_by(user)`` by name, as a list."""
    if user.is_staff:
        kind = "staff"
    elif user.pk == block.coach_id:
        if not user.is_coach:  # ``Athlete.objects.for_coach``: nobody
            return []
        kind = "coach"
    else:
        kind = "self"

    def build(block_id: int, user_id: int):
        athletes = Athlete.objects.filter(blocks=block_id).active()
        if kind == "coach":
            athletes = athletes.for_coach(attention.stand_in_user(user_id, True, False))
        elif kind == "self":
            athletes = athletes.filter(user=user_id)
        return athletes.order_by("display_name")

    return prepared.objects(f"session_page.athletes.{kind}", build, block.pk, user.pk)


class LogLine(NamedTuple):
    """A started log in the session page's list: its address, the athlete's name, the day as
    ``|date:"D j M"`` writes it, its effort and whether it is complete."""

    url: str
    name: str
    day: str
    rpe: int | None
    completed: bool


def _logs_listed(session: Session, user) -> list[LogLine]:
    """The session's started logs ``user`` may read, by the athlete's name, as plain rows."""
    roles = _roles(user)

    def build(session_id: int, user_id: int):
        reader = attention.stand_in_user(user_id, *roles)
        return (SessionLog.objects.filter(session=session_id).started().for_user(reader)
                .order_by("athlete__display_name")
                .values_list("pk", "athlete__display_name", "date_done", "rpe", "completed"))

    log_url = url_maker("training:log-summary")  # reversed once for the page
    _, found = prepared.rows(f"session_page.logs.{roles[0]:d}{roles[1]:d}", build, session.pk,
                             user.pk)
    return [LogLine(log_url(pk), name, step_rows.short_day_label(day), rpe, completed)
            for pk, name, day, rpe, completed in found]


def _render_session(request: HttpRequest, session: Session, template: str, *,
                    lists: bool = True, **extra):
    """The session page, or its print card (``lists`` False: the card shows neither the logs
    nor the watch files, so they are not read)."""
    block = session.block
    seen = _athletes_seen(block, request.user)
    own = versions.versions_seen(session, seen)
    athletes = [a for a in seen if a.pk not in {v.athlete_id for v in own}]  # the squad's
    # the squad's steps and the versions' (by athlete id), with their targets: two queries
    planned = step_rows.read_planned(session.pk, [a.pk for a in athletes],
                                     [v.athlete_id for v in own])
    steps = planned.get(None, [])
    items = step_rows.items_from_planned(steps, athletes)
    can_plan = block.coach_id == request.user.pk
    me = request.user.athlete_or_none
    can_log = me is not None and any(a.pk == me.pk for a in seen)
    logs = (_logs_listed(session, request.user)
            if lists and (can_plan or request.user.is_staff) else [])
    # the address of the watch files, reversed once for the page
    watch_url = partial(url_maker("training:session-watch-file", 2), session.pk)
    # the watch file: the coach (or an admin) chooses whose; an athlete gets their own
    watch_choices = seen if lists and (can_plan or request.user.is_staff) else []
    context = {
        "session": session, "the_block": block, "athletes": athletes,
        "can_log": can_log, "logs": logs,
        # the lists of logs and watch files, drawn by Jinja2 (docs/frontend.md, "Fast
        # fragments"), and who logged results, for the delete button's warning
        "logs_html": render_fragment("training/session_logs.html", {"logs": logs}),
        "logged_names": _names([log.name for log in logs]) if logs else "",
        "watch_choices": watch_choices,
        "watch_html": render_fragment("training/watch_files.html", {
            "files": [(a.display_name, watch_url(a.pk)) for a in watch_choices]}),
        "rows": step_rows.group_steps(items, [a.display_name for a in athletes]),
        "sources": step_rows.planned_sources(steps, athletes),
        "can_plan": can_plan, "nav": "plan", "can_time": stopwatch.may_time(request.user, block),
        "recoveries": step_rows.recovery_counts(items),
        "volume": volumes.session_volume(session, volumes.timed_seconds(steps)),
        "work": volumes.volume_label(session.work_distance_m, session.work_duration_s),
        "unavailable": availability.Absences(seen, session.date, session.date)
        .out_on(seen, session.date),  # own versions' athletes included
        "version_sections": versions.version_sections(session, own, planned),
        # who changed the plan (sessions/history.py): a disclosure loaded when opened
        "show_plan_changes": can_plan or request.user.is_staff,
        # called by the template only where it shows them (the session page, not the card)
        # (each athlete's own version where they have one)
        "workout_histories": partial(workout_history.for_session, request.user, session, seen,
                                     texts={v.athlete_id: v.notation for v in own}),
        **extra,
    }
    if can_plan:
        context.setdefault("slot_form", SlotForm(block=block, initial={
            "date": session.date, "slot": session.slot}))
        context.setdefault("template_form", TemplateForm(coach=request.user, initial={
            "title": session.title}))
    return render(request, template, context)


@require_POST
@coach_required
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a session with its plan. When athletes have logged results against it (a log
    with something entered, ``SessionLog.objects.started``), first ask, naming whose results
    go with it; the answer carries the logs it confirmed, so a result logged in between asks
    again. Logs that were only opened go without asking."""
    session = _own_session(request, pk)
    block = session.block
    results = list(session.logs.started().select_related("athlete")
                   .order_by("athlete__display_name"))
    confirmed = {int(v) for v in request.POST.get("confirm_logs", "").split(",") if v.isdecimal()}
    if results and not {log.pk for log in results} <= confirmed:
        return render(request, "training/session_delete.html", {
            "session": session, "the_block": block, "results": results, "nav": "plan",
            "names": _names([log.athlete.display_name for log in results]),
            "confirm_logs": ",".join(str(log.pk) for log in results),
            "again": bool(confirmed),
        })
    session.delete()
    gone = f" with {_names([log.athlete.display_name for log in results])}’s results" \
        if results else ""
    messages.success(request, f"Deleted “{session.title}” ({session.date:%a %-d %b} "
                              f"{session.slot}){gone}.")
    return redirect(block)


def _names(names: list[str]) -> str:
    """``Ada``, ``Ada and Ben``, ``Ada, Ben and Cy``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _place_session(request: HttpRequest, pk: int, *, copy: bool) -> HttpResponse:
    session = _own_session(request, pk)
    form = SlotForm(request.POST, block=session.block)
    if form.is_valid():
        notice = _place(session, copy=copy, **form.cleaned_data)
    else:
        notice = {"ok": False, "text": first_error(form)}
    if notice["ok"] and not copy and not request.htmx and request.POST.get("next") == "session":
        messages.success(request, notice["text"])
        return redirect(session)
    return calendar_or_redirect(request, session.block, notice)


def _place(session: Session, *, date: dt.date, slot: str, swap: bool, copy: bool) -> dict:
    """Move or copy a session; the notice that says what happened, or why it did not."""
    where = f"{date:%a %-d %b} {slot}"
    try:
        if copy:
            new = planning.copy_session(session, date=date, slot=slot)
            return {"ok": True, "text": f"Copied “{session.title}” to {where}.",
                    "copied": [new.pk]}
        other = planning.move_session(session, date=date, slot=slot, swap=swap)
    except planning.SlotTaken as exc:
        if copy:
            return {"ok": False, "text": f"{exc} Pick another day or time of day."}
        return {"ok": False, "text": f"{exc} Pick another day or time of day, or swap them.",
                "swap": {"session": session, "date": date, "slot": slot}}
    except planning.PlanningError as exc:
        return {"ok": False, "text": str(exc)}
    text = f"Moved “{session.title}” to {where}."
    if other is not None:
        text = (f"Swapped “{session.title}” ({where}) and “{other.title}” "
                f"({other.date:%a %-d %b} {other.slot}).")
    return {"ok": True, "text": text, "copied": [session.pk]}


@htmx_view("POST")
@coach_required
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a session to another day or time of day; a taken place offers to swap."""
    return _place_session(request, pk, copy=False)


@htmx_view("POST")
@coach_required
def session_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a session to another day or time of day, planned afresh."""
    return _place_session(request, pk, copy=True)


@require_POST
@coach_required
def session_back_to_squad(request: HttpRequest, pk: int, athlete: int) -> HttpResponse:
    """Drop an athlete's own version of the session: they follow the squad's again."""
    session = _own_session(request, pk)
    version = get_object_or_404(session.versions.select_related("athlete"), athlete=athlete)
    try:
        versions.back_to_squad(session, version.athlete)
    except notation.NotationError as exc:
        messages.error(request, f"Not changed: {notation_message(exc)}")
    else:
        messages.success(request, f"{version.athlete.display_name} follows the squad’s "
                                  "workout again.")
    return redirect(session)


@require_POST
@coach_required
def session_save_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep this session's workout as a template to insert on other days."""
    session = _own_session(request, pk)
    data = {"title": request.POST.get("title", ""), "notation": session.notation,
            "notes": session.notes, "replace": request.POST.get("replace")}
    form = TemplateForm(data, coach=request.user)
    if form.is_valid():
        template = form.save()
        messages.success(request, f"Saved as the template “{template.title}”.")
        return redirect(session)
    return _render_session(request, session, "training/session.html", template_form=form)
