"""The contact page of a case: the agreement, the log, and forms to change the one and add to the other.

Each view: access via get_case_for_user (outsiders 404), a form, a service, render. Bad input
re-renders the page with the user's input and status 400; a stale agreement version 409."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.audit.models import AuditAction
from fasthold.audit.readlog import log_read
from fasthold.audit.services import audit_record
from fasthold.cases.access import get_case_for_user
from fasthold.cases.models import Audience
from fasthold.coordination import forms, selectors, services
from fasthold.coordination.access import may_choose_audience, may_log
from fasthold.formviews import done
from fasthold.kernel import ConflictError


def _contact_form(request, case, access, data=None) -> forms.ContactForm:
    employer_view = not access.can_view_health
    return forms.ContactForm(
        data,
        case=case,
        participants=selectors.participant_choices(case, employer_view=employer_view, exclude_user=request.user),
        can_choose_audience=may_choose_audience(access),
        coordinator_choice=bool(case.coordinator_id and case.coordinator_id != request.user.pk),
    )


def _page(request, case, access, *, agreement_form=None, contact_form=None, status=200, conflict=None, error=""):
    today = timezone.localdate()
    employer_view = not access.can_view_health
    history = selectors.agreement_history(case)
    agreement = next((a for a in history if a.current), None)
    if agreement_form is None and access.can_edit:
        agreement_form = forms.AgreementForm(initial=forms.AgreementForm.initial_for(agreement))
    if contact_form is None and may_log(access):
        contact_form = _contact_form(request, case, access)
    audit_record(actor=request.user, action=AuditAction.CASE_VIEWED, case=case, fields=["contacts"])
    entries = selectors.recent_contacts(case, employer_view=employer_view, limit=selectors.LOG_LIMIT)
    if any(e.note and (e.audience == Audience.PROFESSIONALS or e.involves_health_professional) for e in entries):
        # A note the employer may not read (for professionals, or with a health professional) is on the page.
        log_read(request, case, fields=["contacts"])
    context = {
        "case": case,
        "access": access,
        "employer_view": employer_view,
        "today": today,
        "status": selectors.status_from(case, agreement, selectors.last_contact_date(case), today),
        "agreement": agreement,
        "history": history,
        "entries": entries,
        "agreement_form": agreement_form,
        "contact_form": contact_form,
        "conflict": conflict,
        "may_log": may_log(access),
        "choose_audience": may_choose_audience(access),
        "error": error,
        "http_status": status,
    }
    return render(request, "coordination/contacts.html", context, status=status)


def contacts(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    return _page(request, case, access)


@require_POST
def agreement_set(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    form = forms.AgreementForm(request.POST)
    if not form.is_valid():
        return _page(request, case, access, agreement_form=form, status=400)
    data = dict(form.cleaned_data)
    lock = data.pop("lock")
    try:
        services.contact_agreement_set(actor=request.user, case=case, expected_version=lock, **data)
    except ConflictError:
        # Keep the user's input; show what was saved meanwhile; move the lock so saving again goes through.
        saved = selectors.current_agreement(case)
        post = request.POST.copy()
        post["lock"] = str(saved.version if saved else 0)
        return _page(
            request, case, access, agreement_form=forms.AgreementForm(post), status=409, conflict=saved or "none"
        )
    except services.ContactError as exc:
        return _page(
            request, case, access, agreement_form=form, status=400, error=forms.ERROR_MESSAGES.get(exc.code, "")
        )
    return done(request, _("The contact agreement was saved."), "coordination:contacts", case.public_id)


@require_POST
def contact_add(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not may_log(access):
        raise PermissionDenied
    form = _contact_form(request, case, access, request.POST)
    if not form.is_valid():
        return _page(request, case, access, contact_form=form, status=400)
    try:
        services.contact_log(actor=request.user, case=case, **form.service_kwargs())
    except services.ContactError as exc:
        return _page(request, case, access, contact_form=form, status=400, error=forms.ERROR_MESSAGES.get(exc.code, ""))
    return done(request, _("The contact was logged."), "coordination:contacts", case.public_id)
