"""The small kernel every app writes through: versioned updates, the two refusals a workflow can give,
and an append-only base for history rows. Django only; no app is imported here, so any app may import it."""

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def insert_rows(model, fields: list[str], rows, *, batch: int = 500, on_conflict: str = "") -> int:
    """Insert many rows of `model` as tuples of the named fields' values.

    For the bulk paths only (the demo's synthetic cases, the stored calendars, the worklist's sync):
    bulk_create builds a model instance and compiles every value through the ORM, four fifths of the
    time at millions of rows. Here only the values a driver cannot take as they are go through their
    field's conversion; no signals are sent and no primary keys come back. The columns not named get
    their field's default. `on_conflict` is an "ON CONFLICT ... DO ..." clause, which SQLite and
    PostgreSQL both understand. Returns the number of rows given.

    SQLite takes multi-row INSERTs. PostgreSQL takes COPY (through a temporary table when there is an
    `on_conflict`): psycopg parses a statement's placeholders in Python and caches only short
    statements, so a 500-row INSERT spent most of its time being split before it was sent."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    # Every other column gets the field's default, as a model instance would: computed per row when
    # it is a callable (a fresh UUID, the current time), once otherwise.
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]

    def maker(f):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return timezone.now
        return f.default if f.has_default() and callable(f.default) else None

    varying = [f for f in rest if maker(f) is not None]
    per_row = [maker(f) for f in varying]
    constant = [f for f in rest if maker(f) is None]
    columns = given + varying + constant
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: its proxy costs a lookup per attribute

    def needs_conversion(f) -> bool:
        # Only the kinds of value the database driver cannot take as Python gives them go through the
        # field (JSON; an aware datetime, which SQLite stores as naive UTC text; decimals and UUIDs on
        # SQLite). Text, numbers, booleans and dates are passed as they are, as the ORM would send them.
        return f.get_internal_type() in ("JSONField", "DateTimeField", "DecimalField", "UUIDField")

    # The caller's values repeat (they go through the memo); a per-row default (a fresh UUID, the time)
    # never does, and remembering a million of them only cost memory (converted directly); a fixed
    # default is converted once, here.
    remembered = [i for i, f in enumerate(given) if needs_conversion(f)]
    direct = [len(given) + i for i, f in enumerate(varying) if needs_conversion(f)]
    fixed = tuple(f.get_db_prep_save(f.get_default(), db) if needs_conversion(f) else f.get_default() for f in constant)
    memo: dict[tuple, object] = {}  # dates and times repeat across rows; each is converted once
    # A value that cannot be a key (a JSON dict) is remembered by identity, with the object kept so its
    # id is not reused: the demo gives the same few dicts to a million rows. A caller must not change
    # such an object between rows of one call.
    shared: dict[tuple, tuple] = {}

    def convert(i, value):
        try:
            return memo[i, value]
        except KeyError:
            memo[i, value] = for_db = columns[i].get_db_prep_save(value, db)
            return for_db
        except TypeError:
            known = shared.get((i, id(value)))
            if known is None or known[0] is not value:
                known = shared[i, id(value)] = (value, columns[i].get_db_prep_save(value, db))
            return known[1]

    count = 0

    def complete():
        nonlocal count
        for row in rows:
            row = (*row, *[make() for make in per_row], *fixed) if rest else row
            if remembered or direct:
                row = list(row)
                for i in remembered:
                    row[i] = convert(i, row[i])
                for i in direct:
                    row[i] = columns[i].get_db_prep_save(row[i], db)
            count += 1
            yield row

    if db.vendor == "postgresql":
        _copy_rows(db, meta.db_table, [f.column for f in columns], complete(), on_conflict)
        return count
    quote = db.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) VALUES "
    # SQLite's own placeholders, given to the driver's cursor: Django's cursor rewrote each statement's
    # thousands of "%s" with a regular expression, a tenth of the demo's time. Its error wrapper stays.
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    batch = min(batch, 30000 // len(columns))  # SQLite takes at most 32,766 parameters a statement
    tail = " " + on_conflict if on_conflict else ""
    full = head + ", ".join([one] * batch) + tail  # every batch but the last is the same statement
    chunk: list = []
    db.ensure_connection()
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
        try:

            def flush():
                sql = full if len(chunk) == batch else head + ", ".join([one] * len(chunk)) + tail
                cursor.execute(sql, [value for row in chunk for value in row])

            for row in complete():
                chunk.append(row)
                if len(chunk) == batch:
                    flush()
                    chunk = []
            if chunk:
                flush()
        finally:
            cursor.close()
    return count


def reserve_ids(model, count: int) -> list[int]:
    """`count` new primary keys for rows of `model` that the caller inserts with them (insert_rows), so a
    bulk path (the demo, the import) knows its rows' keys without bulk_create. PostgreSQL takes them from
    the table's sequence; SQLite counts on from the highest key it ever gave, which is safe because a
    write transaction holds the database's write lock (it must be called inside one)."""
    db = connections[DEFAULT_DB_ALIAS]
    table, pk = model._meta.db_table, model._meta.pk.column
    if count <= 0:
        return []
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if not db.in_atomic_block:
            raise RuntimeError("reserve_ids on SQLite needs the write transaction its rows go in with")
        quote = db.ops.quote_name
        # An AUTOINCREMENT table never gives a key again, not even a deleted row's: sqlite_sequence says
        # how far it has counted.
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX({quote(pk)}) AS n FROM {quote(table)}"
            " UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def insert_objects(model, objs: list) -> list:
    """Insert unsaved instances of `model` with fresh keys (reserve_ids) through insert_rows, for the bulk
    paths that need the keys back: what bulk_create does, without its per-value compilation, which was
    a fifth of the demo's time. No save(), no signals; auto_now fields are filled as bulk_create would.
    Returns the instances, each with its key."""
    if not objs:
        return objs
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        for f in stamped:
            f.pre_save(obj, add=True)
        obj._state.adding, obj._state.db = False, DEFAULT_DB_ALIAS
    names = [meta.pk.name] + [f.name for f in fields]
    attnames = [meta.pk.attname] + [f.attname for f in fields]
    insert_rows(model, names, ([getattr(obj, a) for a in attnames] for obj in objs))
    return objs


