"""Every schedule view against every persona, bad input through the form, exports and query counts."""

import datetime as dt
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fasthold.audit.models import AuditEntry
from fasthold.plans import pdf as plan_pdf
from fasthold.schedules import exports
from fasthold.schedules.models import ActualWeek, ReturnSchedule, ScheduleDayOverride, TaskItem, monday_of
from tests.schedules.base import ScheduleTestCase

FORM = {
    "mode": "generated",
    "start_date": "2026-01-05",
    "workdays": ["mon", "tue", "wed", "thu", "fri"],
    "rest_days": ["wed"],
    "normal_week_hours": "37",
    "start_hours": "2",
    "step_hours": "0.5",
    "step_weeks": "1",
    "max_day_hours": "7",
    "rest_days_end": "never",
    "holidays": "dk",
    "quantum": "0.5",
}


class AccessMatrixTests(ScheduleTestCase):
    def status(self, name, case, *args, method="get", data=None):
        return getattr(self.client, method)(self.url(name, case, *args), data or {}).status_code

    def test_read_views(self):
        expected = {
            "koordinator": 200,
            "kollega": 200,
            "admin": 200,
            "laeser": 200,
            "leder": 200,
            "kurt": 200,
            "chef": 404,
            "bodil": 404,
            "psykolog": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                for name in ("schedule", "tasks", "ical"):
                    self.assertEqual(self.status(name, self.kurt), status, name)
        self.as_user("psykolog")
        self.assertEqual(self.status("schedule", self.bodil), 200)
        self.assertEqual(self.status("pdf", self.bodil), 200)
        self.as_user("anden")
        self.assertEqual(self.client.get(f"/schedules/case/{uuid.uuid4()}/").status_code, 404)

    def test_write_views(self):
        self.revise(self.bodil)
        schedule = ReturnSchedule.objects.get(plan_version__plan__case=self.bodil, plan_version__status="draft")
        day = schedule.start_date.isoformat()
        setting = schedule.mixer_settings.first()
        task = TaskItem.objects.filter(case=self.bodil).first()
        week = monday_of(schedule.start_date).isoformat()
        expected = {
            # username: (staff writes, recording actual hours)
            "koordinator": (200, 200),
            "admin": (200, 200),
            "laeser": (403, 403),
            "chef": (403, 200),
            "bodil": (403, 200),
            "psykolog": (403, 403),
            "leder": (404, 404),
            "anden": (404, 404),
        }
        for username, (write, record) in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                for name, args in (
                    ("edit", ()),
                    ("day", (day,)),
                    ("mixer_add", ()),
                    ("mixer_edit", (setting.pk,)),
                    ("checklist", ()),
                ):
                    self.assertEqual(self.status(name, self.bodil, *args), write, name)
                self.assertEqual(self.status("actual", self.bodil, week), record)
                posted = 302 if write == 200 else write
                self.assertEqual(
                    self.status("tasks", self.bodil, method="post", data={"text": ""}), 400 if write == 200 else write
                )
                self.assertEqual(
                    self.status("task_change", self.bodil, task.pk, method="post", data={"colour": "green"}), posted
                )
                self.assertEqual(
                    self.status("mixer_remove", self.bodil, setting.pk, method="post", data={"lock": 999}),
                    409 if write == 200 else write,
                )

    def test_without_a_draft_the_form_explains_how_to_get_one(self):
        self.as_user("koordinator")
        response = self.client.get(self.url("edit"))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, f"/plans/case/{self.kurt.public_id}/revise/", status_code=409)

    def test_examples_are_edited_by_administrators(self):
        for username, status in [("admin", 200), ("koordinator", 403), ("leder", 403), ("kurt", 403)]:
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get("/schedules/task-examples/nurse/edit/").status_code, status)
        self.as_user("leder")
        self.assertEqual(self.client.get("/schedules/task-examples/").status_code, 403)


