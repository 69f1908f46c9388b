"""`fasthold evaluate`: the survival summary of a CSV file or of a program, as JSON or as text.

    fasthold evaluate --csv FILE --duration COL --event COL --group COL [--covariates a,b,c] [--times 26,52] --json
    fasthold evaluate --program SLUG [--per-protocol] [--times 26,52] --json

JSON: {"groups": [{"name", "n", "events", "median", "survival": {"26": s, "52": s}}],
"logrank": {"statistic", "p"}, "cox": [{"covariate", "coef", "hr", "ci_lower", "ci_upper", "p"}]}.
"median" and a survival figure are null when not reached or beyond the follow-up; a group under five
people keeps its name with null figures and "suppressed": true. With --csv the Cox model has exactly the
covariate columns given (none: an empty list). With --program the time unit is weeks, the groups are
the arms (intention to treat unless --per-protocol) and the Cox model is the adjusted one (arm against
the first arm, age, sex, cause group, profession, weeks absent at allocation).

Any problem with the input (a file or column missing, a duration not a number or negative, an event
other than 0/1, a covariate not a number, fewer than two groups, no events) exits with status 2, one
line on stderr and nothing on stdout.
"""

import json
import sys
import warnings

from django.core.management.base import BaseCommand, CommandError

from fasthold.evaluation import analysis

DAYS_PER_WEEK = 7.0


def fail(message: str) -> CommandError:
    return CommandError(" ".join(str(message).split()), returncode=2)


def _shown(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 20 else text[:20] + "…")


def parse_times(text: str) -> dict[str, float]:
    times = {}
    for part in text.split(","):
        key = part.strip()
        try:
            value = float(key)
        except ValueError:
            raise fail(f"--times: {_shown(key)} is not a number") from None
        if not value >= 0 or value == float("inf"):
            raise fail(f"--times: {_shown(key)} is not a time of zero or more")
        times[key] = value
    if not times:
        raise fail("--times: give at least one time")
    return times


