from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.organisations.models import Membership, OrgRole


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices])
    case = forms.UUIDField(label=_("Case id"), required=False)


def audit_list(request):
    """The audit log of the organisations the user administers, newest first."""
    org_ids = list(
        Membership.objects.filter(user=request.user, role=OrgRole.ADMIN).values_list("organisation_id", flat=True)
    )
    if not org_ids:
        return render(request, "403.html", status=403)
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.filter(organisation__in=org_ids).select_related("actor", "case__person")
    if form.is_valid():
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["case"]:
            entries = entries.filter(case__public_id=form.cleaned_data["case"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {"page": page, "form": form, "query": query.urlencode()})
