"""Rows for things that happen, written in the same transaction as the change (post_save runs inside
the saving transaction). Only what the coordinator did not do: a score the employee entered herself,
a questionnaire she filled in, a consent she gave or withdrew."""

from django.db.models.signals import post_save
from django.utils import timezone

from fasthold.cases.models import Case
from fasthold.plans.models import Measurement
from fasthold.requests.models import MeetingRequest, Message
from fasthold.screening.models import QuestionnaireResponse, ResponseSource
from fasthold.sharing.models import Consent
from fasthold.worklist.models import Kind, WorkItem


def add(*, case_id: int, kind: str, source_id: int, detail: str = "", occurred_on=None) -> None:
    copies = Case.objects.filter(pk=case_id).values("coordinator_id", "organisation_id").first()
    if copies is None:
        return
    WorkItem.objects.bulk_create(
        [
            WorkItem(
                case_id=case_id,
                **copies,
                kind=kind,
                source_id=source_id,
                detail=detail,
                occurred_on=occurred_on or timezone.localdate(),
            )
        ],
        ignore_conflicts=True,
    )


def measurement_saved(sender, instance: Measurement, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw or instance.entered_by_id is None:
        return
    # Only a score the employee entered herself; the case's id read with her user in one query.
    case_id = (
        Case.objects.filter(plan__versions__sub_goals=instance.sub_goal_id, person__user_id=instance.entered_by_id)
        .values_list("pk", flat=True)
        .first()
    )
    if case_id is not None:
        add(case_id=case_id, kind=Kind.NEW_MEASUREMENT, source_id=instance.pk, occurred_on=instance.measured_on)


def response_saved(sender, instance: QuestionnaireResponse, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.source == ResponseSource.SELF:
        add(
            case_id=instance.case_id,
            kind=Kind.NEW_QUESTIONNAIRE,
            source_id=instance.pk,
            occurred_on=instance.answered_on,
        )


def consent_saved(sender, instance: Consent, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    # A withdrawal is a queryset update (no signal); fasthold.worklist.sync finds it.
    if created:
        add(case_id=instance.case_id, kind=Kind.CONSENT_CHANGE, source_id=instance.pk, detail="given")


def resolve(*, kind: str, source_id: int) -> None:
    """Its cause went away by itself (a request was planned or withdrawn, a message answered)."""
    WorkItem.objects.filter(kind=kind, source_id=source_id, resolved_at=None).update(resolved_at=timezone.now())


def meeting_request_saved(sender, instance: MeetingRequest, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if created:
        add(
            case_id=instance.case_id,
            kind=Kind.MEETING_REQUEST,
            source_id=instance.pk,
            occurred_on=timezone.localdate(instance.created_at),
        )
    if not instance.is_open:
        resolve(kind=Kind.MEETING_REQUEST, source_id=instance.pk)


def message_saved(sender, instance: Message, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if created:
        add(
            case_id=instance.case_id,
            kind=Kind.MESSAGE,
            source_id=instance.pk,
            occurred_on=timezone.localdate(instance.created_at),
        )
    if instance.is_answered:
        resolve(kind=Kind.MESSAGE, source_id=instance.pk)


def connect() -> None:
    post_save.connect(measurement_saved, sender=Measurement, dispatch_uid="worklist.measurement")
    post_save.connect(response_saved, sender=QuestionnaireResponse, dispatch_uid="worklist.response")
    post_save.connect(consent_saved, sender=Consent, dispatch_uid="worklist.consent")
    post_save.connect(meeting_request_saved, sender=MeetingRequest, dispatch_uid="worklist.meeting_request")
    post_save.connect(message_saved, sender=Message, dispatch_uid="worklist.message")
