"""Issue 17, item 4: actions look like DKFDS buttons, removing a participant asks first, and the
coordinator's consent page speaks about the employee, not to them."""

import re

from django.urls import reverse

from fasthold.cases.models import Participant
from tests.base import ALL_DEMOS, DemoWorldTestCase

ACTIONS = ("Remove", "Undo", "Show (logged)")


class ActionsAsButtonsTests(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def manager(self):
        return Participant.objects.filter(case=self.kurt, role="manager").first()

    def test_no_action_is_an_unstyled_button_on_the_case_pages(self):
        self.as_user("koordinator")
        for url in (
            reverse("cases:detail", args=[self.kurt.public_id]),
            reverse("deadlines:case", args=[self.kurt.public_id]),
            reverse("plans:plan", args=[self.kurt.public_id]),
        ):
            html = self.client.get(url).content.decode()
            self.assertNotIn("button-unstyled", html.split("<main", 1)[-1], url)
        html = self.client.get(reverse("cases:detail", args=[self.kurt.public_id])).content.decode()
        self.assertRegex(html, r'class="button button-tertiary"[^>]*>Show \(logged\)')

    def test_removing_a_participant_asks_first(self):
        self.as_user("koordinator")
        manager = self.manager()
        url = reverse("cases:participant_remove", args=[self.kurt.public_id, manager.public_id])
        case_page = self.client.get(reverse("cases:detail", args=[self.kurt.public_id])).content.decode()
        self.assertIn(f'href="{url}"', case_page)
        self.assertNotRegex(case_page, rf'<form[^>]*action="{re.escape(url)}"')
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "from the case?")
        self.assertRegex(page.content.decode(), r'<form method="post">')
        self.assertTrue(Participant.objects.filter(pk=manager.pk).exists(), "a GET removes nothing")
        self.assertRedirects(self.client.post(url), reverse("cases:detail", args=[self.kurt.public_id]))
        self.assertFalse(Participant.objects.filter(pk=manager.pk).exists())

    def test_read_only_staff_get_no_confirmation_page(self):
        self.as_user("laeser")
        url = reverse("cases:participant_remove", args=[self.kurt.public_id, self.manager().public_id])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_coordinators_consent_page_speaks_about_the_employee(self):
        url = reverse("sharing:consents", args=[self.kurt.public_id])
        self.as_user("koordinator")
        html = self.client.get(url).content.decode()
        self.assertNotIn("What your workplace may know", html)
        self.assertNotIn("What you can choose to share", html)
        self.assertIn("What Kurt Jensen's workplace may know", html)
        self.as_user("kurt")
        self.assertContains(self.client.get(url), "What your workplace may know")
