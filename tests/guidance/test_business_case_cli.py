"""`fasthold business-case` through a real process, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.guidance.test_business_case import SEED_TABLE

PROJECT = Path(__file__).resolve().parents[2]
SCENARIOS = ("in_job", "part_time_sick", "full_time_sick", "dismiss_and_hire")
SEED_FLAGS = [
    "--gross",
    "90000",
    "--refund-part",
    "27000",
    "--refund-full",
    "52500",
    "--refund-dismiss",
    "52500",
    "--temp-part",
    "45000",
    "--temp-full",
    "90000",
    "--temp-dismiss",
    "30000",
    "--recruitment",
    "36000",
    "--new-salary",
    "60000",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fasthold.cli", "business-case", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def seed_json() -> dict:
    return {
        "scenarios": {
            scenario: {row: values[i] for row, values in SEED_TABLE.items()} for i, scenario in enumerate(SCENARIOS)
        }
    }


def test_json_without_flags_prints_the_seed_example() -> None:
    done = run("--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == seed_json()


def test_every_flag_set_to_the_seed_gives_the_seed() -> None:
    done = run("--json", *SEED_FLAGS)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data == seed_json()
    assert list(data["scenarios"]) == list(SCENARIOS)


def test_flags_set_the_amounts() -> None:
    done = run("--json", "--gross", "120000", "--temp-dismiss", "0", "--new-salary", "90000")
    assert done.returncode == 0, done.stderr
    dismiss = json.loads(done.stdout)["scenarios"]["dismiss_and_hire"]
    # 120,000 − 52,500 + 0 + 36,000 + 90,000
    assert dismiss["employer_total"] == 193_500
    assert dismiss["extra_cost_of_sick_listing"] == 73_500


def test_table_for_people() -> None:
    done = run()
    assert done.returncode == 0, done.stderr
    assert "Employer total" in done.stdout
    assert "163,500" in done.stdout


def test_derived_mode_prints_scenarios_and_assumptions() -> None:
    done = run("--json", "--derived", "--months", "6", "--part-time-share", "0.4", "--recruitment", "40000")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["assumptions"]["period_months"] == 6
    assert data["assumptions"]["part_time_absence_share"] == 0.4
    assert data["assumptions"]["recruitment_cost"] == 40_000
    assert data["scenarios"]["part_time_sick"]["refund"] == 52_500  # 150 days × 875 × 0.4
    assert data["scenarios"]["dismiss_and_hire"]["recruitment"] == 40_000


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--gross", "-5"], "--gross must not be negative"),
        (["--refund-part", "abc"], "--refund-part must be a whole number of kroner"),
        (["--temp-full", "1.5"], "--temp-full must be a whole number of kroner"),
        (["--new-salary", ""], "--new-salary must be a whole number of kroner"),
        (["--refund-full", "100000"], "cannot exceed the gross salary"),
        (["--gross"], "expected one argument"),
        (["--no-such-flag"], "unrecognized arguments"),
        (["--months", "6"], "--months only applies with --derived"),
        (["--derived", "--temp-full", "1"], "--temp-full cannot be combined with --derived"),
        (["--derived", "--part-time-share", "1.5"], "part_time_absence_share must be between 0 and 1"),
        (["--derived", "--months", "x"], "--months must be a number"),
        (["--derived", "--months", "0.5"], "shorter than the employer period"),
        (["--derived", "--monthly-salary", "-1"], "--monthly-salary must not be negative"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], fragment: str) -> None:
    done = run("--json", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert fragment in lines[0]
