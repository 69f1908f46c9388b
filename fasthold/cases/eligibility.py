"""Who may take part in a case, in which role: the rules in one place.

The service (`services.participant_add`) refuses anyone these rules do not allow, whatever a form
sends; the picker searches only among the people they allow; the case page marks participants who
no longer qualify. The decision itself (`user_refusal`) is a function of plain facts, so it can be
tested without a database; the functions below it read those facts.
"""

import enum
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from fasthold.cases.choices import ParticipantRole
from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, Membership, OrgRole

MIN_QUERY = 2
MAX_MATCHES = 20


class Where(enum.StrEnum):
    OWNER = "owner"  # the case-owning organisation (jobcentre, clinic)
    EMPLOYER = "employer"  # the employer of the case's employment
    ANYWHERE = "anywhere"  # any organisation: health professionals work in their own practices
    PERSON = "person"  # the case's own person


@dataclass(frozen=True)
class Rule:
    where: Where | None  # None: no user at all, external contacts only
    membership_roles: tuple[str, ...] = ()  # empty with a `where`: any membership there
    external: bool = False  # external contacts (a name, no login) allowed
    health_agreement: bool = False  # the employee's recorded agreement is required
    # The refusal when a user lacks the membership; %(org)s is the organisation the rule looks in.
    not_member: str = ""

    @property
    def users(self) -> bool:
        return self.where is not None


_STAFF = Rule(Where.OWNER, tuple(STAFF_ROLES), not_member=_("Only staff of %(org)s can take part in this role."))
_EMPLOYER_MANAGEMENT = Rule(
    Where.EMPLOYER, tuple(EMPLOYER_ROLES), not_member=_("Only managers and HR at %(org)s can take part in this role.")
)
_HEALTH = Rule(
    Where.ANYWHERE,
    (OrgRole.HEALTH_PROFESSIONAL,),
    external=True,
    health_agreement=True,
    not_member=_("Only users registered as health professionals can take part in this role."),
)
_EXTERNAL_ONLY = Rule(None, external=True)

RULES: dict[str, Rule] = {
    ParticipantRole.JOBCENTRE_CASEWORKER: _STAFF,
    ParticipantRole.COMPANY_CONSULTANT: _STAFF,
    ParticipantRole.MANAGER: _EMPLOYER_MANAGEMENT,
    ParticipantRole.HR: _EMPLOYER_MANAGEMENT,
    ParticipantRole.EMPLOYEE: Rule(Where.PERSON),
    ParticipantRole.GP: _HEALTH,
    ParticipantRole.PSYCHOLOGIST: _HEALTH,
    ParticipantRole.OCCUPATIONAL_PHYSICIAN: _HEALTH,
    ParticipantRole.PHYSIO_OR_OT: _HEALTH,
    ParticipantRole.UNION_REP: _EXTERNAL_ONLY,
    ParticipantRole.COMPANION: _EXTERNAL_ONLY,
    ParticipantRole.MENTOR: _EXTERNAL_ONLY,
    ParticipantRole.OTHER: _EXTERNAL_ONLY,
    ParticipantRole.SHOP_STEWARD: Rule(
        Where.EMPLOYER,
        (OrgRole.SHOP_STEWARD,),
        external=True,
        not_member=_("Only users registered as shop steward at %(org)s can take part in this role."),
    ),
    ParticipantRole.SAFETY_REP: Rule(
        Where.EMPLOYER,
        (OrgRole.SAFETY_REP,),
        external=True,
        not_member=_("Only users registered as safety representative at %(org)s can take part in this role."),
    ),
    ParticipantRole.COLLEAGUE_CONTACT: Rule(
        Where.EMPLOYER, (), external=True, not_member=_("Only people at %(org)s can take part in this role.")
    ),
}


def rule_for(role: str) -> Rule:
    """The rule of a participant role; an unknown role allows nobody."""
    return RULES.get(role, Rule(None))


class Reason(enum.StrEnum):
    INACTIVE = "inactive"
    EXTERNAL_ONLY = "external_only"
    USERS_ONLY = "users_only"
    NOT_THE_EMPLOYEE = "not_the_employee"
    IS_THE_EMPLOYEE = "is_the_employee"
    NO_EMPLOYER = "no_employer"
    EMPLOYMENT_ENDED = "employment_ended"
    NOT_A_MEMBER = "not_a_member"
    NO_AGREEMENT = "no_agreement"


