"""The access matrix: every URL pattern of the project against seven people.

The URL names come from the URL resolver, so a new view without a rule here fails
``test_every_url_pattern_has_an_access_rule`` (and its own matrix rows) with
"add an access rule for <name>".

HOW TO ADD A ROW
----------------
Add an entry to ``RULES`` under the URL's full name ("training:log-summary"):

    "training:thing": page(who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK, admin=OK),
                           kwargs=lambda w: {"pk": w.block_a.pk}),

- ``page(expect)`` for a GET view, ``form(get, post, data=...)`` for a GET+POST view,
  ``action(post, data=...)`` for a POST-only view (GET must answer 405 to whoever may POST).
- ``who(default, **persona)`` builds the expectation per persona; ``ADMIN_ONLY``,
  ``COACHES``, ``ATHLETES``, ``COACH_OF_A`` and ``ANYONE_SIGNED_IN`` are ready-made.
- ``kwargs`` and ``data`` receive the ``World`` below: athlete A (in squad A, which coach of A
  coaches; an assistant coaches A directly), athlete B (coached by coach B, not a persona),
  a coach of nobody, an admin (staff, not a coach), A's block, session, log, rep and template;
  and the athlete who moved away (``moved_away``): in squad A and A's block, they logged
  ``session_past`` there, then an admin moved them to coach B's squad (issue 9, item 12).
  ``MOVED_AWAY_RULES`` check who reaches their objects: not coach of A any more.
- Expectations: ``OK`` (200), ``LOGIN`` (302 to the login page), ``NOT_FOUND`` (404),
  ``ALLOWED`` (any 2xx, or a redirect that is not to the login page), ``To("url-name")``.

The rules of the house: anonymous -> login; a signed-in person without
the role, or asking for an object they may not see, -> 404 (never 403, which would confirm
that the object exists). A POST by someone not allowed must answer LOGIN or 404 and change
nothing in the database (nor send mail).

The Django admin (``admin:``) is checked generically: staff get in, nobody else does.

Security that is not about who reaches what (lockouts: tests/test_accounts.py; password rules,
cookies, headers: tests/test_security.py) is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from athletes.actions import move_athlete
from athletes.models import Absence, Athlete
from sessions.calendar_feed import new_address
from sessions.conversation import post_comment
from sessions.digest import opt_out_token
from sessions.models import AthleteVersion, DeviceImport, RepResult, SessionTemplate
from sessions.planning import plan_session
from tests import factories as f

PERSONAS = ["anonymous", "athlete_a", "athlete_b", "coach_of_a", "coach_of_nobody", "admin",
            "moved_away"]

# --- expectations -----------------------------------------------------------------------------

OK = 200
NOT_FOUND = 404
LOGIN = "302 to login"
ALLOWED = "allowed"


@dataclass(frozen=True)
class To:
    """A redirect to this URL name."""

    name: str

    def __str__(self) -> str:
        return f"302 to {self.name}"


def who(default, **personas) -> dict[str, object]:
    unknown = set(personas) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {p: personas.get(p, default) for p in PERSONAS}


ANYONE_SIGNED_IN = who(OK, anonymous=LOGIN)
ADMIN_ONLY = who(NOT_FOUND, anonymous=LOGIN, admin=OK)
COACHES = who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK, coach_of_nobody=OK)
ATHLETES = who(NOT_FOUND, anonymous=LOGIN, athlete_a=OK, athlete_b=OK, moved_away=OK)
COACH_OF_A = who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK)
ATHLETE_A = who(NOT_FOUND, anonymous=LOGIN, athlete_a=OK)
READERS_OF_A = who(NOT_FOUND, anonymous=LOGIN, athlete_a=OK, coach_of_a=OK, admin=OK)
BLOCK_COACH_AND_ADMIN = who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK, admin=OK)
SUBSCRIBERS = who(OK, anonymous=LOGIN, admin=NOT_FOUND)  # athletes and coaches


def _allow(expect: dict) -> dict:
    """The same people, for a POST: success may be a page or a redirect."""
    return {p: (ALLOWED if e == OK else e) for p, e in expect.items()}


# --- the world ----------------------------------------------------------------------------------

@dataclass
class World:
    people: dict
    athlete_a: Athlete
    athlete_b: Athlete
    squad_a: object
    assistant: object
    coach_b: object
    block_a: object
    session_a: object
    log_a: object
    rep_a: object
    template_a: object
    moved: Athlete
    session_past: object
    log_moved: object
    rep_moved: object
    comment_a: object
    comment_moved: object
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    coach_of_a = f.make_coach(username="coach_of_a", first_name="Carla", last_name="Coach")
    coach_of_nobody = f.make_coach(username="coach_of_nobody")
    coach_b = f.make_coach(username="coach_b")
    assistant = f.make_coach(username="assistant")
    admin_user = f.make_user(username="admin", is_staff=True, is_superuser=True)
    squad_a = f.make_squad(name="Squad A", coaches=(coach_of_a,))
    athlete_a = f.make_athlete(name="Ada A", user=f.make_user(username="athlete_a"),
                               squad=squad_a, coach=assistant, race=(5000, 900))
    athlete_b = f.make_athlete(name="Bea B", user=f.make_user(username="athlete_b"),
                               coach=coach_b, race=(5000, 1000))
    block_a = f.make_block(coach=coach_of_a, athletes=(athlete_a,),
                           start=dt.date.today() - dt.timedelta(days=3),
                           goal_distance_m=1609.344)
    session_a = f.make_session(block=block_a, date=block_a.start_date + dt.timedelta(days=3),
                               notation="4x400 @ 75 (200 jog)")
    plan_session(session_a)
    log_a = f.make_log(session=session_a, athlete=athlete_a)
    rep_a = RepResult.objects.create(log=log_a, position=1, distance_m=400, extra=True)
    template_a = SessionTemplate.objects.create(coach=coach_of_a, title="Tempo",
                                                notation="20 min @ T")
    block_b = f.make_block(coach=coach_b, athletes=(athlete_b,))
    f.make_log(session=f.make_session(block=block_b), athlete=athlete_b)
    # the athlete who moved away: trained with A, logged a session, then went to coach B
    moved = f.make_athlete(name="Max Moved", user=f.make_user(username="moved_away"),
                           squad=squad_a, race=(5000, 950))
    block_a.athletes.add(moved)
    session_past = f.make_session(block=block_a, date=block_a.start_date, title="Past",
                                  notation="3x1k @ T (1min jog)")
    plan_session(session_past)
    # athlete A runs an own, shorter version of session A (issue 18)
    AthleteVersion.objects.create(session=session_a, athlete=athlete_a,
                                  notation="3x400 @ 75 (200 jog)")
    plan_session(session_a)
    log_moved = f.make_log(session=session_past, athlete=moved, completed=True, rpe=6)
    rep_moved = RepResult.objects.create(log=log_moved, position=1, distance_m=1000,
                                         actual_s=200)
    comment_a = post_comment(log_a, author=coach_of_a, body="Well run")
    comment_moved = post_comment(log_moved, author=coach_of_a, body="Before the move")
    move_athlete(moved, squad=f.make_squad(name="Squad B", coaches=(coach_b,)))
    people = {"anonymous": None, "athlete_a": athlete_a.user, "athlete_b": athlete_b.user,
              "coach_of_a": coach_of_a, "coach_of_nobody": coach_of_nobody,
              "admin": admin_user, "moved_away": moved.user}
    # A is out (injured) from two days ago to two days ahead: days out, ended early or deleted
    absence_a = Absence.objects.create(athlete=athlete_a, reason="injured",
                                       start=dt.date.today() - dt.timedelta(days=2),
                                       end=dt.date.today() + dt.timedelta(days=2))
    return World(people=people, athlete_a=athlete_a, athlete_b=athlete_b, squad_a=squad_a,
                 assistant=assistant, coach_b=coach_b, block_a=block_a, session_a=session_a,
                 log_a=log_a, rep_a=rep_a, template_a=template_a, moved=moved,
                 session_past=session_past, log_moved=log_moved, rep_moved=rep_moved,
                 comment_a=comment_a, comment_moved=comment_moved,
                 extra={"absence_a": absence_a})


# --- rules --------------------------------------------------------------------------------------

Builder = Callable[[World], dict]


@dataclass
class Rule:
    get: dict | None = None  # expected answer to a GET, per persona (None: POST only)
    post: dict | None = None  # expected answer to a POST, per persona (None: not checked)
    kwargs: Builder = lambda w: {}
    data: Builder = lambda w: {}


def page(expect: dict, *, kwargs: Builder = lambda w: {}) -> Rule:
    return Rule(get=expect, kwargs=kwargs)


def form(expect: dict, *, post: dict | None = None, kwargs: Builder = lambda w: {},
         data: Builder = lambda w: {}) -> Rule:
    return Rule(get=expect, post=post or _allow(expect), kwargs=kwargs, data=data)


def action(expect: dict, *, kwargs: Builder = lambda w: {}, data: Builder = lambda w: {}) -> Rule:
    return Rule(get=None, post=_allow(expect), kwargs=kwargs, data=data)


def _pk(name: str) -> Builder:
    return lambda w: {"pk": getattr(w, name).pk}


def _watch_file(log_name: str) -> Callable[[World], DeviceImport]:
    """A watch file waiting for review on that log (its match as stored: no parsing)."""
    def make(w: World) -> DeviceImport:
        key = f"watch_file_{log_name}"
        if key not in w.extra:
            item = DeviceImport(log=getattr(w, log_name), filename="run.fit", size=3,
                                source="fit", matches={"candidates": [], "reps": []})
            item.file.save("run.fit", ContentFile(b"FIT"), save=True)
            w.extra[key] = item
        return w.extra[key]
    return make


def _file_of(log_name: str) -> Builder:
    return lambda w: {"pk": getattr(w, log_name).pk, "file_pk": _watch_file(log_name)(w).pk}


def _with_watch_file(name: str) -> Builder:
    """The session of A's log, with a watch file waiting on the log."""
    return lambda w: (_watch_file("log_a")(w), {"pk": getattr(w, name).pk})[1]


