"""Reads for the calendar pages: each is a fixed number of queries, whatever the number of cases."""

import datetime as dt
from itertools import groupby

from django.db.models import QuerySet

from fasthold.cases.choices import EMPLOYER_SIDE_ROLES
from fasthold.cases.models import Case, Participant
from fasthold.deadlines import registry
from fasthold.deadlines.models import Deadline, cause_dependent_keys
from fasthold.organisations.models import STAFF_ROLES, Membership

OVERDUE_COUNT_CAP = 500
LIST_LIMIT = 100


def open_deadlines() -> QuerySet[Deadline]:
    return Deadline.objects.filter(case_open=True, done_on__isnull=True, applicable=True, due__isnull=False)


def employer_visible(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """What an employer-side reader may see of a case's deadlines: not the rules that exist only for
    some causes (their presence tells the cause), and not the case's own deadlines that their app
    registered as hidden from the employer. Every employer list goes through this."""
    return deadlines.exclude(key__in=employer_hidden_keys())


def employer_hidden_keys() -> frozenset[str]:
    return cause_dependent_keys() | registry.employer_hidden_keys()


def case_deadlines_for(case: Case, access) -> QuerySet[Deadline]:
    """The case's deadlines this reader may see at all: a reader without the health part (the employer's
    people) never sees the hidden ones, neither listed nor addressed by key."""
    deadlines = Deadline.objects.filter(case=case)
    return deadlines if access.can_view_health else employer_visible(deadlines)


def is_staff(user) -> bool:
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()


def dashboard_deadlines(user, *, scope: str, responsible: str, until: dt.date) -> QuerySet[Deadline]:
    """Open deadlines due by `until` that are the user's to watch."""
    deadlines = open_deadlines().filter(due__lte=until)
    # A plain list, not a subquery, so the planner uses the partial (organisation, due) index.
    staff_orgs = list(
        Membership.objects.filter(user=user, role__in=STAFF_ROLES).values_list("organisation_id", flat=True)
    )
    if scope == "organisation" and staff_orgs:
        deadlines = deadlines.filter(organisation__in=staff_orgs)
    elif staff_orgs:
        deadlines = deadlines.filter(coordinator=user)
    else:
        # Employer-side users: their employer duties on cases they take part in; employees: their own.
        employer_cases = Participant.objects.filter(user=user, role__in=EMPLOYER_SIDE_ROLES).values("case")
        visible = Case.objects.visible_to(user).values("pk")
        own = deadlines.filter(case__person__user=user, responsible="employee")
        employer = employer_visible(
            deadlines.filter(case__in=employer_cases, responsible="employer").filter(case__in=visible)
        )
        deadlines = own | employer
    if responsible:
        deadlines = deadlines.filter(responsible=responsible)
    # Ordered by the indexed column only, so LIMIT stops early; ties are ordered in Python (grouped()).
    return deadlines.select_related("case__person").order_by("due")


def grouped(deadlines: list[Deadline], today: dt.date) -> tuple[list[Deadline], list[tuple[dt.date, list[Deadline]]]]:
    deadlines = sorted(deadlines, key=lambda d: (d.due, d.case.person.name, d.key))
    overdue = [d for d in deadlines if d.due < today]
    coming = [d for d in deadlines if d.due >= today]
    return overdue, [(day, list(items)) for day, items in groupby(coming, key=lambda d: d.due)]


def capped_count(queryset: QuerySet, cap: int = OVERDUE_COUNT_CAP) -> int:
    """How many rows, counting at most `cap` + 1: constant cost on a large backlog."""
    return queryset.order_by()[: cap + 1].count()


def user_feed_deadlines(user, today: dt.date) -> QuerySet[Deadline]:
    """What goes into a user's iCal feed: their open deadlines from four weeks back."""
    return dashboard_deadlines(user, scope="mine", responsible="", until=today + dt.timedelta(days=365)).filter(
        due__gte=today - dt.timedelta(days=28)
    )


OVERVIEW_LIMIT = 3


def overview_deadlines(case: Case, access, limit: int = OVERVIEW_LIMIT) -> list[Deadline]:
    """The case page's next open deadlines, overdue first (in date order, so the overdue come before
    the coming). Staff and health professionals see the whole stored calendar; the employee her own
    duties and the employer side its own (without the hidden keys), as on their deadline lists
    (dashboard_deadlines, the portals), never the other rules. One query."""
    deadlines = open_deadlines().filter(case=case)
    if not access.may_see_worksheets:
        own = [
            role
            for role, allowed in (("employee", access.is_employee), ("employer", access.is_employer_side))
            if allowed
        ]
        if not own:
            return []
        deadlines = deadlines.filter(responsible__in=own)
    if not access.can_view_health:
        deadlines = employer_visible(deadlines)
    return list(deadlines.order_by("due", "id")[:limit])
