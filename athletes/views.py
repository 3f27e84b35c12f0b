"""Roster pages (admins) and the athlete profile (anyone who may see that athlete).

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

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from coach import pace
from coach.access import admin_required, login_required
from sessions.forms import AthleteGoalForm
from sessions.models import AthleteGoal, Block

from . import actions
from .forms import (
    AssignCoachForm,
    AthleteForm,
    CoachForm,
    ImportForm,
    MoveForm,
    PaceOverrideForm,
    RaceResultForm,
    RosterFilterForm,
    SquadForm,
    ZoneForm,
    coaches_for,
)
from .models import Athlete, RaceResult, Squad, User, distance_label, race_time_text
from .roster_csv import write_csv

ROSTER_REGIONS = {"squads", "athletes", "athlete-results", "coaches"}
LINK_DAYS = settings.PASSWORD_RESET_TIMEOUT // 86400


# --- the roster page ----------------------------------------------------------------------------

@require_GET
@admin_required
def roster(request: HttpRequest) -> HttpResponse:
    """Every squad with its coaches and athletes; the athlete list with search and filters."""
    region = None
    if request.htmx and not request.htmx.history_restore_request:
        region = request.htmx.target if request.htmx.target in ROSTER_REGIONS else None
    context = _roster_context(request)
    template = f"athletes/roster.html#{region}" if region else "athletes/roster.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _roster_context(request: HttpRequest) -> dict:
    user = request.user
    coaches = list(coaches_for(user).prefetch_related("coached_squads"))
    squads = list(_squads(user))
    filter_form = RosterFilterForm(request.GET, squads=squads, coaches=coaches)
    athletes = list(filter_form.filter(_athletes(user), coaches=coaches))
    for athlete in athletes:
        _offer_coaches(athlete, coaches)
    for squad in squads:
        _offer_coaches(squad, coaches)
    _count_athletes_per_coach(coaches)
    return {
        "squads": squads, "coaches": coaches, "athletes": athletes,
        "filter_form": filter_form, "nav": "roster",
        "athlete_form": AthleteForm(user=user), "coach_form": CoachForm(user=user),
        "squad_form": SquadForm(user=user),
    }


def _squads(user: User):
    active = Athlete.objects.active().select_related("user").order_by("display_name")
    return (
        Squad.objects.for_user(user)
        .annotate(left=Count("athletes", filter=Q(athletes__user__is_active=False)))
        .prefetch_related("coaches", Prefetch("athletes", queryset=active))
    )


def _athletes(user: User):
    return (
        Athlete.objects.for_user(user)
        .select_related("user", "squad")
        .prefetch_related("coaches", "squad__coaches")
        .order_by("display_name")
    )


def _offer_coaches(item: Athlete | Squad, coaches: list[User]) -> None:
    """The coaches an admin could still assign to this athlete or squad."""
    assigned = {c.pk for c in item.coaches.all()}
    item.available_coaches = [c for c in coaches if c.pk not in assigned]


def _count_athletes_per_coach(coaches: list[User]) -> None:
    """Each coach's active athletes, direct or through a squad: two queries for all coaches."""
    seen: dict[int, set[int]] = defaultdict(set)
    active = Athlete.objects.active()
    for coach_id, athlete_id in active.filter(coaches__isnull=False).values_list(
            "coaches", "pk"):
        seen[coach_id].add(athlete_id)
    for coach_id, athlete_id in active.filter(squad__coaches__isnull=False).values_list(
            "squad__coaches", "pk"):
        seen[coach_id].add(athlete_id)
    for coach in coaches:
        coach.athlete_count = len(seen[coach.pk])


# --- adding people and squads -------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@admin_required
def athlete_create(request: HttpRequest) -> HttpResponse:
    """Add an athlete: their account (no usable password) and a one-time set-password link."""
    form = AthleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        athlete = actions.add_athlete(
            name=data["name"], email=data["email"], main_event=data["main_event"],
            squad=data["squad"], coaches=data["coaches"], existing_user=form.existing_user,
        )
        return _person_added(request, "athlete", athlete.user, AthleteForm(user=request.user),
                             note=f"{athlete.display_name} is on the roster.")
    return _form_page(request, "athlete", form)


@require_http_methods(["GET", "POST"])
@admin_required
def coach_create(request: HttpRequest) -> HttpResponse:
    """Add a coach: a new account with a set-password link, or the role for an existing one."""
    form = CoachForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coach = actions.add_coach(name=data["name"], email=data["email"],
                                  existing_user=form.existing_user)
        return _person_added(request, "coach", coach, CoachForm(user=request.user),
                             note=f"{coach.display_name} is a coach now.")
    return _form_page(request, "coach", form)


