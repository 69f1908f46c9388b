"""The case list as CSV, and the bulk import of sick-listed persons (upload, preview, import).

Between the preview and the import the uploaded file waits in Django's cache (the database cache table),
encrypted (Fernet, with a key derived from SECRET_KEY) under a random token, for 30 minutes, tied to the
user and organisation that uploaded it, and is deleted when used. Nothing of it goes to the session, the
page or a temporary file: the CPR numbers in it are never on disk unencrypted, and the token alone opens
nothing for anyone else.
"""

import base64
import csv
import hashlib
import secrets
import zlib

from cryptography.fernet import Fernet, InvalidToken
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases import cpr, imports, selectors
from fasthold.cases.forms import CaseFilterForm
from fasthold.cases.importing import COLUMN_LABELS, file_error, import_rows
from fasthold.organisations.models import Organisation, OrganisationKind

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_SECONDS = 30 * 60
SHOWN_ROWS = 50  # the preview's first rows
SHOWN_ERROR_ROWS = 1000  # the preview lists the errors of this many rows, then says how many more


# --- export -------------------------------------------------------------------------------------------------


def _cell(value) -> str:
    """A value for a spreadsheet: text that a spreadsheet would run as a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def case_export(request):
    """The case list as filtered, as CSV for Danish Excel (UTF-8 with BOM, ";"). Staff of the case-owning
    organisation only, and only its cases; the cause (a health category) as they see it on the list; no
    CPR numbers. One audit row: who, when, the filter's names (not a searched name) and the row count."""
    staff_orgs = selectors.staff_organisation_ids(request.user)
    if not staff_orgs:
        raise PermissionDenied
    today = timezone.localdate()
    form = CaseFilterForm(
        request.GET or None,
        employers=Organisation.objects.filter(kind=OrganisationKind.EMPLOYER),
        coordinators=selectors.coordinator_choices(staff_orgs),
    )
    if request.GET and not form.is_valid():
        # A filter the list would refuse must not export every case as if it were the filtered ones.
        message = _("The filter is not valid: %(fields)s. Correct it on the case list and download again.") % {
            "fields": ", ".join(str(form.fields[name].label or name) for name in form.errors if name in form.fields)
        }
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    filters = form.cleaned_data if request.GET else {}
    cases = (
        selectors.case_list(request.user, filters, today)
        .filter(organisation_id__in=staff_orgs)
        .select_related("organisation")
    )
    count = cases.count()
    audit_fields = [f"rows_{count}"]
    for name, value in sorted(filters.items()):
        if value in (None, ""):
            continue
        # The searched text may be a person's name: only that there was one is recorded.
        audit_fields.append(f"filter_{name}" if name == "q" else f"filter_{name}_{getattr(value, 'pk', value)}")
    for organisation_id in sorted(staff_orgs):
        audit_record(
            actor=request.user,
            action=AuditAction.CASES_EXPORTED,
            organisation=Organisation(pk=organisation_id),
            fields=audit_fields,
        )
    # Staff may read the health part of their organisation's cases (CaseAccess.can_view_health), so the
    # cause is a column; the export has nobody else's cases.
    header = [
        _("Case"),
        _("Name"),
        _("Employer"),
        _("Employer's CVR number"),
        _("Job title"),
        _("First sick day"),
        _("Weeks"),
        _("Cause"),
        _("Status"),
        _("Coordinator"),
        _("Organisation"),
    ]

    def lines():
        writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
        yield "\ufeff" + writer.writerow(header)
        for case in cases.iterator(chunk_size=2000):
            employer = case.employment.employer if case.employment_id else None
            yield writer.writerow(
                [
                    _cell(v)
                    for v in (
                        case.public_id,
                        case.person.name,
                        employer.name if employer else "",
                        employer.cvr if employer else "",
                        case.employment.job_title if case.employment_id else "",
                        case.first_sick_day.strftime("%d-%m-%Y"),
                        (today - case.first_sick_day).days // 7,
                        case.get_cause_category_display(),
                        case.get_status_display(),
                        case.coordinator.display_name if case.coordinator_id else "",
                        case.organisation.name,
                    )
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fasthold-forloeb-{today.isoformat()}.csv"'
    return response


# --- import -------------------------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The list of sick-listed persons (CSV)"),
        help_text=gettext_lazy("Use the template's columns. At most 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB. Split it into several files."))
        return upload.read()


def _import_organisation(user) -> Organisation:
    """The organisation whose cases this user may open (coordinator or administrator), or 403."""
    organisation = selectors.writable_organisation(user)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"fasthold import upload\x00" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cache_key(token: str) -> str:
    return "cases-import:" + hashlib.sha256(token.encode()).hexdigest()


def _keep(data: bytes, user, organisation) -> str:
    token = secrets.token_urlsafe(24)
    payload = f"{user.pk}:{organisation.pk}:".encode() + zlib.compress(data, 1)
    cache.set(_cache_key(token), _fernet().encrypt(payload), UPLOAD_SECONDS)
    return token


def _take(token: str, user, organisation) -> bytes | None:
    key = _cache_key(token)
    stored = cache.get(key)
    if stored is None:
        return None
    try:
        payload = _fernet().decrypt(stored)
    except InvalidToken:
        return None
    user_id, organisation_id, data = payload.split(b":", 2)
    if int(user_id) != user.pk or int(organisation_id) != organisation.pk:
        return None
    cache.delete(key)
    return zlib.decompress(data)


def _rows(data: bytes):
    """The rows of the file, or a worded file error."""
    try:
        _header, rows = imports.read_csv(data)
    except ValueError as error:
        return None, file_error(str(error))
    return rows, None


def _shown_value(key: str, value: str, has_error: bool) -> str:
    # A valid CPR number is shown masked, as everywhere; one with an error as typed, to find the mistake.
    if key == "cpr" and value and not has_error:
        return cpr.mask(value)
    return value


@require_http_methods(["GET", "POST"])
def import_upload(request):
    organisation = _import_organisation(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "organisation": organisation, "result": None, "token": None}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "cases/import.html", context, status=400)
        data = form.cleaned_data["file"]
        rows, error = _rows(data)
        if error is not None:
            context["file_error"] = error.message
            return render(request, "cases/import.html", context, status=400)
        result = import_rows(actor=request.user, organisation=organisation, rows=rows, dry_run=True)
        by_row = result.errors_by_row()
        keys = [key for key, *_rest in imports.COLUMNS]
        error_rows = [r for r in result.rows if r.number in by_row]
        context.update(
            result=result,
            columns=[COLUMN_LABELS[k] for k in keys],
            file_errors=by_row.get(0, []),
            error_rows=[
                {
                    "number": r.number,
                    # A CPR number is shown as typed only when it is itself the error (to find the
                    # mistake); a valid one stays masked whatever else in the row is wrong.
                    "values": [
                        _shown_value(k, r.values.get(k, ""), any(e.column == k for e in by_row[r.number])) for k in keys
                    ],
                    "errors": by_row[r.number],
                }
                for r in error_rows[:SHOWN_ERROR_ROWS]
            ],
            more_error_rows=max(0, len(error_rows) - SHOWN_ERROR_ROWS),
            first_rows=[
                {"number": r.number, "values": [_shown_value(k, r.values.get(k, ""), False) for k in keys]}
                for r in result.rows[:SHOWN_ROWS]
            ]
            if result.ok
            else [],
            token=_keep(data, request.user, organisation) if result.ok and result.created else None,
        )
    return render(request, "cases/import.html", context)


@require_POST
def import_confirm(request):
    organisation = _import_organisation(request.user)
    data = _take(request.POST.get("token", ""), request.user, organisation)
    if data is None:
        return render(request, "cases/import_gone.html", status=410)
    rows, error = _rows(data)
    if error is not None:  # it was read at the preview; kept for safety
        messages.error(request, error.message)
        return redirect("cases:import")
    result = import_rows(actor=request.user, organisation=organisation, rows=rows, dry_run=False)
    if not result.imported:
        # The data changed in between (an employer's CVR now taken by another kind of organisation, ...).
        messages.error(request, _("The file no longer checks out. Nothing was imported; upload it again."))
        return redirect("cases:import")
    messages.success(
        request,
        _("%(created)s cases were opened; %(skipped)s were already on file.")
        % {"created": result.created, "skipped": result.skipped},
    )
    return redirect("cases:list")


def import_template(request):
    _import_organisation(request.user)
    response = HttpResponse("\ufeff" + imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fasthold-sygemeldte-skabelon.csv"'
    return response
