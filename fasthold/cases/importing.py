"""Bulk import of sick-listed persons (the list a jobcentre receives): check every row, then open all the
cases or none.

`import_rows` is the one entry point, for the upload pages and the API alike. The rows are checked by the
pure fasthold.cases.imports; this module adds what needs the database (employers by CVR, the cases already
on file), words the errors in the active language, and writes everything in one transaction with bulk
inserts, the case calendars computed in bulk through cases.hooks. A row whose person (CPR number) and first
sick day already have a case in the organisation is skipped, so importing a file again opens nothing new.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.audit.services import audit_record
from fasthold.cases import hooks, imports, names
from fasthold.cases.choices import CauseCategory, ParticipantRole, ReferralSource
from fasthold.cases.models import Case, Employment, EventKind, HealthRecord, Participant, Person, TimelineEvent
from fasthold.kernel import insert_rows, reserve_ids
from fasthold.organisations.models import STAFF_WRITE_ROLES, Membership, Organisation, OrganisationKind

BATCH = 2000
# Up to this many new cases the calendars are computed in the import's transaction; a larger import leaves
# them to the task worker (fasthold.cases.tasks), which computes them in batches after the commit.
INLINE_CALENDARS = 2000

COLUMN_LABELS = {
    "cpr": gettext_lazy("CPR number"),
    "name": gettext_lazy("name"),
    "first_sick_day": gettext_lazy("first sick day"),
    "employer_cvr": gettext_lazy("employer's CVR number"),
    "employer_name": gettext_lazy("employer's name"),
    "job_title": gettext_lazy("job title"),
    "weekly_hours": gettext_lazy("weekly hours"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("e-mail"),
}

# The problem with a value, after "Row 7, CPR number: ". Never the value itself.
MESSAGES = {
    "required": gettext_lazy("missing; it must be filled in."),
    "cpr_format": gettext_lazy("a CPR number is 10 digits (DDMMYY-XXXX)."),
    "cpr_date": gettext_lazy("the CPR number does not exist: its first six digits are not a date (DDMMYY)."),
    "too_long": gettext_lazy("longer than %(max)s characters."),
    "date_format": gettext_lazy("not a date; write it as DD-MM-YYYY."),
    "date_future": gettext_lazy("the first sick day cannot be in the future."),
    "date_too_old": gettext_lazy("more than 2 years ago; check the year."),
    "cvr_invalid": gettext_lazy("not a CVR number (8 digits whose check digit fits)."),
    "cvr_required": gettext_lazy("give the employer's CVR number with its name."),
    "cvr_unknown": gettext_lazy("no employer with this CVR number is on file; give the employer's name too."),
    "cvr_not_employer": gettext_lazy("this CVR number belongs to an organisation that is not an employer."),
    "hours_format": gettext_lazy("not a number."),
    "hours_range": gettext_lazy("must be more than 0 and at most %(max)s hours, with at most one decimal."),
    "email_invalid": gettext_lazy("not an e-mail address."),
    "duplicate": gettext_lazy("the same person and first sick day as row %(row)s; one of them must go."),
}
FILE_MESSAGES = {
    "missing_column": gettext_lazy("The column “%(column)s” is missing."),
    "column_twice": gettext_lazy("The column “%(column)s” appears twice."),
    "no_rows": gettext_lazy("The file has no rows."),
    "encoding": gettext_lazy("The file could not be read. Save it as CSV (UTF-8) and try again."),
    "empty": gettext_lazy("The file is empty."),
    "format": gettext_lazy(
        "The file is not a valid CSV file (a quotation mark without its partner, perhaps). Save it again as CSV and try again."
    ),
}


@dataclass(frozen=True)
class RowError:
    row: int  # 0 for the file as a whole
    column: str  # the column's key ("cpr", ...) or ""
    code: str
    message: str  # in the active language, never with a CPR number


@dataclass
class ImportResult:
    rows: list[imports.Row]
    errors: list[RowError]
    created: int = 0  # cases opened (or, in a dry run, that would be)
    skipped: int = 0  # rows whose case is already on file
    employers_created: int = 0  # employers made from a CVR and a name (or, in a dry run, that would be)
    dry_run: bool = True
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def errors_by_row(self) -> dict[int, list[RowError]]:
        out: dict[int, list[RowError]] = {}
        for error in self.errors:
            out.setdefault(error.row, []).append(error)
        return out


def _word(row: int, error: imports.Error) -> RowError:
    params = dict(error.params)
    if row == 0:
        label = str(COLUMN_LABELS.get(error.column, imports.HEADERS.get(error.column, error.column)))
        header = imports.HEADERS.get(error.column, "")
        column = f"{header} ({label})" if header and header != label else label
        message = str(FILE_MESSAGES.get(error.code, error.code)) % {**params, "column": column}
        return RowError(0, error.column, error.code, message)
    problem = str(MESSAGES.get(error.code, error.code)) % params
    if error.column:
        message = _("Row %(row)s, %(column)s: %(problem)s") % {
            "row": row,
            "column": COLUMN_LABELS.get(error.column, error.column),
            "problem": problem,
        }
    else:
        message = _("Row %(row)s: %(problem)s") % {"row": row, "problem": problem}
    return RowError(row, error.column, error.code, message)


def file_error(code: str) -> RowError:
    """A worded error about the file as a whole (read_csv's ValueError codes)."""
    return _word(0, imports.Error(code))


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _employers(cvrs: set[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for chunk in _chunks(sorted(cvrs)):
        found.update((o.cvr, o) for o in Organisation.objects.filter(cvr__in=chunk))
    return found


def _existing_keys(organisation: Organisation, days: set[dt.date]) -> set[tuple[str, dt.date]]:
    keys: set[tuple[str, dt.date]] = set()
    for chunk in _chunks(sorted(days), 1000):
        keys.update(
            Case.objects.filter(organisation=organisation, first_sick_day__in=chunk)
            .exclude(person__cpr="")
            .values_list("person__cpr", "first_sick_day")
        )
    return keys


def import_rows(*, actor, organisation: Organisation, rows: Iterable[dict], dry_run: bool) -> ImportResult:
    """Check `rows` (dicts keyed by the CSV header) and, unless `dry_run`, open a case for each new row:
    all of them in one transaction, or none if any row has an error. The caller has checked that `actor`
    may open cases in `organisation`."""
    today = timezone.localdate()
    checked = imports.check(rows, today)
    errors = [_word(0, e) for e in checked.file_errors]
    if not checked.ok and checked.file_errors:
        return ImportResult(rows=checked.rows, errors=errors, dry_run=dry_run, unknown_columns=checked.unknown_columns)

    employers = _employers({row.values["employer_cvr"] for row in checked.rows if row.values.get("employer_cvr")})
    for row in checked.rows:
        if row.values.get("employer_cvr") in employers:  # on file, though its check digit does not fit
            row.errors = [e for e in row.errors if e.code != "cvr_invalid"]
    good = [row for row in checked.rows if not row.errors]
    new_employers: dict[str, str] = {}  # CVR -> name, for employers made by this import
    for row in good:
        cvr = row.values.get("employer_cvr")
        if not cvr:
            continue
        employer = employers.get(cvr)
        if employer is None and cvr not in new_employers:
            if row.values.get("employer_name"):
                new_employers[cvr] = row.values["employer_name"]
            else:
                row.errors.append(imports.Error("cvr_unknown", "employer_cvr"))
        elif employer is not None and employer.kind != OrganisationKind.EMPLOYER:
            row.errors.append(imports.Error("cvr_not_employer", "employer_cvr"))
    for row in checked.rows:
        errors.extend(_word(row.number, e) for e in row.errors)

    with transaction.atomic():
        if not dry_run and not errors:
            # A write first: on PostgreSQL it locks the organisation's row, so a second import of the same file
            # waits here and then finds the first's cases; on SQLite it takes the write lock that the ids
            # allocated below rely on.
            Organisation.objects.filter(pk=organisation.pk).update(version=F("version"))
        existing = _existing_keys(organisation, {row.first_sick_day for row in checked.rows if row.first_sick_day})
        new = [row for row in checked.rows if not row.errors and row.key not in existing]
        result = ImportResult(
            rows=checked.rows,
            errors=errors,
            created=len(new),
            skipped=sum(1 for row in checked.rows if not row.errors and row.key in existing),
            employers_created=len(new_employers),
            dry_run=dry_run,
            unknown_columns=checked.unknown_columns,
        )
        if dry_run or errors:
            result.created = len(new) if dry_run else 0
            result.employers_created = len(new_employers) if dry_run else 0
            return result
        if new_employers:
            made = Organisation.objects.bulk_create(
                [
                    Organisation(kind=OrganisationKind.EMPLOYER, name=name, cvr=cvr)
                    for cvr, name in new_employers.items()
                ]
            )
            employers.update((o.cvr, o) for o in made)
        # The uploader coordinates the new cases if they may (an API client's service account may not).
        may_coordinate = Membership.objects.filter(
            user=actor, organisation=organisation, role__in=STAFF_WRITE_ROLES
        ).exists()
        coordinator = actor if may_coordinate else None
        case_ids = _create(new, organisation=organisation, user=actor, coordinator=coordinator, employers=employers)
        if len(case_ids) <= INLINE_CALENDARS:
            compute_calendars(case_ids)  # in the import's transaction: all or nothing, calendars included
        else:
            # A large import leaves its calendars to the task worker, once the cases are committed.
            from fasthold.cases.tasks import compute_calendars_later

            transaction.on_commit(lambda: compute_calendars_later(case_ids))
        audit_record(
            actor=actor,
            action=AuditAction.CASES_IMPORTED,
            organisation=organisation,
            fields=[f"rows_{len(checked.rows)}", f"created_{len(new)}", f"skipped_{result.skipped}"],
        )
    return result


def _insert(model, rows: list[dict], **constant) -> None:
    """INSERT the rows (dicts by attname) through kernel.insert_rows (multi-row INSERTs, COPY on
    PostgreSQL): bulk_create's per-value compiling costs more than the database's work at 100,000 rows.
    Fields not in the rows take `constant` (a model instance stands for its key) or their default."""
    if not rows:
        return
    fields = [*rows[0], *(model._meta.get_field(name).attname for name in constant)]
    fixed = tuple(value.pk if isinstance(value, Model) else value for value in constant.values())
    insert_rows(model, fields, (tuple(row.values()) + fixed for row in rows))


def _create(
    rows: list[imports.Row], *, organisation: Organisation, user, coordinator, employers: dict[str, Organisation]
) -> list:
    """Open the cases of `rows`: person, employment, case, health part, the employee as participant, the
    timeline's "case opened" and an audit row each, as case_open does one at a time. Returns the case ids."""
    count = len(rows)
    person_ids = reserve_ids(Person, count)
    _insert(
        Person,
        [
            {
                "id": pk,
                "name": row.values["name"],
                "search_name": row.values["name"].casefold(),
                "cpr": row.cpr,
                "phone": row.values.get("phone", ""),
                "email": row.values.get("email", ""),
            }
            for pk, row in zip(person_ids, rows)
        ],
    )
    employment_ids = reserve_ids(Employment, count)
    _insert(
        Employment,
        [
            {
                "id": pk,
                "person_id": person_id,
                "employer_id": employers[cvr].pk if (cvr := row.values.get("employer_cvr")) else None,
                "job_title": row.values.get("job_title", ""),
                "weekly_hours": row.weekly_hours,
            }
            for pk, person_id, row in zip(employment_ids, person_ids, rows)
        ],
    )
    case_ids = reserve_ids(Case, count)
    _insert(
        Case,
        [
            {
                "id": pk,
                "person_id": person_id,
                "employment_id": employment_id,
                "sort_name": names.sort_key(row.values["name"]),
                "first_sick_day": row.first_sick_day,
            }
            for pk, person_id, employment_id, row in zip(case_ids, person_ids, employment_ids, rows)
        ],
        organisation=organisation,
        coordinator=coordinator,
        # Not in the jobcentre's list: "other" until the coordinator learns the cause.
        cause_category=CauseCategory.OTHER,
        referral_source=ReferralSource.JOBCENTRE,
    )
    _insert(HealthRecord, [{"case_id": pk} for pk in case_ids])
    _insert(
        Participant,
        [{"case_id": pk, "name": row.values["name"]} for pk, row in zip(case_ids, rows)],
        role=ParticipantRole.EMPLOYEE,
    )
    now = timezone.now()
    _insert(
        TimelineEvent, [{"case_id": pk} for pk in case_ids], kind=EventKind.CASE_OPENED, actor=user, occurred_at=now
    )
    _insert(
        AuditEntry,
        [{"case_id": pk} for pk in case_ids],
        actor=user,
        action=AuditAction.CASE_CREATED,
        organisation=organisation,
        occurred_at=now,
    )
    return case_ids


def compute_calendars(case_ids: list[int]) -> None:
    """The case calendars of the given cases, in bulk (cases.hooks: deadlines computes them)."""
    for chunk in _chunks(list(case_ids), BATCH):
        hooks.dates_changed_many(list(Case.objects.filter(pk__in=chunk).select_related("employment")))
