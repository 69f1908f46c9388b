"""The coordinator's first contact with the employer: preparation, the call, the questions.

Content as data with lazy translations; :func:`call_script` fills the script with the case's
facts. It takes plain values only – name, employer, job, weeks – so health data cannot reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ChecklistGroup:
    title: str
    items: tuple[str, ...]


PREPARATION: tuple[ChecklistGroup, ...] = (
    ChecklistGroup(
        _("The workplace's view"),
        (
            _(
                "What concrete possibilities for keeping the employee does the workplace point to, and where "
                "are the problems?"
            ),
            _("What has the workplace already done to keep the employee?"),
        ),
    ),
    ChecklistGroup(
        _("The employee's view"),
        (
            _("Is the employee in touch with the workplace, and do they see themself back there?"),
            _("Which concrete possibilities does the employee see?"),
            _("Which efforts does the employee think are needed before or alongside the return?"),
            _("Agree with the employee what may be said to the employer, and who says it."),
        ),
    ),
    ChecklistGroup(
        _("Health (for your own preparation – never passed on to the employer)"),
        (
            _("Does anything in the health situation speak against a return, or are accommodations described?"),
            _("Is the course of the illness clear and predictable, or still unclear?"),
            _("Has treatment or an assessment begun, and what would support the return?"),
        ),
    ),
    ChecklistGroup(
        _("Your aim and your sources"),
        (
            _(
                "Decide the aim of the call right now, for example to agree a partial return or a joint "
                "meeting at the workplace."
            ),
            _(
                "Read the absence notification or fast-track request, any retention plan, the employee's "
                "information form and the doctor's certificate."
            ),
            _("Check for a social chapter in the collective agreement or a sickness-absence policy at the workplace."),
            _(
                "Call the person who knows about the absence – the owner, the nearest manager or HR. Phone "
                "beats e-mail for a first contact."
            ),
        ),
    ),
)

WORKPLACE_QUESTIONS: tuple[tuple[str, str], ...] = (
    # (form field name, question)
    ("busy_period", _("Before the absence, was there a busy period, a restructuring, dismissals or a new manager?")),
    ("functioning", _("How did the employee function at work before the absence, and what characterised the work?")),
    ("tried", _("What was tried to prevent the absence, and has a return been discussed?")),
)

TOOLS: tuple[str, ...] = (
    _("Partial return to work"),
    _("Company internship, at the own workplace or elsewhere"),
    _("Mentor"),
    _("Section 56 agreement (chronic or long-term illness)"),
    _("Social chapters of the collective agreement"),
    _("Aids and personal assistance"),
)

# Situations the municipal guide to employer-directed effort for people on sickness benefit asks the
# coordinator to watch for in the cooperation with the workplace.
SPECIAL_SITUATIONS: tuple[str, ...] = (
    _(
        "The workplace means to dismiss the employee: do not become a party to it, and ask the workplace to "
        "keep the dismissal apart from the effort for the return."
    ),
    _(
        "The employee has been given notice, before or during the sick leave: the notice period can still be "
        "used for an effort at the workplace, and sometimes it ends in the employee being taken on again."
    ),
    _(
        "The relationship with the manager who follows up is the difficulty: suggest that another manager "
        "from the workplace takes part as well."
    ),
    _(
        "The workplace or the employee has a health insurance: it may pay for treatment or contribute "
        "financially. Ask about it."
    ),
)

# When the sick-listed person is unemployed, the internship host and the person do not know each other,
# so the guide asks the coordinator to tell the host three things.
INTERNSHIP_HOST: tuple[str, ...] = (
    _("What the internship is for."),
    _("Which of the person's functions are reduced."),
    _("What concretely the internship works towards, for example clarifying or developing particular job functions."),
)


def call_script(
    *,
    coordinator: str,
    organisation: str,
    employee: str,
    employer: str,
    job_title: str,
    weeks: int,
    contact: str = "",
) -> tuple[str, ...]:
    """The first call, paragraph by paragraph, in the active language. Plain values only."""
    greeting = (
        gettext("Hello %(contact)s, my name is %(coordinator)s and I am calling from %(organisation)s.")
        if contact
        else gettext("Hello, my name is %(coordinator)s and I am calling from %(organisation)s.")
    )
    weeks_text = ngettext(
        "%(employee)s has been sick-listed for %(weeks)s week",
        "%(employee)s has been sick-listed for %(weeks)s weeks",
        weeks,
    )
    values = {
        "contact": contact,
        "coordinator": coordinator,
        "organisation": organisation,
        "employee": employee,
        "employer": employer,
        "job_title": job_title or gettext("their job"),
        "weeks": weeks,
    }
    return (
        greeting % values,
        (
            weeks_text
            + gettext(", and I have just spoken with them; they gave me your name as the contact at %(employer)s.")
        )
        % values,
        gettext(
            "While someone is on sickness benefit, we talk with them about whether support would help "
            "them back to work. You know the workplace and the job as %(job_title)s, so I would like to "
            "hear which possibilities you see."
        )
        % values,
        gettext(
            "I would like to suggest a short meeting at the workplace with %(employee)s, you and me. Is "
            "there anyone else who should join, for example the shop steward? When would suit you? I "
            "will then agree the time with %(employee)s."
        )
        % values,
        gettext(
            "I will not tell you about the illness itself; what matters here is what the employee can do "
            "at work, and how we can make the way back work for both of you."
        )
        % values,
    )
