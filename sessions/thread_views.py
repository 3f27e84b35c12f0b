"""The thread under a log (sessions/conversation.py): post a reply, a remark on a rep or a
coach's private note; delete one's own comment.

Access (coach/access.py): posting is for the athlete whose log it is and the coaches they have
now (``SessionLog.objects.discussable_by``); deleting for the author, on a thread they still
take part in (``Comment.objects.deletable_by``); anyone else gets a 404. With htmx the thread
region is swapped; without it the summary page answers (the form's errors on it, nothing typed
lost).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coach.access import htmx_view, login_required

from . import conversation
from .comment_forms import CommentForm
from .log_views import _summary_context
from .models import Comment, SessionLog

THREAD = "training/_thread.html"
# What the thread (and the summary page without htmx) reads of its log, fetched with it.
LOG_RELATED = ("session__block", "athlete")


def _thread_response(request: HttpRequest, entry: SessionLog,
                     form: CommentForm | None = None) -> HttpResponse:
    thread = conversation.thread_for(entry, request.user)
    return render(request, THREAD, {
        "log": entry, "thread": thread,
        "comment_form": thread.can_post and (form or CommentForm(log=entry, user=request.user)),
    })


@htmx_view("POST")
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply in the thread of log ``pk`` (on a rep with ``rep``; a coach's ``private``)."""
    logs = (SessionLog.objects.discussable_by(request.user).select_related(*LOG_RELATED)
            .with_watch_file())
    entry = get_object_or_404(logs, pk=pk)
    form = CommentForm(request.POST, log=entry, user=request.user)
    if not form.is_valid():
        if request.htmx:
            return _thread_response(request, entry, form)
        return render(request, "training/log_summary.html",
                      _summary_context(request, entry, comment_form=form))
    data = form.cleaned_data
    comment = conversation.post_comment(entry, author=request.user, body=data["body"],
                                        rep=data["rep"], private=data.get("private", False))
    if request.htmx:
        return _thread_response(request, entry)
    messages.success(request, "Private note saved: only coaches see it." if comment.private
                     else "Reply posted.")
    return redirect(comment)


@htmx_view("POST")
@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one's own comment."""
    comments = Comment.objects.deletable_by(request.user).select_related(
        *(f"log__{name}" for name in LOG_RELATED))
    comment = get_object_or_404(comments, pk=pk)
    entry = comment.log
    conversation.delete_comment(comment)
    if request.htmx:
        return _thread_response(request, entry)
    messages.success(request, "Comment deleted.")
    return redirect(entry.get_absolute_url() + "#log-thread")
