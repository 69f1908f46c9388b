"""Every change to consents and the colleague information: the change, its audit row and its timeline
event in one transaction. Params and audit fields hold category and recipient keys, never the text."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.models import Audience, Case, EventKind
from fasthold.cases.timeline import timeline_record
from fasthold.kernel import ConflictError
from fasthold.sharing import drafting
from fasthold.sharing.models import ALLOWED, TEXT_CATEGORIES, Category, Channel, ColleagueMessage, Consent, Recipient

__all__ = [
    "NotApproved",
    "consent_give",
    "consent_withdraw",
    "colleague_message_draft",
    "colleague_message_update",
    "colleague_message_approve",
    "colleague_message_withdraw_approval",
    "colleague_message_mark_shared",
]

GIVEN, UNCHANGED, REPLACED = "given", "unchanged", "replaced"


class NotApproved(Exception):
    """The colleague information has no approval in force for its current text; nothing was written."""


def _stamp_withdrawn(consent: Consent, *, actor, channel: str, now) -> bool:
    updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor, withdrawal_channel=channel
    )
    if updated:
        consent.withdrawn_at, consent.withdrawn_by, consent.withdrawal_channel = now, actor, channel
    return bool(updated)


@transaction.atomic
def consent_give(
    *,
    actor,
    case: Case,
    category: str,
    recipient: str,
    text: str = "",
    instruments: list[str] | None = None,
    channel: str = Channel.SELF,
) -> tuple[Consent, str]:
    """Record consent. Returns the consent in force and GIVEN, UNCHANGED (the same consent was already
    in force: nothing written) or REPLACED (a new wording or scope replaced the one in force)."""
    if category not in Category.values or recipient not in ALLOWED.get(category, ()):
        raise ValueError("category or recipient out of range")
    if channel not in Channel.values:
        raise ValueError("channel out of range")
    text = text.strip() if category in TEXT_CATEGORIES else ""
    instruments = sorted(set(instruments or [])) if category == Category.QUESTIONNAIRES else []
    if category in TEXT_CATEGORIES and not text:
        raise ValueError("a text category needs the employee's wording")
    now = timezone.now()
    current = (
        Consent.objects.select_for_update().active().filter(case=case, category=category, recipient=recipient).first()
    )
    outcome = GIVEN
    if current is not None:
        if current.text == text and current.instruments == instruments:
            return current, UNCHANGED
        _stamp_withdrawn(current, actor=actor, channel=channel, now=now)
        outcome = REPLACED
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                case=case,
                category=category,
                recipient=recipient,
                text=text,
                instruments=instruments,
                given_at=now,
                given_by=actor,
                channel=channel,
            )
    except IntegrityError:
        # A simultaneous identical request won the race: the consent is in force once, as asked.
        return Consent.objects.active().get(case=case, category=category, recipient=recipient), UNCHANGED
    _consent_changed(actor, case, category, recipient, outcome, AuditAction.CONSENT_GIVEN)
    return consent, outcome


def _consent_changed(actor, case: Case, category: str, recipient: str, change: str, action: str) -> None:
    """A consent given, replaced or withdrawn: on the timeline for professionals (labels only, never the
    employee's wording) and in the audit log."""
    timeline_record(
        case=case,
        kind=EventKind.CONSENT_CHANGED,
        actor=actor,
        audience=Audience.PROFESSIONALS,
        category=category,
        recipient=recipient,
        change=change,
    )
    audit_record(actor=actor, action=action, case=case, fields=[category, recipient])


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, channel: str = Channel.SELF) -> bool:
    """Withdraw at once. False (nothing written) if it was already withdrawn.

    Withdrawing something colleagues may know also takes the colleague information's approval out of
    force, because that text may carry it."""
    if channel not in Channel.values:
        raise ValueError("channel out of range")
    now = timezone.now()
    if not _stamp_withdrawn(consent, actor=actor, channel=channel, now=now):
        return False
    case = consent.case
    _consent_changed(actor, case, consent.category, consent.recipient, "withdrawn", AuditAction.CONSENT_WITHDRAWN)
    if consent.recipient == Recipient.COLLEAGUES:
        message = ColleagueMessage.objects.select_for_update().filter(case=case).first()
        if message is not None:
            _withdraw_approval(actor=actor, message=message, channel=channel, now=now)
            if consent.category == Category.ILLNESS:
                _remove_wording(actor=actor, message=message, wording=consent.text)
    return True


def _remove_wording(*, actor, message: ColleagueMessage, wording: str) -> None:
    """The employee's own words about the illness leave the colleague text with the consent: the
    "what has happened" part goes back to the plain template (a new version), and the pinned copy of
    the approved text is dropped, so the manager's page no longer holds them."""
    words = " ".join(wording.split())
    in_text = bool(words) and words in " ".join(message.what_happened.split())
    if not in_text and message.approved_text is None:
        return
    if in_text:
        facts = draft_facts(message.case)  # the consent is withdrawn: no wording any more
        message.what_happened = drafting.draft(facts, message.case.person.preferred_language)["what_happened"]
        message.version += 1
        message.updated_by = actor
    message.approved_text = None
    message.save(update_fields=["what_happened", "version", "updated_by", "approved_text", "updated_at"])
    audit_record(actor=actor, action=AuditAction.COLLEAGUE_MESSAGE_CHANGED, case=message.case, fields=["what_happened"])


# --------------------------------------------------------------------------- colleague information


