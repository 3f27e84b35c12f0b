"""The log form rep by rep and a log's summary (with its thread: sessions/thread_views.py);
the lists of logs (Today, History, the coach's ``/logs/``) are in sessions/list_views.py.

Access (coach/access.py): an athlete reaches only their own logs and rows
(``editable_by``) and the sessions of their blocks (``Session.objects.loggable_by``); a coach
reads their athletes' logs (``SessionLog.objects.for_user``); anything else is a 404.

The log form (docs/logging.md): compact rows built as plain data (``log_rows``), each saving on
its own to its address by position, once per client id (``cid``, ``logbook.save_rep``); a slip
is questioned rather than stored (``RepForm``); a row's details load on demand (``rep_more``).
With the login expired, a save answers 401 and the page keeps the row until the athlete has
logged in again (the decorators, static/js/log.js).
"""

from __future__ import annotations

import re
import time

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import reswap, retarget

from athletes.models import Athlete
from coach import formats, pace
from coach.access import athlete_required, htmx_view, login_required

from . import (
    conversation,
    judging,
    log_rows,
    log_sql,
    logbook,
    step_rows,
    summary,
    summary_reads,
    summary_rows,
    workout_history,
)
from .comment_forms import CommentForm
from .history import log_changes
from .log_forms import AddRepForm, LogForm, RepForm
from .models import RepResult, Session, SessionLog

LOG_PAGE = "training/log.html"


# --- the log form ------------------------------------------------------------------------------
#
# Opening the form writes nothing: until the first save the log and its rows are unsaved
# (``logbook.log_for_form``) and each row posts to an address by its position in the session;
# the first save that holds something valid creates the log (dated today in the block's time
# zone); rows keep posting to their address by position. Nothing that fails validation (or
# is questioned) is written, whatever the endpoint.


def _start(session: Session, athlete: Athlete) -> SessionLog:
    """The log, created now if this is its first save ("Date run": today where the block is)."""
    entry = logbook.start_log(session, athlete, date_done=session.block.today())
    entry.session = session
    return entry


def _now_ms() -> int:
    return int(time.time() * 1000)


def _log_facts(log: SessionLog) -> str:
    """What the folded "How it went" says the athlete has given: ``RPE 7 · 52 min · 12.4 km``."""
    facts = [f"RPE {log.rpe}" if log.rpe else "",
             f"{formats.format_time(log.duration_s, decimals=0)}" if log.duration_s else "",
             formats.format_amount(log.distance_m, None) if log.distance_m else "",
             log.feeling]
    return " · ".join(fact for fact in facts if fact)


def _log_context(log: SessionLog, reps: list[RepResult], *, form: LogForm | None = None,
                 bound: dict[int, RepForm] | None = None, open_reps=None,
                 add_form: AddRepForm | None = None, details: bool = False,
                 add: bool = False) -> dict:
    """Everything the log page shows: the rows (plain data, ``log_rows``) grouped by set
    (``bound``: forms with the athlete's input, by position)."""
    rows = log_rows.build_rows(reps, log.session.tolerance_pct, log.session_id, bound)
    planned = summary.group_reps([r for r in reps if not r.extra])
    groups = [{"title": title, "rows": [rows[rep.position] for rep in group]}
              for group, title in zip(planned, summary.group_titles(planned), strict=True)]
    # The session's own fields are drawn open when asked for or when they were just posted.
    # An easy run has no reps: its own fields are all there is to log, so they are open.
    show_fields = (details or not reps or (form is not None and bool(form.fields)))
    if form is None and show_fields:
        form = LogForm(instance=log)
    if reps and all(rep.pk is None and hasattr(rep.step, "mine") for rep in reps):
        # the planned rows of a log not begun carry their targets already
        origins = [(t.source, t.origin) for rep in reps for t in rep.step.mine]
    elif hasattr(log, "target_origins"):  # read with a saved log's rows (logbook._form_rows)
        origins = log.target_origins
    else:
        origins = log_sql.origins(log.session_id, log.athlete_id)
    line = step_rows.origin_line(origins)
    return {
        "sources": [("", line)] if line else [],
        "log": log, "session": log.session, "groups": groups,
        "added": [rows[rep.position] for rep in reps if rep.extra],
        "form": form, "add_form": add_form or (AddRepForm(prefix="add") if add else None),
        "progress": logbook.progress(reps), "open_reps": open_reps, "nav": "today",
        "finish_problem": bool(open_reps) or bool(form is not None and form.errors),
        "show_fields": show_fields, "log_facts": _log_facts(log),
        "has_time_targets": any(r.target_lo_s is not None for r in reps),
        "has_lactate_targets": any(r.lactate_lo is not None for r in reps),
        "rendered_at": _now_ms(),
    }


