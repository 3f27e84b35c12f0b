"""The athlete profile's URLs, in the ``athletes`` namespace: ``coach/urls.py`` joins them to
``athletes/urls.py``. The views re-plan sessions, so they live in ``sessions/athlete_views.py``.
"""

from django.urls import include, path

from . import absence_views, trend_views
from . import athlete_views as views

urlpatterns = [
    path("athletes/<int:pk>/", include([
        path("", views.athlete_detail, name="detail"),
        path("training/", trend_views.athlete_training, name="training"),
        path("races/", views.race_add, name="race-add"),
        path("races/<int:race_pk>/delete/", views.race_delete, name="race-delete"),
        path("paces/", views.pace_set, name="pace-set"),
        path("paces/clear/", views.pace_clear, name="pace-clear"),
        path("goals/<int:block_pk>/", views.goal_set, name="goal-set"),
        # Availability: the days an athlete is out (sessions/absence_views.py).
        path("availability/", include([
            path("", absence_views.availability, name="availability"),
            path("<int:absence_pk>/end/", absence_views.absence_end, name="absence-end"),
            path("<int:absence_pk>/delete/", absence_views.absence_delete,
                 name="absence-delete"),
        ])),
    ])),
]
