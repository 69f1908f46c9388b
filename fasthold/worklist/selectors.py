"""What the worklist page reads: a constant number of queries whatever the number of cases."""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format

from fasthold.deadlines.models import Deadline
from fasthold.organisations.models import STAFF_ROLES, STAFF_WRITE_ROLES, Membership
from fasthold.worklist.models import Kind, WorkItem

LIMIT = 100  # rows on one page; the next ones follow from the last row's place (`after`)
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


# The columns the page shows, read as tuples: 200 rows as model instances of four joined models were
# most of the selector's time.
_COLUMNS = (
    "public_id",
    "case_id",
    "kind",
    "source_id",
    "occurred_on",
    "handled_at",
    "handled_by__first_name",
    "handled_by__last_name",
    "handled_by__username",
    "case__public_id",
    "case__organisation_id",
    "case__person__name",
    "case__coordinator_id",
    "case__coordinator__first_name",
    "case__coordinator__last_name",
    "case__coordinator__username",
)


def _display_name(first: str | None, last: str | None, username: str | None) -> str:
    """As User.display_name: the full name, else the username; empty for no one."""
    return f"{first or ''} {last or ''}".strip() or (username or "")


@dataclass
class Named:
    name: str = ""

    @property
    def display_name(self) -> str:
        return self.name


@dataclass
class CaseRef:
    """What the worklist shows of a case."""

    pk: int
    public_id: object
    organisation_id: int
    person: Named
    coordinator: Named | None


@dataclass
class Item:
    """One row of the worklist, with what the page shows of it."""

    public_id: object
    case_id: int
    kind: str
    source_id: int
    occurred_on: object
    handled_at: object
    handled_by: Named | None
    case: CaseRef
    url: str = ""
    case_url: str = ""
    handle_url: str = ""
    kind_label: str = ""
    when: str = ""
    title: str = ""


def _items(rows) -> list[Item]:
    cases: dict[int, CaseRef] = {}
    items = []
    for r in rows:
        (
            public_id,
            case_id,
            kind,
            source_id,
            occurred_on,
            handled_at,
            hf,
            hl,
            hu,
            case_uuid,
            org,
            name,
            cid,
            cf,
            cl,
            cu,
        ) = r
        case = cases.get(case_id)
        if case is None:
            coordinator = Named(_display_name(cf, cl, cu)) if cid is not None else None
            case = cases[case_id] = CaseRef(case_id, case_uuid, org, Named(name), coordinator)
        handler = Named(_display_name(hf, hl, hu)) if hu is not None else None
        items.append(Item(public_id, case_id, kind, source_id, occurred_on, handled_at, handler, case))
    return items


@dataclass
class CaseRows:
    case: object
    items: list = field(default_factory=list)
    may_mark: bool = False  # the reader may mark this case's rows handled


@dataclass
class Worklist:
    counts: dict  # kind -> number of unhandled rows, in Kind's order, only kinds present
    total: int
    capped: bool  # some kind has COUNT_CAP or more
    cases: list[CaseRows]
    truncated: bool
    next_after: str = ""  # where the next page starts (unhandled rows); empty on the last page


def worklist(
    user,
    orgs: set[int],
    *,
    team: bool,
    kind: str = "",
    handled: bool = False,
    language: str = "da",
    editable: frozenset[int] | set[int] = frozenset(),
    after: str = "",
) -> Worklist:
    """The rows read through the copies of the case's coordinator and organisation on each row (one
    index each), oldest first; the counts per kind stop at COUNT_CAP, so a team with a million rows
    costs what a coordinator with eighty does."""
    rows = WorkItem.objects.filter(organisation__in=orgs)
    if not team:
        rows = rows.filter(coordinator=user)
    rows = rows.filter(handled_at__isnull=False) if handled else rows.unhandled()
    counts = {}
    # Counted in the order of the index that holds the kind (for the handled rows, the one by handling
    # time): PostgreSQL otherwise took a common kind's capped count as a table scan that stops after
    # COUNT_CAP rows, and when those rows were stored last it read 900,000 rows first (100 ms, not 1).
    count_order = "-handled_at" if handled else "occurred_on"
    for value in Kind.values:
        n = rows.filter(kind=value).order_by(count_order)[:COUNT_CAP].count()
        if n:
            counts[value] = n
    if kind:
        rows = rows.filter(kind=kind)
    order = ("-handled_at", "-pk") if handled else ("occurred_on", "pk")
    start = None if handled else parse_after(after)
    if start is not None:
        day, pk = start
        # A range on the date the index can seek to, less that day's rows up to the last one shown (an OR of
        # the two cases was read as a scan of every row).
        rows = rows.filter(occurred_on__gte=day).exclude(occurred_on=day, pk__lte=pk)
    found = list(rows.order_by(*order).values_list("pk", *_COLUMNS)[: LIMIT + 1])
    truncated = len(found) > LIMIT
    found = found[:LIMIT]
    next_after = f"{found[-1][5].isoformat()}.{found[-1][0]}" if truncated and not handled else ""
    page = _items(row[1:] for row in found)
    _describe(page, language)
    grouped: dict[int, CaseRows] = {}
    for item in page:
        if item.case_id not in grouped:
            grouped[item.case_id] = CaseRows(item.case, may_mark=item.case.organisation_id in editable)
        grouped[item.case_id].items.append(item)
    cases = list(grouped.values())
    if not handled:
        cases.sort(key=lambda group: (group.case.person.name, group.case.pk))
    return Worklist(
        counts=counts,
        total=sum(counts.values()),
        capped=any(n == COUNT_CAP for n in counts.values()),
        cases=cases,
        truncated=truncated,
        next_after=next_after,
    )


def parse_after(value: str) -> tuple[dt.date, int] | None:
    """The place `after` names (the last row of the page before: its date and id), or None for a value
    that is not one (the first page)."""
    day, _, pk = (value or "").partition(".")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


# A placeholder id: a route is reversed once per page with it, and each row's link is the result with the
# row's own id put in (reversing 400 links one by one was a fifth of the page's time).
_SLOT = "00000000-0000-0000-0000-000000000000"


def _link(name: str) -> str:
    return reverse(name, args=[_SLOT])


def _describe(items, language: str) -> None:
    """What the template shows of each row, worked out once for the page: the kind's name, the date,
    the links (the part of the case, the case, the mark-handled form) and for deadline rows the rule's
    title. One query for the page (the deadlines' titles)."""
    deadline_ids = [i.source_id for i in items if i.kind in (Kind.OVERDUE_DEADLINE, Kind.NO_CONTACT)]
    deadlines = Deadline.objects.only("key", "pack_id").in_bulk(deadline_ids) if deadline_ids else {}
    labels = {value: str(label) for value, label in Kind.choices}
    targets = {kind: _link(name) for kind, name in TARGETS.items()}
    case_link, handle_link = _link("cases:detail"), reverse("worklist:handled", args=[_SLOT])
    for item in items:
        case_id = str(item.case.public_id)
        item.url = targets[item.kind].replace(_SLOT, case_id)
        item.case_url = case_link.replace(_SLOT, case_id)
        item.handle_url = handle_link.replace(_SLOT, str(item.public_id))
        item.kind_label = labels[item.kind]
        item.when = date_format(item.occurred_on, "SHORT_DATE_FORMAT") if item.occurred_on else "–"
        deadline = deadlines.get(item.source_id) if item.kind in (Kind.OVERDUE_DEADLINE, Kind.NO_CONTACT) else None
        item.title = deadline.title(language) if deadline is not None else ""
