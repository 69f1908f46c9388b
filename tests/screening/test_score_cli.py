"""`fasthold score`, run as a real process: the CLI contract is stdout JSON, exit codes and stderr."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fasthold.cli", "score", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def score_json(*args: str) -> dict:
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_who5_contract():
    out = score_json("who5", "--answers", "5,4,3,2,1")
    assert {k: out[k] for k in ("instrument", "raw", "score", "band")} == {
        "instrument": "who5",
        "raw": 15,
        "score": 60,
        "band": "normal",
    }
    # The older Hillerød rule (an item answered 1) is an algorithm result, beside the band.
    assert out["algorithms"] == {"mdi_indicated": {"result": "met", "met": True, "counts": {}}}
    assert "subscores" not in out


def test_pss10_has_subscores():
    out = score_json("pss10", "--answers", "3,2,3,1,1,2,2,1,3,2")
    assert out == {
        "instrument": "pss10",
        "raw": 26,
        "score": 26,
        "band": "high",
        "subscores": {"helplessness": 15, "self_efficacy": 11},
    }


def test_ompsq10_in_the_research_file_order():
    assert score_json("ompsq10", "--answers", "1,0,3,4,1,5,0,2,6,9") == {
        "instrument": "ompsq10",
        "raw": 21,
        "score": 21,
        "band": "low",
    }


def test_mdi_twelve_answers_with_algorithms():
    out = score_json("mdi", "--answers", "3,3,5,5,5,3,5,5,0,5,5,0")
    assert (out["raw"], out["score"], out["band"]) == (44, 44, "severe")
    assert out["algorithms"]["icd10"] == {
        "result": "none",
        "met": False,
        "counts": {"core": 1, "accompanying": 7, "total": 8},
    }
    assert out["algorithms"]["dsm4"] == {"result": "none", "met": False, "counts": {"key": 0, "other": 7, "total": 7}}
    assert out["algorithms"]["item6_follow_up"]["met"] is True


def test_nrs():
    assert score_json("nrs", "--answers", "7") == {"instrument": "nrs", "raw": 7, "score": 7, "band": "severe"}


def test_text_output_without_json():
    proc = run("mdi", "--answers", "4,4,3,2,1,0,3,1,3,4,2,0", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "raw 26, score 26" in proc.stdout
    assert "band: moderate (Moderate depression)" in proc.stdout
    assert "ICD-10 algorithm: Mild depression (ICD-10)" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("who5", "--answers", "5,4,3,2"), "who5 expects 5 answers (items 1, 2, 3, 4, 5), got 4"),
        (("mdi", "--answers", "1,1,1,1,1,1,1,1,1,1,1"), "mdi expects 12 answers"),
        (("who5", "--answers", "5,4,3,2,6"), "who5 item 5: 6 is out of range 0 to 5"),
        (("nrs", "--answers=-1"), "nrs item 1: -1 is out of range 0 to 10"),
        (("ompsq10", "--answers", "0,0,0,0,0,0,0,0,0,0"), "ompsq10 item 1: 0 is out of range 1 to 10"),
        (("pss10", "--answers", "1,2,x"), "--answers must be whole numbers"),
        (("who5", "--answers", ""), "--answers must be whole numbers"),
        (("phq9", "--answers", "1"), "invalid choice: 'phq9'"),
        (("who5",), "--answers"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    proc = run(*args, "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
