"""System checks for the keys of encrypted fields (registered in AccountsConfig.ready)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from fasthold.accounts import crypto
from fasthold.accounts.fields import using_development_key


@register(Tags.security)
def field_keys_valid(app_configs, **kwargs):
    bad = crypto.invalid_keys(getattr(settings, "FASTHOLD_FIELD_KEYS", []) or [])
    return [
        Error(
            f"Key number {position} in FASTHOLD_FIELD_KEYS is not a Fernet key.",
            hint='Generate one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"',
            id="fasthold.accounts.E001",
        )
        for position in bad
    ]


@register(Tags.security, deploy=True)
def field_keys_set(app_configs, **kwargs):
    if not using_development_key():
        return []
    return [
        Warning(
            "FASTHOLD_FIELD_KEYS is not set, so two-factor secrets are encrypted with a development key "
            "derived from SECRET_KEY.",
            hint="Set FASTHOLD_FIELD_KEYS to a key of your own (see README, Security), then run "
            "`fasthold rotate_keys --from-development-key`.",
            id="fasthold.accounts.W001",
        )
    ]
