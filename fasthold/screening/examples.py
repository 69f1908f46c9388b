"""Built-in example programs: the stress project and Det Store TTA-projekt.

The criteria, arms and numbers of sessions are the sources'; the days between sessions, the first
session's day and the minutes are Fasthold's examples, and the program page says so.

They are data in the organisation's language (Danish), created per case-owning organisation and
editable afterwards like any other program. Installing twice changes nothing.
"""

from django.db import transaction

from fasthold.screening import visitation as rules
from fasthold.screening.models import Arm, Criterion, Program, SessionKind, SessionTemplate

STRESS = "stress_project"
TTA = "large_tta_project"

_I, _E, _S = rules.INCLUSION, rules.EXCLUSION, rules.SOMATIC_CHECK

EXAMPLES = {
    STRESS: {
        "name": "Stresssygemeldt – tilbage til arbejdet",
        "description": (
            "Forløb for medarbejdere, der er sygemeldt med stress. Henvisning fra egen læge eller jobcenter; "
            "visitation ved socialrådgiver og psykolog. Projektet havde et 13 ugers forløb og en kontrolgruppe; "
            "kilden siger ikke, hvordan deltagerne blev fordelt, så armen vælges her i hånden."
        ),
        # The project's slides show a case arm and a control arm, not a lottery: no random allocation.
        "randomised": False,
        "criteria": [
            (_I, rules.CAUSE_CATEGORY_IS, "mental_stress", "Sygemeldt på grund af stress"),
            (_I, rules.WEEKS_MAX, "8", "Højst 8 uger siden første sygedag"),
            (_I, rules.EMPLOYED_NOT_DISMISSED, "", "I job og ikke opsagt"),
            (_I, "", "", "Taler og forstår dansk godt"),
            (_I, "", "", "Ønsker selv at deltage"),
            (_E, "", "", "Har en psykiatrisk sygdom"),
            (_E, "", "", "Har et aktivt misbrug"),
            (_E, "", "", "Har en moderat eller svær depression"),
            (_S, "", "", "Blodtryk undersøgt og normalt"),
            (_S, "", "", "Stofskifte undersøgt og normalt"),
            (_S, "", "", "D-vitamin undersøgt og normalt"),
        ],
        "arms": [
            (
                "Intervention (13 uger)",
                "Syv individuelle samtaler med psykolog, seks gruppeforløb, koordinering med arbejdspladsen "
                "og arbejde med en stresspolitik på arbejdspladsen.",
                [
                    ("Individuel samtale med psykolog", SessionKind.INDIVIDUAL_PSYCHOLOGIST, 7, 14, 0, 60),
                    ("Gruppeforløb", SessionKind.GROUP, 6, 14, 7, 120),
                    ("Koordinering med arbejdspladsen", SessionKind.COORDINATION, 3, 42, 3, 60),
                    ("Stresspolitik på arbejdspladsen", SessionKind.WORKPLACE_POLICY, 1, 0, 28, 90),
                ],
            ),
            (
                "Kontrol",
                "To til tre samtaler med psykolog og socialrådgiver.",
                [
                    ("Samtale med psykolog og socialrådgiver", SessionKind.CONVERSATION, 3, 28, 0, 60),
                ],
            ),
        ],
    },
    TTA: {
        "name": "Det Store TTA-projekt: tværfagligt TTA-team",
        "description": (
            "Tidlig, tværfaglig og koordineret indsats. Sygemeldte visiteres uanset diagnose til en "
            "TTA-koordinator, der sammen med et team af mindst en psykolog og en fysioterapeut eller "
            "ergoterapeut udreder, lægger handleplan og holder kontakt med arbejdspladsen."
        ),
        "randomised": False,
        # The white paper names only this: sick-listed for mental or physical reasons, whatever the diagnosis.
        "criteria": [
            (_I, "", "", "Sygemeldt af psykiske eller fysiske grunde (uanset diagnose)"),
        ],
        "arms": [
            (
                "TTA-team",
                "TTA-koordinator med psykolog og fysioterapeut eller ergoterapeut.",
                [
                    ("Udredning hos psykolog", SessionKind.ASSESSMENT, 1, 0, 0, 60),
                    ("Udredning hos fysioterapeut eller ergoterapeut", SessionKind.ASSESSMENT, 1, 0, 7, 60),
                    ("Handleplan med TTA-koordinator og team", SessionKind.COORDINATION, 1, 0, 14, 60),
                    ("Kontakt med arbejdspladsen", SessionKind.WORKPLACE_CONTACT, 1, 0, 21, 60),
                    ("Opfølgning hos TTA-koordinator", SessionKind.COORDINATION, 4, 28, 42, 45),
                ],
            ),
        ],
    },
}


@transaction.atomic
def install_example_programs(organisation) -> list[Program]:
    """Create the example programs for a case-owning organisation; existing ones are left alone."""
    installed = []
    for key, spec in EXAMPLES.items():
        program, created = Program.objects.get_or_create(
            organisation=organisation,
            example_key=key,
            defaults={"name": spec["name"], "description": spec["description"], "randomised": spec["randomised"]},
        )
        installed.append(program)
        if not created:
            continue
        Criterion.objects.bulk_create(
            [
                Criterion(
                    program=program,
                    kind=kind,
                    source=rules.COMPUTED if computed else rules.ANSWERED,
                    computed_key=computed,
                    parameter=parameter,
                    label=label,
                    order=i,
                )
                for i, (kind, computed, parameter, label) in enumerate(spec["criteria"])
            ]
        )
        for i, (name, description, rows) in enumerate(spec["arms"]):
            arm = Arm.objects.create(program=program, name=name, description=description, order=i)
            SessionTemplate.objects.bulk_create(
                [
                    SessionTemplate(
                        arm=arm,
                        title=title,
                        kind=kind,
                        count=count,
                        interval_days=interval,
                        offset_days=offset,
                        duration_minutes=minutes,
                        order=j,
                    )
                    for j, (title, kind, count, interval, offset, minutes) in enumerate(rows)
                ]
            )
    return installed