class ScheduleFormTests(ScheduleTestCase):
    def setUp(self):
        self.draft = self.revise(self.kurt)
        self.schedule = ReturnSchedule.objects.get(plan_version=self.draft)
        self.as_user("koordinator")

    def post(self, **changes):
        data = {**FORM, "lock": self.schedule.version, **changes}
        return self.client.post(self.url("edit"), {k: v for k, v in data.items() if v is not None})

    def test_save_and_htmx_preview(self):
        response = self.client.get(self.url("edit"), {**FORM, "start_hours": "3"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="preview"')
        self.assertNotContains(response, "<html")
        self.assertEqual(self.post(start_hours="3").status_code, 302)
        self.assertEqual(ReturnSchedule.objects.get(pk=self.schedule.pk).start_hours, 3)

    def test_phases(self):
        response = self.post(
            mode="phases",
            phase_1_hours="10",
            phase_1_weeks="2",
            phase_2_hours="15",
            phase_2_weeks="2",
            workdays=["mon", "tue", "wed", "thu", "fri"],
        )
        self.assertEqual(response.status_code, 302)
        saved = ReturnSchedule.objects.get(pk=self.schedule.pk)
        self.assertEqual([w.total_hours for w in saved.generate().weeks], [10, 10, 15, 15])

    def test_bad_input_gives_field_messages_and_saves_nothing(self):
        bad = {
            "start_hours": dict(start_hours="8"),
            "step_hours": dict(step_hours="0"),
            "workdays": dict(workdays=None, rest_days=None),
            "rest_days": dict(rest_days=["sat"]),
            "rest_days ": dict(workdays=["mon", "wed"], rest_days=["mon", "wed"]),
            "end_date": dict(end_date="2025-12-01"),
            "target_week_hours": dict(step_hours="0", target_week_hours="30"),
            "phase_1_hours": dict(mode="phases"),
            "start_date": dict(start_date="9999-12-31"),
            "start_date ": dict(start_date="0001-01-01", mode="phases", phase_1_hours="10", phase_1_weeks="52"),
        }
        before = ReturnSchedule.objects.get(pk=self.schedule.pk)
        events = self.kurt.events.count()
        for field, changes in bad.items():
            with self.subTest(field=field):
                response = self.post(**changes)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, f'id="id_{field.strip()}_error"', status_code=400)
        after = ReturnSchedule.objects.get(pk=self.schedule.pk)
        self.assertEqual(
            (after.version, after.start_date, after.start_hours),
            (before.version, before.start_date, before.start_hours),
        )
        self.assertEqual(self.kurt.events.count(), events)

    def test_concurrent_edit_gets_409_with_both_versions(self):
        self.assertEqual(self.post(start_hours="3").status_code, 302)
        response = self.post(start_hours="1", lock=self.schedule.version)  # the stale lock
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "saved-heading", status_code=409)
        self.assertContains(response, 'value="1"', status_code=409)  # the user's input is kept
        self.assertEqual(ReturnSchedule.objects.get(pk=self.schedule.pk).start_hours, 3)

    def test_day_adjustment_rules(self):
        day = self.url("day", None, "2026-01-05")
        self.post()  # the seed table from 5 January 2026
        schedule = ReturnSchedule.objects.get(pk=self.schedule.pk)
        r = self.client.post(day, {"kind": "work", "hours": "0", "lock": schedule.version})
        self.assertContains(r, 'id="id_hours_error"', status_code=400)
        r = self.client.post(day, {"kind": "work", "hours": "30", "lock": schedule.version})
        self.assertContains(r, 'id="id_hours_error"', status_code=400)
        r = self.client.post(day, {"kind": "work", "hours": "4", "lock": schedule.version})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(ScheduleDayOverride.objects.get(schedule=schedule).hours, 4)
        r = self.client.post(day, {"kind": "rest", "hours": "", "lock": schedule.version})
        self.assertEqual(r.status_code, 409)
        easter = self.url("day", None, "2026-04-06")  # Easter Monday, if inside the period
        self.client.post(self.url("edit"), {**FORM, "start_date": "2026-03-30", "lock": schedule.version + 1})
        schedule.refresh_from_db()
        r = self.client.post(easter, {"kind": "work", "hours": "2", "lock": schedule.version})
        self.assertContains(r, 'id="id_kind_error"', status_code=400)


