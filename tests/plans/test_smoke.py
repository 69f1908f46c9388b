from tests.plans.base import PlanTestCase


class SmokeTests(PlanTestCase):
    def test_pages_render_for_each_persona(self):
        for username, case in [
            ("koordinator", self.kurt),
            ("koordinator", self.bodil),
            ("leder", self.kurt),
            ("chef", self.bodil),
            ("kurt", self.kurt),
            ("bodil", self.bodil),
            ("psykolog", self.bodil),
            ("laeser", self.kurt),
        ]:
            self.as_user(username)
            with self.subTest(username=username):
                response = self.client.get(self.url("plan", case))
                self.assertEqual(response.status_code, 200, response.content.decode()[:3000])
                self.assertEqual(self.client.get(self.url("pdf", case) + "?lang=da").status_code, 200)


class CaseSummaryTagTests(PlanTestCase):
    def test_summary_renders_without_health_content(self):
        from django.template import Context, Template

        from fasthold.cases.access import case_access

        html = Template("{% load plan_tags %}{% plan_summary case access %}").render(
            Context({"case": self.bodil, "access": case_access(self.world.users["chef"], self.bodil)})
        )
        self.assertIn("Step 4", html)
        self.assertIn("has agreed", html)
        self.assertNotIn("psykolog", html)
