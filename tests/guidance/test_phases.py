"""The phase content and the pure derivation of a case's stage."""

import datetime as dt

import pytest
from django.utils import translation

from fasthold.guidance import phases
from fasthold.guidance.phases import CaseStage, PhaseSlug, derive_stage

TODAY = dt.date(2026, 3, 16)


@pytest.mark.parametrize(
    "days_ago,status,extent,expected",
    [
        (0, "open", "full", CaseStage.FIRST_DAYS),
        (6, "open", "full", CaseStage.FIRST_DAYS),
        (7, "open", "full", CaseStage.SICK_LEAVE),
        (60, "open", "full", CaseStage.SICK_LEAVE),
        (2, "open", "partial", CaseStage.RETURN_UNDER_WAY),
        (60, "open", "partial", CaseStage.RETURN_UNDER_WAY),
        (90, "retention", "full", CaseStage.RETENTION),
        (90, "retention", "partial", CaseStage.RETENTION),
        (3, "closed", "full", CaseStage.CLOSED),
        (120, "closed", "partial", CaseStage.CLOSED),
    ],
)
def test_stage_is_derived_from_the_case_state(days_ago, status, extent, expected):
    first = TODAY - dt.timedelta(days=days_ago)
    assert derive_stage(first_sick_day=first, today=TODAY, status=status, absence_extent=extent) == expected


def test_every_stage_but_closed_maps_to_a_phase():
    for stage in CaseStage:
        slug = phases.STAGE_PHASES[stage]
        assert (slug is None) == (stage == CaseStage.CLOSED)
        if slug:
            assert phases.phase(slug) is not None
        assert str(phases.STAGE_LABELS[stage])


def test_five_phases_each_with_all_parts():
    assert [p.slug for p in phases.PHASES] == list(PhaseSlug)
    assert [p.number for p in phases.PHASES] == [1, 2, 3, 4, 5]
    for phase in phases.PHASES:
        assert phase.to_do and phase.who_does_what and phase.recommendations and phase.legal_tools
        assert all(1 <= n <= 7 for n in phase.main_recommendations)
    assert len(phases.SEVEN_RECOMMENDATIONS) == 7
    assert len(phases.COLLEAGUE_QUESTIONS) == 5
    assert phases.phase("nonsense") is None


def test_mental_health_care_covers_rest_initiative_and_no_retraumatising():
    with translation.override("en"):
        text = " ".join(str(item) for item in phases.MENTAL_HEALTH_CARE)
    assert "rest" in text
    assert "takes the initiative" in text
    assert "re-traumatise" in text
