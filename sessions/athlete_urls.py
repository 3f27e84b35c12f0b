"""The athlete profile's URLs, in the ``athletes`` namespace: ``coach/urls.py`` joins them to
``athletes/urls.py``. The views re-plan sessions, so they live in ``sessions/athlete_views.py``.
"""

from django.urls import path

from . import absence_views
from . import athlete_views as views

urlpatterns = [
    path("athletes/<int:pk>/", views.athlete_detail, name="detail"),
    path("athletes/<int:pk>/races/", views.race_add, name="race-add"),
    path("athletes/<int:pk>/races/<int:race_pk>/delete/", views.race_delete,
         name="race-delete"),
    path("athletes/<int:pk>/paces/", views.pace_set, name="pace-set"),
    path("athletes/<int:pk>/paces/clear/", views.pace_clear, name="pace-clear"),
    path("athletes/<int:pk>/goals/<int:block_pk>/", views.goal_set, name="goal-set"),
]

# Availability: the days an athlete is out (sessions/absence_views.py).
urlpatterns += [
    path("athletes/<int:pk>/availability/", absence_views.availability, name="availability"),
    path("athletes/<int:pk>/availability/<int:absence_pk>/end/", absence_views.absence_end,
         name="absence-end"),
    path("athletes/<int:pk>/availability/<int:absence_pk>/delete/",
         absence_views.absence_delete, name="absence-delete"),
]