@htmx_view("GET", "POST")
@athlete_required
def log(request: HttpRequest, athlete: Athlete, pk: int) -> HttpResponse:
    """The athlete's log of one session: GET the form (writing nothing); POST saves the
    session's own fields (htmx: on every change) and, with ``finish``, completes the log.

    Finish with reps still empty, or a bad field, answers the page with the problem at its top
    (focused), naming the reps with links to them."""
    session, entry, reps = _loggable(athlete, pk)
    if request.method == "GET":
        details, add = request.GET.get("details") == "1", request.GET.get("add") == "1"
        if details and request.htmx:  # "How it went" opened: its fields
            return render(request, f"{LOG_PAGE}#log-details-fields",
                          {"form": LogForm(instance=entry)})
        if add and request.htmx:  # "Add a rep" opened: its box
            return render(request, f"{LOG_PAGE}#rep-add-field",
                          {"add_form": AddRepForm(prefix="add")})
        return render(request, LOG_PAGE, _log_context(entry, reps, details=details, add=add))
    form = LogForm(request.POST, instance=entry)
    changes = form.changes()
    if changes:
        saved = _start(session, athlete)
        logbook.update_log(saved, changes)
        entry, reps = logbook.log_for_form(session, athlete)
    if request.htmx and "finish" not in request.POST:
        return render(request, f"{LOG_PAGE}#log-details",
                      {"form": form, "log": entry, "saved": not form.errors,
                       "show_fields": bool(form.fields), "log_facts": _log_facts(entry)})
    if not form.is_valid():
        return render(request, LOG_PAGE, _log_context(entry, reps, form=form))
    skip_open = "skip_open" in request.POST
    remaining = logbook.open_reps(reps)
    if remaining and not skip_open:
        return render(request, LOG_PAGE, _log_context(entry, reps, form=form,
                                                      open_reps=remaining))
    done = _start(session, athlete)
    logbook.finish_log(done, skip_open=skip_open)
    messages.success(request, "Log complete. Here is how it went.")
    return redirect("training:log-summary", done.pk)


def _row_url(rep: RepResult) -> str:
    return reverse("training:log", args=[rep.log.session_id]) + f"#rep-row-{rep.position}"


def _progress_of(rep: RepResult) -> dict[str, int]:
    if rep.log.pk:
        return logbook.progress(logbook.row_states(rep.log.pk))
    return logbook.progress(logbook.log_for_form(rep.log.session, rep.log.athlete)[1])


def _row_response(request: HttpRequest, rep: RepResult, form: RepForm | None = None, *,
                  saved_at: int | None = None, progress: dict | None = None,
                  cid: str | None = None) -> HttpResponse:
    """The row (htmx) with the log's progress out of band, or back to the page without JS
    (the page with the row's problem, if it has one). ``form``: the athlete's POST, shown when
    it holds an error or a question; ``saved_at``: when this save stored something."""
    problem = form is not None and (form.errors or form.question is not None)
    if not request.htmx:
        if problem:
            entry, reps = logbook.log_for_form(rep.log.session, rep.log.athlete)
            return render(request, LOG_PAGE, _log_context(entry, reps, bound={rep.position: form}))
        return redirect(_row_url(rep))
    row = log_rows.build_row(rep, rep.log.session.tolerance_pct,
                             log_rows.log_base_url(rep.log.session_id),
                             form=form if problem else None, saved_at=saved_at)
    # Jinja2 alone (no Django template around it): the row and the progress out of band
    return HttpResponse(log_rows.render_rows([row], csrf_token=get_token(request), cid=cid,
                                             progress=progress or _progress_of(rep)))


