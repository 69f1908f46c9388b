from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fasthold.cases.models import Person
from fasthold.organisations.models import CASE_OWNER_KINDS, STAFF_ROLES, Membership, Organisation, OrgRole
from fasthold.privacy import services
from fasthold.privacy.forms import RetentionForm
from fasthold.privacy.models import DEFAULT_LEGAL_BASIS, RetentionPolicy
from fasthold.privacy.retention import DEFAULT_RETENTION_MONTHS


def _administered(user, organisation: Organisation) -> None:
    """Administrators of the organisation pass; its other staff get 403; everyone else 404."""
    roles = set(Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))
    if OrgRole.ADMIN in roles and organisation.kind in CASE_OWNER_KINDS:
        return
    if roles & set(STAFF_ROLES):
        raise PermissionDenied
    raise Http404


@require_GET
def retention_home(request):
    """The retention page of the (first) case-owning organisation the user administers."""
    memberships = Membership.objects.filter(user=request.user, organisation__kind__in=CASE_OWNER_KINDS)
    admin = memberships.filter(role=OrgRole.ADMIN).select_related("organisation").order_by("organisation__name").first()
    if admin is None:
        if memberships.filter(role__in=STAFF_ROLES).exists():
            raise PermissionDenied
        raise Http404
    return redirect("privacy:retention", admin.organisation.public_id)


@require_http_methods(["GET", "POST"])
def retention(request, public_id):
    organisation = get_object_or_404(Organisation, public_id=public_id)
    _administered(request.user, organisation)
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    initial = {
        "months": policy.months if policy else DEFAULT_RETENTION_MONTHS,
        "legal_basis": policy.legal_basis if policy else DEFAULT_LEGAL_BASIS,
    }
    form = RetentionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.retention_set(actor=request.user, organisation=organisation, **form.cleaned_data)
            messages.success(request, _("The storage period was saved."))
            return redirect("privacy:retention", organisation.public_id)
        response = render(request, "privacy/retention.html", _context(organisation, policy, form), status=400)
        return response
    return render(request, "privacy/retention.html", _context(organisation, policy, form))


def _context(organisation, policy, form) -> dict:
    due_now = len(services.expired_cases(timezone.localdate(), organisation=organisation))
    return {
        "organisation": organisation,
        "policy": policy,
        "form": form,
        "due_now": due_now,
        "default_months": DEFAULT_RETENTION_MONTHS,
    }


@require_GET
def my_export(request):
    """The employee downloads all their own data. Only for themselves: there is no id in the URL,
    and anyone who is not a person in Fasthold (a coordinator, say) gets 404."""
    person = Person.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    if person is None:
        raise Http404
    archive = services.data_export(actor=request.user, person=person, lang=get_language() or "da")
    response = HttpResponse(archive, content_type="application/zip")
    # A neutral name: no CPR number, no name, only the date.
    response["Content-Disposition"] = f'attachment; filename="fasthold-data-{timezone.localdate().isoformat()}.zip"'
    patch_cache_control(response, no_store=True, private=True)
    return response
