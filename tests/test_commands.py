"""Management commands: paces, workout, demo."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_paces_prints_vdot_paces_and_equivalents():
    text = run("paces", "5000m", "12:48")
    assert "VDOT 83.6" in text
    assert "1:07.3" in text  # T per 400
    assert "3:42.2" in text  # mile equivalent
    assert "2:02:57" in text  # marathon equivalent
    assert "->" not in text


def test_paces_with_altitude_shows_both():
    text = run("paces", "5k", "12:48", "--altitude", "2100")
    t_line = next(line for line in text.splitlines() if line.startswith("T "))
    assert "1:07.3 -> 1:10.5" in t_line
    r_line = next(line for line in text.splitlines() if line.startswith("R "))
    assert "->" not in r_line  # R stays at sea-level speed


@pytest.mark.parametrize(("args", "vdot", "extrapolated"), [
    (("5000m", "12:37"), "VDOT 85.0", False),
    (("10k", "26:19"), "VDOT 85.0", False),
    (("marathon", "2:01:10"), "VDOT 85.1 (extrapolated)", True),
    (("HM", "56:42"), "VDOT 87.0 (extrapolated)", True),
    (("5k", "40:00"), "VDOT 21.7 (extrapolated)", True),
])
def test_paces_takes_results_up_to_the_world_records_and_flags_extrapolation(
        args, vdot, extrapolated):
    text = run("paces", *args)
    assert f"{vdot}\n" in text
    assert ("Outside Daniels' tables (VDOT 30-85)" in text) is extrapolated
    assert next(line for line in text.splitlines() if line.startswith("T "))


@pytest.mark.parametrize("args,message", [
    (("5k", "50:00"), "outside 20-90"),
    (("800", "1:50"), "800 m"),
    (("5k", "6o.2"), '"6o.2" is not a time'),
    (("5 parsecs", "13:00"), "5 parsecs"),
])
def test_paces_refuses_bad_input_plainly(args, message):
    with pytest.raises(CommandError, match=message):
        run("paces", *args)


def test_demo_creates_the_club_and_is_idempotent(db):
    from athletes.models import Athlete, User
    from sessions.models import Block, RepResult, Session, SessionLog

    first = run("demo")
    assert "Demo data created" in first
    assert "demo-training-2026" in first
    counts = [m.objects.count() for m in (User, Athlete, Block, Session, SessionLog, RepResult)]
    second = run("demo")
    assert "already present" in second
    assert counts == [m.objects.count() for m in (User, Athlete, Block, Session, SessionLog,
                                                  RepResult)]
    block = Block.objects.get(title="Flagstaff altitude block")
    assert (block.altitude_m, block.time_zone, block.place) == (2100, "America/Phoenix",
                                                                "Flagstaff, Arizona")
    assert (block.end_date - block.start_date).days == 27
    assert block.sessions.filter(date=block.today()).exists()
    assert block.athletes.count() == 2
    assert counts[:2] == [4, 2]
    tplus = Session.objects.get(title__startswith="Threshold-plus")
    assert tplus.rep_count == 22
    log = SessionLog.objects.get(session=tplus)
    assert log.reps.count() == 22
    assert log.reps.exclude(lactate=None).count() == 5
    assert log.reps.exclude(avg_hr=None).count() == 22
    assert {"easy" in s.notation for s in Session.objects.all()} == {True, False}
    assert Session.objects.filter(notation__contains="mmol").exists()
    # the sea-level block before it: Tom ran the same workout twice, spelled differently
    earlier = SessionLog.objects.exclude(pk=log.pk).order_by("date_done")
    assert [e.workout_key for e in earlier] == [log.workout_key] * 2
    assert len({e.session.notation for e in [*earlier, log]}) == 3
    assert all(e.date_done < block.start_date and e.completed for e in earlier)


def test_workout_prints_steps_totals_and_targets():
    text = run("workout", "12x400 @ T+ (200 jog)", "--vdot", "83.6")
    assert "Reps: 12" in text
    assert "Work: 4.80 km" in text
    assert "Recovery: 2.20 km" in text
    assert text.count("work      400 m") == 12
    assert "-> 61.4-64.0" in text or "-> 61.5-64.1" in text  # T+ for a 12:48 5000 m runner
    assert "jog jog" not in text


def test_workout_at_altitude_shows_sea_level_beside():
    text = run("workout", "6x1k @ T 60s", "--race", "5000m", "12:48", "--altitude", "2100")
    assert "(sea level 2:48)" in text
    assert "Reps: 6" in text


def test_workout_resolves_lactate_and_goal_pace():
    text = run("workout", "5x6min @ 2.5 mmol (1min); 4x400 @ goal (200 jog)",
               "--goal", "mile", "3:55")
    assert "lactate governs" in text
    assert "-> 58.4" in text


def test_workout_warns_about_a_trailing_with_recovery():
    text = run("workout", "12x400 & 10x200 with 200m jog recovery")
    assert "Warning:" in text
    assert "Reps: 22" in text
    assert "Recovery: 4.20 km" in text


@pytest.mark.parametrize("args,message", [
    (("12x40O",), "column 6"),
    (("",), "empty"),
    (("6x1k @ T", "--race", "800", "1:50"), "800 m"),
])
def test_workout_refuses_bad_input_plainly(args, message):
    with pytest.raises(CommandError, match=message):
        run("workout", *args)


def test_bench_prints_figures_and_leaves_no_data(db):
    from athletes.models import User
    from sessions.models import Block

    text = run("bench", "--repeat", "1", "--athletes", "2")
    for label in ("vdot(5000, 768)", "plan_session", "block calendar", "save one rep"):
        assert label in text
    assert "queries" in text
    assert not User.objects.exists()
    assert not Block.objects.exists()


BENCH_PAGES = ["bare page", "coach home", "block calendar", "session page", "live preview",
               "session edit", "logs", "log summary", "athlete page", "today", "history",
               "log form, first open", "log form, in progress", "save one rep", "roster",
               "admin sessionlog list", "admin sessionlog change", "admin represult list",
               "admin represult change", "admin plannedtarget list", "admin session change"]


def test_bench_writes_json_with_queries_and_ratios_for_every_page(db, tmp_path):
    path = tmp_path / "bench.json"
    text = run("bench", "--repeat", "1", "--athletes", "2", "--json", str(path))
    figures = json.loads(path.read_text())
    pages = {p["name"].split(" (")[0]: p for p in figures["pages"]}
    for name in BENCH_PAGES:
        assert name in pages, name
        assert name in text
    for page in pages.values():
        assert page["queries"] > 0 and page["bytes"] > 0 and page["ratio"] > 0
        assert 0 < page["median_ms"] <= page["p95_ms"]
    assert pages["bare page"]["ratio"] == 1.0
    # Pages go out compressed; a phone's first load of the log form counts its assets too.
    assert pages["log form, first open"]["gzip_bytes"] < pages["log form, first open"]["bytes"]
    first = figures["log_form_first_load_bytes"]
    # (gzip output is padded at random against BREACH: sizes differ by up to 100 bytes)
    assert abs(first["html"] - pages["log form, first open"]["gzip_bytes"]) <= 200
    assert {"css/app.css", "js/log.js"} <= set(first) and "css/print.css" not in first
    assert "a phone's first load" in text
    assert figures["machine"]["cores"] and figures["data"]["block sessions"] == 56
    again = run("bench", "--repeat", "1", "--athletes", "2", "--compare", str(path))
    assert "queries then -> now" in again


def test_bench_measures_the_busiest_block_of_the_database(db):
    from sessions.models import RepResult, SessionLog

    run("demo")
    saved = list(RepResult.objects.order_by("pk").values_list("pk", "actual_s"))
    logs = SessionLog.objects.count()
    text = run("bench", "--repeat", "1")
    assert "Flagstaff" not in text  # names no one; counts the demo's busiest block
    assert "block sessions" in text and "22 session reps" in text
    assert "admin sessionlog change" in text
    assert list(RepResult.objects.order_by("pk").values_list("pk", "actual_s")) == saved
    assert SessionLog.objects.count() == logs  # everything it wrote was rolled back


def test_bench_runs_with_production_static_files_before_collectstatic(db, settings, tmp_path):
    """DEBUG off uses the manifest storage, whose manifest only collectstatic writes."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.STATIC_ROOT = tmp_path  # empty: collectstatic has not run
    text = run("bench", "--repeat", "1", "--athletes", "1")
    assert "log form, first open" in text


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a clean environment: no DEBUG, no SECRET_KEY, no TESTING."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, check=False, timeout=120)


