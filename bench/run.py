"""Benchmark: server time of the case list and a case page at scale. Prints figures; never fails on time.

    make bench                                  # SQLite in var/bench.sqlite3
    DATABASE_URL=postgres://... make bench      # PostgreSQL
    BENCH_CASES=100000 BENCH_REPEAT=100 ...     # size and repetitions
    BENCH_ONLY=worklist ...                     # only the pages whose name contains this

Server time = the Django test client's request/response cycle in-process (no network), so it
covers middleware, access checks, queries and template rendering.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")
os.environ.setdefault("FASTHOLD_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from fasthold.cases.models import Case  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "100"))


def ensure_data() -> None:
    call_command("migrate", verbosity=0)
    missing = CASES - Case.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("demo", cases=missing, events=20)
        print(f"loaded {missing} cases in {time.perf_counter() - started:.1f} s")


def measure(client: Client, url: str) -> tuple[list[float], int, str]:
    client.get(url)  # warm caches
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    # The query that fetches the page's rows: a LIMITed SELECT on cases or deadlines, else the longest.
    selects = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT")
        and any(t in q["sql"] for t in ("cases_case", "deadlines_deadline", "worklist_workitem"))
    ]
    limited = [sql for sql in selects if "LIMIT" in sql and "COUNT" not in sql]
    return times, len(ctx.captured_queries), max(limited or selects, key=len) if selects else ""


def raw_time(sql: str) -> float:
    times = []
    with connection.cursor() as cursor:
        for _ in range(REPEAT):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    ensure_data()
    from django.contrib.auth import get_user_model

    users = {name: get_user_model().objects.get(username=name) for name in ("koordinator", "leder", "kurt")}
    kurt = Case.objects.get(person__name="Kurt Jensen")
    pages = {
        "case list, first page": "/cases/",
        "case list, filtered": "/cases/?status=open&cause=mental&weeks_min=4&weeks_max=30",
        "case list, by name": "/cases/?sort=name",
        "case list, name search": "/cases/?q=Holm",
        "case page": f"/cases/{kurt.public_id}/",
        "deadline dashboard": "/calendar/",
        "deadline dashboard, org": "/calendar/?scope=organisation",
        "case calendar": f"/calendar/case/{kurt.public_id}/",
        "contacts page": f"/coordination/case/{kurt.public_id}/contacts/",
        "meetings of a case": f"/meetings/case/{kurt.public_id}/",
        "leder: employer portal": "/employer/",
        "leder: one employee": f"/employer/{kurt.public_id}/",
        "kurt: employee portal": "/me/",
        "worklist": "/worklist/",
        "worklist, team": "/worklist/?scope=team",
        "worklist, one kind, team": "/worklist/?scope=team&kind=overdue_deadline",
        "worklist, handled": "/worklist/?state=handled",
    }
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    from fasthold.worklist.models import WorkItem
    from fasthold.worklist.sync import sync

    started = time.perf_counter()
    changes = sync()
    first = time.perf_counter() - started
    started = time.perf_counter()
    sync()
    again = time.perf_counter() - started
    added = sum(a for a, _r in changes.values())
    # Fresh planner statistics, as the worker's daily job keeps them (on PostgreSQL autovacuum does):
    # after the bulk load and the worklist's first sync.
    from fasthold.kernel import refresh_statistics

    started = time.perf_counter()
    if refresh_statistics():
        print(f"planner statistics: {time.perf_counter() - started:.2f} s")
    print(f"worklist sync: {first:.2f} s ({added} rows added), again {again:.2f} s; {WorkItem.objects.count()} rows")
    from fasthold.worklist import selectors as worklist_selectors

    readable, _editable = worklist_selectors.staff_organisations(users["koordinator"])
    after = worklist_selectors.worklist(users["koordinator"], readable, team=True).next_after
    if after:
        pages["worklist, team, next page"] = f"/worklist/?scope=team&after={after}"
    vendor = connection.vendor
    total = Case.objects.count()
    print(f"\n{vendor}, {total} cases, {REPEAT} requests per page")
    print(f"{'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'raw SQL ms':>11} {'p50/raw':>8}")
    only = os.environ.get("BENCH_ONLY", "")  # e.g. BENCH_ONLY=worklist: only the pages whose name has it
    for name, url in pages.items():
        if only and only not in name:
            continue
        who = name.split(":")[0] if ":" in name else "koordinator"
        times, queries, sql = measure(clients[who], url)
        raw = raw_time(sql) if sql else float("nan")
        median = statistics.median(times)
        print(f"{name:<26} {median:>8.1f} {p95(times):>8.1f} {queries:>8} {raw:>11.2f} {median / raw:>8.1f}")


if __name__ == "__main__":
    main()
