"""The stored choices (``TextChoices``) agree with the pure pace engine they name."""

from athletes.models import Event, Zone
from coach import pace
from sessions.models import Slot, StepKind


def test_zones_are_the_pace_engines_zones():
    assert tuple(Zone.values) == pace.ZONES


def test_stored_values_stay_what_the_database_holds():
    assert Slot.values == ["AM", "PM"]
    assert StepKind.values == ["warmup", "work", "recovery", "rest", "cooldown"]
    assert Event.values == ["800", "1500", "mile", "3k", "3ksc", "5k", "10k", "HM", "marathon"]
    assert dict(Event.choices)["10k"] == "10,000 m"
