"""Recording outcomes and importing register weeks. Each change writes its audit row in the same
transaction; a register file is imported whole or not at all."""

import csv
import datetime as dt
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases import hooks
from fasthold.cases.models import Case
from fasthold.evaluation import dataset, outcomes
from fasthold.evaluation.models import BenefitWeek, CaseReturn, FollowUp, FollowUpStatus, RegisterImport
from fasthold.kernel import ConflictError, update_versioned

MAX_ROWS = 2_000_000
MAX_ERRORS_SHOWN = 50
HEADER = ("case", "week", "status")


@transaction.atomic
def return_record(*, actor, case: Case, expected_version: int | None, data: dict[str, Any]) -> CaseReturn:
    """Record the return dates; ConflictError if someone saved first."""
    record = CaseReturn.objects.filter(case=case).first()
    values = {**data, "recorded_by": actor}
    if record is None:
        if expected_version not in (None, 0):
            raise ConflictError
        try:
            with transaction.atomic():
                record = CaseReturn.objects.create(case=case, **values)
        except IntegrityError:  # saved by someone else in between
            raise ConflictError from None
    else:
        update_versioned(CaseReturn, record, expected_version or 0, values)
    audit_record(actor=actor, action=AuditAction.OUTCOME_RECORDED, case=case, fields=sorted(data))
    return record


@transaction.atomic
def follow_up_record(*, actor, case: Case, months: int, expected_version: int | None, data: dict[str, Any]) -> FollowUp:
    """Record a follow-up's answer; the calendar's check for it goes."""
    follow_up = FollowUp.objects.filter(case=case, months=months).first()
    values = {**data, "recorded_by": actor, "recorded_at": timezone.now()}
    if follow_up is None:
        if expected_version not in (None, 0):
            raise ConflictError
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.create(case=case, months=months, **values)
        except IntegrityError:
            raise ConflictError from None
    else:
        update_versioned(FollowUp, follow_up, expected_version or 0, values)
    follow_ups_summarise([case.pk])
    audit_record(actor=actor, action=AuditAction.OUTCOME_RECORDED, case=case, fields=["follow_up"])
    hooks.dates_changed(case)
    return follow_up


def follow_ups_summarise(case_ids: list[int]) -> None:
    """Keep each case's first reported new absence and last follow-up day on its return record."""
    first, last = {}, {}
    for case_id, status, absence_from, recorded_at in FollowUp.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "status", "absence_from", "recorded_at"
    ):
        day = timezone.localdate(recorded_at)
        last[case_id] = max(last.get(case_id, day), day)
        if status == FollowUpStatus.NEW_ABSENCE:
            start = absence_from or day
            first[case_id] = min(first.get(case_id, start), start)
    for case_id in case_ids:
        values = {"first_absence_on": first.get(case_id), "last_follow_up_on": last.get(case_id)}
        if not CaseReturn.objects.filter(case_id=case_id).update(**values):
            CaseReturn.objects.create(case_id=case_id, **values)


# --- register import ----------------------------------------------------------------------------------


@dataclass
class Parsed:
    """A register file read and checked: the weeks per case, or the errors (line number, message)."""

    weeks: dict[int, dict[dt.date, str]] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


def _week(value: str) -> dt.date | None:
    """ISO week as 2026-W05 (or 2026W05); None if it is not one."""
    text = value.strip().upper().replace("W", "-W", 1).replace("--W", "-W")
    try:
        year, week = text.split("-W")
        return outcomes.iso_monday(int(year), int(week))
    except ValueError:
        return None


def register_parse(text: str, organisation) -> Parsed:
    """Read a CSV of case reference (the case's id in Fasthold), ISO week and status. Every row is
    checked; the case must be one of the organisation's. Nothing is written."""
    parsed = Parsed()
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header[:3]) != HEADER:
        parsed.errors.append((1, _("The first line must be the column names: case,week,status.")))
        return parsed
    raw: list[tuple[int, str, dt.date, str]] = []
    references: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        parsed.rows += 1
        if parsed.rows > MAX_ROWS:
            parsed.errors.append((line, _("The file has more than %(n)d rows. Split it.") % {"n": MAX_ROWS}))
            break
        if len(row) != 3:
            parsed.errors.append((line, _("Three columns are needed: case, week and status.")))
            continue
        reference, week_text, status = (c.strip() for c in row)
        monday = _week(week_text)
        if monday is None:
            parsed.errors.append(
                (line, _("“%(week)s” is not an ISO week such as 2026-W05.") % {"week": week_text[:20]})
            )
            continue
        if status.lower() not in outcomes.STATUSES:
            parsed.errors.append(
                (
                    line,
                    _("Unknown status “%(status)s”; use one of: %(list)s.")
                    % {"status": status[:20], "list": ", ".join(outcomes.STATUSES)},
                )
            )
            continue
        raw.append((line, reference.lower(), monday, status.lower()))
        references.add(reference.lower())
    known = _cases_by_reference(references, organisation)
    seen: dict[tuple[int, dt.date], tuple[int, str]] = {}
    for line, reference, monday, status in raw:
        case_id = known.get(reference)
        if case_id is None:
            parsed.errors.append(
                (line, _("No case of your organisation has the reference “%(ref)s”.") % {"ref": reference[:40]})
            )
            continue
        previous = seen.get((case_id, monday))
        if previous is not None and previous[1] != status:
            parsed.errors.append(
                (line, _("The same case and week appear on line %(line)d with another status.") % {"line": previous[0]})
            )
            continue
        seen[(case_id, monday)] = (line, status)
        parsed.weeks.setdefault(case_id, {})[monday] = status
    parsed.errors.sort()
    return parsed


