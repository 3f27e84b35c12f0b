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
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_htmx.http import reswap, retarget

from athletes.actions import current_vdot
from athletes.forms import PaceOverrideForm, RaceResultForm, ZoneForm
from athletes.models import (
    Athlete,
    PaceOverride,
    RaceResult,
    User,
    distance_label,
    race_time_text,
)
from coach import formats, pace, prepared
from coach.access import athlete_in, htmx_view, login_required

from . import athlete_changes, athlete_rows, availability, trend_pages
from .attention import stand_in_user
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
    athlete = page_athlete(request.user, pk, scoped=True)
    if athlete is None:
        raise Http404("No such athlete")
    return _profile(request, athlete, reload=False)


def _page_query(scoped: bool, is_coach: bool, is_staff: bool, user_id: int, pk: int):
    """The athlete the page shows (``for_user``'s scope when ``scoped``), with their user and
    squad, whether ``user_id`` may set their paces (``editable_by``: ``can_set_paces``) and
    the time zone of their current block (``availability.athlete_today``'s: ``block_tz``)."""
    user = stand_in_user(user_id, is_coach, is_staff)
    athletes = Athlete.objects.for_user(user) if scoped else Athlete.objects.all()
    tz = (Block.objects.filter(athletes=OuterRef("pk"), archived=False)
          .order_by("-end_date", "-pk").values("time_zone")[:1])
    athletes = athletes.select_related("user", "squad").annotate(block_tz=Subquery(tz))
    if is_coach and not is_staff:
        athletes = athletes.annotate(can_set_paces=Exists(
            Athlete.objects.editable_by(user).filter(pk=OuterRef("pk"))))
    return athletes.filter(pk=pk)


def page_athlete(user: User, pk: int, *, scoped: bool) -> Athlete | None:
    """Athlete ``pk`` as ``_page_query`` reads them (None if ``user`` may not see them), with
    their race results and pace overrides: three queries, each compiled once per role
    (``coach.prepared``). The profile page's, and its training section's
    (``trend_views.athlete_training``)."""
    roles = (scoped, bool(user.is_coach), bool(user.is_staff))
    found = prepared.objects(f"athlete_page.{roles[0]:d}{roles[1]:d}{roles[2]:d}",
                             partial(_page_query, *roles), user.pk, pk)
    if not found:
        return None
    athlete = found[0]
    if not hasattr(athlete, "can_set_paces"):
        athlete.can_set_paces = user.is_staff
    _prefetched(athlete, "race_results",
                prepared.objects("athlete_page.races", _races_query, athlete.pk))
    _prefetched(athlete, "pace_overrides",
                prepared.objects("athlete_page.overrides", _overrides_query, athlete.pk))
    return athlete


def _races_query(athlete_id: int):
    return RaceResult.objects.filter(athlete_id=athlete_id)


def _overrides_query(athlete_id: int):
    return PaceOverride.objects.filter(athlete_id=athlete_id)


def _prefetched(athlete: Athlete, name: str, objects: list) -> None:
    """Keep ``objects`` as ``athlete.<name>.all()``, as ``prefetch_related`` keeps what it
    read (the models' default order, as the related manager would have read them)."""
    queryset = getattr(athlete, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    athlete.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


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


def _goal_blocks(user: User, athlete: Athlete | int, recent: dt.date | None = None):
    """The athlete's current blocks with a goal race that this user sees (ending ``recent``
    or later: by default yesterday)."""
    recent = recent or timezone.localdate() - dt.timedelta(days=1)
    return (Block.objects.for_user(user).filter(athletes=athlete, archived=False,
                                                end_date__gte=recent)
            .exclude(goal_distance_m=None))


def _goal_rows(request: HttpRequest, athlete: Athlete, vdot: float | None,
               goal_form: AthleteGoalForm | None) -> list[dict]:
    """Each current block with a goal race: the athlete's goal time (a form for the block's
    coach) and the time the VDOT predicts, which planning uses without a goal."""
    user = request.user
    roles = (bool(user.is_coach), bool(user.is_staff))
    recent = timezone.localdate() - dt.timedelta(days=1)

    def build(user_id: int, athlete_id: int, since: dt.date):
        goal = AthleteGoal.objects.filter(block=OuterRef("pk"), athlete_id=athlete_id)
        return (_goal_blocks(stand_in_user(user_id, *roles), athlete_id, since)
                .annotate(goal=Subquery(goal.values("time_s")[:1])).order_by("end_date", "pk"))

    blocks = prepared.objects(f"athlete_page.goals.{roles[0]:d}{roles[1]:d}", build, user.pk,
                              athlete.pk, recent)
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
    user = request.user
    if reload:
        athlete = page_athlete(user, athlete.pk, scoped=False)
    can_set_paces = athlete.can_set_paces
    source = athlete.vdot_source()
    today = availability.today_in(athlete.block_tz)
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
        "benchmarks_html": partial(athlete_rows.render_benchmarks, user, athlete),
        "race_rows": athlete_rows.render_races(results, athlete.pk, source,
                                               get_token(request)),
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
