"""Workflows on organisations. Each writes its change and its audit row in one transaction, and takes
the acting user explicitly."""

from typing import Any

from django.db import transaction

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.organisations.models import Organisation, OrganisationKind


@transaction.atomic
def employer_create(*, actor, data: dict[str, Any]) -> Organisation:
    organisation = Organisation.objects.create(kind=OrganisationKind.EMPLOYER, **data)
    audit_record(actor=actor, action=AuditAction.ORGANISATION_CREATED, organisation=organisation)
    return organisation
