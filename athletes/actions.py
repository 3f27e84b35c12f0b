"""Roster workflows: adding people, assigning coaches, leaving and coming back, CSV import.

Changing an athlete's race results, pace overrides or goal times re-plans their sessions, so
those workflows live in ``sessions.athlete_changes`` (``athletes/`` imports nothing from
``sessions/``). A roster change that may cost athletes a coach (a move to another squad, a
CSV import) sends ``athletes.signals.coaches_changed``; ``sessions`` takes them out of the
blocks of the coaches they lost.

Each function takes keyword-only, typed arguments and writes what it must in one transaction.
Access is the caller's business (the views check it); these functions trust their input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coach import pace
from coach.accounts import account_tokens

from .models import Athlete, RaceResult, Squad, User
from .roster_csv import RowPlan
from .signals import coaches_changed


def split_name(name: str) -> tuple[str, str]:
    """"Ada Lovelace Miler" -> ("Ada", "Lovelace Miler"); one word -> (word, "")."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


def _new_account(*, name: str, email: str, is_coach: bool = False) -> User:
    """An account that cannot log in until its owner sets a password through their link."""
    first, last = split_name(name)
    user = User(username=email.lower(), email=email.lower(), first_name=first[:150],
                last_name=last[:150], is_coach=is_coach)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def add_athlete(*, name: str, email: str, main_event: str = "", squad: Squad | None = None,
                coaches: Iterable[User] = (), existing_user: User | None = None) -> Athlete:
    """Add an athlete: a new account, or a profile for a person who has one (a coach)."""
    user = existing_user or _new_account(name=name, email=email)
    athlete = Athlete.objects.create(user=user, display_name=name, main_event=main_event,
                                     squad=squad)
    athlete.coaches.set(coaches)
    return athlete


@transaction.atomic
def add_coach(*, name: str, email: str, existing_user: User | None = None) -> User:
    """Make a coach: a new account, or the coach role for a person who has one."""
    if existing_user is None:
        return _new_account(name=name, email=email, is_coach=True)
    existing_user.is_coach = True
    existing_user.save(update_fields=["is_coach"])
    return existing_user


@transaction.atomic
def move_athlete(athlete: Athlete, *, squad: Squad | None) -> list:
    """Move an athlete to another squad (or none). A coach they lose with it loses them: they
    leave that coach's blocks that have not ended (``coaches_changed``, which ``sessions``
    answers). Returns the blocks they left."""
    athlete.squad = squad
    athlete.save(update_fields=["squad"])
    return _coaches_changed([athlete.pk])


def _coaches_changed(athletes: list[int]) -> list:
    """Send ``coaches_changed`` for these athletes; what the receivers did, in one list."""
    responses = coaches_changed.send(sender=Athlete, athletes=athletes)
    return [done for _, response in responses for done in response]


def deactivate_athlete(athlete: Athlete) -> None:
    """The athlete left: they cannot log in and drop out of lists; their history stays."""
    athlete.user.is_active = False
    athlete.user.save(update_fields=["is_active"])


def reactivate_athlete(athlete: Athlete) -> None:
    athlete.user.is_active = True
    athlete.user.save(update_fields=["is_active"])


def set_password_path(user: User) -> str:
    """The path of a fresh set-password link (it works once, then expires). Issuing it revokes
    the person's earlier links, and their logins elsewhere (``User.security_stamp``)."""
    user.revoke_links_and_logins()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = account_tokens.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def email_set_password_link(user: User, *, link: str, sender_name: str) -> None:
    """Send the person their set-password link through the configured email backend."""
    context = {"user": user, "link": link, "sender_name": sender_name,
               "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    send_mail(
        subject="Set your password for Coach",
        message=render_to_string("athletes/email/set_password.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def import_roster(plans: Sequence[RowPlan], *,
                  on_created: Callable[[User], None] | None = None) -> list[Athlete]:
    """Write every planned row, or nothing: the caller has checked that no row has errors.

    ``on_created`` runs for each new account once the transaction has committed (to email
    set-password links only for rows that were really written).
    """
    if any(plan.errors for plan in plans):
        raise ValueError("refusing to import rows with errors")
    squads: dict[str, Squad] = {}
    written = []
    for plan in plans:
        squad = plan.squad
        if plan.squad_name and squad is None:
            key = plan.squad_name.casefold()
            if key not in squads:
                squads[key] = Squad.objects.create(name=plan.squad_name)
            squad = squads[key]
        if plan.athlete is None:
            athlete = add_athlete(name=plan.name, email=plan.email, main_event=plan.main_event,
                                  squad=squad, coaches=plan.coaches,
                                  existing_user=plan.user)
            if plan.user is None and on_created is not None:
                user = athlete.user
                transaction.on_commit(lambda user=user: on_created(user))
        else:
            athlete = plan.athlete
            if plan.squad_name:
                athlete.squad = squad
            if plan.main_event:
                athlete.main_event = plan.main_event
            athlete.save(update_fields=["squad", "main_event"])
            athlete.coaches.add(*plan.coaches)
        written.append(athlete)
    # a row that moves someone to another squad cuts off the coach they left, judged on the
    # row as a whole (its new squad and its coaches)
    _coaches_changed([a.pk for a in written if a.pk])
    return written


# --- race results -------------------------------------------------------------------------

def current_vdot(athlete: Athlete) -> float | None:
    """The athlete's VDOT as stored now (not from a prefetched cache)."""
    found = pace.best_vdot(RaceResult.objects.filter(athlete=athlete)
                           .values_list("distance_m", "time_s"))
    return None if found is None else found[0]
