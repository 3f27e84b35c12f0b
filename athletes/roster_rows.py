"""The roster's squad cards and athlete rows as plain data, drawn by Jinja2 fragments.

Each row carries every string it shows, its addresses included (``coach.jinja2.url_maker``:
a row holds up to eight forms, and a ``{% url %}`` apiece in Django's template language, with
the rest of the row's markup, was most of the roster's time). The fragments are
``templates/jinja2/athletes/athlete_rows.html`` and ``squad_cards.html``; ``roster.html``
writes them where its partials were (``athlete-row``, ``squad-card``), so an htmx answer with
one row or one card is the same markup as the page (docs/frontend.md, "Fast fragments").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from markupsafe import Markup, escape

from coach import prepared
from coach.jinja2 import render_fragment, url_maker

from .models import Athlete, Event, Squad


@dataclass(slots=True)
class Choice:
    """A coach or a squad in a list or a ``<select>``."""

    pk: int
    name: str


@dataclass(slots=True)
class Chip:
    """A coach on a card or row, with the address that removes them."""

    name: str
    remove_url: str


@dataclass(slots=True)
class AthleteRow:
    pk: int
    user_id: int
    name: str
    url: str
    event: str  # the main event's label, or empty
    active: bool
    staff: bool
    email: str
    squad_id: int | None
    squad_name: str
    coaches: list[Chip]  # assigned directly
    squad_coaches: list[str]  # through the squad
    available: list[Choice]  # coaches that could still be assigned
    squad_options: Markup  # the squad list's ``<option>``s, the athlete's selected
    coach_options: Markup  # the ``<option>``s of ``available``
    move_url: str
    coach_add_url: str
    link_url: str
    deactivate_url: str
    reactivate_url: str
    manage_url: str  # the row's manage forms alone (views.athlete_manage)


@dataclass(slots=True)
class SquadAthlete:
    name: str
    url: str
    event: str


@dataclass(slots=True)
class SquadCard:
    pk: int
    name: str
    coaches: list[Chip]
    available: list[Choice]
    add_url: str
    athletes_url: str  # its active athletes' list alone (views.squad_athletes)
    list_url: str  # the roster's athlete list filtered by the squad
    active: int = 0  # active athletes, listed when the card's "Show" is opened
    left: int = 0


_EVENTS: dict[str | None, dict[str, str]] = {}


def event_labels() -> dict[str, str]:
    """Each main event's label in the active language: ``labels.get(value, value)`` is
    ``Athlete.get_main_event_display()`` for a main event that is set (a value not among the
    choices shows as it is, as Django does), without a walk through the field's
    ``flatchoices`` for every athlete (a squad card names twenty)."""
    language = get_language()
    labels = _EVENTS.get(language)
    if labels is None:
        labels = _EVENTS[language] = {v: str(label) for v, label in Event.choices}
    return labels


def _squad_athletes_query(squad_ids: list[int]):
    return (Athlete.objects.active().filter(squad_id__in=squad_ids).order_by("display_name")
            .values_list("squad_id", "pk", "display_name", "main_event"))


def squad_athletes(squad_ids: Sequence[int]) -> dict[int, list[SquadAthlete]]:
    """The active athletes of each squad, by name, as a card lists them: one query, compiled
    once per number of squads (``coach.prepared``), no model instance made."""
    if not squad_ids:
        return {}
    detail = url_maker("athletes:detail")
    labels = event_labels()
    found: dict[int, list[SquadAthlete]] = {pk: [] for pk in squad_ids}
    for squad_id, pk, name, event in prepared.rows("roster.squad_athletes",
                                                   _squad_athletes_query, list(squad_ids))[1]:
        found[squad_id].append(SquadAthlete(name, detail(pk),
                                            labels.get(event, event) if event else ""))
    return found


def coaches_of(item) -> Iterable:
    """``item.coaches.all()`` (an athlete's or a squad's) when they were read ahead
    (``prefetch_related``, or the roster's ``views._keep_coaches``): the same queryset, taken
    from where the related manager looks, without making the manager (its set-up was about a
    twentieth of the roster's time: a hundred looks a page); else the query."""
    kept = item.__dict__.get("_prefetched_objects_cache", {}).get("coaches")
    return item.coaches.all() if kept is None else kept


def _option(pk: int, name: str, selected: bool = False) -> str:
    # as the fragments wrote it: markupsafe's escaping of the name, the pk as it prints
    return f'<option value="{pk}"{" selected" if selected else ""}>{escape(name)}</option>'


@dataclass(slots=True)
class CoachRow:
    pk: int
    name: str
    email: str
    staff: bool
    squads: list[str]  # by name, as the squads were read
    athletes: int  # active athletes, direct or through a squad
    link_url: str


def coach_rows(coaches: Iterable) -> list[CoachRow]:
    """Rows of coaches with ``squad_names`` and ``athlete_count`` (``views._roster_context``)."""
    link = url_maker("athletes:person-link")
    return [CoachRow(c.pk, c.display_name, c.email, c.is_staff, c.squad_names,
                     c.athlete_count, link(c.pk)) for c in coaches]


def athlete_rows(athletes: Iterable[Athlete], squads: Sequence[Choice], *,
                 forms: bool = True) -> list[AthleteRow]:
    """Rows of athletes read with their user, squad, coaches and the squad's coaches
    (prefetched), and ``available_coaches`` (``views._offer_coaches``); ``squads``: the
    choices of each row's squad list. The lists' options are written once each and joined
    per row (a row lists every squad and most coaches: most of the fragment's values).
    ``forms=False``: rows drawn without their manage forms (the roster page's, whose forms
    load when opened), so without the lists' options and the coaches on offer."""
    # bandit exception (B704): escaped in _option
    plain = {s.pk: Markup(_option(s.pk, s.name)) for s in squads}  # nosec
    chosen = {s.pk: Markup(_option(s.pk, s.name, True)) for s in squads}  # nosec
    coach_option: dict[int, str] = {}
    labels = event_labels()
    urls = {name: url_maker(f"athletes:{name}") for name in (
        "detail", "athlete-move", "athlete-coach-add", "athlete-deactivate",
        "athlete-reactivate", "person-link", "athlete-manage")}
    remove = url_maker("athletes:athlete-coach-remove", 2)
    rows = []
    for a in athletes:
        squad = a.squad
        rows.append(AthleteRow(
            pk=a.pk, user_id=a.user_id, name=a.display_name, url=urls["detail"](a.pk),
            event=labels.get(a.main_event, a.main_event) if a.main_event else "",
            active=a.user.is_active, staff=a.user.is_staff, email=a.user.email,
            squad_id=a.squad_id, squad_name=squad.name if squad else "",
            coaches=[Chip(c.display_name, remove(a.pk, c.pk)) for c in coaches_of(a)],
            squad_coaches=[c.display_name for c in coaches_of(squad)] if squad else [],
            available=[Choice(c.pk, c.display_name) for c in a.available_coaches] if forms
            else [],
            # bandit exception (B704): the options are escaped in _option
            squad_options=Markup("".join(  # nosec
                chosen[pk] if pk == a.squad_id else option for pk, option in plain.items())
                if forms else ""),
            coach_options=Markup("".join(  # nosec
                coach_option.get(c.pk) or coach_option.setdefault(
                    c.pk, _option(c.pk, c.display_name)) for c in a.available_coaches)
                if forms else ""),
            move_url=urls["athlete-move"](a.pk), coach_add_url=urls["athlete-coach-add"](a.pk),
            link_url=urls["person-link"](a.user_id),
            deactivate_url=urls["athlete-deactivate"](a.pk),
            reactivate_url=urls["athlete-reactivate"](a.pk),
            manage_url=urls["athlete-manage"](a.pk)))
    return rows


def squad_cards(squads: Iterable[Squad]) -> list[SquadCard]:
    """Cards of squads read with their coaches (prefetched), ``active``, ``left`` and
    ``available_coaches``. A card's athletes load when opened (``squad_athletes``)."""
    add = url_maker("athletes:squad-coach-add")
    remove = url_maker("athletes:squad-coach-remove", 2)
    athletes = url_maker("athletes:squad-athletes")
    roster = reverse("athletes:roster")
    return [SquadCard(
        pk=s.pk, name=s.name,
        coaches=[Chip(c.display_name, remove(s.pk, c.pk)) for c in coaches_of(s)],
        available=[Choice(c.pk, c.display_name) for c in s.available_coaches],
        add_url=add(s.pk), athletes_url=athletes(s.pk),
        list_url=f"{roster}?squad={s.pk}#athletes",
        active=s.active, left=s.left) for s in squads]


def render(template: str, **context) -> SafeString:
    """A roster fragment (``athlete_rows.html``, ``squad_cards.html``, ``coach_rows.html``)
    drawn from rows."""
    return render_fragment(f"athletes/{template}", context)
