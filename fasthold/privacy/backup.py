"""Backup and restore of the whole database, each backup with a manifest of every table's row count
and checksum (fingerprint.py), checked after a restore.

SQLite: Python's online backup API (a consistent copy while the site runs). PostgreSQL: `pg_dump -Fc`
and `pg_restore --clean --if-exists`; the credentials go to them in PG* environment variables,
never on the command line, where any user of the machine could read them in the process list."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections, transaction

from fasthold.privacy import fingerprint


class BackupError(Exception):
    """A backup or restore could not be made; the message says why (no personal data)."""


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def current_fingerprints(using: str = "default") -> dict:
    connection = connections[using]
    with connection.cursor() as cursor:
        return fingerprint.fingerprints(cursor, connection.vendor)


def backup(path: Path, using: str = "default") -> dict:
    """Write the database to `path` and its fingerprints to `<path>.manifest.json`; return them."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup runs outside any transaction.")
    tmp = path.with_name(f".{path.name}.partial")
    # A backup holds every person's health data: readable by its owner only, the manifest too.
    old_umask = os.umask(0o077)
    try:
        if connection.vendor == "sqlite":
            tables = _sqlite_backup(connection, tmp)
        elif connection.vendor == "postgresql":
            tables = _pg_backup(connection, tmp)
        else:
            raise BackupError(f"Backups of {connection.vendor} are not supported.")
        os.replace(tmp, path)
        os.chmod(path, 0o600)
        manifest = {"vendor": connection.vendor, "tables": tables}
        manifest_path(path).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    finally:
        os.umask(old_umask)
        tmp.unlink(missing_ok=True)
    return manifest


def restore(path: Path, using: str = "default") -> list[str]:
    """Replace the database with the backup at `path`. Returns the differences from the backup's
    manifest afterwards (empty: every table's rows and checksum match)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    mpath = manifest_path(path)
    manifest = json.loads(mpath.read_text()) if mpath.is_file() else None
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A restore runs outside any transaction.")
    if manifest is not None and manifest.get("vendor") != connection.vendor:
        raise BackupError(f"The backup is of {manifest.get('vendor')}, the database is {connection.vendor}.")
    if connection.vendor == "sqlite":
        _sqlite_restore(connection, path)
    elif connection.vendor == "postgresql":
        _pg_restore(connection, path)
    else:
        raise BackupError(f"Restores to {connection.vendor} are not supported.")
    if manifest is None:
        return ["no manifest next to the backup: nothing to compare with"]
    return fingerprint.differences(manifest["tables"], current_fingerprints(using))


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_backup(connection, target: Path) -> dict:
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
        # The manifest is read from the copy itself, so it describes exactly what was saved even
        # if the site wrote to the database a moment later.
        return fingerprint.fingerprints(dst.cursor(), "sqlite")
    finally:
        dst.close()


def _sqlite_restore(connection, source: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            ok = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            has_django = src.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        except sqlite3.DatabaseError:
            ok = has_django = False
        if not (ok and has_django):
            raise BackupError(f"{source} is not a sound Fasthold SQLite backup.")
        connection.ensure_connection()
        src.backup(connection.connection)
    finally:
        src.close()


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_env(connection) -> dict[str, str]:
    params = connection.get_connection_params()
    env = dict(os.environ)
    for key, var in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
        ("sslmode", "PGSSLMODE"),
    ):
        if params.get(key) not in (None, ""):
            env[var] = str(params[key])
    return env


def _pg_tool(connection, name: str) -> str:
    """The pg_dump/pg_restore of the server's major version where installed side by side (Debian's
    /usr/lib/postgresql/N/bin), else FASTHOLD_PG_BINDIR, else the one on PATH."""
    connection.ensure_connection()
    major = connection.pg_version // 10000
    for folder in (os.environ.get("FASTHOLD_PG_BINDIR"), f"/usr/lib/postgresql/{major}/bin"):
        if folder and (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL {major} client tools are needed).")
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _pg_backup(connection, target: Path) -> dict:
    pg_dump = _pg_tool(connection, "pg_dump")
    env = _pg_env(connection)
    # pg_dump reads the snapshot exported by this transaction, and the manifest is computed in
    # it too: both see exactly the same data however busy the site is.
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
            return fingerprint.fingerprints(cursor, "postgresql")


def _pg_restore(connection, source: Path) -> None:
    pg_restore = _pg_tool(connection, "pg_restore")
    env = _pg_env(connection)
    with tempfile.TemporaryDirectory() as tmp:  # pg_restore --list checks the file before anything is dropped
        _run([pg_restore, "--list", f"--file={Path(tmp) / 'list'}", str(source)], env)
    dbname = env.get("PGDATABASE", "")
    # Our own connection would hold locks pg_restore's DROPs wait for.
    connection.close()
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={dbname}", str(source)],
        env,
    )
