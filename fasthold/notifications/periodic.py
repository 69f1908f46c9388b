"""Periodic jobs on the Tasks API: one `tick` task runs every job whose interval has passed, then
enqueues itself again. Apps register their jobs in AppConfig.ready() (the reminder digests register
from fasthold.deadlines). Each job is claimed per interval with a compare-and-set UPDATE on its
PeriodicRun row, so several workers run it once; the jobs themselves claim their rows safely too."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from fasthold.notifications.models import PeriodicRun

log = logging.getLogger(__name__)
TICK_SECONDS = 60


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: int


_JOBS: dict[str, Job] = {}


def register(name: str, run: Callable[[], object], every: int) -> None:
    _JOBS[name] = Job(name, run, every)


def jobs() -> list[Job]:
    return list(_JOBS.values())


def run_due(worker: str, now: dt.datetime | None = None) -> list[str]:
    """Run the jobs whose interval has passed and that this worker claims. Returns their names."""
    now = now or timezone.now()
    ran = []
    for job in jobs():
        PeriodicRun.objects.get_or_create(name=job.name)
        due = Q(last_started_at=None) | Q(last_started_at__lte=now - dt.timedelta(seconds=job.every - 1))
        if not PeriodicRun.objects.filter(due, name=job.name).update(last_started_at=now, last_worker=worker):
            continue
        try:
            job.run()
        except Exception:
            # One job's failure does not stop the others; it runs again at its next interval.
            log.exception("periodic job %s failed", job.name)
        ran.append(job.name)
    return ran
