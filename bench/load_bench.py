"""Benchmark: throughput of the main pages under load, against the login page's in the same run.

Starts gunicorn (sync workers) on the bench database and drives each page with wrk (Debian's `wrk`
package) through a logged-in session, one page at a time. Prints requests per second, p50 and p99
latency, errors (non-2xx/3xx answers and socket errors), and each page's rate as a share of the login
page's. Never fails on time; it fails only when a page does not answer 200 before the load starts.

    .venv/bin/python bench/load_bench.py                       # SQLite in var/bench.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python bench/load_bench.py
    LOAD_SECONDS=20 LOAD_CONNECTIONS=8 LOAD_WORKERS=4 ...     # length, connections, gunicorn workers

The data is what `make bench` (bench/run.py) loads: 100,000 cases by default (BENCH_CASES); this script
loads them the same way when they are missing.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fasthold.settings")
os.environ.setdefault("FASTHOLD_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import run as page_bench  # noqa: E402  (bench/run.py: sets Django up and loads the data)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from fasthold.cases.models import Case  # noqa: E402

SECONDS = int(os.environ.get("LOAD_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session(username: str) -> str:
    """A logged-in session cookie for the demo user, as the page bench uses (force_login)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk(url: str, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if len(latency) < 2:
        sys.exit(f"wrk printed no latency distribution for {url}:\n{out}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _to_ms(latency["50"]),
        "p99": _to_ms(latency["99"]),
        "errors": errors,
    }


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    page_bench.ensure_data()
    kurt = Case.objects.get(person__name="Kurt Jensen")
    pages = [
        ("login page", "/login/", None),
        ("case list", "/cases/", "koordinator"),
        ("case page", f"/cases/{kurt.public_id}/", "koordinator"),
        ("deadline dashboard", "/calendar/", "koordinator"),
        ("worklist", "/worklist/", "koordinator"),
        ("employer portal", "/employer/", "leder"),
        ("one employee", f"/employer/{kurt.public_id}/", "leder"),
        ("employee portal", "/me/", "kurt"),
    ]
    cookies = {who: _session(who) for who in {who for _n, _u, who in pages if who}}
    port = _free_port()
    env = {**os.environ, "FASTHOLD_DEBUG": "0", "FASTHOLD_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "fasthold.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for name, path, who in pages:  # each page answers 200 for its user before it is measured
            request = urllib.request.Request(base + path)
            if who:
                request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={cookies[who]}")
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status != 200 or response.url != base + path:
                    sys.exit(f"{name}: {path} answered {response.status} at {response.url}")
        print(
            f"{Case.objects.count()} cases, {os.environ['DATABASE_URL'].split(':')[0]}, gunicorn {WORKERS} sync "
            f"workers, wrk {CONNECTIONS} connections for {SECONDS} s a page, {os.cpu_count()} cores"
        )
        print(f"{'page':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'of login':>9}")
        floor = None
        for name, path, who in pages:
            figures = _wrk(base + path, cookies.get(who))
            floor = floor or figures["rps"]
            print(
                f"{name:<22} {figures['rps']:>8.1f} {figures['p50']:>8.1f} {figures['p99']:>8.1f} "
                f"{figures['errors']:>7} {figures['rps'] / floor:>8.0%}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
