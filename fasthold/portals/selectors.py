"""Reads for the two portals. The employer list is a fixed number of queries for any number of employees.

The employer portal shows functional information only: what the employee can do now, the schedule,
agreements, meetings and the employer's own duties. Health information reaches an employer only
through fasthold.sharing (the employee's consent), rendered by its own tag.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from fasthold.cases.choices import EMPLOYER_SIDE_ROLES, CaseStatus
from fasthold.cases.models import Case, Participant, employment_current
from fasthold.coordination import selectors as contacts
from fasthold.deadlines.models import Deadline
from fasthold.deadlines.selectors import employer_visible, open_deadlines
from fasthold.meetings import selectors as meetings
from fasthold.meetings.models import Meeting
from fasthold.meetings.selectors import awaiting_confirmation, next_invited
from fasthold.organisations.models import EMPLOYER_ROLES, Membership
from fasthold.plans.models import IndicatorKind, PlanVersion, VersionStatus
from fasthold.schedules.generator import ScheduleError
from fasthold.schedules.selectors import absence_extents, built, schedule_for, tasks_by_colour
from fasthold.screening.catalog import instruments_for, self_fillable

# Deadlines the employer sees for each employee besides their own duties. The next meeting is
# read from the meetings the user is invited to (invited_meetings), not from the calendar, so a
# meeting without the employer is not hinted at.
SHARED_KEYS = ("contact_due",)
LOOK_AHEAD_DAYS = 28


@dataclass
class EmployeeCard:
    case: Case
    duties: list[Deadline] = field(default_factory=list)  # the employer's own, due within four weeks or overdue
    next_meeting: "Meeting | None" = None
    next_contact: Deadline | None = None
    overdue_count: int = 0
    to_confirm: list = field(default_factory=list)  # held meetings whose agreements await my confirmation
    extent: object = None  # this week's absence extent from the schedule, or None (the recorded one applies)


def employer_cases(user):
    """Open cases (incl. the retention period) where the user is manager or HR for the employer.

    Two small reads first (memberships, participations), then one plain filter: the same rule as
    fasthold.cases.access.case_access's is_employer_side.
    """
    employer_orgs = list(
        Membership.objects.filter(user=user, role__in=EMPLOYER_ROLES).values_list("organisation_id", flat=True)
    )
    case_ids = list(
        Participant.objects.filter(user=user, role__in=EMPLOYER_SIDE_ROLES).values_list("case_id", flat=True)
    )
    if not employer_orgs or not case_ids:
        return Case.objects.none()
    return (
        Case.objects.filter(pk__in=case_ids, employment__employer__in=employer_orgs)
        .filter(employment_current())  # an ended employment ends the employer's access
        .exclude(status=CaseStatus.CLOSED)
        .select_related("person", "employment__employer", "coordinator")
        .order_by("person__name", "pk")
    )


def employer_cards(user, today: dt.date) -> list[EmployeeCard]:
    """One card per sick-listed employee: eight queries in all."""
    cards = {case.pk: EmployeeCard(case) for case in employer_cases(user)}
    if not cards:
        return []
    rows = employer_visible(
        open_deadlines()
        .filter(case__in=list(cards))
        .filter(Q(responsible="employer", due__lte=today + dt.timedelta(days=LOOK_AHEAD_DAYS)) | Q(key__in=SHARED_KEYS))
        .order_by("due", "key")
    )
    for d in rows:
        card = cards[d.case_id]
        d.case = card.case
        if d.key == "contact_due":
            card.next_contact = card.next_contact or d
        if d.responsible == "employer" and d.due <= today + dt.timedelta(days=LOOK_AHEAD_DAYS):
            card.duties.append(d)
            card.overdue_count += d.due < today
    for case_id, meeting in next_invited(user, cards).items():
        cards[case_id].next_meeting = meeting

    for meeting in awaiting_confirmation(user):
        if meeting.case_id in cards:
            cards[meeting.case_id].to_confirm.append(meeting)
    for case_id, derived in absence_extents([card.case for card in cards.values()], today=today).items():
        cards[case_id].extent = derived
    return list(cards.values())


def employee_case(user) -> Case | None:
    """The employee's own case: the open one, else the most recent."""
    own = (
        Case.objects.filter(person__user=user)
        .select_related("person", "coordinator", "organisation", "employment__employer")
        .order_by("-first_sick_day", "-pk")
    )
    return own.exclude(status=CaseStatus.CLOSED).first() or own.first()


def employee_duties(case: Case, today: dt.date) -> list[Deadline]:
    """Deadlines the employee is responsible for, due within four weeks or overdue."""
    return list(
        open_deadlines()
        .filter(case=case, responsible="employee", due__lte=today + dt.timedelta(days=LOOK_AHEAD_DAYS))
        .order_by("due")
    )


def current_plan_version(case: Case):
    """The plan version in force (never a draft), or None. One query."""

    return PlanVersion.objects.filter(plan__case=case, status=VersionStatus.CURRENT).first()


def _schedule_weeks(version, today: dt.date):
    """This week and next of the version's graded return schedule (two queries), or []."""

    schedule = schedule_for(version)
    if schedule is None:
        return []
    try:
        weeks = built(schedule).weeks
    except ScheduleError:  # stored parameters the generator no longer accepts: the schedule page explains
        return []
    return [w for w in weeks if w.days[-1].date >= today][:2]


def employer_case_context(case: Case, user, today: dt.date) -> dict:
    """What the employer's one-employee page shows: functional information and agreements only."""

    version = current_plan_version(case)
    return {
        "duties": list(employer_visible(open_deadlines().filter(case=case, responsible="employer")).order_by("due")),
        "weeks": _schedule_weeks(version, today),
        "task_colours": [group for group in tasks_by_colour(case) if group[2]],
        "version": version,
        "next_meeting": next_invited(user, [case.pk]).get(case.pk),
        "to_confirm": [m for m in meetings.awaiting_confirmation(user) if m.case_id == case.pk],
        "my_tasks": [t for t in meetings.open_tasks_for(user, today) if t.meeting.case_id == case.pk],
        "contact": contacts.contact_status(case, today),
        "contacts": contacts.recent_contacts(case, employer_view=True, limit=3),
    }


def employee_context(case: Case, user, today: dt.date) -> dict:
    """What the employee's own page shows. Nothing here asks for action without saying why."""

    version = current_plan_version(case)
    return {
        "version": version,
        "needs_agreement": version is not None and version.agreed_at is None,
        "has_scores": version is not None and version.sub_goals.filter(indicator=IndicatorKind.SCALE).exists(),
        "weeks": _schedule_weeks(version, today),
        "next_meeting": next_invited(user, [case.pk]).get(case.pk),
        "to_confirm": [m for m in meetings.awaiting_confirmation(user) if m.case_id == case.pk],
        "my_tasks": [t for t in meetings.open_tasks_for(user, today) if t.meeting.case_id == case.pk],
        "duties": employee_duties(case, today),
        "contact": contacts.contact_status(case, today),
        "contacts": contacts.recent_contacts(case, employer_view=False, limit=3),
        "questionnaires": [i for i in instruments_for(case.organisation_id).values() if self_fillable(i)],
    }
