"""Bench: the path past one machine. Two stateless app servers share a PostgreSQL primary, the task
worker runs on its own, and a streaming replica serves the evaluation's reads (fasthold.dbrouter).

It builds everything from Debian's PostgreSQL packages in a temporary folder and takes it down again:

1. a primary cluster and a replica made with pg_basebackup, streaming from it (hot standby);
2. the schema and the demo with SCALE_CASES synthetic cases (default 20,000) on the primary;
3. two gunicorn app servers on their own ports, both with DATABASE_URL = the primary and
   FASTHOLD_REPLICA_URL = the replica, and `fasthold worker` as a third process;

then checks and prints:
- that one session works on both app servers (sessions live in the database, not in a process);
- that the evaluation's pages read on the replica and the case pages do not (the replica's own
  count of rows returned, before and after);
- that a write on the primary is on the replica after so many milliseconds;
- the worker's outbox lag on /healthz of each app server;
- requests per second of the case list and the evaluation page on one app server, and on both at once.

    .venv/bin/python bench/scale_out.py                 # needs root (runs PostgreSQL as `postgres`) and wrk
    SCALE_CASES=100000 LOAD_SECONDS=10 ...              # size and load length

Not part of CI: it takes minutes and starts servers. Never fails on time; it fails when a check fails.
"""

import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
CASES = int(os.environ.get("SCALE_CASES", "20000"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
COOKIE = "sessionid"  # settings.SESSION_COOKIE_NAME (Django's default)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        sys.exit("PostgreSQL's server binaries are missing: apt-get install postgresql")
    return Path(found[-1]).parent


def _as_postgres(*command, check: bool = True, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, command)], check=check, **kwargs)


