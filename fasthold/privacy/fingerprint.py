"""Every table's row count and a SHA-256 over its content: proof that a restore brought back exactly
what was backed up. Works on any DB-API cursor (Django's, or sqlite3's on a backup file), so the
fingerprint of a backup file and of the restored database are computed the same way.

Values are read as text by the database itself (CAST … AS TEXT; blobs as hex), so no driver
conversion (dates, decimals, booleans, JSON) can make equal contents look different. Rows are
hashed in primary-key order (all columns where a table has none)."""

import hashlib
import json

_CHUNK = 2000


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor) -> list[tuple[str, list[str], list[str]]]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables = [row[0] for row in cursor.fetchall()]
    result = []
    for table in tables:
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        info = cursor.fetchall()  # cid, name, type, notnull, default, pk position (0: not in the key)
        columns = [row[1] for row in info]
        key = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        result.append((table, columns, key))
    return result


def _postgresql_tables(cursor) -> list[tuple[str, list[str], list[str]]]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    result = []
    for table in tables:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        columns = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            [_quote(table)],
        )
        key = [row[0] for row in cursor.fetchall()]
        result.append((table, columns, key))
    return result


def _as_text(column: str, vendor: str) -> str:
    q = _quote(column)
    if vendor == "sqlite":
        # A blob cast to text may not be valid UTF-8; its hex always is.
        return f"CASE WHEN typeof({q}) = 'blob' THEN hex({q}) ELSE CAST({q} AS TEXT) END"
    return f"CAST({q} AS TEXT)"


def fingerprints(cursor, vendor: str) -> dict[str, dict[str, object]]:
    """{table: {"rows": n, "sha256": hex}} for every table of the database `cursor` reads."""
    if vendor == "sqlite":
        tables = _sqlite_tables(cursor)
    elif vendor == "postgresql":
        tables = _postgresql_tables(cursor)
    else:
        raise ValueError(f"No fingerprint for database vendor {vendor!r}.")
    result = {}
    for table, columns, key in tables:
        select = ", ".join(_as_text(c, vendor) for c in columns)
        order = ", ".join(_quote(c) for c in key) if key else ", ".join(str(i + 1) for i in range(len(columns)))
        cursor.execute(f"SELECT {select} FROM {_quote(table)} ORDER BY {order}")
        digest, rows = hashlib.sha256(), 0
        digest.update(json.dumps(columns).encode())
        while batch := cursor.fetchmany(_CHUNK):
            for row in batch:
                digest.update(json.dumps(list(row), ensure_ascii=False).encode())
                digest.update(b"\n")
            rows += len(batch)
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def differences(expected: dict, actual: dict) -> list[str]:
    """Readable lines for every table that is missing, extra, or differs in rows or content."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            lines.append(f"{table}: missing")
        elif table not in expected:
            lines.append(f"{table}: not in the backup")
        elif expected[table] != actual[table]:
            lines.append(
                f"{table}: {actual[table]['rows']} rows (backup: {expected[table]['rows']})"
                + ("" if expected[table]["rows"] != actual[table]["rows"] else ", content differs")
            )
    return lines
