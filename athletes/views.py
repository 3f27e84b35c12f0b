"""Roster pages (admins). The athlete profile re-plans sessions, so it is
``sessions/athlete_views.py`` (its URLs are still ``athletes:detail`` and the like).

Access, stated once per view by its decorator (coach/access.py):

- ``@admin_required``: anonymous -> login; signed in without the admin role -> 404 (the page
  does not exist for them; the same answer as for someone else's object).
- ``@login_required`` + a queryset that says who may do what (``Athlete.objects.for_user``,
  ``editable_by``; ``Block.goals_editable_by``): an object the user may not reach -> 404.

Each roster region that htmx swaps is an inline partial of ``athletes/roster.html``; the
region ids (``squads``, ``athletes``, ``athlete-results``, ``coaches``) double as partial
names, so an htmx GET of the roster renders just the region it targets. Actions answer with
the fragment they changed and an ``HX-Trigger`` event that makes the other regions refresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from coach import prepared
from coach.access import admin_required, htmx_view
from coach.middleware import accepts_body

from . import actions, roster_rows
from .forms import (
    MAX_CSV_BYTES,
    AssignCoachForm,
    AthleteForm,
    CoachForm,
    ImportForm,
    MoveForm,
    RosterFilterForm,
    SquadForm,
    coaches_for,
)
from .models import Athlete, Squad, User
from .roster_csv import write_csv

ROSTER_REGIONS = {"squads", "athletes", "athlete-results", "coaches"}
ROSTER_PAGE = 25  # athletes per page of the list: the page stays small whatever the club's size
LINK_DAYS = settings.PASSWORD_RESET_TIMEOUT // 86400


# --- the roster page ----------------------------------------------------------------------------

@htmx_view("GET", vary=("HX-Request", "HX-Target"))
@admin_required
def roster(request: HttpRequest) -> HttpResponse:
    """Every squad with its coaches and athletes; the athlete list with search and filters,
    a page of ``ROSTER_PAGE`` athletes at a time (``?page=``, kept with the filters)."""
    region = None
    if request.htmx and not request.htmx.history_restore_request:
        region = request.htmx.target if request.htmx.target in ROSTER_REGIONS else None
    context = _roster_context(request)
    template = f"athletes/roster.html#{region}" if region else "athletes/roster.html"
    return render(request, template, context)


def _roster_context(request: HttpRequest) -> dict:
    user = request.user
    coaches = _coaches(user)
    squads = _squad_list(user)
    squad_names = defaultdict(list)  # each coach's squads (by name): from the squads' coaches
    for squad in squads:
        for coach in roster_rows.coaches_of(squad):
            squad_names[coach.pk].append(squad.name)
    for coach in coaches:
        coach.squad_names = squad_names[coach.pk]
    filter_form = RosterFilterForm(request.GET, squads=squads, coaches=coaches)
    if user.is_staff and not filter_form.is_filtered:  # the list as it opens: compiled once
        found = _ActiveAthletes()
    else:
        found = filter_form.filter(_athletes(user, squads=False), coaches=coaches)
    page = Paginator(found, ROSTER_PAGE).get_page(request.GET.get("page"))
    athletes = list(page.object_list)
    by_id = {squad.pk: squad for squad in squads}
    for athlete in athletes:
        if athlete.squad_id in by_id:  # the squad read above, its coaches with it
            athlete.squad = by_id[athlete.squad_id]
    for squad in squads:
        _offer_coaches(squad, coaches)
    _count_athletes_per_coach(coaches)
    token = get_token(request)
    choices = [roster_rows.Choice(s.pk, s.name) for s in squads]
    return {
        "squads": squads, "coaches": coaches, "athletes": athletes, "page": page,
        "filter_form": filter_form, "nav": "roster",
        # drawn only when the region that shows them is (Django calls a callable variable)
        "squad_cards_html": lambda: roster_rows.render(  # the athletes load when opened
            "squad_cards.html", cards=roster_rows.squad_cards(squads),
            csrf_token=token, note="", error=""),
        "athlete_rows_html": lambda: roster_rows.render(  # the forms load when opened
            "athlete_rows.html", rows=roster_rows.athlete_rows(athletes, choices, forms=False),
            csrf_token=token, note="", error="", open=False,
            filtered=filter_form.is_filtered),
        "coach_rows_html": lambda: roster_rows.render(
            "coach_rows.html", coaches=roster_rows.coach_rows(coaches), csrf_token=token),
        "athlete_form": AthleteForm(user=user).offer(squads, coaches),
        "coach_form": CoachForm(user=user), "squad_form": SquadForm(user=user),
    }


def _squads(user: User):
    """The squads with their coaches and how many athletes are active and left; a card's
    active athletes are read apart (``roster_rows.squad_athletes``), when the card's list is
    opened (``squad_athletes``)."""
    return (
        Squad.objects.for_user(user)
        .annotate(active=Count("athletes", filter=Q(athletes__user__is_active=True)),
                  left=Count("athletes", filter=Q(athletes__user__is_active=False)))
        .prefetch_related("coaches")
        # by name, as Squad's ordering says: a query with GROUP BY (the count) ignores
        # Meta.ordering, so PostgreSQL gave the squads in any order
        .order_by("name")
    )


# --- the roster's reads that do not change with its filters, compiled once (coach.prepared) ---
# An admin sees every squad and coach: the querysets are the same whoever the admin is, so they
# are built for a stand-in admin and kept as SQL. Anyone else (the views are admin_required;
# this is for safety) goes through the querysets themselves.

def _stand_in_admin() -> User:
    return User(pk=0, is_staff=True, is_active=True)


def _coaches(user: User) -> list[User]:
    """``coaches_for(user)``, read."""
    if not user.is_staff:
        return list(coaches_for(user))
    return prepared.objects("roster.coaches", lambda: coaches_for(_stand_in_admin()))


def _squad_list(user: User) -> list[Squad]:
    """``_squads(user)``, read, with each squad's coaches as ``prefetch_related`` keeps them
    (``squad.coaches.all()``): two queries, as before, each compiled once."""
    if not user.is_staff:
        return list(_squads(user))
    squads = prepared.objects("roster.squads", lambda: _squads(_stand_in_admin())
                              .prefetch_related(None))
    _keep_coaches(squads)
    return squads


def _keep_coaches(items: list, through=None, owner: str = "squad_id") -> None:
    """Read the coaches of ``items`` (squads, or athletes with ``Athlete.coaches.through``
    and ``"athlete_id"``: one query) and keep them where the related manager looks, as
    ``prefetch_related("coaches")`` does: in User's order, as the prefetch read them."""
    through = through or Squad.coaches.through

    def build(ids: list[int]):
        return (through.objects.filter(**{f"{owner}__in": ids}).select_related("user")
                .order_by(*(f"user__{name}" for name in User._meta.ordering)))

    found: dict[int, list[User]] = {item.pk: [] for item in items}
    if items:
        for link in prepared.objects(f"roster.coaches_of.{through._meta.model_name}", build,
                                     list(found)):
            found[getattr(link, owner)].append(link.user)
    for item in items:
        queryset = item.coaches.all()
        queryset._result_cache = found[item.pk]
        queryset._prefetch_done = True
        item.__dict__.setdefault("_prefetched_objects_cache", {})["coaches"] = queryset


