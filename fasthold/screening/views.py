from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fasthold.audit.readlog import log_read
from fasthold.cases.access import get_case_for_user
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError
from fasthold.organisations.models import CASE_OWNER_KINDS, STAFF_ROLES, STAFF_WRITE_ROLES, Membership, OrgRole
from fasthold.screening import prognosis, selectors, services
from fasthold.screening.catalog import instruments_for, self_fillable
from fasthold.screening.examples import install_example_programs
from fasthold.screening.forms import (
    AllocationForm,
    AnswersForm,
    CriteriaForm,
    CustomScaleForm,
    DecisionForm,
    DropoutForm,
    LicensedInstrumentForm,
    ProfileForm,
)
from fasthold.screening.instruments import InstrumentError
from fasthold.screening.models import PrognosticProfile, Program, ResponseSource, Visitation


def _staff_roles(user) -> dict:
    """{organisation: set of staff roles} for the case-owning organisations the user works in."""
    roles: dict = {}
    memberships = Membership.objects.filter(
        user=user, role__in=STAFF_ROLES, organisation__kind__in=CASE_OWNER_KINDS
    ).select_related("organisation")
    for m in memberships:
        roles.setdefault(m.organisation, set()).add(m.role)
    return roles


# --------------------------------------------------------------------------- programs


def program_list(request):
    roles = _staff_roles(request.user)
    if not roles:
        raise Http404
    programs = Program.objects.filter(organisation__in=roles).select_related("organisation").prefetch_related("arms")
    admin_orgs = [org for org, r in roles.items() if OrgRole.ADMIN in r]
    return render(request, "screening/program_list.html", {"programs": programs, "admin_orgs": admin_orgs})


@require_POST
def program_install_examples(request):
    roles = _staff_roles(request.user)
    if not roles:
        raise Http404
    admin_orgs = [org for org, r in roles.items() if OrgRole.ADMIN in r]
    if not admin_orgs:
        raise PermissionDenied
    for org in admin_orgs:
        install_example_programs(org)
    return done(request, _("The example programs are installed."), "screening:programs")


def program_detail(request, program_id):
    roles = _staff_roles(request.user)
    program = get_object_or_404(
        Program.objects.prefetch_related("criteria", "arms__session_templates"),
        public_id=program_id,
        organisation__in=roles,
    )
    return render(request, "screening/program_detail.html", {"program": program})


# --------------------------------------------------------------------------- visitation


