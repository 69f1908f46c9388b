"""One test base built from the demo world (fasthold.cases.demo): organisations, the personas by
username (koordinator, leder, kurt, bodil, psykolog, anden, ...) and Kurt's and Bodil's cases.

The apps' test bases (tests/<app>/base.py) and the test modules that need the demo build on it
instead of each building the world their own way.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import TestCase

from fasthold.cases.demo import DemoWorld, build_world
from fasthold.organisations.models import Membership, Organisation, OrganisationKind

# load_demos = ALL_DEMOS: every app's demo content, as the demo command loads it.
ALL_DEMOS = "all"


# Demo content left out of "all demos": the evaluation's finished trial is 360 synthetic closed cases in
# three jobcentres, made for its curves. In the shared world it would swamp the page crawls, the erasure
# counts and the case lists the other tests reason about; tests/evaluation loads it where it is wanted.
NOT_IN_ALL_DEMOS = ("evaluation",)


def load_all_demos(world) -> None:
    """Every app's demo content, in the order the demo command uses, plus any other app's demo.py
    (but NOT_IN_ALL_DEMOS)."""
    try:
        from fasthold.cases.management.commands.demo import DEMO_APPS
    except ImportError:
        DEMO_APPS = ()
    names = list(DEMO_APPS) + sorted(
        a.name.split(".", 1)[1]
        for a in apps.get_app_configs()
        if a.name.startswith("fasthold.") and a.name.split(".", 1)[1] not in DEMO_APPS and a.name != "fasthold.cases"
    )
    for name in names:
        if name in NOT_IN_ALL_DEMOS:
            continue
        try:
            module = import_module(f"fasthold.{name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"fasthold.{name}.demo":
                raise
            continue
        module.load_demo(world)


def load_app_demos(world, names) -> None:
    """The demo content of the named apps, in the order given (later demos build on earlier ones)."""
    if names == ALL_DEMOS:
        load_all_demos(world)
        return
    for name in names:
        import_module(f"fasthold.{name}.demo").load_demo(world)


def build_demo_world(load_demos: tuple[str, ...] | str = ()) -> DemoWorld:
    """The demo world with the named apps' demo content (or ALL_DEMOS): what DemoWorldTestCase builds,
    for the tests that cannot use it (a TransactionTestCase, a test of threads or of a restore)."""
    world = build_world()
    load_app_demos(world, load_demos)
    return world


def add_user(username: str, *memberships: tuple[Organisation, str], password: str | None = "x", **fields):
    """A user beside the demo's personas, with an address at example.org unless `email` is given, and a
    membership for each (organisation, role). `password=None` leaves the account without a usable one."""
    fields.setdefault("email", f"{username}@example.org")
    user = get_user_model().objects.create_user(username, password=password, **fields)
    for organisation, role in memberships:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def add_employer(name: str, **fields) -> Organisation:
    """An employer beside the demo's two (door_factory, accounting_firm): a company nobody in the demo works at."""
    return Organisation.objects.create(kind=OrganisationKind.EMPLOYER, name=name, **fields)


class DemoWorldTestCase(TestCase):
    """The demo world, built once per class; `load_demos` names the apps whose demo content is
    loaded on top of it, in order (or ALL_DEMOS)."""

    load_demos: tuple[str, ...] | str = ()
    # The language as_user chooses: the assertions quote the English messages, and Danish is the
    # default. None leaves the default.
    language: str | None = "en"

    @classmethod
    def setUpTestData(cls):
        cls.world = build_demo_world(cls.load_demos)
        cls.users = cls.world.users
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil

    def as_user(self, username):
        self.client.force_login(self.users[username])
        if self.language:
            self.client.cookies["django_language"] = self.language
