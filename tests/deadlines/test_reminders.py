"""Reminder digests: the right people, the right items, and never twice with concurrent workers."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from fasthold.deadlines import reminders
from fasthold.deadlines.models import ReminderDigest
from tests.base import DemoWorldTestCase, build_demo_world


class DigestTests(DemoWorldTestCase):
    def test_digest_goes_to_coordinator_manager_and_employee_with_their_items(self):
        sent = reminders.run_once()
        recipients = {m.to[0] for m in mail.outbox}
        assert sent == len(mail.outbox)
        assert {"koordinator@example.org", "leder@example.org", "chef@example.org", "anden@example.org"} <= recipients
        manager_mail = next(m for m in mail.outbox if m.to == ["leder@example.org"])
        assert "Kurt Jensen" in manager_mail.body
        assert "Bodil" not in manager_mail.body
        assert "Lænderyg" not in manager_mail.body and "depression" not in manager_mail.body.lower()
        assert manager_mail.subject.startswith("Fasthold")
        # Danish by default, English for the user who prefers it.
        english = next(m for m in mail.outbox if m.to == ["anden@example.org"])
        assert "deadline" in english.subject
        assert "frist" in manager_mail.subject.lower()
        # Running again the same day sends nothing more.
        assert reminders.run_once() == 0
        assert ReminderDigest.objects.filter(day=timezone.localdate(), sent_at__isnull=False).count() == sent
        assert self.world


# Its own world, committed (transaction=True): the two workers use their own connections and see only committed rows.
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_send_each_digest_once():
    build_demo_world()
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def worker(name):
        try:
            barrier.wait(timeout=10)
            counts.append(reminders.run_once(worker=name))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"worker-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)), f"a digest was sent twice ({connection.vendor})"
    assert sum(counts) == len(recipients) == ReminderDigest.objects.exclude(sent_at=None).count()
    assert len(recipients) >= 4
