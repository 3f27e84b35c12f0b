"""The Jinja2 environment of the hot fragments (``templates/jinja2/``).

Only what those fragments use: rows are drawn from data computed in Python (addresses
included), so the environment needs no ``url`` or ``static`` helpers. Autoescaping is on, as
in Django's own templates; undefined names fail loudly rather than print nothing.
"""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options.pop("autoescape", None)  # always on, whatever the settings say
    return Environment(autoescape=True, **options)
