"""Pages name their own files with ``{% asset %}`` (coach_tags: the ``{% static %}`` address
looked up once per process), which writes exactly what ``{% static %}`` writes."""

import pytest
from django.template import engines
from django.template.loader import get_template


@pytest.mark.parametrize("path", ["js/roster.js", "a b&c.js", "x\"<'.js"])
def test_asset_writes_what_static_writes(path):
    """Pages name their own files with ``{% asset %}`` (``{% static %}`` looked up once)."""
    both = engines["django"].from_string(
        "{% load static coach_tags %}{% static path %}|{% asset path %}").render({"path": path})
    old, new = both.split("|")
    assert new == old and old.startswith("/static/") and len(old) > 10
    for name in ("athletes/roster.html", "athletes/athlete_form.html",
                 "athletes/coach_form.html", "athletes/invite.html",
                 "training/calendar_feed.html"):
        assert "{% static" not in get_template(name).template.source
