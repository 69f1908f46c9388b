from django.utils.functional import SimpleLazyObject

from fasthold.organisations.models import STAFF_ROLES, Membership, OrgRole


def navigation(request):
    """Which menu entries to show. Views check access themselves; this only shapes the menu."""

    def roles():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"is_staff": False, "is_admin": False}
        held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        return {"is_staff": bool(held & set(STAFF_ROLES)), "is_admin": OrgRole.ADMIN in held}

    return {"nav": SimpleLazyObject(roles)}
