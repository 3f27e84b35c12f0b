"""Template filters for times and distances, all through coach.pace so they read alike."""

from django import template

from coach import formats

register = template.Library()


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