def draft_facts(case: Case, today: dt.date | None = None) -> drafting.Facts:
    """The plain facts the template may use: never the diagnosis; the illness only in the employee's
    own words, and only if they consented that colleagues may know it."""
    wording = (
        Consent.objects.active()
        .filter(case=case, category=Category.ILLNESS, recipient=Recipient.COLLEAGUES)
        .values_list("text", flat=True)
        .first()
    )
    name = case.person.name.split()[0] if case.person.name.split() else ""
    return drafting.Facts(
        first_name=name,
        job_title=case.employment.job_title if case.employment_id else "",
        expected_weeks=case.expected_weeks,
        weeks_so_far=case.weeks_since_first_sick_day(today),
        illness_wording=wording or "",
        partly_back=case.absence_extent == "partial",
    )


@transaction.atomic
def colleague_message_draft(*, actor, case: Case, language: str = "da") -> tuple[ColleagueMessage, bool]:
    """Make the first draft from the template. Returns (message, created); an existing one is kept."""
    existing = ColleagueMessage.objects.select_for_update().filter(case=case).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = ColleagueMessage.objects.create(
                case=case, updated_by=actor, **drafting.draft(draft_facts(case), language)
            )
    except IntegrityError:
        return ColleagueMessage.objects.get(case=case), False
    # For everyone on the case: the manager works on this text with the employee. Only the step is kept.
    timeline_record(case=case, kind=EventKind.COLLEAGUE_MESSAGE, actor=actor, step="drafted")
    audit_record(actor=actor, action=AuditAction.COLLEAGUE_MESSAGE_CHANGED, case=case, fields=["created"])
    return message, True


@transaction.atomic
def colleague_message_update(
    *, actor, message: ColleagueMessage, expected_version: int, parts: dict[str, Any]
) -> list[str]:
    """Save an edit made from `expected_version` (ConflictError if someone saved first). Returns the
    changed part names. A change leaves any earlier approval out of force."""
    values = {name: str(parts.get(name, "")).strip() for name in ColleagueMessage.PARTS}
    changed = sorted(name for name, value in values.items() if getattr(message, name) != value)
    if not changed:
        if message.version != expected_version:
            raise ConflictError
        return []
    updated = ColleagueMessage.objects.filter(pk=message.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=actor, updated_at=timezone.now(), **values
    )
    if not updated:
        raise ConflictError
    for name, value in values.items():
        setattr(message, name, value)
    message.version = expected_version + 1
    timeline_record(case=message.case, kind=EventKind.COLLEAGUE_MESSAGE, actor=actor, step="changed")
    audit_record(actor=actor, action=AuditAction.COLLEAGUE_MESSAGE_CHANGED, case=message.case, fields=changed)
    return changed


@transaction.atomic
def colleague_message_approve(
    *, actor, message: ColleagueMessage, expected_version: int, channel: str = Channel.SELF
) -> bool:
    """The employee approves exactly the text of `expected_version`. ConflictError if it changed since it
    was read. False (nothing written) if that text is already approved."""
    if channel not in Channel.values:
        raise ValueError("channel out of range")
    fresh = ColleagueMessage.objects.select_for_update().get(pk=message.pk)
    if fresh.version != expected_version:
        raise ConflictError
    if fresh.approval_in_force:
        return False
    now = timezone.now()
    values = {
        "approved_text": fresh.parts(),
        "approved_version": fresh.version,
        "approved_at": now,
        "approved_by": actor,
        "approval_channel": channel,
        "approval_withdrawn_at": None,
    }
    ColleagueMessage.objects.filter(pk=fresh.pk).update(**values)
    for name, value in values.items():
        setattr(message, name, value)
    timeline_record(case=message.case, kind=EventKind.COLLEAGUE_MESSAGE, actor=actor, step="approved")
    audit_record(
        actor=actor,
        action=AuditAction.COLLEAGUE_MESSAGE_APPROVED,
        case=message.case,
        fields=[f"version_{fresh.version}"],
    )
    return True


def _withdraw_approval(*, actor, message: ColleagueMessage, channel: str, now) -> bool:
    updated = ColleagueMessage.objects.filter(
        pk=message.pk, approved_at__isnull=False, approval_withdrawn_at__isnull=True
    ).update(approval_withdrawn_at=now)
    if not updated:
        return False
    message.approval_withdrawn_at = now
    timeline_record(case=message.case, kind=EventKind.COLLEAGUE_MESSAGE, actor=actor, step="approval_withdrawn")
    audit_record(
        actor=actor,
        action=AuditAction.CONSENT_WITHDRAWN,
        case=message.case,
        fields=["colleague_message", Recipient.COLLEAGUES],
    )
    return True


@transaction.atomic
def colleague_message_withdraw_approval(*, actor, message: ColleagueMessage, channel: str = Channel.SELF) -> bool:
    """Withdraw the employee's approval at once. False (nothing written) if none was in force."""
    return _withdraw_approval(actor=actor, message=message, channel=channel, now=timezone.now())


@transaction.atomic
def colleague_message_mark_shared(
    *, actor, message: ColleagueMessage, expected_version: int, shared_on: dt.date
) -> None:
    """Record that the approved text was passed on. NotApproved if no approval of the current text is in
    force (withdrawn, or changed since); ConflictError if the text changed since the page was read."""
    fresh = ColleagueMessage.objects.select_for_update().get(pk=message.pk)
    if not fresh.approval_in_force:
        raise NotApproved
    if fresh.version != expected_version:
        raise ConflictError
    ColleagueMessage.objects.filter(pk=fresh.pk).update(shared_on=shared_on, shared_by=actor)
    message.shared_on, message.shared_by = shared_on, actor
    timeline_record(case=message.case, kind=EventKind.COLLEAGUE_MESSAGE, actor=actor, step="shared")
    audit_record(actor=actor, action=AuditAction.COLLEAGUE_MESSAGE_SHARED, case=message.case)