def test_readme_commands_run_without_a_secret_key():
    result = _manage("paces", "5000m", "12:48")
    assert result.returncode == 0, result.stderr
    assert "VDOT" in result.stdout
    result = _manage("workout", "12x400 @ T+ (200 jog)", "--vdot", "83.6")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", [("check", "--deploy"), ("runserver", "127.0.0.1:8199")])
def test_serving_and_deploy_checks_still_need_a_secret_key(args):
    result = _manage(*args, ALLOWED_HOSTS="coach.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_wsgi_application_needs_a_secret_key():
    clean = {"PATH": os.environ.get("PATH", ""), "ALLOWED_HOSTS": "coach.example.org"}
    result = subprocess.run([sys.executable, "-c", "import coach.wsgi"], cwd=ROOT, env=clean,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(("argv", "local"), [
    (["manage.py", "paces", "5k", "12:48"], True),
    (["/srv/coach/manage.py", "migrate"], True),
    (["manage.py"], True),  # help
    (["manage.py", "check"], True),
    (["manage.py", "check", "--deploy"], False),
    (["manage.py", "runserver"], False),
    (["manage.py", "testserver", "fixture.json"], False),
    (["/usr/bin/gunicorn", "coach.wsgi"], False),
    ([], False),
])
def test_local_command_tells_commands_that_serve_from_the_others(argv, local):
    from coach.settings import local_command

    assert local_command(argv) is local


def test_demo_announces_the_url_it_is_given(db):
    text = run("demo", "--url", "http://127.0.0.1:8101/")
    assert "Open http://127.0.0.1:8101/ and log in." in text
    assert "8000" not in text


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_announces_the_port_it_serves():
    result = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True,
                            text=True, check=True, timeout=60)
    demo = next(line for line in result.stdout.splitlines() if "manage.py demo" in line)
    assert "--url http://127.0.0.1:8101/" in demo
    assert "runserver 127.0.0.1:8101" in result.stdout


def test_bench_runs_on_a_fresh_checkout_without_migrate(tmp_path):
    """No tables yet (no `migrate`, no `make run`): bench measures on a throwaway database and
    leaves the configured one as it found it."""
    database = tmp_path / "fresh.sqlite3"
    result = _manage("bench", "--repeat", "1", "--athletes", "1", DEBUG="false",
                     DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert "throwaway" in result.stdout and "log form, first open" in result.stdout
    assert not database.exists() or database.stat().st_size == 0


def test_demo_on_a_server_with_debug_off_gives_each_account_a_random_password(db, settings):
    """The published demo password on a reachable server would open a superuser: with DEBUG
    off each account gets its own random password, printed once, and the published one fails."""
    from athletes.models import User
    from coach.management.commands.demo import PASSWORD

    settings.DEBUG = False
    settings.TESTING = False
    text = run("demo")
    assert PASSWORD not in text and "shown only this once" in text
    line = next(line for line in text.splitlines() if line.split()[:2] == ["admin", "admin"])
    password = line.split()[-1]
    assert len(password) >= 16
    admin = User.objects.get(username="admin")
    assert admin.check_password(password) and not admin.check_password(PASSWORD)
    again = run("demo")
    assert password not in again and "were printed when they were created" in again
