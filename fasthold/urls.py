from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from fasthold.accounts import views as account_views
from fasthold.audit.views import audit_list
from fasthold.notifications import views as notification_views


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon in the static files
    (its name is looked up per request, so a hashed name from collectstatic is followed; not permanent)."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("", account_views.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", notification_views.healthz, name="healthz"),
    path("login/", login_not_required(account_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("account/", include("fasthold.accounts.urls")),
    path("cases/", include("fasthold.cases.urls")),
    path("organisations/", include("fasthold.organisations.urls")),
    path("audit/", audit_list, name="audit"),
    path("calendar/", include("fasthold.deadlines.urls")),
    path("screening/", include("fasthold.screening.urls")),
    path("guidance/", include("fasthold.guidance.urls")),
    path("plans/", include("fasthold.plans.urls")),
    path("schedules/", include("fasthold.schedules.urls")),
    path("coordination/", include("fasthold.coordination.urls")),
    path("meetings/", include("fasthold.meetings.urls")),
    path("requests/", include("fasthold.requests.urls")),
    path("sharing/", include("fasthold.sharing.urls")),
    path("privacy/", include("fasthold.privacy.urls")),
    path("people/", include("fasthold.people.urls")),
    path("evaluation/", include("fasthold.evaluation.urls")),
    path("notifications/", include("fasthold.notifications.urls")),
    path("worklist/", include("fasthold.worklist.urls")),
    path("api/v1/", include("fasthold.api.urls")),
    path("api-clients/", include("fasthold.api.admin_urls")),
    path("", include("fasthold.portals.urls")),
]
