"""Two-factor secrets encrypted at rest: a wider column for the Fernet token, then every stored secret
encrypted with the newest key of FASTHOLD_FIELD_KEYS. Reversible: going back decrypts them."""

from django.db import migrations

import fasthold.accounts.fields
from fasthold.accounts import crypto
from fasthold.accounts.fields import field_keys, rewrite_column


def _is_token(value: str) -> bool:
    try:
        crypto.decrypt(field_keys(), value)
    except crypto.InvalidToken:
        return False
    return True


def encrypt_secrets(apps, schema_editor):
    keys = field_keys()
    rewrite_column(schema_editor.connection, model=apps.get_model("accounts", "TwoFactorDevice"), field_name="secret",
                   change=lambda value: None if _is_token(value) else crypto.encrypt(keys, value))


def decrypt_secrets(apps, schema_editor):
    keys = field_keys()
    rewrite_column(schema_editor.connection, model=apps.get_model("accounts", "TwoFactorDevice"), field_name="secret",
                   change=lambda value: crypto.decrypt(keys, value) if _is_token(value) else None)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_login_device_and_address_slot"),
    ]

    operations = [
        migrations.AlterField(
            model_name="twofactordevice",
            name="secret",
            field=fasthold.accounts.fields.EncryptedCharField(max_length=255),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
    ]
