"""The continuum of schemes: from tools in the ordinary job to flex job or pension.

Content as data with lazy translations; rendered by templates/guidance/continuum.html.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    title: str
    summary: str
    tools: tuple[str, ...]


CONTINUUM: tuple[Step, ...] = (
    Step(
        _("Retention in the ordinary job"),
        _("The first choice: stay in the job, with tools that make it possible while treatment goes on."),
        (
            _("Partial sick-listing and partial return to work"),
            _("Section 56 agreement: the employer is refunded from the first day for a chronic illness"),
            _("Aids and personal assistance"),
            _("Company internship"),
            _("Wage subsidy"),
            _("Mentor"),
            _("Job clarification course (jobafklaringsforløb)"),
        ),
    ),
    Step(
        _("Retraining (revalidering)"),
        _("Often a longer course, when the old job is no longer possible but another one is."),
        (
            _("Upskilling and education"),
            _("Company internship and wage subsidy"),
            _("Adapting the workplace"),
            _("Mentor"),
        ),
    ),
    Step(
        _("Resource course (ressourceforløb)"),
        _("A coordinated, longer and interdisciplinary effort when the path to work or education is long."),
        (
            _("Effort in the health services"),
            _("Help with social problems"),
            _("Building resources and possibilities for a job or education"),
        ),
    ),
    Step(
        _("Flex job or disability pension"),
        _(
            "Supported employment when the working capacity is permanently reduced – and, at the far end, "
            "disability pension when work is no longer possible."
        ),
        (
            _("Flex job, also as a retention flex job with the current employer"),
            _("Disability pension (førtidspension)"),
        ),
    ),
)