class ActualHoursViewTests(ScheduleTestCase):
    def test_manager_records_and_shortfall_is_shown_calmly(self):
        schedule = ReturnSchedule.objects.get(plan_version=self.current(self.kurt))
        week3 = monday_of(schedule.start_date) + dt.timedelta(weeks=2)
        self.as_user("leder")
        url = self.url("actual", None, week3.isoformat())
        self.assertContains(self.client.post(url, {"hours": "-1", "lock": 0}), 'id="id_hours_error"', status_code=400)
        self.assertEqual(self.client.post(url, {"hours": "5", "note": "", "lock": 0}).status_code, 302)
        self.assertEqual(ActualWeek.objects.get(case=self.kurt, week_start=week3).hours, 5)
        page = self.client.get(self.url("schedule")).content.decode()
        self.assertTrue('class="fh-talk"' in page)
        self.assertEqual(self.client.post(url, {"hours": "6", "lock": 0}).status_code, 409)
        self.assertEqual(
            self.client.get(self.url("actual", None, (week3 + dt.timedelta(days=1)).isoformat())).status_code, 404
        )


class ExportTests(ScheduleTestCase):
    def test_ical_has_one_event_per_working_day_without_health_data(self):
        schedule = ReturnSchedule.objects.get(plan_version=self.current(self.kurt))
        body = exports.ical(schedule, language="da")
        working = [d for d in schedule.generate().days if d.kind == "work"]
        self.assertEqual(body.count("BEGIN:VEVENT"), len(working))
        self.assertIn(f"DTSTART;VALUE=DATE:{working[0].date:%Y%m%d}", body)
        self.assertIn("SUMMARY:Arbejde 3 t (", body)  # 15 hours a week over five days
        self.assertIn("SUMMARY:Work 3 h (graded return)", exports.ical(schedule, language="en"))
        for text in ("ryg", "Lænd", "smerte", "Kurt"):
            self.assertNotIn(text, body)
        self.assertTrue(body.endswith("END:VCALENDAR\r\n"))

    def test_one_page_pdf(self):
        self.as_user("leder")
        response = self.client.get(self.url("pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        schedule = ReturnSchedule.objects.get(plan_version=self.current(self.kurt))
        html = exports.pdf_html(self.kurt, schedule, lang="da")
        self.assertIn('id="schedule-table"', html)
        self.assertIn("Køre truck", html)
        self.assertIn("Praktik i en anden funktion: truckfører", html)
        self.assertEqual(len(exports.render_pages(html)), 1)

    def test_retention_plan_pdf_holds_the_schedule_summary(self):
        version = self.current(self.bodil)
        html, _ = plan_pdf.render_html(case=self.bodil, version=version, employer_view=True, lang="da")
        self.assertNotIn("no graded return schedule has been made", html)
        self.assertIn("4 uger", html)
        self.assertIn("<td>10</td>", html)
        self.assertIn("<td>15</td>", html)


class QueryCountTests(ScheduleTestCase):
    def test_schedule_page_queries_do_not_grow_with_weeks_and_adjustments(self):
        self.as_user("koordinator")
        draft = self.revise(self.kurt)
        schedule = ReturnSchedule.objects.get(plan_version=draft)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.url("schedule")).status_code, 200)
            return len(ctx.captured_queries)

        small = count()
        ReturnSchedule.objects.filter(pk=schedule.pk).update(step_hours="0.25")  # twice the weeks
        days = [d for d in schedule.generate().days if d.kind == "work"][:15]
        ScheduleDayOverride.objects.bulk_create(
            [ScheduleDayOverride(schedule=schedule, date=d.date, hours=1, kind="work") for d in days]
        )
        ActualWeek.objects.bulk_create(
            [
                ActualWeek(case=self.kurt, week_start=monday_of(schedule.start_date) + dt.timedelta(weeks=i), hours=5)
                for i in range(2, 8)
            ]
        )
        TaskItem.objects.bulk_create([TaskItem(case=self.kurt, text=f"Opgave {i}", colour="green") for i in range(20)])
        self.assertEqual(count(), small)

    def test_views_are_audited_without_values(self):
        self.as_user("leder")
        self.client.get(self.url("schedule"))
        entry = AuditEntry.objects.filter(actor__username="leder").latest("id")
        self.assertEqual(entry.fields, ["schedule"])
        self.assertLessEqual(timezone.now() - entry.occurred_at, dt.timedelta(minutes=1))
