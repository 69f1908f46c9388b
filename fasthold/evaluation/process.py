"""Process evaluation from what Fasthold already holds: which of the five components research finds
decisive each case received. Descriptive only: people who got more components may differ in other ways.

A fixed number of queries for any number of cases (the page of a large program reads them in bulk).
"""

from collections import Counter

from django.db.models import Count, Min

from fasthold.cases.choices import EMPLOYER_SIDE_ROLES, HEALTH_PROFESSIONAL_ROLES
from fasthold.cases.models import Case, Participant
from fasthold.coordination.models import ContactAgreement, ContactEntry
from fasthold.evaluation import outcomes
from fasthold.meetings.models import Meeting, MeetingKind, MeetingStatus
from fasthold.schedules.models import ReturnSchedule

COMPONENT_NAMES = ("early_contact", "coordination", "workplace", "gradual", "interdisciplinary")


def components_for(case_ids) -> dict[int, outcomes.Components]:
    """The components of each case of `case_ids`, a queryset of values("case_id") read as a subquery:
    a fixed number of queries for any number of cases."""
    first_sick = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "first_sick_day"))
    contacts = {
        case_id: (first, n)
        # A contact entered in error did not happen: it does not count.
        for case_id, first, n in ContactEntry.objects.valid()
        .filter(case_id__in=case_ids)
        .order_by()
        .values("case_id")
        .annotate(first=Min("occurred_on"), n=Count("id"))
        .values_list("case_id", "first", "n")
    }
    agreements = set(ContactAgreement.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True))
    meetings = set(
        Meeting.objects.filter(
            case_id__in=case_ids, kind__in=(MeetingKind.JOINT, MeetingKind.ROUND_TABLE), status=MeetingStatus.HELD
        ).values_list("case_id", flat=True)
    )
    employer, health = set(), set()
    for case_id, role in Participant.objects.filter(
        case_id__in=case_ids, role__in=(*EMPLOYER_SIDE_ROLES, *HEALTH_PROFESSIONAL_ROLES)
    ).values_list("case_id", "role"):
        (health if role in HEALTH_PROFESSIONAL_ROLES else employer).add(case_id)
    schedules = set(ReturnSchedule.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True))
    result = {}
    for case_id, sick in first_sick.items():
        first, n = contacts.get(case_id, (None, 0))
        result[case_id] = outcomes.components(
            first_sick_day=sick,
            first_contact=first,
            has_agreement=case_id in agreements,
            contacts=n,
            joint_meeting=case_id in meetings,
            employer_participates=case_id in employer,
            has_schedule=case_id in schedules,
            health_professional=case_id in health,
        )
    return result


def coverage(case_ids, events, components: dict[int, outcomes.Components]) -> dict:
    """Per component: how many received it; and per number of components (0–5): people and sustained
    returns. `case_ids` and `events` are the dataset's columns (fasthold/evaluation/dataset.py)."""
    received = Counter()
    by_count: dict[int, list[int]] = {k: [0, 0] for k in range(6)}
    for case_id, event in zip(case_ids, events):
        c = components.get(case_id)
        if c is None:
            continue
        for name in COMPONENT_NAMES:
            received[name] += getattr(c, name)
        by_count[c.count][0] += 1
        by_count[c.count][1] += event
    return {"received": dict(received), "by_count": by_count, "n": sum(v[0] for v in by_count.values())}
