"""The public business-case page: the seed's table cell by cell, both modes, bad input."""

import re

from django.test import TestCase
from django.urls import reverse

from fasthold.guidance.business_case import ROWS, SCENARIOS, Assumptions, ExplicitAmounts, calculate_derived
from tests.guidance.test_business_case import SEED_TABLE

URL = reverse("guidance:business_case")
SEED_PARAMS = {
    "gross": "90000",
    "refund_part": "27000",
    "refund_full": "52500",
    "refund_dismiss": "52500",
    "temp_part": "45000",
    "temp_full": "90000",
    "temp_dismiss": "30000",
    "recruitment": "36000",
    "new_salary": "60000",
}


def cells(html: str) -> dict[tuple[str, str], str]:
    return {
        (row, scenario): value for row, scenario, value in re.findall(r'data-cell="(\w+):(\w+)">([^<]*)</td>', html)
    }


def danish(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class CalculatorPageTests(TestCase):
    def assert_seed_table(self, response, fmt=danish):
        self.assertEqual(response.status_code, 200)
        found = cells(response.content.decode())
        self.assertEqual(len(found), len(ROWS) * len(SCENARIOS))
        for row in ROWS:
            for index, scenario in enumerate(SCENARIOS):
                with self.subTest(row=row, scenario=scenario):
                    self.assertEqual(found[(row, scenario)], fmt(SEED_TABLE[row][index]))

    def test_anonymous_visitor_sees_the_seed_table_by_default(self):
        self.assert_seed_table(self.client.get(URL))

    def test_seed_amounts_through_get_and_post(self):
        self.assert_seed_table(self.client.get(URL, SEED_PARAMS))
        self.assert_seed_table(self.client.post(URL, SEED_PARAMS))

    def test_english_uses_comma_thousands_separators(self):
        self.client.cookies["django_language"] = "en"
        self.assert_seed_table(self.client.get(URL, SEED_PARAMS), fmt=lambda n: f"{n:,}")

    def test_amounts_typed_with_thousands_separators_and_kr(self):
        params = {**SEED_PARAMS, "gross": "90.000", "temp_full": "90 000 kr", "recruitment": "36,000"}
        self.assert_seed_table(self.client.get(URL, params))

    def test_own_numbers(self):
        params = {**SEED_PARAMS, "gross": "120000", "refund_full": "40000", "temp_full": "100000"}
        found = cells(self.client.get(URL, params).content.decode())
        self.assertEqual(found[("net_salary_cost", "full_time_sick")], "80.000")
        self.assertEqual(found[("employer_total", "full_time_sick")], "180.000")
        self.assertEqual(found[("extra_cost_of_sick_listing", "full_time_sick")], "60.000")

    def test_derived_mode_shows_every_assumption_and_its_table(self):
        response = self.client.get(URL, {"mode": "derived"})
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for name in (
            "monthly_salary",
            "period_months",
            "weekly_refund_rate",
            "part_time_percent",
            "employer_period_days",
            "temp_percent",
            "recruitment_cost",
            "new_hire_weeks",
        ):
            self.assertIn(f'name="{name}"', page)
        expected = calculate_derived()
        found = cells(page)
        for row in ROWS:
            for scenario in SCENARIOS:
                self.assertEqual(found[(row, scenario)], danish(getattr(expected.scenarios[scenario], row)))

    def test_derived_mode_with_own_assumptions(self):
        params = {
            "mode": "derived",
            "monthly_salary": "30000",
            "period_months": "3",
            "weekly_refund_rate": "4500",
            "part_time_percent": "50",
            "employer_period_days": "0",
            "temp_percent": "100",
            "recruitment_cost": "36000",
            "new_hire_weeks": "4,5",
        }
        response = self.client.post(URL, params)
        self.assertEqual(response.status_code, 200)
        from decimal import Decimal

        expected = calculate_derived(
            Assumptions(weekly_refund_rate=4500, employer_period_days=0, new_hire_weeks=Decimal("4.5"))
        )
        found = cells(response.content.decode())
        self.assertEqual(
            found[("employer_total", "dismiss_and_hire")], danish(expected.dismiss_and_hire.employer_total)
        )

    def test_phone_friendly_inputs(self):
        page = self.client.get(URL).content.decode()
        self.assertIn('inputmode="numeric"', page)
        self.assertIn('name="viewport"', page)
        self.assertIn("guidance/guidance.css", page)


class CalculatorBadInputTests(TestCase):
    def setUp(self):
        self.client.cookies["django_language"] = "en"

    def errors(self, params, field):
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("data-cell", response.content.decode())
        return " ".join(response.context["form"].errors.get(field, []))

    def test_negative_amount(self):
        self.assertIn("cannot be negative", self.errors({**SEED_PARAMS, "temp_full": "-5"}, "temp_full"))

    def test_not_a_number(self):
        self.assertIn("whole number of kroner", self.errors({**SEED_PARAMS, "gross": "lots"}, "gross"))
        self.assertIn("whole number of kroner", self.errors({**SEED_PARAMS, "gross": "90000,50"}, "gross"))

    def test_missing_amount(self):
        params = dict(SEED_PARAMS)
        del params["recruitment"]
        self.assertTrue(self.errors(params, "recruitment"))

    def test_refund_above_salary(self):
        self.assertIn(
            "cannot be more than the gross salary", self.errors({**SEED_PARAMS, "refund_full": "95000"}, "refund_full")
        )

    def test_message_shown_at_the_field(self):
        response = self.client.get(URL, {**SEED_PARAMS, "temp_full": "-5"})
        page = response.content.decode()
        self.assertIn('id="id_temp_full_error"', page)
        self.assertIn('aria-invalid="true"', page)
        self.assertIn('value="-5"', page)  # the input is kept

    def test_derived_bad_input(self):
        params = {
            "mode": "derived",
            "monthly_salary": "abc",
            "period_months": "-1",
            "weekly_refund_rate": "6125",
            "part_time_percent": "150",
            "employer_period_days": "30",
            "temp_percent": "100",
            "recruitment_cost": "36000",
            "new_hire_weeks": "4",
        }
        response = self.client.post(URL, params)
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertIn("monthly_salary", errors)
        self.assertIn("cannot be negative", " ".join(errors["period_months"]))
        self.assertIn("part_time_percent", errors)

    def test_derived_employer_period_longer_than_period(self):
        params = {
            "mode": "derived",
            "monthly_salary": "30000",
            "period_months": "0,5",
            "weekly_refund_rate": "6125",
            "part_time_percent": "50",
            "employer_period_days": "30",
            "temp_percent": "100",
            "recruitment_cost": "36000",
            "new_hire_weeks": "4",
        }
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 400)
        self.assertIn("more than the period", " ".join(response.context["form"].errors["employer_period_days"]))

    def test_defaults_are_the_seed(self):
        self.assertEqual(ExplicitAmounts().as_dict(), {k: int(v) for k, v in SEED_PARAMS.items()})