def _active_query():
    return _athletes(_stand_in_admin(), squads=False).prefetch_related(None).active()


class _ActiveAthletes:
    """What an admin's unfiltered list pages through (``RosterFilterForm.filter`` of
    ``_athletes``: the active athletes by name, with their user and coaches), for the
    ``Paginator``: its count and each page's slice, each a query compiled once (a page's
    slice per offset), the coaches kept as ``prefetch_related`` keeps them."""

    def count(self) -> int:
        rows = prepared.rows("roster.active.count", lambda: _active_query().order_by()
                             .values("user__is_active").annotate(n=Count("pk"))
                             .values_list("n"))[1]
        return rows[0][0] if rows else 0

    def __getitem__(self, part: slice) -> list[Athlete]:
        start, stop = part.start or 0, part.stop
        # a full page's LIMIT even for the last one (cut to what was asked), so that a page
        # keeps its statement when the number of athletes changes
        limit = max(stop - start, ROSTER_PAGE)

        def build():
            return _active_query()[start:start + limit]

        athletes = prepared.objects(f"roster.active.{start}.{limit}", build)[:stop - start]
        _keep_coaches(athletes, Athlete.coaches.through, "athlete_id")
        return athletes

    def __len__(self) -> int:
        return self.count()


def _athletes(user: User, *, squads: bool = True):
    """The athletes the user may see, with their user and coaches; ``squads``: and their
    squad with its coaches (the roster page sets those from the squads it reads anyway)."""
    athletes = (Athlete.objects.for_user(user).select_related("user").prefetch_related("coaches")
                .order_by("display_name"))
    if squads:
        athletes = athletes.select_related("squad").prefetch_related("squad__coaches")
    return athletes


