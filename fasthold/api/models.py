"""API clients of an organisation and their tokens.

A client acts as staff of its organisation, limited by its scopes. Its calls are recorded in the audit
log under a service user of its own (no membership, no password, inactive: it cannot log in and is in
no staff list), so "who" in every audit row is the client. A token is shown once; only its SHA-256 is
kept, found by a short non-secret prefix.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CASES_READ = "cases:read", _("Read cases")
    DEADLINES_READ = "deadlines:read", _("Read deadlines")
    PLANS_READ = "plans:read", _("Read plans")
    SCHEDULES_READ = "schedules:read", _("Read schedules")
    MEETINGS_READ = "meetings:read", _("Read meetings")
    CASES_WRITE = "cases:write", _("Create and change cases")
    OUTCOMES_WRITE = "outcomes:write", _("Record outcomes (close a case)")
    IMPORT = "import", _("Import new sick-listed persons")
    HEALTH_READ = "health:read", _("Read health information (diagnosis, symptoms, treatment)")


TOKEN_PREFIX = "fh"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(lookup prefix, the whole token). The prefix is not secret; the rest is 256 random bits."""
    lookup = secrets.token_hex(6)
    return lookup, f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"


class ApiClient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="api_clients")
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    # The audit log's actor for this client's calls (see the module's docstring).
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiToken(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    lookup = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.client.revoked_at is None


class ApiCall(models.Model):
    """One API call: which client, what (method, route, status, case), when. The path is the route's
    pattern with ids, never a query string, so no name search, CPR number or health text is kept."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    client = models.ForeignKey(ApiClient, null=True, on_delete=models.CASCADE, related_name="calls")
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["client", "-occurred_at"], name="api_call_client_time_idx")]


class ApiRateWindow(models.Model):
    """The rate limit's counter: a client's calls in one minute (minutes since the epoch). Counted in
    the database with one atomic upsert per call, not in the cache: the database cache's incr() reads
    and then writes (concurrent calls are undercounted) and its culling may evict a counter. Rows of
    past minutes are deleted as a client starts a new minute."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "minute"], name="api_rate_window_unique")]
