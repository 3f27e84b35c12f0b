"""The athlete profile's URLs, in the ``athletes`` namespace: ``coach/urls.py`` joins them to
``athletes/urls.py``. The views re-plan sessions, so they live in ``sessions/athlete_views.py``.
``action_paths(views, "race", add="races/")`` is ``races/`` served by ``views.race_add`` and
named ``race-add`` (coach/routes.py).
"""

from django.urls import include, path

from coach.routes import action_paths

from . import absence_views, trend_views
from . import athlete_views as views

urlpatterns = [
    path("athletes/<int:pk>/", include([
        path("", views.athlete_detail, name="detail"),
        path("training/", trend_views.athlete_training, name="training"),
        *action_paths(views, "race", add="races/", delete="races/<int:race_pk>/delete/"),
        *action_paths(views, "pace", set="paces/", clear="paces/clear/"),
        *action_paths(views, "goal", set="goals/<int:block_pk>/"),
        # Availability: the days an athlete is out (sessions/absence_views.py).
        path("availability/", include([
            path("", absence_views.availability, name="availability"),
            *action_paths(absence_views, "absence", end="<int:absence_pk>/end/",
                          delete="<int:absence_pk>/delete/"),
        ])),
    ])),
]