def _offer_coaches(item: Athlete | Squad, coaches: list[User]) -> None:
    """The coaches an admin could still assign to this athlete or squad."""
    assigned = {c.pk for c in roster_rows.coaches_of(item)}
    item.available_coaches = [c for c in coaches if c.pk not in assigned]


def _coached_query():
    """Each (coach, active athlete) pair, direct or through the athlete's squad."""
    active = Athlete.objects.active().order_by()
    direct = active.filter(coaches__isnull=False).values_list("coaches", "pk")
    by_squad = active.filter(squad__coaches__isnull=False).values_list("squad__coaches", "pk")
    return direct.union(by_squad)


def _count_athletes_per_coach(coaches: list[User]) -> None:
    """Each coach's active athletes, direct or through a squad: one query for all coaches."""
    seen: dict[int, set[int]] = defaultdict(set)
    for coach_id, athlete_id in prepared.rows("roster.coached", _coached_query)[1]:
        seen[coach_id].add(athlete_id)
    for coach in coaches:
        coach.athlete_count = len(seen[coach.pk])


# --- adding people and squads -------------------------------------------------------------------

@htmx_view("GET", "POST")
@admin_required
def athlete_create(request: HttpRequest) -> HttpResponse:
    """Add an athlete: their account (no usable password) and a one-time set-password link."""
    def add(data: dict, existing_user: User | None) -> tuple[User, str]:
        athlete = actions.add_athlete(
            name=data["name"], email=data["email"], main_event=data["main_event"],
            squad=data["squad"], coaches=data["coaches"], existing_user=existing_user,
        )
        return athlete.user, f"{athlete.display_name} is on the roster."
    return _person_create(request, "athlete", AthleteForm, add)


@htmx_view("GET", "POST")
@admin_required
def coach_create(request: HttpRequest) -> HttpResponse:
    """Add a coach: a new account with a set-password link, or the role for an existing one."""
    def add(data: dict, existing_user: User | None) -> tuple[User, str]:
        coach = actions.add_coach(name=data["name"], email=data["email"],
                                  existing_user=existing_user)
        return coach, f"{coach.display_name} is a coach now."
    return _person_create(request, "coach", CoachForm, add)


@htmx_view("GET", "POST")
@admin_required
def squad_create(request: HttpRequest) -> HttpResponse:
    form = SquadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        squad = form.save()
        if not request.htmx:
            messages.success(request, f"Squad {squad.name} created.")
            return redirect(f"{reverse('athletes:roster')}#squad-card-{squad.pk}")
        return _form_page(request, "squad", SquadForm(user=request.user),
                          note=f"Squad {squad.name} created.", changed=True)
    return _form_page(request, "squad", form)


def _form_page(request: HttpRequest, kind: str, form, *, changed: bool = False,
               **extra) -> HttpResponse:
    """A create form: its partial for htmx (status 200 even when invalid), else the page."""
    template = f"athletes/{kind}_form.html"
    if request.htmx:
        template += f"#{kind}-form"
    response = render(request, template, {"form": form, "nav": "roster", **extra})
    if changed:
        trigger_client_event(response, "roster-changed")
    return response


