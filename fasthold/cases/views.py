from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fasthold.audit.readlog import log_read
from fasthold.cases import eligibility, selectors, services
from fasthold.cases.access import get_case_for_user
from fasthold.cases.choices import ParticipantRole
from fasthold.cases.forms import (
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    EmploymentForm,
    HealthForm,
    ParticipantForm,
    ParticipantSearchForm,
    PersonEditForm,
    PersonForm,
    VersionForm,
)
from fasthold.cases.models import Audience, EventKind, Participant
from fasthold.formviews import form_view
from fasthold.kernel import ConflictError
from fasthold.organisations.models import Organisation, OrganisationKind

PAGE_SIZE = 25
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: an exact count of a large organisation's cases costs more
    than the page itself, and nobody pages past 40 pages; the page says "more than 1,000"."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()


def case_list(request):
    today = timezone.localdate()
    staff_orgs = selectors.staff_organisation_ids(request.user)
    form = CaseFilterForm(
        request.GET or None,
        employers=Organisation.objects.filter(kind=OrganisationKind.EMPLOYER),
        coordinators=selectors.coordinator_choices(staff_orgs),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = CappedPaginator(selectors.case_list(request.user, filters, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for case in page:
        case.show_cause_detail = case.organisation_id in staff_orgs
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "query": query.urlencode(),
        "can_open": bool(staff_orgs) and selectors.writable_organisation(request.user) is not None,
        "is_staff": bool(staff_orgs),
        "count_cap": COUNT_CAP,
    }
    template = "cases/case_list.html#results" if request.htmx and not request.htmx.boosted else "cases/case_list.html"
    return render(request, template, context)


def case_create(request):
    organisation = selectors.writable_organisation(request.user)
    if organisation is None:
        return render(request, "403.html", status=403)
    forms = {
        "person": PersonForm(request.POST or None, prefix="person"),
        "employment": EmploymentForm(request.POST or None, prefix="employment"),
        "case": CaseForm(
            request.POST or None, prefix="case", organisation=organisation, initial={"coordinator": request.user}
        ),
    }
    if request.method == "POST":
        if all(f.is_valid() for f in forms.values()):
            case = services.case_open(
                actor=request.user,
                organisation=organisation,
                person=forms["person"].cleaned_data,
                employment=forms["employment"].cleaned_data,
                case=forms["case"].cleaned_data,
            )
            messages.success(request, _("The case was opened."))
            return redirect("cases:detail", case.public_id)
        status = 400
    else:
        status = 200
    return render(request, "cases/case_form.html", {"forms": forms, "creating": True}, status=status)


def case_detail(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if access.is_employee_only:
        # The employee reads about her own case in her portal, in words meant for her, not on the
        # professionals' case page (its timeline and facts are written for staff).
        return redirect("portals:employee")
    employer_view = not access.can_view_health
    services.case_view_log(actor=request.user, case=case)
    events = selectors.case_timeline(case, employer_view=employer_view, staff=access.is_staff)
    # Handover notes are for the case-owning organisation's staff only.
    # Only asked for when the timeline shows a handover, so the page's queries stay as they were.
    handed_over = any(e.kind == EventKind.COORDINATOR_REASSIGNED for e in events)
    handovers = (
        list(case.handovers.select_related("created_by", "to_user")[:3]) if access.is_staff and handed_over else []
    )
    if handovers:
        log_read(request, case, fields=["handover"])  # a note for staff may hold case text
    if any(e.audience == Audience.PROFESSIONALS for e in events):
        log_read(request, case, fields=["timeline"])  # professionals-only events are on the page
    participants = selectors.case_participants(case, employer_view=employer_view)
    context = {
        "case": case,
        "access": access,
        "employer_view": employer_view,
        "participants": participants,
        "handovers": handovers,
        # The overview's hint: the nearest manager is the one to agree on adjustments at work.
        "has_manager": any(p.role == ParticipantRole.MANAGER for p in participants),
        "events": events,
        "weeks": case.weeks_since_first_sick_day(),
        "shared": _shared(request, case, access),
    }
    return render(request, "cases/case_detail.html", context)


def _shared(request, case, access):
    """What the employee shares with an employer-side reader, for the sharing panel (its read logged)."""
    if not access.is_employer_side or access.can_view_health:
        return None
    from fasthold.sharing.policy import shared_for  # sharing builds on cases, not the other way round

    return shared_for(request, case, access=access)


def _case_edit_forms(request, case, data=None):
    initial_version = {"version": case.version}
    return {
        "person": PersonEditForm(data, prefix="person", instance=case.person),
        "employment": EmploymentForm(data, prefix="employment", instance=case.employment),
        "case": CaseEditForm(
            data, prefix="case", instance=case, organisation=case.organisation, initial=initial_version
        ),
    }


def case_edit(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    if request.method != "POST":
        return render(request, "cases/case_form.html", {"forms": _case_edit_forms(request, case), "case": case})
    # Forms validate against copies so a rejected edit leaves the loaded case untouched.
    fresh, _access = get_case_for_user(request.user, public_id)
    forms = _case_edit_forms(request, fresh, request.POST)
    if not all(f.is_valid() for f in forms.values()):
        return render(request, "cases/case_form.html", {"forms": forms, "case": case}, status=400)
    data = forms["case"].cleaned_data
    version = data.pop("version")
    try:
        services.case_update(
            actor=request.user,
            case=case,
            expected_version=version,
            case_data=data,
            person_data=forms["person"].cleaned_data,
            employment_data=forms["employment"].cleaned_data,
        )
    except ConflictError:
        current, _access = get_case_for_user(request.user, public_id)
        return render(
            request,
            "cases/case_form.html",
            {"forms": forms, "case": current, "conflict": _conflict_rows(forms, current)},
            status=409,
        )
    messages.success(request, _("The changes were saved."))
    return redirect("cases:detail", case.public_id)


def _conflict_rows(forms, current) -> list[tuple[str, str, str]]:
    """Fields where the user's input differs from what someone else saved meanwhile."""
    rows = []
    for key, instance in (("case", current), ("person", current.person), ("employment", current.employment)):
        form = forms[key]
        for name, field in form.fields.items():
            if name in ("version", "cpr") or instance is None:
                continue
            theirs, yours = getattr(instance, name, None), form.cleaned_data.get(name)
            if theirs != yours:
                display = getattr(instance, f"get_{name}_display", None)
                rows.append((str(field.label), _shown(field, yours), str(display() if display else theirs or "–")))
    return rows


def _shown(field, value) -> str:
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value if value not in (None, "") else "–"))


def case_close(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    form = CloseForm(
        request.POST or None, case=case, initial={"version": case.version, "closed_on": timezone.localdate()}
    )

    def close(form):
        services.case_close(
            actor=request.user,
            case=case,
            expected_version=form.cleaned_data["version"],
            closed_on=form.cleaned_data["closed_on"],
            outcome=form.cleaned_data["outcome"],
        )
        messages.success(request, _("The case was closed."))
        return redirect("cases:detail", case.public_id)

    def changed():
        form.add_error(None, _("Someone else changed the case while you were closing it. Check it and try again."))
        return {}

    return form_view(
        request,
        form=form,
        template="cases/close_form.html",
        context={"case": case},
        on_valid=close,
        on_conflict=changed,
    )


@require_POST
def case_reopen(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete. Reload the page and try again."))
        return redirect("cases:detail", case.public_id)
    try:
        services.case_reopen(actor=request.user, case=case, expected_version=form.cleaned_data["version"])
        messages.success(request, _("The case was reopened."))
    except ConflictError:
        messages.error(request, _("Someone else changed the case in the meantime. Nothing was changed."))
    return redirect("cases:detail", case.public_id)


def health_detail(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_health()
    record = services.health_read(actor=request.user, case=case)
    log_read(request, case, fields=["health"])
    return render(request, "cases/health_detail.html", {"case": case, "access": access, "record": record})


def health_edit(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    record = services.health_read(actor=request.user, case=case)
    log_read(request, case, fields=["health"])  # the form shows it; a redirect after saving writes nothing
    form = HealthForm(request.POST or None, instance=record, initial={"version": record.version})

    def save(form):
        data = {k: form.cleaned_data[k] for k in ("diagnosis", "symptoms", "treatment")}
        record.refresh_from_db()  # validating wrote the input onto the instance
        services.health_update(
            actor=request.user,
            case=case,
            record=record,
            expected_version=form.cleaned_data["version"],
            data=data,
        )
        messages.success(request, _("The health information was saved."))
        return redirect("cases:health", case.public_id)

    def saved():
        record.refresh_from_db()
        return {"current": record}

    return form_view(
        request, form=form, template="cases/health_form.html", context={"case": case}, on_valid=save, on_conflict=saved
    )


@require_POST
def cpr_reveal(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not access.can_reveal_cpr:
        return render(request, "403.html", status=403)
    value = services.cpr_reveal(actor=request.user, case=case)
    return render(request, "cases/case_detail.html#cpr", {"case": case, "access": access, "revealed_cpr": value})


def participant_add(request, public_id):
    """The picker: a GET search among the people eligible for a role (the whole page, or its
    #picker fragment for htmx), and a POST that adds the chosen user or external contact."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    search = ParticipantSearchForm(request.GET)
    filters = search.cleaned_data if search.is_valid() else {}
    role, query = filters.get("role") or "", filters.get("q") or ""
    form = ParticipantForm(request.POST or None, case=case, initial={"role": role})
    status = 200
    if request.method == "POST":
        role, query = request.POST.get("role", ""), request.POST.get("q", "")[:100]
        if form.is_valid():
            try:
                services.participant_add(actor=request.user, case=case, data=form.participant_data())
            except eligibility.NotEligible as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The participant was added."))
                return redirect("cases:detail", case.public_id)
        status = 400
    rule = eligibility.rule_for(role) if role in ParticipantRole.values else None
    matches, more = eligibility.search(case, role, query) if rule and rule.users else ([], False)
    context = {
        "case": case,
        "search": search,
        "form": form,
        "role": role if rule else "",
        "rule": rule,
        "query": query,
        "matches": matches,
        "more": more,
        "min_query": eligibility.MIN_QUERY,
        "max_matches": eligibility.MAX_MATCHES,
        "chosen": str(form["user"].value() or ""),
    }
    partial = request.htmx and not request.htmx.boosted and request.method == "GET"
    template = "cases/participant_form.html#picker" if partial else "cases/participant_form.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def participant_remove(request, public_id, participant_id):
    """GET asks first (a page with the consequence and a button); POST removes."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    participant = get_object_or_404(Participant, case=case, public_id=participant_id)
    if request.method == "GET":
        return render(request, "cases/participant_remove.html", {"case": case, "participant": participant})
    with transaction.atomic():
        services.participant_remove(actor=request.user, case=case, participant=participant)
    messages.success(request, _("The participant was removed."))
    return redirect("cases:detail", case.public_id)


@require_http_methods(["GET", "POST"])
def mark_in_error(request, public_id, item_id, kind):
    """GET asks first (what is marked, a reason); POST marks the item as entered in error."""
    from fasthold.cases import corrections

    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    entry = corrections.get(kind)
    obj = entry.load(case, item_id) if entry is not None else None
    if obj is None:
        raise Http404
    back = entry.back_url(case, obj)
    context = {
        "case": case,
        "what": entry.label,
        "back": back,
        "reason": "",
        "max_length": corrections.REASON_MAX_LENGTH,
    }
    if corrections.is_marked(entry, obj):
        messages.info(request, _("This was already marked as entered in error."))
        return redirect(back)
    if request.method == "GET":
        return render(request, "cases/mark_in_error.html", context)
    context["reason"] = request.POST.get("reason", "")
    try:
        corrections.mark_entered_in_error(actor=request.user, case=case, kind=kind, obj=obj, reason=context["reason"])
    except corrections.ReasonRequired:
        context["error"] = _("Write why this was entered in error (at most %(n)s characters).") % {
            "n": corrections.REASON_MAX_LENGTH
        }
        return render(request, "cases/mark_in_error.html", context, status=400)
    except ConflictError:
        context["conflict"] = True
        return render(request, "cases/mark_in_error.html", context, status=409)
    messages.success(request, _("Marked as entered in error. Staff still see it, struck through."))
    return redirect(back)
