"""The contact page of a case: the agreement, the log, and forms to change the one and add to the other.

Each view: access via get_case_for_user (outsiders 404), a form, a service, render. Bad input
re-renders the page with the user's input and status 400; a stale agreement version 409."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.audit.models import AuditAction
from fasthold.audit.readlog import log_read
from fasthold.audit.services import audit_record
from fasthold.cases.access import get_case_for_user
from fasthold.cases.models import Audience
from fasthold.coordination import forms, selectors, services
from fasthold.coordination.access import (
    may_choose_audience,
    may_decide_statement_sharing,
    may_log,
    may_record_assessment,
    may_work_on_statement,
)
from fasthold.coordination.models import PossibilityStatement
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError
from fasthold.sharing.models import Channel as SharingChannel


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
    entries = selectors.recent_contacts(
        case, employer_view=employer_view, limit=selectors.LOG_LIMIT, staff=access.is_staff
    )
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


# ---------------------------------------------------------------------------------------------------
# The fitness-for-work statement (mulighedserklæring). Every view asks the case policy first
# (get_case_for_user: 404 for outsiders), then the statement's own rules (coordination.access). An
# employer-side user is given 404 for what they may not see (the doctor's part, the sharing choice);
# anyone else who may read but not change is given 403. Bad input is a 400 with the user's input kept,
# a stale version a 409 with the saved statement beside it.


def _refuse(access):
    """404 for the employer side (what they may not see does not exist for them), else 403."""
    if access.is_employer_side and not access.is_staff:
        raise Http404
    raise PermissionDenied


def _statement(request, public_id, statement_id, allowed=None):
    case, access = get_case_for_user(request.user, public_id)
    statement = PossibilityStatement.objects.filter(case=case, public_id=statement_id).first()
    if statement is None:
        raise Http404
    if allowed is not None and not allowed(access):
        _refuse(access)
    statement.case = case  # the case as loaded with its access (one query less per service check)
    return case, access, statement


def _log_cards(request, case, cards) -> None:
    """One read per kind: part 2 shown as health data, or shown to the employer by consent."""
    for shared in (False, True):
        if any(c.shows_assessment and c.shared == shared for c in cards):
            log_read(request, case, fields=[selectors.ASSESSMENT_FIELD], shared=shared)


def _statements_page(request, case, access, *, status=200, share_error=""):
    audit_record(actor=request.user, action=AuditAction.CASE_VIEWED, case=case, fields=["possibility_statements"])
    cards = selectors.statement_cards(request.user, case, access)
    _log_cards(request, case, cards)
    context = {
        "case": case,
        "access": access,
        "cards": cards,
        "may_work": may_work_on_statement(access),
        "may_assess": may_record_assessment(access),
        "may_share": may_decide_statement_sharing(access),
        "on_behalf": may_decide_statement_sharing(access) and not access.is_employee,
        "share_error": share_error,
        "back_url": _back_url(case, access),
    }
    return render(request, "coordination/statements.html", context, status=status)


def _back_url(case, access) -> str:
    if access.is_employee and not access.is_staff:
        return reverse("portals:employee")
    if access.is_employer_side and not access.is_staff:
        return reverse("portals:employer_case", args=[case.public_id])
    return reverse("cases:detail", args=[case.public_id])


def statements(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    return _statements_page(request, case, access)


def _to_statements(request, case, message):
    return done(request, message, "coordination:statements", case.public_id)


def _form_page(request, case, access, form, on_valid, *, statement=None, title="", show_assessment=False):
    """The statement's form pages through form_view. A service's refusal code goes on its field (400)."""

    def save(form):
        try:
            return on_valid(form)
        except services.StatementError as exc:
            form.service_error(exc.code)
            return render(request, "coordination/statement_form.html", {**context, "form": form}, status=400)

    def saved():
        current = PossibilityStatement.objects.get(pk=statement.pk)
        if show_assessment:
            log_read(request, case, fields=[selectors.ASSESSMENT_FIELD])
        return {"current": current}

    if request.method != "POST" and show_assessment and statement is not None and statement.doctor_assessment:
        log_read(request, case, fields=[selectors.ASSESSMENT_FIELD])  # the form shows it
    context = {
        "case": case,
        "access": access,
        "statement": statement,
        "title": title,
        "show_assessment": show_assessment,
        "back_url": reverse("coordination:statements", args=[case.public_id]),
    }
    return form_view(
        request,
        form,
        "coordination/statement_form.html",
        save,
        context=context,
        on_conflict=saved if statement else None,
    )


def statement_request(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not may_work_on_statement(access):
        _refuse(access)
    initial = {"requested_on": timezone.localdate()}
    if access.is_employer_side:
        initial["requested_by_name"] = request.user.display_name
    form = forms.StatementRequestForm(request.POST or None, initial=initial)

    def save(form):
        services.statement_request(actor=request.user, case=case, **form.cleaned_data)
        return _to_statements(request, case, _("The request for a fitness-for-work statement was saved."))

    return _form_page(request, case, access, form, save, title=_("Ask for a fitness-for-work statement"))


def _edit(request, public_id, statement_id, *, form_class, allowed, service, title, message, show_assessment=False):
    case, access, statement = _statement(request, public_id, statement_id, allowed)
    form = form_class(request.POST or None, statement=statement)

    def save(form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        changed = service(actor=request.user, statement=statement, expected_version=version, **data)
        return _to_statements(request, case, message if changed else _("Nothing was changed."))

    return _form_page(
        request, case, access, form, save, statement=statement, title=title, show_assessment=show_assessment
    )


def statement_part1(request, public_id, statement_id):
    return _edit(
        request,
        public_id,
        statement_id,
        form_class=forms.StatementPart1Form,
        allowed=may_work_on_statement,
        service=services.statement_part1,
        title=_("Part 1: the conversation about the job"),
        message=_("Part 1 was saved."),
    )


def statement_dates(request, public_id, statement_id):
    return _edit(
        request,
        public_id,
        statement_id,
        form_class=forms.StatementDatesForm,
        allowed=may_work_on_statement,
        service=services.statement_dates,
        title=_("Sent to the doctor and received back"),
        message=_("The dates were saved."),
    )


def statement_assessment(request, public_id, statement_id):
    return _edit(
        request,
        public_id,
        statement_id,
        form_class=forms.StatementAssessmentForm,
        allowed=may_record_assessment,
        service=services.statement_assessment,
        title=_("Part 2: the doctor's assessment"),
        message=_("The doctor's assessment was saved."),
        show_assessment=True,
    )


def statement_agreement(request, public_id, statement_id):
    return _edit(
        request,
        public_id,
        statement_id,
        form_class=forms.StatementAgreementForm,
        allowed=may_work_on_statement,
        service=services.statement_agreement,
        title=_("What was agreed"),
        message=_("What was agreed was saved."),
    )


@require_POST
def statement_share(request, public_id, statement_id):
    case, access, statement = _statement(request, public_id, statement_id, may_decide_statement_sharing)
    form = forms.StatementShareForm(request.POST)
    if not form.is_valid():
        return _statements_page(request, case, access, status=400, share_error=forms.STATEMENT_ERRORS["no_channel"])
    data = form.cleaned_data
    on_behalf = not access.is_employee
    channel = data["channel"] if on_behalf else SharingChannel.SELF
    if on_behalf and not channel:
        return _statements_page(request, case, access, status=400, share_error=forms.STATEMENT_ERRORS["no_channel"])
    changed = services.statement_share(
        actor=request.user, statement=statement, recipient=data["recipient"], share=data["share"], channel=channel
    )
    if not changed:
        message = _("Nothing was changed.")
    elif data["share"]:
        message = _("From now on they can read the doctor's part of this statement.")
    else:
        message = _("From now on they can no longer read the doctor's part of this statement.")
    return _to_statements(request, case, message)
