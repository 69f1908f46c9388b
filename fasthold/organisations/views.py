from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fasthold.formviews import form_view
from fasthold.organisations import services
from fasthold.organisations.forms import EmployerForm
from fasthold.organisations.models import STAFF_ROLES, STAFF_WRITE_ROLES, Membership, Organisation, OrganisationKind


def employer_list(request):
    if not Membership.objects.filter(user=request.user, role__in=STAFF_ROLES).exists():
        return render(request, "403.html", status=403)
    employers = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER)
    can_create = Membership.objects.filter(user=request.user, role__in=STAFF_WRITE_ROLES).exists()
    return render(request, "organisations/employer_list.html", {"employers": employers, "can_create": can_create})


def employer_create(request):
    if not Membership.objects.filter(user=request.user, role__in=STAFF_WRITE_ROLES).exists():
        return render(request, "403.html", status=403)

    def create(form):
        services.employer_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The employer was created."))
        return redirect("organisations:employers")

    return form_view(
        request, form=EmployerForm(request.POST or None), template="organisations/employer_form.html", on_valid=create
    )
