"""The starting draft of an organisation's own sickness-absence policy.

Three texts an organisation edits into its own: who does what, the sickness-absence policy, and
a stress policy. :func:`draft` returns them in the active language (the view runs it in the
user's language); the organisation's edited text is then stored as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext


def _lines(*lines: str) -> str:
    return "\n".join(lines)


def blank_values() -> dict[str, str]:
    """The blanks an organisation fills in, in the reader's language."""
    return {"name_or_role": gettext("[name / role]"), "name": gettext("[name]")}


def draft(organisation: str) -> dict[str, str]:
    values = {"organisation": organisation}
    blanks = blank_values()
    return {
        "who_does_what": _lines(
            gettext("Who does what at %(organisation)s when an employee is ill for a long time") % values,
            "",
            gettext("- Reports a work accident: %(name_or_role)s, within the legal deadline.") % blanks,
            gettext("- Calls the employee in the first days: the nearest manager."),
            gettext("- Sends a greeting or flowers: %(name)s.") % blanks,
            gettext("- Keeps the regular contact (at least every third week): the nearest manager."),
            gettext("- Holds the absence conversation within four weeks: the nearest manager."),
            gettext("- Informs the colleagues, as agreed with the employee: the nearest manager."),
            gettext("- Contacts the jobcentre and handles sickness-benefit refunds: %(name_or_role)s.") % blanks,
            gettext(
                "- Takes part in planning the return: the manager, the employee, and the shop steward or "
                "safety representative if the employee wishes."
            ),
        ),
        "policy": _lines(
            gettext("Sickness-absence policy for %(organisation)s") % values,
            "",
            gettext(
                "We want to keep our employees when they fall ill, and we believe that an early, "
                "open and respectful contact helps people back."
            ),
            "",
            gettext("1. Reporting sick: call your nearest manager on the first sick day, before work starts."),
            gettext(
                "2. Contact: the manager calls within one or two days. Together you agree how often and "
                "how you keep in touch – at least every third week."
            ),
            gettext(
                "3. Privacy: we never ask what you suffer from. We talk about what you can do at work "
                "and what would help."
            ),
            gettext("4. Colleagues: we agree with you what the colleagues are told."),
            gettext(
                "5. The absence conversation is held within four weeks. If you do not expect to be back "
                "within eight weeks of the first sick day, you have the right to ask for a retention plan at "
                "any time during the absence, and we write it together with you (section 7b of the Sickness "
                "Benefit Act)."
            ),
            gettext(
                "6. Return: we prefer an early, gradual start with few tasks, with fixed follow-up "
                "dates and a plan that can be changed along the way."
            ),
            gettext(
                "7. After the return: we keep the agreed accommodations for an agreed period and keep following up."
            ),
            gettext(
                "8. Tools we know and use: partial return to work, company internship, mentor, section "
                "56 agreement, the social chapter of our collective agreement."
            ),
        ),
        "stress_policy": _lines(
            gettext("Stress policy for %(organisation)s") % values,
            "",
            gettext(
                "Prevention: managers and staff talk about workload, deadlines and resources at staff "
                "meetings and in the annual appraisal. Anyone can raise a concern with the manager or "
                "the safety representative."
            ),
            gettext(
                "Early signs: tiredness, poor sleep, forgetfulness, irritability, withdrawing from "
                "colleagues. If you notice them in yourself or a colleague, talk to the manager early."
            ),
            gettext(
                "What we do: the manager reviews tasks and priorities with the employee at once – fewer "
                "tasks, clearer priorities, fewer deadlines – and offers help from [occupational "
                "health service / psychologist scheme]."
            ),
            gettext(
                "If someone is sick-listed with stress: an initial period of rest, the manager takes the "
                "initiative for contact, and we do not press for details about the cause. The return "
                "starts with routine, predictable tasks (green), then tasks with some responsibility "
                "(yellow), and only later tasks with tight deadlines or many people to coordinate "
                "(red)."
            ),
            gettext(
                "After the return we watch together for a slide back into old habits, and the "
                "employee may say no to extra tasks for an agreed period."
            ),
        ),
    }
