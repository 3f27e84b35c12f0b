"""The Jinja2 environment of the hot fragments (``templates/jinja2/``).

Only what those fragments use: rows are drawn from data computed in Python (addresses
included), so the environment needs no ``url`` or ``static`` helpers. Autoescaping is on, as
in Django's own templates; undefined names fail loudly rather than print nothing.
"""

from __future__ import annotations

from django.utils.html import conditional_escape
from jinja2 import Environment, StrictUndefined


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    env = Environment(**options)
    # ``{{ text|dj }}``: escaped as Django escapes (``&#x27;``, ``&quot;``), for free text on a
    # page drawn partly by each engine (markupsafe writes ``&#39;``, ``&#34;``)
    env.filters["dj"] = conditional_escape
    return env
