from functools import cache, lru_cache

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


@lru_cache(maxsize=4096)
def _paces_url(athlete_id: int, prefix: str, urlconf: str | None) -> str:
    return reverse("athletes:detail", args=[athlete_id])


def roles(request: HttpRequest) -> dict:
    """Which navigation a person gets: one person may be admin, coach and athlete at once
    (an athlete's "Paces" link in ``nav_urls.paces``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_admin": False, "is_coach": False, "my_athlete": None, "nav_urls": nav_urls()}
    athlete = user.athlete_or_none
    urls = nav_urls()
    if athlete is not None:
        urls = {**urls, "paces": _paces_url(athlete.pk, get_script_prefix(), get_urlconf())}
    return {
        "is_admin": user.is_staff,
        "is_coach": user.is_coach,
        "my_athlete": athlete,
        "nav_urls": urls,
    }