def _sql(port: int, query: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-At", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


class Cluster:
    def __init__(self, pg: Path, data: Path, port: int):
        self.pg, self.data, self.port = pg, data, port
        self.log = data.with_suffix(".log")  # beside the data folder: a base backup copies what is inside

    def start(self):
        _as_postgres(
            self.pg / "pg_ctl",
            "-D",
            self.data,
            "-o",
            f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1",
            "-l",
            self.log,
            "-w",
            "start",
            stdout=subprocess.DEVNULL,
        )

    def stop(self):
        _as_postgres(
            self.pg / "pg_ctl",
            "-D",
            self.data,
            "-m",
            "fast",
            "stop",
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def _wait_http(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"no answer from {url}")


def _get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url)
    if cookie:
        request.add_header("Cookie", f"{COOKIE}={cookie}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.url, response.read()


def _wrk(urls: list[str], cookie: str) -> float:
    """Total requests per second of one wrk per URL, run at the same time."""
    runs = [
        subprocess.Popen(
            ["wrk", "-t1", "-c4", f"-d{SECONDS}s", "-H", f"Cookie: {COOKIE}={cookie}", url],
            stdout=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    total, errors = 0.0, 0
    for run in runs:
        out = run.communicate()[0]
        total += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if errors:
        sys.exit(f"{errors} error answers under load at {urls}")
    return total


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    pg = _pg_bin()
    work = Path(tempfile.mkdtemp(prefix="fasthold-scale-"))
    os.chmod(work, 0o755)
    primary = Cluster(pg, work / "primary", _free_port())
    replica = Cluster(pg, work / "replica", _free_port())
    for folder in (primary.data, replica.data):
        folder.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
    processes: list[subprocess.Popen] = []
    for cluster in (primary, replica):
        cluster.log.touch()
        if os.geteuid() == 0:
            shutil.chown(cluster.log, "postgres")
    try:
        _as_postgres(pg / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", stdout=subprocess.DEVNULL)
        primary.start()
        _as_postgres(
            pg / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-D", replica.data, "-R"
        )
        replica.start()
        assert _sql(replica.port, "SELECT pg_is_in_recovery()") == "t", "the replica is no standby"
        _sql(primary.port, "CREATE DATABASE fasthold")
        primary_url = f"postgres://postgres@127.0.0.1:{primary.port}/fasthold"
        replica_url = f"postgres://postgres@127.0.0.1:{replica.port}/fasthold"
        env = {
            **os.environ,
            "DATABASE_URL": primary_url,
            "FASTHOLD_REPLICA_URL": replica_url,
            "FASTHOLD_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "FASTHOLD_DEBUG": "0",
        }
        started = time.perf_counter()
        subprocess.run([BIN / "fasthold", "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [BIN / "fasthold", "demo", "--cases", str(CASES), "--events", "5"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        _sql(primary.port, "ANALYZE", "fasthold")
        print(
            f"primary :{primary.port}, replica :{replica.port}; {CASES} cases loaded in "
            f"{time.perf_counter() - started:.0f} s"
        )

        # Replication lag: a row written on the primary, polled for on the replica.
        lsn = _sql(primary.port, "SELECT pg_current_wal_lsn()")
        t0 = time.perf_counter()
        while _sql(replica.port, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'") != "t":
            time.sleep(0.005)
        caught_up = time.perf_counter() - t0
        _sql(primary.port, "CREATE TABLE IF NOT EXISTS scale_probe (at timestamptz)", "fasthold")
        _sql(primary.port, "INSERT INTO scale_probe VALUES (now())", "fasthold")
        t0 = time.perf_counter()
        while _sql(replica.port, "SELECT count(*) FROM scale_probe", "fasthold") != "1":
            time.sleep(0.002)
        lag_ms = (time.perf_counter() - t0) * 1000
        print(f"replica caught up with the load {caught_up:.1f} s after it; one write seen there after {lag_ms:.0f} ms")

        # One session, made on the primary as any login would, used on both servers.
        session = (
            subprocess.run(
                [BIN / "python", "-c", _SESSION_CODE],
                env={**env, "DJANGO_SETTINGS_MODULE": "fasthold.settings"},
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()
        )
        cookie, program_id = session[-2], session[-1]

        ports = [_free_port(), _free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [BIN / "gunicorn", "fasthold.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
                    + ["--log-level", "warning"],
                    env=env,
                    cwd=ROOT,
                )
            )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_http(base + "/healthz")

        for base in bases:
            status, url, _body = _get(base + "/cases/", cookie)
            assert status == 200 and url == base + "/cases/", f"the session did not hold on {base}: {url}"
        print("one session: the case list answers 200 on both app servers")

        def returned() -> int:
            return int(_sql(replica.port, "SELECT tup_returned FROM pg_stat_database WHERE datname = 'fasthold'"))

        program = f"/evaluation/programs/{program_id}/"
        for label, path in (("case list", "/cases/"), ("evaluation page", program)):
            before = returned()
            for base in bases:
                for _ in range(3):
                    assert _get(base + path, cookie)[0] == 200, path
            time.sleep(0.7)  # the statistics collector reports every half second
            print(f"rows the replica returned for 6 requests of the {label}: {returned() - before}")

        print(f"\nwrk, {SECONDS} s, 4 connections per app server (2 gunicorn workers each), {os.cpu_count()} cores")
        print(f"{'page':<18} {'one server':>11} {'two servers':>12}")
        for label, path in (("case list", "/cases/"), ("evaluation page", program)):
            one = _wrk([bases[0] + path], cookie)
            both = _wrk([base + path for base in bases], cookie)
            print(f"{label:<18} {one:>9.1f}/s {both:>10.1f}/s")

        # The task worker as its own process, after the load (its first reminder run at this size takes a
        # core for a while): its periodic jobs run, and each app server reports the outbox on /healthz.
        processes.append(
            subprocess.Popen(
                [BIN / "fasthold", "worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        t0 = time.perf_counter()
        query = "SELECT count(*) FROM notifications_periodicrun WHERE name = 'notifications.outbox'"
        while _sql(primary.port, query, "fasthold") != "1":
            if time.perf_counter() - t0 > 120:
                sys.exit("the worker ran no periodic job in two minutes")
            time.sleep(0.5)
        print(f"\nthe worker's first tick ran {time.perf_counter() - t0:.1f} s after it started")
        for base in bases:
            health = json.loads(_get(base + "/healthz")[2])
            print(f"{base}/healthz: {health}")
    except subprocess.CalledProcessError:
        for cluster in (primary, replica):
            print(f"--- {cluster.log.name}:\n{cluster.log.read_text()[-2000:]}", file=sys.stderr)
        raise
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        replica.stop()
        primary.stop()
        shutil.rmtree(work, ignore_errors=True)


# Run in a child process with the servers' settings: a session for the coordinator, and a program id.
_SESSION_CODE = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from fasthold.screening.models import Program
client = Client()
client.force_login(get_user_model().objects.get(username="koordinator"))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(Program.objects.filter(organisation__memberships__user__username="koordinator").first().public_id)
"""

if __name__ == "__main__":
    main()
