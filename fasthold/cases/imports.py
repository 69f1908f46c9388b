"""Bulk import of sick-listed persons: reading and checking the rows. No Django here.

A row is a dict keyed by the file's header (the CSV a jobcentre receives, or the API's JSON). The columns
have Danish names with English aliases; case, spaces, "-" and "_" do not matter. Errors are codes with
parameters (Error), worded in the language of the reader by the service (fasthold.cases.importing), and
never carry a CPR number: whoever reads an error sees the row's values beside it, if they may.
"""

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fasthold.cases import cpr
from fasthold.organisations.cvr import cvr_is_valid

# The columns in the template's order: (key, Danish header, aliases, required).
COLUMNS: list[tuple[str, str, tuple[str, ...], bool]] = [
    ("cpr", "cpr", ("cpr-nummer", "cprnummer", "cpr number", "cpr_number"), True),
    ("name", "navn", ("name", "fulde navn", "full name"), True),
    ("first_sick_day", "første sygedag", ("foerste sygedag", "forste sygedag", "first sick day", "sygedag"), True),
    ("employer_cvr", "arbejdsgiver cvr", ("cvr", "employer cvr", "cvr-nummer", "arbejdsgivers cvr"), False),
    ("employer_name", "arbejdsgiver navn", ("arbejdsgiver", "employer", "employer name"), False),
    ("job_title", "stilling", ("job title", "jobtitel"), False),
    ("weekly_hours", "ugentlige timer", ("timer pr. uge", "weekly hours", "hours per week"), False),
    ("phone", "telefon", ("phone", "telefonnummer", "tlf"), False),
    ("email", "e-mail", ("email", "mail"), False),
]
HEADERS = {key: danish for key, danish, _aliases, _required in COLUMNS}
REQUIRED = [key for key, _danish, _aliases, required in COLUMNS if required]
MAX_NAME = 200
MAX_JOB_TITLE = 200
MAX_PHONE = 40
MAX_HOURS = Decimal(80)
# A first sick day more than this many days ago is a mistyped year (the case form's rule: 2 years).
MAX_AGE_DAYS = 731

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DMY = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d.%m.%y")


_cvr_is_valid = functools.lru_cache(maxsize=65536)(cvr_is_valid)


def _fold(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", (header or "").strip().lstrip("\ufeff").casefold()).strip()


_ALIASES: dict[str, str] = {}
for _key, _danish, _aliases, _required in COLUMNS:
    for _name in (_key, _danish, *_aliases):
        _ALIASES[_fold(_name)] = _key


@dataclass(frozen=True)
class Error:
    """One problem: `code` (see fasthold.cases.importing.MESSAGES), the column's key or "" for the whole
    row or file, and parameters for the wording (never a CPR number)."""

    code: str
    column: str = ""
    params: tuple[tuple[str, str], ...] = ()


@dataclass
class Row:
    number: int  # as in a spreadsheet: the header is row 1, the first data row is row 2
    values: dict[str, str]  # the given values by column key, stripped
    errors: list[Error] = field(default_factory=list)
    # Cleaned values when the row has no errors.
    cpr: str = ""
    first_sick_day: dt.date | None = None
    weekly_hours: Decimal | None = None

    @property
    def key(self) -> tuple[str, dt.date] | None:
        """What makes a row the same sick-listing again: the person and the first sick day (within the
        importing organisation)."""
        return (self.cpr, self.first_sick_day) if self.cpr and self.first_sick_day else None


@dataclass
class Checked:
    rows: list[Row]
    file_errors: list[Error]
    unknown_columns: list[str]

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)


def column_key(header: str) -> str | None:
    return _ALIASES.get(_fold(header))


def read_csv(data: bytes) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The header and the rows of a CSV file (UTF-8 with or without BOM, else Windows-1252; ";" or ","
    or tab, whichever the header uses). Raises ValueError("encoding"|"empty"|"format") for a file it cannot read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError("encoding") from None
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ValueError("empty")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Read every line now: a broken quote or an overlong field (csv.Error) is a file error here, not
    # an exception half way through an import.
    try:
        header = next(reader)
        lines = [values for values in reader if any(v.strip() for v in values)]
    except csv.Error:
        raise ValueError("format") from None

    def rows() -> Iterator[dict[str, str]]:
        for values in lines:
            yield {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}

    return header, rows()


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if match := _DMY.fullmatch(value):  # the common case, without strptime's cost
        day, month, year = match.groups()
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_hours(value: str) -> Decimal | None:
    try:
        hours = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return hours if hours.is_finite() else None


