from django.urls import include, path

from . import views

app_name = "athletes"
# The athlete profile's URLs join these in the same namespace: sessions/athlete_urls.py (see
# coach/urls.py).
urlpatterns = [
    path("roster/", include([
        path("", views.roster, name="roster"),
        path("athletes/new/", views.athlete_create, name="athlete-create"),
        path("coaches/new/", views.coach_create, name="coach-create"),
        path("squads/new/", views.squad_create, name="squad-create"),
        path("athletes/<int:pk>/", include([
            path("squad/", views.athlete_move, name="athlete-move"),
            path("coaches/", views.athlete_coach_add, name="athlete-coach-add"),
            path("coaches/<int:coach_pk>/remove/", views.athlete_coach_remove,
                 name="athlete-coach-remove"),
            path("deactivate/", views.athlete_deactivate, name="athlete-deactivate"),
            path("reactivate/", views.athlete_reactivate, name="athlete-reactivate"),
        ])),
        path("squads/<int:pk>/", include([
            path("coaches/", views.squad_coach_add, name="squad-coach-add"),
            path("coaches/<int:coach_pk>/remove/", views.squad_coach_remove,
                 name="squad-coach-remove"),
        ])),
        path("people/<int:pk>/", include([
            path("link/", views.person_link, name="person-link"),
            path("email/", views.person_email, name="person-email"),
        ])),
        path("import/", views.roster_import, name="import"),
        path("export.csv", views.roster_export, name="export"),
    ])),
]
