"""Reads that may lag a little go to a read replica, when one is configured (FASTHOLD_REPLICA_URL).

The evaluation's pages and exports read a whole organisation's closed cases; a national operator would
rather they ran on a PostgreSQL streaming replica than beside the coordinators' writes. A view opts in
with `reads_from_replica`; inside it every ORM read goes to the replica, and every write (the audit
row, the read log, the statistics cache) still goes to the primary. Without a replica the router says
nothing and Django uses the one database.

Some reads stay on the primary whatever the view: who may see what (memberships, users, sessions), so a
membership ended a moment ago is not honoured from a lagging copy; and the cache table, where a result
computed a moment ago is written and must be found again.
"""

import contextlib
import contextvars
import functools

from django.conf import settings

REPLICA = "replica"
_replica_reads = contextvars.ContextVar("fasthold_replica_reads", default=False)
PRIMARY_ONLY = frozenset({"organisations", "accounts", "auth", "sessions", "django_cache"})


@contextlib.contextmanager
def replica_reads():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    wrapped.reads_from_replica = True
    return wrapped


class ReplicaRouter:
    def __init__(self, databases: dict | None = None):
        self.databases = databases  # settings.DATABASES unless given (tests)

    def db_for_read(self, model, **hints):
        databases = settings.DATABASES if self.databases is None else self.databases
        if _replica_reads.get() and REPLICA in databases and model._meta.app_label not in PRIMARY_ONLY:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # A row read on the replica is the same row as on the primary.
        return obj1._state.db in ("default", REPLICA) and obj2._state.db in ("default", REPLICA) or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