def _person_create(request: HttpRequest, kind: str, form_class,
                   add: Callable[[dict, User | None], tuple[User, str]]) -> HttpResponse:
    """A person's create form. A valid POST calls ``add(cleaned data, existing user)``, which
    adds them and returns their account and a note; the page then shows their set-password link
    once (if they have no password yet) next to a fresh form. Not a redirect: the link is made
    for this response and never stored."""
    form = form_class(request.POST or None, user=request.user)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, kind, form)
    person, note = add(form.cleaned_data, form.existing_user)
    link = None if person.has_usable_password() else _absolute_link(request, person)
    return _form_page(request, kind, form_class(user=request.user), changed=True, note=note,
                      person=person, link=link, link_days=LINK_DAYS, place=f"new-{kind}")


def _absolute_link(request: HttpRequest, person: User) -> str:
    return request.build_absolute_uri(actions.set_password_path(person))


# --- set-password links ---------------------------------------------------------------------------

def _people(user: User):
    """Accounts whose set-password link an admin may make: active coaches and athletes who
    are not admins themselves (an admin cannot take over another admin's account)."""
    if not user.is_staff:
        return User.objects.none()
    return User.objects.filter(is_active=True, is_staff=False).filter(
        Q(is_coach=True) | Q(athlete__isnull=False))


@htmx_view("POST")
@admin_required
def person_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a fresh set-password link for a person (it replaces their password when used)."""
    person = get_object_or_404(_people(request.user), pk=pk)
    return _invite(request, person, link=_absolute_link(request, person))


@htmx_view("POST")
@admin_required
def person_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Email a person a fresh set-password link through the configured email backend."""
    person = get_object_or_404(_people(request.user), pk=pk)
    if not person.email:
        return _invite(request, person, error=f"{person.display_name} has no email address.")
    link = _absolute_link(request, person)
    actions.email_set_password_link(person, link=link, sender_name=request.user.display_name)
    return _invite(request, person, sent=timezone.now())


def _invite(request: HttpRequest, person: User, **extra) -> HttpResponse:
    place = request.POST.get("place", "")
    place = place if place.replace("-", "").isalnum() else ""
    template = "athletes/invite.html#invite" if request.htmx else "athletes/invite.html"
    return render(request, template,
                  {"person": person, "place": place or "person", "nav": "roster",
                   "link_days": LINK_DAYS, **extra})


# --- athlete rows: squad, coaches, leaving ------------------------------------------------------

def _athlete_for_admin(request: HttpRequest, pk: int) -> Athlete:
    return get_object_or_404(_athletes(request.user), pk=pk)


@htmx_view("POST")
@admin_required
def athlete_move(request: HttpRequest, pk: int) -> HttpResponse:
    def move(athlete: Athlete, data: dict) -> str:
        squad = data["squad"]
        left = actions.move_athlete(athlete, squad=squad)
        note = f"Moved to {squad.name}." if squad else "No longer in a squad."
        if left:
            names = ", ".join(f"“{b.title}” ({b.coach.display_name})" for b in left)
            note += f" Left the current block{'s' * (len(left) != 1)} of a former coach: {names}."
        return f"{athlete.display_name}: {note}"
    return _athlete_choice(request, pk, MoveForm, move, error="Choose a squad from the list.")


@htmx_view("POST")
@admin_required
def athlete_coach_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(athlete: Athlete, data: dict) -> str:
        athlete.coaches.add(data["coach"])
        return f"{data['coach'].display_name} coaches {athlete.display_name} now."
    return _athlete_choice(request, pk, AssignCoachForm, add,
                           error="Choose a coach from the list.")


