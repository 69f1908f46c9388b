"""The case page opens on an overview (status and step, the extent of absence, the next deadlines, the next
meeting, the last and the next contact, the plan's goal and progress, who is involved), and a side
navigation leads to the parts of the case this reader may open, and to no other.
"""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from fasthold.cases.access import case_access
from fasthold.cases.choices import ParticipantRole
from fasthold.coordination.selectors import contact_status
from fasthold.deadlines.models import Deadline
from fasthold.deadlines.selectors import employer_hidden_keys, open_deadlines, overview_deadlines
from fasthold.meetings.models import Meeting, MeetingStatus
from fasthold.meetings.selectors import next_meeting_for
from fasthold.plans.models import PlanVersion, VersionStatus
from tests.base import ALL_DEMOS, DemoWorldTestCase

PART_URLS = (
    "cases:detail",
    "deadlines:case",
    "schedules:schedule",
    "plans:plan",
    "meetings:list",
    "coordination:contacts",
    "coordination:statements",
    "guidance:case",
    "guidance:first_contact",
    "screening:case_programs",
    "screening:profile",
    "screening:questionnaires",
    "cases:health",
    "evaluation:case",
)


def section(html: str, start: str, end: str) -> str:
    """The page's text from the first `start` to the next `end` after it ("" when absent)."""
    at = html.find(start)
    if at < 0:
        return ""
    stop = html.find(end, at)
    return html[at : stop if stop >= 0 else len(html)]


def overview(html: str) -> str:
    return section(html, 'class="fh-case-overview"', "</section>")


def nav_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)" class="nav-link"', section(html, 'class="fh-case-nav"', "</nav>"))


