"""Workflows of the data's life: the retention period, erasure of expired cases.

Each takes the acting user explicitly (None for the scheduled command) and writes its audit row
inside the same transaction."""

import dataclasses
import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.crypto import salted_hmac

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.audit.services import audit_record
from fasthold.cases.choices import CaseStatus
from fasthold.cases.models import Case, Person
from fasthold.kernel import NotAllowed
from fasthold.organisations.models import Organisation
from fasthold.privacy import retention
from fasthold.privacy.models import RetentionPolicy

# The key is derived from SECRET_KEY with this salt: the pseudonym is stable for one installation,
# cannot be computed without the key, and no one can recompute it once the case's id is gone.
_PSEUDONYM_SALT = "fasthold.privacy.subject_pseudonym"


def subject_pseudonym(case_public_id: uuid.UUID | str) -> str:
    """A keyed hash (HMAC-SHA256) of a case's public id: the same for every audit row of the case."""
    return salted_hmac(_PSEUDONYM_SALT, str(case_public_id), algorithm="sha256").hexdigest()


# --- The retention period ---------------------------------------------------------------------


@transaction.atomic
def retention_set(*, actor, organisation: Organisation, months: int, legal_basis: str) -> RetentionPolicy:
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    changed = [
        name
        for name, value in (("months", months), ("legal_basis", legal_basis))
        if getattr(policy, name) != value or _created
    ]
    policy.months, policy.legal_basis, policy.updated_by = months, legal_basis, actor
    policy.full_clean()
    policy.save()
    if changed:
        audit_record(actor=actor, action=AuditAction.RETENTION_CHANGED, organisation=organisation, fields=changed)
    return policy


# --- Erasure -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ExpiredCase:
    """What the dry run lists: an opaque reference, never a name or a CPR number."""

    public_id: uuid.UUID
    organisation_id: int
    organisation: str
    closed_on: dt.date
    due: dt.date


def expired_cases(today: dt.date, organisation: Organisation | None = None) -> list[ExpiredCase]:
    """Closed cases whose closure date plus their organisation's retention period has passed.

    Open cases and cases in the retention phase are never listed, whatever their dates say.
    """
    policies = dict(RetentionPolicy.objects.values_list("organisation_id", "months"))
    latest = retention.latest_closure_possibly_due(today)
    cases = Case.objects.filter(status=CaseStatus.CLOSED, closed_on__isnull=False, closed_on__lte=latest)
    if organisation is not None:
        cases = cases.filter(organisation=organisation)
    rows = cases.order_by("closed_on", "pk").values_list(
        "public_id", "organisation_id", "organisation__name", "closed_on"
    )
    found = []
    for public_id, org_id, org_name, closed_on in rows:
        due = retention.erasure_due(closed_on, policies.get(org_id, retention.DEFAULT_RETENTION_MONTHS))
        if due <= today:
            found.append(ExpiredCase(public_id, org_id, org_name, closed_on, due))
    return found


@transaction.atomic
def case_erase(*, actor, case: Case) -> dict[str, int]:
    """Erase a closed case with everything that hangs on it; then its person if no case is left.

    Returns the number of rows deleted per model (labels only, no personal data). The audit rows
    about the case stay, with the case link nulled and a pseudonym in its place.
    """
    case = Case.objects.select_for_update().select_related("person").filter(pk=case.pk).first()
    if case is None:  # erased meanwhile by another run
        return {}
    if case.status != CaseStatus.CLOSED:
        raise NotAllowed("Only closed cases are erased.")
    pseudonym = subject_pseudonym(case.public_id)
    organisation_id, person = case.organisation_id, case.person

    # AuditEntry is append-only (fasthold.kernel): its save(), update() and delete() refuse, so that
    # ordinary code cannot rewrite history. Erasure is the one sanctioned change: it stamps the
    # pseudonym on the case's rows through the plain base manager, before the delete nulls their case link.
    AuditEntry._base_manager.filter(case=case).update(subject_pseudonym=pseudonym)

    # Django's deletion collector follows every relation to the case, recursively (health record,
    # plans, schedules, meetings, timeline …), including models added after this was written.
    # Append-only models (TimelineEvent, StepPlacement, Measurement, Consent; AuditEntry's case link is
    # nulled) refuse Model.delete() and QuerySet.update()/delete(); the collector goes through each
    # model's plain `_base_manager` and SQL-level deletes, which is deliberate here and nowhere else.
    _total, deleted = case.delete()
    deleted = {label: n for label, n in deleted.items() if n}

    if not Case.objects.filter(person=person).exists():
        user = person.user
        # Person.cases is PROTECT so that a person is never deleted by accident under a case;
        # with no case left, the person (and their employments) goes on purpose.
        _total, person_deleted = Person.objects.filter(pk=person.pk).delete()
        for label, n in person_deleted.items():
            if n:
                deleted[label] = deleted.get(label, 0) + n
        if user is not None:
            _user_erase(user)

    AuditEntry.objects.create(
        actor=actor,
        action=AuditAction.CASE_ERASED,
        organisation_id=organisation_id,
        fields=sorted(deleted),
        subject_pseudonym=pseudonym,
    )
    return deleted


def _held_elsewhere(user) -> bool:
    """Does any row outside the user's own credentials point at this account (as an actor in the
    audit log, a coordinator, a participant …)? Found from the model graph, not a list."""
    for field in get_user_model()._meta.get_fields(include_hidden=True):
        if not (field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)):
            continue
        if field.on_delete is models.CASCADE:  # the account's own rows: devices, codes, feeds
            continue
        if field.related_model._base_manager.filter(**{field.field.name: user}).exists():
            return True
    return False


def _user_erase(user) -> None:
    """The erased person's login. An account that is also someone's working account (a member of
    an organisation) is left alone: only its link to the person went. Otherwise it is deleted, or,
    when other rows still name it (e.g. as the actor of audit rows), deactivated and stripped of
    everything personal so those rows keep a stable, anonymous actor."""
    if user.memberships.exists():
        return
    if not _held_elsewhere(user):
        user.delete()
        return
    # Its own credentials and feeds go either way.
    for field in get_user_model()._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and field.on_delete is models.CASCADE:
            field.related_model._base_manager.filter(**{field.field.name: user}).delete()
    user.username = f"erased-{uuid.uuid4().hex[:16]}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


# --- The employee's own export ------------------------------------------------------------------


def data_export(*, actor, person: Person, lang: str) -> bytes:
    """All of `person`'s data as a ZIP (PDF and JSON), with one audit row per case (or one without
    a case). The caller has checked that `actor` is the person themselves."""
    from fasthold.privacy import export  # WeasyPrint and templates: only the download needs them

    archive = export.as_zip(export.collect(person), lang)
    # Recorded after the file is built (a failed build is no export) and before it is handed over.
    with transaction.atomic():
        cases = list(Case.objects.filter(person=person))
        for case in cases:
            audit_record(actor=actor, action=AuditAction.DATA_EXPORTED, case=case)
        if not cases:
            audit_record(actor=actor, action=AuditAction.DATA_EXPORTED)
    return archive
