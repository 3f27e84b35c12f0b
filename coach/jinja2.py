"""The Jinja2 environment of the hot fragments (``templates/jinja2/``).

Only what those fragments use: rows are drawn from data computed in Python (addresses
included), so the environment needs no ``url`` or ``static`` helpers. Autoescaping is on, as
in Django's own templates; undefined names fail loudly rather than print nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from jinja2 import Environment, StrictUndefined


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    return Environment(**options)


MARKERS = (987654321, 987654322, 987654323)


def url_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """``(pk, ...) -> URL`` for a URL of ``arity`` integer arguments, reversed once: a
    fragment writes several addresses per row, and ``reverse`` is slow next to formatting a
    string (``url_maker("training:session")(12) == reverse("training:session", args=[12])``).
    """
    pattern = reverse(name, args=MARKERS[:arity]).replace("{", "{{").replace("}", "}}")
    for number, marker in enumerate(MARKERS[:arity]):
        pattern = pattern.replace(str(marker), f"{{{number}}}")
    return pattern.format
