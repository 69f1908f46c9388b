from tests.sharing.base import SharingTestCase


class SmokeTests(SharingTestCase):
    def test_pages_render(self):
        self.as_user("bodil")
        r = self.client.get(self.url("consents"))
        self.assertEqual(r.status_code, 200)
        r = self.client.post(
            self.url("give"), {"category": "illness", "recipients": ["manager"], "text": "Jeg er syg af stress."}
        )
        self.assertEqual(r.status_code, 302)
        r = self.client.get(self.url("consents"))
        self.assertContains(r, "Jeg er syg af stress.")
        r = self.client.post(self.url("colleague_draft"))
        self.assertEqual(r.status_code, 302)
        r = self.client.get(self.url("colleagues"))
        self.assertEqual(r.status_code, 200)
        self.as_user("chef")
        r = self.client.get(f"/cases/{self.bodil.public_id}/")
        self.assertContains(r, "Jeg er syg af stress.")
        r = self.client.get(f"/plans/case/{self.bodil.public_id}/retention-plan.pdf")
        self.assertEqual(r.status_code, 200)
