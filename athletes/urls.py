from django.urls import path

from . import views

app_name = "athletes"
urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("athletes/<int:pk>/", views.athlete_detail, name="detail"),
]
