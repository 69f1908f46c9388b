"""Creating, rotating and revoking API clients and tokens. A token's text is returned once and never kept.

Each is recorded in the audit log. Its `fields` say which client ("api_client#<id>") and what changed
(the scopes' names, "expires_at"), never the token's text nor its lookup part."""

import datetime as dt
import hmac
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from fasthold.api.models import ApiCall, ApiClient, ApiRateWindow, ApiToken, Scope, hash_token, new_token
from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record

DEFAULT_DAYS = 365
MAX_DAYS = 730


def _client_ref(client: ApiClient) -> str:
    return f"api_client#{client.pk}"


def _issue(*, actor, client: ApiClient, days: int) -> tuple[ApiToken, str]:
    lookup, text = new_token()
    token = ApiToken.objects.create(
        client=client,
        lookup=lookup,
        secret_hash=hash_token(text),
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=AuditAction.API_TOKEN_ISSUED,
        organisation=client.organisation,
        fields=[_client_ref(client), "expires_at"],
    )
    return token, text


@transaction.atomic
def client_create(*, actor, organisation, name: str, scopes, days: int = DEFAULT_DAYS) -> tuple[ApiClient, str]:
    """A new client with its first token. Returns the client and the token's text (shown once)."""
    scopes = sorted({str(s) for s in scopes} & set(Scope.values))
    service_user = get_user_model()(
        username=f"api-{uuid.uuid4().hex[:20]}", first_name="API:", last_name=name[:150], is_active=False
    )
    service_user.set_unusable_password()
    service_user.save()
    client = ApiClient.objects.create(
        organisation=organisation, name=name, scopes=scopes, service_user=service_user, created_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.API_CLIENT_CREATED,
        organisation=organisation,
        fields=[_client_ref(client), "name", *scopes],
    )
    _token, text = _issue(actor=actor, client=client, days=days)
    return client, text


@transaction.atomic
def token_rotate(*, actor, client: ApiClient, days: int = DEFAULT_DAYS) -> str:
    """A new token for the client. The old ones stay valid until they expire or are revoked, so the
    other system can switch over without a gap."""
    _token, text = _issue(actor=actor, client=client, days=days)
    return text


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        client = token.client
        audit_record(
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKED,
            organisation=client.organisation,
            fields=[_client_ref(client), f"api_token#{token.pk}"],
        )


@transaction.atomic
def client_revoke(*, actor, client: ApiClient) -> None:
    now = timezone.now()
    revoked = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
    tokens = ApiToken.objects.filter(client=client, revoked_at__isnull=True).update(revoked_at=now)
    if revoked or tokens:
        audit_record(
            actor=actor,
            action=AuditAction.API_CLIENT_REVOKED,
            organisation=client.organisation,
            fields=[_client_ref(client), "revoked_at", *(["tokens"] if tokens else [])],
        )


def authenticate(text: str) -> ApiToken | None:
    """The valid token this text is, or None (unknown, wrong secret, expired, revoked)."""
    parts = text.split("_")
    if len(parts) < 3 or parts[0] != "fh" or len(parts[1]) != 12:
        return None
    token = (
        ApiToken.objects.select_related("client__organisation", "client__service_user").filter(lookup=parts[1]).first()
    )
    if token is None:
        return None
    if not hmac.compare_digest(token.secret_hash, hash_token(text)) or not token.is_valid():
        return None
    return token


def count_call(client_id: int, minute: int) -> int:
    """Count one call of the client in this minute and return the minute's count so far.

    One statement, INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count (PostgreSQL,
    and SQLite from 3.35): the database makes concurrent calls wait for each other on the row, so none
    is lost, and it commits at once (no ATOMIC_REQUESTS), so the row lock is held for that statement only.
    The first call of a minute deletes the client's older rows."""
    table = connection.ops.quote_name(ApiRateWindow._meta.db_table)
    sql = (
        f"INSERT INTO {table} (client_id, minute, count) VALUES (%s, %s, 1) "
        f"ON CONFLICT (client_id, minute) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [client_id, minute])
        count = cursor.fetchone()[0]
    if count == 1:
        ApiRateWindow.objects.filter(client_id=client_id, minute__lt=minute).delete()
    return count


def prune_calls(now: dt.datetime | None = None) -> int:
    """Delete the records of API calls older than settings.FASTHOLD_API_CALL_DAYS (the worker, daily):
    one row a call adds up, and the record is a log of use, not the audit log (a call's reads and
    changes of a case are audited there and kept with it). In slices, so no one statement holds a lock
    for long. Returns the number deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FASTHOLD_API_CALL_DAYS)
    deleted = 0
    while True:
        old = list(
            ApiCall.objects.filter(occurred_at__lt=cutoff).order_by("occurred_at").values_list("pk", flat=True)[:5000]
        )
        if not old:
            return deleted
        deleted += ApiCall.objects.filter(pk__in=old).delete()[0]