def _athlete_choice(request: HttpRequest, pk: int, form_class,
                    change: Callable[[Athlete, dict], str], *, error: str) -> HttpResponse:
    """A row form of one choice: invalid, the row with ``error``; valid, the row with the note
    that ``change(athlete, cleaned data)`` returns."""
    athlete = _athlete_for_admin(request, pk)
    form = form_class(request.POST, user=request.user)
    if not form.is_valid():
        return _athlete_row(request, athlete, error=error)
    return _athlete_row(request, athlete, note=change(athlete, form.cleaned_data))


@htmx_view("POST")
@admin_required
def athlete_coach_remove(request: HttpRequest, pk: int, coach_pk: int) -> HttpResponse:
    athlete = _athlete_for_admin(request, pk)
    coach = get_object_or_404(athlete.coaches.all(), pk=coach_pk)
    athlete.coaches.remove(coach)
    return _athlete_row(request, athlete,
                        note=f"{coach.display_name} no longer coaches {athlete.display_name}"
                             " directly.")


ADMINS_ACCOUNT = ("This athlete's account is also an admin's: only a superuser can deactivate "
                  "or reactivate it.")


@htmx_view("POST")
@admin_required
def athlete_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """The athlete left: they cannot log in and drop out of lists; their history stays."""
    athlete = _athlete_for_admin(request, pk)
    if athlete.user_id == request.user.pk:
        return _athlete_row(request, athlete, error="You cannot deactivate your own account.")
    if not request.user.may_manage_account_of(athlete.user):
        return _athlete_row(request, athlete, error=ADMINS_ACCOUNT)
    actions.deactivate_athlete(athlete)
    return _athlete_row(request, athlete,
                        note=f"{athlete.display_name} has left; their history is kept.")


@htmx_view("POST")
@admin_required
def athlete_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = _athlete_for_admin(request, pk)
    if not request.user.may_manage_account_of(athlete.user):
        return _athlete_row(request, athlete, error=ADMINS_ACCOUNT)
    actions.reactivate_athlete(athlete)
    return _athlete_row(request, athlete, note=f"{athlete.display_name} is back.")


@htmx_view("GET")
@admin_required
def athlete_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A roster row's manage forms, which the roster loads when "Manage" is opened (htmx:
    the forms alone); without JavaScript, a page with the row open."""
    row = _open_row(request, _athlete_for_admin(request, pk))
    if request.htmx:
        return HttpResponse(roster_rows.render("athlete_manage.html", athlete=row, next_url="",
                                               csrf_token=get_token(request)))
    return render(request, "athletes/athlete_manage.html", {
        "row": row, "nav": "roster",
        "athlete_rows_html": _row_html(request, row, next_url=row.manage_url)})


def _open_row(request: HttpRequest, athlete: Athlete) -> roster_rows.AthleteRow:
    """The athlete's row with its manage forms (``athlete`` read by ``_athlete_for_admin``)."""
    _offer_coaches(athlete, _coaches(request.user))
    squads = [roster_rows.Choice(s.pk, s.name) for s in Squad.objects.for_user(request.user)]
    return roster_rows.athlete_rows([athlete], squads)[0]


def _row_html(request: HttpRequest, row: roster_rows.AthleteRow, **extra) -> str:
    return roster_rows.render("athlete_rows.html", rows=[row], csrf_token=get_token(request),
                              open=True, filtered=False,
                              **{"note": "", "error": "", "next_url": "", **extra})


def _athlete_row(request: HttpRequest, athlete: Athlete, *, note: str = "",
                 error: str = "") -> HttpResponse:
    """htmx: the row, open, with the note or error (200). Otherwise back to the roster, or to
    the row's own page when the form was sent from there (``next``: that page's path only)."""
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or note)
        manage = reverse("athletes:athlete-manage", args=[athlete.pk])
        back = request.POST.get("next", "")
        if back == manage and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(manage)
        return redirect(f"{reverse('athletes:roster')}#athlete-row-{athlete.pk}")
    row = _open_row(request, _athlete_for_admin(request, athlete.pk))
    response = render(request, "athletes/roster.html#athlete-row", {
        "athlete_rows_html": _row_html(request, row, note=note, error=error)})
    if not error:
        trigger_client_event(response, "squads-changed")
        trigger_client_event(response, "coaches-changed")
    return response


