"""The live preview while a coach types: every half-typed text answers 200 with either a
preview or an error in its own box, never a server error (issue 9, item 1)."""


import pytest
from django.urls import reverse

WORKOUTS = [
    "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD",
    "3x(4x400 @ 64) 60s/3min; 4 x 3 x 400 (56\") [3' & 5']",
    "5x6min @ 2.5 mmol (1min); 400-800-1200-800-400 @ I w/ equal time jog",
    "Main: 10x1000 @ 3.0-3.5 mmol (60s); 6x1k @ 2:50/km 60s",
    "AM: 45min easy; PM: 6x100 @ R (100 walk)",
    "2k WU; 5' jog; 8x300 @ 10k/5k/3k/mile pace (100 jog); 10min easy # windy",
    "4x1mi @ HM, 150 bpm, RPE 7 r 90s; 1k walk",
]


def prefixes(text):
    """Each point a coach may pause at, and each with a separator typed after it."""
    return sorted({text[:n] for n in range(1, len(text) + 1)}
                  | {text[:n] + "; " for n in range(1, len(text) + 1)})


@pytest.fixture
def block(block):
    """The shared block (tests/conftest.py), at altitude."""
    block.altitude_m = 2100
    block.save(update_fields=["altitude_m"])
    return block


@pytest.mark.parametrize("text", [
    "2mi WU; ", "2mi WU;", "2mi WU; 12x", "2mi WU; 12x400 @", "12x400 @ T+ (", "3x(", "400-",
    "5x6min @ 2.5 mm", "45min easy", "2mi WU; 2mi CD", "AM:", "6x1k @ 2:50/", "4x", "x", ";",
    "2mi WU; 12x400 @ T+ (200 jog) & ", "# note only", "10x100000m", "500x400",
])
def test_a_half_typed_workout_previews_or_explains_never_fails(coach_client, block, htmx, text):
    response = coach_client.post(reverse("training:session-preview", args=[block.pk]),
                                 {"notation": text}, **htmx)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="preview"' in html or 'class="error"' in html


def test_every_prefix_of_real_workouts_previews_or_explains(coach_client, block, htmx):
    url = reverse("training:session-preview", args=[block.pk])
    for workout in WORKOUTS:
        for text in prefixes(workout):
            response = coach_client.post(url, {"notation": text}, **htmx)
            assert response.status_code == 200, text