CSV = "name,email,main event,squad,coach email\nNew Person,new@example.org,5k,Squad A,\n"

RULES: dict[str, Rule] = {
    # --- coach/urls.py: landing, accounts, health -------------------------------------------
    "home": page(who(LOGIN, athlete_a=To("training:today"), athlete_b=To("training:today"),
                     moved_away=To("training:today"),
                     coach_of_a=To("training:coach-home"),
                     coach_of_nobody=To("training:coach-home"), admin=To("athletes:roster"))),
    "no-role": page(ANYONE_SIGNED_IN),
    "healthz": page(who(OK)),
    "favicon": page(who(302)),  # a redirect to the static icon, for anyone
    "service-worker": page(who(OK)),  # the same script for anyone (static/js/sw.js)
    "login": page(who(To("home"), anonymous=OK)),
    "logout": Rule(get=None, post=who(To("login"))),
    "password_change": form(ANYONE_SIGNED_IN, data=lambda w: {"old_password": "wrong"}),
    "password_change_done": page(ANYONE_SIGNED_IN),
    # a made-up token: anyone may open the page, which says the link is not valid
    "password_reset_confirm": page(who(OK), kwargs=lambda w: {
        "uidb64": "MQ", "token": "not-a-token"}),
    "password_reset_complete": page(who(OK)),
    # --- athletes/urls.py: the roster (admins) and athlete profiles ------------------------
    "athletes:roster": page(ADMIN_ONLY),
    "athletes:athlete-create": form(ADMIN_ONLY, data=lambda w: {
        "athlete-name": "New Person", "athlete-email": "new@example.org",
        "athlete-squad": w.squad_a.pk}),
    "athletes:coach-create": form(ADMIN_ONLY, data=lambda w: {
        "coach-name": "New Coach", "coach-email": "newcoach@example.org"}),
    "athletes:squad-create": form(ADMIN_ONLY, data=lambda w: {"squad-name": "New Squad"}),
    "athletes:athlete-move": action(ADMIN_ONLY, kwargs=_pk("athlete_a"),
                                    data=lambda w: {"squad": ""}),
    "athletes:athlete-coach-add": action(ADMIN_ONLY, kwargs=_pk("athlete_a"), data=lambda w: {
        "coach": w.people["coach_of_nobody"].pk}),
    "athletes:athlete-coach-remove": action(ADMIN_ONLY, kwargs=lambda w: {
        "pk": w.athlete_a.pk, "coach_pk": w.assistant.pk}),
    "athletes:athlete-manage": page(ADMIN_ONLY, kwargs=_pk("athlete_a")),
    "athletes:athlete-deactivate": action(ADMIN_ONLY, kwargs=_pk("athlete_a")),
    "athletes:athlete-reactivate": action(ADMIN_ONLY, kwargs=_pk("athlete_b")),
    "athletes:squad-athletes": page(who(NOT_FOUND, anonymous=LOGIN, admin=To(
        "athletes:roster")), kwargs=_pk("squad_a")),  # htmx: the list; else the roster's
    "athletes:squad-coach-add": action(ADMIN_ONLY, kwargs=_pk("squad_a"), data=lambda w: {
        "coach": w.people["coach_of_nobody"].pk}),
    "athletes:squad-coach-remove": action(ADMIN_ONLY, kwargs=lambda w: {
        "pk": w.squad_a.pk, "coach_pk": w.people["coach_of_a"].pk}),
    "athletes:person-link": action(ADMIN_ONLY, kwargs=lambda w: {"pk": w.athlete_a.user_id}),
    "athletes:person-email": action(ADMIN_ONLY, kwargs=lambda w: {"pk": w.athlete_a.user_id}),
    "athletes:import": form(ADMIN_ONLY, data=lambda w: {"text": CSV, "confirm": "1"}),
    "athletes:export": page(ADMIN_ONLY),
    "athletes:detail": page(READERS_OF_A, kwargs=_pk("athlete_a")),
    "athletes:training": page(READERS_OF_A, kwargs=_pk("athlete_a")),
    # race results: A's coaches, admins and A; pace overrides: A's coaches and admins, not A
    "athletes:race-add": action(READERS_OF_A, kwargs=_pk("athlete_a"), data=lambda w: {
        "race-distance": "5k", "race-time": "14:30.2", "race-date": "2026-05-01"}),
    "athletes:race-delete": action(READERS_OF_A, kwargs=lambda w: {
        "pk": w.athlete_a.pk, "race_pk": w.athlete_a.race_results.get().pk}),
    "athletes:pace-set": action(who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK, admin=OK),
                                kwargs=_pk("athlete_a"),
                                data=lambda w: {"pace-zone": "T", "pace-pace": "80.0"}),
    "athletes:pace-clear": action(who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK, admin=OK),
                                  kwargs=_pk("athlete_a"), data=lambda w: {"zone": "T"}),
    # a goal time in a block: the block's coach and admins (A sees it, cannot change it)
    "athletes:goal-set": action(who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK, admin=OK),
                                kwargs=lambda w: {"pk": w.athlete_a.pk, "block_pk": w.block_a.pk},
                                data=lambda w: {f"goal-{w.block_a.pk}-time": "4:20"}),
    # availability (days out): A, A's coaches and admins
    "athletes:availability": form(READERS_OF_A, kwargs=_pk("athlete_a"), data=lambda w: {
        "absence-reason": "sick", "absence-start": "2026-12-01", "absence-end": "2026-12-03"}),
    "athletes:absence-end": action(READERS_OF_A, kwargs=lambda w: {
        "pk": w.athlete_a.pk, "absence_pk": w.extra["absence_a"].pk}),
    "athletes:absence-delete": action(READERS_OF_A, kwargs=lambda w: {
        "pk": w.athlete_a.pk, "absence_pk": w.extra["absence_a"].pk}),
    # --- sessions/urls.py: planning (coaches) -------------------------------------------------
    "training:coach-home": page(COACHES),
    "training:block-new": form(COACHES, data=lambda w: {
        "title": "New block", "start_date": "2026-12-01", "end_date": "2026-12-28",
        "time_zone": "UTC", "altitude_m": "0"}),
    "training:block": page(READERS_OF_A, kwargs=_pk("block_a")),
    "training:block-overview": page(READERS_OF_A, kwargs=_pk("block_a")),
    "training:block-edit": form(COACH_OF_A, kwargs=_pk("block_a"), data=lambda w: {
        "title": "Renamed", "start_date": "2026-12-01", "end_date": "2026-12-28",
        "time_zone": "UTC", "altitude_m": "0"}),
    "training:block-archive": action(COACH_OF_A, kwargs=_pk("block_a")),
    "training:block-copy-week": action(COACH_OF_A, kwargs=_pk("block_a"), data=lambda w: {
        "source": w.block_a.start_date.isoformat(),
        "target": (w.block_a.start_date + dt.timedelta(days=7)).isoformat()}),
    "training:session-new": form(COACH_OF_A, kwargs=_pk("block_a"), data=lambda w: {
        "date": w.block_a.start_date.isoformat(), "slot": "PM", "title": "New",
        "notation": "6x800 @ I (400 jog)"}),
    "training:session-preview": action(COACH_OF_A, kwargs=_pk("block_a"),
                                       data=lambda w: {"notation": "6x800 @ I"}),
    "training:session": page(READERS_OF_A, kwargs=_pk("session_a")),
    "training:session-edit": form(COACH_OF_A, kwargs=_pk("session_a"), data=lambda w: {
        "date": w.session_a.date.isoformat(), "slot": "AM", "title": "Changed",
        "notation": "8x400 @ 75 (200 jog)"}),
    "training:session-delete": action(COACH_OF_A, kwargs=_pk("session_a")),
    "training:session-move": action(COACH_OF_A, kwargs=_pk("session_a"), data=lambda w: {
        "date": (w.session_a.date + dt.timedelta(days=1)).isoformat(), "slot": "PM"}),
    "training:session-copy": action(COACH_OF_A, kwargs=_pk("session_a"), data=lambda w: {
        "date": (w.session_a.date + dt.timedelta(days=1)).isoformat(), "slot": "PM"}),
    "training:session-save-template": action(COACH_OF_A, kwargs=_pk("session_a"),
                                             data=lambda w: {"title": "Saved"}),
    "training:session-print": page(READERS_OF_A, kwargs=_pk("session_a")),
    "training:session-changes": page(BLOCK_COACH_AND_ADMIN, kwargs=_pk("session_a")),
    "training:session-back-to-squad": action(COACH_OF_A, kwargs=lambda w: {
        "pk": w.session_a.pk, "athlete": w.athlete_a.pk}),
    "training:templates": form(COACHES, data=lambda w: {
        "title": "Hills", "notation": "10x200 @ R (200 jog)"}),
    "training:template-edit": form(COACH_OF_A, kwargs=_pk("template_a"), data=lambda w: {
        "title": "Renamed", "notation": "20 min @ T"}),
    "training:template-delete": action(COACH_OF_A, kwargs=_pk("template_a")),
    # --- sessions/urls.py: logging (athletes) and reading logs (coaches) --------------------
    "training:today": page(ATHLETES),
    "training:history": page(ATHLETES),
    "training:log": form(ATHLETE_A, kwargs=_pk("session_a"), data=lambda w: {
        "date_done": w.session_a.date.isoformat(), "rpe": "7", "notes": "changed"}),
    "training:logs": page(COACHES),
    "training:log-summary": page(READERS_OF_A, kwargs=_pk("log_a")),
    # the thread under a log: A and A's coaches post; admins read it, do not take part
    "training:log-comment": action(who(NOT_FOUND, anonymous=LOGIN, athlete_a=OK, coach_of_a=OK),
                                   kwargs=_pk("log_a"), data=lambda w: {"body": "Well run"}),
    "training:comment-delete": action(who(NOT_FOUND, anonymous=LOGIN, coach_of_a=OK),
                                      kwargs=_pk("comment_a")),
    # the coach's stopwatch: the block's coach and admins (sessions/stopwatch_views.py)
    "training:stopwatch": page(BLOCK_COACH_AND_ADMIN, kwargs=_pk("session_a")),
    "training:stopwatch-table": page(BLOCK_COACH_AND_ADMIN, kwargs=_pk("session_a")),
    "training:stopwatch-result": action(BLOCK_COACH_AND_ADMIN, kwargs=_pk("session_a"),
                                        data=lambda w: {
                                            "cid": "5f0c8a52-matrix", "athlete": w.athlete_a.pk,
                                            "position": 1, "time": "75.2"}),
    # the daily email's opt-out: a signed link, no login (sessions/digest_views.py)
    "training:digest-opt-out": form(who(OK), kwargs=lambda w: {
        "token": opt_out_token(w.athlete_a.user)}, data=lambda w: {"email": "off"}),
    # the plan outside the app (sessions/export_views.py): the watch file for one athlete of
    # a session, by whoever sees their targets; the calendar feed's page for athletes and
    # coaches; the feed itself by its secret address, no login
    "training:session-watch-file": page(READERS_OF_A, kwargs=lambda w: {
        "pk": w.session_a.pk, "athlete": w.athlete_a.pk}),
    "training:calendar": page(SUBSCRIBERS),
    "training:calendar-change": action(SUBSCRIBERS, data=lambda w: {"feed": "on"}),
    "training:calendar-feed": page(who(OK), kwargs=lambda w: {
        "token": new_address(w.athlete_a.user).token}),
    "training:rep-add": action(ATHLETE_A, kwargs=_pk("log_a"), data=lambda w: {
        "add-distance": "400"}),
    "training:rep-save": action(ATHLETE_A, kwargs=_pk("rep_a"), data=lambda w: {
        "time": "64.2", "note": "changed"}),
    "training:rep-skip": action(ATHLETE_A, kwargs=_pk("rep_a")),
    "training:rep-remove": action(ATHLETE_A, kwargs=_pk("rep_a")),
    # rows of a log not saved yet, by their position in the session (sessions/log_views.py)
    "training:log-rep-add": action(ATHLETE_A, kwargs=_pk("session_a"), data=lambda w: {
        "add-distance": "400"}),
    "training:new-rep-save": action(ATHLETE_A, kwargs=lambda w: {
        "pk": w.session_a.pk, "position": 1}, data=lambda w: {"note": "changed"}),
    "training:rep-more": page(ATHLETE_A, kwargs=lambda w: {"pk": w.session_a.pk, "position": 1}),
    # a watch file into the log: its athlete; the file for the log's readers (import_views.py)
    "training:log-import": form(ATHLETE_A, kwargs=_pk("session_a")),
    "training:log-import-review": form(ATHLETE_A, kwargs=_with_watch_file("session_a"),
                                       data=lambda w: {"rep-1": ""}),
    "training:log-import-accept": action(ATHLETE_A, kwargs=_with_watch_file("session_a")),
    "training:log-watch-file": page(READERS_OF_A, kwargs=_file_of("log_a")),
    "training:new-rep-skip": action(ATHLETE_A, kwargs=lambda w: {
        "pk": w.session_a.pk, "position": 1}, data=lambda w: {"skipped": "1"}),
}

