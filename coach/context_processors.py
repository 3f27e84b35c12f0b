from django.http import HttpRequest


def roles(request: HttpRequest) -> dict:
    """Which navigation a person gets: one person may be admin, coach and athlete at once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_admin": False, "is_coach": False, "my_athlete": None}
    return {
        "is_admin": user.is_staff,
        "is_coach": user.is_coach,
        "my_athlete": user.athlete_or_none,
    }
