from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from fasthold.accounts import crypto
from fasthold.accounts.fields import EncryptedCharField, field_keys, rewrite_column


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (two-factor secrets) with the newest key, the first in "
        "FASTHOLD_FIELD_KEYS. Put a new key first, run this, then remove the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-development-key",
            action="store_true",
            help="Also decrypt with the development key derived from SECRET_KEY, for an installation that "
            "ran without FASTHOLD_FIELD_KEYS and has just set it.",
        )

    def handle(self, *args, from_development_key: bool = False, **options):
        keys = field_keys()
        if from_development_key:
            keys = (*keys, crypto.development_key(settings.SECRET_KEY))
        total = 0
        try:
            with transaction.atomic():
                for model in apps.get_models():
                    for field in model._meta.concrete_fields:
                        if isinstance(field, EncryptedCharField):
                            total += self.rotate(model, field, keys)
        except crypto.InvalidToken:
            # Nothing was changed (one transaction); the message names no value.
            raise CommandError(
                "A stored value cannot be decrypted with any key in FASTHOLD_FIELD_KEYS; "
                "nothing was changed. Put back the key it was encrypted with.",
                returncode=2,
            ) from None
        self.stdout.write(f"Re-encrypted {total} stored secret(s) with the newest key.")

    @staticmethod
    def rotate(model, field, keys) -> int:
        return rewrite_column(
            connection, model=model, field_name=field.name, change=lambda token: crypto.rotate(keys, token)
        )