# The athlete who moved away from coach of A: their profile, logs and rows. They and the admin
# reach them (coach B, their coach now, is not a persona: see tests/test_coach_change.py);
# coach of A, who planned and read all of it before the move, gets 404 everywhere.
MOVED_AND_ADMIN = who(NOT_FOUND, anonymous=LOGIN, moved_away=OK, admin=OK)
MOVED_AWAY_RULES: dict[str, Rule] = {
    "athletes:detail": page(MOVED_AND_ADMIN, kwargs=_pk("moved")),
    "athletes:training": page(MOVED_AND_ADMIN, kwargs=_pk("moved")),
    "athletes:race-add": action(MOVED_AND_ADMIN, kwargs=_pk("moved"), data=lambda w: {
        "race-distance": "5k", "race-time": "15:30", "race-date": "2026-05-01"}),
    "athletes:availability": form(MOVED_AND_ADMIN, kwargs=_pk("moved"), data=lambda w: {
        "absence-reason": "away", "absence-start": "2026-12-01", "absence-end": "2026-12-01"}),
    "athletes:pace-set": action(who(NOT_FOUND, anonymous=LOGIN, admin=OK), kwargs=_pk("moved"),
                                data=lambda w: {"pace-zone": "T", "pace-pace": "80.0"}),
    "training:log-summary": page(MOVED_AND_ADMIN, kwargs=_pk("log_moved")),
    "training:log-comment": action(who(NOT_FOUND, anonymous=LOGIN, moved_away=OK),
                                   kwargs=_pk("log_moved"), data=lambda w: {"body": "Hm"}),
    # coach of A wrote this before the move; it stays, but is no longer theirs to delete
    "training:comment-delete": action(who(NOT_FOUND, anonymous=LOGIN),
                                      kwargs=_pk("comment_moved")),
    # their own log stays theirs to correct, though they left the block
    "training:log": form(who(NOT_FOUND, anonymous=LOGIN, athlete_a=OK, moved_away=OK),
                         kwargs=_pk("session_past"), data=lambda w: {
                             "date_done": w.session_past.date.isoformat(), "rpe": "7"}),
    "training:rep-save": action(who(NOT_FOUND, anonymous=LOGIN, moved_away=OK),
                                kwargs=_pk("rep_moved"), data=lambda w: {
                                    "time": "3:18"}),
    # the block's coach may not time them any more (nor may an admin: they left the block)
    "training:stopwatch-result": action(who(NOT_FOUND, anonymous=LOGIN),
                                        kwargs=_pk("session_past"), data=lambda w: {
                                            "cid": "5f0c8a52-moved", "athlete": w.moved.pk,
                                            "position": 1, "time": "190"}),
    # nor their workout for the watch: they left the block (no one reaches their targets)
    "training:session-watch-file": page(who(NOT_FOUND, anonymous=LOGIN), kwargs=lambda w: {
        "pk": w.session_past.pk, "athlete": w.moved.pk}),
    "training:log-import": form(who(NOT_FOUND, anonymous=LOGIN, athlete_a=OK, moved_away=OK),
                               kwargs=_pk("session_past")),
    "training:log-watch-file": page(MOVED_AND_ADMIN, kwargs=_file_of("log_moved")),
    # the session itself is the block's: its coach and its athletes, no longer them
    "training:session": page(READERS_OF_A, kwargs=_pk("session_past")),
}


