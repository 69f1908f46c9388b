"""Benchmark: compute the calendars of every open case and build the overdue list, in memory.

    .venv/bin/python bench/calendars_bench.py [--store]     # uses the database bench/run.py loads

Prints figures; never fails on time. The stored calendars (for the dashboards) are written by
`fasthold recompute_calendars`, timed separately here when --store is given.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from fasthold.cases.choices import CaseStatus, CauseCategory, EmploymentStatus, WorkInjury  # noqa: E402
from fasthold.cases.models import Case  # noqa: E402
from fasthold.deadlines import engine  # noqa: E402
from fasthold.deadlines.models import CaseEvent  # noqa: E402


def main() -> None:
    today = timezone.localdate()
    started = time.perf_counter()
    rows = list(
        Case.objects.exclude(status=CaseStatus.CLOSED).values_list(
            "pk",
            "first_sick_day",
            "employment__status",
            "expected_weeks",
            "benefit_category",
            "work_injury",
            "cause_category",
        )
    )
    events: dict[int, dict] = {}
    for case_id, key, day in CaseEvent.objects.values_list("case_id", "key", "occurred_on"):
        events.setdefault(case_id, {})[key] = day
    loaded = time.perf_counter()
    overdue = []
    milestones = 0
    # Cases without events that share a first sick day and facts share a calendar: compute once.
    shared: dict[tuple, tuple[int, list]] = {}
    for pk, first, employment_status, expected, category, injury, cause in rows:
        facts = engine.CaseFacts(
            employed=employment_status == EmploymentStatus.EMPLOYED if employment_status else None,
            expected_weeks=expected,
            benefit_category=int(category) if category else None,
            work_injury=injury != WorkInjury.NONE,
            cause_group=CauseCategory.group_of(cause),
        )
        case_events = events.get(pk)
        key = None if case_events else (first, facts)
        if key in shared:
            count, late = shared[key]
        else:
            try:
                computed = engine.compute_for("dk", first, facts, case_events)
            except engine.RuleError:
                computed = []
            late = [(m.due, m.key) for m in computed if m.applicable and m.due and m.due < today]
            count = len(computed)
            if key is not None:
                shared[key] = (count, late)
        milestones += count
        overdue.extend((due, pk, rule_key) for due, rule_key in late)
    overdue.sort()
    done = time.perf_counter()
    print(
        f"{connection.vendor}: {len(rows)} open cases, {len(shared)} distinct calendars, "
        f"{milestones} milestones, {len(overdue)} overdue"
    )
    print(f"  load from database   {loaded - started:6.2f} s")
    print(f"  compute + overdue    {done - loaded:6.2f} s")
    print(f"  total                {done - started:6.2f} s")
    if "--store" in sys.argv:
        call_command("recompute_calendars")


if __name__ == "__main__":
    main()
