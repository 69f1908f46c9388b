"""`fasthold evaluate`: the output against published results, and every way the input can be refused."""

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lifelines.datasets import load_rossi

from fasthold.cli import main
from fasthold.evaluation import analysis, dataset
from fasthold.evaluation.demo import add_program_history
from tests.evaluation.base import EvaluationTestCase

# Fox, J. (2002). "Cox Proportional-Hazards Regression for Survival Data". Appendix to An R and S-PLUS
# Companion to Applied Regression (Sage). coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro
# + prio, data=Rossi), Efron ties: the coefficients as printed there.
FOX_2002 = {
    "fin": -0.379,
    "age": -0.0574,
    "race": 0.314,
    "wexp": -0.150,
    "mar": -0.434,
    "paro": -0.0849,
    "prio": 0.0915,
}
ROSSI_ARGS = ["--duration", "week", "--event", "arrest", "--group", "fin", "--covariates", ",".join(FOX_2002)]


@pytest.fixture(scope="module")
def rossi_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("rossi") / "rossi.csv"
    load_rossi().to_csv(path, index=False)
    return path


def run(capsys, *args):
    """The command as the console script runs it: (exit status, stdout, stderr)."""
    try:
        main(["evaluate", *map(str, args)])
        code = 0
    except SystemExit as exit:
        code = exit.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_rossi_against_fox_2002(capsys, rossi_csv):
    code, out, err = run(capsys, "--csv", rossi_csv, *ROSSI_ARGS, "--json")
    assert (code, err) == (0, "")
    summary = json.loads(out)
    assert set(summary) == {"groups", "logrank", "cox"}
    coefficients = {term["covariate"]: term["coef"] for term in summary["cox"]}
    assert list(coefficients) == list(FOX_2002)
    for name, published in FOX_2002.items():
        # Agreement to three decimals: within half a unit of the third decimal of the printed value.
        assert abs(coefficients[name] - published) <= 0.0005, name
    fin = summary["cox"][0]
    assert set(fin) == {"covariate", "coef", "hr", "ci_lower", "ci_upper", "p"}
    # Fox prints exp(coef) 0.684 and p 0.047 for fin.
    assert (round(fin["hr"], 3), round(fin["p"], 3)) == (0.684, 0.047)
    assert fin["hr"] == pytest.approx(math.exp(fin["coef"]))
    assert fin["ci_lower"] < fin["hr"] < fin["ci_upper"]


def test_rossi_groups_and_logrank(capsys, rossi_csv):
    code, out, _err = run(capsys, "--csv", rossi_csv, *ROSSI_ARGS, "--times", "26,52", "--json")
    summary = json.loads(out)
    no_aid, aid = summary["groups"]
    assert set(no_aid) == {"name", "n", "events", "median", "survival"}
    assert (no_aid["name"], no_aid["n"], no_aid["events"]) == ("0", 216, 66)
    assert (aid["name"], aid["n"], aid["events"]) == ("1", 216, 48)
    # Fewer than half were re-arrested within the year in either group: no median.
    assert no_aid["median"] is None and aid["median"] is None
    assert list(aid["survival"]) == ["26", "52"]
    # All 432 were followed for 52 weeks, so S(52) is the share not re-arrested: 1 - 48/216.
    assert aid["survival"]["52"] == pytest.approx(1 - 48 / 216)
    assert no_aid["survival"]["52"] == pytest.approx(1 - 66 / 216)
    rossi = load_rossi()
    expected = analysis.logrank(rossi["week"], rossi["arrest"], rossi["fin"])
    assert summary["logrank"] == {"statistic": expected["statistic"], "p": expected["p"]}
    assert isinstance(summary["logrank"]["statistic"], float)
    assert (round(summary["logrank"]["statistic"], 1), round(summary["logrank"]["p"], 2)) == (3.8, 0.05)


