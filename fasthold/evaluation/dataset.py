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

from django.db.models import Case, F, Func, IntegerField, StringAgg, TextField, Value, When
from django.db.models.functions import Coalesce, TruncDate
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
EPOCH = dt.date(1970, 1, 1)


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


class EpochDays(Func):
    """A date as whole days since 1970-01-01 (NULL stays NULL), computed by PostgreSQL. SQLite keeps its
    dates as ISO text, which pandas parses (_day_numbers) several times faster than SQLite's julianday()
    computes, so there the expression is the date itself."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((%(expressions)s) - DATE '1970-01-01')", **extra)


def _day_numbers(column):
    """A column of EpochDays values (numbers, or ISO dates from SQLite) as floats: days since
    1970-01-01, NaN for none."""
    import numpy as np  # see the module docstring
    import pandas as pd

    if column.dtype.kind in "fiu":
        return column.astype(float)
    dates = pd.to_datetime(column, format="%Y-%m-%d").to_numpy(dtype="datetime64[D]")
    return np.where(np.isnat(dates), np.nan, dates.astype(np.int64))


class Line(Func):
    """Values joined by commas into one text by a single call per row (PostgreSQL's format(), SQLite's
    printf()), NULL as nothing: joining with || makes a new string per value, three times slower."""

    function = "format"
    output_field = TextField()

    def __init__(self, *expressions):
        super().__init__(Value(",".join(["%s"] * len(expressions))), *expressions)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="printf", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        # concat() with the commas as arguments: one call, no format string to read per row.
        c = self.copy()
        values = c.get_source_expressions()[1:]
        c.set_source_expressions([part for value in values for part in (value, Value(","))][:-1])
        return c.as_sql(compiler, connection, function="concat", **extra)


# The columns read from the database, in order: one query, dates as day numbers (EpochDays), the follow-ups
# summed up on the return record when they are recorded (services.follow_ups_summarise).
_DAY_COLUMNS = {
    # Time starts at the visitation's start date, else the local day of allocation, else the first sick day.
    "origin": Coalesce("start_date", TruncDate("allocated_at"), "case__first_sick_day"),
    "dropout": "dropout_on",
    "first_sick_day": "case__first_sick_day",
    "closed": "case__closed_on",
    "full_return": "case__return_record__full_return_on",
    "register_return": "case__return_record__register_return_on",
    "register_recurrence": "case__return_record__register_recurrence_on",
    "register_until": "case__return_record__register_until",
    "first_absence": "case__return_record__first_absence_on",
    "last_follow_up": "case__return_record__last_follow_up_on",
}
_COLUMNS = ("case_id", "arm_id", "site_id", "work", "cause", "cpr", "profession", *_DAY_COLUMNS)


def _queryset(program, per_protocol: bool):
    """The program's allocated people with one text line each: the columns of _COLUMNS joined by
    commas (empty for NULL), computed by the database."""
    visitations = Visitation.objects.filter(program=program, arm__isnull=False)
    if per_protocol:
        visitations = visitations.filter(dropout_on__isnull=True)
    fields = [
        F("case_id"),
        F("arm_id"),
        F("case__organisation_id"),
        Case(When(case__outcome__in=WORK_OUTCOMES, then=Value(1)), default=Value(0)),
        F("case__cause_category"),
        F("case__person__cpr"),
        F("case__employment__profession_category"),
        *(EpochDays(F(field) if isinstance(field, str) else field) for field in _DAY_COLUMNS.values()),
    ]
    return visitations.annotate(line=Line(*fields))


def _read(program, per_protocol: bool) -> dict:
    """The raw columns as NumPy arrays (day numbers as floats, NaN for no date).

    The database joins each person's line and all lines into one text (StringAgg), which pandas' CSV
    reader parses in C: a million rows of 17 values would otherwise become 17 million Python objects
    on the way out of the driver, which took longer than the query and the statistics together."""
    import io

    import numpy as np  # see the module docstring
    import pandas as pd

    text = _queryset(program, per_protocol).aggregate(text=StringAgg("line", delimiter=Value("\n")))["text"]
    if not text:
        return {name: [] for name in _COLUMNS}
    frame = pd.read_csv(
        io.StringIO(text),
        header=None,
        names=_COLUMNS,
        dtype={
            "cause": str,
            "cpr": str,
            "profession": str,
            **dict.fromkeys(("case_id", "arm_id", "site_id", "work"), "int64"),
        },
        keep_default_na=False,
        na_values={name: [""] for name in _DAY_COLUMNS},
    )
    raw = {name: frame[name].to_numpy() for name in _COLUMNS}
    # In the order of the case ids, as the rest of the product lists people (the text comes in the
    # database's order, which is that order already on SQLite).
    ids = raw["case_id"]
    if len(ids) > 1 and not (ids[1:] > ids[:-1]).all():
        order = np.argsort(ids, kind="stable")
        raw = {name: values[order] for name, values in raw.items()}
    for name in _DAY_COLUMNS:
        raw[name] = _day_numbers(raw[name])
    return raw


def _birth_days(cpr_numbers) -> tuple:
    """Birth dates (day numbers, NaN where unknown) from CPR numbers by the century rules of
    fasthold/cases/cpr.py, and the sex from the last digit (1 male, 0 female, -1 unknown). The digits are
    read as a byte matrix and the dates built with NumPy's calendar arithmetic, so nothing runs per row."""
    import numpy as np  # see the module docstring

    text = np.char.replace(np.array([c or "" for c in cpr_numbers], dtype=str), "-", "")
    length = np.char.str_len(text) if len(text) else np.zeros(0, dtype=int)
    raw = np.asarray(np.where(length == 10, text, "xxxxxxxxxx"), dtype="S10")
    digits = raw.view(np.uint8).reshape(len(raw), 10).astype(int) - ord("0")
    valid = (length == 10) & ((digits >= 0) & (digits <= 9)).all(axis=1)
    day, month, yy = (digits[:, i] * 10 + digits[:, i + 1] for i in (0, 2, 4))
    seventh = digits[:, 6]
    century = np.select(
        [seventh <= 3, np.isin(seventh, (4, 9))],
        [1900, np.where(yy <= 36, 2000, 1900)],
        np.where(yy <= 57, 2000, 1800),
    )
    valid &= (month >= 1) & (month <= 12) & (day >= 1)
    months = (np.where(valid, century + yy, 1970) - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    months = months + np.where(valid, month - 1, 0)
    born = months.astype("datetime64[D]") + np.where(valid, day - 1, 0)
    valid &= born.astype("datetime64[M]") == months  # 31 February is no date
    return np.where(valid, born.astype(np.int64), np.nan), np.where(valid, digits[:, 9] % 2, -1)


CAUSE_GROUPS = {value: CauseCategory.group_of(value) for value in CauseCategory.values}


def program_frame(program, *, per_protocol: bool = False, today: dt.date | None = None):
    """Everyone allocated to an arm of the program (intention to treat; with per_protocol those who
    dropped out are left out) as a pandas DataFrame with the columns of Row, computed on whole columns of
    day numbers (NaN: no date; NumPy's fmax and fmin skip it as SQL's MAX would).

    Of a coordinator's record, the earliest new absence recorded at a follow-up is compared with the
    return: within 4 weeks the return did not last, within a year it is a recurrence."""
    import numpy as np  # see the module docstring
    import pandas as pd

    raw = _read(program, per_protocol)
    if not len(raw["case_id"]):
        return pd.DataFrame({name: pd.Series(dtype=object) for name in Row.__dataclass_fields__})
    # Names are looked up once per arm and site rather than read on every row.
    arms = dict(Arm.objects.filter(program=program).values_list("pk", "name"))
    orders = dict(Arm.objects.filter(program=program).values_list("pk", "order"))
    sites = dict(Organisation.objects.filter(pk__in=np.unique(raw["site_id"]).tolist()).values_list("pk", "name"))
    today = float(((today or timezone.localdate()) - EPOCH).days)
    origin, closed = raw["origin"], raw["closed"]
    register_until, last_follow_up = raw["register_until"], raw["last_follow_up"]
    from_register = ~np.isnan(register_until)
    recorded = np.where(np.isnan(raw["full_return"]), np.where(raw["work"] == 1, closed, np.nan), raw["full_return"])
    absence = np.where(raw["first_absence"] > recorded, raw["first_absence"], np.nan)
    returned = np.where(from_register, raw["register_return"], recorded)
    gap = absence - returned
    lasted = ~np.isnan(returned) & ~(~from_register & (gap <= SUSTAINED_DAYS))
    relapse = np.where(from_register, raw["register_recurrence"], np.where(gap <= RECURRENCE_DAYS, absence, np.nan))
    known = np.fmax(closed, last_follow_up)
    until = np.where(from_register, register_until, np.where(np.isnan(known), today, known))
    event = lasted & (returned >= origin)
    end = np.where(event, returned, np.fmax(until, origin))
    relapsed = event & ~np.isnan(relapse)
    follow_end = np.fmin(returned + RECURRENCE_DAYS, np.fmax(until, last_follow_up))
    recurrence_duration = np.where(relapsed, relapse - returned, np.clip(follow_end - returned, 0, None))
    born, sex = _birth_days(raw["cpr"])
    return pd.DataFrame(
        {
            "case_id": raw["case_id"],
            "arm": pd.Series(raw["arm_id"]).map(arms),
            "arm_order": pd.Series(raw["arm_id"]).map(orders),
            "site": pd.Series(raw["site_id"]).map(sites),
            "site_id": raw["site_id"],
            "dropout": ~np.isnan(raw["dropout"]),
            "duration": (end - origin).astype(int),
            "event": event.astype(int),
            "recurrence": relapsed.astype(int),
            "recurrence_duration": pd.array(np.where(event, np.round(recurrence_duration), np.nan)).astype("Int64"),
            "age": np.round((origin - born) / 365.25, 1),
            "sex": pd.array(np.where(sex >= 0, sex, np.nan)).astype("Int64"),
            "cause_group": pd.Series(raw["cause"], dtype=object).map(CAUSE_GROUPS).fillna("other"),
            "profession": pd.Series(raw["profession"], dtype=object).fillna(""),
            "weeks_absent": np.round((origin - raw["first_sick_day"]) / 7, 1),
            "origin": (origin.astype(np.int64)).astype("datetime64[D]").astype("datetime64[s]"),
        },
        copy=False,  # the columns are new arrays already: no second copy into consolidated blocks
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
