"""Two workers drain the same outbox at once: every notification is delivered exactly once, on
PostgreSQL (FOR UPDATE SKIP LOCKED) and on SQLite (compare-and-set UPDATE). Made unconditional, the
claim lets both workers take the same rows and this test fails."""

import threading
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections

from fasthold.notifications import outbox
from fasthold.notifications.models import Delivery, Notification, Status
from tests.notifications.kinds import PING

ROWS = 300


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_notification_exactly_once():
    User = get_user_model()
    users = [User.objects.create_user(f"u{i}", email=f"u{i}@example.org") for i in range(10)]
    Notification.objects.bulk_create(
        [Notification(user=users[i % len(users)], kind=PING, object_id=i) for i in range(ROWS)]
    )
    barrier = threading.Barrier(2)
    results, claimed, errors = {}, {}, []

    def worker(name):
        try:
            barrier.wait(timeout=10)
            # The worker's loop (outbox.run_once), with each claim recorded. Small batches, so the two
            # workers interleave over many claims.
            claimed[name], outcomes = [], Counter()
            while True:
                ids = outbox.claim(name, limit=10)
                if not ids:
                    # The other worker took this batch (or held the lock): go on while rows wait.
                    if not Notification.objects.filter(status=Status.PENDING).exists():
                        break
                    continue
                claimed[name].extend(ids)
                for pk in ids:
                    outcomes[outbox.send(pk, name)] += 1
            results[name] = outcomes
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"worker-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors

    # Each row claimed by one worker, once.
    both = set(claimed["worker-0"]) & set(claimed["worker-1"])
    assert not both, f"{len(both)} rows claimed by both workers ({connection.vendor})"
    assert Notification.objects.filter(attempts__gt=1).count() == 0
    assert len(claimed["worker-0"]) + len(claimed["worker-1"]) == ROWS

    per_row = Counter(Delivery.objects.filter(channel="email").values_list("notification_id", flat=True))
    twice = [pk for pk, n in per_row.items() if n > 1]
    assert not twice, f"{len(twice)} notifications e-mailed more than once ({connection.vendor})"
    assert len(per_row) == ROWS
    assert Delivery.objects.filter(channel="inapp").count() == ROWS
    assert len(mail.outbox) == ROWS
    assert Notification.objects.filter(status=Status.SENT).count() == ROWS
    assert sum(r.get("sent", 0) for r in results.values()) == ROWS
    # Both took part (the work was shared, not done by one while the other waited).
    assert all(r.get("sent", 0) > 0 for r in results.values()), results