def test_the_installed_console_script(rossi_csv):
    """The `fasthold` entry point itself, in a process of its own."""
    script = Path(sys.executable).parent / "fasthold"
    # The project's own settings, as a user has them (pytest's point to tests/, not on the script's path).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fasthold.settings"}
    done = subprocess.run(
        [script, "evaluate", "--csv", rossi_csv, *ROSSI_ARGS, "--json"], capture_output=True, text=True, env=env
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert round(json.loads(done.stdout)["cox"][0]["coef"], 3) == -0.379
    failed = subprocess.run(
        [script, "evaluate", "--csv", rossi_csv, *ROSSI_ARGS[:4], "--group", "nope", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (failed.returncode, failed.stdout, failed.stderr.count("\n")) == (2, "", 1)


def test_without_covariates_the_cox_list_is_empty_and_text_output_works(capsys, rossi_csv):
    code, out, _err = run(capsys, "--csv", rossi_csv, *ROSSI_ARGS[:6], "--json")
    assert json.loads(out)["cox"] == []
    code, out, err = run(capsys, "--csv", rossi_csv, *ROSSI_ARGS)
    assert (code, err) == (0, "")
    assert "log-rank: chi2=3.838" in out and "fin: coef=-0.3794" in out


def test_a_small_group_is_suppressed(capsys, tmp_path):
    path = tmp_path / "small.csv"
    rows = [(1, 1, "a"), (2, 1, "a"), (3, 0, "a"), (4, 1, "a"), (5, 1, "a"), (1, 1, "b"), (2, 0, "b")]
    path.write_text("t,e,g\n" + "".join(f"{t},{e},{g}\n" for t, e, g in rows))
    code, out, _err = run(capsys, "--csv", path, "--duration", "t", "--event", "e", "--group", "g", "--json")
    a, b = json.loads(out)["groups"]
    assert a["n"] == 5 and "suppressed" not in a
    assert b == {
        "name": "b",
        "n": None,
        "events": None,
        "median": None,
        "survival": {"26": None, "52": None},
        "suppressed": True,
    }


GOOD = "t,e,g,x\n1,1,a,0.5\n2,0,a,1\n3,1,a,2\n4,1,b,1\n5,0,b,3\n6,1,b,2\n"
ARGS = ["--duration", "t", "--event", "e", "--group", "g", "--json"]


@pytest.mark.parametrize(
    "content, args, message",
    [
        (None, ARGS, "no such file"),
        (GOOD, ["--duration", "time", "--event", "e", "--group", "g"], "missing column: time"),
        (GOOD, ["--duration", "t", "--event", "event", "--group", "g"], "missing column: event"),
        (GOOD, ["--duration", "t", "--event", "e", "--group", "arm"], "missing column: arm"),
        (GOOD, [*ARGS, "--covariates", "x,age"], "missing column: age"),
        (GOOD.replace("3,1,a", "three,1,a"), ARGS, "'three' on line 4 is not a number"),
        (GOOD.replace("3,1,a", ",1,a"), ARGS, "on line 4 is not a number"),
        (GOOD.replace("3,1,a", "-3,1,a"), ARGS, "'-3' on line 4 is negative"),
        (GOOD.replace("3,1,a", "3,2,a"), ARGS, "'2' on line 4 is not 0 or 1"),
        (GOOD.replace("3,1,a", "3,yes,a"), ARGS, "'yes' on line 4 is not 0 or 1"),
        (GOOD.replace("3,1,a", "3,,a"), ARGS, "on line 4 is not 0 or 1"),
        (GOOD.replace("3,1,a", "3,1,"), ARGS, "line 4 has no group"),
        (GOOD.replace("b,", "a,"), ARGS, "at least two groups"),
        (GOOD.replace(",1,", ",0,"), ARGS, "no events"),
        (GOOD.replace("a,2", "a,two"), [*ARGS, "--covariates", "x"], "covariate column x: 'two'"),
        ("t,e,g\n1,1,a\n2,1,b\n3,1,a\n4,0,b\n", [*ARGS, "--covariates", "g"], "covariate column g"),
        (
            GOOD.replace(",0.5", ",1").replace(",2\n", ",1\n").replace(",3\n", ",1\n"),
            [*ARGS, "--covariates", "x"],
            "does not vary",
        ),
        ("", ARGS, "cannot read"),
        ("t,e,g\n", ARGS, "has no rows"),
        (GOOD, ["--event", "e", "--group", "g"], "--csv needs --duration"),
        (GOOD, [*ARGS, "--times", "26,soon"], "--times: 'soon' is not a number"),
        (GOOD, [*ARGS, "--times", "-1"], "--times"),
        (GOOD, [*ARGS, "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_every_refusal_is_status_2_one_line_on_stderr_and_nothing_on_stdout(capsys, tmp_path, content, args, message):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "--csv", path, *args)
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert message in err


def test_neither_or_both_sources_are_refused(capsys, tmp_path):
    for args in ([], ["--csv", tmp_path / "x.csv", "--program", "p"]):
        code, out, err = run(capsys, *args)
        assert (code, out, err.count("\n")) == (2, "", 1)
        assert "either --csv FILE or --program SLUG" in err


class ProgramFromTheDatabase(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_program_history(
            cls.program,
            [cls.usual, cls.special],
            [(cls.jobcentre, 1.5), (cls.world.orgs["jobcentre"], 1.5)],
            120,
            employer=cls.world.orgs["door_factory"],
        )

    def evaluate(self, *args):
        out = io.StringIO()
        call_command("evaluate", *args, stdout=out)
        return json.loads(out.getvalue())

    def test_the_same_shape_from_the_database(self):
        summary = self.evaluate("--program", self.program.slug, "--json")
        self.assertEqual(set(summary), {"groups", "logrank", "cox"})
        self.assertEqual([g["name"] for g in summary["groups"]], ["Sædvanlig", "Særlig"])
        frame = dataset.program_frame(self.program)
        self.assertEqual(sum(g["n"] for g in summary["groups"]), len(frame))
        self.assertEqual(sum(g["events"] for g in summary["groups"]), frame["event"].sum())
        self.assertEqual(list(summary["groups"][0]["survival"]), ["26", "52"])
        terms = [t["covariate"] for t in summary["cox"]]
        # The adjusted model: the arm against the first arm, then age, sex, cause group, profession, weeks.
        self.assertEqual(terms[:3], ["arm=Særlig", "age", "sex"])
        self.assertTrue(any(t.startswith("cause_group=") for t in terms))
        self.assertTrue(any(t.startswith("profession=") for t in terms))
        self.assertEqual(terms[-1], "weeks_absent")
        # The log-rank of the arms, with durations in weeks (the test does not depend on the unit).
        expected = analysis.logrank(frame["duration"] / 7, frame["event"], frame["arm"])
        self.assertAlmostEqual(summary["logrank"]["p"], expected["p"])

    def test_per_protocol_leaves_the_dropouts_out(self):
        itt = self.evaluate("--program", self.program.slug, "--json")
        pp = self.evaluate("--program", self.program.slug, "--per-protocol", "--json")
        dropouts = int(dataset.program_frame(self.program)["dropout"].sum())
        self.assertGreater(dropouts, 0)
        self.assertEqual(sum(g["n"] for g in itt["groups"]) - sum(g["n"] for g in pp["groups"]), dropouts)

    def test_an_unknown_program_is_status_2(self):
        with self.assertRaises(CommandError) as raised:
            call_command("evaluate", "--program", "no-such-program", "--json", stdout=io.StringIO())
        self.assertEqual(raised.exception.returncode, 2)
        self.assertEqual(str(raised.exception), "no program with the slug no-such-program")
