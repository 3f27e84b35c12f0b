"""Every shape of session the notation allows, planned through the app's own ``plan_session``
and opened as its users open it (issue 9, "the blind spot"): the coach's session page, edit
page, print card and live preview; the athlete's session page, log form, one saved rep (for
shapes with reps), Finish and the summary, which the coach reads too. Every answer is 200, or
the redirect the flow expects.

The log side is changing (a log is to be created by its first saved rep, not by opening the
form): everything about logging goes through the small helpers below, so only they need to
follow it.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from coach.formats import format_time
from sessions import logbook
from sessions.models import SessionLog
from tests import factories as f

# (name, notation): one session each. "AM and PM" is two sessions on one day.
SHAPES = [
    ("reps", "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"),
    ("timed reps", "2k WU; 5x6min @ T (1min); 2k CD"),
    ("sets", "3x(4x400 @ 64) 60s/3min"),
    ("sets of reps", "4 x 3 x 400 (56\") [3' & 5']"),
    ("nested sets", "2x(2x(3x200 @ R (100 jog)) (2min)) (5min)"),
    ("ladder", "400-800-1200-800-400 @ I w/ equal time jog"),
    ("lactate reps", "2k WU; 10x1000 @ 3.0-3.5 mmol (60s); 2k CD"),
    ("lactate timed reps", "5x6min @ 2.5 mmol (1min)"),
    ("pace target", "6x1k @ 2:50/km 60s"),
    ("race paces per rep", "4x300 @ 10k/5k/3k/mile pace (100 jog)"),
    ("heart rate and RPE", "4x1mi @ HM, 150 bpm, RPE 7 r 90s"),
    ("labelled part", "Main: 10x1000 @ 3.0-3.5 mmol (60s)"),
    ("rest parts", "2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 400 walk; 2mi CD"),
    ("easy between reps", "15min easy; 6x400 @ 5k (60s); 1k easy; 4x200 @ R; 10min easy"),
    ("note", "6x800 @ I (400 jog) # windy, hold back"),
    ("easy run by time", "50min easy"),
    ("easy run by distance", "8mi easy"),
    ("warm-up and cool-down only", "2mi WU; 2mi CD"),
    # the everyday phrasings of issue 10 (docs/notation.md, "Everyday phrasings")
    ("strides", "15min easy; 8 x 150m strides"),
    ("hills by time", "8x60s hill (jog down)"),
    ("hills by distance", "6 x 200m hills (walk down)"),
    ("on/off", "10 x 1min on / 1min off"),
    ("seconds on/off", "20x 30/30"),
    ("sets in words", "3 sets of 5 x 200 @ R (200 jog) 5min between sets"),
    ("set rest in words", "2 x (5 x 300 @ mile w/ 100 jog) w/ 600 jog between sets"),
    ("unit at the end", "1-2-3-2-1 min @ I (equal jog)"),
    ("comma list", "1600, 1200, 800, 400 @ 5k (400 jog)"),
    ("in and with", "4 x mile in 4:50-4:55 w/ 3 min rest"),
    ("tempo", "WU 2mi; 4 mile tempo; cool down 2 miles"),
    ("800 m pace", "6 x 400 @ 800m pace (200 jog)"),
    ("pyramid", "pyramid 200-400-600-400-200 @ 3k"),
    ("AM", "AM: 10x400 @ 5k (200 jog)"),
    ("PM", "PM: 30min easy"),
]


@pytest.fixture
def planned(coach, athlete):
    """Each shape on its own day of one block; AM and PM share the last day."""
    block = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2),
                         days=len(SHAPES), altitude_m=2100)
    sessions = {}
    for day, (name, text) in enumerate(SHAPES):
        slot = "PM" if name == "PM" else "AM"
        date = block.start_date + dt.timedelta(days=day - (name == "PM"))
        sessions[name] = f.planned(block, text, date=date, slot=slot, title=name)
    return sessions


@pytest.fixture
def clients(coach, athlete):
    as_coach, as_athlete = Client(), Client()
    as_coach.force_login(coach)
    as_athlete.force_login(athlete.user)
    return as_coach, as_athlete


HTMX = {"HTTP_HX_REQUEST": "true"}


# --- the log side, in one place -----------------------------------------------------------------

def open_log_form(client, session, athlete):
    """The log form opens and writes nothing: the log is created by the first saved value."""
    response = client.get(reverse("training:log", args=[session.pk]))
    assert response.status_code == 200, "log form"
    assert not SessionLog.objects.filter(session=session, athlete=athlete).exists()
    return response


def save_first_rep(client, session, athlete, form_page):
    """Save the first planned rep as the form shows it (not stored yet): a time for a distance
    rep, the distance for a timed one. The save creates the log."""
    row = form_page.context["groups"][0]["rows"][0]  # the row as the page shows it
    rep = next(r for r in logbook.log_for_form(session, athlete)[1] if r.position == row.position)
    if rep.planned_distance_m is None:  # a timed rep, covered at 4 m/s
        field, value = "distance", f"{round(rep.duration_s * 4)}"
    else:  # on target, or 5 m/s without a time target
        field, value = "time", format_time(rep.target_lo_s or rep.planned_distance_m / 5)
    data = {field: value}
    response = client.post(
        reverse("training:new-rep-save", args=[session.pk, rep.position]), data, **HTMX)
    assert response.status_code == 200, "save a rep"
    saved = SessionLog.objects.get(session=session, athlete=athlete).reps.get(
        position=rep.position)
    assert saved.actual_s is not None or saved.distance_m == round(rep.duration_s * 4), "saved"


def finish(client, session, athlete):
    response = client.post(reverse("training:log", args=[session.pk]), {
        "date_done": session.date.isoformat(), "rpe": "5", "duration": "50",
        "feeling": "fine", "notes": "", "finish": "1", "skip_open": "1"})
    log = SessionLog.objects.get(session=session, athlete=athlete)
    assert response.status_code == 302, "finish"
    assert response["Location"] == reverse("training:log-summary", args=[log.pk])
    assert log.completed
    return log


def talk(as_athlete, as_coach, log):
    """The thread under the log: the athlete remarks on the first rep (a whole-session note
    without reps), the coach replies and keeps a private note; both read the summary."""
    first = log.reps.order_by("position").first()
    url = reverse("training:log-comment", args=[log.pk])
    remark = {"body": "Windy on the back straight", "rep": first.pk if first else ""}
    assert as_athlete.post(url, remark, **HTMX).status_code == 200, "athlete remark"
    assert as_coach.post(url, {"body": "Noted"}, **HTMX).status_code == 200, "coach reply"
    assert as_coach.post(url, {"body": "Coaches only", "private": "on"}).status_code == 302
    assert log.comments.count() == 3
    assert log.comments.filter(rep__isnull=False).exists() == bool(first)
    athlete_page = as_athlete.get(reverse("training:log-summary", args=[log.pk]))
    assert "Noted" in athlete_page.content.decode()
    assert "Coaches only" not in athlete_page.content.decode(), "private note shown"


# --- the walk ------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [name for name, _ in SHAPES])
def test_every_page_of_every_shape_answers(planned, clients, athlete, shape):
    session = planned[shape]
    as_coach, as_athlete = clients
    block = session.block
    assert session.steps.exists()

    for page in ("training:session", "training:session-edit", "training:session-print"):
        response = as_coach.get(reverse(page, args=[session.pk]))
        assert response.status_code == 200, page
    preview = as_coach.post(reverse("training:session-preview", args=[block.pk]),
                            {"notation": session.notation}, **HTMX)
    assert preview.status_code == 200 and preview.context["preview"] is not None
    assert as_coach.get(reverse("training:block", args=[block.pk])).status_code == 200

    assert as_athlete.get(reverse("training:session", args=[session.pk])).status_code == 200
    form_page = open_log_form(as_athlete, session, athlete)
    if session.rep_count:
        save_first_rep(as_athlete, session, athlete, form_page)
    log = finish(as_athlete, session, athlete)
    talk(as_athlete, as_coach, log)
    for client in (as_athlete, as_coach):
        response = client.get(reverse("training:log-summary", args=[log.pk]))
        assert response.status_code == 200, "summary"
    assert as_athlete.get(reverse("training:history")).status_code == 200
    assert as_coach.get(reverse("training:logs")).status_code == 200


def test_every_page_of_a_session_with_an_own_version_answers(coach, athlete, second, clients):
    """A squad session where the athlete runs their own, shorter version (issue 18) and
    ``second`` follows the squad's: every page as coach and athlete, the log of the version."""
    from sessions import versions
    from sessions.planning import plan_session

    block = f.make_block(coach=coach, athletes=(athlete, second), start=dt.date(2026, 11, 2))
    session = f.planned(block, SHAPES[0][1], title="Squad session")
    versions.save_versions(session, {athlete.pk: "2mi WU; 10x400 @ T+ (200 jog) & 8x200 @ "
                                                 "5k (200 jog); 2mi CD"})
    plan_session(session)
    as_coach, as_athlete = clients
    for page in ("training:session", "training:session-edit", "training:session-print"):
        response = as_coach.get(reverse(page, args=[session.pk]))
        assert response.status_code == 200, page
        assert "Ada Miler’s own version" in response.content.decode(), page
    preview = as_coach.post(reverse("training:session-preview", args=[block.pk]),
                            {"notation": session.notation,
                             f"version-{athlete.pk}": "6x400 @ T (60s)"}, **HTMX)
    assert preview.status_code == 200 and len(preview.context["version_previews"]) == 1
    for client in clients:
        assert client.get(reverse("training:block", args=[block.pk])).status_code == 200
    assert as_athlete.get(reverse("training:session", args=[session.pk])).status_code == 200
    form_page = open_log_form(as_athlete, session, athlete)
    assert form_page.context["progress"]["total"] == 18
    save_first_rep(as_athlete, session, athlete, form_page)
    log = finish(as_athlete, session, athlete)
    for client in (as_athlete, as_coach):
        response = client.get(reverse("training:log-summary", args=[log.pk]))
        assert response.status_code == 200, "summary"
    back = as_coach.post(reverse("training:session-back-to-squad",
                                 args=[session.pk, athlete.pk]))
    assert back.status_code == 302
    assert as_coach.get(reverse("training:session", args=[session.pk])).status_code == 200


