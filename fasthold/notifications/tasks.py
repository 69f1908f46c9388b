"""Background work on Django's Tasks API (settings.TASKS; django-tasks-db's `db_worker` runs it).

- `send_notifications` drains the outbox; enqueued after each transaction that wrote notifications.
- `tick` runs the periodic jobs (retries and stuck rows, daily digests, the reminders, pruning finished
  task rows) and enqueues itself again TICK_SECONDS later, unless a tick is already waiting.
  `fasthold worker` starts the first one.
"""

import datetime as dt
import logging
import uuid

from django.tasks import task
from django.utils import timezone

from fasthold.kernel import refresh_statistics
from fasthold.notifications import outbox, periodic

log = logging.getLogger(__name__)
TICK_PATH = "fasthold.notifications.tasks.tick"


@task
def send_notifications() -> dict:
    return outbox.run_once()


@task
def tick() -> list[str]:
    """Run the due jobs, then enqueue the next tick whatever happened: a failure outside a job (a
    "database is locked" on SQLite) must not stop all periodic work until the next restart."""
    ran: list[str] = []
    try:
        ran = periodic.run_due(worker=uuid.uuid4().hex)
    except Exception as exc:  # noqa: BLE001 - logged, and the next tick tries again
        # The class only: a message may quote data.
        log.error("the periodic tick failed: %s; the next tick tries again", type(exc).__name__)
    finally:
        ensure_tick(run_after=timezone.now() + dt.timedelta(seconds=periodic.TICK_SECONDS))
    return ran


def _database_backend(t) -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:  # pragma: no cover - a dependency
        return False
    return isinstance(t.get_backend(), DatabaseBackend)


def ensure_tick(run_after: dt.datetime | None = None) -> bool:
    """Enqueue the next tick unless one is waiting already. Only with the database backend: the
    immediate backend would run it inside this call, forever."""
    if not _database_backend(tick):
        return False
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY").exists():
        return False
    (tick.using(run_after=run_after) if run_after else tick).enqueue()
    return True


def kick_outbox() -> None:
    """Ask a worker to drain the outbox now. Failing to enqueue loses nothing: the next tick drains it."""
    try:
        send_notifications.enqueue()
    except Exception:  # noqa: BLE001
        log.exception("could not enqueue send_notifications; the next tick sends instead")


def _drain() -> None:
    outbox.run_once()


def _digests() -> None:
    outbox.send_digests()


def _prune() -> None:
    # A tick a minute and a drain per transaction add up: finished task rows go after 14 days.
    from django.core.management import call_command

    call_command("prune_db_task_results", verbosity=0)


periodic.register("notifications.outbox", _drain, every=periodic.TICK_SECONDS)
periodic.register("notifications.digests", _digests, every=15 * 60)
periodic.register("notifications.prune_tasks", _prune, every=24 * 60 * 60)
# Housekeeping for the whole database rides on the same tick: the planner's statistics once a day.
periodic.register("database.statistics", refresh_statistics, every=24 * 60 * 60)
