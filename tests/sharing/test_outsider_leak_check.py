"""The leak check for outsiders: people with a login who have nothing to do with the jobcentre's cases.

The whole demo world is built with every app's demo content and Kurt's case filled with sentinels (as in
the employer leak check). Each outsider crawls everything they can reach — every link from "/", and every
URL pattern of the project filled with the ids, keys and numbers of every row of Kurt's and Bodil's cases —
and every outgoing message is sent (the digest of every day, a meeting's invitation, update and
cancellations). No page, PDF, calendar file, error page or e-mail may carry the jobcentre's case data:
Kurt's and Bodil's names and CPR numbers, or any sentinel. A crawl cut short, a page that fails, or an
outsider who could not even reach their own pages fails the check.

The outsiders: the coordinator of another organisation (the demo's `anden`), a manager of another company,
a manager at Kurt's own company who is not on his case, and Kurt's former manager after Kurt changed
employer.
"""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Case, Employment, HealthRecord, Participant
from fasthold.coordination.models import PossibilityStatement
from fasthold.deadlines import reminders
from fasthold.deadlines.models import FeedToken
from fasthold.meetings import services as meetings
from fasthold.meetings.models import Meeting, MeetingAgreement, MeetingKind
from fasthold.organisations.models import OrganisationKind, OrgRole
from fasthold.plans.models import Activity, PlanVersion, SubGoal
from fasthold.schedules.models import MixerSetting, TaskItem
from fasthold.sharing import services as sharing
from fasthold.sharing.models import Category, Recipient
from tests.base import ALL_DEMOS, DemoWorldTestCase, add_employer, add_user
from tests.sharing.crawler import crawl
from tests.sharing.test_employer_leak_check import (
    HEALTH,
    OTHER_RECIPIENTS,
    QUESTIONNAIRE,
    db_pool,
    fill_sentinels,
    mail_text,
)

# The jobcentre's case data: nothing of it may reach an outsider, in any form.
JOBCENTRE = {
    "Kurt's name": "Kurt Jensen",
    "Bodil's name": "Bodil Sørensen",
    "Kurt's CPR number": "0503711234",
    "Kurt's CPR number (formatted)": "050371-1234",
    "Bodil's CPR number": "1207791234",
    "Bodil's CPR number (formatted)": "120779-1234",
    "Kurt's phone": "+45 20 11 22 33",
    "Bodil's phone": "+45 30 44 55 66",
    "Kurt's e-mail": "kurt@example.org",
    "Bodil's e-mail": "bodil@example.org",
    "Bodil's diagnosis": "SNTLBODILDIAGNOSIS",
    "shared with the manager": "SNTLMGRMESSAGE",
    **HEALTH,
    **QUESTIONNAIRE,
    **OTHER_RECIPIENTS,
}


User = get_user_model()


def uuids(queryset) -> list[str]:
    return [str(v) for v in queryset.values_list("public_id", flat=True)]


