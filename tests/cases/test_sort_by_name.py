"""The case list's name sort: Danish alphabetical order from a key stored on the case, kept true when a
case is opened by hand or by import and when the person's name is edited."""

import datetime as dt

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from fasthold.cases import services
from fasthold.cases.importing import import_rows
from fasthold.cases.models import Case
from fasthold.cases.names import sort_key
from tests.base import DemoWorldTestCase
from tests.cases.test_import import row


class SortKeyTests(SimpleTestCase):
    def test_danish_order_whatever_the_case(self):
        names = ["Åse Holm", "æble Due", "Øster Berg", "zacho Lund", "de Jong", "Anders Bo", "anne Kær", "Ärla Ny"]
        self.assertEqual(
            sorted(names, key=sort_key),
            ["Anders Bo", "anne Kær", "de Jong", "zacho Lund", "æble Due", "Ärla Ny", "Øster Berg", "Åse Holm"],
        )

    def test_accents_fold_and_decomposed_letters_count_as_composed(self):
        self.assertEqual(sort_key("Émile"), sort_key("emile"))
        self.assertEqual(sort_key("A\u030ase"), sort_key("Åse"))  # "Å" written as A + combining ring
        self.assertLess(sort_key("Zeth"), sort_key("A\u030ase"))

    def test_spaces_are_squeezed_and_the_key_fits_its_column(self):
        self.assertEqual(sort_key("  Bo   Ek "), "bo ek")
        self.assertEqual(len(sort_key("ß" * 200)), 200)


class CaseListByNameTests(DemoWorldTestCase):
    def open_case(self, name: str) -> Case:
        return services.case_open(
            actor=self.users["koordinator"],
            organisation=self.world.orgs["jobcentre"],
            person={"name": name},
            employment={"employer": self.world.orgs["door_factory"]},
            case={
                "first_sick_day": timezone.localdate() - dt.timedelta(days=3),
                "cause_category": "other",
                "referral_source": "gp",
            },
        )

    def listed_names(self, sort: str, names: list[str]) -> list[str]:
        self.as_user("koordinator")
        page = self.client.get(reverse("cases:list"), {"sort": sort, "status": "all"}).content.decode()
        found = sorted((page.index(n), n) for n in names)
        return [n for _pos, n in found]

    def test_the_list_sorts_by_name_in_danish_order_both_ways(self):
        names = ["Åse Ravn", "Ærle Holt", "Østen Krog", "zenia Lind"]
        for name in names:
            self.assertEqual(self.open_case(name).sort_name, sort_key(name))
        self.assertEqual(self.listed_names("name", names), ["zenia Lind", "Ærle Holt", "Østen Krog", "Åse Ravn"])
        self.assertEqual(self.listed_names("-name", names), ["Åse Ravn", "Østen Krog", "Ærle Holt", "zenia Lind"])

    def test_editing_the_name_moves_every_case_of_the_person(self):
        case = self.open_case("Aaron Ask")
        second = Case.objects.create(
            person=case.person,
            organisation=case.organisation,
            first_sick_day=case.first_sick_day - dt.timedelta(days=400),
            cause_category="other",
            referral_source="gp",
            status="closed",
        )
        self.assertEqual(second.sort_name, sort_key("Aaron Ask"), "a case opened for a known person")
        services.case_update(
            actor=self.users["koordinator"],
            case=case,
            expected_version=case.version,
            case_data={},
            person_data={"name": "Ødis Ask"},
        )
        self.assertEqual(set(Case.objects.filter(person=case.person).values_list("sort_name", flat=True)), {"|dis ask"})

    def test_imported_cases_carry_the_key(self):
        result = import_rows(
            actor=self.users["koordinator"],
            organisation=self.world.orgs["jobcentre"],
            rows=[row(cpr="0401901111", navn="Åge Import")],
            dry_run=False,
        )
        self.assertTrue(result.imported)
        self.assertEqual(Case.objects.get(person__name="Åge Import").sort_name, sort_key("Åge Import"))
