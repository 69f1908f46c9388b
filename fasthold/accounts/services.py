"""Two-factor authentication and login rate limiting. Each change writes its audit row in the same
transaction. Nothing here logs or audits a secret, a code, a password or a typed username."""

import datetime as dt
import hashlib
import ipaddress
import logging
import secrets
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from fasthold.accounts import lockout, totp
from fasthold.accounts.models import AddressSlot, AttemptKind, LoginAttempt, RecoveryCode, TwoFactorDevice, User
from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES
from fasthold.cases.models import Participant
from fasthold.kernel import NotAllowed
from fasthold.organisations.models import CASE_OWNER_KINDS, Membership, OrgRole

log = logging.getLogger("fasthold.accounts")

# Attempt rows older than this are of no use to the lock checks and are pruned.
ATTEMPT_RETENTION = dt.timedelta(days=1)


class InvalidCode(Exception):
    """The code is wrong, or (replayed=True) right but already used."""

    def __init__(self, replayed: bool = False):
        super().__init__("replayed code" if replayed else "wrong code")
        self.replayed = replayed


# --- who must use two-factor -------------------------------------------------------------------


def two_factor_required(user) -> bool:
    """Coordinators and administrators of a jobcentre or clinic, and health professionals (by
    membership, or taking part in a case): the people who read health information about others.
    One query."""
    memberships = Membership.objects.filter(
        user=OuterRef("pk"), role__in=(OrgRole.COORDINATOR, OrgRole.ADMIN), organisation__kind__in=CASE_OWNER_KINDS
    )
    # A health professional can be added to a case at any time, so the second factor comes with
    # the membership, before the first case.
    health_membership = Membership.objects.filter(user=OuterRef("pk"), role=OrgRole.HEALTH_PROFESSIONAL)
    health = Participant.objects.filter(user=OuterRef("pk"), role__in=HEALTH_PROFESSIONAL_ROLES)
    flags = (
        User.objects.filter(pk=user.pk)
        .values(staff=Exists(memberships), health=Exists(health), health_member=Exists(health_membership))
        .first()
    )
    return bool(flags and (flags["staff"] or flags["health"] or flags["health_member"]))


def confirmed_device(user) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def audit_organisation(user):
    """The case-owning organisation whose administrators see this user's security events, if any."""
    if user is None:
        return None
    membership = (
        Membership.objects.filter(user=user, organisation__kind__in=CASE_OWNER_KINDS)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    return membership.organisation if membership else None


def _audit(*, user, action, fields=()) -> None:
    audit_record(actor=user, action=action, organisation=audit_organisation(user), fields=fields)


# --- enrolment ---------------------------------------------------------------------------------


def device_start(*, user) -> TwoFactorDevice:
    """The device being enrolled: a fresh secret, kept until confirmed so a reload shows the same QR code."""
    device, _ = TwoFactorDevice.objects.get_or_create(user=user, defaults={"secret": totp.generate_secret()})
    return device


def _new_recovery_codes(user) -> list[str]:
    codes = totp.generate_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=totp.hash_recovery_code(c)) for c in codes])
    return codes


def _accept_code(device: TwoFactorDevice, code: str, *, at: float) -> int:
    """Record the code's time step as used, or raise InvalidCode. The conditional UPDATE makes two
    requests racing with the same code accept it once."""
    step = totp.match_step(device.secret, code, at=at)
    if step is None:
        raise InvalidCode()
    if totp.is_replay(step, device.last_used_step):
        raise InvalidCode(replayed=True)
    fresh = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    if not TwoFactorDevice.objects.filter(pk=device.pk).filter(fresh).update(last_used_step=step):
        raise InvalidCode(replayed=True)
    device.last_used_step = step
    return step


@transaction.atomic
def device_confirm(*, user, code: str, at: float | None = None) -> list[str]:
    """Turn two-factor on with a first code from the app. Returns the recovery codes, to show once."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise NotAllowed("no enrolment in progress")
    if device.is_confirmed:
        raise NotAllowed("already on")
    _accept_code(device, code, at=time.time() if at is None else at)
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    codes = _new_recovery_codes(user)
    _audit(user=user, action=AuditAction.TWO_FACTOR_ENABLED)
    log.info("two-factor enabled user=%s", user.pk)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user, code: str, at: float | None = None) -> list[str]:
    """New recovery codes (the old ones stop working), confirmed with a current code."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise NotAllowed("two-factor is off")
    _accept_code(device, code, at=time.time() if at is None else at)
    codes = _new_recovery_codes(user)
    # No action of its own yet: recorded as a change to the two-factor setup, naming what changed.
    _audit(user=user, action=AuditAction.TWO_FACTOR_ENABLED, fields=["recovery_codes"])
    log.info("recovery codes renewed user=%s", user.pk)
    return codes


