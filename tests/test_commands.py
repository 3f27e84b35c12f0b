"""Management commands: paces, workout, demo."""

import io

import pytest
from django.core.management import CommandError, call_command


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


@pytest.mark.parametrize("args,message", [
    (("800", "1:50"), "800 m"),
    (("5k", "6o.2"), '"6o.2" is not a time'),
    (("5 parsecs", "13:00"), "5 parsecs"),
])
def test_paces_refuses_bad_input_plainly(args, message):
    with pytest.raises(CommandError, match=message):
        run("paces", *args)
