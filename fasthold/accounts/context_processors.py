from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from fasthold.accounts.models import User
from fasthold.cases.models import Person
from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, Membership, OrgRole

NO_ROLES = {
    "is_staff": False,
    "is_admin": False,
    "is_employer": False,
    "is_employee": False,
    "is_health_professional": False,
}


def navigation(request):
    """Which menu entries to show (one query). Views check access themselves; this only shapes the menu,
    so each persona sees only what it can use: the employee her portal, the employer side theirs, staff
    the cases, deadlines and tools, health professionals the cases."""

    def roles():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return NO_ROLES

        memberships = Membership.objects.filter(user=OuterRef("pk"))
        flags = (
            User.objects.filter(pk=user.pk)
            .values(
                is_staff_member=Exists(memberships.filter(role__in=STAFF_ROLES)),
                is_admin=Exists(memberships.filter(role=OrgRole.ADMIN)),
                # Health professionals work from the case list, as staff do (never the staff's tools).
                is_health_professional=Exists(memberships.filter(role=OrgRole.HEALTH_PROFESSIONAL)),
                # The portals: employer-side members, and people who are themselves a case's employee.
                is_employer=Exists(memberships.filter(role__in=EMPLOYER_ROLES)),
                is_employee=Exists(Person.objects.filter(user=OuterRef("pk"))),
            )
            .first()
        )
        if flags is None:
            return NO_ROLES
        flags["is_staff"] = flags.pop("is_staff_member")
        return flags

    return {"nav": SimpleLazyObject(roles)}
