"""List and case pages use a fixed number of queries, however many cases, participants or events exist."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.demo import add_synthetic_cases
from fasthold.organisations.models import Organisation, OrganisationKind
from fasthold.people.models import Invitation
from tests.base import DemoWorldTestCase

# session, user, nav roles, staff orgs, coordinator choices, the user's memberships, participations
# and own person (visible_to), count, page rows, employer choices, writable org.
LIST_QUERIES = 13  # with the header: the unread notifications (1)
# session, user, case, memberships, participations, view-log insert, participants, events, nav,
# the plan summary (plan with its current version, latest step), and the coordination panels:
# next meeting (1), contact agreement and last contact (2), consents in force (1), and the read-log insert
# (the coordinator sees professionals-only timeline events: fasthold.audit.readlog), and the
# participants' memberships, to mark those whose access has lapsed (fasthold.cases.eligibility.lapses),
# and, for those who may change the case, the invitations not yet accepted (fasthold.people), and the
# fitness-for-work statements (1, fasthold.coordination), and the extent of absence from the current
# plan's graded schedule (1 without a schedule; with one, its day adjustments and this week's actual hours),
# and the overview: the next deadlines (1), the next meeting this reader may see (1), and the current plan's
# progress (its sub-goals and, with scales, their latest scores: 0 to 2). The overview shares the step, the
# current plan version and the contact status with the panels below it.
DETAIL_QUERIES = 28  # the requests panel (fasthold.requests): its open and its newest closed requests and messages, a query each; the header's unread notifications (1)


def invite_directly(case, actor, email):
    now = timezone.now()
    Invitation.objects.create(
        purpose="case",
        case=case,
        participant_role="hr",
        email=email,
        first_name="K",
        language="da",
        invited_by=actor,
        token_hash=email,
        sent_at=now,
        expires_at=now + dt.timedelta(days=7),
    )


class QueryCountTests(DemoWorldTestCase):
    def grow(self, count, events=3):
        add_synthetic_cases(
            count,
            organisation=self.world.orgs["jobcentre"],
            coordinators=[self.world.users["koordinator"]],
            employers=list(Organisation.objects.filter(kind=OrganisationKind.EMPLOYER)),
            events_per_case=events,
        )

    def queries(self, url, params=None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_case_list_query_count_is_constant(self):
        self.client.force_login(self.world.users["koordinator"])
        url = reverse("cases:list")
        filtered = {"status": "open", "cause": "mental", "q": "en", "weeks_min": 1, "coordinator": "me", "sort": "name"}
        small = (self.queries(url), self.queries(url, filtered))
        self.grow(60)
        large = (self.queries(url), self.queries(url, filtered))
        self.assertEqual(small, large)
        self.assertEqual(large[0], LIST_QUERIES)

    def test_case_list_query_count_for_manager_and_employee(self):
        for username in ("leder", "kurt"):
            self.client.force_login(self.world.users[username])
            before = self.queries(reverse("cases:list"))
            self.grow(5)
            self.assertEqual(self.queries(reverse("cases:list")), before)

    def test_case_page_query_count_is_constant(self):
        self.client.force_login(self.world.users["koordinator"])
        url = reverse("cases:detail", args=[self.world.kurt.public_id])
        before = self.queries(url)
        for i in range(30):
            self.world.kurt.participants.create(role="other", name=f"Kontakt {i}")
            invite_directly(self.world.kurt, self.world.users["koordinator"], f"kontakt{i}@example.net")
        add_synthetic_cases(
            1,
            organisation=self.world.orgs["jobcentre"],
            coordinators=[self.world.users["koordinator"]],
            employers=[self.world.orgs["door_factory"]],
            events_per_case=50,
        )
        self.assertEqual(self.queries(url), before)
        self.assertLessEqual(before, DETAIL_QUERIES)

    def test_audit_list_query_count_is_constant(self):
        self.client.force_login(self.world.users["koordinator"])
        self.client.get(reverse("cases:health", args=[self.world.kurt.public_id]))
        self.client.force_login(self.world.users["admin"])
        before = self.queries(reverse("audit"))
        self.client.force_login(self.world.users["koordinator"])
        for case in (self.world.kurt, self.world.bodil) * 5:
            self.client.get(reverse("cases:health", args=[case.public_id]))
        self.client.force_login(self.world.users["admin"])
        self.assertEqual(self.queries(reverse("audit")), before)


class CappedCountTests(DemoWorldTestCase):
    def test_case_list_says_more_than_the_cap_instead_of_counting_everything(self):
        from unittest import mock

        add_synthetic_cases(
            8,
            organisation=self.world.orgs["jobcentre"],
            coordinators=[self.world.users["koordinator"]],
            employers=[self.world.orgs["door_factory"]],
            events_per_case=1,
        )
        self.client.force_login(self.world.users["koordinator"])
        self.client.cookies["django_language"] = "en"
        with mock.patch("fasthold.cases.views.COUNT_CAP", 3):
            response = self.client.get(reverse("cases:list"), {"status": "all"})
        self.assertContains(response, "More than 3 cases")
        self.assertEqual(response.context["page"].paginator.count, 4)
        exact = self.client.get(reverse("cases:list"), {"status": "all"})
        self.assertEqual(exact.context["page"].paginator.count, 10)  # Kurt, Bodil and the 8 added
