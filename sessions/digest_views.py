"""The daily email's opt-out page, reached by the signed link in every digest (no login: one
click from the email). GET shows the choice and changes nothing (mail scanners open links);
POST turns the email off or on again. A link not signed here is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .digest import user_for_token


@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """Stop (``email=off``) or restart (``email=on``) the daily email of the link's person."""
    person = user_for_token(token)
    if person is None:
        raise Http404("Not a link from this site")
    changed = request.method == "POST" and request.POST.get("email") in ("on", "off")
    if changed:
        person.digest_opt_out = request.POST["email"] == "off"
        person.save(update_fields=["digest_opt_out"])
    return render(request, "training/digest_opt_out.html",
                  {"person": person, "token": token, "changed": changed})
