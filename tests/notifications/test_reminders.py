"""The two reminders NAV's users asked for: the manager at the plan's evaluation date, and the manager
when no contact has been logged for the agreed interval. Both close when their task is done."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from fasthold.coordination import reminders as contact
from fasthold.coordination.services import contact_log
from fasthold.notifications import outbox
from fasthold.notifications.models import CloseReason, Notification, Status
from fasthold.plans import reminders as evaluation
from fasthold.plans.models import PlanVersion, VersionStatus
from fasthold.plans.services import plan_publish, plan_revise
from tests.base import DemoWorldTestCase


def at(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, 5)))


HEALTH_WORDS = ("depression", "lænderyg", "diagnos", "psykolog")


class ContactOverdue(DemoWorldTestCase):
    load_demos = ("plans", "coordination")

    def test_the_manager_of_the_overdue_case_is_reminded_once_until_a_contact_is_logged(self):
        assert contact.contact_reminders(now=at(contact.REMINDER_HOUR - 1)) == 0
        contact.contact_reminders(now=at(8))
        contact.contact_reminders(now=at(9))  # the next hour: the same due date, no second row
        rows = Notification.objects.filter(kind=contact.CONTACT_OVERDUE)
        # Bodil's contact is overdue (her manager is Susanne, "chef"); Kurt's is on time.
        assert [(r.user.username, r.case_id) for r in rows] == [("chef", self.world.bodil.pk)]
        outbox.run_once(worker="w")
        (message,) = mail.outbox
        assert message.to == ["chef@example.org"]
        assert "Bodil" in message.subject and f"/employer/{self.world.bodil.public_id}/" in message.body
        assert not any(word in message.body.lower() for word in HEALTH_WORDS)
        # The manager logs her call: the reminder is done and leaves her list.
        contact_log(
            actor=self.users["chef"],
            case=self.world.bodil,
            occurred_on=timezone.localdate(),
            channel="phone",
            with_name="Bodil Sørensen",
        )
        row = rows.get()
        assert row.status == Status.CLOSED and row.close_reason == CloseReason.DONE


class EvaluationDate(DemoWorldTestCase):
    load_demos = ("plans", "coordination")

    def current(self) -> PlanVersion:
        return PlanVersion.objects.get(plan__case=self.world.kurt, status=VersionStatus.CURRENT)

    def test_the_manager_is_reminded_on_the_evaluation_date_and_it_closes_when_the_plan_is_revised(self):
        version = self.current()
        PlanVersion.objects.filter(pk=version.pk).update(evaluation_date=timezone.localdate() + dt.timedelta(days=1))
        assert evaluation.evaluation_reminders(now=at(8)) == 0  # not yet
        PlanVersion.objects.filter(pk=version.pk).update(evaluation_date=timezone.localdate())
        assert evaluation.evaluation_reminders(now=at(evaluation.REMINDER_HOUR - 1)) == 0
        evaluation.evaluation_reminders(now=at(8))
        evaluation.evaluation_reminders(now=at(12))
        (row,) = Notification.objects.filter(kind=evaluation.EVALUATION_DUE)
        assert row.user.username == "leder" and row.object_id == version.pk
        outbox.run_once(worker="w")
        (message,) = mail.outbox
        assert message.to == ["leder@example.org"] and "Kurt Jensen" in message.subject
        assert not any(word in message.body.lower() for word in HEALTH_WORDS)
        # The coordinator revises and publishes the plan: the evaluation is done.
        plan = version.plan
        draft = plan_revise(
            actor=self.users["koordinator"], plan=plan, expected_version=plan.version, reason="Evaluated"
        )
        plan_publish(actor=self.users["koordinator"], version=draft, expected_version=draft.version)
        row.refresh_from_db()
        assert row.status == Status.CLOSED and row.close_reason == CloseReason.DONE

    def test_a_reminder_about_a_superseded_version_is_not_sent(self):
        version = self.current()
        PlanVersion.objects.filter(pk=version.pk).update(evaluation_date=timezone.localdate())
        evaluation.evaluation_reminders(now=at(8))
        PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.SUPERSEDED)
        assert outbox.run_once(worker="w") == {"closed": 1}
        assert not mail.outbox
