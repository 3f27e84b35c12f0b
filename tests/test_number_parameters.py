"""Whole numbers typed or sent as text are read with ``str.isdecimal``, not ``isdigit``: "²" is a
digit to Python but not a number ``int`` reads, and it used to reach ``int()`` (a 500). And a
list read page after page far back does not fill the shared cache of compiled statements."""

from __future__ import annotations

import pytest

from coach import prepared
from sessions import list_views
from sessions.log_forms import RepForm
from sessions.models import RepResult
from tests import factories as f

NOT_A_NUMBER = "²"  # isdigit() is True, int() fails


def test_a_heart_rate_of_a_superscript_two_is_refused_with_a_message(athlete, coach):
    block = f.make_block(coach=coach, athletes=(athlete,))
    f.planned(block, "4x400 @ 64 (200 jog)")
    rep = RepResult(position=1, distance_m=400.0, target_lo_s=63.0, target_hi_s=65.0)
    form = RepForm({"avg_hr": NOT_A_NUMBER}, rep=rep)
    assert not form.is_valid()
    assert "not a heart rate" in form.errors["avg_hr"][0]


@pytest.mark.parametrize("url", [f"/history/?page={NOT_A_NUMBER}", "/history/?page=99999999"])
def test_history_reads_a_page_that_is_not_a_number_as_the_first(athlete_client, url):
    assert athlete_client.get(url).status_code == 200


def test_the_coach_logs_ignore_an_athlete_that_is_not_a_number(coach_client):
    assert coach_client.get(f"/logs/?athlete={NOT_A_NUMBER}").status_code == 200
    assert coach_client.get(f"/logs/?page={NOT_A_NUMBER}").status_code == 200


def test_a_new_session_ignores_a_template_that_is_not_a_number(coach_client, coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,))
    url = f"/blocks/{block.pk}/sessions/new/?template={NOT_A_NUMBER}"
    assert coach_client.get(url).status_code == 200


def test_pages_far_back_are_read_without_compiling_a_statement_each(athlete_client):
    pages = list_views.PREPARED_PAGES
    for number in range(1, pages + 1):  # the first pages: compiled once each
        assert athlete_client.get(f"/history/?page={number}").status_code == 200
    kept = len(prepared._cache)
    for number in range(pages + 1, pages + 40):
        assert athlete_client.get(f"/history/?page={number}").status_code == 200
    assert len(prepared._cache) == kept


def test_a_full_cache_drops_its_oldest_statements_not_all(monkeypatch, db):
    monkeypatch.setattr(prepared, "_cache", {})
    monkeypatch.setattr(prepared, "MAX_SHAPES", 8)

    def build(pk):
        return RepResult.objects.filter(pk=pk).values_list("pk")

    for n in range(8):
        prepared.rows(f"test_cache_{n}", build, 1)
    assert len(prepared._cache) == 8
    prepared.rows("test_cache_new", build, 1)
    keys = [key[2] for key in prepared._cache]
    assert keys[0] == "test_cache_2" and keys[-1] == "test_cache_new"  # the oldest two went
    assert len(keys) == 7
