from tests.schedules.base import ScheduleTestCase


class SmokeTests(ScheduleTestCase):
    def test_pages_render(self):
        self.as_user("koordinator")
        for case in (self.kurt, self.bodil):
            for name in ("schedule", "tasks"):
                r = self.client.get(self.url(name, case))
                self.assertEqual(r.status_code, 200, (name, r.content[:3000]))
        r = self.client.get(self.url("edit"))
        self.assertEqual(r.status_code, 409)
        self.revise(self.kurt)
        for name in ("edit", "mixer_add", "checklist"):
            r = self.client.get(self.url(name))
            self.assertEqual(r.status_code, 200, name)
        r = self.client.get(self.url("ical"))
        self.assertEqual(r.status_code, 200)
        r = self.client.get(self.url("pdf"))
        self.assertTrue(r.content.startswith(b"%PDF"))
        r = self.client.get("/schedules/task-examples/")
        self.assertEqual(r.status_code, 200)