# --- reading the URL resolver ------------------------------------------------------------------

def url_names(patterns=None, namespace: str = "") -> list[tuple[str, str]]:
    """(full name, route) of every URL pattern; unnamed ones get a name saying so."""
    found = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += [(n, f"{p.pattern}{r}") for n, r in url_names(p.url_patterns, inner)]
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>"
            found.append((name, str(p.pattern)))
    return found


ALL = url_names()
ADMIN_NAMES = sorted({n for n, _ in ALL if n.startswith("admin:")})
PROJECT_NAMES = sorted({n for n, _ in ALL if not n.startswith("admin:")})


def missing_rules(names) -> list[str]:
    return [f"add an access rule for {n}" for n in names if n not in RULES]


def test_every_url_pattern_has_an_access_rule():
    missing = missing_rules(PROJECT_NAMES)
    assert not missing, "\n".join(missing)
    stale = [n for n in RULES if n not in PROJECT_NAMES]
    assert not stale, f"rules for URL names that no longer exist: {stale}"


def test_a_view_without_a_rule_is_named():
    assert missing_rules(["home", "training:brand-new"]) == [
        "add an access rule for training:brand-new"]


def test_the_matrix_sees_every_app_and_the_admin():
    namespaces = {n.split(":")[0] for n in PROJECT_NAMES if ":" in n}
    assert {"athletes", "training"} <= namespaces
    assert "admin:index" in ADMIN_NAMES


