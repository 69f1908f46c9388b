"""Demo content: example programs for the jobcentre, Bodil visited into the stress project (not
eligible: depression), Kurt's prognostic profile as far as the guide tells his story, and a few weeks of
NRS pain and WHO-5 scores."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fasthold.screening import services
from fasthold.screening.examples import STRESS, install_example_programs
from fasthold.screening.instruments import custom_scale, load_instrument
from fasthold.screening.models import PrognosticProfile, ResponseSource

# Each series: (weeks ago, the answers), oldest first.
NRS_KURT = ((5, [8]), (4, [7]), (3, [7]), (2, [6]), (1, [5]))
WHO5_BODIL = ((4, [1, 1, 2, 1, 1]), (2, [2, 2, 2, 1, 2]), (0, [3, 2, 3, 2, 2]))
OWN_SCALE_BODIL = ((3, [3]), (2, [4]), (1, [4]), (0, [6]))


def _answered(actor, case, instrument, source, series, today) -> None:
    for weeks_ago, answers in series:
        services.questionnaire_record(
            actor=actor,
            case=case,
            instrument=instrument,
            answers=answers,
            source=source,
            answered_on=today - dt.timedelta(weeks=weeks_ago),
        )


@transaction.atomic
def load_demo(world) -> None:
    today = timezone.localdate()
    coordinator = world.users["koordinator"]
    programs = {p.example_key: p for p in install_example_programs(world.orgs["jobcentre"])}

    stress = programs[STRESS]
    answers = {}
    for criterion in stress.criteria.filter(source="answered"):
        value = True
        if criterion.kind == "exclusion":
            value = "depression" in criterion.label
        answers[str(criterion.pk)] = {"value": value, "note": ""}
    visitation = services.visitation_answer(
        actor=coordinator, case=world.bodil, program=stress, visitation=None, expected_version=None, answers=answers
    )
    services.visitation_decide(
        actor=coordinator, visitation=visitation, expected_version=visitation.version, decision="rejected"
    )

    PrognosticProfile.objects.update_or_create(
        case=world.kurt,
        defaults={
            "updated_by": coordinator,
            "answers": {
                # From the guide's account of Kurt; what it does not tell is left unanswered.
                "high_age": {"answer": "yes", "note": "55 år."},
                "negative_workplace_attitude": {"answer": "no", "note": "Arbejdsgiveren vil gerne fastholde Kurt."},
                "individual_health": {
                    "answer": "no",
                    "note": "Slidt ryg og smerter; lægen: ingen yderligere behandling, men træning og vægttab kan "
                    "støtte tilbagevenden.",
                },
                "individual_coping": {
                    "answer": "no",
                    "note": "Bange for smerterne; svært ved at tro på, at de ikke gør ryggen værre.",
                },
                "workplace_size": {"answer": "yes", "note": "Der er en anden funktion at prøve: truckfører."},
                "workplace_job": {"answer": "no", "note": "Jobbet er at løfte træ op til maskinerne."},
                "workplace_management": {
                    "answer": "yes",
                    "note": "Vil gerne fastholde Kurt, men er usikker på hvordan og tvivler på, at han kan vende "
                    "tilbage til sit normale arbejde.",
                },
                "work_modification": {"answer": "yes", "note": "Truckkørsel i en anden funktion."},
                "early_employee_workplace_contact": {"answer": "yes", "note": ""},
                "rtw_coordinator": {"answer": "yes", "note": "Karen Holm, jobcentret."},
                "treater_workplace_contact": {"answer": "no", "note": ""},
                "ergonomic_assessment": {"answer": "unknown", "note": ""},
                "physical_training": {
                    "answer": "yes",
                    "note": "Lægen: træning og vægttab kan støtte tilbagevenden. Daglig gåtur i pausen.",
                },
            },
        },
    )

    # A few weeks of Kurt's NRS pain and of the WHO-5 Bodil filled in on paper with her coordinator.
    _answered(world.users["kurt"], world.kurt, load_instrument("nrs"), ResponseSource.SELF, NRS_KURT, today)
    _answered(coordinator, world.bodil, load_instrument("who5"), ResponseSource.PAPER, WHO5_BODIL, today)

    # Bodil's own scale from the guide: belief in her skills, discussed weekly with her manager.
    definition = {
        "id": "belief_in_own_skills",
        "name": "Tro på egne evner",
        "question": "Hvor meget tror du på dine faglige evner lige nu?",
        "low_anchor": "Slet ikke",
        "high_anchor": "Fuldt ud",
    }
    scale = custom_scale(definition)
    services.custom_scale_create(
        actor=coordinator, organisation=world.orgs["jobcentre"], instrument=scale, definition=definition
    )
    _answered(world.users["bodil"], world.bodil, scale, ResponseSource.SELF, OWN_SCALE_BODIL, today)
