"""`fasthold business-case`: the employer's business case of keeping a sick-listed employee.

Explicit mode (default) takes the table's input cells; every flag defaults to the worked
example, so `fasthold business-case --json` prints its table. `--derived` computes
the cells from a few facts instead (see fasthold.guidance.business_case) and also prints
the assumptions used.
"""

from __future__ import annotations

import argparse
import re
from decimal import Decimal, InvalidOperation

from fasthold.commands import BadInput, CliCommand
from fasthold.guidance.business_case import (
    ROWS,
    SCENARIOS,
    Assumptions,
    BusinessCase,
    BusinessCaseError,
    ExplicitAmounts,
    calculate,
    calculate_derived,
)

# flag → ExplicitAmounts field. The field names match the flags, but spelling them out
# keeps the CLI contract visible in one place.
EXPLICIT_FLAGS: dict[str, str] = {
    "--gross": "gross",
    "--refund-part": "refund_part",
    "--refund-full": "refund_full",
    "--refund-dismiss": "refund_dismiss",
    "--temp-part": "temp_part",
    "--temp-full": "temp_full",
    "--temp-dismiss": "temp_dismiss",
    "--recruitment": "recruitment",
    "--new-salary": "new_salary",
}
# flag → (Assumptions field, whole kroner?). --recruitment is shared with explicit mode.
DERIVED_FLAGS: dict[str, tuple[str, bool]] = {
    "--monthly-salary": ("monthly_salary", True),
    "--months": ("period_months", False),
    "--weekly-refund-rate": ("weekly_refund_rate", True),
    "--part-time-share": ("part_time_absence_share", False),
    "--employer-period-days": ("employer_period_days", True),
    "--temp-share": ("temp_cost_share", False),
    "--new-hire-weeks": ("new_hire_weeks", False),
}
ROW_LABELS: dict[str, str] = {
    "gross_salary": "Gross salary",
    "refund": "Sickness-benefit refund",
    "net_salary_cost": "Net salary cost",
    "temp": "Temp",
    "recruitment": "Recruitment",
    "new_employee_salary": "Salary of new employee",
    "extra_costs": "Extra costs",
    "employer_total": "Employer total",
    "extra_cost_of_sick_listing": "Extra cost of the sick-listing",
}
SCENARIO_LABELS: dict[str, str] = {
    "in_job": "In job",
    "part_time_sick": "Part-time sick",
    "full_time_sick": "Full-time sick",
    "dismiss_and_hire": "Dismiss and hire",
}
_WHOLE = re.compile(r"[+-]?\d+")


def _dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _whole_kroner(flag: str, raw: str) -> int:
    text = raw.strip()
    if not _WHOLE.fullmatch(text):
        raise BadInput(f"{flag} must be a whole number of kroner, got {raw!r}.")
    value = int(text)
    if value < 0:
        raise BadInput(f"{flag} must not be negative, got {value}.")
    return value


def _number(flag: str, raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise BadInput(f"{flag} must be a number, got {raw!r}.") from None
    if not value.is_finite():
        raise BadInput(f"{flag} must be a finite number, got {raw!r}.")
    if value < 0:
        raise BadInput(f"{flag} must not be negative, got {raw.strip()}.")
    return value


class Command(CliCommand):
    help = (
        "The employer's business case: in job, part-time sick, full-time sick, dismiss and hire. "
        "Defaults to the worked example (3 months at 30,000 kr)."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        parser.add_argument(
            "--derived",
            action="store_true",
            help="Compute the amounts from the assumptions (--monthly-salary etc.) instead of taking them as given.",
        )
        # Strings, parsed in handle(): our messages are clearer than argparse's "invalid int value".
        explicit = parser.add_argument_group("explicit amounts (kroner; default: the seed's example)")
        defaults = ExplicitAmounts()
        for flag, name in EXPLICIT_FLAGS.items():
            explicit.add_argument(flag, dest=_dest(flag), metavar="KR", help=f"default {getattr(defaults, name)}")
        derived = parser.add_argument_group("assumptions for --derived (--recruitment sets the recruitment cost)")
        assumptions = Assumptions()
        for flag, (name, _) in DERIVED_FLAGS.items():
            derived.add_argument(
                flag, dest=_dest(flag), metavar="N", help=f"{name}, default {getattr(assumptions, name)}"
            )

    def handle(self, *args, **options) -> None:
        given = {flag for flag in [*EXPLICIT_FLAGS, *DERIVED_FLAGS] if options.get(_dest(flag)) is not None}
        try:
            if options["derived"]:
                result = self._derived(options, given)
            else:
                result = self._explicit(options, given)
        except BusinessCaseError as error:
            raise BadInput(str(error)) from None
        if options["json"]:
            self.write_json(result.to_dict())
        else:
            self.stdout.write(self._table(result))

    def _explicit(self, options: dict, given: set[str]) -> BusinessCase:
        stray = sorted(given & DERIVED_FLAGS.keys())
        if stray:
            raise BadInput(f"{', '.join(stray)} only applies with --derived.")
        values = {
            name: _whole_kroner(flag, options[_dest(flag)]) for flag, name in EXPLICIT_FLAGS.items() if flag in given
        }
        return calculate(ExplicitAmounts(**values))

    def _derived(self, options: dict, given: set[str]) -> BusinessCase:
        # --recruitment means the same thing in both modes; the other explicit cells are outputs here.
        stray = sorted((given & EXPLICIT_FLAGS.keys()) - {"--recruitment"})
        if stray:
            raise BadInput(f"{', '.join(stray)} cannot be combined with --derived (it is computed).")
        values: dict[str, int | Decimal] = {}
        for flag, (name, whole) in DERIVED_FLAGS.items():
            if flag in given:
                raw = options[_dest(flag)]
                values[name] = _whole_kroner(flag, raw) if whole else _number(flag, raw)
        if "--recruitment" in given:
            values["recruitment_cost"] = _whole_kroner("--recruitment", options["recruitment"])
        return calculate_derived(Assumptions(**values))

    @staticmethod
    def _table(result: BusinessCase) -> str:
        width = max(len(label) for label in ROW_LABELS.values())
        columns = [SCENARIO_LABELS[name] for name in SCENARIOS]
        col = max(len(c) for c in columns)
        lines = ["kr".ljust(width) + "".join(f"  {c:>{col}}" for c in columns)]
        for row in ROWS:
            cells = (getattr(result.scenarios[name], row) for name in SCENARIOS)
            lines.append(ROW_LABELS[row].ljust(width) + "".join(f"  {v:>{col},}" for v in cells))
        if result.assumptions is not None:
            lines.append("")
            lines.append("Assumptions:")
            lines.extend(f"  {name} = {value}" for name, value in result.assumptions.as_dict().items())
        return "\n".join(lines)
