from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils import translation
from django.conf import settings

from fasthold.cases.models import Case


def home(request):
    """Send each persona where their work is: the case list, or an employee's own case."""
    own = Case.objects.filter(person__user=request.user).order_by("-first_sick_day").values_list("public_id", flat=True)
    from fasthold.organisations.models import Membership

    if not Membership.objects.filter(user=request.user).exists() and own:
        return redirect("cases:detail", own[0])
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
