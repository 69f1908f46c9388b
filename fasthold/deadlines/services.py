"""The case calendar: computing, storing and completing deadlines, and recording events."""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access
from fasthold.cases.choices import AbsenceExtent, CaseStatus, CauseCategory, EmploymentStatus, WorkInjury
from fasthold.cases.models import Case, EventKind
from fasthold.cases.timeline import timeline_record
from fasthold.deadlines import engine, registry
from fasthold.deadlines.models import DEFAULT_JURISDICTION, LOCAL_PACK, CalendarSettings, CaseEvent, Deadline
from fasthold.deadlines.selectors import employer_hidden_keys
from fasthold.kernel import insert_rows, update_versioned
from fasthold.organisations.models import Organisation


class CalendarError(ValueError):
    """A calendar change that cannot be made; the message is for the user."""


def case_facts(case: Case) -> engine.CaseFacts:
    employment = case.employment
    partial = case.absence_extent == AbsenceExtent.PARTIAL and case.absence_hours_per_week
    return engine.CaseFacts(
        employed=(employment.status == EmploymentStatus.EMPLOYED) if employment else None,
        expected_weeks=case.expected_weeks,
        benefit_category=int(case.benefit_category) if case.benefit_category else None,
        work_injury=case.work_injury != WorkInjury.NONE,
        cause_group=CauseCategory.group_of(case.cause_category),
        employer_pays=case.employer_pays or None,
        absence_hours_per_week=float(case.absence_hours_per_week) if partial else None,
        earlier_absences=case.earlier_absence_periods(),
    )


def compute_case(
    case: Case, events: dict[str, dt.date], good_practice: bool = True, jurisdiction: str = DEFAULT_JURISDICTION
) -> list[engine.Milestone]:
    """The case's milestones; none for a first sick day before any pack (older than 2014)."""
    relapse, back = events.get("relapse"), events.get("full_return")
    if relapse is not None and (back is None or relapse <= back):
        # A relapse left without its return (the return removed since): counted as if not recorded,
        # rather than losing the whole calendar. The event form refuses to record one like that.
        events = {k: v for k, v in events.items() if k != "relapse"}
    try:
        return engine.compute_for(
            jurisdiction, case.first_sick_day, case_facts(case), events, include_optional=good_practice
        )
    except engine.RuleError:
        return []


def _org_settings(organisation_ids: Iterable[int]) -> dict[int, tuple[str, bool]]:
    """Per organisation: (the country of its rules, whether good practice is on); defaults without a row."""
    found = {
        org_id: (jurisdiction, good_practice)
        for org_id, jurisdiction, good_practice in CalendarSettings.objects.filter(
            organisation__in=organisation_ids
        ).values_list("organisation_id", "jurisdiction", "good_practice")
    }
    return {org_id: found.get(org_id, (DEFAULT_JURISDICTION, True)) for org_id in organisation_ids}


# The stored columns of a computed deadline, in the order of the tuples below; done_on and done_by are
# not among them, so a rebuild keeps them (a new row starts with neither).
_COLUMNS = (
    "case_id",
    "coordinator_id",
    "organisation_id",
    "case_open",
    "key",
    "pack_id",
    "pack_version",
    "responsible",
    "due",
    "flag_from",
    "applicable",
    "reason_da",
    "reason_en",
)
_CASE, _KEY, _PACK, _DUE = (_COLUMNS.index(c) for c in ("case_id", "key", "pack_id", "due"))  # in a row tuple


def _rows(case: Case, milestones: list[engine.Milestone]) -> list[tuple]:
    case_open = case.status != CaseStatus.CLOSED
    return [
        (
            case.pk,
            case.coordinator_id,
            case.organisation_id,
            case_open,
            m.key,
            m.pack_id,
            m.pack_version,
            m.responsible,
            m.due,
            m.flag_from,
            m.applicable,
            (m.reason_da or "")[:300],
            (m.reason or "")[:300],
        )
        for m in milestones
    ]


def _upsert(rows: list[tuple]) -> None:
    """Insert the rows, or update the computed columns of the case's row with the same key; a row
    whose computed columns are as stored is not written again, so a recompute after a rule change
    touches the rows it moves and not the millions it does not. One statement per 500 rows, rather
    than bulk_create(update_conflicts=True), which spent four fifths of a recompute building model
    instances and compiling values (see kernel.insert_rows)."""
    quote = connection.ops.quote_name
    table = quote(Deadline._meta.db_table)
    computed = [quote(c) for c in _COLUMNS if c not in ("case_id", "key")]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # NULL-safe, both
    insert_rows(
        Deadline,
        list(_COLUMNS),
        rows,
        on_conflict=(
            f"ON CONFLICT ({quote('case_id')}, {quote('key')}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in computed)
            + f" WHERE ({', '.join(f'{table}.{c}' for c in computed)}) {differs} "
            + f"({', '.join(f'excluded.{c}' for c in computed)})"
        ),
    )