@require_http_methods(["GET", "POST"])
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


def _person_added(request: HttpRequest, kind: str, person: User, fresh_form, *,
                  note: str) -> HttpResponse:
    """Show the person's set-password link once (if they have no password yet), next to a
    fresh form. Not a redirect: the link is made for this response and never stored."""
    link = None if person.has_usable_password() else _absolute_link(request, person)
    return _form_page(request, kind, fresh_form, changed=True, note=note, person=person,
                      link=link, link_days=LINK_DAYS, place=f"new-{kind}")


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


@require_POST
@admin_required
def person_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a fresh set-password link for a person (it replaces their password when used)."""
    person = get_object_or_404(_people(request.user), pk=pk)
    return _invite(request, person, link=_absolute_link(request, person))


@require_POST
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


@require_POST
@admin_required
def athlete_move(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = _athlete_for_admin(request, pk)
    form = MoveForm(request.POST, user=request.user)
    if not form.is_valid():
        return _athlete_row(request, athlete, error="Choose a squad from the list.")
    squad = form.cleaned_data["squad"]
    left = actions.move_athlete(athlete, squad=squad)
    note = f"Moved to {squad.name}." if squad else "No longer in a squad."
    if left:
        names = ", ".join(f"“{b.title}” ({b.coach.display_name})" for b in left)
        note += f" Left the current block{'s' * (len(left) != 1)} of a former coach: {names}."
    return _athlete_row(request, athlete, note=f"{athlete.display_name}: {note}")


@require_POST
@admin_required
def athlete_coach_add(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = _athlete_for_admin(request, pk)
    form = AssignCoachForm(request.POST, user=request.user)
    if not form.is_valid():
        return _athlete_row(request, athlete, error="Choose a coach from the list.")
    coach = form.cleaned_data["coach"]
    athlete.coaches.add(coach)
    return _athlete_row(request, athlete,
                        note=f"{coach.display_name} coaches {athlete.display_name} now.")


@require_POST
@admin_required
def athlete_coach_remove(request: HttpRequest, pk: int, coach_pk: int) -> HttpResponse:
    athlete = _athlete_for_admin(request, pk)
    coach = get_object_or_404(athlete.coaches.all(), pk=coach_pk)
    athlete.coaches.remove(coach)
    return _athlete_row(request, athlete,
                        note=f"{coach.display_name} no longer coaches {athlete.display_name}"
                             " directly.")


@require_POST
@admin_required
def athlete_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """The athlete left: they cannot log in and drop out of lists; their history stays."""
    athlete = _athlete_for_admin(request, pk)
    if athlete.user_id == request.user.pk:
        return _athlete_row(request, athlete, error="You cannot deactivate your own account.")
    actions.deactivate_athlete(athlete)
    return _athlete_row(request, athlete,
                        note=f"{athlete.display_name} has left; their history is kept.")


@require_POST
@admin_required
def athlete_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = _athlete_for_admin(request, pk)
    actions.reactivate_athlete(athlete)
    return _athlete_row(request, athlete, note=f"{athlete.display_name} is back.")


def _athlete_row(request: HttpRequest, athlete: Athlete, *, note: str = "",
                 error: str = "") -> HttpResponse:
    """htmx: the row, open, with the note or error (200). Otherwise back to the roster."""
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or note)
        return redirect(f"{reverse('athletes:roster')}#athlete-row-{athlete.pk}")
    athlete = _athlete_for_admin(request, athlete.pk)
    coaches = list(coaches_for(request.user))
    _offer_coaches(athlete, coaches)
    response = render(request, "athletes/roster.html#athlete-row", {
        "athlete": athlete, "squads": Squad.objects.for_user(request.user),
        "open": True, "note": note, "error": error,
    })
    if not error:
        trigger_client_event(response, "squads-changed")
        trigger_client_event(response, "coaches-changed")
    return response


# --- squad cards: coaches ---------------------------------------------------------------------

@require_POST
@admin_required
def squad_coach_add(request: HttpRequest, pk: int) -> HttpResponse:
    squad = get_object_or_404(Squad.objects.for_user(request.user), pk=pk)
    form = AssignCoachForm(request.POST, user=request.user)
    if not form.is_valid():
        return _squad_card(request, squad, error="Choose a coach from the list.")
    coach = form.cleaned_data["coach"]
    squad.coaches.add(coach)
    return _squad_card(request, squad, note=f"{coach.display_name} coaches {squad.name} now.")


@require_POST
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
    _offer_coaches(squad, list(coaches_for(request.user)))
    response = render(request, "athletes/roster.html#squad-card",
                      {"squad": squad, "note": note, "error": error})
    if not error:
        trigger_client_event(response, "athletes-changed")
        trigger_client_event(response, "coaches-changed")
    return response


# --- CSV -----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@admin_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Preview every row of a CSV file; write all of them in one transaction, or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
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


# --- athlete profile: paces and race results ---------------------------------------------------

ZONE_NAMES = {"E": "Easy", "M": "Marathon", "T": "Threshold", "T+": "Threshold-plus",
              "I": "Interval", "R": "Repetition"}


@require_GET
@login_required
def athlete_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An athlete's profile: VDOT and training paces (with the coach's overrides), race
    results and personal bests, and the forms that change them."""
    athlete = get_object_or_404(_with_paces(Athlete.objects.for_user(request.user)), pk=pk)
    return _profile(request, athlete, reload=False)


