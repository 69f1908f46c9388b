"""The five phases of a sickness absence, as guidance for the workplace.

Content as data: every user-facing string is a lazy translation (English msgids, Danish via the
catalogue), rendered by templates/guidance/*. Apart from gettext_lazy this module is pure: the
phase of a case is derived from plain values by :func:`derive_stage`, so it is tested without a
database.

The wording is Fasthold's own, built on the findings of the Marselisborg report for the Danish
Working Environment Authority (2020) on how small companies keep employees after a work injury,
and on the municipal guide to employer-directed effort.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

# --- The phases --------------------------------------------------------------------------


class PhaseSlug(StrEnum):
    BEFORE = "before"
    WHEN_IT_HAPPENS = "when-it-happens"
    SICK_LEAVE = "sick-leave"
    RETURN = "return"
    RETENTION = "retention"


@dataclass(frozen=True)
class Phase:
    slug: PhaseSlug
    number: int
    title: str
    summary: str
    to_do: tuple[str, ...]
    # "Who does what": each pair is (the task, who usually does it).
    who_does_what: tuple[tuple[str, str], ...]
    recommendations: tuple[str, ...]
    legal_tools: tuple[str, ...]
    # Numbers of the seven main recommendations that matter most in this phase.
    main_recommendations: tuple[int, ...] = ()
    extras: tuple[str, ...] = field(default=())  # names of extra sections the template renders


SEVEN_RECOMMENDATIONS: tuple[tuple[str, str], ...] = (
    (
        _("Take responsibility for early contact"),
        _(
            "As the manager you make the first call, within a day or two. Set aside quiet time, say that you "
            "are there to support, and explain briefly what you have already handled. People who are ill, "
            "and especially those with a mental-health absence, often find it hard to take the initiative."
        ),
    ),
    (
        _("Keep the colleagues informed, early and along the way"),
        _(
            "Agree with the employee what the colleagues are told, and by whom. Colleagues who understand "
            "what is happening and how their own work is affected can support rather than resent."
        ),
    ),
    (
        _("Show that you believe the employee will come back"),
        _(
            "Say it in so many words: we want you back, and we believe you will get better. It is usually "
            "harder for the employee to stay hopeful than for the workplace."
        ),
    ),
    (
        _("Commitment goes both ways"),
        _(
            "The return is a joint project: finding the right timing, method and tasks together. The employee "
            "shows that they want to come back; the workplace shows flexibility and keeps the social tie."
        ),
    ),
    (
        _("Talk often – and not only about the illness"),
        _(
            "Keep a steady line to the workplace, for example every third week. Each time, agree when you "
            "talk next, who contacts whom, and whether by phone, e-mail or a meeting."
        ),
    ),
    (
        _("Keep adjusting expectations"),
        _(
            "Talk openly about hours, the amount and difficulty of tasks, and responsibility. Either of you "
            "may propose changes to the plan at any time."
        ),
    ),
    (
        _("Better an early start with few tasks than a late start with many"),
        _(
            "Start the conversation about returning early. A start on few hours with a few simple tasks, "
            "stepped up over a short period, re-establishes the tie to the workplace and makes the return "
            "more realistic."
        ),
    ),
)

COLLEAGUE_QUESTIONS: tuple[str, ...] = (
    _("What has happened? (Only what the employee has agreed may be said.)"),
    _("What is being done to help the employee?"),
    _("What does it mean for the colleagues' own tasks, and who takes over what?"),
    _("How should colleagues relate to the employee: get in touch, or give them peace for now?"),
    _("What is the time perspective, and the provisional plan for the return?"),
)

CONTACT_AGREEMENT: tuple[str, ...] = (
    _("When do we talk next? Put a date in the calendar before you hang up."),
    _("Who contacts whom? In the first weeks the manager takes the initiative."),
    _("How: by phone, by e-mail, or at a meeting – perhaps a round-table meeting with the jobcentre."),
    _("How often: steady and predictable, for example every third week; more often in the first days."),
    _(
        "What the employee would like to receive: staff newsletters, invitations to lunch or staff "
        "meetings – only if it does not add strain."
    ),
    _(
        "That the employee may report back on how things are going after an examination or treatment, "
        "if they wish – the employer may not ask for a diagnosis, only about consequences for the work."
    ),
)

RETURN_PLAN_TOPICS: tuple[str, ...] = (
    _("A slow start in hours and in the number of consecutive working days."),
    _("Time to recover: for example a rest day mid-week, or days placed so the weekend gets longer."),
    _("How many hours of direct contact with customers, residents, pupils, parents or users."),
    _("The amount of tasks and how complex they are (green, yellow and red tasks)."),
    _("Whether other tasks or another position are possible for a while."),
    _("How much responsibility the employee carries, and when it is handed back."),
    _("Exemption from tasks with short deadlines."),
    _("Exemption from tasks that involve presenting or performing in front of others."),
    _("Dates for follow-up meetings, and that the plan may be revised at any time – it is not carved in stone."),
    _("What the colleagues are told about the plan, as agreed with the employee."),
)

MENTAL_HEALTH_CARE: tuple[str, ...] = (
    _(
        "Allow an initial period of rest. Some managers agree on at least two weeks at home first – but "
        "not much more before you talk about the way back."
    ),
    _(
        "The manager takes the initiative. A person with a mental-health absence often feels paralysed and "
        "finds it hard to reach out; show the way and propose when and how to keep in touch."
    ),
    _(
        "Do not re-traumatise. Avoid pressing for details or reminding the employee of what caused the "
        "injury – for example threats, violence or a conflict at work. Talk about the future and the work, "
        "not the event."
    ),
    _(
        "Set aside undisturbed time for conversations, listen, and ask with curiosity. Write down the main "
        "points so you can refer back to them next time."
    ),
    _("Be careful with newsletters and invitations: for some they keep the tie, for others they add strain. Ask."),
    _(
        "Expect a longer retention period – up to one or two years – and watch for a slide back into old "
        "habits, such as taking on extra tasks too soon."
    ),
)

# The jobcentre's follow-up as the Sickness Benefit Act has it now (section 13b(1), LBK 1179/2023). The
# older rule of a follow-up every four weeks no longer applies.
JOBCENTRE_FOLLOW_UP = _(
    "The jobcentre's follow-up: at least four follow-up conversations in the first six months, counted from "
    "the first sick day. After six months the jobcentre and the employee agree how often, and the employee "
    "may ask for a conversation. From the second follow-up the employee may choose to meet in person, by "
    "phone or by video (section 13b(1) of the Sickness Benefit Act)."
)

PHASES: tuple[Phase, ...] = (
    Phase(
        slug=PhaseSlug.BEFORE,
        number=1,
        title=_("Before anything happens"),
        summary=_(
            "A small workplace rarely has procedures for a long absence. Agree now who does what, and "
            "learn the legal tools, so you can act calmly on the day it happens."
        ),
        to_do=(
            _(
                "Discuss as a management team how you want to handle a long sickness absence or a work injury, "
                "and what your values are."
            ),
            _(
                "Invite the safety representative and the shop steward to agree who does what, and how the "
                "staff will be informed."
            ),
            _("Tell the staff about the agreement, for example at a staff meeting, and hear their view."),
            _(
                "Write a short sickness-absence policy with a section on stress, and keep it where everyone "
                "can find it."
            ),
        ),
        who_does_what=(
            (_("Report a work accident"), _("The manager or HR, within the legal deadline")),
            (_("Call the employee in the first days"), _("The nearest manager")),
            (_("Send flowers or a greeting"), _("A named colleague or the manager")),
            (_("Keep the regular contact during the absence"), _("The nearest manager")),
            (_("Inform the colleagues"), _("The manager, as agreed with the employee")),
            (_("Contact the jobcentre"), _("The manager or HR")),
        ),
        recommendations=(
            _("Agree who does what before you need it."),
            _("Get to know the legal requirements and tools in advance."),
            _("Decide how the staff will be informed when someone is ill for a long time."),
        ),
        legal_tools=(
            _("The absence conversation: the employer must hold it no later than four weeks after the first sick day."),
            _("Partial return to work, agreed with the jobcentre."),
            _("The retention plan (section 7b of the Sickness Benefit Act)."),
            _("Section 56 agreement for employees with a chronic or long-term illness."),
            _("Social chapters in the collective agreement."),
        ),
        main_recommendations=(1, 2),
        extras=("policy",),
    ),
    Phase(
        slug=PhaseSlug.WHEN_IT_HAPPENS,
        number=2,
        title=_("When it happens"),
        summary=_(
            "The first days set the tone. Early, warm contact and a clear agreement on how you keep in "
            "touch make the employee feel safe and wanted."
        ),
        to_do=(
            _(
                "Call the employee yourself the same day or within one or two days. Ask how they are; do not "
                "ask what they suffer from."
            ),
            _("Make a concrete agreement on contact: when, how often, who calls whom."),
            _("Agree on the first period of absence, and when you will talk about the way back."),
            _(
                "For a work accident: report it quickly, and tell the employee that the formalities are taken "
                "care of so they need not think about them."
            ),
            _("With the employee's consent, inform the colleagues."),
        ),
        who_does_what=(
            (_("The first call"), _("The nearest manager")),
            (_("The injury report"), _("The manager or HR")),
            (_("Informing the colleagues"), _("The manager, as agreed with the employee")),
            (_("Covering the tasks"), _("The manager decides; a temp if needed")),
        ),
        recommendations=(
            _("Take the initiative and agree concretely on contact."),
            _("Agree on the first period of the absence."),
            _("Say that you believe the employee will come back."),
            _("Handle the formalities, and give a short account of what has been done."),
            _("Involve and inform the colleagues."),
        ),
        legal_tools=(
            _("The employer may ask about the consequences for the work, not about the diagnosis."),
            _("A work accident must be reported; an occupational disease is reported by the doctor."),
            _(
                "The employer may request fast-track handling at the jobcentre when the absence is expected to "
                "last more than eight weeks."
            ),
        ),
        main_recommendations=(1, 2, 3),
        extras=("colleagues", "contact", "mental"),
    ),
    Phase(
        slug=PhaseSlug.SICK_LEAVE,
        number=3,
        title=_("The sick-leave period"),
        summary=_(
            "Keep a steady line to the workplace, build trust both ways, and start an informal "
            "conversation about returning early."
        ),
        to_do=(
            _("Keep in touch regularly – at least every third week – and agree each time on the next contact."),
            _("Hold the absence conversation no later than four weeks after the first sick day."),
            _(
                "Start an informal talk about how the employee sees themself back at work, for example on few "
                "hours with a few tasks."
            ),
            _("Prepare for each conversation: what support can the workplace offer?"),
            _("Keep the social tie – lunch, staff meetings, newsletters – if it does not add strain."),
            _("If you hire a temp, tell the employee: it helps to know the colleagues are not overloaded."),
            _("Keep the colleagues informed, as agreed with the employee."),
        ),
        who_does_what=(
            (_("Regular contact"), _("The nearest manager, or a named colleague")),
            (_("The absence conversation"), _("The manager")),
            (
                _("Follow-up conversations"),
                _("The jobcentre: at least four in the first six months, then as agreed with the employee"),
            ),
            (_("Telling the workplace how things are going"), _("The employee, as far as they wish")),
        ),
        recommendations=(
            _("Be open with each other and build the cooperation on trust."),
            _("Start an informal dialogue about the return early."),
            _("Commitment goes both ways."),
            _("Be prepared, be interested, and give the employee room to talk."),
            _("Keep the close contact."),
            _("Keep informing the colleagues."),
        ),
        legal_tools=(
            _("The absence conversation within four weeks."),
            JOBCENTRE_FOLLOW_UP,
            _("The retention plan: the employee may ask for one if they do not expect to be back within eight weeks."),
            _("Company internship (virksomhedspraktik) as a first step back."),
            _("Mentor support, aids and personal assistance through the jobcentre."),
            _("Section 56 agreement: refund from the first day for a chronic illness."),
        ),
        main_recommendations=(4, 5),
        extras=("contact", "mental"),
    ),
    Phase(
        slug=PhaseSlug.RETURN,
        number=4,
        title=_("The return to work"),
        summary=_(
            "A graded return plan, partial return and temporary accommodations are the main tools. Fix "
            "the follow-up dates and keep the plan flexible."
        ),
        to_do=(
            _("Call a meeting about the return plan with the employee and the relevant people."),
            _("Agree on hours, tasks and responsibility, and how they are stepped up."),
            _("Agree that either of you may propose changes at any time."),
            _("Set dates for follow-up meetings, and write down what you agree."),
            _("Tell the colleagues about the plan, as agreed with the employee."),
        ),
        who_does_what=(
            (_("The return plan"), _("The manager and the employee, with the coordinator")),
            (_("Partial return to work"), _("Agreed with the jobcentre")),
            (_("Follow-up meetings"), _("The manager, on fixed dates")),
            (_("Adjusting the colleagues' tasks"), _("The manager")),
        ),
        recommendations=(
            _("Make a plan for the graded return: agree on time, tasks and responsibility."),
            _("Agree that the plan can be revised along the way."),
            _("Set date and time for follow-up meetings."),
            _("Inform the colleagues about the plan, as agreed with the employee."),
        ),
        legal_tools=(
            _("Partial return to work (delvis raskmelding)."),
            _("Temporary accommodations (midlertidige skånehensyn)."),
            _("The retention plan (section 7b)."),
            _("Company internship and mentor."),
        ),
        main_recommendations=(6, 7),
        extras=("return_plan", "mental"),
    ),
    Phase(
        slug=PhaseSlug.RETENTION,
        number=5,
        title=_("The retention period"),
        summary=_(
            "Back full time is not the end. For one or two months – and up to a year or two after a "
            "mental-health absence – keep following up and keep the agreed accommodations."
        ),
        to_do=(
            _("Keep the agreed accommodations for an agreed period."),
            _("Keep asking how it is going; treat this as a maintenance phase."),
            _("Watch for a slide back into old patterns, such as saying yes to every extra task."),
            _("Agree whether the employee coordinates tasks with the team, or the manager takes part."),
            _("Keep the colleagues informed if accommodations continue."),
        ),
        who_does_what=(
            (_("Following up"), _("The manager, informally and at one or two meetings")),
            (_("Saying no to extra tasks"), _("The employee, backed by the manager")),
            (_("Sharing out tasks in the team"), _("As agreed between the manager and the employee")),
        ),
        recommendations=(
            _("Keep showing consideration for an agreed period."),
            _("Keep following up on how things are going."),
            _("Keep up the spirit and the commitment to reach the former level."),
        ),
        legal_tools=(
            _("Retention flex job, if the working capacity remains permanently reduced."),
            _("Section 56 agreement for a chronic illness."),
            _("Aids and personal assistance."),
        ),
        main_recommendations=(5, 6),
        extras=("mental",),
    ),
)

PHASES_BY_SLUG: dict[str, Phase] = {phase.slug.value: phase for phase in PHASES}


def phase(slug: str) -> Phase | None:
    return PHASES_BY_SLUG.get(slug)


# --- The current phase of a case ---------------------------------------------------------


class CaseStage(StrEnum):
    """Where a case stands, as the workplace sees it."""

    FIRST_DAYS = "first_days"
    SICK_LEAVE = "sick_leave"
    RETURN_UNDER_WAY = "return_under_way"
    RETENTION = "retention"
    CLOSED = "closed"


STAGE_LABELS: dict[CaseStage, str] = {
    CaseStage.FIRST_DAYS: _("The first days"),
    CaseStage.SICK_LEAVE: _("Sick leave"),
    CaseStage.RETURN_UNDER_WAY: _("Return under way"),
    CaseStage.RETENTION: _("Back full time: the retention period"),
    CaseStage.CLOSED: _("Closed"),
}

STAGE_PHASES: dict[CaseStage, PhaseSlug | None] = {
    CaseStage.FIRST_DAYS: PhaseSlug.WHEN_IT_HAPPENS,
    CaseStage.SICK_LEAVE: PhaseSlug.SICK_LEAVE,
    CaseStage.RETURN_UNDER_WAY: PhaseSlug.RETURN,
    CaseStage.RETENTION: PhaseSlug.RETENTION,
    CaseStage.CLOSED: None,
}

FIRST_DAYS = 7


def derive_stage(*, first_sick_day: dt.date, today: dt.date, status: str, absence_extent: str) -> CaseStage:
    """The stage of a case from its status ("open"/"retention"/"closed"), extent ("full"/"partial") and dates.

    Status wins over extent: a case in its retention period is back full time even if the extent was
    never changed from partial, and a closed case is closed.
    """
    if status == "closed":
        return CaseStage.CLOSED
    if status == "retention":
        return CaseStage.RETENTION
    if absence_extent == "partial":
        return CaseStage.RETURN_UNDER_WAY
    if (today - first_sick_day).days < FIRST_DAYS:
        return CaseStage.FIRST_DAYS
    return CaseStage.SICK_LEAVE
