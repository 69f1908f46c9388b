"""What the product says, held to its sources: the law, the five seeds, or "the source is silent".

Each test names its source: a section of the Sickness Benefit Act (sygedagpengeloven), or a seed and the
section in it (seed 000: the stress project's slides; seed 001: the municipal guide to employer-directed
effort; seed 002: the occupational medicine slides on retention, 2016; seed 003: the NFA white paper).
"""

import datetime as dt
import importlib

from django.apps import apps as django_apps
from django.template.loader import render_to_string
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from fasthold.guidance import business_case, first_contact, phases, policy_template
from fasthold.guidance.models import ProfessionNote
from fasthold.meetings import agenda_builder
from fasthold.plans.models import RetentionTool
from fasthold.plans.tools_catalogue import TOOLS
from fasthold.schedules.task_examples import EXAMPLES
from fasthold.screening import prognosis, services
from fasthold.screening.examples import STRESS, TTA, install_example_programs
from fasthold.screening.forms import ProfileForm
from tests.base import DemoWorldTestCase
from tests.screening.test_screening_views import ScreeningTestCase


def _phase_texts(phase) -> list[str]:
    texts = [phase.title, phase.summary, *phase.to_do, *phase.recommendations, *phase.legal_tools]
    texts += [text for pair in phase.who_does_what for text in pair]
    return [str(text) for text in texts]


class JobcentreFollowUpTests(SimpleTestCase):
    """Sygedagpengeloven § 13 b, stk. 1 (LBK 1179/2023): at least four follow-ups in the first six months
    from the first sick day; after that a frequency agreed with the person, and a conversation on request;
    from the second follow-up in person, by phone or by video. "Every four weeks" is superseded."""

    def test_phase_3_gives_the_current_rule(self):
        with translation.override("en"):
            sick_leave = phases.phase("sick-leave")
            who = dict((str(task), str(by)) for task, by in sick_leave.who_does_what)
            self.assertIn("at least four in the first six months", who["Follow-up conversations"])
            rule = str(phases.JOBCENTRE_FOLLOW_UP)
            self.assertIn(rule, [str(t) for t in sick_leave.legal_tools])
            for part in ("at least four", "first six months", "first sick day", "ask for a conversation"):
                self.assertIn(part, rule)
            self.assertIn("in person, by phone or by video", rule)
            self.assertIn("13b(1)", rule)

    def test_no_phase_says_every_four_weeks(self):
        with translation.override("en"):
            for phase in phases.PHASES:
                for text in _phase_texts(phase):
                    self.assertNotIn("every four weeks", text.lower())
                    self.assertNotIn("every 4 weeks", text.lower())


class FirstContactSourcesTests(SimpleTestCase):
    """Seed 001, "Særlige situationer i samarbejdet" and "Særligt for sygemeldte ledige"."""

    def test_the_four_special_situations(self):
        with translation.override("en"):
            texts = [str(t) for t in first_contact.SPECIAL_SITUATIONS]
        self.assertEqual(len(texts), 4)
        self.assertIn("do not become a party", texts[0])  # the workplace means to dismiss
        self.assertIn("notice period can still be used", texts[1])  # also when notice comes during the absence
        self.assertIn("another manager", texts[2])
        self.assertIn("health insurance", texts[3])

    def test_what_the_internship_host_of_an_unemployed_person_is_told(self):
        # Purpose of the internship; the reduced functions; what concretely is worked towards.
        with translation.override("en"):
            texts = [str(t) for t in first_contact.INTERNSHIP_HOST]
        self.assertEqual(len(texts), 3)
        self.assertIn("what the internship is for", texts[0].lower())
        self.assertIn("reduced", texts[1])
        self.assertIn("clarifying or developing particular job functions", texts[2])


class FirstContactPageTests(DemoWorldTestCase):
    def test_page_shows_the_special_situations_and_the_internship_host(self):
        self.as_user("koordinator")
        response = self.client.get(reverse("guidance:first_contact", args=[self.kurt.public_id]))
        self.assertContains(response, 'id="special-heading"')
        for text in (*first_contact.SPECIAL_SITUATIONS, *first_contact.INTERNSHIP_HOST):
            self.assertContains(response, escape(str(text)))


class MeetingChecklistTests(SimpleTestCase):
    """Seed 001, "Mødeledelse – en tjekliste": besides the agenda points, two items on how to conduct the
    meeting: keep order with authority and competence; show respect, openness and curiosity."""

    def test_the_two_conduct_items_are_given_to_the_chair(self):
        leading = next(group for group in agenda_builder.GROUPS if group.key == "leading")
        with translation.override("en"):
            conduct = [str(text) for text in leading.conduct]
        self.assertEqual(len(conduct), 2)
        self.assertIn("authority and competence", conduct[0])
        self.assertIn("respect", conduct[1])
        self.assertIn("curiosity", conduct[1])
        # They are how the meeting is led, not points to put on the agenda.
        agenda_texts = [str(text) for _key, text in agenda_builder.choices()]
        for text in conduct:
            self.assertNotIn(text, agenda_texts)

    def test_the_checklist_shows_them(self):
        with translation.override("en"):
            html = render_to_string(
                "meetings/_checklist.html", {"groups": agenda_builder.GROUPS, "checked": [], "present": []}
            )
            for text in next(g for g in agenda_builder.GROUPS if g.key == "leading").conduct:
                self.assertIn(str(text), html)