PHRASINGS_SHOWN = {  # what the coach's session page shows for the new forms
    "strides": ["8 × 150 m strides"],
    "hills by time": ["8 × 1 min hills", "jog down recovery"],
    "hills by distance": ["6 × 200 m hills", "200 m walk down recovery"],
    "on/off": ["10 × 1 min", "1 min recovery"],
    "seconds on/off": ["20 × 30 s", "30 s recovery"],
    "sets in words": ["1–5", "5 × 200 m", "200 m jog recovery", "5 min", "11–15"],
    "set rest in words": ["5 × 300 m", "100 m jog recovery", "600 m jog", "6–10"],
    "unit at the end": ["3 min", "3 min jog recovery"],
    "comma list": ["1600 m", "400 m", "400 m jog recovery"],
    "in and with": ["4 × 1 mi", "@ 4:50-4:55", "3 min rest recovery"],
    "tempo": ["2 mi warm-up", "4 mi", "@ T", "2 mi cool-down"],
    "800 m pace": ["6 × 400 m", "@ 800 pace"],
    "pyramid": ["600 m", "@ 3k pace"],
}


@pytest.mark.parametrize("shape", PHRASINGS_SHOWN)
def test_the_new_phrasings_show_on_the_session_page(planned, clients, shape):
    session = planned[shape]
    response = clients[0].get(reverse("training:session", args=[session.pk]))
    page = " ".join(response.content.decode().split())
    for text in PHRASINGS_SHOWN[shape]:
        assert text in page, text
    if shape in ("sets in words", "comma list", "800 m pace", "in and with"):
        work = session.steps.filter(kind="work").first()
        assert work.targets.get().target_lo_s is not None  # the athlete's own target


