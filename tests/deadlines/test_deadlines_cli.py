"""`fasthold deadlines`: the CLI contract, run as a real process (no database needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# The repository root, wherever this checkout lives: the command must run from this tree.
CWD = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fasthold.cli", "deadlines", *args],
        cwd=CWD,
        capture_output=True,
        text=True,
        timeout=120,
    )


def milestones(*args: str) -> dict[str, dict]:
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    return {m["key"]: m for m in json.loads(result.stdout)}


def test_contract_example():
    ms = milestones(
        "--first-sick-day",
        "2026-03-02",
        "--pack",
        "dk",
        "--employed",
        "yes",
        "--expected-weeks",
        "12",
        "--event",
        "retention_plan_requested=2026-03-20",
    )
    for m in ms.values():
        assert {"key", "title", "due", "responsible", "legal_ref", "source"} <= set(m)
    assert ms["absence_conversation"]["due"] == "2026-03-29"
    assert ms["absence_conversation"]["title"] == "Sygefraværssamtale med medarbejderen"
    assert ms["report_to_municipality"]["due"] == "2026-04-05"
    assert ms["employer_period_end"]["due"] == "2026-03-31"
    assert ms["first_follow_up"]["due"] == "2026-04-26"
    assert ms["benefit_review"]["due"] == "2026-09-30"
    assert ms["retention_plan_response"]["due"] == "2026-04-03"
    assert ms["fast_track_first_conversation"]["due"] is None  # no request recorded
    assert ms["absence_conversation"]["pack"] == "dk-2025"


def test_pack_dk_picks_the_version_in_force():
    assert milestones("--first-sick-day", "2024-06-03")["first_follow_up"]["pack"] == "dk-2014"
    assert milestones("--first-sick-day", "2026-09-07")["first_follow_up"]["pack"] == "dk-2026-assumption"


def test_fast_track_event_and_english_titles():
    ms = milestones("--first-sick-day", "2026-03-02", "--event", "fast_track_requested=2026-04-01", "--lang", "en")
    assert ms["fast_track_consent"]["due"] == "2026-04-08"  # Easter skipped
    assert ms["fast_track_first_conversation"]["due"] == "2026-04-15"
    assert ms["first_follow_up"]["title"] == "First follow-up conversation with the municipality"


def test_not_applicable_carries_a_reason():
    ms = milestones("--first-sick-day", "2026-03-02", "--employed", "yes", "--expected-weeks", "6")
    assert ms["retention_plan"]["applicable"] is False and ms["retention_plan"]["due"] is None
    assert ms["retention_plan"]["reason"]


def test_other_packs():
    assert milestones("--first-sick-day", "2026-03-02", "--pack", "nl")["plan_of_action"]["due"] == "2026-04-26"
    assert milestones("--first-sick-day", "2026-03-02", "--pack", "no")["dialogue_meeting_1"]["due"] == "2026-04-19"
    gp = milestones("--first-sick-day", "2026-03-02", "--pack", "dk-good-practice", "--cause-group", "mental")
    assert gp["mental_health_return_conversation"]["due"] == "2026-03-16"


def test_text_output():
    result = run("--first-sick-day", "2026-03-02")
    assert result.returncode == 0
    assert "absence_conversation" in result.stdout and "2026-03-29" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--first-sick-day", "2026-02-30"],
        ["--first-sick-day", "soon"],
        ["--first-sick-day", "2026-03-02", "--pack", "atlantis"],
        ["--first-sick-day", "2026-03-02", "--event", "full_return=2026-03-01"],
        ["--first-sick-day", "2026-03-02", "--event", "lunch=2026-03-05"],
        ["--first-sick-day", "2026-03-02", "--event", "full_return"],
        ["--first-sick-day", "2026-03-02", "--event", "full_return=2026-13-01"],
        ["--first-sick-day", "2026-03-02", "--employed", "maybe"],
        ["--first-sick-day", "2026-03-02", "--expected-weeks", "-1"],
        ["--first-sick-day", "2026-03-02", "--pack", "dk-2014"],
        ["--first-sick-day", "2010-01-01"],
        [],
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str]):
    result = run(*args, "--json")
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_partial_absence_earlier_absences_and_relapse_as_inputs_section_24():
    """Issue 16 (legal-timelines row 20, § 24; row 13, § 53): the command takes the inputs the engine
    counts with: earlier paid absences inside 9 months, partial hours, and a relapse in the same case."""
    base = ("--first-sick-day", "2026-03-02", "--employed", "yes")
    earlier = milestones(*base, "--earlier-absence", "2025-10-01..2025-12-09")
    assert earlier["benefit_review"]["due"] == "2026-06-30"
    assert earlier["benefit_review"]["flag_from"] == "2026-06-24"
    relapse = milestones(*base, "--event", "full_return=2026-05-01", "--event", "relapse=2026-06-01")
    assert relapse["benefit_review"]["due"] == "2026-10-31"
    tiny = milestones(*base, "--absence-hours", "3")
    assert tiny["benefit_review"]["applicable"] is False
    pays = milestones(*base, "--employer-pays", "none")
    assert pays["report_to_municipality"]["due"] == "2026-03-15"
    ms = milestones(*base)
    assert ms["retention_plan"]["kind"] == "standing" and ms["retention_plan"]["due"] is None
    assert ms["absence_conversation"]["due_weekday"] == "Sunday"
    assert ms["absence_conversation"]["act_by"] == "2026-03-27"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--earlier-absence", "2025-10-01"), "FIRST..LAST"),
        (("--earlier-absence", "2026-10-01..2025-12-09"), "ends before it starts"),
        (("--earlier-absence", "2026-02-20..2026-03-05"), "before the first sick day"),
        (("--absence-hours", "0"), "hours"),
        (("--event", "relapse=2026-05-01"), "full_return"),
    ],
)
def test_bad_new_inputs_give_one_line_and_exit_2(args, message):
    result = run("--first-sick-day", "2026-03-02", *args)
    assert result.returncode == 2 and message in result.stderr