# --- checking one cell --------------------------------------------------------------------------

def _client(world: World, persona: str) -> Client:
    client = Client()
    if world.people[persona] is not None:
        client.force_login(world.people[persona])
    return client


def _check(response, expect, where: str) -> None:
    status = response.status_code
    location = urlsplit(response.get("Location", "")).path
    login = reverse("login")
    if expect == LOGIN:
        assert status == 302 and location == login, f"{where}: {status} {location}"
        assert "next=" in response["Location"], where
    elif expect == ALLOWED:
        assert status in (200, 204) or (status == 302 and location != login), (
            f"{where}: expected success, got {status} {location}")
    elif isinstance(expect, To):
        assert (status, location) == (302, reverse(expect.name)), (
            f"{where}: expected {expect}, got {status} {location}")
    else:
        assert status == expect, f"{where}: expected {expect}, got {status} {location}"


def _snapshot() -> list:
    """Everything a request could change: our apps' rows and the mail sent."""
    rows = []
    for label in ("athletes", "training"):
        for model in apps.get_app_config(label).get_models():
            values = list(model.objects.order_by("pk").values())
            for row in values:
                row.pop("last_login", None)
            rows.append((model.__name__, values))
    rows.append(("mail", len(mail.outbox)))
    return rows


def _each_persona(check: Callable[[str], None]) -> None:
    """Run ``check`` for every persona, each in a savepoint rolled back afterwards (one world
    per URL keeps the matrix fast); report every failing persona at once."""
    failures = []
    for persona in PERSONAS:
        try:
            with transaction.atomic():
                check(persona)
                transaction.set_rollback(True)
        except AssertionError as exc:
            failures.append(str(exc).split("\n")[0])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(set(PROJECT_NAMES) | set(RULES)))
