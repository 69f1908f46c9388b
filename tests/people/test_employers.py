"""Employer pages: details, their people, the cases staff may see, editing, and inviting managers."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from fasthold.organisations.models import Membership, OrgRole
from tests.people.base import PeopleTestCase

User = get_user_model()


class EmployerPages(PeopleTestCase):
    def test_staff_see_the_employer_its_people_and_their_own_cases(self):
        self.as_user("koordinator")
        page = self.client.get(reverse("people:employer", args=[self.employer.public_id]))
        self.assertContains(page, "Nordjysk Dør og Vindue A/S")
        self.assertContains(page, "10000009")
        self.assertContains(page, "Peter Nielsen")  # the manager
        self.assertContains(page, "Sofie Andersen")
        self.assertContains(page, "Kurt Jensen")
        # Another organisation's coordinator sees the employer but none of this jobcentre's cases.
        self.as_user("anden")
        page = self.client.get(reverse("people:employer", args=[self.employer.public_id]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Sofie Andersen")
        self.assertNotContains(page, "Kurt Jensen")

    def test_the_employer_side_and_employees_do_not_reach_employer_pages(self):
        for username in ("leder", "chef", "kurt", "psykolog"):
            self.as_user(username)
            self.assertEqual(
                self.client.get(reverse("people:employer", args=[self.employer.public_id])).status_code, 404
            )
            self.assertEqual(
                self.client.get(reverse("people:employer_edit", args=[self.employer.public_id])).status_code, 404
            )
        self.as_user("laeser")  # read-only staff: the page, not the changes
        self.assertEqual(self.client.get(reverse("people:employer", args=[self.employer.public_id])).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("people:employer_edit", args=[self.employer.public_id])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("people:employer_invite", args=[self.employer.public_id])).status_code, 404
        )

    def edit(self, version, **changes):
        data = {
            "name": self.employer.name,
            "cvr": self.employer.cvr,
            "address": "Industrivej 4",
            "postcode": "9000",
            "city": "Aalborg",
            "size_band": self.employer.size_band,
            "industry": self.employer.industry,
            "version": version,
            **changes,
        }
        return self.client.post(reverse("people:employer_edit", args=[self.employer.public_id]), data)

    def test_edit_validates_the_cvr_and_keeps_concurrent_edits_apart(self):
        self.as_user("koordinator")
        self.assertContains(self.edit(1, cvr="12345678"), "check digit", status_code=400)
        self.assertContains(self.edit(1, postcode="90"), "4 digits", status_code=400)
        self.assertContains(self.edit(1, cvr="20000005"), "CVR", status_code=400)  # another employer's
        self.assertEqual(self.edit(1).status_code, 302)
        self.employer.refresh_from_db()
        self.assertEqual(
            (self.employer.address, self.employer.postcode, self.employer.city), ("Industrivej 4", "9000", "Aalborg")
        )
        stale = self.edit(1, city="Nørresundby")
        self.assertEqual(stale.status_code, 409)
        self.assertContains(stale, "Nørresundby", status_code=409)  # the user's input is kept
        self.employer.refresh_from_db()
        self.assertEqual(self.employer.city, "Aalborg")
        self.assertEqual(self.edit(stale.context["version"], city="Nørresundby").status_code, 302)

    def test_a_manager_is_added_by_invitation(self):
        self.as_user("koordinator")
        data = {
            "first_name": "Mette",
            "last_name": "Krog",
            "email": "mette@example.net",
            "org_role": "hr",
            "language": "da",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("people:employer_invite", args=[self.employer.public_id]), data)
        self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("people:employer", args=[self.employer.public_id]))
        self.assertContains(page, "Mette Krog")
        self.accept(self.last_link())
        user = User.objects.get(email="mette@example.net")
        self.assertEqual(
            list(Membership.objects.filter(user=user).values_list("organisation", "role")),
            [(self.employer.pk, OrgRole.HR)],
        )
        portal = self.client.get(reverse("home"), follow=True)
        self.assertEqual(portal.resolver_match.view_name, "portals:employer")
        self.assertNotContains(portal, "Kurt Jensen")  # a case only once they take part in it
        # Only the employer roles: a staff role from the employer page is refused.
        self.as_user("koordinator")
        data.update(email="x@example.net", org_role="coordinator")
        self.assertEqual(
            self.client.post(reverse("people:employer_invite", args=[self.employer.public_id]), data).status_code, 400
        )
