"""Template filters for times and distances, all through coach.pace so they read alike; and
``{% asset %}``, the static files every page names."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static

from coach import formats

register = template.Library()


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}``, looked up once per process (and again when the static settings
    change, as in tests): the base page names five files on every page, and each lookup cost
    about as much as a bare page's whole template."""
    return _asset(path)


@lru_cache(maxsize=64)
def _asset(path: str) -> str:
    return static(path)


@receiver(setting_changed, dispatch_uid="coach-forget-assets")
def _forget_assets(*, setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "DEBUG", "INSTALLED_APPS"}:
        _asset.cache_clear()


@register.filter
def clock(seconds: float | None, decimals: int | None = None) -> str:
    """64.2 -> "1:04.2"; None -> "–"."""
    if seconds is None or seconds == "":
        return "–"
    return formats.format_time(float(seconds), decimals=decimals)


@register.filter
def split(seconds: float | None, distance_m: float | None = None) -> str:
    """A rep time as called at the track: 66.5, 2:35."""
    if seconds is None or seconds == "":
        return "–"
    return formats.format_split(float(seconds), distance_m)


@register.simple_tag
def span(lo: float | None, hi: float | None, distance_m: float | None = None) -> str:
    """A target range for a rep: "66.0–67.5", or one value when both ends round the same."""
    if lo is None:
        return "–"
    return formats.format_range(lo, hi, distance_m=distance_m)


@register.filter
def km(metres: float | None) -> str:
    """6800 -> "6.8 km"."""
    if not metres:
        return "0 km"
    return f"{metres / 1000:.1f} km"