def test_access(db, name):
    if name not in RULES:
        pytest.fail(missing_rules([name])[0])
    if name not in PROJECT_NAMES:
        pytest.fail(f"{name} has a rule but no URL pattern any more; remove the rule")
    _check_rule(name, RULES[name])


@pytest.mark.parametrize("name", sorted(MOVED_AWAY_RULES))
def test_access_to_the_athlete_who_moved_away(db, name):
    _check_rule(name, MOVED_AWAY_RULES[name])


def test_coach_of_a_sees_nothing_of_the_athlete_who_moved_away(db):
    """Every page coach of A may open (the matrix's GETs answering 200 to them), after the
    move: not a word of the athlete who left, though their log and targets in A's block are
    still in the database."""
    world = build_world()
    client = _client(world, "coach_of_a")
    name = world.moved.display_name
    assert world.moved.planned_targets.filter(step__session=world.session_past).exists()
    pages = [(n, r) for n, r in RULES.items() if r.get and r.get["coach_of_a"] == OK]
    assert len(pages) > 10
    shown = []
    for url_name, rule in pages:
        url = reverse(url_name, kwargs=rule.kwargs(world))
        for extra in ("", f"?athlete={world.moved.pk}"):
            response = client.get(url + extra)
            body = (b"".join(response.streaming_content) if response.streaming
                    else response.content)  # a file download streams (a watch file is binary)
            if response.status_code == 200 and (
                    name.encode() in body
                    or name in response.get("Content-Disposition", "")):
                shown.append(url + extra)
    for session in (world.session_a, world.session_past):  # the one they logged, too
        for url_name in ("training:session", "training:session-print", "training:session-edit"):
            url = reverse(url_name, args=[session.pk])
            if name in client.get(url).content.decode():
                shown.append(url)
    preview = client.post(reverse("training:session-preview", args=[world.block_a.pk]),
                          {"notation": "4x400 @ T"}, HTTP_HX_REQUEST="true")
    if name in preview.content.decode():
        shown.append("live preview")
    assert not shown, f"coach of A still sees {name} on {shown}"
    admin = _client(world, "admin").get(reverse("training:session",
                                                args=[world.session_past.pk]))
    assert name in admin.content.decode()  # they did train in it: the admin sees all