class UnsourcedClaimsTests(SimpleTestCase):
    def test_business_case_names_no_weekly_maximum(self):
        # Seed 001's business case gives only the table; the maximum benefit rate is not in any source.
        help_text = next(a.help for a in business_case.describe_assumptions() if a.name == "weekly_refund_rate")
        for figure in ("4,000", "5,000", "4.000", "5.000"):
            self.assertNotIn(figure, help_text)
        self.assertNotIn("above today's maximum", help_text)
        self.assertIn("does not hold it", help_text)

    def test_policy_template_gives_the_right_to_ask_for_a_retention_plan(self):
        # Sygedagpengeloven § 7 b: the employee may ask for a retention plan at any time when not expected
        # back within 8 weeks; no plan "is made" by itself.
        with translation.override("en"):
            policy = policy_template.draft("Firma A/S")["policy"]
        self.assertNotIn("A retention plan is made", policy)
        self.assertIn("you have the right to ask for a retention plan at any time", policy)
        self.assertIn("section 7b", policy)

    def test_retention_flex_job_has_no_twelve_month_condition(self):
        # No source of Fasthold (the seeds, the research notes) gives a 12-month employment condition.
        row = next(row for row in TOOLS if row[0] == "retention_flex_job")
        for text in row[1:]:
            self.assertNotIn("12", text)

    def test_medicine_handling_has_no_colour(self):
        # Seed 000 ("8 brancher og stress") names the SSH/SSA profession and defines the colours, but colours
        # no medicine task; the two files disagreed (yellow in the note, red in the task examples).
        for colour, danish, english in EXAMPLES["ssh_ssa"]:
            self.assertNotIn("medicin", danish.lower(), colour)
            self.assertNotIn("medicine", english.lower(), colour)


def _migration(app: str, name: str):
    return importlib.import_module(f"fasthold.{app}.migrations.{name}")


class DataMigrationTests(TestCase):
    """The two data migrations change a text only while it is as first shipped."""

    def test_retention_flex_job_text_is_replaced_unless_edited(self):
        migration = _migration("plans", "0003_retention_flex_job_without_unsourced_condition")
        RetentionTool.objects.filter(key="retention_flex_job").update(**migration.OLD)
        migration.forward(django_apps, None)
        tool = RetentionTool.objects.get(key="retention_flex_job")
        self.assertEqual((tool.when_used_da, tool.when_used_en), tuple(migration.NEW.values()))
        RetentionTool.objects.filter(key="retention_flex_job").update(when_used_da="Vores egen tekst")
        migration.forward(django_apps, None)
        self.assertEqual(RetentionTool.objects.get(key="retention_flex_job").when_used_da, "Vores egen tekst")

    def test_ssh_ssa_note_loses_the_medicine_line_unless_edited(self):
        migration = _migration("guidance", "0003_ssh_ssa_medicine_colour")
        for language, (old, _new) in migration.CHANGES.items():
            ProfessionNote.objects.filter(profession_category="ssh_ssa", language=language).update(yellow_tasks=old)
        migration.forward(django_apps, None)
        for language, (_old, new) in migration.CHANGES.items():
            note = ProfessionNote.objects.get(profession_category="ssh_ssa", language=language)
            self.assertEqual(note.yellow_tasks, new)
            self.assertNotIn("edicin", note.yellow_tasks)
        self.assertFalse(ProfessionNote.objects.filter(yellow_tasks__icontains="medicin").exists())


class ExampleProgramTests(DemoWorldTestCase):
    def test_stress_project_is_not_randomised_and_says_the_source_is_silent(self):
        # Seed 000: a case arm (13 weeks) and a control arm (2-3 conversations), no lottery.
        programs = {p.example_key: p for p in install_example_programs(self.world.orgs["jobcentre"])}
        stress = programs[STRESS]
        self.assertFalse(stress.randomised)
        self.assertNotIn("lodtrækning", stress.description)
        self.assertIn("kilden siger ikke, hvordan deltagerne blev fordelt", stress.description)

    def test_session_intervals_are_labelled_as_fasthold_examples(self):
        # Seed 000 gives the number of sessions per arm, seed 003 the TTA team's elements; neither gives
        # intervals, first days or minutes.
        programs = {p.example_key: p for p in install_example_programs(self.world.orgs["jobcentre"])}
        self.as_user("koordinator")
        for key, phrase in ((STRESS, "the control arm: two to three conversations"), (TTA, "gives no numbers")):
            response = self.client.get(reverse("screening:program", args=[programs[key].public_id]))
            self.assertContains(response, 'id="example-session-note"')
            self.assertContains(response, "Fasthold's example")
            self.assertContains(response, phrase)

    def test_tta_project_has_only_the_white_papers_criterion(self):
        # Seed 003, ch. 7 (Det Store TTA-projekt): sick-listed with mental or physical problems, whatever the
        # diagnosis. No "employed, not dismissed" and no "wants to take part".
        programs = {p.example_key: p for p in install_example_programs(self.world.orgs["jobcentre"])}
        labels = list(programs[TTA].criteria.values_list("label", flat=True))
        self.assertEqual(labels, ["Sygemeldt af psykiske eller fysiske grunde (uanset diagnose)"])


