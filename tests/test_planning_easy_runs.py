"""Easy runs on the planning pages (issue 9, item 9): they show their own distance or time,
never "0 km", and ``45min easy`` reads as an easy run, not a warm-up. Amounts go through
``formats.format_amount``."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions import volumes
from tests import factories as f


@pytest.mark.parametrize(("text", "amount", "title"), [
    ("45min easy", "45 min", "45 min easy run"),
    ("90min easy", "90 min", "90 min easy run"),
    ("8mi easy", "8 mi", "8 mi easy run"),
    ("10k easy", "10 km", "10 km easy run"),
    ("2mi WU; 2mi CD", "4 mi", "2 mi warm-up"),
])
def test_an_easy_run_shows_its_own_amount_on_every_planning_page(coach_client, coach, athlete,
                                                                  htmx, text, amount, title):
    block = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2), days=7)
    session = f.planned(block, text)
    pages = {
        "session": coach_client.get(reverse("training:session", args=[session.pk])),
        "print": coach_client.get(reverse("training:session-print", args=[session.pk])),
        "edit": coach_client.get(reverse("training:session-edit", args=[session.pk])),
        "preview": coach_client.post(reverse("training:session-preview", args=[block.pk]),
                                     {"notation": text}, **htmx),
        "block": coach_client.get(reverse("training:block", args=[block.pk])),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert ">0 km<" not in html and " 0 km" not in html, name
        assert amount in html, name
        if name != "block":
            assert title in html, name
            assert "easy" not in text or "warm-up" not in html, name


def test_easy_running_between_reps_and_before_them_reads_as_easy(coach_client, block, htmx):
    text = "15min easy; 6x400 @ T (60s); 1k easy; 4x200 @ R; 2mi CD"
    response = coach_client.post(reverse("training:session-preview", args=[block.pk]),
                                 {"notation": text}, **htmx)
    titles = [row.title for row in response.context["preview"].rows if row.kind != "work"]
    assert titles[0] == "15 min easy run" and "1 km easy run" in titles
    assert titles[-1] == "2 mi cool-down"


def test_a_week_of_easy_runs_by_time_reads_its_time_not_0_km(coach_client, block):
    for day, minutes in enumerate((50, 60, 90)):
        f.planned(block, f"{minutes}min easy", date=block.start_date + dt.timedelta(days=day))
    f.planned(block, "45min easy; 6x100 @ R (100 walk)",
              date=block.start_date + dt.timedelta(days=3))
    response = coach_client.get(reverse("training:block", args=[block.pk]))
    html = response.content.decode()
    calendar = response.context["calendar"]
    first, second = calendar.weeks[0].totals, calendar.weeks[1].totals
    assert first.volume == "1.1 km + 4 h 05 min"
    assert first.work == "0.6 km"
    assert (second.volume, second.work) == ("0 km", "")  # nothing planned yet: it is 0
    chips = [s.volume for _, s in calendar.weeks[0].days[0].slots if s]
    assert chips == ["50 min"]
    assert "90 min" in html and "60 min" in html  # as written, not "1 h 30 min"
    assert "1.1 km + 45 min · work 0.6 km" in html


def test_volumes_read_by_distance_and_time():
    assert volumes.volume_label(17437.376) == "17.4 km"
    assert volumes.volume_label(0, 3000) == "50 min"
    assert volumes.volume_label(1100, 2700) == "1.1 km + 45 min"
    assert volumes.volume_label(0, 0) == "0 km"
    assert volumes.run_amount(12874.752, None) == "8 mi"
    assert volumes.run_amount(3218.688, 1800) == "2 mi + 30 min"
    assert volumes.run_amount(None, 5400) == "90 min"


def test_a_session_without_reps_shows_no_empty_target_columns(coach_client, coach, athlete):
    block = f.make_block(coach=coach, athletes=(athlete,), start=dt.date(2026, 11, 2), days=7,
                         altitude_m=2100)
    easy = f.planned(block, "50min easy")
    reps = f.planned(block, "6x400 @ T (200 jog)", date=block.start_date + dt.timedelta(days=1))
    for name in ("training:session", "training:session-print"):
        html = coach_client.get(reverse(name, args=[easy.pk])).content.decode()
        assert "50 min easy run" in html
        # no target column (the athletes' names may show elsewhere: their watch files)
        assert "athlete-col" not in html and "adjusted for 2100" not in html
        html = coach_client.get(reverse(name, args=[reps.pk])).content.decode()
        assert "athlete-col" in html and athlete.display_name in html
        assert "adjusted for 2100" in html
