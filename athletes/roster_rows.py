"""The roster's squad cards and athlete rows as plain data, drawn by Jinja2 fragments.

Each row carries every string it shows, its addresses included (``coach.jinja2.url_maker``:
a row holds up to eight forms, and a ``{% url %}`` apiece in Django's template language, with
the rest of the row's markup, was most of the roster's time). The fragments are
``templates/jinja2/athletes/athlete_rows.html`` and ``squad_cards.html``; ``roster.html``
writes them where its partials were (``athlete-row``, ``squad-card``), so an htmx answer with
one row or one card is the same markup as the page (docs/frontend.md, "Fast fragments").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from coach.jinja2 import render_fragment, url_maker

from .models import Athlete, Squad


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
    move_url: str
    coach_add_url: str
    link_url: str
    deactivate_url: str
    reactivate_url: str


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
    athletes: list[SquadAthlete] = field(default_factory=list)
    left: int = 0


def athlete_rows(athletes: Iterable[Athlete]) -> list[AthleteRow]:
    """Rows of athletes read with their user, squad, coaches and the squad's coaches
    (prefetched), and ``available_coaches`` (``views._offer_coaches``)."""
    urls = {name: url_maker(f"athletes:{name}") for name in (
        "detail", "athlete-move", "athlete-coach-add", "athlete-deactivate",
        "athlete-reactivate", "person-link")}
    remove = url_maker("athletes:athlete-coach-remove", 2)
    rows = []
    for a in athletes:
        squad = a.squad
        rows.append(AthleteRow(
            pk=a.pk, user_id=a.user_id, name=a.display_name, url=urls["detail"](a.pk),
            event=a.get_main_event_display() if a.main_event else "",
            active=a.user.is_active, staff=a.user.is_staff, email=a.user.email,
            squad_id=a.squad_id, squad_name=squad.name if squad else "",
            coaches=[Chip(c.display_name, remove(a.pk, c.pk)) for c in a.coaches.all()],
            squad_coaches=[c.display_name for c in squad.coaches.all()] if squad else [],
            available=[Choice(c.pk, c.display_name) for c in a.available_coaches],
            move_url=urls["athlete-move"](a.pk), coach_add_url=urls["athlete-coach-add"](a.pk),
            link_url=urls["person-link"](a.user_id),
            deactivate_url=urls["athlete-deactivate"](a.pk),
            reactivate_url=urls["athlete-reactivate"](a.pk)))
    return rows


def squad_cards(squads: Iterable[Squad]) -> list[SquadCard]:
    """Cards of squads read with their coaches, active athletes (prefetched), ``left`` and
    ``available_coaches``."""
    detail = url_maker("athletes:detail")
    add = url_maker("athletes:squad-coach-add")
    remove = url_maker("athletes:squad-coach-remove", 2)
    return [SquadCard(
        pk=s.pk, name=s.name,
        coaches=[Chip(c.display_name, remove(s.pk, c.pk)) for c in s.coaches.all()],
        available=[Choice(c.pk, c.display_name) for c in s.available_coaches],
        add_url=add(s.pk),
        athletes=[SquadAthlete(a.display_name, detail(a.pk),
                               a.get_main_event_display() if a.main_event else "")
                  for a in s.athletes.all()],
        left=s.left) for s in squads]


def render(template: str, **context) -> SafeString:
    """A roster fragment (``athlete_rows.html``, ``squad_cards.html``) drawn from rows."""
    return render_fragment(f"athletes/{template}", context)
