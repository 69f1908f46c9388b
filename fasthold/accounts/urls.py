from django.contrib.auth.decorators import login_not_required
from django.urls import path

from fasthold.accounts import views

app_name = "accounts"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/enrol/", views.enrol, name="enrol"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/recovery-codes/new/", views.recovery_codes_show, name="recovery_codes_show"),
    path("security/turn-off/", views.turn_off, name="turn_off"),
    # The second login step; the user is not logged in yet (login_not_required on the views).
    path("login/code/", views.login_code, name="login_code"),
    path("login/recovery/", views.login_recovery, name="login_recovery"),
    # Single sign-on: the redirect URI to register at every provider is https://<host>/account/sso/callback/.
    path("sso/<slug:slug>/start/", login_not_required(views.SSOStartView.as_view()), name="sso_start"),
    path("sso/callback/", login_not_required(views.SSOCallbackView.as_view()), name="sso_callback"),
]
