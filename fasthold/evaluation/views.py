import csv
import io
import secrets
import tempfile
from pathlib import Path

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.cases.access import get_case_for_user
from fasthold.cases.choices import CaseStatus
from fasthold.dbrouter import reads_from_replica
from fasthold.evaluation import dataset, outcomes, services
from fasthold.evaluation.forms import FollowUpForm, RegisterUploadForm, ReturnForm
from fasthold.evaluation.models import CaseReturn, FollowUp, RegisterImport
from fasthold.evaluation.selectors import schedule_full_return
from fasthold.kernel import ConflictError
from fasthold.organisations.models import CASE_OWNER_KINDS, STAFF_ROLES, STAFF_WRITE_ROLES, Membership
from fasthold.screening.models import Program, Visitation

# A checked register file waits here between the preview and the import, readable by this process's
# user only, under a random name kept in the session; it is deleted when imported or replaced.
UPLOADS = Path(tempfile.gettempdir()) / "fasthold-register"
SESSION_KEY = "evaluation_register_upload"


# --- a case's outcome and follow-ups ----------------------------------------------------------------


def case_outcome(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not access.is_staff:
        raise Http404
    record = CaseReturn.objects.filter(case=case).first()
    suggested = None if record and record.full_return_on else schedule_full_return(case)
    return_form = ReturnForm(
        instance=record,
        initial={"version": record.version if record else 0, **({"full_return_on": suggested} if suggested else {})},
    )
    existing = {f.months: f for f in FollowUp.objects.filter(case=case)}
    dues = outcomes.follow_up_dates(case.closed_on) if case.closed_on else []
    follow_forms = [
        FollowUpForm(
            instance=existing.get(m), months=m, initial={"version": existing[m].version if m in existing else 0}
        )
        for m, _due in dues
    ]
    status = 200
    if request.method == "POST":
        access.require_edit()
        which = request.POST.get("form")
        try:
            if which == "return":
                return_form = ReturnForm(request.POST, instance=CaseReturn(case=case))
                if return_form.is_valid():
                    data = {k: return_form.cleaned_data[k] for k in ("full_return_on", "partial_return_on")}
                    services.return_record(
                        actor=request.user, case=case, expected_version=return_form.cleaned_data["version"], data=data
                    )
                    messages.success(request, _("The return to work was saved."))
                    return redirect("evaluation:case", case.public_id)
            elif dues and which in {f"m{m}" for m, _due in dues}:
                months = int(which[1:])
                form = FollowUpForm(request.POST, months=months, instance=FollowUp(case=case, months=months))
                follow_forms = [form if f.months == months else f for f in follow_forms]
                if form.is_valid():
                    data = {k: form.cleaned_data[k] for k in ("status", "absence_from", "absence_to")}
                    services.follow_up_record(
                        actor=request.user,
                        case=case,
                        months=months,
                        expected_version=form.cleaned_data["version"],
                        data=data,
                    )
                    messages.success(request, _("The follow-up was saved."))
                    return redirect("evaluation:case", case.public_id)
            else:
                raise Http404
            status = 400
        except ConflictError:
            messages.error(
                request,
                _(
                    "Someone else saved this while you were editing. Nothing of yours was saved; here is what is saved now."
                ),
            )
            return redirect("evaluation:case", case.public_id)
    context = {
        "case": case,
        "access": access,
        "return_form": return_form,
        "suggested": suggested,
        "follow_forms": [(f, due) for f, (_m, due) in zip(follow_forms, dues)],
        "closed": case.status == CaseStatus.CLOSED,
    }
    return render(request, "evaluation/case_outcome.html", context, status=status)


# --- register import --------------------------------------------------------------------------------


def _import_organisation(user):
    """The case-owning organisation whose register weeks this user may import (coordinator or admin)."""
    membership = (
        Membership.objects.filter(user=user, role__in=STAFF_WRITE_ROLES, organisation__kind__in=CASE_OWNER_KINDS)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    if membership is None:
        raise Http404
    return membership.organisation


def _stored(request) -> Path | None:
    name = request.session.get(SESSION_KEY)
    if not name or not name.isalnum():
        return None
    path = UPLOADS / f"{name}.csv"
    return path if path.exists() else None


def _store(request, text: str) -> None:
    old = _stored(request)
    if old is not None:
        old.unlink(missing_ok=True)
    UPLOADS.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    path = UPLOADS / f"{name}.csv"
    path.touch(mode=0o600)
    path.write_text(text, encoding="utf-8")
    request.session[SESSION_KEY] = name


def register_upload(request):
    organisation = _import_organisation(request.user)
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    context = {
        "form": form,
        "organisation": organisation,
        "imports": RegisterImport.objects.filter(organisation=organisation)[:10],
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "evaluation/register.html", context, status=400)
        parsed = services.register_parse(form.cleaned_data["file"], organisation)
        context.update(
            parsed=parsed,
            errors=parsed.errors[: services.MAX_ERRORS_SHOWN],
            weeks=sum(len(w) for w in parsed.weeks.values()),
        )
        if parsed.ok:
            _store(request, form.cleaned_data["file"])
            return render(request, "evaluation/register.html", context)
        return render(request, "evaluation/register.html", context, status=400)
    return render(request, "evaluation/register.html", context)


@require_POST
def register_confirm(request):
    organisation = _import_organisation(request.user)
    path = _stored(request)
    if path is None:
        messages.error(request, _("Nothing is waiting to be imported. Choose the file again."))
        return redirect("evaluation:register")
    parsed = services.register_parse(path.read_text(encoding="utf-8"), organisation)
    if not parsed.ok:
        # Cases may have changed since the preview: show the errors again; nothing is imported.
        messages.error(request, _("The file no longer checks out. Nothing was imported; choose it again to see why."))
        return redirect("evaluation:register")
    result = services.register_import(actor=request.user, organisation=organisation, parsed=parsed)
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Imported %(rows)d rows for %(cases)d cases: %(created)d new weeks, %(changed)d changed.")
        % {"rows": result.rows, "cases": result.cases, "created": result.created, "changed": result.changed},
    )
    return redirect("evaluation:register")


# --- programs ---------------------------------------------------------------------------------------


def _staff_organisations(user, roles=STAFF_ROLES) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role__in=roles, organisation__kind__in=CASE_OWNER_KINDS).values_list(
            "organisation_id", flat=True
        )
    )


