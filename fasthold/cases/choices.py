"""Choice lists of the case domain. English values, translated labels (glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProfessionCategory(models.TextChoices):
    """The eight professions of "8 brancher og stress", plus other."""

    NURSE = "nurse", _("Nurse")
    SCHOOL_TEACHER = "school_teacher", _("School teacher")
    PEDAGOGUE = "pedagogue", _("Pedagogue")
    SSH_SSA = "ssh_ssa", _("Social and health care helper/assistant")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    MANAGER = "manager", _("Manager")
    ACADEMIC = "academic", _("Academic")
    ADMINISTRATIVE = "administrative", _("Administrative")
    OTHER = "other", _("Other")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    NOTICE_OR_DISMISSED = "notice_or_dismissed", _("Under notice or dismissed")
    UNEMPLOYED = "unemployed", _("Unemployed")


class CauseGroup(models.TextChoices):
    """The only level of cause an employer may see."""

    MENTAL = "mental", _("Mental")
    PHYSICAL = "physical", _("Physical")
    OTHER = "other", pgettext_lazy("cause", "Other")


class CauseCategory(models.TextChoices):
    MENTAL_STRESS = "mental_stress", _("Mental: stress")
    MENTAL_DEPRESSION = "mental_depression", _("Mental: depression")
    MENTAL_ANXIETY = "mental_anxiety", _("Mental: anxiety")
    MENTAL_OTHER = "mental_other", _("Mental: other")
    PHYSICAL_MUSCULOSKELETAL = "physical_musculoskeletal", _("Physical: musculoskeletal")
    PHYSICAL_INJURY = "physical_injury", _("Physical: injury")
    PHYSICAL_OTHER = "physical_other", _("Physical: other")
    OTHER = "other", pgettext_lazy("cause", "Other")

    @classmethod
    def group_of(cls, value: str) -> str:
        prefix = value.split("_", 1)[0]
        return prefix if prefix in (CauseGroup.MENTAL, CauseGroup.PHYSICAL) else CauseGroup.OTHER

    @classmethod
    def in_group(cls, group: str) -> list[str]:
        return [c.value for c in cls if cls.group_of(c.value) == group]


class WorkInjury(models.TextChoices):
    NONE = "none", _("No work injury")
    ACCIDENT = "accident", _("Work accident")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("Occupational disease")


class AbsenceExtent(models.TextChoices):
    FULL = "full", _("Full-time absence")
    PARTIAL = "partial", _("Partial absence")


class EmployerPays(models.TextChoices):
    """What the employer pays in the employer period; it sets the deadline of the report (§ 40, stk. 1-3)."""

    WAGES = "wages", _("Wages")
    BENEFIT = "benefit", _("Sickness benefit (not wages)")
    NONE = "none", _("Neither wages nor sickness benefit")


class ReferralSource(models.TextChoices):
    GP = "gp", _("GP")
    JOBCENTRE = "jobcentre", _("Jobcentre")
    EMPLOYER = "employer", _("Employer")
    UNION = "union", _("Union")
    SELF = "self", _("Self-referral")
    OTHER = "other", pgettext_lazy("referral", "Other")


class BenefitCategory(models.TextChoices):
    CATEGORY_1 = "1", _("Category 1: expected back soon")
    CATEGORY_2 = "2", _("Category 2: effort by the step model")
    CATEGORY_3 = "3", _("Category 3: complex (old cases only)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RETENTION = "retention", _("Retention period")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    FULL_RETURN = "full_return", _("Full return to own job")
    PARTIAL_RETURN = "partial_return", _("Partial return")
    OTHER_JOB_SAME_EMPLOYER = "other_job_same_employer", _("Other job, same employer")
    NEW_EMPLOYER = "new_employer", _("New employer")
    EDUCATION = "education", _("Education")
    FLEX_JOB = "flex_job", _("Flex job")
    RESOURCE_OR_CLARIFICATION = "resource_or_clarification", _("Resource or job clarification course")
    DISABILITY_PENSION = "disability_pension", _("Disability pension")
    UNEMPLOYED = "unemployed", _("Unemployed")
    OTHER = "other", pgettext_lazy("outcome", "Other")


class ParticipantRole(models.TextChoices):
    EMPLOYEE = "employee", _("Employee (sick-listed)")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR")
    SHOP_STEWARD = "shop_steward", _("Shop steward (TR)")
    SAFETY_REP = "safety_rep", _("Safety representative (AMR)")
    COLLEAGUE_CONTACT = "colleague_contact", _("Colleague contact")
    JOBCENTRE_CASEWORKER = "jobcentre_caseworker", _("Jobcentre caseworker")
    COMPANY_CONSULTANT = "company_consultant", _("Company consultant")
    GP = "gp", _("GP")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    OCCUPATIONAL_PHYSICIAN = "occupational_physician", _("Occupational physician")
    PHYSIO_OR_OT = "physio_or_ot", _("Physiotherapist or occupational therapist")
    UNION_REP = "union_rep", _("Union representative")
    MENTOR = "mentor", _("Mentor")
    COMPANION = "companion", _("Companion (bisidder)")
    OTHER = "other", pgettext_lazy("participant", "Other")


class HealthAgreement(models.TextChoices):
    """How the employee agreed that a health professional takes part in the case."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITTEN = "written", _("In writing")


HEALTH_PROFESSIONAL_ROLES = (
    ParticipantRole.GP,
    ParticipantRole.PSYCHOLOGIST,
    ParticipantRole.OCCUPATIONAL_PHYSICIAN,
    ParticipantRole.PHYSIO_OR_OT,
)
EMPLOYER_SIDE_ROLES = (ParticipantRole.MANAGER, ParticipantRole.HR)
