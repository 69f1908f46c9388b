"""The professionals' worksheets stay with the professionals, and the menu shows each persona what it can use.

The employee reads about herself in words meant for her (her portal, /me/, and what it links to); the
employer side reads its portal. Neither reaches the prognostic profile ("factors that weaken the
prognosis"), the questionnaire results with their clinical bands ("... give the MDI"), the visitation or
the legal case calendar (rules, sources, "unconfirmed rule"): those give 404, as for a page that does
not exist. Staff and the health professionals taking part keep them.
"""

import re

from django.urls import resolve, reverse
from django.utils import timezone

from fasthold.cases.models import Case
from fasthold.deadlines.models import Deadline
from fasthold.screening.models import Program
from tests.base import ALL_DEMOS, DemoWorldTestCase

# Per case, who reads it on a portal (the employee and the employer side) and who works on it.
PORTAL_READERS = {"bodil": ("bodil", "chef"), "kurt": ("kurt", "leder")}
PROFESSIONALS = {"bodil": ("koordinator", "kollega", "admin", "laeser", "psykolog"), "kurt": ("koordinator", "laeser")}

STAFF_MENU = [
    "worklist:worklist",
    "cases:list",
    "deadlines:dashboard",
    "organisations:employers",
    "plans:tools",
    "schedules:examples",
    "screening:programs",
    "evaluation:overview",
]
ADMIN_MENU = ["people:staff", "api-admin:clients", "audit", "deadlines:settings"]
COMMON_MENU = ["guidance:index"]
MENU = {
    "koordinator": STAFF_MENU + COMMON_MENU,
    "kollega": STAFF_MENU + COMMON_MENU,
    "laeser": STAFF_MENU + COMMON_MENU,
    "anden": STAFF_MENU + COMMON_MENU,
    "admin": STAFF_MENU + ADMIN_MENU + COMMON_MENU,
    "leder": ["portals:employer"] + COMMON_MENU,
    "chef": ["portals:employer"] + COMMON_MENU,
    "kurt": ["portals:employee"] + COMMON_MENU,
    "bodil": ["portals:employee"] + COMMON_MENU,
    "psykolog": ["cases:list"] + COMMON_MENU,
}