def _with_paces(athletes):
    return athletes.select_related("user", "squad").prefetch_related("race_results",
                                                                     "pace_overrides")


@require_POST
@login_required
def race_add(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = get_object_or_404(Athlete.objects.for_user(request.user).select_related("user"),
                                pk=pk)  # race results: the athlete too, not only their coaches
    form = RaceResultForm(request.POST)
    if not form.is_valid():
        return _invalid(request, athlete, "race-form", race_form=form)
    data = form.cleaned_data
    before = actions.current_vdot(athlete)
    result, replan = actions.add_race_result(
        athlete, distance_m=data["distance_m"], time_s=data["time"], date=data["date"],
        race_name=data["race_name"].strip())
    note = f"Added {_race_label(result)}. {_vdot_note(athlete, before, result)}"
    return _profile_changed(request, athlete, f"{note} {replan.summary()}")


@require_POST
@login_required
def race_delete(request: HttpRequest, pk: int, race_pk: int) -> HttpResponse:
    athlete = get_object_or_404(Athlete.objects.for_user(request.user).select_related("user"),
                                pk=pk)  # race results: the athlete too, not only their coaches
    result = get_object_or_404(athlete.race_results.all(), pk=race_pk)
    before = actions.current_vdot(athlete)
    label = _race_label(result)
    replan = actions.delete_race_result(result)
    note = f"Deleted {label}. {_vdot_note(athlete, before)}"
    return _profile_changed(request, athlete, f"{note} {replan.summary()}")


@require_POST
@login_required
def pace_set(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = get_object_or_404(Athlete.objects.editable_by(request.user).select_related("user"),
                                pk=pk)
    form = PaceOverrideForm(request.POST, reference=_vdot_profile(actions.current_vdot(athlete)))
    if not form.is_valid():
        return _invalid(request, athlete, "pace-form", pace_form=form)
    data = form.cleaned_data
    replan = actions.set_pace_override(athlete, zone=data["zone"],
                                       fast_s_per_km=data["fast_s_per_km"],
                                       slow_s_per_km=data["slow_s_per_km"])
    band = _band_text(data["fast_s_per_km"], data["slow_s_per_km"])
    note = f"{data['zone']} set to {band['per_400']} per 400 m ({band['per_km']}/km)."
    return _profile_changed(request, athlete, f"{note} {replan.summary()}")


@require_POST
@login_required
def pace_clear(request: HttpRequest, pk: int) -> HttpResponse:
    athlete = get_object_or_404(Athlete.objects.editable_by(request.user).select_related("user"),
                                pk=pk)
    form = ZoneForm(request.POST)
    if not form.is_valid():
        return _profile(request, athlete, error="Choose a zone: E, M, T, T+, I or R.")
    zone = form.cleaned_data["zone"]
    replan = actions.clear_pace_override(athlete, zone=zone)
    if not replan.ran:
        return _profile_changed(request, athlete, f"{zone} already uses the VDOT pace.")
    return _profile_changed(request, athlete,
                            f"{zone} is back to the VDOT pace. {replan.summary()}")


@require_POST
@login_required
def goal_set(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    """The athlete's goal time for a block's goal race, set by the block's coach (or an admin);
    their upcoming sessions in the block are re-planned. A blank time clears it."""
    athlete = get_object_or_404(Athlete.objects.for_user(request.user).select_related("user"),
                                pk=pk)
    block = get_object_or_404(_goal_blocks(request.user, athlete), pk=block_pk)
    if not block.goals_editable_by(request.user):
        raise Http404("Not this block's coach")
    form = AthleteGoalForm(request.POST, block=block)
    if not form.is_valid():
        return _profile(request, athlete, goal_form=form)
    seconds = form.cleaned_data["time"]
    replan = actions.set_goal(athlete, block=block, time_s=seconds)
    race = block.goal_race_name or block.title
    if not replan.ran:
        return _profile_changed(request, athlete, f"The goal for {race} is unchanged.")
    note = (f"Goal for {race} set to {pace.format_time(seconds)}." if seconds is not None
            else f"Goal for {race} cleared: its pace comes from the VDOT.")
    return _profile_changed(request, athlete, f"{note} {replan.summary()}")


def _goal_blocks(user: User, athlete: Athlete):
    """The athlete's current blocks with a goal race that this user sees."""
    recent = timezone.localdate() - dt.timedelta(days=1)
    return (Block.objects.for_user(user).filter(athletes=athlete, archived=False,
                                                end_date__gte=recent)
            .exclude(goal_distance_m=None))


def _goal_rows(request: HttpRequest, athlete: Athlete, vdot: float | None,
               goal_form: AthleteGoalForm | None) -> list[dict]:
    """Each current block with a goal race: the athlete's goal time (a form for the block's
    coach) and the time the VDOT predicts, which planning uses without a goal."""
    goal = AthleteGoal.objects.filter(block=OuterRef("pk"), athlete=athlete).values("time_s")
    blocks = (_goal_blocks(request.user, athlete).annotate(goal=Subquery(goal[:1]))
              .order_by("end_date", "pk"))
    rows = []
    for block in blocks:  # one query, whatever the number of blocks
        goal = block.goal
        form = goal_form if goal_form is not None and goal_form.block.pk == block.pk else \
            AthleteGoalForm(block=block, initial={"time": pace.format_time(goal) if goal else ""})
        distance = block.goal_distance_m
        predictable = pace.RACE_TIME_MIN_DISTANCE <= distance <= pace.MARATHON
        predicted = pace.race_time(vdot, distance) if vdot is not None and predictable else None
        rows.append({"block": block, "goal": goal, "form": form,
                     "can_set": block.goals_editable_by(request.user),
                     "distance": distance_label(distance),
                     "predicted": race_time_text(predicted) if predicted else ""})
    return rows


def _invalid(request: HttpRequest, athlete: Athlete, name: str, **forms) -> HttpResponse:
    """A refused form: htmx gets just that form back (200), its errors next to the fields and
    everything typed in place, so nothing else on the page moves. Otherwise the whole page."""
    if not request.htmx:
        return _profile(request, athlete, **forms)
    response = render(request, f"athletes/detail.html#{name}", {"athlete": athlete, **forms})
    return reswap(retarget(response, f"#{name}"), "outerHTML")


def _profile_changed(request: HttpRequest, athlete: Athlete, note: str) -> HttpResponse:
    """htmx: the paces and results region with the note. Otherwise back to the profile."""
    note = " ".join(note.split())
    if not request.htmx:
        messages.success(request, note)
        return redirect(athlete)
    return _profile(request, athlete, note=note)


def _profile(request: HttpRequest, athlete: Athlete, *, race_form=None, pace_form=None,
             goal_form=None, note: str = "", error: str = "",
             reload: bool = True) -> HttpResponse:
    """The profile page, or for htmx its ``athlete-paces`` region (status 200 when a form is
    invalid, the errors next to the fields). Queries stay flat whatever the number of races.
    ``reload`` reads the athlete afresh (after a change) with what the page needs."""
    if reload:
        athlete = _with_paces(Athlete.objects.all()).get(pk=athlete.pk)
    user = request.user
    can_set_paces = user.is_staff or Athlete.objects.editable_by(user).filter(
        pk=athlete.pk).exists()
    source = athlete.vdot_source()
    results = list(athlete.race_results.all())
    for result in results:  # the same objects as the VDOT's source and the bests
        result.vdot_info = _result_vdot(result)
        result.time_text = _race_time(result.time_s)
    context = {
        "athlete": athlete, "vdot": source, "paces": _pace_rows(athlete, source),
        "extrapolated": source is not None and pace.is_extrapolated(source[0]),
        "goals": _goal_rows(request, athlete, source[0] if source else None, goal_form),
        "results": results, "bests": athlete.personal_bests(),
        "race_form": race_form or RaceResultForm(),
        "pace_form": pace_form or PaceOverrideForm(),
        "can_set_paces": can_set_paces, "note": note, "error": error,
        "nav": "profile" if athlete.user_id == user.pk else "",
    }
    template = "athletes/detail.html"
    htmx = request.htmx
    if htmx and not htmx.history_restore_request and (
            request.method == "POST" or htmx.target == "athlete-paces"):
        template += "#athlete-paces"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _vdot_profile(vdot: float | None) -> pace.PaceProfile | None:
    return pace.PaceProfile(vdot=vdot) if vdot is not None else None


def _pace_rows(athlete: Athlete, source) -> list[dict]:
    """Each zone: the pace planning uses (the coach's override wins) and, for an overridden
    zone, the VDOT's pace beside it. Empty when there is neither a VDOT nor an override."""
    overrides = {o.zone for o in athlete.pace_overrides.all()}
    if source is None and not overrides:
        return []
    profile = athlete.pace_profile()
    from_vdot = _vdot_profile(source[0] if source else None)
    rows = []
    for zone in pace.ZONES:
        band = profile.sea_level(zone)
        vdot_band = from_vdot.sea_level(zone) if from_vdot and zone in overrides else None
        rows.append({
            "zone": zone, "key": zone.lower().replace("+", "-plus"), "name": ZONE_NAMES[zone],
            "overridden": zone in overrides,
            "pace": _band_text(*band) if band else None,
            "vdot": _band_text(*vdot_band) if vdot_band else None,
        })
    return rows


def _band_text(fast: float, slow: float) -> dict[str, str]:
    """A sea-level band (s/km) per 400 m (``67.3``), per km and per mile (``2:48``)."""
    return {
        "per_400": _span(pace.per_km_to_per_400(fast), pace.per_km_to_per_400(slow), split=True),
        "per_km": _span(fast, slow, decimals=0),
        "per_mile": _span(pace.per_km_to_per_mile(fast), pace.per_km_to_per_mile(slow),
                          decimals=0),
    }


def _span(fast: float, slow: float, *, decimals: int = 1, split: bool = False) -> str:
    if split:  # per 400 m: "67.3" as called at the track; slower than 100 s, whole seconds
        if max(fast, slow) < 100:
            return pace.format_range(fast, slow, distance_m=400)
        return pace.format_range(fast, slow, decimals=0)
    return pace.format_range(fast, slow, decimals=decimals)


def _result_vdot(result: RaceResult) -> dict:
    """A result's VDOT, or why it has none (an 800 m is a race pace only)."""
    try:
        value = pace.vdot(result.distance_m, result.time_s)
    except ValueError:
        pass
    else:
        return {"value": value, "extrapolated": pace.is_extrapolated(value)}
    per_400 = pace.format_split(result.time_s * 400 / result.distance_m, 400)
    if result.distance_m < pace.RACES["1500"]:
        return {"reason": "race pace only", "per_400": per_400,
                "why": "VDOT needs a race from 1500 m to the marathon"}
    if result.distance_m > pace.MARATHON:
        return {"reason": "no VDOT", "why": "longer than a marathon"}
    return {"reason": "no VDOT", "why": f"outside VDOT {pace.VDOT_MIN:g}–{pace.VDOT_MAX:g}"}


def _race_time(seconds: float) -> str:
    """A race time as on the results: tenths when there are some, under an hour."""
    return race_time_text(seconds)


def _race_label(result: RaceResult) -> str:
    name = f" ({result.race_name})" if result.race_name else ""
    return f"{result.distance_label} {_race_time(result.time_s)}{name}"


def _vdot_note(athlete: Athlete, before: float | None, added: RaceResult | None = None) -> str:
    """What the change did to the VDOT, in a sentence."""
    after = actions.current_vdot(athlete)
    if added is not None:
        info = _result_vdot(added)
        if "per_400" in info:
            return (f"{added.distance_label} is too short for a VDOT: it counts as a race pace "
                    f"only ({info['per_400']} per 400 m).")
        if "value" not in info:
            return f"No VDOT from it: {info['why']}."
    if after is None:
        return "No VDOT now: there is no result from 1500 m to the marathon." if before else ""
    if before is None:
        return f"VDOT {pace.format_vdot(after)}."
    if abs(after - before) < 1e-9:
        return f"VDOT stays {pace.format_vdot(after)}."
    return f"VDOT {pace.format_vdot(after)} (was {before:.1f})."
