from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from athletes import urls as athlete_urls
from sessions import athlete_urls as athlete_profile_urls

from . import accounts, views
from .access import login_required

# The athlete profile re-plans sessions, so its views are in sessions/; its URLs keep the
# ``athletes`` namespace, joined here (athletes/ imports nothing from sessions/).
athletes_namespace = (athlete_urls.urlpatterns + athlete_profile_urls.urlpatterns, "athletes")

urlpatterns = [
    path("", views.home, name="home"),
    # The admin before the apps: its addresses are found at once rather than after failing
    # every app pattern (no app address starts with "admin/").
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=accounts.LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", login_required(accounts.PasswordChangeView.as_view()),
         name="password_change"),
    path("accounts/password/done/", login_required(auth_views.PasswordChangeDoneView.as_view()),
         name="password_change_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        token_generator=accounts.account_tokens),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("welcome/", views.no_role, name="no-role"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("", include(athletes_namespace)),
    path("", include("sessions.urls")),
]

handler500 = "coach.views.server_error"
