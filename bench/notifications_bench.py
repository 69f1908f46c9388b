"""Benchmark: outbox throughput with one and with two concurrent worker processes, and a check that each
notification was delivered exactly once. Prints figures; fails only on a double or missing delivery.

    .venv/bin/python bench/notifications_bench.py                       # SQLite in var/bench-notifications.sqlite3
    DATABASE_URL=postgres://.../fasthold_bench .venv/bin/python bench/notifications_bench.py
    BENCH_ROWS=5000 ...                                                 # rows per run (default 2000)

Each worker process runs the outbox's loop (claim, ask access, render, deliver in-app and by e-mail,
record) with Django's in-memory mail backend, so the figures are the outbox's own cost, not an SMTP
server's. The rows are about no case (the access check of a case adds its queries).
"""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-notifications.sqlite3'}")
os.environ["FASTHOLD_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("FASTHOLD_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from fasthold.notifications import kinds, outbox  # noqa: E402
from fasthold.notifications.kinds import Message  # noqa: E402
from fasthold.notifications.models import Delivery, Notification, Status  # noqa: E402

KIND = "bench.ping"
kinds.register(KIND, lambda n: Message(subject=f"Ping {n.object_id}", body="A benchmark notification."))
ROWS = int(os.environ.get("BENCH_ROWS", "2000"))


def worker(name: str) -> None:
    counts = outbox.run_once(worker=name)
    print(f"{name}: {dict(counts)}", flush=True)


def run(workers: int) -> None:
    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    users = list(get_user_model().objects.filter(username__startswith="bench-"))
    Notification.objects.bulk_create(
        [Notification(user=users[i % len(users)], kind=KIND, object_id=i) for i in range(ROWS)], batch_size=500
    )
    connection.close()
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, __file__, "--worker", f"w{i}"], env=os.environ.copy()) for i in range(workers)
    ]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"a worker failed ({p.returncode})")
    seconds = time.perf_counter() - start
    per_row = Counter(Delivery.objects.filter(channel="email").values_list("notification_id", flat=True))
    twice = sum(1 for n in per_row.values() if n > 1)
    sent = Notification.objects.filter(status=Status.SENT).count()
    print(
        f"{connection.vendor}, {workers} worker(s), {ROWS} rows: {seconds:.1f} s incl. process start, "
        f"{ROWS / seconds:.0f} sends/s; e-mailed {len(per_row)}, twice {twice}, status sent {sent}"
    )
    if twice or len(per_row) != ROWS or sent != ROWS:
        raise SystemExit("not exactly once")


def main() -> None:
    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    User = get_user_model()
    for i in range(50):
        User.objects.get_or_create(username=f"bench-{i}", defaults={"email": f"bench-{i}@example.org"})
    for workers in (1, 2):
        run(workers)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main()
