from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

NAV = {"home": "home", "plan": "training:coach-home", "logs": "training:logs",
       "today": "training:today", "history": "training:history", "roster": "athletes:roster",
       "account": "password_change", "admin": "admin:index", "logout": "logout",
       "calendar": "training:calendar"}


@cache
def _nav_urls(prefix: str, urlconf: str | None) -> dict[str, str]:
    return {name: reverse(view) for name, view in NAV.items()}


def nav_urls() -> dict[str, str]:
    """The top bar's addresses, reversed once per URL configuration rather than on every page
    (nine ``{% url %}`` tags were a third of an empty page's rendering time)."""
    return _nav_urls(get_script_prefix(), get_urlconf())


def roles(request: HttpRequest) -> dict:
    """Which navigation a person gets: one person may be admin, coach and athlete at once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_admin": False, "is_coach": False, "my_athlete": None, "nav_urls": nav_urls()}
    return {
        "is_admin": user.is_staff,
        "is_coach": user.is_coach,
        "my_athlete": user.athlete_or_none,
        "nav_urls": nav_urls(),
    }
