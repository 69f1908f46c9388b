"""Background work on Django's Tasks API with django-tasks-db: `fasthold worker` runs the periodic tick
(outbox, digests, the reminder digests) and the drain task enqueued after a notification's commit."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fasthold.notifications import outbox, periodic
from fasthold.notifications.models import Notification, PeriodicRun, Status
from fasthold.notifications.tasks import TICK_PATH, ensure_tick
from tests.base import build_demo_world
from tests.notifications.kinds import PING


# Committed (transaction=True): the worker closes old connections between tasks, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_worker_drains_the_outbox_and_runs_the_reminder_digests():
    world = build_demo_world()
    outbox.notify(world.users["kurt"], PING, case=world.kurt, object_id=1)
    assert DBTaskResult.objects.filter(task_path="fasthold.notifications.tasks.send_notifications").count() == 1
    assert ensure_tick() is True
    assert ensure_tick() is False  # one tick waiting is enough
    call_command("worker", batch=True, verbosity=0)
    assert Notification.objects.get(kind=PING).status == Status.SENT
    recipients = {m.to[0] for m in mail.outbox}
    assert "kurt@example.org" in recipients
    # The tick ran the reminder digests too (the coordinator's daily deadline e-mail).
    assert "koordinator@example.org" in recipients
    assert set(PeriodicRun.objects.values_list("name", flat=True)) >= {
        "notifications.outbox",
        "notifications.digests",
        "deadlines.reminders",
        "plans.evaluation_reminders",
        "coordination.contact_reminders",
        "notifications.prune_tasks",
        "database.statistics",
        "api.prune_calls",
    }
    # And queued the next tick, a minute on; none of the tasks failed.
    nxt = DBTaskResult.objects.get(task_path=TICK_PATH, status="READY")
    assert nxt.run_after > timezone.now()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


class PeriodicTests(TestCase):
    def test_a_periodic_job_runs_once_per_interval_whoever_asks(self):
        runs = []
        periodic.register("test.job", lambda: runs.append(1), every=300)
        try:
            now = timezone.now()
            assert "test.job" in periodic.run_due("a", now)
            assert "test.job" not in periodic.run_due("b", now)
            assert "test.job" in periodic.run_due("b", now + timezone.timedelta(seconds=300))
            assert runs == [1, 1]
        finally:
            periodic._JOBS.pop("test.job")


class TickSurvivesAFailure(TestCase):
    def test_the_next_tick_is_enqueued_when_run_due_raises(self):
        from unittest import mock

        from django.db import OperationalError

        from fasthold.notifications.tasks import tick

        with (
            mock.patch.object(periodic, "run_due", side_effect=OperationalError("database is locked: secret")),
            self.assertLogs("fasthold.notifications.tasks", level="ERROR") as logs,
        ):
            assert tick.call() == []
        nxt = DBTaskResult.objects.get(task_path=TICK_PATH, status="READY")
        assert nxt.run_after > timezone.now()
        assert "OperationalError" in logs.output[0] and "secret" not in logs.output[0]