def _check_rule(name: str, rule: Rule) -> None:
    world = build_world()
    url = reverse(name, kwargs=rule.kwargs(world))

    def check(persona: str) -> None:
        mail.outbox.clear()
        client = _client(world, persona)
        where = f"{persona} -> {name} ({url})"
        if rule.get is not None:
            _check(client.get(url), rule.get[persona], f"GET {where}")
        if rule.post is None:
            return
        expect = rule.post[persona]
        if expect == ALLOWED or isinstance(expect, To):
            if rule.get is None:
                _check(client.get(url), 405, f"GET {where} (POST only)")
            _check(client.post(url, rule.data(world)), expect, f"POST {where}")
            return
        assert expect in (LOGIN, NOT_FOUND), f"{name}: a refusal is LOGIN or 404, not {expect}"
        before = _snapshot()
        _check(client.post(url, rule.data(world)), expect, f"POST {where}")
        assert _snapshot() == before, f"POST {where} was refused but changed something"

    _each_persona(check)


def test_htmx_without_a_login_gets_401_everywhere_the_login_is_required(db):
    """Where anonymous gets the login page, an htmx request gets ``401`` and the login address
    in ``X-Login-Url`` instead (coach/access.py): a row or a region never turns into the
    login page, and nothing changes."""
    world = build_world()
    client = Client(HTTP_HX_REQUEST="true")
    wrong = []
    for name, rule in RULES.items():
        url = reverse(name, kwargs=rule.kwargs(world))
        for method, expect in (("get", rule.get), ("post", rule.post)):
            if expect is None or expect["anonymous"] != LOGIN:
                continue
            before = _snapshot()
            response = getattr(client, method)(url, rule.data(world) if method == "post" else {})
            if (response.status_code != 401 or response.get("X-Login-Url") != reverse("login")
                    or _snapshot() != before):
                wrong.append(f"{method.upper()} {name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


# --- the Django admin, generically --------------------------------------------------------------

def _admin_url(name: str, world: World) -> str:
    """The URL of an admin pattern, named or not, filled with real ids where it takes some."""
    route = next(r for n, r in ALL if n == name)
    model = next((m for m in admin.site._registry
                  if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")), None)
    obj = model.objects.order_by("pk").first() if model else None
    values = {
        "app_label": "athletes",
        "object_id": str(obj.pk if obj else world.athlete_a.pk),
        "id": str(obj.pk if obj else world.athlete_a.user_id),  # auth_user_password_change
        "content_type_id": str(ContentType.objects.get_for_model(Athlete).pk),
        "url": "nothing-here/",
    }
    fill = lambda m: values[m.group("name")]  # noqa: E731
    url = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", fill, route)
    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, url)
    return "/" + url.replace("^", "").replace("$", "")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_django_admin_is_for_staff_only(db, persona):
    """Every admin pattern, named or not, for one persona (one world: these are all GETs)."""
    world = build_world()
    client = _client(world, persona)
    admin_login, admin_index = reverse("admin:login"), reverse("admin:index")
    failures = []
    for name in ADMIN_NAMES:
        url = _admin_url(name, world)
        response = client.get(url)
        status = response.status_code
        location = urlsplit(response.get("Location", "")).path
        if persona == "admin":
            catch_all = name.endswith("<unnamed (?P<url>.*)$>")
            ok = (status in (200, 302, 403, 405) or (catch_all and status == 404)) and (
                location != admin_login)
        elif name == "admin:login":
            ok = status == 200
        else:
            ok = status == 302 and location in (admin_login, admin_index)
        if not ok:
            failures.append(f"{persona} -> {name} ({url}): {status} {location}")
    assert not failures, "\n".join(failures)


def test_admin_urls_are_filled_in(db):
    world = build_world()
    assert _admin_url("admin:athletes_athlete_change", world) == (
        f"/admin/athletes/athlete/{Athlete.objects.order_by('pk').first().pk}/change/")
    assert _admin_url("admin:app_list", world) == "/admin/athletes/"