class TwoActorRetentionFactorTests(SimpleTestCase):
    """Seed 002, "Fastholdelse – to aktører": the individual's factors and the workplace's."""

    INDIVIDUAL = ("Health", "Schooling and level of education", "Personal resources and ways of coping",
                  "Earlier experiences", "Personality", "Network")  # fmt: skip
    WORKPLACE = ("The workplace's size and the possibilities it has", "Possibility of financial compensation",
                 "The job and its functions", "How long the person has been employed", "Earlier sickness absence",
                 "Management's attitude")  # fmt: skip

    def section(self, key):
        return next(s for s in prognosis.SECTIONS if s.key == key)

    def test_both_actors_with_all_their_factors(self):
        self.assertEqual(tuple(q.text for q in self.section("actor_individual").questions), self.INDIVIDUAL)
        self.assertEqual(tuple(q.text for q in self.section("actor_workplace").questions), self.WORKPLACE)
        for key in ("actor_individual", "actor_workplace"):
            self.assertEqual(self.section(key).kind, "actor")

    def test_the_profile_counts_what_helps_and_what_stands_in_the_way_without_a_score(self):
        answers = {
            "individual_health": {"answer": "no", "note": "Slidt ryg"},
            "workplace_management": {"answer": "yes", "note": ""},
            "workplace_job": {"answer": "no", "note": ""},
        }
        profiles = {sp.section.key: sp for sp in prognosis.profile(answers)}
        self.assertEqual(profiles["actor_individual"].against, ("individual_health",))
        self.assertEqual(profiles["actor_workplace"].present, ("workplace_management",))
        self.assertEqual(profiles["actor_workplace"].against, ("workplace_job",))
        self.assertEqual(len(profiles["actor_workplace"].unanswered), 4)

    def test_the_form_names_the_answers_helps_and_stands_in_the_way(self):
        with translation.override("en"):
            form = ProfileForm(answers={}, initial={"version": 1})
            labels = [str(label) for _value, label in form.fields["workplace_management"].choices]
            self.assertEqual(labels, ["Not answered", "Helps", "Stands in the way", "Don't know"])
            yes_no = [str(label) for _value, label in form.fields["high_age"].choices]
            self.assertEqual(yes_no, ["Not answered", "Yes", "No", "Don't know"])


class ProfilePageTests(DemoWorldTestCase):
    load_demos = ("screening",)

    def test_kurts_profile_shows_both_actors(self):
        # Seed 002's two actors, filled in from seed 001's account of Kurt (the employer wants to keep him).
        self.as_user("koordinator")
        response = self.client.get(reverse("screening:profile", args=[self.kurt.public_id]))
        self.assertContains(response, "Retention, the person: what they bring")
        self.assertContains(response, "Retention, the workplace: what it brings")
        self.assertContains(response, 'Management&#x27;s attitude: <span class="fh-answer">Helps</span>')
        self.assertContains(response, 'The job and its functions: <span class="fh-answer">Stands in the way</span>')
        self.assertContains(response, "1 stands in the way")


class PlannedSessionsNoteTests(ScreeningTestCase):
    def test_planned_sessions_of_an_example_program_are_labelled_as_the_examples(self):
        # Seed 000 gives the control arm 2-3 conversations and no cadence: the dates come from Fasthold's example.
        actor = self.world.users["koordinator"]
        answers = {
            str(c.pk): {"value": c.kind != "exclusion", "note": ""}
            for c in self.stress.criteria.filter(source="answered")
        }
        visitation = services.visitation_answer(
            actor=actor,
            case=self.stressed,
            program=self.stress,
            visitation=None,
            expected_version=None,
            answers=answers,
        )
        services.visitation_decide(
            actor=actor, visitation=visitation, expected_version=visitation.version, decision="accepted"
        )
        services.visitation_allocate(
            actor=actor,
            visitation=visitation,
            expected_version=visitation.version,
            method="manual",
            arm=self.stress.arms.get(order=1),
            start_date=dt.date(2026, 1, 5),
        )
        self.login("koordinator")
        response = self.client.get(self.visit_url(self.stressed))
        self.assertContains(response, 'id="example-dates-note"')
