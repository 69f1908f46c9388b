import contextlib
import datetime as dt
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from fasthold.cases import demo
from fasthold.cases.models import Case
from fasthold.deadlines.models import LOCAL_PACK, Deadline
from fasthold.deadlines.services import calendar_refresh_many
from fasthold.organisations.models import Organisation, OrganisationKind, OrgRole

DEMO_APPS = (
    "deadlines",
    "plans",
    "schedules",
    "screening",
    "guidance",
    "coordination",
    "meetings",
    "sharing",
    "accounts",
    "evaluation",
)


class Command(BaseCommand):
    help = (
        "Load the demo: organisations, one user per persona, Kurt's and Bodil's cases. --cases N adds synthetic cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0, help="Add N synthetic cases (bulk inserts).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo is already loaded.")
        parser.add_argument("--events", type=int, default=20, help="Timeline events per synthetic case.")

    def handle(self, *args, cases: int, if_empty: bool, events: int, **options):
        if cases < 0:
            raise CommandError("--cases must be 0 or more.", returncode=2)
        jobcentre = Organisation.objects.filter(
            kind=OrganisationKind.JOBCENTRE, name=demo.ORGANISATIONS["jobcentre"]["name"]
        ).first()
        if jobcentre is None:
            world = demo.build_world()
            jobcentre = world.orgs["jobcentre"]
            # Each capability adds its own demo content (fasthold/<app>/demo.py: load_demo(world)).
            for app in DEMO_APPS:
                try:
                    module = import_module(f"fasthold.{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load_demo(world)
            # The demo content (plans) adds deadlines of its own: recompute the demo calendars.
            calendar_refresh_many(list(Case.objects.select_related("employment")))
            # Kurt's and Bodil's people kept the law's deadlines that passed more than a week ago; the
            # last week's stay open, so the dashboards show what is due now rather than a backlog.
            Deadline.objects.filter(
                case__in=[world.kurt, world.bodil],
                due__lt=timezone.localdate() - dt.timedelta(days=7),
                applicable=True,
                done_on__isnull=True,
            ).exclude(pack_id=LOCAL_PACK).update(done_on=F("due"))
            self.stdout.write(
                f"Demo loaded. Log in with one of {', '.join(p[0] for p in demo.PERSONAS)}; password: {demo.DEMO_PASSWORD}"
            )
        elif if_empty and not cases:
            self.stdout.write("Demo already loaded.")
            return
        if cases:
            coordinators = [
                m.user for m in jobcentre.memberships.filter(role=OrgRole.COORDINATOR).select_related("user")
            ]
            employers = list(Organisation.objects.filter(kind=OrganisationKind.EMPLOYER))
            with _bulk_load():
                added = demo.add_synthetic_cases(
                    cases,
                    organisation=jobcentre,
                    coordinators=coordinators,
                    employers=employers,
                    events_per_case=events,
                )
            self.stdout.write(f"Added {added} synthetic cases.")


def _bulk_load():
    """Settings for the load of the synthetic cases only, each put back when it is done."""
    if connection.vendor == "postgresql":
        return _without_reference_checks()
    if connection.vendor == "sqlite":
        return _sqlite_bulk_settings()
    return contextlib.nullcontext()


@contextlib.contextmanager
def _sqlite_bulk_settings():
    """A page cache big enough for the indexes of millions of timeline rows (SQLite's default is 2 MB,
    and the load spent a third of its time re-reading pages), and no wait for the disk at each commit.
    A crash mid-load loses only generated demo data, which the command makes again."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size=-262144")  # KiB: 256 MB
        # SQLite refuses to change it inside a transaction (a caller's atomic block, a test's).
        tune_sync = not connection.in_atomic_block
        if tune_sync:
            cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(cache)}")
            if tune_sync:
                cursor.execute(f"PRAGMA synchronous={int(synchronous)}")


@contextlib.contextmanager
def _without_reference_checks():
    """On PostgreSQL, for the synthetic cases only, when the database user may: no foreign-key checks.
    Every row the load writes refers to a row it wrote just before, and checking each of the millions
    at commit was a third of the load's time. Needs a superuser (session_replication_role); anyone else
    loads with the checks, only slower. Put back when the load is done, whatever happens."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on', current_setting('session_replication_role')")
        allowed, before = cursor.fetchone()
        if allowed:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if allowed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('session_replication_role', %s, false)", [before])
