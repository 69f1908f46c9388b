"""Benchmark: the bulk import of sick-listed persons. Generates a CSV of 100,000 rows (valid CPR numbers, 500
employers of which half are on file and half are created from CVR and name), then times the preview (the
dry run), the import and a re-import of the same file, which must open nothing. Prints the figures; fails
only when the re-import opens a case or the import leaves rows out.

    .venv/bin/python bench/import_bench.py                                   # SQLite in var/bench-import.sqlite3
    DATABASE_URL=postgres://.../fasthold_bench .venv/bin/python bench/import_bench.py
    BENCH_ROWS=20000 ...                                                     # rows (default 100000)

The target (issue 19): 100,000 rows in under a minute on SQLite and on PostgreSQL. Each run imports into a
new jobcentre, so a database can be reused. An import of more than 2,000 cases leaves their calendars to the
task worker after the commit (fasthold.cases.importing.INLINE_CALENDARS); the bench times that part
separately on a sample (BENCH_CALENDAR_SAMPLE, default 4000) and extrapolates.
"""

import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-import.sqlite3'}")
os.environ.setdefault("FASTHOLD_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from fasthold.cases import imports  # noqa: E402
from fasthold.cases.importing import compute_calendars, import_rows  # noqa: E402
from fasthold.cases.models import Case  # noqa: E402
from fasthold.organisations.cvr import cvr_is_valid  # noqa: E402
from fasthold.organisations.models import Membership, Organisation, OrganisationKind, OrgRole  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
EMPLOYERS = 500
SAMPLE = int(os.environ.get("BENCH_CALENDAR_SAMPLE", "4000"))


def valid_cvrs(start: int, count: int) -> list[str]:
    out, n = [], start
    while len(out) < count:
        if cvr_is_valid(str(n)):
            out.append(str(n))
        n += 1
    return out


def generate(rows: int, cvrs: list[str], seed: int = 19) -> bytes:
    rng = random.Random(seed)
    today = timezone.localdate()
    out = io.StringIO()
    out.write("cpr;navn;første sygedag;arbejdsgiver cvr;arbejdsgiver navn;stilling;ugentlige timer\r\n")
    seen = set()
    while len(seen) < rows:
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        cpr = born.strftime("%d%m%y") + f"{rng.randrange(4000):04d}"  # 7th digit 0-3: born 1900-1999
        if cpr in seen:
            continue
        seen.add(cpr)
        first = today - dt.timedelta(days=rng.randrange(1, 700))
        cvr = rng.choice(cvrs)
        out.write(
            f"{cpr[:6]}-{cpr[6:]};Person {len(seen)} Hansen;{first:%d-%m-%Y};{cvr};Firma {cvr} ApS;"
            f"Medarbejder;{rng.choice(['37', '32,5', '30'])}\r\n"
        )
    return out.getvalue().encode("utf-8")


def run_import(data: bytes, *, actor, organisation, dry_run: bool):
    start = time.perf_counter()
    _header, rows = imports.read_csv(data)
    result = import_rows(actor=actor, organisation=organisation, rows=rows, dry_run=dry_run)
    return result, time.perf_counter() - start


def main() -> None:
    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    User = get_user_model()
    actor, _ = User.objects.get_or_create(username="bench-import", defaults={"email": "bench-import@example.org"})
    run = Organisation.objects.filter(kind=OrganisationKind.JOBCENTRE, name__startswith="Bench import").count() + 1
    organisation = Organisation.objects.create(kind=OrganisationKind.JOBCENTRE, name=f"Bench import {run}")
    Membership.objects.create(user=actor, organisation=organisation, role=OrgRole.COORDINATOR)
    cvrs = valid_cvrs(40000000, EMPLOYERS)
    on_file = set(Organisation.objects.filter(cvr__in=cvrs).values_list("cvr", flat=True))
    Organisation.objects.bulk_create(
        [
            Organisation(kind=OrganisationKind.EMPLOYER, name=f"Firma {cvr} ApS", cvr=cvr)
            for cvr in cvrs[: EMPLOYERS // 2]
            if cvr not in on_file
        ]
    )

    start = time.perf_counter()
    data = generate(ROWS, cvrs)
    print(f"generated {ROWS} rows ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")

    preview, seconds = run_import(data, actor=actor, organisation=organisation, dry_run=True)
    print(
        f"{connection.vendor}: preview (check, dry run): {seconds:.1f} s, {preview.created} new, {preview.errors[:1]}"
    )
    result, seconds = run_import(data, actor=actor, organisation=organisation, dry_run=False)
    print(
        f"{connection.vendor}: import: {seconds:.1f} s, {result.created} cases opened, "
        f"{result.employers_created} employers created ({ROWS / seconds:.0f} rows/s)"
    )
    again, seconds = run_import(data, actor=actor, organisation=organisation, dry_run=False)
    print(f"{connection.vendor}: re-import: {seconds:.1f} s, {again.created} opened, {again.skipped} skipped")
    # Beyond INLINE_CALENDARS the calendars are the task worker's, after the commit; timed here on a sample.
    sample = list(Case.objects.filter(organisation=organisation).order_by("pk").values_list("pk", flat=True)[:SAMPLE])
    start = time.perf_counter()
    compute_calendars(sample)
    seconds = time.perf_counter() - start
    print(
        f"{connection.vendor}: calendars (the worker's part): {len(sample)} cases in {seconds:.1f} s, "
        f"{seconds / len(sample) * ROWS:.0f} s for {ROWS} at that rate"
    )
    opened = Case.objects.filter(organisation=organisation).count()
    if not result.imported or result.created != ROWS or again.created or opened != ROWS:
        raise SystemExit(f"wrong: imported {result.created}, re-imported {again.created}, on file {opened}")


if __name__ == "__main__":
    main()
