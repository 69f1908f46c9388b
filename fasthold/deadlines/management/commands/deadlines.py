"""`fasthold deadlines`: a case calendar from the command line, without a database.

fasthold deadlines --first-sick-day 2026-03-02 [--pack dk] [--employed yes|no]
    [--expected-weeks N] [--employer-pays wages|benefit|none] [--absence-hours 10]
    [--earlier-absence 2025-10-01..2025-12-09 ...] [--event retention_plan_requested=2026-03-20 ...] --json

A relapse in the same case is the event pair full_return=DATE and relapse=DATE; a relapse recorded as a
new case gives the earlier case's paid days with --earlier-absence.
"""

from __future__ import annotations

from datetime import date

from fasthold.commands import BadInput, CliCommand
from fasthold.deadlines import engine

YES_NO = {"yes": True, "no": False}


def _iso_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{what}: {text!r} is not a valid date (YYYY-MM-DD)") from None


def _events(items: list[str]) -> dict[str, date]:
    events: dict[str, date] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise BadInput(f"--event {item!r}: expected KEY=YYYY-MM-DD")
        if key in events:
            raise BadInput(f"--event {key} given twice")
        events[key] = _iso_date(value, f"--event {key}")
    return events


def _periods(items: list[str]) -> tuple[tuple[date, date], ...]:
    periods = []
    for item in items:
        first, sep, last = item.partition("..")
        if not sep:
            raise BadInput(f"--earlier-absence {item!r}: expected FIRST..LAST (YYYY-MM-DD..YYYY-MM-DD)")
        periods.append((_iso_date(first, "--earlier-absence"), _iso_date(last, "--earlier-absence")))
    return tuple(sorted(periods))


class Command(CliCommand):
    help = "Compute the legal and good-practice deadlines of a sick-leave case from its first sick day."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--first-sick-day", required=True, help="day 1 of the absence, YYYY-MM-DD")
        parser.add_argument(
            "--pack",
            default="dk",
            help="a jurisdiction (dk, nl, no: the law in force for the first sick day) or a pack id "
            "(e.g. dk-good-practice)",
        )
        parser.add_argument("--employed", choices=sorted(YES_NO), help="is the person employed?")
        parser.add_argument("--expected-weeks", type=int, help="expected weeks until full return, from day 1")
        parser.add_argument("--benefit-category", type=int, help="DK visitation category")
        parser.add_argument("--work-injury", choices=sorted(YES_NO))
        parser.add_argument("--cause-group", help="e.g. mental")
        parser.add_argument(
            "--employer-pays",
            choices=engine.EMPLOYER_PAYS,
            help="what the employer pays in the employer period: wages, benefit (sygedagpenge) or none (§ 40)",
        )
        parser.add_argument(
            "--absence-hours", type=float, help="partial absence: hours a week absent (leave out for a full absence)"
        )
        parser.add_argument(
            "--earlier-absence",
            action="append",
            default=[],
            metavar="FIRST..LAST",
            help="an earlier absence with sickness benefit, without its employer period (counts towards § 24)",
        )
        parser.add_argument(
            "--event",
            action="append",
            default=[],
            metavar="KEY=DATE",
            help=f"a case event; keys: {', '.join(engine.EVENTS)}",
        )
        parser.add_argument("--lang", choices=("da", "en"), default="da", help="language of titles")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options) -> None:
        first = _iso_date(options["first_sick_day"], "--first-sick-day")
        if options["expected_weeks"] is not None and options["expected_weeks"] < 0:
            raise BadInput("--expected-weeks must not be negative")
        facts = engine.CaseFacts(
            employed=YES_NO.get(options["employed"]) if options["employed"] else None,
            expected_weeks=options["expected_weeks"],
            benefit_category=options["benefit_category"],
            work_injury=YES_NO.get(options["work_injury"]) if options["work_injury"] else None,
            cause_group=options["cause_group"] or None,
            employer_pays=options["employer_pays"],
            absence_hours_per_week=options["absence_hours"],
            earlier_absences=_periods(options["earlier_absence"]),
        )
        events = _events(options["event"])
        try:
            pack = engine.resolve_pack(options["pack"], first)
            milestones = engine.compute(first, pack, facts, events)
        except engine.RuleError as exc:
            raise BadInput(str(exc)) from None
        lang = options["lang"]
        if options["json"]:
            self.write_json([m.as_dict(lang) for m in milestones])
            return
        self.stdout.write(f"{pack.title_en if lang == 'en' else pack.title_da} [{pack.id} {pack.version}]")
        for m in milestones:
            if not m.applicable:
                when = "n/a"
            elif m.standing and (m.trigger == engine.FIRST_SICK_DAY or m.trigger in events):
                when = "any time" + (f" from {m.flag_from.isoformat()}" if m.flag_from else "")
            elif m.due is None:
                when = f"(waits for {m.trigger})"
            else:
                when = f"{m.due.strftime('%a')} {m.due.isoformat()}"
            flag = " *unconfirmed*" if m.unconfirmed else ""
            extra = f" - {m.reason if lang == 'en' else m.reason_da}" if not m.applicable else ""
            self.stdout.write(f"{when:<26} {m.key:<32} {m.responsible:<11} {m.legal_ref}{flag}{extra}")