def _program(request, public_id, roles=STAFF_ROLES) -> Program:
    """A program of one of the user's organisations; 404 for anyone else (the employer side included)."""
    program = Program.objects.filter(
        public_id=public_id, organisation_id__in=_staff_organisations(request.user, roles)
    ).first()
    if program is None:
        raise Http404
    return program


@reads_from_replica
def overview(request):
    organisations = _staff_organisations(request.user)
    if not organisations:
        raise Http404
    programs = (
        Program.objects.filter(organisation_id__in=organisations)
        .annotate(allocated=Count("visitations", filter=Q(visitations__arm__isnull=False)))
        .select_related("organisation")
        .order_by("-active", "name")
    )
    can_import = bool(_staff_organisations(request.user, STAFF_WRITE_ROLES))
    # Where each program's people were followed: the sites, for the overview across programs and sites.
    sites = (
        Visitation.objects.filter(program__in=programs, arm__isnull=False)
        .values("program_id", "case__organisation__name")
        .annotate(n=Count("id"))
        .order_by("program_id", "case__organisation__name")
    )
    by_program: dict[int, list] = {}
    for row in sites:
        by_program.setdefault(row["program_id"], []).append((row["case__organisation__name"], row["n"]))
    rows = [(program, by_program.get(program.pk, [])) for program in programs]
    return render(request, "evaluation/overview.html", {"rows": rows, "can_import": can_import})


@reads_from_replica
def program(request, public_id):
    # The statistics (lifelines, pandas) take most of a second to import: only this page loads them.
    from fasthold.evaluation import report

    program = _program(request, public_id)
    analysis = "pp" if request.GET.get("analysis") == "pp" else "itt"
    context = {
        "program": program,
        "analysis": analysis,
        "report": report.build(program, per_protocol=analysis == "pp"),
        "can_export": program.organisation_id in _staff_organisations(request.user, STAFF_WRITE_ROLES),
    }
    return render(request, "evaluation/program.html", context)


@reads_from_replica
def dataset_csv(request, public_id):
    program = _program(request, public_id, STAFF_WRITE_ROLES)
    text, _left_out = services.dataset_export(
        actor=request.user, program=program, per_protocol=request.GET.get("analysis") == "pp"
    )
    return _csv(text, f"fasthold-{program.slug}-dataset.csv")


def codebook_csv(request, public_id):
    program = _program(request, public_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["column", "meaning"])
    writer.writerows(dataset.CODEBOOK)
    return _csv(buffer.getvalue(), f"fasthold-{program.slug}-codebook.csv")


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, no_store=True, private=True)
    return response
