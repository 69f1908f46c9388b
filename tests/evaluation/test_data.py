"""The dataset of a program, the follow-ups on the calendar, and the register import."""

import datetime as dt

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.cpr import birth_date
from fasthold.deadlines.models import Deadline
from fasthold.deadlines.services import calendar_refresh_many
from fasthold.evaluation import services
from fasthold.evaluation.dataset import program_rows
from fasthold.evaluation.models import BenefitWeek, CaseReturn, RegisterImport
from fasthold.screening.models import Visitation
from tests.evaluation.base import ALLOCATED, EvaluationTestCase, Outcome

KEYS = ("follow_up_3m", "follow_up_6m", "follow_up_12m")


def row_of(rows, case):
    return next(r for r in rows if r.case_id == case.pk)


class Dataset(EvaluationTestCase):
    def test_the_coordinators_record_gives_the_event_and_its_time(self):
        returned = self.person(self.special, closed_on=dt.date(2026, 3, 2), outcome=Outcome.FULL_RETURN)
        CaseReturn.objects.create(case=returned, full_return_on=dt.date(2026, 2, 23))
        not_returned = self.person(self.usual, closed_on=dt.date(2026, 6, 1), outcome=Outcome.UNEMPLOYED)
        relapsed = self.person(self.usual, closed_on=dt.date(2026, 2, 2), outcome=Outcome.FULL_RETURN)
        services.follow_up_record(
            actor=self.users["koordinator"],
            case=relapsed,
            months=3,
            expected_version=None,
            data={"status": "new_absence", "absence_from": dt.date(2026, 2, 16)},
        )
        rows = program_rows(self.program, today=dt.date(2026, 12, 7))
        self.assertEqual(len(rows), 3)
        r = row_of(rows, returned)
        self.assertEqual((r.event, r.duration, r.arm, r.arm_order), (1, 49, "Særlig", 1))
        self.assertEqual((r.age, r.sex, r.cause_group, r.profession, r.weeks_absent), (46.0, 0, "mental", "nurse", 4.0))
        r = row_of(rows, not_returned)
        self.assertEqual((r.event, r.duration), (0, (dt.date(2026, 6, 1) - ALLOCATED).days))
        # Back at work on 2 February, absent again two weeks later: the return did not last.
        r = row_of(rows, relapsed)
        self.assertEqual(r.event, 0)

    def test_the_register_outranks_the_coordinators_record(self):
        case = self.person(self.special, closed_on=dt.date(2026, 3, 2), outcome=Outcome.FULL_RETURN)
        CaseReturn.objects.create(case=case, full_return_on=dt.date(2026, 2, 23))
        statuses = ["sickness"] * 10 + ["none"] * 4 + ["none"] * 10 + ["sickness"]
        text = "case,week,status\n" + "".join(
            f"{case.public_id},{(ALLOCATED + dt.timedelta(weeks=i)).isocalendar().year}-W"
            f"{(ALLOCATED + dt.timedelta(weeks=i)).isocalendar().week:02d},{s}\n"
            for i, s in enumerate(statuses)
        )
        parsed = services.register_parse(text, self.jobcentre)
        self.assertTrue(parsed.ok, parsed.errors)
        services.register_import(actor=self.users["koordinator"], organisation=self.jobcentre, parsed=parsed)
        r = row_of(program_rows(self.program), case)
        self.assertEqual((r.event, r.duration), (1, 70))  # the first of the weeks without benefit: week 10
        self.assertEqual((r.recurrence, r.recurrence_duration), (1, 14 * 7))

    def test_intention_to_treat_keeps_drop_outs_and_per_protocol_leaves_them_out(self):
        self.person(self.special, dropout_on=dt.date(2026, 2, 1))
        self.person(self.special)
        self.assertEqual(len(program_rows(self.program)), 2)
        self.assertEqual([r.dropout for r in program_rows(self.program, per_protocol=True)], [False])

    def test_time_starts_on_the_local_day_of_allocation_when_no_start_date_is_set(self):
        case = self.person(self.special, closed_on=dt.date(2026, 3, 2), outcome=Outcome.FULL_RETURN)
        # 23:30 UTC on 4 January is 00:30 on 5 January in Copenhagen: day 0 is the 5th.
        Visitation.objects.filter(case=case).update(
            start_date=None, allocated_at=dt.datetime(2026, 1, 4, 23, 30, tzinfo=dt.UTC)
        )
        r = row_of(program_rows(self.program), case)
        self.assertEqual((r.origin, r.duration, r.weeks_absent), (dt.date(2026, 1, 5), 56, 4.0))
        # Neither a start date nor an allocation time: the first sick day.
        Visitation.objects.filter(case=case).update(start_date=None, allocated_at=None)
        r = row_of(program_rows(self.program), case)
        self.assertEqual((r.origin, r.weeks_absent), (ALLOCATED - dt.timedelta(weeks=4), 0.0))

    def test_age_and_sex_follow_the_cpr_numbers_century_rules_and_a_non_date_is_unknown(self):
        valid = ("0101801233", "1503404122", "0101204001", "0101585999", "2902969001")
        invalid = ("3102801234", "12345", "")  # 31 February, too short, none
        cases = {cpr: self.person(self.usual, cpr=cpr) for cpr in valid + invalid}
        rows = program_rows(self.program)
        for cpr in valid:
            born = birth_date(cpr)
            r = row_of(rows, cases[cpr])
            self.assertEqual(r.age, round((ALLOCATED - born).days / 365.25, 1), cpr)
            self.assertEqual(r.sex, int(cpr[-1]) % 2, cpr)
        self.assertEqual({birth_date("0101204001").year, birth_date("0101585999").year}, {2020, 1858})
        for cpr in invalid:
            r = row_of(rows, cases[cpr])
            self.assertEqual((r.age, r.sex), (None, None), cpr)