def _batches(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_rows(db, table: str, columns: list[str], rows, on_conflict: str) -> None:
    """PostgreSQL: COPY the rows into `table`, or, with an ON CONFLICT clause (which COPY lacks), into a
    temporary table of the same columns and from there with one INSERT ... SELECT."""
    quote = db.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        target = table
        if on_conflict:
            target = "fasthold_insert_rows"
            # CREATE TABLE AS: the given columns only, without the table's constraints (its NOT NULL id).
            cursor.execute(f"CREATE TEMPORARY TABLE {target} AS SELECT {names} FROM {quote(table)} WITH NO DATA")
        # In batches, each read before its COPY opens: the rows may come from a query on this same
        # connection (a server-side cursor), which cannot run while a COPY is in progress.
        # The driver's own cursor: its errors are put in Django's classes as the ORM's would be.
        for chunk in _batches(rows, 10_000):
            with db.wrap_database_errors, cursor.cursor.copy(f"COPY {quote(target)} ({names}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
        if on_conflict:
            cursor.execute(f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {target} {on_conflict}")
            cursor.execute(f"DROP TABLE {target}")


def refresh_statistics() -> bool:
    """Give SQLite's query planner fresh statistics (ANALYZE of every row, 4 s in all at 100,000 cases and
    3.3 million deadlines, a table at a time). SQLite keeps none until asked, and with stale ones it
    picked a unique index on a kind over the worklist's per-coordinator index once the table had grown:
    0.6 s instead of 20 ms a page. A sample of 1,000 rows an index was worse still: it took a few
    thousand deadlines for each of four organisations, and the employee's duties were read through the
    wrong index (0.3 s). PostgreSQL's autovacuum does this by itself. Returns whether it ran."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "sqlite":
        return False
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=0")  # every row: a sample misjudged the rare columns badly
        # A table at a time: ANALYZE holds the write lock while it reads, and the page views write their
        # read log. The largest table (the deadlines) takes a second at 100,000 cases; all at once took 4.
        cursor.execute("SELECT name FROM sqlite_master WHERE type = %s AND name NOT LIKE %s", ["table", "sqlite_%"])
        for (table,) in cursor.fetchall():
            cursor.execute(f"ANALYZE {quote(table)}")
        _count_nulls_apart(cursor, quote)
    return True


def _count_nulls_apart(cursor, quote) -> None:
    """Mend ANALYZE's estimate for indexes that lead with a nullable column. SQLite counts all NULLs as
    one value, so a column that is empty on most rows (the person's login, a participant's user) looked
    as if each value matched a third of the table: the employee's own case was then found by scanning
    every person (7 ms at 100,000 people, not 0.1). An equality never matches NULL, so the estimate the
    planner needs is rows per distinct value among the rows that have one. Partial indexes are left as
    they are: their figures count only the rows they hold, and the table's would not fit them."""
    cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL")
    stats = cursor.fetchall()
    nullable: dict[str, set] = {}  # per table: its nullable columns
    partial: dict[str, set] = {}  # per table: its partial indexes
    per_value: dict[tuple, int] = {}  # per (table, column): rows per distinct value, NULLs apart
    for table, index, stat in stats:
        if table not in nullable:
            cursor.execute(f"PRAGMA table_info({quote(table)})")
            nullable[table] = {name for _cid, name, _type, notnull, _default, _pk in cursor.fetchall() if not notnull}
            cursor.execute(f"PRAGMA index_list({quote(table)})")
            partial[table] = {row[1] for row in cursor.fetchall() if row[4]}
        if index in partial[table]:
            continue
        cursor.execute(f"PRAGMA index_info({quote(index)})")
        first = next((name for seqno, _cid, name in cursor.fetchall() if seqno == 0), None)
        if first not in nullable[table]:  # NOT NULL, or an index on an expression (no name)
            continue
        tokens = stat.split(" ")
        numbers = [int(t) for t in tokens if t.isdigit()]
        if len(numbers) < 2:
            continue
        if (table, first) not in per_value:
            cursor.execute(f"SELECT COUNT({quote(first)}), COUNT(DISTINCT {quote(first)}) FROM {quote(table)}")
            present, distinct = cursor.fetchone()
            # No value at all: an equality matches nothing.
            per_value[table, first] = max(1, -(-present // distinct)) if distinct else 1
        estimate = per_value[table, first]
        if estimate >= numbers[1]:
            continue
        # Each further column narrows the first; none may claim more rows than it.
        mended = [str(numbers[0])] + [str(min(n, estimate)) for n in numbers[1:]]
        mended += [t for t in tokens if not t.isdigit()]  # SQLite's flags ("unordered", "sz=")
        cursor.execute(
            "UPDATE sqlite_stat1 SET stat = %s WHERE tbl = %s AND idx = %s", [" ".join(mended), table, index]
        )
    cursor.execute("ANALYZE sqlite_master")  # the planner reads the statistics again


_PLACEHOLDER = -7_654_321  # an id no row has: a prepared query is compiled with it in its place


def prepared(build):
    """A query every page asks, compiled once per process: `build(value)` makes the queryset for one
    value (a user's id), and the function returned runs it for any value as the SQL Django wrote, with
    the value put where the placeholder was. Returns the rows as dicts by column name.

    For the few small queries of the page's frame (the user's roles, the unread count): Django spent
    7-10 ms building and compiling the roles' query, which then ran in 0.05 ms. Only for querysets whose
    one varying value is `value`; the rest of the SQL must not depend on it."""
    compiled: dict[str, tuple] = {}

    def run(value) -> list[dict]:
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor not in compiled:
            sql, params = build(_PLACEHOLDER).query.sql_with_params()
            slots = [i for i, param in enumerate(params) if param == _PLACEHOLDER]
            if not slots:
                raise ValueError("the prepared query does not use its value")
            compiled[db.vendor] = (sql, list(params), slots)
        sql, params, slots = compiled[db.vendor]
        params = list(params)
        for i in slots:
            params[i] = value
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    return run


class ConflictError(Exception):
    """Someone else saved the same object since this edit began; nothing was written."""


class NotAllowed(Exception):
    """The workflow does not allow this now (for example editing a plan version that is no longer a
    draft, changing a cancelled meeting, erasing a case that is not closed). The message, if any, is a
    code or a fixed English sentence, never user text."""


def update_versioned(model, obj, expected_version: int, values: dict[str, Any]) -> None:
    """Write `values` to `obj` only if its row still has `expected_version`, and bump the version, in
    one UPDATE; ConflictError (nothing written) when someone saved first. `obj` is brought up to date."""
    extra = {"updated_at": timezone.now()} if hasattr(obj, "updated_at") else {}
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values, **extra
    )
    if not updated:
        raise ConflictError
    for name, value in values.items():
        setattr(obj, name, value)
    obj.version = expected_version + 1


class AppendOnlyError(ValueError):
    """Ordinary code tried to change or delete a row of history."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses update() and delete(), except for the fields a model names in `amendable_fields`.

    Erasure (fasthold.privacy) still removes these rows with the case: Django's deletion Collector
    goes through the model's `_base_manager` (a plain manager, deliberately not this queryset) and
    deletes with `sql.DeleteQuery` / `_raw_delete`, never `QuerySet.delete()`."""

    def update(self, **kwargs):
        refused = set(kwargs) - set(self.model.amendable_fields)
        if refused:
            raise AppendOnlyError(f"{self.model._meta.label} rows are append-only.")
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only.")

    delete.alters_data = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """A row is written once. Saving an existing row, deleting it, and queryset update()/delete()
    raise AppendOnlyError. A model may name fields that a later queryset update may set
    (`amendable_fields`, e.g. a consent's withdrawal stamp); its other fields stay as written."""

    amendable_fields: tuple[str, ...] = ()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only.")
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows are append-only.")

    delete.alters_data = True


class EnteredInErrorQuerySet(models.QuerySet):
    """Rows marked as entered in error stay in the table (staff see them struck through); every other
    reader, every count and every indicator asks for `valid()`."""

    def valid(self):
        return self.filter(error_at__isnull=True)

    def for_reader(self, *, is_staff: bool):
        """All rows for the case-owning organisation's staff (shown struck through), the valid ones
        for everyone else."""
        return self if is_staff else self.valid()


class EnteredInErrorMixin(models.Model):
    """Marks a row as entered in error: kept, struck through for staff, hidden from everyone else.
    The reason may hold case text, so it is shown to staff only and never written to the audit log."""

    error_at = models.DateTimeField(_("entered in error, marked on"), null=True, blank=True, editable=False)
    error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("entered in error, marked by"),
    )
    error_reason = models.TextField(_("why it was entered in error"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_entered_in_error(self) -> bool:
        return self.error_at is not None


ERROR_FIELDS = ("error_at", "error_by", "error_reason")


class AppendOnlyCorrectableQuerySet(AppendOnlyQuerySet, EnteredInErrorQuerySet):
    """An append-only history whose rows may still be marked as entered in error (and nothing else)."""