class OverviewTests(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def page(self, username, case=None) -> str:
        self.as_user(username)
        response = self.client.get(reverse("cases:detail", args=[(case or self.kurt).public_id]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_next_three_deadlines_overdue_first_with_weekday(self):
        today = timezone.localdate()
        rows = list(open_deadlines().filter(case=self.kurt).order_by("id"))
        self.assertGreaterEqual(len(rows), 4, "Kurt's demo calendar has open deadlines")
        # The last one is overdue, the others come later, in reverse order of id.
        for n, d in enumerate(rows):
            d.due = today + dt.timedelta(days=10 + len(rows) - n)
        rows[-1].due = today - dt.timedelta(days=3)
        Deadline.objects.bulk_update(rows, ["due"])
        html = overview(self.page("koordinator"))
        items = re.findall(
            r"<li( class=\"fh-overdue\")?>(.*?)</li>", section(html, "overview-deadlines-heading", "</ul>"), re.S
        )
        self.assertEqual(len(items), 3)
        self.assertTrue(items[0][0], "the overdue deadline comes first, marked")
        self.assertFalse(items[1][0] or items[2][0])
        self.assertIn("Overdue", items[0][1])
        overdue_day = rows[-1].due
        self.assertIn(f"{date_format(overdue_day, 'l')} {date_format(overdue_day, 'SHORT_DATE_FORMAT')}", items[0][1])
        expected = [rows[-1]] + sorted(rows[:-1], key=lambda d: d.due)[:2]
        for (_overdue, text), d in zip(items, expected, strict=True):
            self.assertIn(d.rule.title_en, text)

    def test_the_next_meeting_and_the_last_and_next_contact(self):
        html = overview(self.page("koordinator"))
        meeting = next_meeting_for(self.kurt, self.users["koordinator"], is_staff=True)
        if meeting is None:
            starts = timezone.now() + dt.timedelta(days=5)
            meeting = Meeting.objects.create(case=self.kurt, starts_at=starts, status=MeetingStatus.PLANNED)
            html = overview(self.page("koordinator"))
        self.assertIn(reverse("meetings:detail", args=[meeting.public_id]), html)
        self.assertIn(date_format(timezone.localtime(meeting.starts_at), "l j. F Y, H:i"), html)
        status = contact_status(self.kurt)
        card = section(html, "Last contact", "</dl>")
        if status.last_contact:
            self.assertIn(date_format(status.last_contact, "SHORT_DATE_FORMAT"), card)
        self.assertIn("Next contact", card)
        self.assertIn(date_format(status.due, "SHORT_DATE_FORMAT"), card)

    def test_the_plans_goal_and_progress(self):
        current = PlanVersion.objects.filter(plan__case=self.kurt, status=VersionStatus.CURRENT).first()
        self.assertIsNotNone(current, "Kurt's demo plan has a current version")
        html = overview(self.page("koordinator"))
        self.assertIn(current.goal.splitlines()[0], html)
        self.assertIn("Progress", html)

    def test_the_extent_of_absence_is_shown_once(self):
        html = self.page("koordinator")
        self.assertEqual(html.count("<dt>Extent of absence</dt>"), 1)
        self.assertIn("<dt>Extent of absence</dt>", overview(html))

    def test_the_missing_manager_hint_appears_and_disappears(self):
        hint = "No manager takes part in the case yet"
        add = reverse("cases:participant_add", args=[self.kurt.public_id]) + "?role=manager"
        html = overview(self.page("koordinator"))
        self.assertNotIn(hint, html)
        manager = self.kurt.participants.get(role=ParticipantRole.MANAGER)
        self.kurt.participants.filter(pk=manager.pk).delete()
        html = overview(self.page("koordinator"))
        self.assertIn(hint, html)
        self.assertIn(add, html)
        html = overview(self.page("laeser"))  # read-only staff: the hint, but no link to add one
        self.assertIn(hint, html)
        self.assertNotIn(add, html)
        manager.pk = None
        manager.save()
        self.assertNotIn(hint, overview(self.page("koordinator")))

    def test_the_employer_side_sees_no_health_fields_and_no_worksheet_rules(self):
        for username, case in (("leder", self.kurt), ("chef", self.bodil)):
            with self.subTest(username):
                html = self.page(username, case)
                for word in (
                    "CPR number",
                    "<dt>Cause",
                    "Work injury",
                    "<span>Health information",
                    "Prognostic profile",
                ):
                    self.assertFalse(word in html, word)
                self.assertNotIn(reverse("deadlines:case", args=[case.public_id]), html)
                self.assertNotIn(reverse("cases:health", args=[case.public_id]), html)
                access = case_access(self.users[username], case)
                shown = overview_deadlines(case, access, limit=100)
                self.assertTrue(all(d.responsible == "employer" for d in shown))
                self.assertFalse({d.key for d in shown} & employer_hidden_keys())
                others = open_deadlines().filter(case=case).exclude(responsible="employer")
                titles = {d.rule.title_en for d in others} - {d.rule.title_en for d in shown}
                card = section(overview(html), "overview-deadlines-heading", "</ul>")
                for title in titles:
                    self.assertNotIn(title, card)

    def test_the_employee_sees_only_her_own_duties(self):
        access = case_access(self.users["kurt"], self.kurt)
        self.assertTrue(all(d.responsible == "employee" for d in overview_deadlines(self.kurt, access, limit=100)))


class CaseNavigationTests(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def test_the_navigation_lists_exactly_the_parts_each_persona_may_open(self):
        """Read from the plan page, which every reader of a case may open; every link opens (200), and
        every part left out does not. The employee's overview is her portal."""
        for username in self.users:
            for case in (self.kurt, self.bodil):
                with self.subTest(user=username, case=case.person.name):
                    self.as_user(username)
                    response = self.client.get(reverse("plans:plan", args=[case.public_id]))
                    if response.status_code != 200:
                        continue
                    links = nav_links(response.content.decode())
                    self.assertTrue(links)
                    for url in links:
                        self.assertEqual(self.client.get(url).status_code, 200, url)
                    employee_only = links[0] == reverse("portals:employee")
                    self.assertEqual(employee_only, username == case.person.user.username)
                    for name in PART_URLS:
                        url = reverse(name, args=[case.public_id])
                        if url not in links and not (employee_only and name == "cases:detail"):
                            self.assertNotEqual(self.client.get(url).status_code, 200, url)

    def test_each_part_marks_itself_current_and_carries_the_same_navigation(self):
        self.as_user("koordinator")
        detail = self.client.get(reverse("cases:detail", args=[self.bodil.public_id])).content.decode()
        links = nav_links(detail)
        self.assertEqual(len(links), len(PART_URLS))
        for url in links:
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                self.assertEqual(nav_links(html), links)
                nav = section(html, 'class="fh-case-nav"', "</nav>")
                self.assertEqual(nav.count('aria-current="page"'), 1)
                self.assertIn(f'<li class="active current"><a href="{url}" class="nav-link" aria-current="page">', nav)

    def test_the_employee_and_the_manager_see_only_their_parts(self):
        expected = {
            "kurt": ["portals:employee", "schedules:schedule", "plans:plan", "meetings:list", "coordination:contacts"],
            "leder": ["cases:detail", "schedules:schedule", "plans:plan", "meetings:list", "coordination:contacts"],
        }
        expected["kurt"] += ["coordination:statements", "cases:health"]
        expected["leder"] += ["coordination:statements", "guidance:case"]
        for username, names in expected.items():
            with self.subTest(username):
                self.as_user(username)
                html = self.client.get(reverse("plans:plan", args=[self.kurt.public_id])).content.decode()
                urls = [
                    reverse(n) if n.startswith("portals:") else reverse(n, args=[self.kurt.public_id]) for n in names
                ]
                self.assertEqual(sorted(nav_links(html)), sorted(urls))