def _fragment(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    """A partial of the log page rendered with just its data and the CSRF token: a row or its
    panel reads nothing else (no context processors: they would cost a query a save)."""
    return HttpResponse(render_to_string(f"{LOG_PAGE}#{name}",
                                         {**context, "csrf_token": get_token(request)}))


CID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _cid(request: HttpRequest) -> str | None:
    """The client's id of this save (a UUID), if it sent one; anything else is refused."""
    cid = request.POST.get("cid", "").strip()
    if cid and not CID.fullmatch(cid):
        raise BadRequest("cid: a save's id is 8 to 64 letters, digits, - or _")
    return cid or None


def _loggable(athlete: Athlete, pk: int) -> tuple[Session, SessionLog, list[RepResult]]:
    """Session ``pk`` with the athlete's log and rows, or 404 when they may not log it."""
    try:
        return logbook.loggable_log(athlete, pk)
    except Session.DoesNotExist as exc:
        raise Http404("No such session") from exc


def _planned_row(athlete: Athlete, pk: int, position: int) -> tuple[Session, RepResult]:
    """Session ``pk``, which the athlete may log, and its row at ``position`` (saved or not)."""
    session, entry, reps = _loggable(athlete, pk)
    rep = next((r for r in reps if r.position == position), None)
    if rep is None:
        raise Http404("No such rep")
    return session, rep


def _athlete(request: HttpRequest) -> Athlete:
    athlete = request.user.athlete_or_none
    if athlete is None:
        raise Http404("Not an athlete")
    return athlete


@htmx_view("POST")
@login_required
def new_rep_save(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """Save the row at ``position`` of the athlete's log of session ``pk``: the valid fields
    posted that changed, once per ``cid``. Every row posts here. A saved log's row is read in one
    query (``logbook.saved_row``); before the log exists, the first valid value creates it, and
    nothing is written while every typed value is bad (or questioned)."""
    cid = _cid(request)
    rep = logbook.saved_row(pk, position, athlete__user=request.user)
    if rep is not None:
        was_done = judging.is_done(rep)
        form = RepForm(request.POST, rep=rep)
        wrote = logbook.save_rep(rep, form.values_to_save(), cid=cid)
        return _row_response(request, rep, form, saved_at=_now_ms() if wrote else None,
                             progress=logbook.progress_after(rep, was_done), cid=cid)
    athlete = _athlete(request)
    session, rep = _planned_row(athlete, pk, position)
    form = RepForm(request.POST, rep=rep)
    values = form.values_to_save()
    wrote = False
    if values:
        if not rep.pk:  # (or a row the page still shows as new once another row started it)
            rep = logbook.row_at(_start(session, athlete), position)
            form = RepForm(request.POST, rep=rep)
            values = form.values_to_save()
        wrote = logbook.save_rep(rep, values, cid=cid)
    return _row_response(request, rep, form, saved_at=_now_ms() if wrote else None, cid=cid)


@htmx_view("POST")
@login_required
def rep_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one row by its id (older pages' address): as ``new_rep_save``."""
    rep = _own_rep(request, pk)
    form = RepForm(request.POST, rep=rep)
    wrote = logbook.save_rep(rep, form.values_to_save(), cid=_cid(request))
    return _row_response(request, rep, form, saved_at=_now_ms() if wrote else None)


def _own_rep(request: HttpRequest, pk: int) -> RepResult:
    """A row of the signed-in athlete's own log (``RepResult.objects.editable_by``), with its
    session (its tolerance judges the row)."""
    return get_object_or_404(
        RepResult.objects.editable_by(request.user).select_related("log__session"), pk=pk)


@htmx_view("GET")
@athlete_required
def rep_more(request: HttpRequest, athlete: Athlete, pk: int, position: int) -> HttpResponse:
    """The row's details panel (heart rate, note, the distance of a rep cut short, skip or
    remove): htmx, the panel for ``#rep-more-<position>``; without htmx, a page with the row
    and its panel open, which saves like the log page and returns to it. Writes nothing."""
    rep = (logbook.saved_row(pk, position, athlete=athlete)
           or _planned_row(athlete, pk, position)[1])
    row = log_rows.build_row(rep, rep.log.session.tolerance_pct,
                             log_rows.log_base_url(pk), show_more=True)
    if request.htmx:
        return _fragment(request, "rep-more", {"row": row})
    return render(request, "training/log_row.html", {
        "row": row, "session": rep.log.session, "nav": "today", "rendered_at": _now_ms()})


@htmx_view("POST")
@login_required
def rep_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Skip a rep (``skipped=1``) or take the skip back (``skipped=0``)."""
    rep = _own_rep(request, pk)
    wrote = logbook.set_skipped(rep, request.POST.get("skipped") == "1", cid=_cid(request))
    return _row_response(request, rep, saved_at=_now_ms() if wrote else None)


@htmx_view("POST")
@athlete_required
def new_rep_skip(request: HttpRequest, athlete: Athlete, pk: int, position: int) -> HttpResponse:
    """Skip a row by its position (``skipped=1``) or take the skip back (``skipped=0``): a skip
    creates the log if need be; taking back nothing writes nothing."""
    cid = _cid(request)
    skipped = request.POST.get("skipped") == "1"
    session, rep = _planned_row(athlete, pk, position)
    wrote = False
    if skipped and not rep.pk:
        rep = logbook.row_at(_start(session, athlete), position)
    if rep.pk and rep.skipped != skipped:
        wrote = logbook.set_skipped(rep, skipped, cid=cid)
    return _row_response(request, rep, saved_at=_now_ms() if wrote else None, cid=cid)


@htmx_view("POST")
@login_required
def rep_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a rep the athlete added (planned reps can only be skipped)."""
    rep = _own_rep(request, pk)
    if not rep.extra:
        raise Http404("Planned reps are skipped, not removed")
    entry = rep.log
    logbook.remove_rep(rep)
    if request.htmx:  # the row goes; the progress follows out of band
        return render(request, f"{LOG_PAGE}#log-progress", {
            "progress": logbook.progress(entry.reps.all()), "oob": True, "log": entry})
    return redirect("training:log", entry.session_id)


def _add_rep(request: HttpRequest, session: Session, athlete: Athlete) -> HttpResponse:
    """Add a rep after the last row; an invalid distance writes nothing (not even the log)."""
    form = AddRepForm(request.POST, prefix="add")
    if not form.is_valid():
        entry, reps = logbook.log_for_form(session, athlete)
        if request.htmx:
            response = render(request, f"{LOG_PAGE}#rep-add", {"add_form": form, "log": entry})
            return reswap(retarget(response, "#rep-add"), "outerHTML")
        return render(request, LOG_PAGE, _log_context(entry, reps, add_form=form))
    entry = _start(session, athlete)
    rep = logbook.add_rep(entry, distance_m=form.cleaned_data["distance"])
    if not request.htmx:
        return redirect(_row_url(rep))
    row = log_rows.build_row(rep, entry.session.tolerance_pct,
                             log_rows.log_base_url(entry.session_id), saved_at=_now_ms())
    return render(request, f"{LOG_PAGE}#rep-added", {
        "row": row, "log": entry, "add_form": AddRepForm(prefix="add"),
        "progress": logbook.progress(entry.reps.all()),
    })


@htmx_view("POST")
@login_required
def rep_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a rep to the end of the athlete's log (``pk`` is the log)."""
    entry = get_object_or_404(
        SessionLog.objects.editable_by(request.user).select_related("session__block"), pk=pk)
    return _add_rep(request, entry.session, entry.athlete)


@htmx_view("POST")
@athlete_required
def log_rep_add(request: HttpRequest, athlete: Athlete, pk: int) -> HttpResponse:
    """Add a rep to the athlete's log of session ``pk`` (created now if need be)."""
    session = get_object_or_404(Session.objects.loggable_by(athlete).select_related("block"), pk=pk)
    return _add_rep(request, session, athlete)


# --- the result ----------------------------------------------------------------------------------


def _summary_context(request: HttpRequest, entry: SessionLog,
                     comment_form: CommentForm | None = None, *, last_seen=None) -> dict:
    """The summary page: the log's figures and, under them, its thread (with each rep's
    remarks beside the rep in the table)."""
    is_mine = entry.athlete.user_id == request.user.pk
    km_pace = (pace.pace_of(entry.distance_m, entry.duration_s)
               if entry.duration_s and entry.distance_m else None)
    figures = logbook.session_summary(entry)
    thread = conversation.thread_for(entry, request.user, last_seen=last_seen)
    remarks = conversation.remarks_by_rep(thread.comments)
    return {
        "log": entry, "session": entry.session,
        "distance_label": formats.format_amount(entry.distance_m, None),
        "pace_label": f"{formats.format_time(km_pace, decimals=0)}/km" if km_pace else "",
        "summary": figures, "is_mine": is_mine, "thread": thread,
        # the sets and the table of every rep, drawn by Jinja2 (sessions/summary_rows.py)
        "sets_html": summary_rows.render_sets(figures),
        "reps_html": summary_rows.render_reps(figures, remarks) if figures.adherence.total else "",
        "comment_form": thread.can_post and (comment_form or CommentForm(
            log=entry, user=request.user,
            reps=[judged.rep for group in figures.groups for judged in group.reps])),
        "nav": "history" if is_mine else "logs",
        "workout_histories": workout_history.for_log(request.user, entry),
        # changes to the log and its reps by anyone but its athlete (docs/history.md)
        "changes": log_changes(entry),
    }


@require_GET
@login_required
def log_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """How the session went: reps against targets, per set, volume, lactate, chart, and the
    thread under it (opening it marks the thread read)."""
    entry = summary_reads.summary_log(request.user, pk)
    if entry is None:
        raise Http404("No such log")
    last_seen = conversation.mark_read(entry, request.user)
    return render(request, "training/log_summary.html",
                  _summary_context(request, entry, last_seen=last_seen))
