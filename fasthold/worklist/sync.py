"""Find what has become due with time and close what has gone away. Run by the worker every few
minutes (apps.py registers it) and by `fasthold worklist_sync`; safe to run twice at once (the unique
constraint and ON CONFLICT DO NOTHING keep one row per cause).

Each source is a queryset of causes that are due today, with its case, an occurred date and a detail.
New causes become rows; unhandled rows whose cause is no longer in the queryset are resolved.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Left, TruncDate
from django.utils import timezone

from fasthold.cases.choices import CaseStatus
from fasthold.cases.models import Case
from fasthold.deadlines.selectors import open_deadlines
from fasthold.kernel import insert_rows
from fasthold.meetings.models import Meeting, MeetingAttendee, MeetingConfirmation, MeetingStatus
from fasthold.plans.models import Measurement, PlanVersion, VersionStatus
from fasthold.sharing.models import Consent
from fasthold.worklist.models import Kind, WorkItem

CONTACT_KEY = "contact_due"  # the calendar's deadline for the next contact under the agreement
BATCH = 5000
WITHDRAWALS_LOOK_BACK = dt.timedelta(days=2)
DETAIL = WorkItem._meta.get_field("detail")
# Each cause carries its case's coordinator and organisation, copied onto the row.
CASE_COPIES = {"for_coordinator": F("case__coordinator_id"), "for_organisation": F("case__organisation_id")}


@dataclass(frozen=True)
class Source:
    kind: str
    causes: QuerySet  # values: source_id, case_id, occurred_on, detail
    # A row whose cause left the queryset is resolved; not for things that happened (a withdrawal
    # stays something to look at until someone has).
    resolves: bool = True


def sources(today: dt.date) -> list[Source]:
    overdue = open_deadlines().filter(due__lt=today)
    # The calendar moves a deadline's date in place (the next contact, the next evaluation keep the row's
    # id), so the date is part of the key: a met deadline's row resolves, and the next miss is a new row.
    deadline_values = {
        "source_id": F("pk"),
        "occurred_on": F("due"),
        "detail": Cast("due", output_field=DETAIL),
        **CASE_COPIES,
    }
    unconfirmed = MeetingAttendee.objects.filter(meeting=OuterRef("pk"), user__isnull=False).exclude(
        Exists(
            MeetingConfirmation.objects.filter(
                meeting=OuterRef("meeting"), user=OuterRef("user"), agreements_hash=OuterRef("meeting__agreements_hash")
            )
        )
    )
    return [
        Source(Kind.OVERDUE_DEADLINE, overdue.exclude(key=CONTACT_KEY).values("case_id", **deadline_values)),
        Source(Kind.NO_CONTACT, overdue.filter(key=CONTACT_KEY).values("case_id", **deadline_values)),
        Source(
            Kind.PLAN_EVALUATION,
            PlanVersion.objects.filter(status=VersionStatus.CURRENT, evaluation_date__lt=today)
            .exclude(plan__case__status=CaseStatus.CLOSED)
            .values(
                source_id=F("pk"),
                case_id=F("plan__case_id"),
                for_coordinator=F("plan__case__coordinator_id"),
                for_organisation=F("plan__case__organisation_id"),
                occurred_on=F("evaluation_date"),
                detail=Cast("evaluation_date", output_field=DETAIL),
            ),
        ),
        Source(
            Kind.UNCONFIRMED,
            Meeting.objects.filter(status=MeetingStatus.HELD)
            .exclude(agreements_hash="")
            .exclude(case__status=CaseStatus.CLOSED)
            .filter(Exists(unconfirmed))
            .values(
                "case_id",
                source_id=F("pk"),
                occurred_on=TruncDate("starts_at"),
                **CASE_COPIES,
                # A changed set of agreements asks for confirmation again: a new row.
                detail=Left("agreements_hash", 20),
            ),
        ),
        # A withdrawal is an update, not a save (sharing.services.consent_withdraw): found here.
        Source(
            Kind.CONSENT_CHANGE,
            Consent.objects.filter(withdrawn_at__gte=timezone.now() - WITHDRAWALS_LOOK_BACK)
            .exclude(case__status=CaseStatus.CLOSED)
            .values(
                "case_id",
                source_id=F("pk"),
                occurred_on=TruncDate("withdrawn_at"),
                detail=Value("withdrawn"),
                **CASE_COPIES,
            ),
            resolves=False,
        ),
    ]


def sync(today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """Add a row for each new cause, resolve the unhandled rows whose cause is gone. Returns
    {kind: (added, resolved)}."""
    today = today or timezone.localdate()
    now = timezone.now()
    result = {}
    for source in sources(today):
        known = WorkItem.objects.filter(kind=source.kind, source_id=OuterRef("source_id"), detail=OuterRef("detail"))
        new = source.causes.annotate(known=Exists(known)).filter(known=False)
        # Plain tuples (kernel.insert_rows): the first sync of a large installation adds a million rows.
        # ON CONFLICT DO NOTHING: a worker running at the same time may have added the same cause.
        added = insert_rows(
            WorkItem,
            ["case_id", "coordinator_id", "organisation_id", "kind", "source_id", "detail", "occurred_on"],
            (
                (
                    row["case_id"],
                    row["for_coordinator"],
                    row["for_organisation"],
                    source.kind,
                    row["source_id"],
                    row["detail"] or "",
                    row["occurred_on"],
                )
                for row in new.iterator(chunk_size=BATCH)
            ),
            on_conflict="ON CONFLICT DO NOTHING",
        )
        resolved = 0
        if source.resolves:
            still_due = source.causes.filter(pk=OuterRef("source_id"), detail=OuterRef("detail"))
            resolved = (
                WorkItem.objects.unhandled().filter(kind=source.kind).exclude(Exists(still_due)).update(resolved_at=now)
            )
        previous = result.get(source.kind, (0, 0))
        result[source.kind] = (previous[0] + added, previous[1] + resolved)
    # A score marked as entered in error no longer asks for anyone's attention.
    wrong = Measurement.objects.filter(pk=OuterRef("source_id"), error_at__isnull=False)
    result["in_error"] = (
        0,
        WorkItem.objects.unhandled().filter(kind=Kind.NEW_MEASUREMENT).filter(Exists(wrong)).update(resolved_at=now),
    )
    result["followed"] = (0, follow_cases())
    # Event rows (scores, questionnaires, consents) of a closed case need no one any more.
    closed = WorkItem.objects.unhandled().filter(case__status=CaseStatus.CLOSED).update(resolved_at=now)
    result["closed_cases"] = (0, closed)
    return result


def follow_cases(case_ids=None) -> int:
    """Copy the case's coordinator onto its unhandled rows where they differ (a case edited to another
    coordinator; the reassignment hook does it at once). Returns the rows changed."""
    rows = WorkItem.objects.unhandled()
    if case_ids is not None:
        rows = rows.filter(case__in=case_ids)
    coordinator = Case.objects.filter(pk=OuterRef("case_id")).values("coordinator_id")[:1]
    stale = rows.exclude(Exists(Case.objects.filter(pk=OuterRef("case_id"), coordinator_id=OuterRef("coordinator_id"))))
    return stale.update(coordinator_id=Subquery(coordinator))
