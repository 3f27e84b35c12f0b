"""The stored choices (``TextChoices``) agree with the pure pace engine they name."""

from typing import get_args

from athletes.models import Event, Zone
from coach import notation, pace
from coach.notation import words
from sessions.models import Slot, StepKind


def test_zones_are_the_pace_engines_zones():
    assert tuple(Zone.values) == pace.ZONES


def test_stored_values_stay_what_the_database_holds():
    assert Slot.values == ["AM", "PM"]
    assert StepKind.values == ["warmup", "work", "recovery", "rest", "cooldown"]
    assert Event.values == ["800", "1500", "mile", "3k", "3ksc", "5k", "10k", "HM", "marathon"]
    assert dict(Event.choices)["10k"] == "10,000 m"


def test_every_step_kind_of_the_notation_is_a_stored_step_kind():
    assert set(StepKind.values) == set(get_args(words.StepKind))
    workout = notation.parse("2mi WU; 3x(2x400 @ T (200 jog)) 3min; 5' walk; 2k CD")
    kinds = [StepKind.of(step) for step in workout.steps]
    assert set(kinds) == set(StepKind)
    assert all(isinstance(kind, StepKind) for kind in kinds)