def _visitation_case(request, public_id, program_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_worksheet()  # the employee and the employer side: 404
    if not access.is_staff:
        # Health professionals see the case, not the visitation.
        raise PermissionDenied
    program = get_object_or_404(Program, public_id=program_id, organisation=case.organisation)
    return case, access, program


def visit(request, public_id, program_id):
    case, access, program = _visitation_case(request, public_id, program_id)
    visitation = selectors.visitation_for(case, program)
    forms, status = {}, 200
    if request.method == "POST":
        access.require_edit()
        action = request.POST.get("action")
        posted = _ACTIONS.get(action)
        if posted is None or (action != "answers" and visitation is None):
            return render(request, "screening/bad_request.html", status=400)
        result = _act(request, case, program, visitation, posted)
        if not isinstance(result, tuple):
            return result
        forms, status = result
        visitation = selectors.visitation_for(case, program)
    # Visitation answers name psychiatric disease, abuse and depression.
    log_read(request, case, fields=["visitation"])
    return render(
        request,
        "screening/visit.html",
        selectors.visit_context(case, access, program, visitation, forms, status == 409),
        status=status,
    )


def _criteria_form(post, program, visitation):
    return CriteriaForm(post, criteria=list(program.criteria.all()), visitation=visitation)


def _from_form(**fields):
    """A workflow's arguments taken from the cleaned data: {argument: form field}."""
    return lambda form, case, program: {argument: form.cleaned_data[name] for argument, name in fields.items()}


# The visitation page's forms, by the action they post. A form that comes back (invalid, 400; or someone
# else saved first, 409) is shown again under its `key`. A valid one goes to the workflow `service`: the
# acting user, the visitation and its version, and `values(form, case, program)`; the page then says `done`.
_ACTIONS = {
    "answers": {
        "key": "criteria",
        "form": _criteria_form,
        "service": services.visitation_answer,
        "values": lambda form, case, program: {"case": case, "program": program, "answers": form.answers()},
        "done": gettext_lazy("The answers were saved."),
    },
    "decide": {
        "key": "decision",
        "form": lambda post, program, visitation: DecisionForm(post, visitation=visitation),
        "service": services.visitation_decide,
        "values": _from_form(decision="decision"),
        "done": gettext_lazy("The decision was saved."),
    },
    "allocate": {
        "key": "allocation",
        "form": lambda post, program, visitation: AllocationForm(post, visitation=visitation),
        "service": services.visitation_allocate,
        "values": _from_form(method="method", arm="arm_obj", start_date="start_date"),
        "done": gettext_lazy("The arm was chosen and the sessions are planned."),
    },
    "dropout": {
        "key": "dropout",
        "form": lambda post, program, visitation: DropoutForm(post, visitation=visitation),
        "service": services.visitation_drop_out,
        "values": _from_form(on="dropout_on", reason="dropout_reason"),
        "done": gettext_lazy("The drop-out was recorded."),
    },
}


def _act(request, case, program, visitation, action):
    """One posted form of the visitation page (see _ACTIONS): a redirect once it is saved, else the page's
    forms and status."""
    form = action["form"](request.POST, program, visitation)
    if not form.is_valid():
        return {action["key"]: form}, 400
    try:
        action["service"](
            actor=request.user,
            visitation=visitation,
            expected_version=form.cleaned_data["version"],
            **action["values"](form, case, program),
        )
    except ConflictError:
        return {action["key"]: form}, 409
    return done(request, str(action["done"]), "screening:visit", case.public_id, program.public_id)


def case_programs(request, public_id):
    """The programs a case can be visited into, with any visitation already made."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_worksheet()
    if not access.is_staff:
        raise PermissionDenied
    programs = Program.objects.filter(organisation=case.organisation, active=True)
    visited = {v.program_id: v for v in Visitation.objects.filter(case=case).select_related("arm")}
    rows = [(p, visited.get(p.pk)) for p in programs]
    return render(request, "screening/case_programs.html", {"case": case, "access": access, "rows": rows})


# --------------------------------------------------------------------------- prognostic profile


def _profile_editor(access) -> bool:
    # The occupational physician answers the clinical questions; staff keep the rest.
    return access.can_edit or access.is_health_professional


def _health_read(request, public_id, read):
    """The case, the reader's access and what the workflow `read` gives them, for a professionals'
    worksheet of health data (the employee and the employer side: 404; without health access, 403)."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_worksheet()
    access.require_health()
    return case, access, read(actor=request.user, case=case)


def profile(request, public_id):
    case, access, record = _health_read(request, public_id, services.profile_read)
    log_read(request, case, fields=["prognostic_profile"])
    return render(
        request,
        "screening/profile.html",
        {
            "case": case,
            "access": access,
            "record": record,
            "sections": prognosis.profile(record.answers),
            "can_edit": _profile_editor(access),
        },
    )


def profile_edit(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_worksheet()
    if not _profile_editor(access):
        raise PermissionDenied
    record = services.profile_read(actor=request.user, case=case)
    log_read(request, case, fields=["prognostic_profile"])  # the form shows it; a redirect writes nothing
    form = ProfileForm(request.POST or None, answers=record.answers, initial={"version": record.version})

    def save(form):
        services.profile_update(
            actor=request.user,
            case=case,
            record=record,
            expected_version=form.cleaned_data["version"],
            answers=form.answers(),
        )
        return done(request, _("The profile was saved."), "screening:profile", case.public_id)

    def saved():
        current = PrognosticProfile.objects.get(pk=record.pk)
        return {"current": current, "current_sections": prognosis.profile(current.answers)}

    return form_view(request, form, "screening/profile_form.html", save, context={"case": case}, on_conflict=saved)


# --------------------------------------------------------------------------- questionnaires


def questionnaires(request, public_id):
    case, access, responses = _health_read(request, public_id, services.questionnaires_read)
    instruments = instruments_for(case.organisation_id)
    if responses:
        log_read(request, case, fields=["questionnaires"])
    return render(
        request,
        "screening/questionnaires.html",
        {
            "case": case,
            "access": access,
            "series": selectors.series(responses, instruments),
            "choices": _fill_choices(access, instruments),
        },
    )


def _fill_choices(access, instruments):
    if access.can_edit:
        return [i for i in instruments.values()]
    if access.is_employee:
        return [i for i in instruments.values() if self_fillable(i)]
    return []


def questionnaire_fill(request, public_id, instrument_id):
    case, access = get_case_for_user(request.user, public_id)
    if not (access.may_see_worksheets or access.is_employee):
        raise Http404  # the employer side
    if not (access.can_edit or access.is_employee):
        raise PermissionDenied
    instrument = instruments_for(case.organisation_id).get(instrument_id)
    self_fill = not access.can_edit
    if instrument is None or (self_fill and not self_fillable(instrument)):
        raise Http404
    form = AnswersForm(request.POST or None, instrument=instrument, self_fill=self_fill)
    context = {"case": case, "form": form, "instrument": instrument, "self_fill": self_fill}
    if request.method != "POST":
        return render(request, "screening/questionnaire_form.html", context)
    if form.is_valid():
        try:
            services.questionnaire_record(
                actor=request.user,
                case=case,
                instrument=instrument,
                answers=form.answers(),
                source=ResponseSource.SELF if self_fill else ResponseSource.PAPER,
                answered_on=timezone.localdate() if self_fill else form.cleaned_data["answered_on"],
            )
        except InstrumentError:
            form.add_error(None, _("The answers do not fit the questionnaire. Check each answer and try again."))
        else:
            if self_fill:
                # The results page is a professionals' worksheet: the employee goes back to her portal.
                messages.success(request, _("Thank you. Your answers were saved."))
                return redirect("portals:employee")
            messages.success(request, _("The form was saved."))
            return redirect("screening:questionnaires", case.public_id)
    return render(request, "screening/questionnaire_form.html", context, status=400)


# --------------------------------------------------------------------------- instruments


def instruments(request):
    roles = _staff_roles(request.user)
    if not roles:
        raise Http404
    organisation = next(iter(roles))
    org_roles = roles[organisation]
    is_admin = OrgRole.ADMIN in org_roles
    can_write = bool(org_roles & set(STAFF_WRITE_ROLES))
    scale_form = CustomScaleForm(organisation=organisation)
    upload_form = LicensedInstrumentForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "custom_scale":
            if not can_write:
                raise PermissionDenied
            scale_form = CustomScaleForm(request.POST, organisation=organisation)
            if scale_form.is_valid():
                services.custom_scale_create(
                    actor=request.user,
                    organisation=organisation,
                    instrument=scale_form.instrument,
                    definition=scale_form.cleaned_data["definition"],
                )
                return done(request, _("The scale was created."), "screening:instruments")
        elif action == "licensed":
            if not is_admin:
                raise PermissionDenied
            upload_form = LicensedInstrumentForm(request.POST, request.FILES)
            if upload_form.is_valid():
                services.licensed_instrument_upload(
                    actor=request.user, organisation=organisation, text=upload_form.cleaned_data["file"]
                )
                return done(request, _("The instrument file was loaded."), "screening:instruments")
        else:
            return render(request, "screening/bad_request.html", status=400)
        status = 400
    return render(
        request,
        "screening/instruments.html",
        {
            "organisation": organisation,
            "instruments": instruments_for(organisation.pk).values(),
            "is_admin": is_admin,
            "can_write": can_write,
            "scale_form": scale_form,
            "upload_form": upload_form,
        },
        status=status,
    )
