"""The analysis dataset of a program: one row per allocated person, as the statistics need it.

Time starts at allocation (the visitation's start date, else the day of allocation). The event is a
sustained return to work: from the register when weeks were imported for the case (the first of four
weeks in a row without benefit), else from the coordinator's record (a return to work that no new
absence followed within four weeks). Everyone else is censored at the last day something is known.

One query reads everything and pandas computes column by column: the
dataset of a program with a million people is read in a few seconds. pandas and NumPy are imported inside
the functions that use them: they take a third of a second to import, which every web process and command
would otherwise pay at start.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from fasthold.cases.choices import CauseCategory, Outcome
from fasthold.organisations.models import Organisation
from fasthold.screening.models import Arm, Visitation

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


# The columns read from the database, in order (one query; the follow-ups are summed up on the return
# record when they are recorded, services.follow_ups_summarise).
_COLUMNS = (
    "case_id",
    "arm_id",
    "site_id",
    "dropout_on",
    "start_date",
    "allocated_at",
    "first_sick_day",
    "closed_on",
    "outcome",
    "cause",
    "cpr",
    "profession",
    "full_return_on",
    "register_return_on",
    "register_recurrence_on",
    "register_until",
    "first_absence",
    "last_follow_up",
)


def _queryset(program, per_protocol: bool):
    visitations = Visitation.objects.filter(program=program, arm__isnull=False)
    if per_protocol:
        visitations = visitations.filter(dropout_on__isnull=True)
    return visitations.values_list(
        "case_id",
        "arm_id",
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
        "case__return_record__full_return_on",
        "case__return_record__register_return_on",
        "case__return_record__register_recurrence_on",
        "case__return_record__register_until",
        "case__return_record__first_absence_on",
        "case__return_record__last_follow_up_on",
    ).order_by("case_id")


def _read(program, per_protocol: bool):
    """The raw columns, read with the database cursor: Django's per-value converters would cost more
    than the query on a million rows, and the dates are parsed column by column below instead."""
    import pandas as pd  # see the module docstring

    sql, params = _queryset(program, per_protocol).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    return pd.DataFrame.from_records(records, columns=_COLUMNS)


def _days(column):
    """A column of dates (ISO strings from SQLite, dates from PostgreSQL, or None) as datetime64 days."""
    import pandas as pd  # see the module docstring

    sample = column.dropna()
    if len(sample) and isinstance(sample.iloc[0], str):
        return pd.to_datetime(column, format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
    return pd.to_datetime(column, errors="coerce").astype("datetime64[s]")


def _local_days(column):
    """A column of timestamps (UTC) as local calendar days."""
    import pandas as pd  # see the module docstring

    stamps = pd.to_datetime(column, errors="coerce", utc=True, format="ISO8601")
    return stamps.dt.tz_convert(settings.TIME_ZONE).dt.tz_localize(None).dt.normalize().astype("datetime64[s]")


def _birth_dates(cpr_numbers):
    """Birth dates from CPR numbers by the century rules of fasthold/cases/cpr.py, and the last digit
    (odd: male); NaT and <NA> where the value is no CPR number. Digits are read as a byte matrix."""
    import numpy as np  # see the module docstring
    import pandas as pd

    text = cpr_numbers.fillna("").to_numpy(dtype=str)
    text = np.char.replace(text, "-", "")
    raw = np.asarray(text, dtype="S10")
    length = np.char.str_len(text)
    digits = raw.view(np.uint8).reshape(len(raw), 10).astype(int) - ord("0")
    valid = (length == 10) & ((digits >= 0) & (digits <= 9)).all(axis=1)
    day, month, yy = (digits[:, i] * 10 + digits[:, i + 1] for i in (0, 2, 4))
    seventh = digits[:, 6]
    century = np.select(
        [seventh <= 3, np.isin(seventh, (4, 9))],
        [1900, np.where(yy <= 36, 2000, 1900)],
        np.where(yy <= 57, 2000, 1800),
    )
    parts = pd.DataFrame(
        {
            "year": np.where(valid, century + yy, 2000),
            "month": np.where(valid, month, 1),
            "day": np.where(valid, day, 1),
        }
    )
    born = pd.to_datetime(parts, errors="coerce").where(valid)
    return born, pd.Series(np.where(valid, digits[:, 9], -1)).where(valid).astype("Int64")


CAUSE_GROUPS = {value: CauseCategory.group_of(value) for value in CauseCategory.values}


def program_frame(program, *, per_protocol: bool = False, today: dt.date | None = None):
    """Everyone allocated to an arm of the program (intention to treat; with per_protocol those who
    dropped out are left out) as a pandas DataFrame with the columns of Row (without origin), computed
    column by column.

    Of a coordinator's record, the earliest new absence recorded at a follow-up is compared with the
    return: within 4 weeks the return did not last, within a year it is a recurrence."""
    import pandas as pd  # see the module docstring

    raw = _read(program, per_protocol)
    if raw.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in Row.__dataclass_fields__})
    # Names are looked up once per arm and site rather than read on every row.
    arms = {
        pk: (name, order) for pk, name, order in Arm.objects.filter(program=program).values_list("pk", "name", "order")
    }
    sites = dict(Organisation.objects.filter(pk__in=raw["site_id"].unique().tolist()).values_list("pk", "name"))
    today = pd.Timestamp(today or timezone.localdate())
    origin = _days(raw["start_date"]).fillna(_local_days(raw["allocated_at"])).fillna(_days(raw["first_sick_day"]))
    closed = _days(raw["closed_on"])
    register_until = _days(raw["register_until"])
    from_register = register_until.notna()
    work = raw["outcome"].isin([str(o) for o in WORK_OUTCOMES])
    recorded = _days(raw["full_return_on"]).fillna(closed.where(work))
    absence = _days(raw["first_absence"])
    absence = absence.where(absence > recorded)
    returned = _days(raw["register_return_on"]).where(from_register, recorded)
    gap = (absence - returned).dt.days
    lasted = returned.notna() & ~(~from_register & (gap <= SUSTAINED_DAYS))
    relapse = _days(raw["register_recurrence_on"]).where(from_register, absence.where(gap <= RECURRENCE_DAYS))
    last_follow_up = _days(raw["last_follow_up"])
    known = pd.concat([closed, last_follow_up], axis=1).max(axis=1)
    until = register_until.where(from_register, known.fillna(today))
    event = lasted & (returned >= origin)
    end = returned.where(event, pd.concat([until, origin], axis=1).max(axis=1))
    relapsed = event & relapse.notna()
    follow_end = pd.concat(
        [returned + pd.Timedelta(days=RECURRENCE_DAYS), pd.concat([until, last_follow_up], axis=1).max(axis=1)], axis=1
    ).min(axis=1)
    recurrence_duration = (relapse - returned).dt.days.where(relapsed, (follow_end - returned).dt.days.clip(lower=0))
    born, last_digit = _birth_dates(raw["cpr"])
    return (
        pd.DataFrame(
            {
                "case_id": raw["case_id"],
                "arm": raw["arm_id"].map({pk: name for pk, (name, _order) in arms.items()}),
                "arm_order": raw["arm_id"].map({pk: order for pk, (_name, order) in arms.items()}),
                "site": raw["site_id"].map(sites),
                "site_id": raw["site_id"],
                "dropout": raw["dropout_on"].notna(),
                "duration": (end - origin).dt.days.astype(int),
                "event": event.astype(int),
                "recurrence": relapsed.astype(int),
                "recurrence_duration": recurrence_duration.where(event).astype("Float64").round().astype("Int64"),
                "age": ((origin - born).dt.days / 365.25).round(1),
                "sex": (last_digit % 2).astype("Int64"),
                "cause_group": raw["cause"].map(CAUSE_GROUPS).fillna("other"),
                "profession": raw["profession"].fillna(""),
                "weeks_absent": ((origin - _days(raw["first_sick_day"])).dt.days / 7).round(1),
                "origin": origin,
            }
        )
        .astype({"dropout": bool})
        .pipe(lambda f: f if len(f) else f.astype({"duration": int}))
    )


def program_rows(program, *, per_protocol: bool = False, today: dt.date | None = None) -> list[Row]:
    """The dataset as Rows (for the export and the page), from program_frame."""
    frame = program_frame(program, per_protocol=per_protocol, today=today)
    rows = []
    for record in frame.to_dict("records"):
        for key, value in record.items():
            if value is None or (isinstance(value, float) and value != value) or str(value) in ("<NA>", "NaT"):
                record[key] = None
        record["origin"] = record["origin"].date() if record["origin"] is not None else None
        record["duration"] = int(record["duration"])
        record["sex"] = None if record["sex"] is None else int(record["sex"])
        record["recurrence_duration"] = (
            None if record["recurrence_duration"] is None else int(record["recurrence_duration"])
        )
        rows.append(Row(**record))
    return rows


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
