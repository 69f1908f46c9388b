"""What the worklist page reads: a constant number of queries whatever the number of cases."""

from dataclasses import dataclass, field

from django.urls import reverse

from fasthold.deadlines.models import Deadline
from fasthold.organisations.models import STAFF_ROLES, STAFF_WRITE_ROLES, Membership
from fasthold.worklist.models import Kind, WorkItem

LIMIT = 200  # rows on one page
COUNT_CAP = 1000  # the counts per kind stop here ("1000+")

# Where each kind of row is looked at: the part of the case it is about.
TARGETS = {
    Kind.OVERDUE_DEADLINE: "deadlines:case",
    Kind.NO_CONTACT: "coordination:contacts",
    Kind.PLAN_EVALUATION: "plans:plan",
    Kind.UNCONFIRMED: "meetings:list",
    Kind.NEW_MEASUREMENT: "plans:plan",
    Kind.NEW_QUESTIONNAIRE: "screening:questionnaires",
    Kind.CONSENT_CHANGE: "sharing:consents",
    Kind.MEETING_REQUEST: "cases:detail",
    Kind.MESSAGE: "cases:detail",
}


def staff_organisations(user) -> tuple[set[int], set[int]]:
    """The organisations whose worklist the user may read, and those where they may also mark rows
    handled (a reader of the organisation may look, not mark). One query."""
    rows = Membership.objects.filter(user=user, role__in=STAFF_ROLES).values_list("organisation_id", "role")
    readable, editable = set(), set()
    for organisation_id, role in rows:
        readable.add(organisation_id)
        if role in STAFF_WRITE_ROLES:
            editable.add(organisation_id)
    return readable, editable


@dataclass
class CaseRows:
    case: object
    items: list = field(default_factory=list)


@dataclass
class Worklist:
    counts: dict  # kind -> number of unhandled rows, in Kind's order, only kinds present
    total: int
    capped: bool  # some kind has COUNT_CAP or more
    cases: list[CaseRows]
    truncated: bool


def worklist(
    user, orgs: set[int], *, team: bool, kind: str = "", handled: bool = False, language: str = "da"
) -> Worklist:
    """The rows read through the copies of the case's coordinator and organisation on each row (one
    index each), oldest first; the counts per kind stop at COUNT_CAP, so a team with a million rows
    costs what a coordinator with eighty does."""
    rows = WorkItem.objects.filter(organisation__in=orgs)
    if not team:
        rows = rows.filter(coordinator=user)
    rows = rows.filter(handled_at__isnull=False) if handled else rows.unhandled()
    counts = {}
    for value in Kind.values:
        n = rows.filter(kind=value)[:COUNT_CAP].count()
        if n:
            counts[value] = n
    if kind:
        rows = rows.filter(kind=kind)
    order = ("-handled_at", "-pk") if handled else ("occurred_on", "pk")
    page = list(rows.select_related("case__person", "case__coordinator", "handled_by").order_by(*order)[: LIMIT + 1])
    truncated = len(page) > LIMIT
    page = page[:LIMIT]
    _describe(page, language)
    grouped: dict[int, CaseRows] = {}
    for item in page:
        grouped.setdefault(item.case_id, CaseRows(item.case)).items.append(item)
    cases = list(grouped.values())
    if not handled:
        cases.sort(key=lambda group: (group.case.person.name, group.case.pk))
    return Worklist(
        counts=counts,
        total=sum(counts.values()),
        capped=any(n == COUNT_CAP for n in counts.values()),
        cases=cases,
        truncated=truncated,
    )


def _describe(items, language: str) -> None:
    """Each row's link, and for deadline rows the rule's title (one query for the page)."""
    deadline_ids = [i.source_id for i in items if i.kind in (Kind.OVERDUE_DEADLINE, Kind.NO_CONTACT)]
    deadlines = Deadline.objects.in_bulk(deadline_ids) if deadline_ids else {}
    for item in items:
        item.url = reverse(TARGETS[item.kind], args=[item.case.public_id])
        deadline = deadlines.get(item.source_id) if item.kind in (Kind.OVERDUE_DEADLINE, Kind.NO_CONTACT) else None
        item.title = deadline.title(language) if deadline is not None else ""
