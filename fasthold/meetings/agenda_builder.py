"""Checklists for building a meeting's agenda, and the actors' dilemmas as prompts. Pure data.

Sources, rewritten in our own words: the jobcentre guide's checklist for leading a joint meeting and
its preparation before contacting the employer, the return-to-work advice on planning a graded return,
and the dilemmas each actor tends to carry into the meeting.
The coordinator ticks items to put them on the agenda; after that the agenda is plain, editable text.
Strings are lazy so they follow the reader's language; keys are stable and stored with agenda items.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    # Touches on health: talk about what the employee can and cannot do, never the diagnosis.
    health: bool = False


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    intro: str
    items: tuple[Item, ...]
    # Prompts are questions to have in mind; they can be put on the agenda like the rest.
    prompts: bool = False
    # How the chair conducts the meeting: shown beside the group, never put on the agenda.
    conduct: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    Group(
        "leading",
        _("Leading the meeting"),
        _("A clear agenda gives everyone a chance to prepare and keeps the meeting on track."),
        (
            Item("lead_welcome", _("Welcome and thanks for coming; go through the agenda")),
            Item("lead_purpose", _("Why we meet today, and what we want to have agreed when we leave")),
            Item("lead_introductions", _("Round of names: who is here, and in which role")),
            Item("lead_rounds", _("Rounds where everyone gives their view of the options and proposals for the plan")),
            Item("lead_negotiate", _("Room to adjust the proposals together as we go")),
            Item("lead_summary", _("Summing up: where are we on the agenda and towards the goal?")),
            Item("lead_agreements", _("The agreements we made, read aloud – does everyone agree?")),
            Item("lead_next", _("Date and time of the next meeting")),
        ),
        conduct=(
            _("Keep order as the chair throughout, with authority and competence."),
            _("Show respect, be open to the others and ask with curiosity."),
        ),
    ),
    Group(
        "before",
        _("Prepared with the employee before the meeting"),
        _("Talk these through with the employee first. They decide what is said about them, and by whom."),
        (
            Item("before_goal", _("What is the goal of the meeting right now (for example a partial return)?")),
            Item("before_frame", _("Expectations: the immediate frame for returning to work")),
            Item("before_what_said", _("What may be said to the workplace about the absence, and who says it")),
            Item("before_colleagues", _("What the colleagues should be told, if anything")),
            Item("before_companion", _("Should anyone else come: union representative, shop steward or a companion?")),
            Item("before_own_view", _("The employee presents their own thoughts about returning")),
            Item("before_chair", _("Who chairs the meeting: the workplace or the coordinator?")),
        ),
    ),
    Group(
        "employer_view",
        _("The workplace's view of keeping the employee"),
        _("What the workplace knows about the job and the time before the absence."),
        (
            Item("employer_options", _("Concrete possibilities at the workplace – and where the difficulties are")),
            Item("employer_tried", _("What the workplace has already done or tried")),
            Item("employer_before", _("The time before the absence: workload, reorganisation, new manager?")),
        ),
    ),
    Group(
        "employee_view",
        _("The employee's view of returning"),
        _("In the employee's own words, as far as they want to share them."),
        (
            Item(
                "employee_contact",
                _("Contact with the workplace so far, and whether the employee sees themselves back there"),
            ),
            Item("employee_options", _("Possibilities the employee sees for a return")),
            Item("employee_support", _("Support the employee needs before or while returning")),
            Item("employee_limits", _("What the employee can and cannot do at work now (no diagnosis)"), health=True),
            Item("employee_accommodation", _("Accommodation needs that must be respected"), health=True),
        ),
    ),
    Group(
        "graded_return",
        _("Planning a graded return"),
        _("Points to settle when the plan for a gradual return is made."),
        (
            Item("return_start", _("A slow start: hours per day and how many days in a row")),
            Item("return_rest", _("Rest days in the week (for example a longer weekend)")),
            Item("return_tasks", _("Amount and difficulty of the tasks; which tasks first")),
            Item("return_responsibility", _("How much responsibility, and release from short deadlines or presenting")),
            Item("return_relocation", _("Other tasks or another place at the workplace, if needed")),
            Item("return_revise", _("The plan can be changed along the way – by any of us")),
            Item("return_contact", _("Who contacts whom, how often, and how (phone, e-mail, meeting)")),
            Item("return_follow_up", _("When we follow up on the plan")),
        ),
    ),
    Group(
        "dilemmas",
        _("What each party may be wondering"),
        _("Questions the parties often carry with them without saying them. Naming them can help."),
        (
            Item("dilemma_employee_normal", _("The employee: Will I be myself again? Can I do the same job?")),
            Item(
                "dilemma_employee_reactions",
                _("The employee: I am unsure what I can manage yet – what does that mean for work?"),
                health=True,
            ),
            Item("dilemma_employer_operations", _("The workplace: How do we keep the work going meanwhile?")),
            Item(
                "dilemma_employer_pace", _("The workplace: How do we avoid making things worse by starting too fast?")
            ),
            Item(
                "dilemma_employer_horizon",
                _("The workplace: How long will it take – cover, and the load on colleagues?"),
            ),
            Item("dilemma_colleagues_tasks", _("The colleagues: Do we take over tasks, and for how long?")),
            Item(
                "dilemma_colleagues_support", _("The colleagues: How do we best support – make contact or give peace?")
            ),
            Item("dilemma_jobcentre_timing", _("The jobcentre: When is the right time to start working again?")),
            Item("dilemma_doctor_statement", _("The doctor: Are the agreements in the possibility statement kept?")),
            Item("dilemma_doctor_environment", _("The doctor: What is the psychological work environment like?")),
            Item("dilemma_others", _("Others with a role: the union, a private psychologist")),
        ),
        prompts=True,
    ),
)

ITEMS: dict[str, Item] = {item.key: item for group in GROUPS for item in group.items}


def item_text(key: str) -> str:
    """The checklist item's text in the active language, or "" for an unknown key."""
    item = ITEMS.get(key)
    return str(item.text) if item else ""


def choices() -> list[tuple[str, str]]:
    return [(item.key, item.text) for group in GROUPS for item in group.items]


# Suggested for a first joint meeting: the leading checklist without the detours.
DEFAULT_KEYS = (
    "lead_welcome",
    "lead_purpose",
    "lead_introductions",
    "employee_options",
    "employer_options",
    "lead_agreements",
    "lead_next",
)
