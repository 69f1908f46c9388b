"""The case calendar: computing, storing and completing deadlines, and recording events."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access
from fasthold.cases.choices import CaseStatus, CauseCategory, EmploymentStatus, WorkInjury
from fasthold.cases.models import Case, EventKind
from fasthold.cases.timeline import timeline_record
from fasthold.deadlines import engine, registry
from fasthold.deadlines.models import LOCAL_PACK, CalendarSettings, CaseEvent, Deadline
from fasthold.deadlines.selectors import employer_hidden_keys

JURISDICTION = "dk"


class CalendarError(ValueError):
    """A calendar change that cannot be made; the message is for the user."""


def case_facts(case: Case) -> engine.CaseFacts:
    employment = case.employment
    return engine.CaseFacts(
        employed=(employment.status == EmploymentStatus.EMPLOYED) if employment else None,
        expected_weeks=case.expected_weeks,
        benefit_category=int(case.benefit_category) if case.benefit_category else None,
        work_injury=case.work_injury != WorkInjury.NONE,
        cause_group=CauseCategory.group_of(case.cause_category),
    )


def compute_case(case: Case, events: dict[str, dt.date], good_practice: bool = True) -> list[engine.Milestone]:
    """The case's milestones; none for a first sick day before any pack (older than 2014)."""
    try:
        return engine.compute_for(
            JURISDICTION, case.first_sick_day, case_facts(case), events, include_optional=good_practice
        )
    except engine.RuleError:
        return []


def _good_practice(organisation_ids: Iterable[int]) -> dict[int, bool]:
    off = set(
        CalendarSettings.objects.filter(organisation__in=organisation_ids, good_practice=False).values_list(
            "organisation_id", flat=True
        )
    )
    return {org_id: org_id not in off for org_id in organisation_ids}


def _rows(case: Case, milestones: list[engine.Milestone]) -> list[Deadline]:
    return [
        Deadline(
            case=case,
            coordinator_id=case.coordinator_id,
            organisation_id=case.organisation_id,
            case_open=case.status != CaseStatus.CLOSED,
            key=m.key,
            pack_id=m.pack_id,
            responsible=m.responsible,
            due=m.due,
            flag_from=m.flag_from,
            applicable=m.applicable,
            reason_da=(m.reason_da or "")[:300],
            reason_en=(m.reason or "")[:300],
        )
        for m in milestones
    ]


_UPDATE_FIELDS = [
    "coordinator",
    "organisation",
    "case_open",
    "pack_id",
    "responsible",
    "due",
    "flag_from",
    "applicable",
    "reason_da",
    "reason_en",
]


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
    practice = _good_practice({c.organisation_id for c in cases})
    # The case's own dates (the plan's evaluation, the next contact, the next meeting) come from the apps
    # that registered a source; each costs a fixed number of queries.
    own: dict[int, list[tuple[str, dt.date, str]]] = {}
    for _name, provider in registry.sources():
        for case_id, items in provider(case_ids).items():
            own.setdefault(case_id, []).extend(items)
    rows: list[Deadline] = []
    for case in cases:
        milestones = compute_case(case, events.get(case.pk, {}), practice[case.organisation_id])
        rows.extend(_rows(case, milestones))
        for key, due, responsible in own.get(case.pk, ()):
            rows.append(
                Deadline(
                    case=case,
                    coordinator_id=case.coordinator_id,
                    organisation_id=case.organisation_id,
                    case_open=case.status != CaseStatus.CLOSED or registry.local_rule(key).after_closure,
                    key=key,
                    pack_id=LOCAL_PACK,
                    responsible=responsible,
                    due=due,
                )
            )
    with transaction.atomic():
        # The case's own deadlines roll forward (the next contact, the next meeting, the plan's next
        # evaluation): a done mark belongs to the date it was set on and goes when the date moves.
        # The rule packs' deadlines keep theirs (a corrected first sick day does not undo the work).
        local_due = {(r.case_id, r.key): r.due for r in rows if r.pack_id == LOCAL_PACK}
        moved = [
            pk
            for pk, case_id, key, due in Deadline.objects.filter(
                case__in=case_ids, pack_id=LOCAL_PACK, done_on__isnull=False
            ).values_list("pk", "case_id", "key", "due")
            if local_due.get((case_id, key), due) != due
        ]
        if moved:
            Deadline.objects.filter(pk__in=moved).update(done_on=None, done_by=None)
        Deadline.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["case", "key"], update_fields=_UPDATE_FIELDS, batch_size=2000
        )
        # Rules that no longer apply to the case (a new pack after a change of first sick day).
        keys = {(r.case_id, r.key) for r in rows}
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
