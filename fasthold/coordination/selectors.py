"""Reads of the coordination app: the contact agreement, the contact log and overdue contact.

Each read is a fixed number of queries, whatever the number of contacts or cases.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, CaseStatus
from fasthold.cases.models import Audience, Case
from fasthold.coordination import cadence
from fasthold.coordination.models import ContactAgreement, ContactEntry, ContactResponsible, PossibilityStatement
from fasthold.sharing.policy import recipients_for

# Without an agreement nobody has agreed to call; the coordinator sees to it that someone does.
DEFAULT_RESPONSIBLE = ContactResponsible.COORDINATOR


@dataclass(frozen=True)
class ContactStatus:
    agreement: ContactAgreement | None
    last_contact: dt.date | None
    due: dt.date
    overdue: bool
    days_overdue: int
    closed: bool = False  # a closed case is never overdue

    @property
    def responsible(self) -> str:
        return self.agreement.responsible if self.agreement else DEFAULT_RESPONSIBLE


def _counted(entries):
    """Contacts that count under the agreement: not those by or with a health professional, nor those
    entered in error."""
    return entries.valid().filter(involves_health_professional=False)


def current_agreement(case: Case) -> ContactAgreement | None:
    return ContactAgreement.objects.filter(case=case, current=True).first()


def agreement_history(case: Case) -> list[ContactAgreement]:
    """Every version of the case's agreement, newest first."""
    return list(ContactAgreement.objects.filter(case=case).select_related("created_by"))


def last_contact_date(case: Case) -> dt.date | None:
    return _counted(ContactEntry.objects.filter(case=case)).aggregate(last=Max("occurred_on"))["last"]


def status_from(
    case: Case, agreement: ContactAgreement | None, last_contact: dt.date | None, today: dt.date
) -> ContactStatus:
    nxt = cadence.next_contact(
        first_sick_day=case.first_sick_day,
        cadence=agreement.cadence if agreement else None,
        last_contact=last_contact,
        today=today,
    )
    closed = case.status == CaseStatus.CLOSED
    return ContactStatus(
        agreement=agreement,
        last_contact=last_contact,
        due=nxt.due,
        overdue=nxt.overdue and not closed,
        days_overdue=0 if closed else nxt.days_overdue,
        closed=closed,
    )


def contact_status(case: Case, today: dt.date | None = None) -> ContactStatus:
    """The agreement, the last contact, when the next is due and whether it is overdue. Two queries."""
    today = today or timezone.localdate()
    return status_from(case, current_agreement(case), last_contact_date(case), today)


LOG_LIMIT = 500  # the contact page's log


def recent_contacts(case: Case, *, employer_view: bool, limit: int = 5, staff: bool = False) -> list[ContactEntry]:
    """The latest contacts, newest first. employer_view=True: only notes for everyone, and nothing
    by or with a health professional. Contacts entered in error: for staff only (shown struck
    through). One query."""
    entries = ContactEntry.objects.for_reader(is_staff=staff).filter(case=case).select_related("logged_by", "error_by")
    if employer_view:
        entries = entries.filter(audience=Audience.ALL, involves_health_professional=False)
    return list(entries[:limit])


def participant_choices(case: Case, *, employer_view: bool, exclude_user=None) -> list:
    """The participants a contact can be logged with. Employer-side users do not see health
    professionals (cases.selectors.case_participants does the same). One query."""
    participants = case.participants.select_related("user")
    if employer_view:
        participants = participants.exclude(role__in=HEALTH_PROFESSIONAL_ROLES)
    if exclude_user is not None:
        participants = participants.exclude(user=exclude_user)
    return list(participants)


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per case: ("contact_due", next contact date, responsible) for the case calendar
    (registered in CoordinationConfig.ready()). Responsible is one of
    "coordinator", "employer", "employee". Closed cases have none.

    Three queries for any number of cases."""
    case_ids = list(case_ids)
    if not case_ids:
        return {}
    cases = dict(
        Case.objects.filter(pk__in=case_ids).exclude(status=CaseStatus.CLOSED).values_list("pk", "first_sick_day")
    )
    if not cases:
        return {}
    open_ids = list(cases)
    agreements = {a.case_id: a for a in ContactAgreement.objects.filter(case__in=open_ids, current=True)}
    last = dict(
        _counted(ContactEntry.objects.filter(case__in=open_ids))
        .order_by()
        .values("case")
        .annotate(last=Max("occurred_on"))
        .values_list("case", "last")
    )
    result: dict[int, list[tuple[str, dt.date, str]]] = {}
    for case_id, first_sick_day in cases.items():
        agreement = agreements.get(case_id)
        due = cadence.due_date(first_sick_day, agreement.cadence if agreement else None, last.get(case_id))
        responsible = agreement.responsible if agreement else DEFAULT_RESPONSIBLE
        result[case_id] = [("contact_due", due, str(responsible))]
    return result


# ---------------------------------------------------------------------------------------------------
# Fitness-for-work statements. Part 2 (the doctor's assessment) is health information: shown to those who
# may see the health part, and to an employer-side reader only for a statement whose part 2 the employee
# shares with them now (read fresh on every call: a withdrawal counts on the next page load).

ASSESSMENT_FIELD = "possibility_statement.doctor_assessment"


@dataclass(frozen=True)
class StatementCard:
    statement: PossibilityStatement
    assessment_visible: bool  # this reader may see part 2
    shared: bool = False  # ... because the employee shares it with them (employer side)

    @property
    def shows_assessment(self) -> bool:
        """Part 2's text is on the page: a read to log."""
        return self.assessment_visible and bool(self.statement.doctor_assessment)


def statements_of(case: Case) -> list[PossibilityStatement]:
    """The case's statements, newest request first. One query."""
    return list(PossibilityStatement.objects.filter(case=case).select_related("created_by"))


def _shared_with(statement: PossibilityStatement, recipients) -> bool:
    return ("manager" in recipients and statement.shared_with_manager_at is not None) or (
        "hr" in recipients and statement.shared_with_hr_at is not None
    )


def _assessment_visible(access, statement: PossibilityStatement, recipients) -> tuple[bool, bool]:
    """(may the reader see part 2 of `statement`, is it by the employee's consent)."""
    if access.can_view_health:
        return True, False
    if not access.is_employer_side:
        return False, False
    shared = _shared_with(statement, recipients)
    return shared, shared


def statement_cards(user, case: Case, access) -> list[StatementCard]:
    """The statements as `user` may read them. Two queries (statements, and the reader's roles when
    employer-side)."""
    statements = statements_of(case)
    recipients = recipients_for(user, case, access) if access.is_employer_side and statements else frozenset()
    cards = []
    for statement in statements:
        visible, shared = _assessment_visible(access, statement, recipients)
        cards.append(StatementCard(statement, visible, shared))
    return cards
