"""The access matrix: every persona against every case view, on their own case and others'."""

from django.urls import reverse

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Case
from tests.base import DemoWorldTestCase

READ_VIEWS = ["cases:detail"]
HEALTH_VIEWS = ["cases:health"]
WRITE_GET_VIEWS = ["cases:edit", "cases:close", "cases:participant_add", "cases:health_edit"]
WRITE_POST_VIEWS = ["cases:cpr", "cases:reopen"]


class AccessMatrixTests(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_case = Case.objects.get(organisation=cls.world.orgs["clinic"])

    def as_user(self, username):
        self.client.force_login(self.world.users[username])

    def status(self, view, case, method="get"):
        url = reverse(view, args=[case.public_id])
        return getattr(self.client, method)(url).status_code

    def test_outsider_gets_404_for_every_case_view_whether_or_not_the_case_exists(self):
        self.as_user("anden")
        import uuid

        for view in READ_VIEWS + HEALTH_VIEWS + WRITE_GET_VIEWS:
            with self.subTest(view=view):
                self.assertEqual(self.status(view, self.world.kurt), 404)
                self.assertEqual(self.client.get(reverse(view, args=[uuid.uuid4()])).status_code, 404)
        for view in WRITE_POST_VIEWS:
            with self.subTest(view=view):
                self.assertEqual(self.status(view, self.world.kurt, "post"), 404)

    def test_coordinators_of_the_organisation_can_read_and_write(self):
        for username in ("koordinator", "kollega", "admin"):
            self.as_user(username)
            for view in READ_VIEWS + HEALTH_VIEWS + WRITE_GET_VIEWS:
                with self.subTest(user=username, view=view):
                    self.assertEqual(self.status(view, self.world.kurt), 200)
            with self.subTest(user=username, view="other organisation"):
                self.assertEqual(self.status("cases:detail", self.other_case), 404)

    def test_read_only_staff_sees_but_gets_403_on_writes(self):
        self.as_user("laeser")
        self.assertEqual(self.status("cases:detail", self.world.kurt), 200)
        self.assertEqual(self.status("cases:health", self.world.kurt), 200)
        for view in WRITE_GET_VIEWS:
            with self.subTest(view=view):
                self.assertEqual(self.status(view, self.world.kurt), 403)
        for view in WRITE_POST_VIEWS:
            with self.subTest(view=view):
                self.assertEqual(self.status(view, self.world.kurt, "post"), 403)

    def test_manager_sees_own_employees_case_without_health_and_cannot_write(self):
        self.as_user("leder")
        response = self.client.get(reverse("cases:detail", args=[self.world.kurt.public_id]))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("Kurt Jensen", page)
        self.assertNotIn("Lænderygsmerter", page)
        self.assertNotIn("bevægeapparat", page.lower())  # detailed cause category, Danish label
        self.assertNotIn("musculoskeletal", page.lower())
        self.assertNotIn("050371", page)  # no CPR, not even masked
        self.assertNotIn("Mette Fys", page)  # the physiotherapist is health information
        self.assertNotIn("smerteskema", page)  # professionals-only timeline note
        self.assertEqual(self.status("cases:health", self.world.kurt), 403)
        for view in WRITE_GET_VIEWS:
            with self.subTest(view=view):
                self.assertEqual(self.status(view, self.world.kurt), 403)
        # Not a participant in Bodil's case, and not her employer:
        self.assertEqual(self.status("cases:detail", self.world.bodil), 404)

    def test_manager_who_leaves_the_case_loses_access(self):
        self.world.kurt.participants.filter(user=self.world.users["leder"]).delete()
        self.as_user("leder")
        self.assertEqual(self.status("cases:detail", self.world.kurt), 404)

    def test_manager_of_another_employer_is_not_let_in_by_participation_alone(self):
        from fasthold.cases.models import Participant

        Participant.objects.create(case=self.world.kurt, role="manager", user=self.world.users["chef"])
        self.as_user("chef")
        self.assertEqual(self.status("cases:detail", self.world.kurt), 404)

    def test_employee_sees_own_case_including_health_but_not_others(self):
        self.as_user("kurt")
        # Her own case page sends her to her portal, where her case is told in words meant for her.
        response = self.client.get(reverse("cases:detail", args=[self.world.kurt.public_id]))
        self.assertRedirects(response, reverse("portals:employee"))
        response = self.client.get(reverse("cases:health", args=[self.world.kurt.public_id]))
        self.assertContains(response, "Lænderygsmerter")
        self.assertEqual(self.status("cases:detail", self.world.bodil), 404)
        for view in WRITE_GET_VIEWS:
            with self.subTest(view=view):
                self.assertEqual(self.status(view, self.world.kurt), 403)

    def test_health_professional_participant_sees_health_part(self):
        self.as_user("psykolog")
        response = self.client.get(reverse("cases:health", args=[self.world.bodil.public_id]))
        self.assertContains(response, "Moderat depression")
        self.assertEqual(self.status("cases:detail", self.world.kurt), 404)
        self.assertEqual(self.status("cases:edit", self.world.bodil), 403)

    def test_case_list_shows_each_persona_only_their_cases(self):
        expected = {
            "koordinator": {"Kurt Jensen", "Bodil Sørensen"},
            "leder": {"Kurt Jensen"},
            "chef": {"Bodil Sørensen"},
            "kurt": {"Kurt Jensen"},
            "psykolog": {"Bodil Sørensen"},
            "anden": {"Ida Mortensen"},
        }
        for username, names in expected.items():
            with self.subTest(user=username):
                self.as_user(username)
                page = self.client.get(reverse("cases:list"))
                self.assertEqual(page.status_code, 200)
                shown = {c.person.name for c in page.context["page"].object_list}
                self.assertEqual(shown, names)

    def test_list_filter_and_single_case_policy_agree_for_every_persona(self):
        from fasthold.cases.access import case_access

        for username, user in self.world.users.items():
            with self.subTest(user=username):
                listed = set(Case.objects.visible_to(user).values_list("pk", flat=True))
                allowed = {c.pk for c in Case.objects.all() if case_access(user, c).can_view}
                self.assertEqual(listed, allowed)

    def test_name_search_finds_part_of_a_name_without_case(self):
        self.as_user("koordinator")
        for query, names in (("sØR", {"Bodil Sørensen"}), ("jens", {"Kurt Jensen"}), ("mortensen", set())):
            with self.subTest(query=query):
                page = self.client.get(reverse("cases:list"), {"q": query})
                self.assertEqual({c.person.name for c in page.context["page"].object_list}, names)

    def test_case_list_never_shows_employer_the_detailed_cause(self):
        self.as_user("chef")
        page = self.client.get(reverse("cases:list")).content.decode()
        self.assertNotIn("depression", page.lower())

    def test_anonymous_users_are_sent_to_login(self):
        response = self.client.get(reverse("cases:detail", args=[self.world.kurt.public_id]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_only_staff_with_write_roles_open_cases_and_employers(self):
        for username, expected in (("koordinator", 200), ("laeser", 403), ("leder", 403), ("kurt", 403)):
            with self.subTest(user=username):
                self.as_user(username)
                self.assertEqual(self.client.get(reverse("cases:create")).status_code, expected)
                self.assertEqual(self.client.get(reverse("organisations:employer_create")).status_code, expected)

    def test_audit_log_is_for_organisation_admins_only(self):
        for username, expected in (("admin", 200), ("koordinator", 403), ("leder", 403), ("anden", 403)):
            with self.subTest(user=username):
                self.as_user(username)
                self.assertEqual(self.client.get(reverse("audit")).status_code, expected)


class CaseViewLogTests(DemoWorldTestCase):
    def test_every_case_page_view_is_logged_with_who_and_when(self):
        world = self.world
        self.client.force_login(world.users["leder"])
        self.client.get(reverse("cases:detail", args=[world.kurt.public_id]))
        entry = AuditEntry.objects.get(action=AuditAction.CASE_VIEWED)
        assert entry.actor == world.users["leder"] and entry.case == world.kurt and entry.occurred_at is not None