# --- squad cards: coaches ---------------------------------------------------------------------

@htmx_view("POST")
@admin_required
def squad_coach_add(request: HttpRequest, pk: int) -> HttpResponse:
    squad = get_object_or_404(Squad.objects.for_user(request.user), pk=pk)
    form = AssignCoachForm(request.POST, user=request.user)
    if not form.is_valid():
        return _squad_card(request, squad, error="Choose a coach from the list.")
    coach = form.cleaned_data["coach"]
    squad.coaches.add(coach)
    return _squad_card(request, squad, note=f"{coach.display_name} coaches {squad.name} now.")


@htmx_view("POST")
@admin_required
def squad_coach_remove(request: HttpRequest, pk: int, coach_pk: int) -> HttpResponse:
    squad = get_object_or_404(Squad.objects.for_user(request.user), pk=pk)
    coach = get_object_or_404(squad.coaches.all(), pk=coach_pk)
    squad.coaches.remove(coach)
    return _squad_card(request, squad,
                       note=f"{coach.display_name} no longer coaches {squad.name}.")


def _squad_card(request: HttpRequest, squad: Squad, *, note: str = "",
                error: str = "") -> HttpResponse:
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or note)
        return redirect(f"{reverse('athletes:roster')}#squad-card-{squad.pk}")
    squad = _squads(request.user).get(pk=squad.pk)
    _offer_coaches(squad, _coaches(request.user))
    response = render(request, "athletes/roster.html#squad-card", {
        "squad_cards_html": roster_rows.render(
            "squad_cards.html", cards=roster_rows.squad_cards([squad]),
            csrf_token=get_token(request), note=note, error=error),
    })
    if not error:
        trigger_client_event(response, "athletes-changed")
        trigger_client_event(response, "coaches-changed")
    return response


@htmx_view("GET")
@admin_required
def squad_athletes(request: HttpRequest, pk: int) -> HttpResponse:
    """A squad card's active athletes, which the roster loads when the card's list is opened
    (htmx); without JavaScript, the roster's athlete list filtered by the squad."""
    squad = get_object_or_404(Squad.objects.for_user(request.user), pk=pk)
    if not request.htmx:
        return redirect(f"{reverse('athletes:roster')}?squad={squad.pk}#athletes")
    return HttpResponse(roster_rows.render(
        "squad_athletes.html", athletes=roster_rows.squad_athletes([squad.pk])[squad.pk]))


# --- CSV -----------------------------------------------------------------------------------------

@htmx_view("GET", "POST")
@admin_required
@accepts_body(MAX_CSV_BYTES + 100_000)  # the file (or pasted rows) and the form around it
def roster_import(request: HttpRequest) -> HttpResponse:
    """Preview every row of a CSV file; write all of them in one transaction, or none."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    imported = None
    emailed = 0
    if request.method == "POST" and "confirm" in request.POST and form.confirmed:
        sender = request.user.display_name
        on_created = None
        if form.cleaned_data["send_links"]:
            def on_created(person: User) -> None:
                nonlocal emailed
                actions.email_set_password_link(
                    person, link=_absolute_link(request, person), sender_name=sender)
                emailed += 1
        imported = actions.import_roster(form.plans, on_created=on_created)
    template = "athletes/import.html#import-panel" if request.htmx else "athletes/import.html"
    return render(request, template, {
        "form": form, "imported": imported, "emailed": emailed, "nav": "roster",
        "previewed": request.method == "POST" and form.is_valid() and imported is None,
    })


@require_GET
@admin_required
def roster_export(request: HttpRequest) -> HttpResponse:
    """Every athlete the admin sees, as CSV in the columns the import reads (plus active)."""
    athletes = (
        Athlete.objects.for_user(request.user)
        .select_related("user", "squad").prefetch_related("coaches").order_by("display_name")
    )
    response = HttpResponse("\ufeff" + write_csv(athletes), content_type="text/csv; charset=utf-8")
    filename = f"roster-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
