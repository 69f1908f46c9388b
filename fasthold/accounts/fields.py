"""A model field that stores its text encrypted with FASTHOLD_FIELD_KEYS (fasthold.accounts.crypto).

Python code sees the text; the database only ever holds a Fernet token. Tokens differ on every save,
so the field cannot be filtered on; it is for secrets that are read by primary key.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from fasthold.accounts import crypto


def field_keys() -> tuple[str, ...]:
    """The Fernet keys, newest first; in development a key derived from SECRET_KEY (settings.py
    refuses to start production without FASTHOLD_FIELD_KEYS, and `check --deploy` warns)."""
    keys = tuple(getattr(settings, "FASTHOLD_FIELD_KEYS", ()) or ())
    return keys or (crypto.development_key(settings.SECRET_KEY),)


def using_development_key() -> bool:
    return not getattr(settings, "FASTHOLD_FIELD_KEYS", None)


class UndecryptableValue(ImproperlyConfigured):
    """No key in FASTHOLD_FIELD_KEYS opens a stored token. Carries no part of the token or the text."""


def decrypt_stored(token: str) -> str:
    try:
        return crypto.decrypt(field_keys(), token)
    except crypto.InvalidToken:
        raise UndecryptableValue(
            "A stored secret could not be decrypted with FASTHOLD_FIELD_KEYS. Was a key removed before "
            "`fasthold rotate_keys` re-encrypted everything with the newest key?"
        ) from None


class EncryptedCharField(models.CharField):
    """max_length is the column's, for the token; a token is about 1.4 times the text plus 100."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt_stored(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(field_keys(), value)

    def value_to_string(self, obj):
        # Serialised copies (dumpdata, backups) carry the token, never the secret.
        value = self.value_from_object(obj)
        return None if value is None else crypto.encrypt(field_keys(), value)

    def to_python(self, value):
        # Loading a serialised copy gives a token back; text typed into Python stays as it is.
        if isinstance(value, str) and value.startswith("gAAAAA"):
            try:
                return crypto.decrypt(field_keys(), value)
            except crypto.InvalidToken:
                pass
        return super().to_python(value)


def rewrite_column(connection, *, model, field_name: str, change) -> int:
    """Replace each stored value of one column by change(value), with raw SQL so that the field's own
    encryption stays out of it (used by the data migration and `fasthold rotate_keys`). An UPDATE only
    applies while the row still holds the value read, so a concurrent change is never overwritten."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    column = quote(model._meta.get_field(field_name).column)
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {pk}")
        for row_pk, value in cursor.fetchall():
            new = change(value)
            if new is None or new == value:
                continue
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s", [new, row_pk, value])
            changed += cursor.rowcount
    return changed
