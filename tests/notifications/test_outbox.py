"""The outbox: written with the change, access asked at send time, retries with backoff, stuck rows
taken again, closed when the task is done, /healthz."""

import datetime as dt
from unittest import mock

from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from fasthold.notifications import outbox
from fasthold.notifications.models import CloseReason, Delivery, Notification, Status
from tests.base import DemoWorldTestCase, add_user
from tests.notifications.kinds import GONE, PING, FlakyChannel

FLAKY = ["fasthold.notifications.channels.InAppChannel", "tests.notifications.kinds.FlakyChannel"]


class WrittenWithTheChange(TestCase):
    def test_a_rolled_back_change_leaves_no_notification(self):
        user = add_user("ulla")
        try:
            with transaction.atomic():
                outbox.notify(user, PING, object_id=1)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
        assert not Notification.objects.exists()

    def test_the_worker_is_asked_after_commit(self):
        user = add_user("ulla")
        with mock.patch("fasthold.notifications.tasks.kick_outbox") as kick:
            with self.captureOnCommitCallbacks(execute=True):
                with transaction.atomic():
                    outbox.notify(user, PING, object_id=1)
                    outbox.notify(user, PING, object_id=2)
                    assert kick.call_count == 0
        assert kick.call_count == 1  # once per transaction, however many rows

    def test_same_dedupe_key_writes_one_row(self):
        user = add_user("ulla")
        outbox.notify(user, PING, object_id=1, dedupe_key="plan-1:2026-12-07")
        outbox.notify(user, PING, object_id=1, dedupe_key="plan-1:2026-12-07")
        assert Notification.objects.count() == 1


class Sending(TestCase):
    def setUp(self):
        self.user = add_user("ulla")

    def test_sent_on_email_and_in_app_once(self):
        outbox.notify(self.user, PING, object_id=7)
        assert outbox.run_once(worker="w") == {"sent": 1}
        assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Ping 7"
        assert "http://127.0.0.1:8000/notifications/" in mail.outbox[0].body
        assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "inapp"]
        assert outbox.run_once(worker="w") == {}
        assert len(mail.outbox) == 1

    def test_the_row_holds_no_text(self):
        outbox.notify(self.user, PING, object_id=7)
        row = Notification.objects.values().get()
        assert "Ping" not in str(row)

    def test_what_is_gone_is_closed_not_sent(self):
        outbox.notify(self.user, GONE, object_id=7)
        assert outbox.run_once(worker="w") == {"closed": 1}
        row = Notification.objects.get()
        assert row.status == Status.CLOSED and row.close_reason == CloseReason.GONE
        assert not mail.outbox

    def test_an_inactive_user_gets_nothing(self):
        outbox.notify(self.user, PING, object_id=7)
        self.user.is_active = False
        self.user.save()
        assert outbox.run_once(worker="w") == {"closed": 1}
        assert Notification.objects.get().close_reason == CloseReason.NO_ACCESS
        assert not mail.outbox

    @override_settings(FASTHOLD_NOTIFICATION_CHANNELS=FLAKY)
    def test_a_failure_is_retried_with_backoff_and_delivered_once(self):
        FlakyChannel.failures, FlakyChannel.delivered = 2, []
        outbox.notify(self.user, PING, object_id=7)
        start = timezone.now()
        assert outbox.run_once(worker="w") == {"retry": 1}
        row = Notification.objects.get()
        assert row.status == Status.PENDING and row.attempts == 1 and row.last_error == "ConnectionError"
        first_wait = (row.next_attempt_at - start).total_seconds()
        assert 59 <= first_wait <= 60 * 1.25 + 1
        # Not due yet: nothing happens.
        assert outbox.run_once(worker="w") == {}
        # Due: fails again, waits about twice as long. In-app went the first time and is not repeated.
        second_start = row.next_attempt_at
        with mock.patch("django.utils.timezone.now", return_value=second_start):
            assert outbox.run_once(worker="w") == {"retry": 1}
        row.refresh_from_db()
        assert 119 <= (row.next_attempt_at - second_start).total_seconds() <= 120 * 1.25 + 1
        assert row.attempts == 2
        with mock.patch("django.utils.timezone.now", return_value=row.next_attempt_at):
            assert outbox.run_once(worker="w") == {"sent": 1}
        assert FlakyChannel.delivered == [row.pk]
        assert Delivery.objects.filter(channel="inapp").count() == 1
        assert Delivery.objects.filter(channel="flaky").count() == 1

    @override_settings(FASTHOLD_NOTIFICATION_CHANNELS=FLAKY)
    def test_given_up_after_max_attempts(self):
        FlakyChannel.failures, FlakyChannel.delivered = 100, []
        outbox.notify(self.user, PING, object_id=7)
        now = timezone.now()
        for _ in range(20):
            now += dt.timedelta(hours=7)
            with mock.patch("django.utils.timezone.now", return_value=now):
                outbox.run_once(worker="w")
        row = Notification.objects.get()
        assert row.status == Status.FAILED and row.attempts == 8
        assert outbox.health(now)["failed"] == 1

    def test_a_stuck_claim_is_taken_again_and_a_fresh_one_is_not(self):
        outbox.notify(self.user, PING, object_id=7)
        assert outbox.claim("dead-worker") != []
        assert outbox.claim("other") == []  # held
        assert outbox.health()["stuck"] == 0
        later = timezone.now() + dt.timedelta(minutes=11)
        assert outbox.health(later)["stuck"] == 1
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert outbox.run_once(worker="other") == {"sent": 1}
        # The dead worker, waking up, cannot finish or send it again.
        assert outbox.send(Notification.objects.get().pk, "dead-worker") == "lost"
        assert len(mail.outbox) == 1

    def test_closed_when_the_task_is_done(self):
        outbox.notify(self.user, PING, object_id=7)
        outbox.notify(self.user, PING, object_id=8)
        assert outbox.close(PING, object_id=7) == 1
        assert outbox.run_once(worker="w") == {"sent": 1}
        assert Notification.objects.get(object_id=7).status == Status.CLOSED
        # A sent one leaves the list when its task is done.
        assert outbox.close(PING, object_id=8) == 1
        assert not Notification.objects.filter(status=Status.SENT).exists()


class AccessAtSendTime(DemoWorldTestCase):
    def test_someone_who_may_not_see_the_case_is_told_nothing(self):
        case = self.world.kurt
        outbox.notify(self.users["anden"], PING, case=case, object_id=1)
        outbox.notify(self.users["leder"], PING, case=case, object_id=2)
        assert outbox.run_once(worker="w") == {"closed": 1, "sent": 1}
        assert [m.to for m in mail.outbox] == [["leder@example.org"]]
        closed = Notification.objects.get(user=self.users["anden"])
        assert closed.close_reason == CloseReason.NO_ACCESS


class Healthz(TestCase):
    def test_counts_without_login(self):
        user = add_user("ulla")
        outbox.notify(user, PING, object_id=1)
        response = self.client.get("/healthz")
        assert response.status_code == 200
        data = response.json()
        assert data["database"] == "ok"
        assert data["outbox"]["pending"] == 1 and data["outbox"]["stuck"] == 0
        assert set(data["outbox"]) == {"pending", "stuck", "failed", "oldest_pending_seconds"}
        assert "ulla" not in response.content.decode()

    def test_503_when_the_database_does_not_answer(self):
        from django.db.utils import OperationalError

        with mock.patch("fasthold.notifications.outbox.health", side_effect=OperationalError("down")):
            response = self.client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"database": "error"}