@dataclass(frozen=True)
class CaseFacts:
    owner_id: int
    owner_name: str
    employer_id: int | None
    employer_name: str
    employment_ended: bool
    person_user_id: int | None


@dataclass(frozen=True)
class Candidate:
    user_id: int
    is_active: bool
    memberships: frozenset[tuple[int, str]]  # (organisation id, membership role)


def _organisation(rule: Rule, facts: CaseFacts) -> int | None:
    return {Where.OWNER: facts.owner_id, Where.EMPLOYER: facts.employer_id}.get(rule.where)


def user_refusal(rule: Rule, facts: CaseFacts, candidate: Candidate) -> Reason | None:
    """Why this user may not take part under this rule, or None if they may. No database."""
    if rule.where is None:
        return Reason.EXTERNAL_ONLY
    # Whether an account is inactive is said last, so that a refusal for someone of another
    # organisation says only that they are not eligible, not whether their account is deactivated.
    if rule.where is Where.PERSON:
        if candidate.user_id != facts.person_user_id:
            return Reason.NOT_THE_EMPLOYEE
        return None if candidate.is_active else Reason.INACTIVE
    if candidate.user_id == facts.person_user_id:
        return Reason.IS_THE_EMPLOYEE
    if rule.where is Where.EMPLOYER:
        if facts.employer_id is None:
            return Reason.NO_EMPLOYER
        if facts.employment_ended:
            return Reason.EMPLOYMENT_ENDED
    organisation = _organisation(rule, facts)
    held = {role for org, role in candidate.memberships if organisation is None or org == organisation}
    if not held or (rule.membership_roles and not held & set(rule.membership_roles)):
        return Reason.NOT_A_MEMBER
    if not candidate.is_active:
        return Reason.INACTIVE
    return None


def _organisation_name(rule: Rule, facts: CaseFacts) -> str:
    return facts.employer_name if rule.where is Where.EMPLOYER else facts.owner_name


def refusal_text(reason: Reason, rule: Rule, facts: CaseFacts) -> str:
    """The message for the person adding a participant. Names organisations, never the person."""
    if reason is Reason.NOT_A_MEMBER:
        return str(rule.not_member) % {"org": _organisation_name(rule, facts)}
    return str(
        {
            Reason.INACTIVE: _("This user account is inactive."),
            Reason.EXTERNAL_ONLY: _("This role is for external contacts only: give a name instead of choosing a user."),
            Reason.USERS_ONLY: _("Choose a user for this role; it is not for external contacts."),
            Reason.NOT_THE_EMPLOYEE: _("Only the employee's own user can take part as the employee."),
            Reason.IS_THE_EMPLOYEE: _("The employee takes part in the case as the employee only."),
            Reason.NO_EMPLOYER: _("The case has no employer, so no user can take part in this role."),
            Reason.EMPLOYMENT_ENDED: _("The employment has ended, so the employer's people can no longer take part."),
            Reason.NO_AGREEMENT: _(
                "Record that the employee has agreed that this health professional takes part, and how."
            ),
        }[reason]
    )


def lapse_text(reason: Reason, rule: Rule, facts: CaseFacts) -> str:
    """Why an existing participant no longer qualifies, for the coordinator's participants panel."""
    if reason is Reason.NOT_A_MEMBER:
        if rule.where is Where.ANYWHERE:
            return str(_("not registered as a health professional any more"))
        return str(_("not a member of %(org)s any more")) % {"org": _organisation_name(rule, facts)}
    return str(
        {
            Reason.INACTIVE: _("inactive user"),
            Reason.EMPLOYMENT_ENDED: _("employment ended"),
            Reason.NO_EMPLOYER: _("the case has no employer"),
            Reason.EXTERNAL_ONLY: _("the role is for external contacts only"),
            Reason.NO_AGREEMENT: _("the employee's agreement is not recorded"),
        }.get(reason, _("not eligible for this role"))
    )