def test_the_shapes_cover_what_the_notation_reads():
    """Every kind of part, step and target appears in at least one shape."""
    from coach import notation

    parts, steps, targets = set(), set(), set()
    for _, text in SHAPES:
        workout = notation.parse(text)
        parts |= {type(p).__name__ for p in workout.parts}
        steps |= {s.kind for s in workout.steps}
        targets |= {t.kind for s in workout.steps for t in s.targets}
    assert parts == {"RepGroup", "Ladder", "SetGroup", "Rest", "EasyRun"}
    assert steps == {"warmup", "work", "recovery", "rest", "cooldown"}
    assert targets == {"time", "pace", "zone", "race", "lactate", "hr", "rpe"}


def test_a_block_with_an_athlete_out_opens_everywhere(planned, clients, athlete):
    """Availability (issue 18): the athlete is out for three days of the block. Every page that
    shows those sessions opens for both, and the athlete can still log one (someone may run
    anyway)."""
    from athletes.models import Absence

    session = planned["reps"]
    start = session.date
    Absence.objects.create(athlete=athlete, start=start, end=start + dt.timedelta(days=2),
                           reason="injured", note="calf")
    as_coach, as_athlete = clients
    block_page = as_coach.get(reverse("training:block", args=[session.block_id]))
    assert "Ada Miler: injured" in block_page.content.decode()
    for client in clients:
        for url in (reverse("training:block", args=[session.block_id]),
                    reverse("training:session", args=[session.pk]),
                    reverse("athletes:availability", args=[athlete.pk]),
                    reverse("athletes:detail", args=[athlete.pk])):
            assert client.get(url).status_code == 200, url
    assert as_coach.get(reverse("training:coach-home")).status_code == 200
    assert as_athlete.get(reverse("training:today")).status_code == 200
    form_page = open_log_form(as_athlete, session, athlete)
    save_first_rep(as_athlete, session, athlete, form_page)
    finish(as_athlete, session, athlete)


def test_every_shape_run_twice_shows_this_workout_before(planned, clients, athlete, coach):
    """Each shape with reps, run again in a later block: the session page and the new log's
    summary show the earlier run (sessions/workout_history.py), for athlete and coach."""
    from sessions.logbook import finish_log, start_log

    later = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 12, 14),
                         days=len(SHAPES))
    for day, (name, text) in enumerate(SHAPES):
        first = planned[name]
        if not first.rep_count:
            continue
        earlier = start_log(first, athlete)
        finish_log(earlier, skip_open=True)
        again = f.planned(later, text, date=later.start_date + dt.timedelta(days=day),
                          title=f"{name} again")
        log = start_log(again, athlete)
        finish_log(log, skip_open=True)
        for client in clients:
            for url in (reverse("training:session", args=[again.pk]), log.get_absolute_url()):
                page = client.get(url).content.decode()
                assert "This workout before" in page, (name, url)
                assert f'href="{earlier.get_absolute_url()}"' in page, (name, url)
