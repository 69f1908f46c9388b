"""The access policy for cases: one place, checked in Python by every view.

"No access" and "does not exist" give the same 404, so a case's existence never leaks.
Read-only users get 403 on writes.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from fasthold.cases.choices import EMPLOYER_SIDE_ROLES, HEALTH_PROFESSIONAL_ROLES
from fasthold.cases.models import Case
from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, STAFF_WRITE_ROLES, Membership, OrgRole


@dataclass(frozen=True)
class CaseAccess:
    is_staff: bool  # member of the case-owning organisation
    can_edit: bool
    is_employee: bool
    is_health_professional: bool
    is_employer_side: bool

    @property
    def can_view(self) -> bool:
        return self.is_staff or self.is_employee or self.is_health_professional or self.is_employer_side

    @property
    def is_employee_only(self) -> bool:
        """The employee reading her own case and in no other role: her portal is her case page."""
        return self.is_employee and not (self.is_staff or self.is_health_professional or self.is_employer_side)

    @property
    def can_view_health(self) -> bool:
        # Consent to share with the employer arrives in a later issue; until then: never.
        return self.is_staff or self.is_employee or self.is_health_professional

    @property
    def may_see_worksheets(self) -> bool:
        """The professionals' worksheets about a case (the prognostic profile, questionnaire results with
        their clinical bands, visitation, the legal case calendar with its rules and sources): staff of the
        case-owning organisation and health professionals taking part. The employee reads about herself in
        words meant for her (her portal and what it links to), the employer side in its portal."""
        return self.is_staff or self.is_health_professional

    def require_worksheet(self) -> None:
        """404 for a worksheet the reader is not meant for, as for a page that does not exist."""
        if not self.may_see_worksheets:
            raise Http404

    @property
    def can_reveal_cpr(self) -> bool:
        return self.can_edit

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied

    def require_health(self) -> None:
        if not self.can_view_health:
            raise PermissionDenied


def case_access(user, case: Case) -> CaseAccess:
    roles_by_org: dict[int, set[str]] = {}
    for org_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role"):
        roles_by_org.setdefault(org_id, set()).add(role)
    case_roles = set(case.participants.filter(user=user).values_list("role", flat=True))
    own_roles = roles_by_org.get(case.organisation_id, set())
    employer_id = case.employment.employer_id if case.employment_id else None
    # Participation alone is not enough: the employer side needs a current employment and a
    # manager/HR membership of that employer, a health professional a health-professional
    # membership. Both are read on every request, so an ended employment or a removed membership
    # ends access at once (Case.objects.visible_to applies the same rule).
    is_employer_side = (
        bool(case_roles & set(EMPLOYER_SIDE_ROLES))
        and bool(roles_by_org.get(employer_id, set()) & set(EMPLOYER_ROLES))
        and not case.employment.has_ended()
    )
    return CaseAccess(
        is_staff=bool(own_roles & set(STAFF_ROLES)),
        can_edit=bool(own_roles & set(STAFF_WRITE_ROLES)),
        is_employee=case.person.user_id == user.pk,
        is_health_professional=bool(case_roles & set(HEALTH_PROFESSIONAL_ROLES))
        and any(OrgRole.HEALTH_PROFESSIONAL in roles for roles in roles_by_org.values()),
        is_employer_side=is_employer_side,
    )


def get_case_for_user(user, public_id) -> tuple[Case, CaseAccess]:
    """The case and what the user may do with it, or 404 for no access and no such case alike."""
    # The policy is applied in Python (case_access); Case.objects.visible_to gives the same
    # answer for lists, and the access-matrix tests hold both to it.
    case = (
        Case.objects.select_related("person", "organisation", "coordinator", "employment__employer")
        .filter(public_id=public_id)
        .first()
    )
    if case is None or not user.is_authenticated:
        raise Http404
    access = case_access(user, case)
    if not access.can_view:
        raise Http404
    return case, access


def may_be_told(user, case: Case) -> bool:
    """May this person be told about this case now: the one question every outgoing message asks.

    Asked at send time, not when the message was planned, so an ended employment, a removed
    membership or a removed participation stops digests, invitations and updates at once. It is the
    page policy itself: whoever may not open the case may not be told about it.
    """
    if user is None or not getattr(user, "is_active", False):
        return False
    return case_access(user, case).can_view


def cases_to_tell(user, case_ids) -> set[int]:
    """Which of these cases the user may be told about now: the same answer as may_be_told for each,
    in a fixed number of queries (Case.objects.visible_to is the list form of the page policy)."""
    case_ids = set(case_ids)
    if not case_ids or user is None or not user.is_active:
        return set()
    return set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
