from django.urls import path

from . import log_views, views

app_name = "training"

# Coach planning: blocks, calendar, sessions (views.py).
urlpatterns = [
    path("plan/", views.coach_home, name="coach-home"),
    path("blocks/<int:pk>/", views.block_detail, name="block"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
]

# Athletes logging what they ran (log_views.py).
urlpatterns += [
    path("today/", log_views.today, name="today"),
    path("history/", log_views.history, name="history"),
]
