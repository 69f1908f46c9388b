"""Reads for the case pages. Every read starts from Case.objects.visible_to(user)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from fasthold.cases import eligibility
from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, CaseStatus, CauseCategory, CauseGroup
from fasthold.cases.forms import SORTS
from fasthold.cases.models import Audience, Case, Person, TimelineEvent
from fasthold.organisations.models import STAFF_ROLES, STAFF_WRITE_ROLES, Membership, Organisation


def writable_organisation(user) -> Organisation | None:
    """The organisation whose cases this user may open (coordinator or administrator); for someone who
    may in more than one, the same one every time (the oldest membership)."""
    membership = (
        Membership.objects.filter(user=user, role__in=STAFF_WRITE_ROLES)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return membership.organisation if membership else None


def staff_organisation_ids(user) -> set[int]:
    return set(Membership.objects.filter(user=user, role__in=STAFF_ROLES).values_list("organisation_id", flat=True))


def coordinator_choices(organisation_ids: set[int]) -> list[tuple[str, str]]:
    users = (
        get_user_model()
        .objects.filter(memberships__organisation__in=organisation_ids, memberships__role__in=STAFF_WRITE_ROLES)
        .distinct()
        .order_by("first_name", "last_name")
    )
    return [(str(u.pk), u.display_name) for u in users]


def case_list(user, filters: dict, today: dt.date) -> QuerySet[Case]:
    cases = Case.objects.visible_to(user).select_related("person", "employment__employer", "coordinator")
    cases = filter_cases(cases, filters, today, user=user)
    return cases.order_by(*SORTS.get(filters.get("sort") or "-sick_day", SORTS["-sick_day"]))


def filter_cases(cases: QuerySet[Case], filters: dict, today: dt.date, *, user=None) -> QuerySet[Case]:
    """The case list's filters (status, name, cause, employer, coordinator, weeks since the first sick
    day), for the page, its CSV export and the API alike. "me" as coordinator needs the `user`."""
    status = filters.get("status") or ""
    if status == "":
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif status != "all":
        cases = cases.filter(status=status)
    if q := (filters.get("q") or "").strip():
        # Matching people first, then their cases: SQLite otherwise probes a person per case.
        cases = cases.filter(person_id__in=Person.objects.filter(search_name__contains=q.casefold()).values("pk"))
    cause = filters.get("cause") or ""
    if cause in CauseGroup.values:
        cases = cases.filter(cause_category__in=CauseCategory.in_group(cause))
    elif cause:
        cases = cases.filter(cause_category=cause)
    if employer := filters.get("employer"):
        cases = cases.filter(employment__employer=employer)
    coordinator = filters.get("coordinator") or ""
    if coordinator == "me" and user is not None:
        cases = cases.filter(coordinator=user)
    elif coordinator:
        cases = cases.filter(coordinator_id=coordinator)
    if (weeks_min := filters.get("weeks_min")) is not None:
        cases = cases.filter(first_sick_day__lte=today - dt.timedelta(weeks=weeks_min))
    if (weeks_max := filters.get("weeks_max")) is not None:
        cases = cases.filter(first_sick_day__gt=today - dt.timedelta(weeks=weeks_max + 1))
    return cases


def case_timeline(case: Case, *, employer_view: bool, limit: int = 100, staff: bool = False) -> list[TimelineEvent]:
    """Newest first. Notes entered in error: for staff only (shown struck through)."""
    events = TimelineEvent.objects.for_reader(is_staff=staff).filter(case=case).select_related("actor", "error_by")
    if employer_view:
        events = events.filter(audience=Audience.ALL)
    return list(events[:limit])


def case_participants(case: Case, *, employer_view: bool):
    participants = case.participants.select_related("user")
    if employer_view:
        # That the employee sees a psychologist or a doctor is itself health information.
        # Nor does the employer side learn whose access has lapsed: no `lapse` is computed for it.
        return list(participants.exclude(role__in=HEALTH_PROFESSIONAL_ROLES))
    participants = list(participants)
    lapsed = eligibility.lapses(case, participants)
    for participant in participants:
        participant.lapse = lapsed.get(participant.pk, "")
    return participants