class WorksheetTests(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def worksheets(self, case) -> list[str]:
        program = Program.objects.filter(organisation=case.organisation).first()
        self.assertIsNotNone(program)
        args = [case.public_id]
        return [
            reverse("screening:profile", args=args),
            reverse("screening:profile_edit", args=args),
            reverse("screening:questionnaires", args=args),
            reverse("screening:case_programs", args=args),
            reverse("screening:visit", args=[case.public_id, program.public_id]),
            reverse("deadlines:case", args=args),
        ]

    def test_the_employee_and_the_employer_side_get_404_on_every_worksheet(self):
        for case_name, usernames in PORTAL_READERS.items():
            case = getattr(self.world, case_name)
            for username in usernames:
                self.as_user(username)
                for url in self.worksheets(case):
                    with self.subTest(user=username, url=url):
                        self.assertEqual(self.client.get(url).status_code, 404)
                        if "/visit/" not in url and "/profile/edit/" not in url:
                            continue
                        self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_professionals_keep_their_worksheets(self):
        for case_name, usernames in PROFESSIONALS.items():
            case = getattr(self.world, case_name)
            for username in usernames:
                self.as_user(username)
                response = self.client.get(reverse("screening:profile", args=[case.public_id]))
                with self.subTest(user=username):
                    self.assertEqual(response.status_code, 200)
        self.as_user("koordinator")
        for url in self.worksheets(self.world.bodil):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_employees_portal_links_only_to_pages_she_can_open(self):
        for username in ("bodil", "kurt"):
            self.as_user(username)
            page = self.client.get(reverse("portals:employee")).content.decode()
            links = {link for link in re.findall(r'href="(/[^"#]*)', page) if not link.startswith("/static/")}
            self.assertIn(reverse("privacy:my_export"), links)
            for link in sorted(links):
                with self.subTest(user=username, link=link):
                    self.assertEqual(self.client.get(link, follow=True).status_code, 200)
                    self.assertNotIn(resolve(link).view_name, ("deadlines:case", "screening:profile"))

    def test_her_own_questionnaire_goes_back_to_her_portal_in_her_words(self):
        self.as_user("bodil")
        portal = reverse("portals:employee")
        fill = reverse("screening:questionnaire_fill", args=[self.bodil.public_id, "nrs"])
        self.assertContains(self.client.get(portal), f'href="{fill}"')
        page = self.client.get(fill)
        self.assertContains(page, f'href="{portal}"')
        self.assertNotContains(
            page, 'href="{}"'.format(reverse("screening:questionnaires", args=[self.bodil.public_id]))
        )
        response = self.client.post(fill, {"item_1": "4"}, follow=True)
        self.assertEqual(response.redirect_chain[-1][0], portal)
        self.assertContains(response, "Thank you. Your answers were saved.")
        self.assertNotContains(response, "MDI")
        self.assertNotContains(response, "depression")

    def test_the_employer_side_ticks_its_duties_on_its_portal(self):
        duty = (
            Deadline.objects.filter(case=self.kurt, responsible="employer", done_on__isnull=True, due__isnull=False)
            .order_by("due")
            .first()
        )
        self.assertIsNotNone(duty)
        self.as_user("leder")
        page = reverse("portals:employer_case", args=[self.kurt.public_id])
        done = reverse("deadlines:done", args=[self.kurt.public_id, duty.key])
        if duty.due <= timezone.localdate() + timezone.timedelta(days=28):
            self.assertContains(self.client.get(page), f'action="{done}"')
        response = self.client.post(done, {"done_on": timezone.localdate().isoformat()})
        self.assertRedirects(response, page, fetch_redirect_response=False)
        self.assertIsNotNone(Deadline.objects.get(pk=duty.pk).done_on)

    def test_the_deadline_list_of_the_employer_side_and_the_employee_names_no_worksheet(self):
        for username in ("bodil", "kurt", "leder", "chef"):
            self.as_user(username)
            page = self.client.get(reverse("deadlines:dashboard"), {"days": 365}).content.decode()
            with self.subTest(user=username):
                self.assertNotIn("/calendar/case/", page)
                self.assertNotIn("unconfirmed rule", page)
        self.as_user("leder")
        self.assertContains(self.client.get(reverse("deadlines:dashboard"), {"days": 365}), "Kurt Jensen")
        self.as_user("koordinator")
        page = self.client.get(reverse("deadlines:dashboard"), {"days": 365, "scope": "organisation"})
        self.assertContains(page, "/calendar/case/")


class MenuTests(DemoWorldTestCase):
    def menu(self, username) -> list[str]:
        self.as_user(username)
        page = self.client.get(reverse("guidance:index")).content.decode()
        nav = re.search(r'<nav class="nav" aria-label="Main menu"[^>]*>(.*?)</nav>', page, re.S)
        self.assertIsNotNone(nav, username)
        return [resolve(href).view_name for href in re.findall(r'href="([^"]+)"', nav.group(1))]

    def test_each_persona_sees_what_it_can_use(self):
        self.assertEqual(set(MENU), set(self.users), "a persona of the demo world without an expected menu")
        for username, expected in MENU.items():
            with self.subTest(user=username):
                self.assertEqual(self.menu(username), expected)

    def test_the_phone_drawer_offers_the_same_menu(self):
        for username in MENU:
            with self.subTest(user=username):
                expected = self.menu(username)
                page = self.client.get(reverse("guidance:index")).content.decode()
                drawer = re.search(r'<nav class="navigation-menu-mobile"[^>]*>(.*?)</nav>', page, re.S)
                self.assertIsNotNone(drawer)
                links = [resolve(h).view_name for h in re.findall(r'href="([^"]+)"', drawer.group(1))]
                self.assertEqual(links, expected)

    def test_the_menu_marks_where_the_user_is(self):
        self.as_user("admin")
        page = self.client.get(reverse("people:staff")).content.decode()
        nav = re.search(r'<nav class="nav" aria-label="Main menu"[^>]*>(.*?)</nav>', page, re.S).group(1)
        self.assertEqual(
            re.findall(r'href="([^"]+)" class="nav-link" aria-current="page"', nav), [reverse("people:staff")]
        )
        # The group holding the current page is marked too, so a closed submenu still shows where one is.
        self.assertRegex(nav, r'<li class="active">\s*<div class="submenu">\s*<button[^>]*><span>Administration</span>')
        # A page below an entry (one case below the case list) marks the entry as where the user is.
        case = Case.objects.filter(organisation__memberships__user__username="admin").first()
        page = self.client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        nav = re.search(r'<nav class="nav" aria-label="Main menu"[^>]*>(.*?)</nav>', page, re.S).group(1)
        self.assertIn(f'href="{reverse("cases:list")}" class="nav-link" aria-current="true"><span>Cases</span>', nav)

    def test_one_entry_is_where_the_user_is(self):
        def marked(url):
            page = self.client.get(url).content.decode()
            nav = re.search(r'<nav class="nav" aria-label="Main menu"[^>]*>(.*?)</nav>', page, re.S).group(1)
            return re.findall(r'href="([^"]+)" class="nav-link" aria-current="(?:page|true)"', nav)

        self.as_user("admin")
        # The calendar's settings are under Administration, not also under Deadlines.
        self.assertEqual(marked(reverse("deadlines:settings")), [reverse("deadlines:settings")])
        # A case's calendar is a page of the case: under Cases, not Deadlines.
        case = Case.objects.filter(organisation__memberships__user__username="admin").first()
        self.assertEqual(marked(reverse("deadlines:case", args=[case.public_id])), [reverse("cases:list")])
        self.assertEqual(marked(reverse("plans:plan", args=[case.public_id])), [reverse("cases:list")])

    def test_login_and_security_sit_with_the_users_name(self):
        for username in MENU:
            with self.subTest(user=username):
                self.as_user(username)
                page = self.client.get(reverse("guidance:index")).content.decode()
                portal = re.search(r'<div class="portal-user">(.*?)</div>', page, re.S).group(1)
                self.assertIn(f'href="{reverse("accounts:security")}"', portal)

    def test_every_menu_entry_opens(self):
        for username in MENU:
            for view_name in self.menu(username):
                with self.subTest(user=username, entry=view_name):
                    self.assertEqual(self.client.get(reverse(view_name)).status_code, 200)
