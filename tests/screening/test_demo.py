from fasthold.screening.models import PrognosticProfile, Program, QuestionnaireResponse, Visitation
from tests.base import DemoWorldTestCase


class DemoTests(DemoWorldTestCase):
    load_demos = ("screening",)

    def test_demo_content(self):
        world = self.world
        self.assertEqual(Program.objects.filter(organisation=world.orgs["jobcentre"]).count(), 2)
        visitation = Visitation.objects.get(case=world.bodil)
        self.assertEqual((visitation.result, visitation.decision), ("not_eligible", "rejected"))
        pain = list(
            QuestionnaireResponse.objects.filter(case=world.kurt, instrument_id="nrs").values_list("score", flat=True)
        )
        self.assertEqual((pain[0], pain[-1]), (8, 5))
        self.assertEqual(QuestionnaireResponse.objects.filter(case=world.bodil, instrument_id="who5").count(), 3)
        self.assertIn("rtw_coordinator", PrognosticProfile.objects.get(case=world.kurt).answers)