def _cases_by_reference(references: set[str], organisation) -> dict[str, int]:
    valid = []
    for reference in references:
        try:
            valid.append(str(uuid.UUID(reference)))
        except ValueError:
            continue
    found: dict[str, int] = {}
    for start in range(0, len(valid), 5000):
        chunk = valid[start : start + 5000]
        for public_id, pk in Case.objects.filter(organisation=organisation, public_id__in=chunk).values_list(
            "public_id", "pk"
        ):
            found[str(public_id)] = pk
    return found


@dataclass(frozen=True)
class ImportResult:
    rows: int
    cases: int
    created: int
    changed: int


@transaction.atomic
def register_import(*, actor, organisation, parsed: Parsed) -> ImportResult:
    """Write the weeks of a checked file (all or nothing) and recompute each case's register outcome.
    Importing the same file again changes nothing."""
    if not parsed.ok:
        raise ValueError("only a file without errors is imported")
    case_ids = list(parsed.weeks)
    existing: dict[tuple[int, dt.date], tuple[int, str]] = {}
    for start in range(0, len(case_ids), 2000):
        for pk, case_id, monday, status in BenefitWeek.objects.filter(
            case_id__in=case_ids[start : start + 2000]
        ).values_list("pk", "case_id", "monday", "status"):
            existing[(case_id, monday)] = (pk, status)
    new, changed = [], defaultdict(list)
    for case_id, weeks in parsed.weeks.items():
        for monday, status in weeks.items():
            known = existing.get((case_id, monday))
            if known is None:
                new.append(BenefitWeek(case_id=case_id, monday=monday, status=status))
            elif known[1] != status:
                changed[status].append(known[0])
    BenefitWeek.objects.bulk_create(new, batch_size=5000)
    for status, pks in changed.items():
        for start in range(0, len(pks), 5000):
            BenefitWeek.objects.filter(pk__in=pks[start : start + 5000]).update(status=status)
    register_outcomes_refresh(case_ids)
    n_changed = sum(len(p) for p in changed.values())
    RegisterImport.objects.create(
        organisation=organisation,
        imported_by=actor,
        rows=parsed.rows,
        cases=len(case_ids),
        created=len(new),
        changed=n_changed,
    )
    audit_record(actor=actor, action=AuditAction.REGISTER_IMPORTED, organisation=organisation, fields=["benefit_weeks"])
    return ImportResult(parsed.rows, len(case_ids), len(new), n_changed)


def register_outcomes_refresh(case_ids: list[int]) -> None:
    """Recompute the sustained return, recurrence and last covered week from each case's weeks."""
    weeks: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for start in range(0, len(case_ids), 2000):
        for case_id, monday, status in BenefitWeek.objects.filter(
            case_id__in=case_ids[start : start + 2000]
        ).values_list("case_id", "monday", "status"):
            weeks[case_id].append((monday, status))
    records = {r.case_id: r for r in CaseReturn.objects.filter(case_id__in=case_ids)}
    create, update = [], []
    for case_id in case_ids:
        case_weeks = weeks.get(case_id, [])
        returned = outcomes.sustained_return(case_weeks)
        values = {
            "register_return_on": returned,
            "register_recurrence_on": outcomes.recurrence(case_weeks, returned) if returned else None,
            "register_until": max(m for m, _ in case_weeks) + dt.timedelta(days=6) if case_weeks else None,
        }
        record = records.get(case_id)
        if record is None:
            create.append(CaseReturn(case_id=case_id, **values))
        else:
            for name, value in values.items():
                setattr(record, name, value)
            update.append(record)
    CaseReturn.objects.bulk_create(create, batch_size=5000)
    CaseReturn.objects.bulk_update(
        update, ["register_return_on", "register_recurrence_on", "register_until"], batch_size=5000
    )


def dataset_export(*, actor, program, per_protocol: bool = False) -> tuple[str, int]:
    """The pseudonymised analysis file of a program as CSV text, and how many people small groups left
    out. Audited (the export, not its contents)."""
    rows = dataset.program_rows(program, per_protocol=per_protocol)
    out, left_out = dataset.export_rows(rows, settings.SECRET_KEY)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _meaning in dataset.CODEBOOK])
    writer.writerows(out)
    audit_record(
        actor=actor, action=AuditAction.EVALUATION_EXPORTED, organisation=program.organisation, fields=["dataset"]
    )
    return buffer.getvalue(), left_out