@transaction.atomic
def device_disable(*, user, code: str, at: float | None = None) -> None:
    """Turn two-factor off, confirmed with a current code; only where it is optional."""
    if settings.FASTHOLD_2FA_REQUIRED and two_factor_required(user):
        raise NotAllowed("two-factor is required for this user")
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise NotAllowed("two-factor is off")
    _accept_code(device, code, at=time.time() if at is None else at)
    device.delete()
    RecoveryCode.objects.filter(user=user).delete()
    _audit(user=user, action=AuditAction.TWO_FACTOR_DISABLED)
    log.info("two-factor disabled user=%s", user.pk)


@transaction.atomic
def device_reset(*, user) -> bool:
    """An operator's reset for a user who lost both phone and recovery codes (`fasthold two_factor_reset`).
    No acting user: the audit row's actor is empty and its field says it was a reset."""
    deleted, _ = TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=None, action=AuditAction.TWO_FACTOR_DISABLED, organisation=audit_organisation(user), fields=["reset"]
        )
        log.info("two-factor reset user=%s", user.pk)
    return bool(deleted)


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- the code step at login --------------------------------------------------------------------


def login_code_check(*, user, code: str, at: float | None = None) -> None:
    """Accept a code from the app at login, or raise InvalidCode."""
    device = confirmed_device(user)
    if device is None:
        raise InvalidCode()
    _accept_code(device, code, at=time.time() if at is None else at)


