"""A coach's session templates: the list with a form for a new one, edit, delete (inserting
one into a session is the session form's; keeping a session as one is views.py's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from coach.access import coach_required

from .forms import (
    TemplateForm,
)
from .models import Block, SessionTemplate


def _templates(request: HttpRequest):
    return SessionTemplate.objects.for_coach(request.user).order_by("title")


@require_http_methods(["GET", "POST"])
@coach_required
def template_list(request: HttpRequest) -> HttpResponse:
    """The coach's templates, and a form to write a new one."""
    form = TemplateForm(request.POST or None, coach=request.user)
    if request.method == "POST" and form.is_valid():
        template = form.save()
        messages.success(request, f"Template “{template.title}” saved.")
        return redirect("training:templates")
    blocks = Block.objects.for_coach(request.user).filter(archived=False).current_first()
    return render(request, "training/templates.html", {
        "templates": _templates(request), "form": form, "blocks": blocks, "nav": "plan",
    })


@require_http_methods(["GET", "POST"])
@coach_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request), pk=pk)
    form = TemplateForm(request.POST or None, instance=template, coach=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Template saved.")
        return redirect("training:templates")
    return render(request, "training/template_form.html",
                  {"form": form, "template": template, "nav": "plan"})


@require_POST
@coach_required
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request), pk=pk)
    template.delete()
    messages.success(request, f"Template “{template.title}” deleted.")
    return redirect("training:templates")

