"""The analysis dataset of a program: one row per allocated person, as the statistics need it.

Time starts at allocation (the visitation's start date, else the day of allocation). The event is a
sustained return to work: from the register when weeks were imported for the case (the first of four
weeks in a row without benefit), else from the coordinator's record (a return to work that no new
absence followed within four weeks). Everyone else is censored at the last day something is known.

One query for the visitations with their cases and return records, one for the follow-ups: the dataset
of a program with a million people is read in seconds.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from fasthold.cases import cpr
from fasthold.cases.choices import CauseCategory, Outcome
from fasthold.evaluation.models import FollowUp, FollowUpStatus
from fasthold.screening.models import Visitation

# Closure outcomes that are a return to work (own job, another job at the employer, a new employer).
WORK_OUTCOMES = (Outcome.FULL_RETURN, Outcome.OTHER_JOB_SAME_EMPLOYER, Outcome.NEW_EMPLOYER)
# A return followed by a new absence within this many days did not last.
SUSTAINED_DAYS = 28
RECURRENCE_DAYS = 365


@dataclass
class Row:
    case_id: int
    arm: str
    arm_order: int
    site: str
    site_id: int
    dropout: bool
    duration: int  # days from allocation to the event or to censoring
    event: int  # 1: sustained return observed
    recurrence: int  # 1: a new sickness absence within a year of the return
    recurrence_duration: int | None  # days from the return to the new absence, or to censoring
    age: float | None
    sex: int | None  # 1 male, 0 female
    cause_group: str
    profession: str
    weeks_absent: float  # at allocation
    origin: dt.date


def _first_absences(case_ids) -> dict[int, list[dt.date]]:
    absences: dict[int, list[dt.date]] = {}
    rows = FollowUp.objects.filter(case_id__in=case_ids, status=FollowUpStatus.NEW_ABSENCE).values_list(
        "case_id", "absence_from", "recorded_at"
    )
    for case_id, start, recorded_at in rows:
        absences.setdefault(case_id, []).append(start or recorded_at.date())
    return absences


def _last_known(case_ids) -> dict[int, dt.date]:
    known: dict[int, dt.date] = {}
    for case_id, recorded_at in FollowUp.objects.filter(case_id__in=case_ids).values_list("case_id", "recorded_at"):
        day = timezone.localdate(recorded_at)
        known[case_id] = max(known.get(case_id, day), day)
    return known


def program_rows(program, *, per_protocol: bool = False, today: dt.date | None = None) -> list[Row]:
    """Everyone allocated to an arm of the program (intention to treat); with per_protocol, those who
    dropped out are left out."""
    today = today or timezone.localdate()
    visitations = Visitation.objects.filter(program=program, arm__isnull=False)
    if per_protocol:
        visitations = visitations.filter(dropout_on__isnull=True)
    values = list(
        visitations.values_list(
            "case_id",
            "arm__name",
            "arm__order",
            "case__organisation__name",
            "case__organisation_id",
            "dropout_on",
            "start_date",
            "allocated_at",
            "case__first_sick_day",
            "case__closed_on",
            "case__outcome",
            "case__cause_category",
            "case__person__cpr",
            "case__employment__profession_category",
            F("case__return_record__full_return_on"),
            F("case__return_record__register_return_on"),
            F("case__return_record__register_recurrence_on"),
            F("case__return_record__register_until"),
        ).order_by("case_id")
    )
    case_ids = [v[0] for v in values]
    absences, known = _first_absences(case_ids), _last_known(case_ids)
    rows = []
    for (
        case_id,
        arm,
        arm_order,
        site,
        site_id,
        dropout_on,
        start_date,
        allocated_at,
        first_sick_day,
        closed_on,
        outcome,
        cause,
        cpr_number,
        profession,
        full_return_on,
        register_return_on,
        register_recurrence_on,
        register_until,
    ) in values:
        origin = start_date or (timezone.localdate(allocated_at) if allocated_at else first_sick_day)
        if register_until is not None:
            returned, until = register_return_on, register_until
            relapse = register_recurrence_on
            lasted = returned is not None
        else:
            returned = full_return_on or (closed_on if outcome in WORK_OUTCOMES else None)
            relapses = sorted(d for d in absences.get(case_id, ()) if returned and d > returned)
            lasted = returned is not None and not (relapses and (relapses[0] - returned).days <= SUSTAINED_DAYS)
            relapse = next((d for d in relapses if (d - returned).days <= RECURRENCE_DAYS), None) if lasted else None
            until = max(filter(None, (closed_on, known.get(case_id)))) if (closed_on or case_id in known) else today
        event = int(lasted and returned >= origin)
        end = returned if event else max(until, origin)
        if event:
            follow_end = min(returned + dt.timedelta(days=RECURRENCE_DAYS), max(until, known.get(case_id, until)))
            recurrence_duration = (relapse - returned).days if relapse else max(0, (follow_end - returned).days)
        else:
            recurrence_duration = None
        born = cpr.birth_date(cpr_number) if cpr_number else None
        sex = cpr.sex(cpr_number) if cpr_number else None
        rows.append(
            Row(
                case_id=case_id,
                arm=arm,
                arm_order=arm_order,
                site=site,
                site_id=site_id,
                dropout=dropout_on is not None,
                duration=(end - origin).days,
                event=event,
                recurrence=int(bool(event and relapse)),
                recurrence_duration=recurrence_duration,
                age=round((origin - born).days / 365.25, 1) if born else None,
                sex=None if sex is None else int(sex == "male"),
                cause_group=CauseCategory.group_of(cause),
                profession=profession or "",
                weeks_absent=round((origin - first_sick_day).days / 7, 1),
                origin=origin,
            )
        )
    return rows


def program_frame(program, *, per_protocol: bool = False):
    """The rows as a pandas DataFrame (columns as in Row, without the origin date)."""
    # pandas takes a third of a second to import: only processes that compute statistics pay for it.
    import pandas as pd

    rows = program_rows(program, per_protocol=per_protocol)
    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(Row.__dataclass_fields__))
    return frame.drop(columns=["origin"])


# --- the pseudonymised analysis dataset -----------------------------------------------------------------

# Groups (arm × site) with fewer people than this are left out of anything exported.
MIN_GROUP = 5

CODEBOOK = (
    ("id", "A pseudonym for the person in this file (a keyed hash; the same person has the same id in every export)."),
    ("arm", "The arm the person was allocated to."),
    ("site", "The organisation that had the case."),
    ("dropout", "1 if the person dropped out after allocation (included: intention to treat)."),
    ("age", "Age in whole years at allocation, from the CPR number; empty if unknown."),
    ("sex", "1 male, 0 female, from the CPR number; empty if unknown."),
    ("cause_group", "mental, physical or other."),
    ("profession", "The profession category of the employment; empty if not recorded."),
    ("weeks_absent", "Weeks from the first sick day to allocation."),
    ("duration_days", "Days from allocation to a sustained return to work, or to the last day known (censored)."),
    ("event", "1 if a sustained return to work was observed, 0 if censored."),
    ("recurrence", "1 if a new sickness absence began within a year of the return."),
    ("recurrence_days", "Days from the return to the new absence, or to the end of follow-up; empty without a return."),
)


def pseudonym(case_id: int, salt: str) -> str:
    return salted_hmac("fasthold.evaluation.pseudonym", str(case_id), secret=salt, algorithm="sha256").hexdigest()[:16]


def export_rows(rows: list[Row], salt: str) -> tuple[list[list], int]:
    """The rows of the pseudonymised file (no names, CPR numbers or calendar dates), and how many people
    were left out because their arm × site group has fewer than MIN_GROUP people."""
    sizes: dict[tuple[str, str], int] = {}
    for r in rows:
        sizes[(r.arm, r.site)] = sizes.get((r.arm, r.site), 0) + 1
    out, left_out = [], 0
    for r in rows:
        if sizes[(r.arm, r.site)] < MIN_GROUP:
            left_out += 1
            continue
        out.append(
            [
                pseudonym(r.case_id, salt),
                r.arm,
                r.site,
                int(r.dropout),
                "" if r.age is None else int(r.age),
                "" if r.sex is None else r.sex,
                r.cause_group,
                r.profession,
                r.weeks_absent,
                r.duration,
                r.event,
                r.recurrence,
                "" if r.recurrence_duration is None else r.recurrence_duration,
            ]
        )
    return out, left_out