class OutsiderLeakCheck(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fill_sentinels(cls.world)
        HealthRecord.objects.filter(case=cls.bodil).update(diagnosis="Depression " + JOBCENTRE["Bodil's diagnosis"])
        sharing.consent_give(
            actor=cls.users["kurt"],
            case=cls.kurt,
            category=Category.MESSAGE,
            recipient=Recipient.MANAGER,
            text=f"Til Peter {JOBCENTRE['shared with the manager']}",
        )
        other_company = add_employer("Vestjysk Stål ApS", cvr="30000001")
        cls.stranger = add_user(
            "fremmed",
            (other_company, OrgRole.MANAGER),
            first_name="Frede",
            last_name="Fremmed",
            preferred_language="da",
        )
        cls.same_company = add_user(
            "naboleder",
            (cls.kurt.employment.employer, OrgRole.MANAGER),
            first_name="Nina",
            last_name="Nabo",
            preferred_language="da",
        )
        for user in (cls.users["anden"], cls.stranger, cls.same_company, cls.users["leder"]):
            FeedToken.objects.get_or_create(user=user)
        Participant.objects.filter(case=cls.kurt, role=ParticipantRole.SHOP_STEWARD).update(email="tr@example.org")
        cls.figures: dict[str, tuple[int, int]] = {}

    # ------------------------------------------------------------------ helpers

    def seeds(self, user) -> tuple[dict, dict]:
        numbers = [
            str(n)
            for n in PlanVersion.objects.filter(plan__case__in=[self.kurt, self.bodil])
            .values_list("number", flat=True)
            .distinct()
        ]
        ids = [str(c.public_id) for c in Case.objects.all()]
        cases = [self.kurt, self.bodil]
        # Each uuid parameter that shares a route with another gets the ids of its own kind only, so the
        # product of both stays small enough to be read in full (the crawl may leave nothing out).
        seeds = {
            "public_id": ids,
            "number": numbers,
            "token": [FeedToken.objects.get(user=user).token],
            "lang": ["da", "en"],
            "kind": ["subgoal", "activity"],
            "meeting_id": uuids(Meeting.objects.filter(case__in=cases)),
            "statement_id": uuids(PossibilityStatement.objects.filter(case__in=cases)),
            "agreement_id": uuids(MeetingAgreement.objects.filter(meeting__case__in=cases)),
            "item_id": uuids(SubGoal.objects.filter(version__plan__case__in=cases))
            + uuids(Activity.objects.filter(version__plan__case__in=cases)),
            # Its own ids, not every number of the two cases: on PostgreSQL the ids of earlier tests'
            # rows differ, and the product with every case id outgrew the per-route limit.
            "setting_id": [
                str(pk) for pk in MixerSetting.objects.filter(schedule__case__in=cases).values_list("pk", flat=True)
            ],
            # The same for the other numeric ids: on PostgreSQL the tables' sequences do not line up, so
            # the pool of every number of the two cases is several times larger than on SQLite, and the
            # staff pages alone filled the crawl's cap (3,000 requests) before the rest was read.
            "task_id": [str(pk) for pk in TaskItem.objects.filter(case__in=cases).values_list("pk", flat=True)],
            "user_id": [str(pk) for pk in User.objects.values_list("pk", flat=True)],
        }
        pools = [db_pool(self.kurt), db_pool(self.bodil)]
        conv = {key: list(dict.fromkeys(v for pool in pools for v in pool[key])) for key in pools[0]}
        conv["int"] = list(dict.fromkeys(numbers + conv["int"]))
        conv["isodate"] = [timezone.localdate().isoformat()]
        return seeds, conv

    def crawl_as(self, user, *, own_pages: list[str]):
        """Everything `user` can reach, checked for the jobcentre's data. `own_pages` must answer 200:
        proof that the crawl ran as a logged-in user who can see something, not as a locked-out one."""
        self.client.force_login(user)
        seeds, conv = self.seeds(user)
        start = [
            "/",
            reverse("deadlines:feed_settings"),
            reverse("deadlines:dashboard"),
            *(reverse("cases:detail", args=[c.public_id]) for c in (self.kurt, self.bodil)),
            *(reverse("plans:pdf", args=[c.public_id]) + "?lang=en" for c in (self.kurt, self.bodil)),
        ]
        result = crawl(self.client, start=start, seeds=seeds, conv_seeds=conv)
        self.assertEqual(
            (len(result.unread), result.left_out, result.unfilled), (0, {}, []), "the crawl did not read everything"
        )
        errors = [(v.url, v.status) for v in result.visits.values() if v.status >= 500]
        self.assertEqual(errors, [], "pages that fail cannot be checked")
        answered = {v.url.split("?")[0] for v in result.ok()}
        for page in own_pages:
            self.assertIn(page, answered, f"{user.username} could not reach their own page {page}")
        feed = reverse("deadlines:feed", args=[FeedToken.objects.get(user=user).token])
        self.assertIn(feed, answered, "the calendar feed was not read")
        # Every answer is searched, error pages too: a 404 must not echo what it refused.
        self.assert_absent({v.url: v.text for v in result.visits.values()}, user)
        for page in (reverse("cases:detail", args=[c.public_id]) for c in (self.kurt, self.bodil)):
            self.assertEqual(result.visits[page].status, 404, f"{page} answered {user.username}")
        self.figures[user.username] = (len(result.visits), len(result.ok()))
        print(
            f"outsider leak check crawl as {user.username}: {len(result.visits)} requests, "
            f"{len(result.ok())} answered 200"
        )
        return result

    def assert_absent(self, texts_by_key: dict, user) -> None:
        leaks = [(label, key) for key, text in texts_by_key.items() for label, s in JOBCENTRE.items() if s in text]
        self.assertEqual(leaks, [], f"the jobcentre's case data reached {user.username}")

    def send_every_message(self) -> list:
        """The digest of every day from Kurt's first sick day to eight weeks ahead, and a meeting with
        everyone on Kurt's case: invitation, update, cancellation to the one taken off it, cancellation."""
        first = len(mail.outbox)
        today = timezone.localdate()
        day = self.kurt.first_sick_day
        while day <= today + dt.timedelta(weeks=8):
            reminders.run_once(day)
            day += dt.timedelta(days=1)
        coordinator = self.users["koordinator"]
        everyone = list(Participant.objects.filter(case=self.kurt))
        starts = timezone.now().replace(microsecond=0, second=0, minute=0) + dt.timedelta(days=3)
        with self.captureOnCommitCallbacks(execute=True):
            meeting = meetings.meeting_plan(
                actor=coordinator,
                case=self.kurt,
                kind=MeetingKind.JOINT,
                starts_at=starts,
                duration_minutes=60,
                purpose="Vi taler om arbejdsopgaverne.",
                participants=everyone,
                place="Mødelokalet",
                base_url="http://testserver",
            )
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=coordinator,
                meeting=meeting,
                expected_version=meeting.version,
                data={"place": "Kantinen"},
                participants=everyone,
            )
        meeting.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=coordinator,
                meeting=meeting,
                expected_version=meeting.version,
                data={},
                participants=[p for p in everyone if p.role != ParticipantRole.SHOP_STEWARD],
            )
        meeting.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_cancel(actor=coordinator, meeting=meeting, expected_version=meeting.version)
        sent = mail.outbox[first:]
        methods = {m for message in sent for m in re.findall(r"METHOD:(\w+)", mail_text(message))}
        self.assertEqual(methods, {"REQUEST", "CANCEL"}, "the meeting's messages were not all sent")
        self.assertTrue(any(m.subject.startswith("Fasthold") for m in sent), "no digest was sent")
        return sent

    def mails_to(self, sent, user) -> dict[int, str]:
        return {i: mail_text(m) for i, m in enumerate(sent) if user.email in m.to + m.cc + m.bcc}

    # ------------------------------------------------------------------ the checks

    def test_coordinator_of_another_organisation(self):
        own_case = Case.objects.get(organisation__kind=OrganisationKind.OCCUPATIONAL_CLINIC)
        self.crawl_as(self.users["anden"], own_pages=[reverse("cases:detail", args=[own_case.public_id])])

    def test_manager_of_another_company(self):
        self.crawl_as(self.stranger, own_pages=[reverse("portals:employer")])

    def test_manager_at_kurts_company_not_on_his_case(self):
        self.crawl_as(self.same_company, own_pages=[reverse("portals:employer")])

    def test_no_message_reaches_an_outsider(self):
        with transaction.atomic():
            sent = self.send_every_message()
            transaction.set_rollback(True)
        anden = self.users["anden"]
        to_anden = self.mails_to(sent, anden)
        self.assertTrue(to_anden, "anden got no digest (about his own case) to check")
        self.assert_absent(to_anden, anden)
        for outsider in (self.stranger, self.same_company):
            self.assertEqual(self.mails_to(sent, outsider), {}, f"{outsider.username} was sent mail")

    def test_former_manager_after_kurt_changed_employer(self):
        leder = self.users["leder"]
        self.client.force_login(leder)
        self.assertEqual(self.client.get(reverse("cases:detail", args=[self.kurt.public_id])).status_code, 200)
        Employment.objects.filter(pk=self.kurt.employment_id).update(employer=self.world.orgs["accounting_firm"])
        self.crawl_as(leder, own_pages=[reverse("portals:employer")])
        with transaction.atomic():
            sent = self.send_every_message()
            transaction.set_rollback(True)
        self.assertEqual(self.mails_to(sent, leder), {})
