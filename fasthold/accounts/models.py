from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.accounts.fields import EncryptedCharField


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    """A person who logs in: coordinator, manager, employee or health professional.

    What a user may see follows from organisation memberships and case participation
    (fasthold.cases.access), never from flags on the user.
    """

    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.DANISH
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class TwoFactorDevice(models.Model):
    """A user's authenticator app: the shared TOTP secret, and the last time step used.

    A device counts once it is confirmed with a code; until then it is an enrolment in progress.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor_device")
    # The app needs the secret itself to compute codes, so it cannot be hashed like a password: it is
    # encrypted with FASTHOLD_FIELD_KEYS instead, and the column only ever holds the token.
    secret = EncryptedCharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # RFC 6238 time step of the last accepted code; a code for this step or earlier is refused.
    last_used_step = models.BigIntegerField(null=True, blank=True)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def __str__(self) -> str:
        return f"two-factor device of user {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time code for logging in without the phone. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]


class AttemptKind(models.TextChoices):
    PASSWORD = "password", _("Password")
    CODE = "code", _("Two-factor code")
    RECOVERY = "recovery", _("Recovery code")


class LoginAttempt(models.Model):
    """A failed login step, kept for rate limiting across processes and workers.

    Never a password, and not the typed username either (people sometimes type their password in
    that field): only a keyed hash of the casefolded username, so attempts on one name can be counted.
    """

    occurred_at = models.DateTimeField(default=timezone.now)
    username_key = models.CharField(max_length=64)
    # The client address as the limits count it (lockout.address_bucket: IPv6 by its /64 network).
    ip = models.GenericIPAddressField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=AttemptKind.choices)
    # A hash of the trusted browser's device cookie id when the failure came from one: such failures
    # count against that browser only, not against the username or the address. Empty otherwise.
    device_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [
            # The two lock checks at every login: the newest failures for a name, and for an address.
            models.Index(fields=["username_key", "-occurred_at"], name="login_attempt_name_idx"),
            models.Index(fields=["ip", "-occurred_at"], name="login_attempt_ip_idx"),
            # Whether a device cookie is still trusted; only rows from trusted browsers are indexed.
            models.Index(
                fields=["device_key", "-occurred_at"],
                name="login_attempt_device_idx",
                condition=~models.Q(device_key=""),
            ),
            # Pruning old rows.
            models.Index(fields=["occurred_at"], name="login_attempt_time_idx"),
        ]


class AddressSlot(models.Model):
    """When a slowed-down address (fasthold.accounts.lockout) may have its next password check.

    Claimed inside a transaction with the row locked, so parallel requests from one address cannot all
    take the same slot. Rows of addresses that have been quiet for a while are pruned."""

    ip = models.GenericIPAddressField(unique=True)
    next_check_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["next_check_at"], name="address_slot_time_idx")]  # pruning


class ExternalIdentity(models.Model):
    """A login at an external identity provider (single sign-on, fasthold.accounts.sso) linked to a user.

    A login is matched by (provider, subject) only: the subject is the provider's stable identifier for
    the person, never their name or e-mail address, which can change hands. One subject per provider and
    user; a link is made by accepting an invitation (sso.link_identity), never by logging in alone.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    # The provider's slug in FASTHOLD_OIDC_PROVIDERS. Both constraints below start with it or the user,
    # so it needs no index of its own.
    provider = models.SlugField(max_length=40, db_index=False)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_subject_unique"),
            models.UniqueConstraint(fields=["user", "provider"], name="external_identity_user_provider_unique"),
        ]

    def __str__(self) -> str:
        # Not the subject: it identifies the person at the provider.
        return f"{self.provider} identity of user {self.user_id}"