class FollowUps(EvaluationTestCase):
    def test_checks_after_closure_are_on_the_calendar_until_recorded(self):
        case = self.person(self.special, closed_on=dt.date(2026, 11, 30), outcome=Outcome.FULL_RETURN)
        calendar_refresh_many([case])
        due = dict(Deadline.objects.filter(case=case, key__in=KEYS).values_list("key", "due"))
        self.assertEqual(
            due,
            {
                "follow_up_3m": dt.date(2027, 2, 28),
                "follow_up_6m": dt.date(2027, 5, 30),
                "follow_up_12m": dt.date(2027, 11, 30),
            },
        )
        # Closed, yet on the coordinator's dashboard.
        self.assertTrue(all(Deadline.objects.filter(case=case, key__in=KEYS).values_list("case_open", flat=True)))
        services.follow_up_record(
            actor=self.users["koordinator"], case=case, months=3, expected_version=None, data={"status": "at_work"}
        )
        self.assertEqual(
            set(Deadline.objects.filter(case=case, key__in=KEYS).values_list("key", flat=True)),
            {"follow_up_6m", "follow_up_12m"},
        )
        self.assertTrue(AuditEntry.objects.filter(case=case, action=AuditAction.OUTCOME_RECORDED).exists())

    def test_a_case_closed_without_work_gets_no_follow_ups(self):
        case = self.person(self.special, closed_on=dt.date(2026, 11, 30), outcome=Outcome.DISABILITY_PENSION)
        calendar_refresh_many([case])
        self.assertFalse(Deadline.objects.filter(case=case, key__in=KEYS).exists())


class RegisterImport_(EvaluationTestCase):
    def file(self, *rows, header="case,week,status"):
        return header + "\n" + "\n".join(",".join(r) for r in rows) + "\n"

    def test_every_row_error_is_shown_and_nothing_is_imported(self):
        case = self.person(self.special)
        other_org_case = self.world.bodil if self.world.bodil.organisation_id != self.jobcentre.pk else None
        text = self.file(
            (str(case.public_id), "2026-W02", "sickness"),
            (str(case.public_id), "2026-W60", "none"),
            (str(case.public_id), "2026-W03", "holiday"),
            ("00000000-0000-0000-0000-000000000000", "2026-W04", "none"),
            ("not-a-reference", "2026-W04", "none"),
            (str(case.public_id), "2026-W02", "none"),
            (str(case.public_id), "2026-W05"),
        )
        parsed = services.register_parse(text, self.jobcentre)
        self.assertFalse(parsed.ok)
        self.assertEqual([line for line, _message in parsed.errors], [3, 4, 5, 6, 7, 8])
        self.assertIsNone(other_org_case)  # the demo's cases are the jobcentre's; another org's is tested below
        with self.assertRaises(ValueError):
            services.register_import(actor=self.users["koordinator"], organisation=self.jobcentre, parsed=parsed)
        self.assertFalse(BenefitWeek.objects.exists())
        self.assertFalse(services.register_parse("id,uge,status\n", self.jobcentre).ok)

    def test_another_organisations_case_is_unknown(self):
        case = self.person(self.special, site=self.world.orgs["clinic"])
        parsed = services.register_parse(self.file((str(case.public_id), "2026-W02", "none")), self.jobcentre)
        self.assertEqual(len(parsed.errors), 1)

    def test_importing_the_same_file_again_changes_nothing_and_a_correction_changes_one_week(self):
        case = self.person(self.special)
        rows = [(str(case.public_id), f"2026-W{w:02d}", "sickness" if w < 6 else "none") for w in range(2, 12)]
        first = services.register_import(
            actor=self.users["koordinator"],
            organisation=self.jobcentre,
            parsed=services.register_parse(self.file(*rows), self.jobcentre),
        )
        self.assertEqual((first.created, first.changed), (10, 0))
        again = services.register_import(
            actor=self.users["koordinator"],
            organisation=self.jobcentre,
            parsed=services.register_parse(self.file(*rows), self.jobcentre),
        )
        self.assertEqual((again.created, again.changed), (0, 0))
        self.assertEqual(BenefitWeek.objects.count(), 10)
        rows[4] = (str(case.public_id), "2026-W06", "sickness")
        fixed = services.register_import(
            actor=self.users["koordinator"],
            organisation=self.jobcentre,
            parsed=services.register_parse(self.file(*rows), self.jobcentre),
        )
        self.assertEqual((fixed.created, fixed.changed), (0, 1))
        self.assertEqual(CaseReturn.objects.get(case=case).register_return_on, dt.date(2026, 2, 9))  # W07
        self.assertEqual(RegisterImport.objects.count(), 3)
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.REGISTER_IMPORTED).count(), 3)


class EmptyProgram(EvaluationTestCase):
    def test_a_program_nobody_is_allocated_to_has_an_empty_dataset_and_a_page(self):
        from django.urls import reverse

        self.assertEqual(program_rows(self.program), [])
        self.as_user("koordinator")
        page = self.client.get(reverse("evaluation:program", args=[self.program.public_id]))
        self.assertContains(page, "no figures are shown yet")
