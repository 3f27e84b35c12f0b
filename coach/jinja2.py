"""The Jinja2 environment of the hot fragments (``templates/jinja2/``).

Only what those fragments use: rows are drawn from data computed in Python (addresses
included), so the environment needs no ``url`` or ``static`` helpers. Autoescaping is on, as
in Django's own templates; undefined names fail loudly rather than print nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.template import engines
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    # ``{{ text|dj }}``: escaped as Django escapes (``&#x27;``, ``&quot;``), for free text on a
    # page drawn partly by each engine (markupsafe writes ``&#39;``, ``&#34;``)
    env.filters["dj"] = django_escape
    return env


def django_escape(text) -> Markup:
    """``django.utils.html.conditional_escape(text)`` for Jinja2: the same characters (Django
    escapes with ``html.escape``), without the lazy-string wrapper around Django's (a third
    of its time; in a template the value is written out at once anyway)."""
    # what is marked safe here is either safe already (its ``__html__``) or just escaped
    if hasattr(text, "__html__"):
        return Markup(text.__html__())  # nosec
    return Markup(html.escape(str(text)))  # nosec


def render_fragment(name: str, context: dict) -> SafeString:
    """A hot fragment (``templates/jinja2/<name>``) drawn by Jinja2, ready to place in a
    Django template. Jinja2 escaped every value (autoescape is forced on above), so the
    result is marked safe here, the one place that does it."""
    html = engines["jinja2"].env.get_template(name).render(context)  # (cached by Jinja2)
    return mark_safe(html)  # nosec B308 B703


MARKERS = (987654321, 987654322, 987654323)


def url_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """``(pk, ...) -> URL`` for a URL of ``arity`` integer arguments, reversed once: a
    fragment writes several addresses per row, and ``reverse`` is slow next to formatting a
    string (``url_maker("training:session")(12) == reverse("training:session", args=[12])``).
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _pattern(name, arity, get_script_prefix(), urlconf).format


@lru_cache(maxsize=512)
def _pattern(name: str, arity: int, prefix: str, urlconf: str | None) -> str:
    """The address of ``name`` with ``{0}``... in place of its arguments, reversed once per URL
    configuration (as ``coach.context_processors.nav_urls``)."""
    pattern = reverse(name, args=MARKERS[:arity]).replace("{", "{{").replace("}", "}}")
    for number, marker in enumerate(MARKERS[:arity]):
        pattern = pattern.replace(str(marker), f"{{{number}}}")
    return pattern
