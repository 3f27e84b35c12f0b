"""The athlete's import of a watch file into their log (issue 14, docs/watch-import.md): upload
(``log_import``), review and reassign (``log_import_review``), accept (``log_import_accept``),
and the original file for whoever reads the log (``watch_file``).

Only the athlete who may log the session reaches the first three (as the log form,
``logbook.loggable_log``); the file is for the log's readers (``DeviceImport.objects.
readable_by``: the athlete, their coaches, admins). Anyone else gets a 404.

The size limit holds before anything is read: a request whose ``Content-Length`` is over the
limit is refused unread, and the body of any other is streamed to a temporary file by
``CappedUpload``, which stops at the limit (a client may not say the length, or lie about it).
That is why the upload view checks the CSRF token itself, after choosing its upload handler
(Django's documented way: the CSRF middleware would otherwise read the body first).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from athletes.models import Athlete
from coach.access import athlete_required, htmx_view, login_required
from coach.middleware import accepts_body

from . import logbook, watch_import
from .models import DeviceImport, Session

PAGE = "training/log_import.html"
MAX_MB = watch_import.MAX_FILE_BYTES // (1024 * 1024)
# What a multipart request adds to the file: its boundaries and headers, the CSRF token.
REQUEST_MARGIN = 64 * 1024
TOO_BIG = (f"This file is larger than {MAX_MB} MB. Export the activity alone "
           "(or gzip-compressed, .fit.gz), or type the splits.")
WRONG_TYPE = "Choose a .fit, .tcx or .gpx file (gzip-compressed as .fit.gz or .tcx.gz is fine)."


class CappedUpload(TemporaryFileUploadHandler):
    """Streams the file to a temporary file (never into memory) and stops the upload as soon as
    more than ``limit`` bytes have come (``too_big`` is then set)."""

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


class WatchFileForm(forms.Form):
    file = forms.FileField(
        label="Watch file", required=True,
        help_text=f".fit, .tcx or .gpx (or .fit.gz, .tcx.gz), up to {MAX_MB} MB: export it "
                  "from Garmin Connect, Strava or your watch's app.",
        error_messages={"required": "Choose the file of this session's run."},
        widget=forms.ClearableFileInput(attrs={"accept": ".fit,.tcx,.gpx,.gz"}))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if not watch_import.has_allowed_ending(upload.name or ""):
            raise forms.ValidationError(WRONG_TYPE)
        if upload.size > watch_import.MAX_FILE_BYTES:
            raise forms.ValidationError(TOO_BIG)
        if upload.size == 0:
            raise forms.ValidationError("This file is empty.")
        upload.seek(0)
        return upload.read()


def _loggable(athlete: Athlete, pk: int):
    try:
        return logbook.loggable_log(athlete, pk)
    except Session.DoesNotExist as exc:
        raise Http404("No such session") from exc


def _upload_page(request: HttpRequest, session, entry, rows, form: WatchFileForm,
                 status: int = 200) -> HttpResponse:
    return render(request, PAGE, {
        "session": session, "log": entry, "form": form, "nav": "today",
        "planned_count": sum(1 for row in rows if not row.extra),
        "pending": watch_import.pending_import(entry),
        "max_bytes": watch_import.MAX_FILE_BYTES, "too_big": TOO_BIG,
    }, status=status)


def _refused(message: str) -> WatchFileForm:
    """The form with ``message`` against the file box (a body refused unread)."""
    form = WatchFileForm(data={}, files={})
    form.full_clean()
    form.errors["file"] = form.error_class([message])
    return form


@csrf_exempt
# The view refuses a file over its limit itself, with the reason next to the box (below);
# the middleware's plain 413 (coach/middleware.py) only for a body twice that.
@accepts_body(2 * watch_import.MAX_FILE_BYTES)
@htmx_view("GET", "POST")
@athlete_required
def log_import(request: HttpRequest, athlete: Athlete, pk: int) -> HttpResponse:
    """The upload page (GET); POST a file: read and matched, it waits for review (a redirect
    to it); refused, the page with the reason next to the box, and nothing changed. A body
    over the limit is refused before it is read (413)."""
    session, entry, rows = _loggable(athlete, pk)
    if request.method == "POST":
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdecimal() or int(length) > watch_import.MAX_FILE_BYTES + REQUEST_MARGIN:
            return _upload_page(request, session, entry, rows, _refused(TOO_BIG), status=413)
        handler = CappedUpload(request, limit=watch_import.MAX_FILE_BYTES)
        request.upload_handlers = [handler]
        return _receive(request, athlete, session, entry, rows, handler)
    return _upload_page(request, session, entry, rows, WatchFileForm())


@csrf_protect
def _receive(request: HttpRequest, athlete: Athlete, session, entry, rows,
             handler: CappedUpload) -> HttpResponse:
    form = WatchFileForm(request.POST, request.FILES)
    if handler.too_big:
        return _upload_page(request, session, entry, rows, _refused(TOO_BIG), status=413)
    if form.is_valid():
        upload = form.files["file"]
        try:
            watch_import.upload(session, athlete, data=form.cleaned_data["file"],
                                filename=upload.name, user=request.user)
        except watch_import.WatchFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("training:log-import-review", session.pk)
    return _upload_page(request, session, entry, rows, form)


def _choices(request: HttpRequest) -> tuple[dict[int, str], frozenset[int]]:
    """The athlete's picks in the review form: ``rep-<position>`` (a candidate id, or "" for
    none) and the ticked ``use-<position>``."""
    chosen, use = {}, set()
    for key, value in request.POST.items():
        name, _, position = key.partition("-")
        if not position.isdecimal():
            continue
        if name == "rep":
            chosen[int(position)] = value
        elif name == "use" and value == "1":
            use.add(int(position))
    return chosen, frozenset(use)


def _plan_changed(request: HttpRequest, rows) -> bool:
    """The log's rows are still empty and the coach has changed the plan since the file was
    read (``logbook.log_for_form`` shows the new plan's rows, unsaved): the match no longer
    fits them, so the file is to be read again."""
    if all(row.pk is not None for row in rows):
        return False
    messages.warning(request, "The session’s plan changed since your file was read: "
                              "choose it again to match it to the new reps.")
    return True


@htmx_view("GET", "POST")
@athlete_required
def log_import_review(request: HttpRequest, athlete: Athlete, pk: int) -> HttpResponse:
    """The match of the waiting file, rep by rep (GET); POST the reps' laps as chosen: the
    table again (htmx: only the table), nothing stored. Without a file waiting: the upload."""
    session, entry, rows = _loggable(athlete, pk)
    pending = watch_import.pending_import(entry)
    if pending is None or _plan_changed(request, rows):
        upload = reverse("training:log-import", args=[session.pk])
        return HttpResponseClientRedirect(upload) if request.htmx else redirect(upload)
    chosen, use = _choices(request) if request.method == "POST" else ({}, frozenset())
    table = watch_import.review(pending, rows, session.tolerance_pct, chosen=chosen,
                                use_watch=use)
    context = {"session": session, "log": entry, "review": table, "nav": "today",
               "date_warning": watch_import.date_warning(pending, session)}
    if request.htmx:
        return render(request, f"{PAGE}#import-review", context)
    return render(request, PAGE, context)


@require_POST
@athlete_required
def log_import_accept(request: HttpRequest, athlete: Athlete, pk: int) -> HttpResponse:
    """Fill the log from the waiting file as reviewed, then the log's summary; with a lap
    given to two reps, the review again, saying so (nothing written)."""
    session, entry, rows = _loggable(athlete, pk)
    pending = watch_import.pending_import(entry)
    if pending is None:
        messages.warning(request, "No watch file is waiting: choose one.")
        return redirect("training:log-import", session.pk)
    if _plan_changed(request, rows):
        return redirect("training:log-import", session.pk)
    chosen, use = _choices(request)
    table = watch_import.review(pending, rows, session.tolerance_pct, chosen=chosen,
                                use_watch=use)
    if table.shared:
        return render(request, PAGE, {"session": session, "log": entry, "review": table,
                                      "nav": "today", "not_accepted": True})
    filled = watch_import.accept(table, rows)
    kept = sum(1 for row in table.rows if row.conflict and not row.use_watch)
    note = f"; {kept} split{'s' if kept != 1 else ''} you had entered kept" if kept else ""
    messages.success(request, f"{filled} rep{'s' if filled != 1 else ''} filled from "
                              f"{pending.filename}{note}; the file is kept with the log.")
    return redirect(reverse("training:log-summary", args=[entry.pk]))


@require_GET
@login_required
def watch_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """The original watch file of log ``pk``, as uploaded, for whoever reads the log."""
    item = get_object_or_404(DeviceImport.objects.readable_by(request.user), pk=file_pk,
                             log_id=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is no longer stored") from exc
    return FileResponse(handle, as_attachment=True, filename=item.filename,
                        content_type="application/octet-stream")