def read_csv(path: str, *, duration: str, event: str, group: str, covariates: list[str]):
    """The columns of the file, checked: (durations, events, groups, {covariate: values})."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise fail(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise fail(f"cannot read {path}: {type(error).__name__}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in (duration, event, group, *covariates):
        if column not in frame.columns:
            raise fail(f"missing column: {column}")
    if frame.empty:
        raise fail(f"{path} has no rows")

    def numbers(column: str, what: str):
        raw = frame[column].str.strip()
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() | ~values.abs().lt(float("inf"))
        if bad.any():
            row = int(bad.idxmax())
            raise fail(f"{what} column {column}: {_shown(raw[row])} on line {row + 2} is not a number")
        return values.astype(float)

    durations = numbers(duration, "duration")
    if (durations < 0).any():
        row = int((durations < 0).idxmax())
        raise fail(f"duration column {duration}: {_shown(frame[duration][row])} on line {row + 2} is negative")
    events = pd.to_numeric(frame[event].str.strip(), errors="coerce")
    bad = ~events.isin([0, 1])
    if bad.any():
        row = int(bad.idxmax())
        raise fail(f"event column {event}: {_shown(frame[event][row])} on line {row + 2} is not 0 or 1")
    groups = frame[group].str.strip()
    if (groups == "").any():
        row = int((groups == "").idxmax())
        raise fail(f"group column {group}: line {row + 2} has no group")
    chosen = {name: numbers(name, "covariate").values for name in covariates}
    return durations.values, events.astype(int).values, groups.values, chosen


def csv_summary(options, times: dict[str, float]) -> dict:
    missing = [f"--{name}" for name in ("duration", "event", "group") if not options[name]]
    if missing:
        raise fail(f"--csv needs {', '.join(missing)}")
    covariates = [c.strip() for c in (options["covariates"] or "").split(",") if c.strip()]
    durations, events, groups, chosen = read_csv(
        options["csv"],
        duration=options["duration"],
        event=options["event"],
        group=options["group"],
        covariates=covariates,
    )
    return analysis.export_summary(durations, events, groups, times=times, covariates=chosen)


# --- --program: the dataset of a program, from the database (fasthold.evaluation.dataset) -------------


def program_summary(slug: str, times: dict[str, float], *, per_protocol: bool) -> dict:
    try:
        from fasthold.evaluation.dataset import program_frame
        from fasthold.screening.models import Program
    except ImportError:
        raise fail("--program is not available yet") from None
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise fail(f"no program with the slug {slug}")
    frame = program_frame(program, per_protocol=per_protocol)
    if frame.empty:
        raise fail(f"nobody is allocated in {slug}")
    arms = frame[["arm_order", "arm"]].drop_duplicates().sort_values(["arm_order", "arm"])["arm"].tolist()
    durations = frame["duration"].astype(float).values / DAYS_PER_WEEK
    covariates = analysis.adjusted_covariates(
        analysis.dummies("arm", frame["arm"].tolist(), reference=arms[0]),
        age=frame["age"].tolist(),
        sex=frame["sex"].tolist(),
        cause_group=frame["cause_group"].tolist(),
        profession=frame["profession"].tolist(),
        weeks_absent=frame["weeks_absent"].tolist(),
    )
    # A level nobody in the analysed rows has cannot be estimated; the exported model leaves it out.
    covariates = {name: values for name, values in covariates.items() if len(set(values) - {None}) > 1}
    return analysis.export_summary(
        durations, frame["event"].values, frame["arm"].values, times=times, covariates=covariates, order=arms
    )


# ---------------------------------------------------------------------------------------------------------


def as_text(summary: dict) -> str:
    def f(value, digits=3):
        return "–" if value is None else f"{value:.{digits}f}"

    lines = []
    for g in summary["groups"]:
        if g.get("suppressed"):
            lines.append(f"{g['name']}: fewer than {analysis.SUPPRESS_BELOW} people, not shown")
            continue
        survival = ", ".join(f"S({k})={f(v)}" for k, v in g["survival"].items())
        median = "not reached" if g["median"] is None else f(g["median"], 1)
        lines.append(f"{g['name']}: n={g['n']}, events={g['events']}, median={median}, {survival}")
    test = summary["logrank"]
    lines.append(f"log-rank: chi2={f(test['statistic'])}, p={f(test['p'], 4)}")
    for term in summary["cox"]:
        lines.append(
            f"{term['covariate']}: coef={f(term['coef'], 4)}, HR={f(term['hr'])} "
            f"({f(term['ci_lower'])}–{f(term['ci_upper'])}), p={f(term['p'], 4)}"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Kaplan–Meier, log-rank and Cox of a CSV file (--csv) or of a program (--program)."
    # Reads a file or one program's rows; the checks of the whole project say nothing about that.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        raise_error = parser.error

        def error(message):
            # One line on stderr and status 2, as for any other input problem (argparse prints usage too).
            if parser.called_from_command_line:
                sys.stderr.write(f"CommandError: {' '.join(message.split())}\n")
                sys.exit(2)
            raise_error(message)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--csv", metavar="FILE", help="a CSV file with a header row")
        parser.add_argument("--duration", metavar="COL", help="time to the event or to censoring (≥ 0)")
        parser.add_argument("--event", metavar="COL", help="1 if the event was observed, 0 if censored")
        parser.add_argument("--group", metavar="COL", help="the groups to compare (two or more)")
        parser.add_argument("--covariates", metavar="A,B,C", help="numeric columns of the Cox model")
        parser.add_argument("--program", metavar="SLUG", help="a program's dataset from the database (weeks)")
        parser.add_argument("--per-protocol", action="store_true", help="with --program: leave drop-outs out")
        parser.add_argument("--times", default="26,52", help="times for the survival figures (default 26,52)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        if bool(options["csv"]) == bool(options["program"]):
            raise fail("give either --csv FILE or --program SLUG")
        times = parse_times(options["times"])
        with warnings.catch_warnings():
            # lifelines and pandas warn on stderr; the contract is one line there, and only on failure.
            warnings.simplefilter("ignore")
            try:
                if options["csv"]:
                    summary = csv_summary(options, times)
                else:
                    summary = program_summary(options["program"], times, per_protocol=options["per_protocol"])
            except analysis.InputError as error:
                raise fail(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(as_text(summary))
