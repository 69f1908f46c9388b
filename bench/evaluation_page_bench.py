"""Benchmark: the evaluation page of a program of 10,000 people, computed and then from the cache.
Prints figures; never fails on time (the target is under 1 s once computed for the data's version).

    .venv/bin/python bench/evaluation_page_bench.py          # BENCH_EVAL_PAGE_CASES=10000, var/bench-page.sqlite3
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-page.sqlite3'}")
os.environ["FASTHOLD_2FA_REQUIRED"] = "0"  # the bench's user has no authenticator app
CASES = int(os.environ.get("BENCH_EVAL_PAGE_CASES", "10000"))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from fasthold.accounts.models import User
    from fasthold.cases.demo import build_world
    from fasthold.evaluation import demo
    from fasthold.organisations.models import Organisation, OrganisationKind
    from fasthold.screening.models import Arm, Program

    call_command("migrate", verbosity=0)
    name = f"Bench page {CASES}"
    program = Program.objects.filter(name=name).first()
    if program is None:
        world = build_world() if not User.objects.filter(username="koordinator").exists() else None
        owner = Organisation.objects.get(name="Jobcenter Aalborg")
        employer = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).first()
        program = Program.objects.create(organisation=owner, name=name, randomised=True)
        arms = [
            Arm.objects.create(program=program, name=n, order=i) for i, n in enumerate(("Sædvanlig", "Koordineret"))
        ]
        sites = [
            (Organisation.objects.get_or_create(kind=OrganisationKind.JOBCENTRE, name=n)[0], e) for n, e in demo.SITES
        ]
        started = time.perf_counter()
        demo.add_program_history(program, arms, sites, CASES, employer=employer)
        print(f"loaded {CASES:,} people in {time.perf_counter() - started:.1f} s{' (new demo world)' if world else ''}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="koordinator"))
    url = f"/evaluation/programs/{program.public_id}/"
    print(f"{connection.vendor}: the evaluation page of {CASES:,} people")
    for label, query in (
        ("first view (computed)", {}),
        ("again (cached)", {}),
        ("per protocol, computed", {"analysis": "pp"}),
        ("per protocol, cached", {"analysis": "pp"}),
    ):
        started = time.perf_counter()
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        print(f"  {label:<26} {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()
