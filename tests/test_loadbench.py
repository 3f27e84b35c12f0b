"""``manage.py loadbench`` (issue 16): gunicorn started on the current database, the bare page,
the block calendar and the log form loaded, requests per second reported. It needs a database
that a second process can open, as the scale-out test does: PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session as DbSession
from django.core.management import CommandError, call_command

from coach.management.commands.loadbench import free_port
from sessions.logbook import save_rep, start_log
from tests import factories as f
from tests.test_scale_out import ON_POSTGRESQL, database_url

WORKOUT = "6x400 @ T+ (200 jog)"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="gunicorn needs a database it can share")
@pytest.mark.django_db(transaction=True)
def test_loadbench_loads_three_pages_under_gunicorn(tmp_path, monkeypatch, coach):
    athlete = f.make_athlete(name="Ada Miler", coach=coach, race=(5000, 768))
    block = f.make_block(coach=coach, athletes=(athlete,))
    logged = f.planned(block, WORKOUT)
    f.planned(block, WORKOUT, date=block.start_date + dt.timedelta(days=1))  # not logged yet
    rep = start_log(logged, athlete).reps.order_by("position").first()
    save_rep(rep, {"actual_s": rep.target_lo_s or 70.0})
    monkeypatch.setenv("DATABASE_URL", database_url())  # the test database, for gunicorn
    out = tmp_path / "load.json"
    port = free_port()  # as a person sharing the machine gives their own
    call_command("loadbench", "--seconds", "1.5", "--rounds", "1", "--workers", "1",
                 "--clients", "2", "--port", str(port), "--json", str(out),
                 stdout=(tmp_path / "out.txt").open("w"))
    figures = json.loads(out.read_text())
    names = [page["name"] for page in figures["pages"]]
    assert names == ["bare page", "block calendar (2 sessions)", "log form"]
    for page in figures["pages"]:
        assert page["requests"] > 0 and page["errors"] == 0 and page["rps"] > 0
        if Path("/proc/self/stat").exists():  # where the CPU went, read from /proc (Linux)
            assert page["server_cpu_ms"] is not None and page["client_cpu_ms"] is not None
    assert figures["pages"][0]["share_of_bare"] == 1.0
    assert "log form" in (tmp_path / "out.txt").read_text()
    assert f"127.0.0.1:{port}" in (tmp_path / "out.txt").read_text()
    assert not DbSession.objects.exists()  # its sign-ins are gone


@pytest.mark.django_db
def test_loadbench_says_what_to_do_on_an_empty_database():
    with pytest.raises(CommandError, match="seed_scale"):
        call_command("loadbench", "--seconds", "1")
