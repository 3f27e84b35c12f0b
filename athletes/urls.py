from django.urls import path

from . import views

app_name = "athletes"
# The athlete profile's URLs join these in the same namespace: sessions/athlete_urls.py (see
# coach/urls.py).
urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/athletes/new/", views.athlete_create, name="athlete-create"),
    path("roster/coaches/new/", views.coach_create, name="coach-create"),
    path("roster/squads/new/", views.squad_create, name="squad-create"),
    path("roster/athletes/<int:pk>/squad/", views.athlete_move, name="athlete-move"),
    path("roster/athletes/<int:pk>/coaches/", views.athlete_coach_add, name="athlete-coach-add"),
    path("roster/athletes/<int:pk>/coaches/<int:coach_pk>/remove/", views.athlete_coach_remove,
         name="athlete-coach-remove"),
    path("roster/athletes/<int:pk>/deactivate/", views.athlete_deactivate,
         name="athlete-deactivate"),
    path("roster/athletes/<int:pk>/reactivate/", views.athlete_reactivate,
         name="athlete-reactivate"),
    path("roster/squads/<int:pk>/coaches/", views.squad_coach_add, name="squad-coach-add"),
    path("roster/squads/<int:pk>/coaches/<int:coach_pk>/remove/", views.squad_coach_remove,
         name="squad-coach-remove"),
    path("roster/people/<int:pk>/link/", views.person_link, name="person-link"),
    path("roster/people/<int:pk>/email/", views.person_email, name="person-email"),
    path("roster/import/", views.roster_import, name="import"),
    path("roster/export.csv", views.roster_export, name="export"),
]
