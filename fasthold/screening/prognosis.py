"""The prognostic checklist: factors, the five decisive components and the clinical questions.

Pure Python (no Django). Deliberately no total score: the research gives no validated weights,
so the profile shows each answer and what is missing, and leaves the judgement to the people.
Texts are English msgids marked with gettext_noop; templates translate them when shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def gettext_noop(text: str) -> str:
    return text


YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWERS = (YES, NO, UNKNOWN)


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    # For the five components: what to write when the component is not (yet) in place.
    missing: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    # "factor": yes = a factor that weighs against return is present.
    # "actor": one of the two actors' retention factors; yes = it helps the person stay in the job,
    #   no = it stands in the way (ACTOR_ANSWERS names the answers so).
    # "component": yes = the component is in place; no/unknown = missing.
    # "clinical": a question for the occupational physician; the note holds the reasoning.
    kind: str


# How an "actor" section names the three answers.
ACTOR_ANSWERS = {
    YES: gettext_noop("Helps"),
    NO: gettext_noop("Stands in the way"),
    UNKNOWN: gettext_noop("Don't know"),
}


SECTIONS: tuple[Section, ...] = (
    Section(
        "poor_prognosis",
        gettext_noop("Factors that weaken the prognosis for staying in the job"),
        gettext_noop("Conditions at the workplace that make a return harder. Yes means the factor is present."),
        (
            Question("poor_psychosocial_environment", gettext_noop("Poor psychosocial work environment or bullying")),
            Question("job_dissatisfaction", gettext_noop("Dissatisfied with the job")),
            Question(
                "negative_workplace_attitude", gettext_noop("The workplace shows a negative attitude to the employee")
            ),
        ),
        "factor",
    ),
    Section(
        "complicating",
        gettext_noop("Complicating factors for work ability"),
        gettext_noop("Circumstances that often make the course longer. Yes means the factor is present."),
        (
            Question("lost_job", gettext_noop("Has lost the job")),
            Question("high_age", gettext_noop("High age")),
            Question("comorbidity", gettext_noop("Several illnesses at once, especially a physical and a mental one")),
            Question("little_schooling", gettext_noop("Little schooling or unskilled")),
            Question("repeated_sick_periods", gettext_noop("Several and longer periods of sickness absence")),
            Question("little_network", gettext_noop("Small network and little social capital")),
            Question("low_self_esteem", gettext_noop("Low self-esteem")),
            Question("substance_abuse", gettext_noop("Abuse of alcohol, medicine or drugs")),
            Question("high_unemployment", gettext_noop("High unemployment in the relevant labour market")),
        ),
        "factor",
    ),
    # Retention depends on two actors, the person and the workplace: the occupational medicine slides on
    # retention (Borritz, 2016) list these factors for each. They carry no weights either.
    Section(
        "actor_individual",
        gettext_noop("Retention, the person: what they bring"),
        gettext_noop(
            "Staying in the job depends on two actors, the person and the workplace. For each factor: does it "
            "help the person stay in the job, or stand in the way? Write what you know in the note."
        ),
        (
            Question("individual_health", gettext_noop("Health")),
            Question("individual_education", gettext_noop("Schooling and level of education")),
            Question("individual_coping", gettext_noop("Personal resources and ways of coping")),
            Question("individual_experience", gettext_noop("Earlier experiences")),
            Question("individual_personality", gettext_noop("Personality")),
            Question("individual_network", gettext_noop("Network")),
        ),
        "actor",
    ),
    Section(
        "actor_workplace",
        gettext_noop("Retention, the workplace: what it brings"),
        gettext_noop("The workplace's side of the same question. For each factor: does it help, or stand in the way?"),
        (
            Question("workplace_size", gettext_noop("The workplace's size and the possibilities it has")),
            Question("workplace_compensation", gettext_noop("Possibility of financial compensation")),
            Question("workplace_job", gettext_noop("The job and its functions")),
            Question("workplace_tenure", gettext_noop("How long the person has been employed")),
            Question("workplace_earlier_absence", gettext_noop("Earlier sickness absence")),
            Question("workplace_management", gettext_noop("Management's attitude")),
        ),
        "actor",
    ),
    Section(
        "components",
        gettext_noop("The five components that make a difference"),
        gettext_noop(
            "Reviews of return-to-work efforts find these five decisive; few efforts have all of them. "
            "Yes means it is in place for this case."
        ),
        (
            Question(
                "work_modification",
                gettext_noop("The work can be modified (tasks, hours, setting)"),
                gettext_noop("No possibility of modifying the work has been found yet."),
            ),
            Question(
                "treater_workplace_contact",
                gettext_noop("The treating professional is in contact with the workplace"),
                gettext_noop("No contact between the treating professional and the workplace yet."),
            ),
            Question(
                "early_employee_workplace_contact",
                gettext_noop("Early contact between the employee and the workplace"),
                gettext_noop("No early contact between the employee and the workplace yet."),
            ),
            Question(
                "ergonomic_assessment",
                gettext_noop("An ergonomic assessment of the workplace has been made"),
                gettext_noop("No ergonomic assessment of the workplace yet."),
            ),
            Question(
                "rtw_coordinator",
                gettext_noop("One person coordinates the return to work"),
                gettext_noop("Nobody has been named to coordinate the return to work yet."),
            ),
        ),
        "component",
    ),
    Section(
        "clinical",
        gettext_noop("Questions for the occupational physician"),
        gettext_noop("The physician's considerations about retention. Write the reasoning in the note."),
        (
            Question("can_return_now", gettext_noop("Can the person carry on or return to work right away?")),
            Question(
                "physical_training",
                gettext_noop("Would physical training improve the chances of managing the same or another job?"),
            ),
            Question(
                "stress_treatment",
                gettext_noop("Would stress treatment improve the chances of managing the same or another job?"),
            ),
            Question(
                "workplace_changes",
                gettext_noop("Could physical or organisational changes at work speed up the return?"),
            ),
            Question(
                "education",
                gettext_noop("Could education or upskilling improve the chances of work here or elsewhere?"),
            ),
        ),
        "clinical",
    ),
)

QUESTION_KEYS: tuple[str, ...] = tuple(q.key for s in SECTIONS for q in s.questions)


@dataclass(frozen=True)
class Row:
    key: str
    text: str
    answer: str  # yes / no / unknown / "" (not asked yet)
    note: str
    missing: str  # for components not in place: the sentence saying what is missing


@dataclass(frozen=True)
class SectionProfile:
    section: Section
    rows: tuple[Row, ...]
    present: tuple[str, ...]  # factors answered yes / components in place / actors' factors that help
    against: tuple[str, ...]  # actors' factors that stand in the way (answered no)
    unanswered: tuple[str, ...]
    missing: tuple[str, ...]  # components: what is not in place (texts)


def normalise(answers: Mapping[str, object] | None) -> dict[str, dict[str, str]]:
    """Keep only known keys with a valid answer and a text note."""
    out: dict[str, dict[str, str]] = {}
    for key, entry in (answers or {}).items():
        if key not in QUESTION_KEYS or not isinstance(entry, Mapping):
            continue
        answer = entry.get("answer", "")
        note = entry.get("note", "")
        out[key] = {
            "answer": answer if answer in ANSWERS else "",
            "note": note if isinstance(note, str) else "",
        }
    return out


def profile(answers: Mapping[str, object] | None) -> list[SectionProfile]:
    """Each section with its answers, the factors present and, for the components, what is missing."""
    data = normalise(answers)
    result = []
    for section in SECTIONS:
        rows = []
        for q in section.questions:
            entry = data.get(q.key, {"answer": "", "note": ""})
            missing = q.missing if section.kind == "component" and entry["answer"] != YES else ""
            rows.append(Row(q.key, q.text, entry["answer"], entry["note"], missing))
        result.append(
            SectionProfile(
                section=section,
                rows=tuple(rows),
                present=tuple(r.key for r in rows if r.answer == YES),
                against=tuple(r.key for r in rows if r.answer == NO),
                unanswered=tuple(r.key for r in rows if r.answer == ""),
                missing=tuple(r.missing for r in rows if r.missing),
            )
        )
    return result
