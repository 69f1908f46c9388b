"""Issue 17, item 5: the extent of absence follows the graded schedule's hours for the current week."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from fasthold.schedules import extent, selectors
from fasthold.schedules.models import ActualWeek
from tests.base import ALL_DEMOS, DemoWorldTestCase

MON = dt.date(2026, 12, 7)


def test_recorded_hours_win_over_planned():
    e = extent.current_extent(today=MON + dt.timedelta(days=2), normal_hours=37, planned={MON: 10}, actual={MON: 12})
    assert (e.kind, e.worked_hours, e.recorded, e.absence_hours) == (extent.PARTIAL, 12.0, True, 25.0)


def test_planned_hours_when_none_are_recorded():
    e = extent.current_extent(today=MON, normal_hours=37, planned={MON: 10}, actual={})
    assert (e.kind, e.worked_hours, e.recorded) == (extent.PARTIAL, 10.0, False)


def test_no_hours_is_full_absence_and_normal_hours_is_none():
    assert extent.current_extent(today=MON, normal_hours=37, planned={MON: 0}, actual={}).kind == extent.FULL
    assert extent.current_extent(today=MON, normal_hours=37, planned={MON: 37}, actual={}).kind == extent.NONE


def test_a_week_outside_the_schedule_gives_nothing():
    assert extent.current_extent(today=MON, normal_hours=37, planned={MON - dt.timedelta(days=7): 5}, actual={}) is None


def extent_text(html: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", html, re.S)
    return match.group(1).strip() if match else ""


class AbsenceExtentPagesTests(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def test_the_case_page_and_the_managers_page_show_this_weeks_hours(self):
        derived = selectors.absence_extent(self.kurt)
        self.assertIsNotNone(derived, "Kurt's demo schedule covers this week")
        week = extent.monday(timezone.localdate())
        ActualWeek.objects.update_or_create(case=self.kurt, week_start=week, defaults={"hours": 12})
        self.kurt.absence_extent = "full"
        self.kurt.save(update_fields=["absence_extent"])

        self.as_user("koordinator")
        html = self.client.get(reverse("cases:detail", args=[self.kurt.public_id])).content.decode()
        shown = extent_text(html, "Extent of absence")
        self.assertIn("Partial absence: 12 of", shown)
        self.assertNotIn("Full-time absence", shown)

        self.as_user("leder")
        html = self.client.get(reverse("portals:employer_case", args=[self.kurt.public_id])).content.decode()
        self.assertIn("Partial absence: 12 of", html)
        self.assertNotIn("Full-time absence", html)
        # The list of the manager's employees says the same (computed for all cards at once).
        html = self.client.get(reverse("portals:employer")).content.decode()
        self.assertIn("Partial absence: 12 of", html)
        self.assertNotIn("Full-time absence", html)

    def test_without_a_schedule_the_recorded_extent_stands(self):
        self.as_user("koordinator")
        from fasthold.schedules.models import ReturnSchedule

        ReturnSchedule.objects.filter(case=self.bodil).delete()
        html = self.client.get(reverse("cases:detail", args=[self.bodil.public_id])).content.decode()
        self.assertEqual(extent_text(html, "Extent of absence").split(",")[0], self.bodil.get_absence_extent_display())
