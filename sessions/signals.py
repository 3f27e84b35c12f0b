"""Roster changes that cut an athlete off from a coach: wherever they come from (the roster
page, the CSV import, the Django admin, a shell), the athlete leaves the old coach's current
blocks (``sessions.athlete_changes.leave_former_coaches``).

The check runs when the transaction commits, on the roster as it is then: one save may change
an athlete's squad and their direct coaches in two steps (the admin's form, an import row), and
a coach who keeps them through either must keep them in their blocks.

The roster page's move and the CSV import (``athletes.actions``) also send
``athletes.signals.coaches_changed`` inside their transaction: ``roster_changed`` answers it at
once, so the page can name the blocks the athlete left (``athletes/`` imports nothing from
``sessions/``, so it asks through the signal). The check on commit then finds nothing to do.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from athletes.models import Athlete, Squad
from athletes.signals import coaches_changed

from .athlete_changes import leave_former_coaches

CUTTING = {"post_remove", "post_clear"}  # adding a coach never cuts anyone off


def _check_later(*, athletes=None, coaches=None) -> None:
    athletes = None if athletes is None else list(athletes)
    coaches = None if coaches is None else list(coaches)
    transaction.on_commit(lambda: leave_former_coaches(athletes=athletes, coaches=coaches))


@receiver(coaches_changed, dispatch_uid="coach-change-roster")
def roster_changed(sender, athletes, **kwargs) -> list:
    """A move or an import in athletes/, inside its transaction: the blocks they left now."""
    return [block for block, _ in leave_former_coaches(athletes=athletes)]


@receiver(post_save, sender=Athlete, dispatch_uid="coach-change-athlete-squad")
def athlete_saved(sender, instance: Athlete, created: bool, update_fields=None, **kwargs):
    if created or (update_fields is not None and "squad" not in update_fields):
        return
    _check_later(athletes=[instance.pk])


@receiver(m2m_changed, sender=Athlete.coaches.through, dispatch_uid="coach-change-direct")
def direct_coaches_changed(sender, instance, action: str, reverse: bool, **kwargs):
    if action not in CUTTING:
        return
    if reverse:  # coach.coached_athletes.remove(...): that coach's blocks
        _check_later(coaches=[instance.pk])
    else:
        _check_later(athletes=[instance.pk])


@receiver(m2m_changed, sender=Squad.coaches.through, dispatch_uid="coach-change-squad")
def squad_coaches_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    if action not in CUTTING:
        return
    if reverse:  # coach.coached_squads.remove(...)
        _check_later(coaches=[instance.pk])
    else:  # the squad's athletes may have lost a coach
        _check_later(athletes=instance.athletes.values_list("pk", flat=True))


@receiver(pre_delete, sender=Squad, dispatch_uid="coach-change-squad-deleted")
def squad_deleted(sender, instance: Squad, **kwargs):
    """Its athletes lose the squad (and its coaches) without a save of their own."""
    _check_later(athletes=instance.athletes.values_list("pk", flat=True))
