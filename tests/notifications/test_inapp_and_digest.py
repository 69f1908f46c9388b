"""The in-app list (the person's own, mark read, gone when access goes), the e-mail choice and the
daily digest."""

import datetime as dt
from unittest import mock

from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from fasthold.notifications import outbox
from fasthold.notifications.context_processors import unread
from fasthold.notifications.models import Delivery, Digest, DigestState, EmailMode, Notification, NotificationSettings
from tests.base import DemoWorldTestCase
from tests.notifications.kinds import PING


def morning(days=0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(outbox.DIGEST_HOUR, 5)))


class InAppList(DemoWorldTestCase):
    def test_own_notifications_unread_count_and_mark_read(self):
        leder, kurt_case = self.users["leder"], self.world.kurt
        outbox.notify(leder, PING, case=kurt_case, object_id=1)
        outbox.notify(leder, PING, object_id=2)
        outbox.notify(self.users["koordinator"], PING, object_id=3)
        outbox.run_once(worker="w")
        self.as_user("leder")
        page = self.client.get("/notifications/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Ping 1" in html and "Ping 2" in html and "Ping 3" not in html
        request = RequestFactory().get("/")
        request.user = leder
        assert unread(request)["notifications_unread"]() == 2
        with translation.override("en"):
            header = render_to_string("notifications/_header.html", request=request)
        assert 'href="/notifications/"' in header and "2 unread notifications" in header
        mine = Notification.objects.get(user=leder, object_id=1)
        assert self.client.post(f"/notifications/{mine.public_id}/read/").status_code == 302
        mine.refresh_from_db()
        assert mine.read_at is not None
        # Someone else's notification is 404, not marked.
        other = Notification.objects.get(object_id=3)
        assert self.client.post(f"/notifications/{other.public_id}/read/").status_code == 404
        assert self.client.post("/notifications/read-all/").status_code == 302
        assert not Notification.objects.filter(user=leder, read_at=None).exists()

    def test_a_notification_leaves_the_list_when_access_ends(self):
        leder = self.users["leder"]
        outbox.notify(leder, PING, case=self.world.kurt, object_id=1)
        outbox.run_once(worker="w")
        self.as_user("leder")
        assert "Ping 1" in self.client.get("/notifications/").content.decode()
        with mock.patch("fasthold.cases.models.Case.objects.visible_to") as visible:
            from fasthold.cases.models import Case

            visible.return_value = Case.objects.none()
            assert "Ping 1" not in self.client.get("/notifications/").content.decode()

    def test_settings_page_saves_the_choice_and_is_linked_from_the_list(self):
        self.as_user("kurt")
        assert 'href="/notifications/settings/"' in self.client.get("/notifications/").content.decode()
        assert self.client.get("/notifications/settings/").status_code == 200
        response = self.client.post("/notifications/settings/", {"email_mode": "digest"})
        assert response.status_code == 302
        assert NotificationSettings.objects.get(user=self.users["kurt"]).email_mode == EmailMode.DIGEST

    def test_login_required(self):
        assert self.client.get("/notifications/").status_code == 302


class DailyDigest(DemoWorldTestCase):
    def test_digest_users_get_one_email_a_day_others_at_once(self):
        leder, kurt = self.users["leder"], self.users["kurt"]
        NotificationSettings.objects.create(user=leder, email_mode=EmailMode.DIGEST)
        outbox.notify(leder, PING, case=self.world.kurt, object_id=1)
        outbox.notify(leder, PING, case=self.world.kurt, object_id=2)
        outbox.notify(kurt, PING, case=self.world.kurt, object_id=3)
        outbox.run_once(worker="w")
        # In-app at once for both; e-mail at once only for the one who chose it.
        assert [m.to for m in mail.outbox] == [["kurt@example.org"]]
        assert Delivery.objects.filter(channel="inapp").count() == 3
        assert Notification.objects.filter(user=leder, digest_state=DigestState.WAITING).count() == 2
        # Before the digest hour nothing; from it one e-mail with both; once only, by whichever worker.
        early = morning().replace(hour=outbox.DIGEST_HOUR - 1)
        assert outbox.send_digests(now=early, worker="a") == 0
        assert outbox.send_digests(now=morning(), worker="a") == 1
        assert outbox.send_digests(now=morning(), worker="b") == 0
        digest_mail = mail.outbox[-1]
        assert digest_mail.to == ["leder@example.org"]
        assert "Ping 1" in digest_mail.body and "Ping 2" in digest_mail.body
        assert Digest.objects.get().item_count == 2
        assert Notification.objects.filter(user=leder, digest_state=DigestState.SENT).count() == 2
        assert outbox.send_digests(now=morning(1), worker="a") == 0

    def test_the_digest_asks_access_again(self):
        leder = self.users["leder"]
        NotificationSettings.objects.create(user=leder, email_mode=EmailMode.DIGEST)
        outbox.notify(leder, PING, case=self.world.kurt, object_id=1)
        outbox.run_once(worker="w")
        with mock.patch("fasthold.cases.models.Case.objects.visible_to") as visible:
            from fasthold.cases.models import Case

            visible.return_value = Case.objects.none()
            assert outbox.send_digests(now=morning(), worker="a") == 0
        assert len(mail.outbox) == 0


class InAppListQueries(DemoWorldTestCase):
    """The list words its rows one batch per kind: the page's queries do not grow with its rows."""

    def _add(self, user, count: int, start: int) -> None:
        from fasthold.coordination.reminders import CONTACT_OVERDUE
        from fasthold.notifications.models import Status
        from fasthold.plans.reminders import EVALUATION_DUE
        from fasthold.requests.notices import MEETING_REQUEST, MESSAGE

        case = self.world.kurt
        rows = []
        for i in range(start, start + count):
            for kind, object_id in (
                (CONTACT_OVERDUE, case.pk),
                (EVALUATION_DUE, 10_000 + i),
                (MEETING_REQUEST, 10_000 + i),
                (MESSAGE, 10_000 + i),
                (PING, i),
            ):
                rows.append(
                    Notification(
                        user=user,
                        kind=kind,
                        case=case,
                        object_id=object_id,
                        dedupe_key=f"q{i}",
                        status=Status.SENT,
                    )
                )
        Notification.objects.bulk_create(rows)

    def _queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get("/notifications/")
        assert page.status_code == 200
        return len(ctx.captured_queries)

    def test_query_count_does_not_grow_with_rows(self):
        leder = self.users["leder"]
        self._add(leder, 1, 0)
        self.as_user("leder")
        few = self._queries()
        assert "Ping 0" in self.client.get("/notifications/").content.decode()
        self._add(leder, 8, 1)  # 45 rows in all: within the page's 50
        many = self._queries()
        assert many == few, (few, many)
