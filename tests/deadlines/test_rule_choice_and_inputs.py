"""Issue 16, part A in the product: the organisation's choice of rules, the case's deadline inputs
(partial absence, earlier absences, relapse, what the employer pays), and the calendar pages (weekday,
rights with no date, which pack and version)."""

import datetime as dt

from django.urls import reverse

from fasthold.audit.models import AuditEntry
from fasthold.cases.models import Case
from fasthold.deadlines import engine
from fasthold.deadlines.models import CalendarSettings, CaseEvent, Deadline
from fasthold.deadlines.services import case_facts
from tests.base import DemoWorldTestCase
from tests.cases.test_bad_input import valid_case_post


class RuleChoiceAndInputsTests(DemoWorldTestCase):
    def setUp(self):
        self.client.cookies["django_language"] = "en"

    def login(self, username):
        self.client.force_login(self.world.users[username])

    def deadline(self, case, key):
        return Deadline.objects.get(case=case, key=key)

    def edit(self, case, version, **overrides):
        case.refresh_from_db()
        data = valid_case_post(
            self.world,
            **{
                "person-name": case.person.name,
                "person-cpr": "",
                "employment-employer": case.employment.employer_id,
                "employment-job_title": case.employment.job_title,
                "employment-weekly_hours": case.employment.weekly_hours or "37",
                "case-first_sick_day": case.first_sick_day.isoformat(),
                "case-cause_category": case.cause_category,
                "case-work_injury": case.work_injury,
                "case-expected_weeks": case.expected_weeks or "",
                "case-benefit_category": case.benefit_category,
                "case-version": version,
            },
        )
        data.update(overrides)
        return self.client.post(reverse("cases:edit", args=[case.public_id]), data)

    # ------------------------------------------------------------------ the case's deadline inputs (§ 24, § 40, § 53)

    def test_earlier_absences_are_recorded_on_the_case_and_bring_the_review_forward_section_24(self):
        """§ 24 (legal-timelines row 20): earlier paid weeks inside 9 months count towards the 22."""
        self.login("koordinator")
        kurt = self.world.kurt
        before = self.deadline(kurt, "benefit_review").due
        first = kurt.first_sick_day
        start, end = first - dt.timedelta(days=120), first - dt.timedelta(days=51)  # 70 days
        text = f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"
        response = self.edit(kurt, kurt.version, **{"case-earlier_absences": text})
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("forms")
        )
        kurt.refresh_from_db()
        self.assertEqual(kurt.earlier_absences, [[start.isoformat(), end.isoformat()]])
        expected = {m.key: m for m in engine.compute(first, engine.law_pack_for("dk", first), case_facts(kurt))}[
            "benefit_review"
        ]
        self.assertEqual(self.deadline(kurt, "benefit_review").due, expected.due)
        self.assertLess(expected.flag_from, first + dt.timedelta(days=184))
        self.assertLessEqual(self.deadline(kurt, "benefit_review").due, before)
        page = self.client.get(reverse("cases:detail", args=[kurt.public_id]))
        self.assertContains(page, "Earlier absences with sickness benefit")

    def test_bad_earlier_absences_are_a_400_with_a_clear_message(self):
        self.login("koordinator")
        kurt = self.world.kurt
        later = kurt.first_sick_day + dt.timedelta(days=3)
        cases = {
            "last week": "is not a period",
            f"{later:%d.%m.%Y} – {later:%d.%m.%Y}": "must end before the first sick day",
            "1.5.2025 – 1.4.2025": "ends before it starts",
            "1.1.2020 – 1.2.2020": "more than 9 months",
        }
        for text, message in cases.items():
            with self.subTest(text=text):
                response = self.edit(kurt, kurt.version, **{"case-earlier_absences": text})
                self.assertContains(response, message, status_code=400)
        kurt.refresh_from_db()
        self.assertEqual(kurt.earlier_absences, [])

    def test_a_concurrent_edit_of_the_inputs_is_a_409_and_nothing_is_overwritten(self):
        self.login("koordinator")
        kurt = self.world.kurt
        version = kurt.version
        self.assertEqual(self.edit(kurt, version, **{"case-employer_pays": "benefit"}).status_code, 302)
        second = self.edit(kurt, version, **{"case-employer_pays": "none"})
        self.assertEqual(second.status_code, 409)
        kurt.refresh_from_db()
        self.assertEqual(kurt.employer_pays, "benefit")

    def test_what_the_employer_pays_sets_the_report_deadline_section_40_stk_3(self):
        """§ 40, stk. 3 (row 10b): neither wages nor benefit: 14 days after the first day of absence."""
        self.login("koordinator")
        kurt = self.world.kurt
        self.assertEqual(self.edit(kurt, kurt.version, **{"case-employer_pays": "none"}).status_code, 302)
        self.assertEqual(self.deadline(kurt, "report_to_municipality").due, kurt.first_sick_day + dt.timedelta(days=13))

    def test_partial_absence_under_4_hours_takes_the_benefit_rules_off_section_53_cabi(self):
        """Row 13 (§ 53; Cabi): under 4 hours a week of absence gives no sickness benefit."""
        self.login("koordinator")
        kurt = self.world.kurt
        response = self.edit(
            kurt, kurt.version, **{"case-absence_extent": "partial", "case-absence_hours_per_week": "3"}
        )
        self.assertEqual(response.status_code, 302)
        review = self.deadline(kurt, "benefit_review")
        self.assertFalse(review.applicable)
        self.assertIn("4 hours", review.reason_en)

    def test_a_relapse_is_recorded_after_a_full_return_and_resumes_the_count_section_24(self):
        self.login("koordinator")
        kurt = self.world.kurt
        url = reverse("deadlines:event_record", args=[kurt.public_id])
        first = kurt.first_sick_day
        refused = self.client.post(url, {"key": "relapse", "occurred_on": (first + dt.timedelta(days=5)).isoformat()})
        self.assertContains(refused, "record the full return first", status_code=400)
        back, relapse = first + dt.timedelta(days=40), first + dt.timedelta(days=50)
        self.assertEqual(
            self.client.post(url, {"key": "full_return", "occurred_on": back.isoformat()}).status_code, 302
        )
        self.assertEqual(self.client.post(url, {"key": "relapse", "occurred_on": relapse.isoformat()}).status_code, 302)
        events = dict(CaseEvent.objects.filter(case=kurt).values_list("key", "occurred_on"))
        expected = {
            m.key: m for m in engine.compute(first, engine.law_pack_for("dk", first), case_facts(kurt), events)
        }["benefit_review"]
        self.assertEqual(self.deadline(kurt, "benefit_review").due, expected.due)
        # Removing the return leaves a relapse without one: the calendar stays (the relapse is ignored).
        self.client.post(reverse("deadlines:event_remove", args=[kurt.public_id, "full_return"]))
        self.assertTrue(Deadline.objects.filter(case=kurt, key="absence_conversation").exists())

    # ------------------------------------------------------------------ the calendar page

    def test_calendar_shows_weekdays_rights_without_a_date_and_the_pack_version_section_7b(self):
        """§ 7 b (rows 7, 7a) listed as "any time"; the weekday with every due date; which pack computed it."""
        self.login("koordinator")
        kurt = self.world.kurt
        page = self.client.get(reverse("deadlines:case", args=[kurt.public_id]))
        self.assertEqual(page.status_code, 200)
        pack = engine.law_pack_for("dk", kurt.first_sick_day)
        self.assertContains(page, f"version {pack.version}")
        self.assertContains(page, reverse("deadlines:pack", args=[pack.id]))
        self.assertContains(page, "Any time: rights and duties with no date")
        self.assertContains(page, "The employee may ask for a retention plan")
        due = self.deadline(kurt, "absence_conversation").due
        self.assertContains(page, due.strftime("%A"))
        self.assertNotContains(page, "shared/seeds")
        stored = self.deadline(kurt, "absence_conversation")
        self.assertEqual(stored.pack_version, pack.version)
        self.assertIsNone(self.deadline(kurt, "retention_plan").due)

    def test_the_pack_page_explains_the_rules_and_what_is_left_out(self):
        self.login("koordinator")
        page = self.client.get(reverse("deadlines:pack", args=["dk-2025"]))
        self.assertContains(page, "The 120-day rule")
        self.assertContains(page, "Deadlines on weekends and public holidays")
        self.assertContains(page, "https://elov.dk/sygedagpengeloven/paragraf/7b")
        self.assertEqual(self.client.get("/calendar/packs/no-such-pack/").status_code, 404)
        self.login("leder")
        self.assertEqual(self.client.get(reverse("deadlines:pack", args=["dk-good-practice"])).status_code, 200)

    # ------------------------------------------------------------------ choosing the rules

    def test_an_administrator_chooses_the_country_and_the_calendars_follow(self):
        self.login("admin")
        org = self.world.orgs["jobcentre"]
        response = self.client.post(
            reverse("deadlines:settings"), {"version": 1, "jurisdiction": "nl", "good_practice": "on"}
        )
        self.assertEqual(response.status_code, 302)
        settings_obj = CalendarSettings.objects.get(organisation=org)
        self.assertEqual((settings_obj.jurisdiction, settings_obj.version), ("nl", 2))
        kurt = Case.objects.get(pk=self.world.kurt.pk)
        packs = set(Deadline.objects.filter(case=kurt).exclude(pack_id="case").values_list("pack_id", flat=True))
        self.assertEqual(packs, {"nl"})
        self.assertTrue(any("calendar:jurisdiction" in e.fields for e in AuditEntry.objects.filter(organisation=org)))

    def test_a_stale_settings_edit_is_a_409_and_a_bad_country_a_400(self):
        self.login("admin")
        url = reverse("deadlines:settings")
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {"version": 1, "jurisdiction": "dk"}).status_code, 302)
        stale = self.client.post(url, {"version": 1, "jurisdiction": "no", "good_practice": "on"})
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(CalendarSettings.objects.get(organisation=self.world.orgs["jobcentre"]).jurisdiction, "dk")
        bad = self.client.post(url, {"version": 2, "jurisdiction": "xx"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Select a valid choice", status_code=400)

    def test_only_administrators_choose_the_rules(self):
        for username in ("koordinator", "laeser", "leder", "kurt"):
            with self.subTest(username=username):
                self.login(username)
                self.assertEqual(self.client.get(reverse("deadlines:settings")).status_code, 403)
                self.assertEqual(
                    self.client.post(reverse("deadlines:settings"), {"version": 1, "jurisdiction": "nl"}).status_code,
                    403,
                )


def test_pack_rule_keys_never_collide_with_the_apps_own_calendar_keys():
    """A case's deadlines are unique by key: a pack rule and an app's local rule must never share one."""
    from fasthold.deadlines import registry

    pack_keys = {rule.key for pack_id in engine.available_packs() for rule in engine.load_pack(pack_id).rules}
    assert not pack_keys & set(registry.LOCAL_RULES)
