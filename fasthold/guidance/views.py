from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fasthold.cases.access import get_case_for_user
from fasthold.cases.choices import ProfessionCategory
from fasthold.formviews import done, form_view
from fasthold.guidance import business_case, phases, services
from fasthold.guidance import first_contact as first_contact_content
from fasthold.guidance.continuum import CONTINUUM
from fasthold.guidance.forms import (
    AssumptionsForm,
    ExplicitAmountsForm,
    FirstContactForm,
    PolicyForm,
    ProfessionNoteForm,
)
from fasthold.guidance.models import AbsencePolicy, ProfessionNote
from fasthold.guidance.policy_template import draft
from fasthold.organisations.models import (
    EMPLOYER_ROLES,
    STAFF_ROLES,
    STAFF_WRITE_ROLES,
    Membership,
    OrganisationKind,
    OrgRole,
)

SCENARIO_LABELS = {
    "in_job": gettext_lazy("In job"),
    "part_time_sick": gettext_lazy("Part-time sick"),
    "full_time_sick": gettext_lazy("Full-time sick"),
    "dismiss_and_hire": gettext_lazy("Dismiss and hire"),
}


def _phase_context() -> dict:
    return {
        "phases": phases.PHASES,
        "seven": phases.SEVEN_RECOMMENDATIONS,
        "colleague_questions": phases.COLLEAGUE_QUESTIONS,
        "contact_agreement": phases.CONTACT_AGREEMENT,
        "return_plan_topics": phases.RETURN_PLAN_TOPICS,
        "mental_health_care": phases.MENTAL_HEALTH_CARE,
    }


@login_not_required
def index(request):
    return render(request, "guidance/index.html", {**_phase_context(), "has_policy": _has_policy(request.user)})


@login_not_required
def phase_detail(request, slug):
    phase = phases.phase(slug)
    if phase is None:
        raise Http404
    context = {**_phase_context(), "phase": phase, "has_policy": _has_policy(request.user)}
    return render(request, "guidance/phase_detail.html", context)


@login_not_required
def continuum(request):
    return render(request, "guidance/continuum.html", {"steps": CONTINUUM})


def _rows(result: business_case.BusinessCase) -> list[tuple[str, str, list[tuple[str, int]]]]:
    labels = {
        "gross_salary": _("Gross salary"),
        "refund": _("Sickness-benefit refund"),
        "net_salary_cost": _("Net salary cost"),
        "temp": _("Temp"),
        "recruitment": _("Recruitment"),
        "new_employee_salary": _("Salary of new employee"),
        "extra_costs": _("Extra costs"),
        "employer_total": _("Employer total"),
        "extra_cost_of_sick_listing": _("Extra cost of the sick-listing"),
    }
    return [
        (row, labels[row], [(s, getattr(result.scenarios[s], row)) for s in business_case.SCENARIOS])
        for row in business_case.ROWS
    ]


@login_not_required
@require_http_methods(["GET", "POST"])
def business_case_page(request):
    """The calculator. GET with no data shows the seed's example; any submitted data is validated."""
    data = request.POST if request.method == "POST" else request.GET
    mode = "derived" if data.get("mode") == "derived" else "explicit"
    submitted = any(name not in ("mode",) for name in data)
    if mode == "derived":
        form = AssumptionsForm(data if submitted else None, initial=AssumptionsForm.defaults())
    else:
        form = ExplicitAmountsForm(data if submitted else None, initial=business_case.ExplicitAmounts().as_dict())
    result, status = None, 200
    if not submitted:
        result = business_case.calculate_derived() if mode == "derived" else business_case.calculate()
    elif form.is_valid():
        result = (
            business_case.calculate_derived(form.cleaned_data["assumptions"])
            if mode == "derived"
            else business_case.calculate(form.cleaned_data["amounts"])
        )
    else:
        status = 400
    context = {"form": form, "mode": mode, "result": result}
    if result is not None:
        scenarios = [(name, SCENARIO_LABELS[name], result.scenarios[name]) for name in business_case.SCENARIOS]
        context.update(
            rows=_rows(result),
            scenarios=scenarios,
            chart_max=max(s.employer_total for _n, _l, s in scenarios) or 1,
            amounts=result.amounts,
        )
    return render(request, "guidance/business_case.html", context, status=status)


# --- Inside a case -------------------------------------------------------------------------


def _case_facts(case, access) -> dict:
    employment = case.employment
    return {
        "employer": employment.employer.name if employment and employment.employer_id else "",
        "job_title": employment.job_title if employment else "",
        "profession": employment.profession_category if employment else "",
        "profession_label": employment.get_profession_category_display() if employment else "",
        "weeks": case.weeks_since_first_sick_day(),
        # The employer side sees no cause at all (not even the group), only what the employee shares
        # (fasthold.sharing); for them the mental-health guidance is always shown (None), so it tells nothing.
        "cause": case.get_cause_category_display() if access.can_view_health else "",
        "is_mental": (case.cause_group == "mental") if access.can_view_health else None,
    }


