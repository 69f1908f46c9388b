"""`fasthold schedule` as a user runs it: a separate process, JSON on stdout, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fasthold.schedules.generator import Phase
from fasthold.schedules.management.commands.schedule import parse_phases

PROJECT = Path(__file__).resolve().parents[2]
SEED = [
    "--start-date",
    "2026-01-05",
    "--start-hours",
    "2",
    "--step-hours",
    "0.5",
    "--step-weeks",
    "1",
    "--max-day-hours",
    "7",
    "--workdays",
    "mon,tue,wed,thu,fri",
    "--rest-days",
    "wed",
]
BODIL = ["--start-date", "2026-01-19", "--phases", "10@mon,tue,thu,fri:2;15@mon,tue,thu,fri:2"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fasthold.cli", "schedule", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def schedule_json(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_contract_example():
    data = schedule_json(*SEED, "--normal-week-hours", "37", "--holidays", "dk")
    assert list(data) == ["weeks"]
    first = data["weeks"][0]
    assert {"number", "start", "days", "total_hours", "share_of_normal", "sick_hours"} <= set(first)
    assert (first["number"], first["start"]) == (1, "2026-01-05")
    assert first["days"][0] == {"date": "2026-01-05", "weekday": "mon", "hours": 2.0, "kind": "work"}
    assert [day["kind"] for day in first["days"]] == ["work", "work", "rest", "work", "work", "off", "off"]
    assert (first["total_hours"], first["share_of_normal"], first["sick_hours"]) == (8.0, 0.216, 29.0)
    assert [week["total_hours"] for week in data["weeks"]] == [8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28]


def test_bodils_phases():
    data = schedule_json(*BODIL)
    assert [week["total_hours"] for week in data["weeks"]] == [10, 10, 15, 15]
    assert [day["hours"] for day in data["weeks"][0]["days"]] == [2.5, 2.5, 0, 2.5, 2.5, 0, 0]


def test_phase_text_parses():
    days = ("mon", "tue", "thu", "fri")
    assert parse_phases(" 10@mon,tue,thu,fri:2; 15.5@MON,Tue,thu,fri:1 ;") == (Phase(10, days, 2), Phase(15.5, days, 1))


def test_danish_holidays_are_the_default():
    easter = ["--start-date", "2026-03-30", *SEED[2:]]
    kinds = [day["kind"] for day in schedule_json(*easter)["weeks"][0]["days"]]
    assert kinds == ["work", "work", "rest", "holiday", "holiday", "off", "holiday"]
    kinds = [day["kind"] for day in schedule_json(*easter, "--holidays", "none")["weeks"][0]["days"]]
    assert kinds == ["work", "work", "rest", "work", "work", "off", "off"]


def test_without_json_prints_a_line_per_week():
    result = run(*SEED)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 11


BAD_INPUT = {
    "start hours above the maximum": [*SEED, "--start-hours", "8"],
    "zero step": [*SEED, "--step-hours", "0"],
    "zero step weeks": [*SEED, "--step-weeks", "0"],
    "rest day not a working day": [*SEED, "--workdays", "mon,tue"],
    "as many rest days as working days": [*SEED, "--workdays", "wed"],
    "no working days": [*SEED, "--workdays", ""],
    "unknown weekday": [*SEED, "--workdays", "mon,someday"],
    "end before start": [*SEED, "--end-date", "2026-01-01"],
    "negative hours": [*SEED, "--normal-week-hours", "-37"],
    "bad date": [*SEED, "--start-date", "5 January"],
    "not a number": [*SEED, "--start-hours", "two"],
    "unknown holidays": [*SEED, "--holidays", "se"],
    "missing start hours": ["--start-date", "2026-01-05", "--step-hours", "0.5", "--max-day-hours", "7"],
    "missing start date": SEED[2:],
    "malformed phases": ["--start-date", "2026-01-19", "--phases", "10 hours for 2 weeks"],
    "phases without weeks": ["--start-date", "2026-01-19", "--phases", "10@mon"],
    "negative phase hours": ["--start-date", "2026-01-19", "--phases", "-10@mon:2"],
    "unknown phase day": ["--start-date", "2026-01-19", "--phases", "10@mon,blursday:2"],
    "phase above normal hours": ["--start-date", "2026-01-19", "--phases", "40@mon,tue:2"],
    "phases with escalation": [*BODIL, "--start-hours", "2"],
}


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_exits_2_with_one_line(args):
    result = run(*args, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