def calendar_refresh_many(cases: list[Case]) -> int:
    """Recompute and store the calendars of `cases` (with employment loaded). Keeps done marks.

    Bulk: a fixed number of queries per call, however many cases. Returns the number of deadlines
    written. Besides the rule packs, the dates of the registered sources are deadlines.
    """
    if not cases:
        return 0
    case_ids = [c.pk for c in cases]
    events: dict[int, dict[str, dt.date]] = {}
    for case_id, key, day in CaseEvent.objects.filter(case__in=case_ids).values_list("case_id", "key", "occurred_on"):
        events.setdefault(case_id, {})[key] = day
    org_settings = _org_settings({c.organisation_id for c in cases})
    # The case's own dates (the plan's evaluation, the next contact, the next meeting) come from the apps
    # that registered a source; each costs a fixed number of queries.
    own: dict[int, list[tuple[str, dt.date, str]]] = {}
    for _name, provider in registry.sources():
        for case_id, items in provider(case_ids).items():
            own.setdefault(case_id, []).extend(items)
    rows: list[tuple] = []
    for case in cases:
        jurisdiction, good_practice = org_settings[case.organisation_id]
        milestones = compute_case(case, events.get(case.pk, {}), good_practice, jurisdiction)
        rows.extend(_rows(case, milestones))
        for key, due, responsible in own.get(case.pk, ()):
            case_open = case.status != CaseStatus.CLOSED or registry.local_rule(key).after_closure
            rows.append(
                (case.pk, case.coordinator_id, case.organisation_id, case_open, key, LOCAL_PACK, "")
                + (responsible, due, None, True, "", "")
            )
    with transaction.atomic():
        # The case's own deadlines roll forward (the next contact, the next meeting, the plan's next
        # evaluation): a done mark belongs to the date it was set on and goes when the date moves.
        # The rule packs' deadlines keep theirs (a corrected first sick day does not undo the work).
        local_due = {(r[_CASE], r[_KEY]): r[_DUE] for r in rows if r[_PACK] == LOCAL_PACK}
        moved = [
            pk
            for pk, case_id, key, due in Deadline.objects.filter(
                case__in=case_ids, pack_id=LOCAL_PACK, done_on__isnull=False
            ).values_list("pk", "case_id", "key", "due")
            if local_due.get((case_id, key), due) != due
        ]
        if moved:
            Deadline.objects.filter(pk__in=moved).update(done_on=None, done_by=None)
        _upsert(rows)
        # Rules that no longer apply to the case (a new pack after a change of first sick day).
        keys = {(r[_CASE], r[_KEY]) for r in rows}
        stale = [
            pk
            for pk, case_id, key in Deadline.objects.filter(case__in=case_ids).values_list("pk", "case_id", "key")
            if (case_id, key) not in keys
        ]
        if stale:
            Deadline.objects.filter(pk__in=stale).delete()
    return len(rows)


def calendar_refresh(case: Case) -> None:
    calendar_refresh_many([case])


@transaction.atomic
def event_record(*, actor, case: Case, key: str, occurred_on: dt.date) -> CaseEvent:
    if occurred_on < case.first_sick_day:
        raise CalendarError("before_first_sick_day")
    event, _ = CaseEvent.objects.update_or_create(
        case=case, key=key, defaults={"occurred_on": occurred_on, "recorded_by": actor}
    )
    timeline_record(case=case, kind=EventKind.NOTE, actor=actor, calendar_event=key, date=occurred_on.isoformat())
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=[f"event:{key}"])
    calendar_refresh(case)
    return event


@transaction.atomic
def event_remove(*, actor, case: Case, key: str) -> None:
    deleted, _ = CaseEvent.objects.filter(case=case, key=key).delete()
    if deleted:
        audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=[f"event:{key}"])
        calendar_refresh(case)


def _require_visible(actor, case: Case, deadline: Deadline) -> None:
    """The deadline exists for this actor, or Deadline.DoesNotExist: one answer for "hidden from you" and
    "no such deadline", so a hidden duty cannot be ticked (and its existence is not confirmed) by any caller."""
    access = case_access(actor, case)
    if deadline.case_id != case.pk or not access.can_view:
        raise Deadline.DoesNotExist
    if not access.can_view_health and deadline.key in employer_hidden_keys():
        raise Deadline.DoesNotExist


@transaction.atomic
def deadline_complete(*, actor, case: Case, deadline: Deadline, done_on: dt.date) -> None:
    """Mark a deadline done. Raises Deadline.DoesNotExist for a deadline the actor may not see."""
    _require_visible(actor, case, deadline)
    if done_on < case.first_sick_day:
        raise CalendarError("before_first_sick_day")
    updated = Deadline.objects.filter(pk=deadline.pk, done_on__isnull=True).update(done_on=done_on, done_by=actor)
    if not updated:
        raise CalendarError("already_done")
    timeline_record(
        case=case,
        kind=EventKind.NOTE,
        actor=actor,
        deadline_done=deadline.key,
        pack=deadline.pack_id,
        date=done_on.isoformat(),
    )
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=[f"deadline:{deadline.key}"])


@transaction.atomic
def deadline_reopen(*, actor, case: Case, deadline: Deadline) -> None:
    _require_visible(actor, case, deadline)
    Deadline.objects.filter(pk=deadline.pk).update(done_on=None, done_by=None)
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=[f"deadline:{deadline.key}"])


@transaction.atomic
def calendar_settings_update(
    *, actor, organisation: Organisation, expected_version: int, jurisdiction: str, good_practice: bool
) -> list[str]:
    """The organisation's choice of rules, from `expected_version` (ConflictError if someone saved first);
    its audit row, and every case calendar of the organisation recomputed. Returns the changed fields."""
    if jurisdiction not in engine.jurisdictions():
        raise CalendarError("unknown_jurisdiction")
    settings_obj, _created = CalendarSettings.objects.get_or_create(organisation=organisation)
    data = {"jurisdiction": jurisdiction, "good_practice": good_practice}
    changed = sorted(k for k, v in data.items() if getattr(settings_obj, k) != v)
    update_versioned(CalendarSettings, settings_obj, expected_version, data)
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.ORGANISATION_UPDATED,
            organisation=organisation,
            fields=[f"calendar:{name}" for name in changed],
        )
        calendar_refresh_many(list(Case.objects.filter(organisation=organisation).select_related("employment")))
    return changed