def _check_row(row: Row, today: dt.date) -> None:
    v = row.values
    for key in REQUIRED:
        if not v.get(key):
            row.errors.append(Error("required", key))
    if value := v.get("cpr"):
        digits = cpr.normalise(value)
        if len(digits) != 10 or not digits.isdigit():
            row.errors.append(Error("cpr_format", "cpr"))
        elif cpr.birth_date(digits) is None:
            row.errors.append(Error("cpr_date", "cpr"))
        else:
            row.cpr = digits
    if (value := v.get("name")) and len(value) > MAX_NAME:
        row.errors.append(Error("too_long", "name", (("max", str(MAX_NAME)),)))
    if value := v.get("first_sick_day"):
        day = parse_date(value)
        if day is None:
            row.errors.append(Error("date_format", "first_sick_day"))
        elif day > today:
            row.errors.append(Error("date_future", "first_sick_day"))
        elif (today - day).days > MAX_AGE_DAYS:
            row.errors.append(Error("date_too_old", "first_sick_day"))
        else:
            row.first_sick_day = day
    cvr = (v.get("employer_cvr") or "").replace(" ", "")
    if cvr:
        v["employer_cvr"] = cvr
        if not _cvr_is_valid(cvr):
            # The service drops this error when an employer on file has exactly this number.
            row.errors.append(Error("cvr_invalid", "employer_cvr"))
    elif v.get("employer_name"):
        row.errors.append(Error("cvr_required", "employer_cvr"))
    if (value := v.get("employer_name")) and len(value) > MAX_NAME:
        row.errors.append(Error("too_long", "employer_name", (("max", str(MAX_NAME)),)))
    if (value := v.get("job_title")) and len(value) > MAX_JOB_TITLE:
        row.errors.append(Error("too_long", "job_title", (("max", str(MAX_JOB_TITLE)),)))
    if value := v.get("weekly_hours"):
        hours = parse_hours(value)
        if hours is None:
            row.errors.append(Error("hours_format", "weekly_hours"))
        elif not (0 < hours <= MAX_HOURS) or hours != hours.quantize(Decimal("0.1")):
            row.errors.append(Error("hours_range", "weekly_hours", (("max", str(MAX_HOURS)),)))
        else:
            row.weekly_hours = hours
    if (value := v.get("phone")) and len(value) > MAX_PHONE:
        row.errors.append(Error("too_long", "phone", (("max", str(MAX_PHONE)),)))
    if (value := v.get("email")) and (len(value) > 254 or not _EMAIL.match(value)):
        row.errors.append(Error("email_invalid", "email"))


def check(rows: Iterable[dict[str, object]], today: dt.date) -> Checked:
    """Every row checked on its own and against the rows before it (the same person and first sick day
    twice in one file is an error on the second). Unknown columns are ignored and named."""
    result = Checked(rows=[], file_errors=[], unknown_columns=[])
    columns: dict[str, str] | None = None
    seen: dict[tuple[str, dt.date], int] = {}
    for index, raw in enumerate(rows):
        if columns is None:
            columns = {}
            for header in raw:
                key = column_key(str(header))
                if key is None:
                    result.unknown_columns.append(str(header))
                elif key in columns.values():
                    result.file_errors.append(Error("column_twice", key))
                else:
                    columns[str(header)] = key
            missing = [key for key in REQUIRED if key not in columns.values()]
            for key in missing:
                result.file_errors.append(Error("missing_column", key))
            if missing:
                return result
        values = {}
        for header, value in raw.items():
            key = columns.get(str(header))
            if key is not None:
                values[key] = "" if value is None else str(value).strip()
        row = Row(number=index + 2, values=values)
        _check_row(row, today)
        if (key := row.key) is not None:
            if key in seen:
                row.errors.append(Error("duplicate", "", (("row", str(seen[key])),)))
            else:
                seen[key] = row.number
        result.rows.append(row)
    if columns is None:
        result.file_errors.append(Error("no_rows"))
    return result


def template_csv() -> str:
    """The template file's text: the Danish headers, ";"-separated (Danish Excel). No example row: a real
    looking CPR number in it could be someone's, and a forgotten example would be imported."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow([d for _k, d, _a, _r in COLUMNS])
    return out.getvalue()
