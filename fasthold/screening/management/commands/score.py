"""`fasthold score INSTRUMENT --answers 5,4,3,2,1 [--json]`: score a questionnaire from raw answers.

No database: the engine is pure, so the command works on a bare checkout (e.g. to check a
paper form by hand against the system's result).
"""

from typing import Any

from fasthold.commands import BadInput, CliCommand
from fasthold.screening.instruments import InstrumentError, available_instruments, load_instrument, score


def parse_answers(text: str) -> list[int]:
    """'5,4,3' -> [5, 4, 3]; anything that is not a comma-separated list of whole numbers is bad input."""
    parts = [part.strip() for part in text.split(",")]
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise BadInput(f"--answers must be whole numbers separated by commas, got {text!r}") from None


class Command(CliCommand):
    help = "Score a questionnaire (WHO-5, PSS-10, ÖMPSQ-10, MDI, NRS, ...) from its raw answers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("instrument", choices=available_instruments(), help="instrument id")
        parser.add_argument(
            "--answers",
            required=True,
            help="answers in item order, comma-separated (MDI: items 1-7, 8a, 8b, 9, 10a, 10b)",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--lang", choices=("da", "en"), default="da", help="language of the text output")

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = load_instrument(options["instrument"])
        answers = parse_answers(options["answers"])
        try:
            result = score(instrument, answers)
        except InstrumentError as exc:
            # The engine's messages are already one clear line; the CLI contract is exit code 2.
            raise BadInput(str(exc)) from None
        if options["json"]:
            self.write_json(result.as_dict())
            return
        lang = options["lang"]
        lines = [f"{instrument.name[lang]}: raw {result.raw}, score {result.score}"]
        if result.band:
            lines.append(f"band: {result.band.key} ({result.band.label[lang]})")
        for sub in instrument.subscales:
            lines.append(f"{sub.label[lang]}: {result.subscores[sub.id]}")
        for algo in instrument.algorithms:
            lines.append(f"{algo.label[lang]}: {result.algorithms[algo.id].label[lang]}")
        self.stdout.write("\n".join(lines))
