from django.urls import include, path

from coach.routes import action_paths

from . import views

app_name = "athletes"
# The athlete profile's URLs join these in the same namespace: sessions/athlete_urls.py (see
# coach/urls.py). ``action_paths(views, "athlete", "deactivate")`` is ``deactivate/`` served by
# ``views.athlete_deactivate`` and named ``athlete-deactivate`` (coach/routes.py).
# An athlete's and a squad's coaches: one added at coaches/, one removed at coaches/<pk>/remove/.
COACHES = {"coach_add": "coaches/", "coach_remove": "coaches/<int:coach_pk>/remove/"}

urlpatterns = [
    path("roster/", include([
        path("", views.roster, name="roster"),
        *action_paths(views, "athlete", create="athletes/new/"),
        *action_paths(views, "coach", create="coaches/new/"),
        *action_paths(views, "squad", create="squads/new/"),
        path("athletes/<int:pk>/", include(action_paths(
            views, "athlete", "deactivate", "reactivate", "manage", move="squad/",
            **COACHES))),
        path("squads/<int:pk>/", include(action_paths(views, "squad", "athletes", **COACHES))),
        path("people/<int:pk>/", include(action_paths(views, "person", "link", "email"))),
        path("import/", views.roster_import, name="import"),
        path("export.csv", views.roster_export, name="export"),
    ])),
]
