"""Plain functions that make rows for tests: no fixtures files, every default visible."""

from __future__ import annotations

import datetime as dt
import itertools

from athletes.models import Athlete, RaceResult, Squad, User
from sessions.models import AthleteGoal, Block, Session, SessionLog
from sessions.planning import plan_session

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(*, username: str | None = None, is_coach: bool = False, is_staff: bool = False,
              first_name: str = "", last_name: str = "", **extra) -> User:
    username = username or f"user{next(_seq)}"
    return User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org",
        is_coach=is_coach, is_staff=is_staff, first_name=first_name, last_name=last_name,
        **extra,
    )


def make_coach(**kwargs) -> User:
    return make_user(is_coach=True, **kwargs)


def make_athlete(*, name: str | None = None, coach: User | None = None,
                 squad: Squad | None = None, user: User | None = None,
                 main_event: str = "1500", race: tuple[float, float] | None = None) -> Athlete:
    name = name or f"Athlete {next(_seq)}"
    user = user or make_user(first_name=name.split()[0], last_name=name.split()[-1])
    athlete = Athlete.objects.create(user=user, display_name=name, main_event=main_event,
                                     squad=squad)
    if coach is not None:
        athlete.coaches.add(coach)
    if race is not None:
        make_race(athlete, distance_m=race[0], time_s=race[1])
    return athlete


def make_race(athlete: Athlete, *, distance_m: float = 5000, time_s: float = 768,
              date: dt.date | None = None, race_name: str = "Test race") -> RaceResult:
    return RaceResult.objects.create(athlete=athlete, distance_m=distance_m, time_s=time_s,
                                     date=date or dt.date(2026, 6, 1), race_name=race_name)


def make_squad(*, name: str | None = None, coaches: tuple[User, ...] = ()) -> Squad:
    squad = Squad.objects.create(name=name or f"Squad {next(_seq)}")
    squad.coaches.set(coaches)
    return squad


def make_block(*, coach: User, athletes: tuple[Athlete, ...] = (), start: dt.date | None = None,
               days: int = 28, goals: dict[Athlete, float] | None = None, **extra) -> Block:
    """A block; ``goals`` are athletes' goal times (seconds) for its goal race."""
    start = start or dt.date(2026, 11, 2)
    block = Block.objects.create(
        coach=coach, title=extra.pop("title", "Test block"), start_date=start,
        end_date=start + dt.timedelta(days=days - 1), **extra,
    )
    block.athletes.set(athletes)
    for athlete, seconds in (goals or {}).items():
        AthleteGoal.objects.create(block=block, athlete=athlete, time_s=seconds)
    return block


def make_session(*, block: Block, date: dt.date | None = None, slot: str = "AM",
                 title: str = "Session", notation: str = "") -> Session:
    return Session.objects.create(block=block, date=date or block.start_date, slot=slot,
                                  title=title, notation=notation)


def planned(block: Block, notation: str, *, title: str = "", **fields) -> Session:
    """A session of ``block`` planned for its athletes (steps and targets stored), titled by
    its notation unless ``title``; ``fields`` as for ``make_session`` (``date``, ``slot``)."""
    session = make_session(block=block, notation=notation, title=title or notation, **fields)
    plan_session(session)
    return session


def make_log(*, session: Session, athlete: Athlete, **extra) -> SessionLog:
    return SessionLog.objects.create(session=session, athlete=athlete,
                                     date_done=extra.pop("date_done", session.date), **extra)