def case_guidance(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not (access.is_staff or access.is_employer_side):
        raise PermissionDenied
    stage = phases.derive_stage(
        first_sick_day=case.first_sick_day,
        today=timezone.localdate(),
        status=case.status,
        absence_extent=case.absence_extent,
    )
    slug = phases.STAGE_PHASES[stage]
    facts = _case_facts(case, access)
    context = {
        **_phase_context(),
        "case": case,
        "access": access,
        "stage": stage,
        "stage_label": phases.STAGE_LABELS[stage],
        "phase": phases.phase(slug) if slug else None,
        "facts": facts,
        # Linked only where a note exists for the profession (the page 404s without one).
        "has_profession_note": facts["profession"] in ProfessionCategory.values
        and facts["profession"] != ProfessionCategory.OTHER
        and ProfessionNote.objects.filter(profession_category=facts["profession"]).exists(),
        "has_policy": _has_policy(request.user),
    }
    return render(request, "guidance/case_guidance.html", context)


def first_contact(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not access.is_staff:
        raise PermissionDenied
    if request.method == "POST":
        access.require_edit()
    facts = _case_facts(case, access)
    manager = case.participants.filter(role__in=("manager", "hr")).select_related("user").first()
    script = first_contact_content.call_script(
        coordinator=request.user.display_name,
        organisation=case.organisation.name,
        employee=case.person.name,
        employer=facts["employer"] or _("the workplace"),
        job_title=facts["job_title"],
        weeks=facts["weeks"],
        contact=manager.display_name if manager else "",
    )
    form = FirstContactForm(request.POST or None)

    def save(form):
        services.first_contact_record(actor=request.user, case=case, text=form.note_text())
        return done(
            request,
            _("The notes of the call were saved on the case's timeline."),
            "guidance:first_contact",
            case.public_id,
        )

    context = {
        "case": case,
        "access": access,
        "facts": facts,
        "script": script,
        "manager": manager,
        "preparation": first_contact_content.PREPARATION,
        "tools": first_contact_content.TOOLS,
        "special_situations": first_contact_content.SPECIAL_SITUATIONS,
        "internship_host": first_contact_content.INTERNSHIP_HOST,
    }
    return form_view(request, form, "guidance/first_contact.html", save, context=context)


# --- The organisation's own policy ---------------------------------------------------------


def _policy_organisation(user):
    """The organisation whose policy the user works on, and whether they may edit it; 404 without one."""
    memberships = list(Membership.objects.filter(user=user).select_related("organisation").order_by("id"))

    def editable(m) -> bool:
        if m.organisation.kind == OrganisationKind.EMPLOYER:
            return m.role in EMPLOYER_ROLES
        return m.role in STAFF_WRITE_ROLES

    for m in memberships:
        if editable(m):
            return m.organisation, True
    for m in memberships:
        if m.organisation.kind != OrganisationKind.EMPLOYER and m.role in STAFF_ROLES:
            return m.organisation, False
    raise Http404


def _has_policy(user) -> bool:
    """Whether the user has an organisation's policy to read (the link to it is shown only then)."""
    if not user.is_authenticated:
        return False
    try:
        _policy_organisation(user)
    except Http404:
        return False
    return True


def policy(request):
    organisation, can_edit = _policy_organisation(request.user)
    current = AbsencePolicy.objects.filter(organisation=organisation).first()
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    if current is not None:
        initial = {"version": current.version}
    else:
        initial = {"version": 0, **draft(organisation.name)}
    form = PolicyForm(request.POST or None, instance=current, initial=initial)
    context = {"organisation": organisation, "can_edit": can_edit, "current": current}

    def save(form):
        data = {name: form.cleaned_data[name] for name in ("who_does_what", "policy", "stress_policy")}
        services.policy_save(
            actor=request.user, organisation=organisation, expected_version=form.cleaned_data["version"], data=data
        )
        return done(request, _("The policy was saved."), "guidance:policy")

    def saved():
        return {"current": AbsencePolicy.objects.filter(organisation=organisation).first()}

    return form_view(request, form, "guidance/policy.html", save, context=context, on_conflict=saved)


def policy_print(request):
    organisation, _can_edit = _policy_organisation(request.user)
    current = AbsencePolicy.objects.filter(organisation=organisation).first()
    texts = (
        {"who_does_what": current.who_does_what, "policy": current.policy, "stress_policy": current.stress_policy}
        if current
        else draft(organisation.name)
    )
    return render(
        request, "guidance/policy_print.html", {"organisation": organisation, "current": current, "texts": texts}
    )


# --- Knowledge base -----------------------------------------------------------------------


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


def _note(category: str) -> ProfessionNote:
    if category not in ProfessionCategory.values:
        raise Http404
    notes = {n.language: n for n in ProfessionNote.objects.filter(profession_category=category)}
    note = notes.get(_language()) or notes.get("da")
    if note is None:
        raise Http404
    return note


def _is_org_admin(user) -> bool:
    return Membership.objects.filter(user=user, role=OrgRole.ADMIN).exists()


def profession_list(request):
    notes = ProfessionNote.objects.filter(language=_language()).only("profession_category", "title")
    return render(request, "guidance/profession_list.html", {"notes": notes, "can_edit": _is_org_admin(request.user)})


def profession_detail(request, category):
    note = _note(category)
    return render(request, "guidance/profession_detail.html", {"note": note, "can_edit": _is_org_admin(request.user)})


def profession_edit(request, category):
    if not _is_org_admin(request.user):
        raise PermissionDenied
    note = _note(category)
    form = ProfessionNoteForm(request.POST or None, instance=note, initial={"version": note.version})
    fresh = None

    def save(form):
        nonlocal fresh
        data = {name: form.cleaned_data[name] for name in ProfessionNoteForm.Meta.fields}
        fresh = ProfessionNote.objects.get(pk=note.pk)  # validating wrote the input onto `note`
        services.profession_note_update(
            actor=request.user, note=fresh, expected_version=form.cleaned_data["version"], data=data
        )
        return done(request, _("The note was saved."), "guidance:profession", category)

    def saved():
        return {"current": fresh}

    return form_view(request, form, "guidance/profession_form.html", save, context={"note": note}, on_conflict=saved)