class NotEligible(Exception):
    """The person may not take part in the case in that role. The message is for the user adding them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Reading the facts --------------------------------------------------------------------------


def case_facts(case) -> CaseFacts:
    employment = case.employment if case.employment_id else None
    employer = employment.employer if employment is not None and employment.employer_id else None
    return CaseFacts(
        owner_id=case.organisation_id,
        owner_name=case.organisation.name,
        employer_id=employer.pk if employer else None,
        employer_name=employer.name if employer else "",
        employment_ended=employment.has_ended() if employment is not None else False,
        person_user_id=case.person.user_id,
    )


def candidate(user) -> Candidate:
    memberships = frozenset(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    return Candidate(user_id=user.pk, is_active=user.is_active, memberships=memberships)


def why_not(case, role: str, user) -> str | None:
    """Why this user may not take part in the case in this role, or None if they may."""
    facts = case_facts(case)
    rule = rule_for(role)
    reason = user_refusal(rule, facts, candidate(user))
    return refusal_text(reason, rule, facts) if reason else None


def check(case, role: str, *, user=None, health_agreement: str = "") -> None:
    """Raise NotEligible unless this user (or, with no user, an external contact) may take part."""
    rule = rule_for(role)
    facts = case_facts(case)
    if user is not None:
        reason = user_refusal(rule, facts, candidate(user))
    else:
        reason = None if rule.external else Reason.USERS_ONLY
    if reason is None and rule.health_agreement and not health_agreement:
        reason = Reason.NO_AGREEMENT
    if reason is not None:
        raise NotEligible(refusal_text(reason, rule, facts))


def _qualifying_memberships(rule: Rule, facts: CaseFacts) -> QuerySet | None:
    if rule.where is Where.EMPLOYER and (facts.employer_id is None or facts.employment_ended):
        return None
    memberships = Membership.objects.all()
    organisation = _organisation(rule, facts)
    if organisation is not None:
        memberships = memberships.filter(organisation_id=organisation)
    if rule.membership_roles:
        memberships = memberships.filter(role__in=rule.membership_roles)
    return memberships


def eligible_users(case, role: str) -> QuerySet:
    """Every user who may take part in the case in this role (the same answer as user_refusal)."""
    User = get_user_model()
    rule, facts = rule_for(role), case_facts(case)
    if rule.where is None:
        return User.objects.none()
    users = User.objects.filter(is_active=True)
    if rule.where is Where.PERSON:
        return users.filter(pk=facts.person_user_id) if facts.person_user_id else User.objects.none()
    if facts.person_user_id:
        users = users.exclude(pk=facts.person_user_id)
    memberships = _qualifying_memberships(rule, facts)
    if memberships is None:
        return User.objects.none()
    return users.filter(pk__in=memberships.values("user_id")).annotate(
        organisation_label=Subquery(
            memberships.filter(user=OuterRef("pk")).order_by("organisation__name").values("organisation__name")[:1]
        )
    )


def _name_variants(query: str) -> set[str]:
    # SQLite folds only ASCII in LIKE, so "øster" would miss "Østergaard"; PostgreSQL needs no help.
    return {query, query.lower(), query.upper(), query.capitalize(), query.title()}


def search(case, role: str, query: str, *, limit: int = MAX_MATCHES) -> tuple[list, bool]:
    """Eligible users whose name contains the query (or whose e-mail is the query): at most `limit`,
    and whether there were more. Fewer than MIN_QUERY characters find nobody, so a role open to
    health professionals of every organisation never lists them wholesale."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY:
        return [], False
    matches = Q(email__iexact=query)
    for variant in _name_variants(query):
        matches |= Q(full_name__icontains=variant)
    users = list(
        eligible_users(case, role)
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(matches)
        .order_by("first_name", "last_name", "pk")[: limit + 1]
    )
    return users[:limit], len(users) > limit


def lapses(case, participants) -> dict[int, str]:
    """Participants (with a user) who no longer qualify for their role, by participant pk, with why.

    One query for all memberships, so the case page's query count does not grow with participants.
    """
    with_user = [p for p in participants if p.user_id]
    if not with_user:
        return {}
    held: dict[int, set[tuple[int, str]]] = {}
    for user_id, org_id, role in Membership.objects.filter(user_id__in={p.user_id for p in with_user}).values_list(
        "user_id", "organisation_id", "role"
    ):
        held.setdefault(user_id, set()).add((org_id, role))
    facts = case_facts(case)
    result = {}
    for p in with_user:
        rule = rule_for(p.role)
        reason = user_refusal(rule, facts, Candidate(p.user_id, p.user.is_active, frozenset(held.get(p.user_id, ()))))
        if reason is None and rule.health_agreement and not p.health_agreement:
            # Added before agreements were recorded: the coordinator should ask the employee again.
            reason = Reason.NO_AGREEMENT
        if reason is not None:
            result[p.pk] = lapse_text(reason, rule, facts)
    return result
