"""The athlete profile: VDOT, training paces, race results and goal times, and the forms that
change them (anyone who may see that athlete; the athlete's coaches and admins set paces).

Every change on this page re-plans the athlete's upcoming sessions
(``sessions.athlete_changes``), and the page shows their goal time in each current block, so
it lives in ``sessions/`` (``athletes/`` imports nothing from ``sessions/``). Its URLs keep
the ``athletes`` namespace (``athletes:detail``, ``athletes:race-add``...):
``sessions/athlete_urls.py``, joined to ``athletes/urls.py`` in ``coach/urls.py``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_htmx.http import reswap, retarget

from athletes.actions import current_vdot
from athletes.forms import PaceOverrideForm, RaceResultForm, ZoneForm
from athletes.models import Athlete, RaceResult, User, distance_label, race_time_text
from coach import formats, pace
from coach.access import athlete_in, htmx_view, login_required

from . import athlete_changes, availability, trend_pages, workout_history
from .forms import AthleteGoalForm
from .models import AthleteGoal, Block
from .planning import Replan

# --- athlete profile: paces and race results ---------------------------------------------------

ZONE_NAMES = {"E": "Easy", "M": "Marathon", "T": "Threshold", "T+": "Threshold-plus",
              "I": "Interval", "R": "Repetition"}


@htmx_view("GET", vary=("HX-Request", "HX-Target"))
@login_required
def athlete_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An athlete's profile: VDOT and training paces (with the coach's overrides), race
    results and personal bests, and the forms that change them."""
    athlete = get_object_or_404(_with_paces(Athlete.objects.for_user(request.user)), pk=pk)
    return _profile(request, athlete, reload=False)


def _with_paces(athletes):
    return athletes.select_related("user", "squad").prefetch_related("race_results",
                                                                     "pace_overrides")


@htmx_view("POST")
@athlete_in("for_user")
def race_add(request: HttpRequest, athlete: Athlete) -> HttpResponse:
    form = RaceResultForm(request.POST)
    if not form.is_valid():
        return _invalid(request, athlete, "race-form", race_form=form)
    data = form.cleaned_data
    before = current_vdot(athlete)
    result, replan = athlete_changes.add_race_result(
        athlete, distance_m=data["distance_m"], time_s=data["time"], date=data["date"],
        race_name=data["race_name"].strip())
    note = f"Added {_race_label(result)}. {_vdot_note(athlete, before, result)}"
    return _profile_changed(request, athlete, note, replan)


@htmx_view("POST")
@athlete_in("for_user")
def race_delete(request: HttpRequest, athlete: Athlete, race_pk: int) -> HttpResponse:
    result = get_object_or_404(athlete.race_results.all(), pk=race_pk)
    before = current_vdot(athlete)
    label = _race_label(result)
    replan = athlete_changes.delete_race_result(result)
    note = f"Deleted {label}. {_vdot_note(athlete, before)}"
    return _profile_changed(request, athlete, note, replan)


@htmx_view("POST")
@athlete_in("editable_by")
def pace_set(request: HttpRequest, athlete: Athlete) -> HttpResponse:
    form = PaceOverrideForm(request.POST, reference=_vdot_profile(current_vdot(athlete)))
    if not form.is_valid():
        return _invalid(request, athlete, "pace-form", pace_form=form)
    data = form.cleaned_data
    replan = athlete_changes.set_pace_override(athlete, zone=data["zone"],
                                               fast_s_per_km=data["fast_s_per_km"],
                                               slow_s_per_km=data["slow_s_per_km"])
    band = _band_text(data["fast_s_per_km"], data["slow_s_per_km"])
    note = f"{data['zone']} set to {band['per_400']} per 400 m ({band['per_km']}/km)."
    return _profile_changed(request, athlete, note, replan)


@htmx_view("POST")
@athlete_in("editable_by")
def pace_clear(request: HttpRequest, athlete: Athlete) -> HttpResponse:
    form = ZoneForm(request.POST)
    if not form.is_valid():
        return _profile(request, athlete, error="Choose a zone: E, M, T, T+, I or R.")
    zone = form.cleaned_data["zone"]
    replan = athlete_changes.clear_pace_override(athlete, zone=zone)
    if not replan.ran:
        return _profile_changed(request, athlete, f"{zone} already uses the VDOT pace.")
    return _profile_changed(request, athlete, f"{zone} is back to the VDOT pace.", replan)


@htmx_view("POST")
@athlete_in("for_user")
def goal_set(request: HttpRequest, athlete: Athlete, block_pk: int) -> HttpResponse:
    """The athlete's goal time for a block's goal race, set by the block's coach (or an admin);
    their upcoming sessions in the block are re-planned. A blank time clears it."""
    block = get_object_or_404(_goal_blocks(request.user, athlete), pk=block_pk)
    if not block.goals_editable_by(request.user):
        raise Http404("Not this block's coach")
    form = AthleteGoalForm(request.POST, block=block)
    if not form.is_valid():
        return _profile(request, athlete, goal_form=form)
    seconds = form.cleaned_data["time"]
    replan = athlete_changes.set_goal(athlete, block=block, time_s=seconds)
    race = block.goal_race_name or block.title
    if not replan.ran:
        return _profile_changed(request, athlete, f"The goal for {race} is unchanged.")
    note = (f"Goal for {race} set to {formats.format_time(seconds)}." if seconds is not None
            else f"Goal for {race} cleared: its pace comes from the VDOT.")
    return _profile_changed(request, athlete, note, replan)


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
        written = formats.format_time(goal) if goal else ""
        form = goal_form if goal_form is not None and goal_form.block.pk == block.pk else \
            AthleteGoalForm(block=block, initial={"time": written})
        distance = block.goal_distance_m
        predictable = pace.RACE_TIME_MIN_DISTANCE <= distance <= formats.MARATHON
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


def _profile_changed(request: HttpRequest, athlete: Athlete, note: str,
                     replan: Replan | None = None) -> HttpResponse:
    """htmx: the paces and results region with the note (and what ``replan`` re-planned).
    Otherwise back to the profile."""
    if replan is not None:
        note = f"{note} {replan.summary()}"
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
    today = availability.athlete_today(athlete)
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
        "absences": availability.current_and_upcoming(athlete, today),
        # called by the template only when it shows them (not in the htmx paces region)
        "benchmarks": partial(workout_history.benchmarks, user, athlete),
        "training_weeks": trend_pages.period(request.GET.get("weeks")),
    }
    template = "athletes/detail.html"
    htmx = request.htmx
    if htmx and not htmx.history_restore_request and (
            request.method == "POST" or htmx.target == "athlete-paces"):
        template += "#athlete-paces"
    return render(request, template, context)


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
            return formats.format_range(fast, slow, distance_m=400)
        return formats.format_range(fast, slow, decimals=0)
    return formats.format_range(fast, slow, decimals=decimals)


def _result_vdot(result: RaceResult) -> dict:
    """A result's VDOT, or why it has none (an 800 m is a race pace only)."""
    try:
        value = pace.vdot(result.distance_m, result.time_s)
    except ValueError:
        pass
    else:
        return {"value": value, "extrapolated": pace.is_extrapolated(value)}
    per_400 = formats.format_split(result.time_s * 400 / result.distance_m, 400)
    if result.distance_m < pace.VDOT_MIN_DISTANCE:
        return {"reason": "race pace only", "per_400": per_400,
                "why": "VDOT needs a race from 1500 m to the marathon"}
    if result.distance_m > formats.MARATHON:
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
    after = current_vdot(athlete)
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
