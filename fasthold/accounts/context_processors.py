import functools

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from fasthold.accounts.models import User
from fasthold.cases.models import Person
from fasthold.kernel import prepared
from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, Membership, OrgRole

NO_ROLES = {
    "is_staff": False,
    "is_admin": False,
    "is_employer": False,
    "is_employee": False,
    "is_health_professional": False,
    "organisation": "",
}

# The main menu, grouped as DKFDS's navigation component expects: an entry is (label, URL name) or
# (label, [entries]) for a group that opens as a submenu. Each role sees only what it can use; the
# views check access themselves, the menu only keeps people from links that would refuse them.
STAFF_MENU = (
    (_("Worklist"), "worklist:worklist"),
    (_("Cases"), "cases:list"),
    (_("Deadlines"), "deadlines:dashboard"),
    (_("Employers"), "organisations:employers"),
    (
        _("Methods and tools"),
        (
            (_("Retention tools"), "plans:tools"),
            (_("Example tasks"), "schedules:examples"),
            (_("Programs"), "screening:programs"),
        ),
    ),
    (_("Evaluation"), "evaluation:overview"),
)
ADMIN_MENU = (
    (
        _("Administration"),
        (
            (_("Users"), "people:staff"),
            (_("API clients"), "api-admin:clients"),
            (_("Audit log"), "audit"),
            (_("Settings"), "deadlines:settings"),
        ),
    ),
)
GUIDANCE = ((_("Guidance"), "guidance:index"),)


def _entries(flags) -> tuple:
    entries: tuple = ()
    if flags["is_employee"]:
        entries += ((_("My return to work"), "portals:employee"),)
    if flags["is_employer"]:
        entries += ((_("My sick-listed employees"), "portals:employer"),)
    if flags["is_staff"]:
        entries += STAFF_MENU
    elif flags["is_health_professional"]:
        # Health professionals work from the case list, as staff do (never the staff's tools).
        entries += ((_("Cases"), "cases:list"),)
    if flags["is_admin"]:
        entries += ADMIN_MENU
    return entries + GUIDANCE


@functools.lru_cache(maxsize=64)
def _reverse(name: str, prefix: str) -> str:
    return reverse(name)


def _href(name: str) -> str:
    """A menu entry's address: the menu is built on every page, and its links never change (but for
    the script prefix a deployment under a sub-path has)."""
    return _reverse(name, get_script_prefix())


def _leaves(entries):
    for _label, target in entries:
        if isinstance(target, tuple):
            yield from _leaves(target)
        else:
            yield target


def _where(entries, request) -> str | None:
    """The one entry the page belongs to: a page of a case under "Cases" (its calendar too, not
    "Deadlines"), else the entry whose address is the longest start of the page's (the calendar's settings
    under "Settings", not also "Deadlines")."""
    targets = list(_leaves(entries))
    match = getattr(request, "resolver_match", None)
    if match and "public_id" in match.kwargs and match.namespace != "portals" and "cases:list" in targets:
        return "cases:list"
    path = request.path
    starts = [t for t in targets if _href(t) != "/" and path.startswith(_href(t))]
    return max(starts, key=lambda t: len(_href(t)), default=None)


def _item(label, target, path: str, where: str | None) -> dict:
    if isinstance(target, tuple):
        links = [_item(sub_label, sub_target, path, where) for sub_label, sub_target in target]
        return {"text": label, "links": links, "active": any(link["active"] for link in links)}
    href = _href(target)
    current = path == href
    return {"text": label, "href": href, "current": current, "active": current or target == where}


def main_menu(flags, request) -> list[dict]:
    entries = _entries(flags)
    where = _where(entries, request)
    return [_item(label, target, request.path, where) for label, target in entries]


def _roles_of(user_id):
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(pk=user_id).values(
        is_staff_member=Exists(memberships.filter(role__in=STAFF_ROLES)),
        is_admin=Exists(memberships.filter(role=OrgRole.ADMIN)),
        is_health_professional=Exists(memberships.filter(role=OrgRole.HEALTH_PROFESSIONAL)),
        # The portals: employer-side members, and people who are themselves a case's employee.
        is_employer=Exists(memberships.filter(role__in=EMPLOYER_ROLES)),
        is_employee=Exists(Person.objects.filter(user=OuterRef("pk"))),
        # The header names the organisation the user works for (the first, if several).
        organisation=Subquery(memberships.order_by("pk").values("organisation__name")[:1]),
    )


# Compiled once per process: on every page, building this query cost 7-10 ms and running it 0.05 ms.
_roles = prepared(_roles_of)


def navigation(request):
    """The user's roles (one query) and the main menu built from them. Views check access themselves;
    this only shapes the menu, so each persona sees only what it can use: the employee her portal, the
    employer side theirs, staff the cases, deadlines and tools, health professionals the cases."""

    def roles():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return NO_ROLES

        rows = _roles(user.pk)
        flags = rows[0] if rows else None
        if flags is None:
            return NO_ROLES
        # SQLite answers EXISTS with 0 or 1.
        flags = {k: bool(v) if k.startswith("is_") else v for k, v in flags.items()}
        flags["is_staff"] = flags.pop("is_staff_member")
        flags["organisation"] = flags["organisation"] or ""
        return flags

    nav = SimpleLazyObject(roles)
    menu = SimpleLazyObject(lambda: main_menu(nav, request))
    return {"nav": nav, "main_menu": menu}


def theme(request):
    """The DKFDS stylesheet of the chosen theme (settings.FASTHOLD_THEME)."""
    name = "dkfds" if settings.FASTHOLD_THEME == "base" else f"dkfds-{settings.FASTHOLD_THEME}"
    return {"dkfds_css": f"vendor/dkfds/css/{name}.min.css"}
