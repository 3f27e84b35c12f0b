"""Who may open a page: the view decorators. Every view of the project states its access with
one of them; which objects a person may see or change is said by the querysets of the models
(the other half of the vocabulary):

- ``Athlete.objects.for_user`` (see; their race results too), ``for_coach`` (plan for),
  ``editable_by`` (paces: their coaches and admins, not the athlete);
- ``Block.objects.for_user`` (see), ``for_coach`` (plan: only the block's own coach);
  ``Block.goals_editable_by`` (the block's coach and admins set goal times);
- ``Session.objects.for_user`` (see), ``for_coach`` (plan), ``loggable_by(athlete)`` (log);
- ``SessionLog.objects.for_user`` (read), ``commentable_by`` (their coaches now),
  ``discussable_by`` (take part in its thread: the athlete and their coaches now),
  ``editable_by`` (the athlete's own); ``RepResult.objects.editable_by`` (the athlete's own);
- ``SessionTemplate.objects.for_coach`` (the coach's own);
- ``Absence.objects.for_user`` (days out: the athlete, their coaches, admins; the availability
  views reach them through ``Athlete.objects.for_user``);
- ``Comment.objects.visible_to`` (read: whoever reads the log, but never a private note on
  one's own log), ``deletable_by`` (the author, while taking part); the daily email's opt-out
  page is reached by a signed link, without a login (sessions/digest_views.py).

The rules of the house (tests/test_access_matrix.py enforces them over every URL):
anonymous -> the login page, or for htmx ``401`` with the login address in ``X-Login-Url`` (the
page keeps what was typed, static/js/log.js); signed in without the role, or asking for an
object the querysets do not give them -> 404, never 403 (which would confirm that it exists).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers


def _not_signed_in(request: HttpRequest) -> HttpResponse:
    """The answer to a request without a login: ``401`` for htmx (a row or a region must not
    turn into the login page), otherwise the login page, coming back here afterwards."""
    if getattr(request, "htmx", False):
        response = HttpResponse("Not saved: log in again.", status=401,
                                content_type="text/plain; charset=utf-8")
        response["X-Login-Url"] = resolve_url(settings.LOGIN_URL)
    else:
        response = redirect_to_login(request.get_full_path())
    patch_vary_headers(response, ("HX-Request",))
    return response


def _guard(view: Callable, allowed: Callable[[HttpRequest], bool], refusal: str) -> Callable:
    """``view`` behind the login, then behind ``allowed(request)`` (a 404 if not)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _not_signed_in(request)
        if not allowed(request):
            raise Http404(refusal)
        return view(request, *args, **kwargs)

    return guarded


def login_required(view: Callable) -> Callable:
    """Anyone signed in: the view's querysets say which objects they reach."""
    return _guard(view, lambda request: True, "")


def coach_required(view: Callable) -> Callable:
    """Coaches only (``User.is_coach``)."""
    return _guard(view, lambda request: request.user.is_coach, "Not a coach")


def admin_required(view: Callable) -> Callable:
    """Admins only (``User.is_staff``)."""
    return _guard(view, lambda request: request.user.is_staff, "Admins only")


def athlete_required(view: Callable) -> Callable:
    """Athletes only: the view gets the signed-in person's athlete profile after ``request``
    (``view(request, athlete, ...)``), fetched once, here."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return _not_signed_in(request)
        athlete = request.user.athlete_or_none
        if athlete is None:
            raise Http404("Not an athlete")
        return view(request, athlete, *args, **kwargs)

    return guarded


def athlete_in(scope: str) -> Callable:
    """Anyone signed in who reaches athlete ``pk`` through ``Athlete.objects.<scope>(user)``
    (``for_user``: sees them; ``editable_by``: sets their paces), else 404: the view gets the
    athlete instead of ``pk`` (``view(request, athlete, ...)``), fetched once, here, with its
    user."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            from athletes.models import Athlete  # the apps build on coach/, not the reverse

            if not request.user.is_authenticated:
                return _not_signed_in(request)
            athletes = getattr(Athlete.objects, scope)(request.user).select_related("user")
            athlete = get_object_or_404(athletes, pk=pk)
            return view(request, athlete, *args, **kwargs)

        return guarded

    return decorate


def htmx_view(*methods: str, vary: Sequence[str] = ("HX-Request",)) -> Callable:
    """The two decorators of a view that answers htmx requests differently (a fragment instead
    of the page), in one: it answers only ``methods`` (405 otherwise), and its answer varies
    with ``HX-Request`` (with ``HX-Target`` too where the region depends on the target).
    It stands above the access decorator, which says who may open the view."""

    def decorate(view: Callable) -> Callable:
        return vary_on_headers(*vary)(require_http_methods(list(methods))(view))

    return decorate
