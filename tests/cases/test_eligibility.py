"""Who may take part in a case in which role: the rules, the service, the picker and lapsed access.

Every participant role is tried with every kind of person, on Kurt's case (jobcentre case; employer
Nordjysk Dør og Vindue). The service refuses, the POSTed form gives 400 and saves nothing, and the
picker never shows the name of anyone the rules do not allow.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from fasthold.audit.models import AuditEntry
from fasthold.cases import eligibility, services
from fasthold.cases.access import case_access
from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, ParticipantRole
from fasthold.cases.demo import build_world
from fasthold.cases.models import Case, Participant, TimelineEvent
from fasthold.organisations.models import Membership, OrgRole
from tests.base import DemoWorldTestCase

EXTERNAL = "external contact"

# Kind of person -> the roles they may take in Kurt's case. Everything else must be refused.
STAFF_TYPE = {ParticipantRole.JOBCENTRE_CASEWORKER, ParticipantRole.COMPANY_CONSULTANT}
EMPLOYER_MANAGEMENT = {ParticipantRole.MANAGER, ParticipantRole.HR, ParticipantRole.COLLEAGUE_CONTACT}
EXPECTED = {
    "staff of own organisation": STAFF_TYPE,
    "read-only staff of own organisation": STAFF_TYPE,
    "staff of another organisation": set(),
    "manager of the employer": EMPLOYER_MANAGEMENT,
    "HR of the employer": EMPLOYER_MANAGEMENT,
    "manager of another employer": set(),
    "HR of another employer": set(),
    "shop steward member of the employer": {ParticipantRole.SHOP_STEWARD, ParticipantRole.COLLEAGUE_CONTACT},
    "safety rep member of the employer": {ParticipantRole.SAFETY_REP, ParticipantRole.COLLEAGUE_CONTACT},
    "health professional": set(HEALTH_PROFESSIONAL_ROLES),
    "the employee": {ParticipantRole.EMPLOYEE},
    "another employee": set(),
    "inactive user": set(),
    EXTERNAL: {
        *HEALTH_PROFESSIONAL_ROLES,
        ParticipantRole.UNION_REP,
        ParticipantRole.COMPANION,
        ParticipantRole.MENTOR,
        ParticipantRole.OTHER,
        ParticipantRole.SHOP_STEWARD,
        ParticipantRole.SAFETY_REP,
        ParticipantRole.COLLEAGUE_CONTACT,
    },
}


def make_user(username, first, last, *memberships, active=True):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password="x", first_name=first, last_name=last, is_active=active
    )
    for organisation, role in memberships:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class EligibilityWorld:
    @classmethod
    def setUpTestData(cls):
        cls.world = world = build_world()
        orgs, users = world.orgs, world.users
        cls.case = world.kurt
        cls.people = {
            "staff of own organisation": users["koordinator"],
            "read-only staff of own organisation": users["laeser"],
            "staff of another organisation": users["anden"],
            "manager of the employer": users["leder"],
            "HR of the employer": make_user("hrdoor", "Hanne", "Personalesen", (orgs["door_factory"], OrgRole.HR)),
            "manager of another employer": users["chef"],
            "HR of another employer": make_user("hrrev", "Rita", "Revisorsen", (orgs["accounting_firm"], OrgRole.HR)),
            "shop steward member of the employer": make_user(
                "trdoor", "Torben", "Tillidsen", (orgs["door_factory"], OrgRole.SHOP_STEWARD)
            ),
            "safety rep member of the employer": make_user(
                "amrdoor", "Anja", "Arbejdsmiljøsen", (orgs["door_factory"], OrgRole.SAFETY_REP)
            ),
            "health professional": users["psykolog"],
            "the employee": users["kurt"],
            "another employee": users["bodil"],
            # Qualified for everything but switched off: only inactivity may refuse it.
            "inactive user": make_user(
                "slukket",
                "Ivan",
                "Inaktivsen",
                (orgs["jobcentre"], OrgRole.COORDINATOR),
                (orgs["door_factory"], OrgRole.MANAGER),
                (orgs["door_factory"], OrgRole.SHOP_STEWARD),
                (orgs["door_factory"], OrgRole.SAFETY_REP),
                (orgs["psychology_practice"], OrgRole.HEALTH_PROFESSIONAL),
                active=False,
            ),
        }

    def expected(self, kind, role) -> bool:
        return role in EXPECTED[kind]


class RuleTests(EligibilityWorld, TestCase):
    def setUp(self):
        # The explanations are read in English here, whatever language an earlier test left active.
        self.enterContext(translation.override("en"))

    def test_every_participant_role_has_a_rule(self):
        self.assertEqual(set(eligibility.RULES), set(ParticipantRole.values))

    def test_eligible_users_and_the_explanation_agree_with_the_matrix(self):
        for role in ParticipantRole.values:
            eligible = set(eligibility.eligible_users(self.case, role))
            for kind, user in self.people.items():
                with self.subTest(role=role, kind=kind):
                    self.assertEqual(user in eligible, self.expected(kind, role))
                    reason = eligibility.why_not(self.case, role, user)
                    self.assertEqual(reason is None, self.expected(kind, role), reason)

    def test_refusals_explain_the_rule_without_naming_the_person(self):
        chef = self.people["manager of another employer"]
        reason = eligibility.why_not(self.case, ParticipantRole.MANAGER, chef)
        self.assertIn("Nordjysk Dør og Vindue A/S", reason)
        self.assertNotIn("Susanne", reason)
        self.assertIn("inactive", eligibility.why_not(self.case, ParticipantRole.MANAGER, self.people["inactive user"]))

    def test_a_case_without_employer_has_no_employer_side_users(self):
        self.case.employment.employer = None
        self.case.employment.save()
        case = Case.objects.select_related("employment").get(pk=self.case.pk)
        for role in (ParticipantRole.MANAGER, ParticipantRole.HR, ParticipantRole.SHOP_STEWARD):
            with self.subTest(role=role):
                self.assertFalse(eligibility.eligible_users(case, role).exists())
                self.assertIn("no employer", eligibility.why_not(case, role, self.people["manager of the employer"]))


class ServiceTests(EligibilityWorld, TestCase):
    def add(self, role, kind):
        user = None if kind == EXTERNAL else self.people[kind]
        data = {
            "role": role,
            "user": user,
            "name": "Ekstern Person" if user is None else "",
            "organisation_name": "",
            "phone": "",
            "email": "",
            "health_agreement": "phone",
        }
        return services.participant_add(actor=self.world.users["koordinator"], case=self.case, data=data)

    def test_every_role_and_kind_of_person_is_added_or_refused_by_the_service(self):
        Participant.objects.filter(case=self.case).delete()
        for role in ParticipantRole.values:
            for kind in self.people | {EXTERNAL: None}:
                with self.subTest(role=role, kind=kind):
                    events, audits = TimelineEvent.objects.count(), AuditEntry.objects.count()
                    if self.expected(kind, role):
                        participant = self.add(role, kind)
                        self.assertEqual(TimelineEvent.objects.count(), events + 1)
                        self.assertEqual(AuditEntry.objects.count(), audits + 1)
                        participant.delete()
                    else:
                        with self.assertRaises(eligibility.NotEligible):
                            self.add(role, kind)
                        self.assertFalse(self.case.participants.exists())
                        self.assertEqual((TimelineEvent.objects.count(), AuditEntry.objects.count()), (events, audits))

    def test_health_professional_needs_the_employees_agreement_which_is_recorded(self):
        data = {"role": ParticipantRole.GP, "user": None, "name": "Egen Læge", "health_agreement": ""}
        with self.assertRaises(eligibility.NotEligible):
            services.participant_add(actor=self.world.users["koordinator"], case=self.case, data=data)
        participant = services.participant_add(
            actor=self.world.users["koordinator"], case=self.case, data={**data, "health_agreement": "written"}
        )
        self.assertEqual(participant.health_agreement, "written")
        self.assertEqual(participant.health_agreement_recorded_by, self.world.users["koordinator"])
        self.assertIsNotNone(participant.health_agreement_recorded_at)

    def test_other_roles_store_no_agreement(self):
        participant = services.participant_add(
            actor=self.world.users["koordinator"],
            case=self.case,
            data={"role": ParticipantRole.MENTOR, "name": "Hans Mentor", "health_agreement": "phone"},
        )
        self.assertEqual((participant.health_agreement, participant.health_agreement_recorded_by), ("", None))


class ParticipantViewTests(EligibilityWorld, TestCase):
    def setUp(self):
        # Logged in as Mads Berg, whose name is no one else's: a name in the page comes from the picker.
        self.client.force_login(self.world.users["kollega"])
        self.client.cookies["django_language"] = "en"
        self.url = reverse("cases:participant_add", args=[self.case.public_id])

    def test_posting_the_id_of_anyone_ineligible_gives_400_and_saves_nothing(self):
        Participant.objects.filter(case=self.case).exclude(role=ParticipantRole.EMPLOYEE).delete()
        for role in ParticipantRole.values:
            for kind, user in self.people.items():
                if kind == "the employee" and role == ParticipantRole.EMPLOYEE:
                    continue  # already takes part; the duplicate rule answers first
                with self.subTest(role=role, kind=kind):
                    before = Participant.objects.count()
                    response = self.client.post(
                        self.url,
                        {
                            "role": role,
                            "user": user.pk,
                            "health_agreed": "on",
                            "health_agreement": "in_person",
                        },
                    )
                    if self.expected(kind, role):
                        self.assertEqual(response.status_code, 302)
                        Participant.objects.filter(case=self.case, role=role, user=user).delete()
                    else:
                        self.assertEqual(response.status_code, 400)
                        self.assertEqual(Participant.objects.count(), before)
                        self.assertTrue(response.context["form"].non_field_errors())
                        if kind != "the employee":
                            # The whole name: a last name alone can turn up inside the random CSRF token.
                            self.assertNotContains(response, user.get_full_name(), status_code=400)

    def test_external_contact_is_refused_where_only_users_may_take_part(self):
        for role in ParticipantRole.values:
            with self.subTest(role=role):
                response = self.client.post(
                    self.url,
                    {
                        "role": role,
                        "name": f"Ekstern {role}",
                        "health_agreed": "on",
                        "health_agreement": "phone",
                    },
                )
                self.assertEqual(response.status_code, 302 if self.expected(EXTERNAL, role) else 400)
                self.assertEqual(
                    self.case.participants.filter(name=f"Ekstern {role}").exists(), self.expected(EXTERNAL, role)
                )

    def test_health_professional_form_requires_the_agreement_checkbox_and_how(self):
        psykolog = self.people["health professional"]
        response = self.client.post(self.url, {"role": "psychologist", "user": psykolog.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("health_agreed", response.context["form"].errors)
        self.assertIn("health_agreement", response.context["form"].errors)
        self.assertFalse(self.case.participants.filter(user=psykolog).exists())
        response = self.client.post(
            self.url, {"role": "psychologist", "user": psykolog.pk, "health_agreed": "on", "health_agreement": "phone"}
        )
        self.assertEqual(response.status_code, 302)
        participant = self.case.participants.get(user=psykolog)
        self.assertEqual(
            (participant.health_agreement, participant.health_agreement_recorded_by),
            ("phone", self.world.users["kollega"]),
        )

    def test_picker_finds_exactly_the_eligible_people_by_name(self):
        for role in ParticipantRole.values:
            for kind, user in self.people.items():
                with self.subTest(role=role, kind=kind):
                    response = self.client.get(self.url, {"role": role, "q": user.last_name})
                    self.assertEqual(response.status_code, 200)
                    found = user in response.context["matches"]
                    self.assertEqual(found, self.expected(kind, role))
                    if kind != "the employee":  # Kurt's name heads the page anyway
                        self.assertEqual(user.get_full_name() in response.content.decode(), found)

    def test_picker_never_lists_anyone_without_two_letters(self):
        for role in ParticipantRole.values:
            for query in ("", "l", " a "):
                with self.subTest(role=role, query=query):
                    response = self.client.get(self.url, {"role": role, "q": query})
                    self.assertEqual(response.context["matches"], [])
                    page = response.content.decode()
                    for kind, user in self.people.items():
                        if kind != "the employee":
                            self.assertNotIn(user.get_full_name(), page)

    def test_a_broad_search_shows_no_other_organisations_people(self):
        # Two-letter searches that match many names, in this organisation and in others.
        outsiders = [
            self.people[k]
            for k in (
                "staff of another organisation",
                "manager of another employer",
                "HR of another employer",
                "another employee",
                "inactive user",
            )
        ]
        for role in ParticipantRole.values:
            for query in ("en", "se", "an", "er"):
                with self.subTest(role=role, query=query):
                    page = self.client.get(self.url, {"role": role, "q": query}).content.decode()
                    for user in outsiders:
                        self.assertNotIn(user.get_full_name(), page)

    def test_picker_shows_at_most_twenty_and_says_there_are_more(self):
        practice = self.world.orgs["psychology_practice"]
        for i in range(25):
            make_user(f"hp{i}", "Lise", f"Lægesen{i:02}", (practice, OrgRole.HEALTH_PROFESSIONAL))
        response = self.client.get(self.url, {"role": "gp", "q": "lægesen"})
        self.assertEqual(len(response.context["matches"]), 20)
        self.assertTrue(response.context["more"])
        self.assertContains(response, "More than 20 people match")
        # Without a search, health professionals of other organisations are never listed.
        self.assertNotContains(self.client.get(self.url, {"role": "gp"}), "Lægesen")

    def test_search_folds_danish_letters(self):
        amr = self.people["safety rep member of the employer"]
        for query in ("arbejdsmiljø", "ARBEJDSMILJØSEN", "Anja Arb"):
            with self.subTest(query=query):
                response = self.client.get(self.url, {"role": "safety_rep", "q": query})
                self.assertEqual(response.context["matches"], [amr])

    def test_htmx_gets_only_the_picker_fragment(self):
        response = self.client.get(self.url, {"role": "manager", "q": "niel"}, headers={"HX-Request": "true"})
        page = response.content.decode()
        self.assertTrue(page.lstrip().startswith("<form"))
        self.assertNotIn('id="picker-q"', page)  # the search field is not replaced while typing
        self.assertIn("Peter Nielsen", page)
        self.assertNotIn("<html", page)

    def test_without_a_role_the_page_asks_for_one_and_read_only_staff_get_403(self):
        self.assertContains(self.client.get(self.url), "Choose the role first.")
        self.client.force_login(self.world.users["laeser"])
        self.assertEqual(self.client.get(self.url, {"role": "manager", "q": "niel"}).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"role": "mentor", "name": "X"}).status_code, 403)
        self.client.force_login(self.world.users["anden"])
        self.assertEqual(self.client.get(self.url, {"role": "manager", "q": "niel"}).status_code, 404)


class LapsedAccessTests(DemoWorldTestCase):
    def setUp(self):
        self.client.cookies["django_language"] = "en"

    def page(self, username, case):
        self.client.force_login(self.world.users[username])
        return self.client.get(reverse("cases:detail", args=[case.public_id]))

    def assert_policies_agree(self):
        for username, user in self.world.users.items():
            listed = set(Case.objects.visible_to(user).values_list("pk", flat=True))
            allowed = {c.pk for c in Case.objects.all() if case_access(user, c).can_view}
            self.assertEqual(listed, allowed, username)

    def test_ended_employment_ends_the_managers_access_at_the_next_request(self):
        kurt = self.world.kurt
        self.assertEqual(self.page("leder", kurt).status_code, 200)
        services.case_update(
            actor=self.world.users["koordinator"],
            case=kurt,
            expected_version=kurt.version,
            case_data={},
            employment_data={"ended_on": timezone.localdate() + dt.timedelta(days=1)},
        )
        self.assertEqual(self.page("leder", kurt).status_code, 200, "an end date ahead does not end access yet")
        self.assertContains(self.client.get(reverse("portals:employer")), "Kurt Jensen")
        services.case_update(
            actor=self.world.users["koordinator"],
            case=kurt,
            expected_version=kurt.version,
            case_data={},
            employment_data={"ended_on": timezone.localdate()},
        )
        self.assertEqual(self.page("leder", kurt).status_code, 404)
        self.assertNotIn(kurt, Case.objects.visible_to(self.world.users["leder"]))
        self.assertNotContains(self.client.get(reverse("portals:employer")), "Kurt Jensen")
        self.assertEqual(self.client.get(reverse("portals:employer_case", args=[kurt.public_id])).status_code, 404)
        self.assert_policies_agree()
        self.assertContains(self.page("koordinator", kurt), "No longer has access: employment ended")
        # Kurt himself still reaches his case (the case page sends him to his portal), without the marking.
        page = self.client.get(self.page("kurt", kurt).url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Kurt")
        self.assertNotContains(page, "No longer has access")

    def test_removed_membership_ends_access_and_the_coordinator_sees_it(self):
        bodil = self.world.bodil
        self.assertEqual(self.page("chef", bodil).status_code, 200)
        Membership.objects.filter(user=self.world.users["chef"]).delete()
        self.assertEqual(self.page("chef", bodil).status_code, 404)
        self.assert_policies_agree()
        self.assertContains(
            self.page("koordinator", bodil), "No longer has access: not a member of Limfjord Revision ApS any more"
        )

    def test_health_professional_without_membership_loses_access(self):
        bodil = self.world.bodil
        self.assertEqual(self.page("psykolog", bodil).status_code, 200)
        Membership.objects.filter(user=self.world.users["psykolog"], role=OrgRole.HEALTH_PROFESSIONAL).delete()
        self.assertEqual(self.page("psykolog", bodil).status_code, 404)
        self.assert_policies_agree()
        self.assertContains(self.page("koordinator", bodil), "not registered as a health professional any more")

    def test_inactive_user_is_marked_for_the_coordinator(self):
        leder = self.world.users["leder"]
        leder.is_active = False
        leder.save()
        self.assertContains(self.page("koordinator", self.world.kurt), "No longer has access: inactive user")

    def test_employer_side_never_sees_the_marking_for_others(self):
        kurt, orgs = self.world.kurt, self.world.orgs
        hr = make_user("hrgone", "Hanne", "Haveløs", (orgs["door_factory"], OrgRole.HR))
        Participant.objects.create(case=kurt, role=ParticipantRole.HR, user=hr)
        Membership.objects.filter(user=hr).delete()
        page = self.page("koordinator", kurt)
        self.assertContains(page, "No longer has access: not a member of Nordjysk Dør og Vindue A/S any more")
        self.assertContains(page, "Remove Hanne Haveløs")
        page = self.page("leder", kurt)
        self.assertContains(page, "Hanne Haveløs")
        self.assertNotContains(page, "No longer has access")
        self.assertNotContains(page, "not a member of")

    def test_participants_still_eligible_are_not_marked(self):
        page = self.page("koordinator", self.world.bodil)
        self.assertNotContains(page, "No longer has access")

    def test_employment_end_is_editable_on_the_case_form(self):
        self.client.force_login(self.world.users["koordinator"])
        page = self.client.get(reverse("cases:edit", args=[self.world.kurt.public_id]))
        self.assertContains(page, 'name="employment-ended_on"')


class PickerQueryCountTests(EligibilityWorld, TestCase):
    def test_the_picker_uses_a_fixed_number_of_queries_however_many_people_match(self):
        self.client.force_login(self.world.users["koordinator"])
        url = reverse("cases:participant_add", args=[self.case.public_id])
        practice = self.world.orgs["psychology_practice"]

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url, {"role": "psychologist", "q": "terapeut"})
            self.assertEqual(response.status_code, 200)
            return len(ctx.captured_queries), len(response.context["matches"])

        make_user("t0", "Tina", "Terapeut0", (practice, OrgRole.HEALTH_PROFESSIONAL))
        few = queries()
        for i in range(1, 40):
            make_user(f"t{i}", "Tina", f"Terapeut{i}", (practice, OrgRole.HEALTH_PROFESSIONAL))
        many = queries()
        self.assertEqual((few[1], many[1]), (1, 20))
        self.assertEqual(few[0], many[0])


# The decision without a database: invariants over every rule and any facts.

ORG_IDS = st.integers(min_value=1, max_value=4)
MEMBERSHIP_ROLES = st.sampled_from(OrgRole.values)
facts_strategy = st.builds(
    eligibility.CaseFacts,
    owner_id=ORG_IDS,
    owner_name=st.just("Ejer"),
    employer_id=st.one_of(st.none(), ORG_IDS),
    employer_name=st.just("Arbejdsgiver"),
    employment_ended=st.booleans(),
    person_user_id=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
)
candidate_strategy = st.builds(
    eligibility.Candidate,
    user_id=st.integers(min_value=1, max_value=3),
    is_active=st.booleans(),
    memberships=st.frozensets(st.tuples(ORG_IDS, MEMBERSHIP_ROLES), max_size=5),
)


@given(role=st.sampled_from(ParticipantRole.values), facts=facts_strategy, candidate=candidate_strategy)
def test_refusal_invariants(role, facts, candidate):
    rule = eligibility.rule_for(role)
    reason = eligibility.user_refusal(rule, facts, candidate)
    if not candidate.is_active or not rule.users:
        assert reason is not None  # inactive users and external-only roles: never a user
    if reason is None and role != ParticipantRole.EMPLOYEE:
        assert candidate.user_id != facts.person_user_id  # the employee takes no other role
        assert candidate.memberships  # every other user role needs a membership
    if reason is None and rule.where is eligibility.Where.EMPLOYER:
        assert facts.employer_id is not None and not facts.employment_ended
        assert any(org == facts.employer_id for org, _role in candidate.memberships)
    if reason is None and rule.where is eligibility.Where.OWNER:
        assert any(
            org == facts.owner_id and r in ("coordinator", "admin", "viewer") for org, r in candidate.memberships
        )
    # Every refusal has a message that names no person.
    if reason is not None:
        assert eligibility.refusal_text(reason, rule, facts)
        assert eligibility.lapse_text(reason, rule, facts)


class PickerPageTests(EligibilityWorld, TestCase):
    def test_the_page_shows_no_template_comments(self):
        self.client.force_login(self.world.users["koordinator"])
        response = self.client.get(reverse("cases:participant_add", args=[self.case.public_id]), {"role": "gp"})
        self.assertNotContains(response, "{#")
        self.assertNotContains(response, "#}")
