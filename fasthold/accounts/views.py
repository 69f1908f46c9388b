from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils import translation
from django.conf import settings

from fasthold.cases.models import Case


def home(request):
    """Send each persona where their work is: staff to the case list, employer-side users and
    employees to their portal."""
    from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, Membership

    roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
    if roles & set(STAFF_ROLES):
        return redirect("cases:list")
    if roles & set(EMPLOYER_ROLES):
        return redirect("portals:employer")
    if Case.objects.filter(person__user=request.user).exists():
        return redirect("portals:employee")
    return redirect("cases:list")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        self.request.session["preferred_language"] = language
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            translation.activate(language)
        return response
