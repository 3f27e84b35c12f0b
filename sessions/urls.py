from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("plan/", views.coach_home, name="coach-home"),
    path("today/", views.today, name="today"),
    path("history/", views.history, name="history"),
    path("blocks/<int:pk>/", views.block_detail, name="block"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
]