def login_recovery_code_use(*, user, code: str) -> None:
    """Accept and use up a recovery code at login, or raise InvalidCode. Each works once."""
    used = RecoveryCode.objects.filter(user=user, code_hash=totp.hash_recovery_code(code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise InvalidCode()
    log.info("recovery code used user=%s", user.pk)


# --- rate limiting -----------------------------------------------------------------------------


def username_key(username: str) -> str:
    """A keyed hash of the casefolded username: counts attempts on a name without storing what was typed.

    NFKC first, as Django normalises usernames, so look-alike spellings ("ｋoordinator" in full-width
    letters) that log into the same account count against the same limit."""
    name = unicodedata.normalize("NFKC", username).casefold().strip()
    return salted_hmac("fasthold.accounts.username_key", name, algorithm="sha256").hexdigest()


def client_ip(request) -> str | None:
    """The client's address; behind FASTHOLD_TRUSTED_PROXIES proxies, the one the outermost proxy saw."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.FASTHOLD_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def current_time() -> dt.datetime:
    """The time every limit is reckoned from; one function, so tests can move the clock."""
    return timezone.now()


# A trusted browser: after a complete login (password and, where required, a code) the browser gets a
# signed cookie naming that username's key and a random id. Presented again for the same username it
# exempts the browser from the username lock and the address slow-down (OWASP "device cookies"), so
# nobody else can keep the user out of their own browser. It holds entries for the last few users of a
# shared browser; failures from it count against its id only.
DEVICE_COOKIE = "fasthold_device"
_DEVICE_SALT = "fasthold.accounts.device_cookie"
DEVICE_COOKIE_USERS = 8


def _device_entries(cookie: str | None) -> list[tuple[str, str, int]]:
    """(id, username key, issued unix time) entries of a device cookie; none if it is missing, forged,
    altered or malformed."""
    if not cookie:
        return []
    try:
        entries = signing.loads(cookie, salt=_DEVICE_SALT)
    except signing.BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [
        tuple(e)
        for e in entries
        if isinstance(e, list)
        and len(e) == 3
        and isinstance(e[0], str)
        and isinstance(e[1], str)
        and isinstance(e[2], int)
    ]


def _device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def device_cookie_issue(*, cookie: str | None, username: str, now: dt.datetime | None = None) -> str:
    """The device cookie to set after a complete login: a fresh id for this username (a browser that
    lost its trust earns it back this way), other users' entries kept, newest first."""
    now = now or current_time()
    key = username_key(username)
    others = [e for e in _device_entries(cookie) if e[1] != key]
    entries = [(secrets.token_urlsafe(24), key, int(now.timestamp())), *others][:DEVICE_COOKIE_USERS]
    return signing.dumps([list(e) for e in entries], salt=_DEVICE_SALT, compress=True)


def trusted_device(*, cookie: str | None, username: str, now: dt.datetime | None = None) -> str | None:
    """The key under which this browser's failures for this username count, if its device cookie is
    valid, fresh and has had fewer than lockout.DEVICE_LIMIT failures; else None (an untrusted browser)."""
    now = now or current_time()
    key = username_key(username)
    for device_id, entry_key, issued in _device_entries(cookie):
        if entry_key != key:
            continue
        issued_at = dt.datetime.fromtimestamp(issued, tz=dt.UTC)
        if not lockout.device_entry_fresh(issued_at, now=now):
            return None
        device = _device_hash(device_id)
        failures = LoginAttempt.objects.filter(device_key=device, occurred_at__gt=now - lockout.DEVICE_WINDOW)[
            : lockout.DEVICE_LIMIT
        ].count()
        return device if lockout.device_trusted(failures) else None
    return None


@dataclass(frozen=True)
class Refusal:
    """An attempt answered 429 without checking anything: until when, and whether it is the address
    being slowed down (try again in seconds) rather than the username being locked."""

    until: dt.datetime
    address: bool = False


def login_locked_until(*, username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When untrusted attempts on this username may resume, or None if they may now."""
    now = now or current_time()
    newest = list(
        LoginAttempt.objects.filter(
            username_key=username_key(username), device_key="", occurred_at__gt=now - lockout.WINDOW
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)[: lockout.USERNAME_LIMIT]
    )
    return lockout.locked_until(newest, now=now, limit=lockout.USERNAME_LIMIT)


def _address_failures(ip: str, now: dt.datetime) -> int:
    return LoginAttempt.objects.filter(ip=ip, device_key="", occurred_at__gt=now - lockout.WINDOW)[
        : lockout.ADDRESS_LIMIT
    ].count()


def _address_slot_claim(ip: str, now: dt.datetime) -> dt.datetime | None:
    """Take the slowed address's next password check: None if taken now, else when it is free. The row
    lock (and SQLite's immediate transactions) let only one of many parallel requests take a slot."""
    with transaction.atomic():
        slot = AddressSlot.objects.select_for_update().filter(ip=ip).first()
        wait = lockout.slot_wait(slot.next_check_at if slot else None, now=now)
        if wait is not None:
            return wait
        next_free = lockout.slot_after_check(now)
        if slot is not None:
            slot.next_check_at = next_free
            slot.save(update_fields=["next_check_at"])
            return None
        try:
            with transaction.atomic():
                AddressSlot.objects.create(ip=ip, next_check_at=next_free)
        except IntegrityError:
            return next_free  # a parallel request from the address created it, and took this slot
    return None


def login_gate(
    *, username: str, ip: str | None, device: str | None, password: bool, now: dt.datetime | None = None
) -> Refusal | None:
    """Whether this attempt may be checked. A trusted browser always may. Otherwise the username may be
    locked; and a password check (password=True) from a slowed address must take the address's next
    slot, which counts as taken whether the password then turns out right or wrong."""
    if device is not None:
        return None
    now = now or current_time()
    ip = lockout.address_bucket(ip)
    until = login_locked_until(username=username, now=now)
    if until is not None:
        return Refusal(until)
    if password and ip and lockout.address_slowed(_address_failures(ip, now)):
        wait = _address_slot_claim(ip, now)
        if wait is not None:
            return Refusal(wait, address=True)
    return None


@transaction.atomic
def login_failure_record(
    *, username: str, ip: str | None, kind: AttemptKind, user=None, device: str | None = None
) -> dt.datetime | None:
    """Count a failed password or code, audit it, and return until when further untrusted attempts on
    the username are refused if this failure starts a lock. `user` is the account concerned, when there
    is one; `device` the trusted browser's key (its failures count against it alone)."""
    kind = AttemptKind(kind)
    now = current_time()
    ip = lockout.address_bucket(ip)
    LoginAttempt.objects.filter(occurred_at__lt=now - ATTEMPT_RETENTION).delete()
    AddressSlot.objects.filter(next_check_at__lt=now - lockout.WINDOW).delete()
    LoginAttempt.objects.create(
        occurred_at=now, username_key=username_key(username), ip=ip, kind=kind, device_key=device or ""
    )
    action = AuditAction.LOGIN_FAILED if kind == AttemptKind.PASSWORD else AuditAction.TWO_FACTOR_FAILED
    fields = [] if kind == AttemptKind.PASSWORD else [kind.value]
    _audit(user=user, action=action, fields=fields)
    log.info("%s user=%s", action.value, user.pk if user else "-")
    if device is not None:
        failures = LoginAttempt.objects.filter(device_key=device, occurred_at__gt=now - lockout.DEVICE_WINDOW).count()
        if failures == lockout.DEVICE_LIMIT:
            _audit(user=user, action=AuditAction.LOGIN_LOCKED, fields=[kind.value, "device"])
            log.warning("device cookie no longer trusted user=%s", user.pk if user else "-")
        return None
    if ip and _address_failures(ip, now) == lockout.ADDRESS_LIMIT:
        # No address in the log: it is personal data, and the attempts table has it for the window.
        log.warning("login attempts from one address slowed down after %d failures", lockout.ADDRESS_LIMIT)
    until = login_locked_until(username=username, now=now)
    if until is not None:
        _audit(user=user, action=AuditAction.LOGIN_LOCKED, fields=[kind.value])
        log.warning("login locked user=%s until=%s", user.pk if user else "-", until.isoformat())
    return until


def login_failures_clear(*, username: str, device: str | None = None) -> None:
    """After a complete login, the user's untrusted mistypes (and those of this browser) no longer count
    against them. Failures of other trusted browsers stay: a stolen cookie does not get fresh guesses."""
    LoginAttempt.objects.filter(username_key=username_key(username)).filter(
        Q(device_key="") | Q(device_key=device or "")
    ).delete()
