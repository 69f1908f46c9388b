"""Meeting pages. Each view: access (the case's policy, then the meeting's invitation list), a form,
a service, render. Bad input re-renders the form with the user's input (400); a stale edit shows
what was saved meanwhile next to the user's input (409). Nothing is lost either way."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fasthold.audit.models import AuditAction
from fasthold.audit.readlog import log_read
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access, get_case_for_user
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.meetings import agenda_builder, forms, selectors, services
from fasthold.meetings.invitations import ics_text
from fasthold.meetings.models import ClosedReason, Meeting, MeetingAgreement, MeetingKind
from fasthold.meetings.services import MeetingError


def get_meeting_for_user(user, meeting_id):
    """The meeting and the user's case access, or 404: for no such meeting, no access to the case, and
    (for anyone but the case-owning organisation's staff) not being invited. The same 404 for all."""
    meeting = (
        Meeting.objects.select_related(
            "case__person",
            "case__organisation",
            "case__coordinator",
            "case__employment__employer",
            "next_meeting",
            "created_by",
        )
        .filter(public_id=meeting_id)
        .first()
    )
    if meeting is None or not user.is_authenticated:
        raise Http404
    access = case_access(user, meeting.case)
    if not access.can_view:
        raise Http404
    if not access.is_staff and not meeting.attendees.filter(user=user).exists():
        raise Http404
    selectors.hide_in_error(meeting, staff=access.is_staff)
    return meeting, access


def _editable(request, meeting_id):
    meeting, access = get_meeting_for_user(request.user, meeting_id)
    access.require_edit()
    return meeting, access


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _back(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.public_id])


def _to_agreements(meeting) -> str:
    return _back(meeting) + "#agreements"


def _fresh(meeting) -> Meeting:
    return Meeting.objects.select_related("case", "next_meeting").get(pk=meeting.pk)


def _saved(meeting: Meeting) -> dict:
    """What is saved now, and its lock, for the conflict view beside the user's kept input. Any invitee
    may reach it (confirm), so roles are the neutral ones; the conflict view shows none anyway."""
    fresh = _fresh(meeting)
    # Neutral roles, so no minutes entered in error either (staff read those struck through on the
    # meeting page); the reload must not undo get_meeting_for_user's hiding.
    selectors.hide_in_error(fresh, staff=False)
    return {
        "saved": fresh,
        "lock": fresh.version,
        **{f"saved_{k}": v for k, v in selectors.meeting_detail(fresh, employer_view=True).items()},
    }


def _conflict_page(request, meeting):
    """The meeting as it is saved now, after someone else changed it first (409)."""
    return render(
        request, "meetings/conflict.html", {"meeting": meeting, "case": meeting.case, **_saved(meeting)}, status=409
    )


def _meeting_form(
    request, meeting, form, template, save, *, success, refused="", to="", context=None, on_conflict=None
):
    """A meeting's form (fasthold.formviews.form_view): valid input goes to `save(cleaned_data)`.

    Saved: a redirect with the message `success` (or success(result)). Not possible for the meeting any
    more (NotAllowed): a redirect with `refused`. A MeetingError: 400 with its message on the form. Someone
    saved first: 409 with what is saved now beside the user's input (_saved(), unless `on_conflict` says
    what to show)."""
    page = {"meeting": meeting, "case": meeting.case, "lock": form["lock"].value(), **(context or {})}

    def on_valid(form):
        try:
            result = save(form.cleaned_data)
        except MeetingError as exc:
            form.add_error(None, forms.error_message(exc.code))
            return render(request, template, {"form": form, **page}, status=400)
        except NotAllowed:
            if refused:
                messages.error(request, refused)
            return redirect(to or _back(meeting))
        return done(request, success(result) if callable(success) else success, to or _back(meeting))

    return form_view(
        request, form, template, on_valid, context=page, on_conflict=on_conflict or (lambda: _saved(meeting))
    )


# --- the case's meetings --------------------------------------------------------------------------


def case_meetings(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    meetings = selectors.meetings_with_attendees(selectors.meetings_for(case, request.user, is_staff=access.is_staff))
    return render(
        request,
        "meetings/list.html",
        {"case": case, "access": access, "meetings": meetings, "employer_view": not access.can_view_health},
    )


def plan(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    initial = {
        "kind": MeetingKind.JOINT,
        "duration_minutes": 60,
        "send_invitations": True,
        "checklist": list(agenda_builder.DEFAULT_KEYS),
        "participants": list(case.participants.values_list("pk", flat=True)),
    }
    form = forms.PlanMeetingForm(request.POST or None, case=case, initial=initial)
    context = {
        "case": case,
        "title": _("Plan a meeting"),
        "groups": agenda_builder.GROUPS,
        "back": reverse("meetings:list", args=[case.public_id]),
    }

    def save(form):
        agenda = [(agenda_builder.item_text(key), key) for key in form.cleaned_data["checklist"]]
        try:
            meeting = services.meeting_plan(
                actor=request.user,
                case=case,
                participants=list(form.cleaned_data["participants"]),
                agenda=agenda,
                send_invitations=form.cleaned_data["send_invitations"],
                base_url=_base_url(request),
                **form.values(),
            )
        except MeetingError as exc:
            form.add_error(None, forms.error_message(exc.code))
            return render(request, "meetings/meeting_form.html", {"form": form, **context}, status=400)
        invited = " " + _("Invitations are sent by e-mail.") if form.cleaned_data["send_invitations"] else ""
        return done(request, _("The meeting is planned.") + invited, _back(meeting))

    return form_view(request, form, "meetings/meeting_form.html", save, context=context)


# --- one meeting ----------------------------------------------------------------------------------


def _consent_url(case) -> str:
    try:
        return reverse("sharing:consents", args=[case.public_id])
    except NoReverseMatch:
        return ""


def detail(request, meeting_id):
    meeting, access = get_meeting_for_user(request.user, meeting_id)
    employer_view = not access.can_view_health
    context = {
        "meeting": meeting,
        "case": meeting.case,
        "access": access,
        "employer_view": employer_view,
        **selectors.meeting_detail(meeting, employer_view=employer_view, staff=access.is_staff),
    }
    mine = next((row for row in context["attendees"] if row.attendee.user_id == request.user.pk), None)
    context.update(
        {
            "mine": mine,
            "may_confirm": bool(mine and meeting.is_held and meeting.agreements_hash),
            "confirm_form": forms.ConfirmForm(initial={"agreements": meeting.agreements_hash}),
            # The page shows the note with the minutes, that is once the meeting is held.
            "show_note": not employer_view and meeting.is_held and bool(meeting.private_note),
            "can_write_minutes": access.can_edit
            and not (meeting.is_cancelled or meeting.is_closed)
            and meeting.has_started
            and not meeting.minutes_in_error,
            "today": timezone.localdate(),
        }
    )
    audit_record(actor=request.user, action=AuditAction.CASE_VIEWED, case=meeting.case, fields=["meeting"])
    if context["show_note"]:
        # The note for professionals may hold health text: reading it is logged like the health part.
        log_read(request, meeting.case, fields=["meeting_note"])
    return render(request, "meetings/detail.html", context)


def edit(request, meeting_id):
    meeting, access = _editable(request, meeting_id)
    if not meeting.is_planned:
        messages.error(request, _("Only a planned meeting can be changed."))
        return redirect(_back(meeting))
    form = forms.EditMeetingForm(
        request.POST or None, case=meeting.case, meeting=meeting, initial=forms.MeetingForm.initial_for(meeting)
    )
    return _meeting_form(
        request,
        meeting,
        form,
        "meetings/meeting_form.html",
        lambda d: services.meeting_change(
            actor=request.user,
            meeting=meeting,
            expected_version=d["lock"],
            data=form.values(),
            participants=list(d["participants"]),
            send_invitations=d["send_invitations"],
            base_url=_base_url(request),
        ),
        success=lambda changed: _("Saved.") if changed else _("Nothing was changed."),
        refused=_("Only a planned meeting can be changed."),
        context={"title": _("Change the meeting"), "back": _back(meeting)},
    )


def cancel(request, meeting_id):
    meeting, access = _editable(request, meeting_id)
    if not meeting.is_planned:
        messages.info(request, _("The meeting is not planned any more, so there is nothing to cancel."))
        return redirect(_back(meeting))
    status = 200
    if request.method == "POST":
        form = forms.LockForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        try:
            services.meeting_cancel(
                actor=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["lock"],
                base_url=_base_url(request),
            )
        except ConflictError:
            status = 409
            meeting = _fresh(meeting)
        except NotAllowed:
            return redirect(_back(meeting))
        else:
            return done(
                request, _("The meeting is cancelled. Everyone invited with an e-mail address is told."), _back(meeting)
            )
    return render(
        request, "meetings/cancel.html", {"meeting": meeting, "case": meeting.case, "status": status}, status=status
    )


@require_http_methods(["GET", "POST"])
def close(request, meeting_id):
    """Close a stale or duplicate meeting, with the reason; GET asks first."""
    meeting, access = _editable(request, meeting_id)
    if not meeting.is_planned:
        messages.info(request, _("The meeting is not planned any more, so there is nothing to close."))
        return redirect(_back(meeting))
    status, error = 200, ""
    if request.method == "POST":
        form = forms.LockForm(request.POST)
        reason = request.POST.get("reason", "")
        if not form.is_valid():
            return HttpResponse(status=400)
        try:
            services.meeting_close(
                actor=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["lock"],
                reason=reason,
                base_url=_base_url(request),
            )
        except ConflictError:
            status = 409
            meeting = _fresh(meeting)
        except NotAllowed:
            status = 400
            error = (
                _("A meeting still ahead is not stale. Cancel it instead, so those invited are told.")
                if reason == ClosedReason.STALE
                else _("Choose why the meeting is closed.")
            )
        else:
            return done(
                request, _("The meeting is closed. It is no longer among the upcoming meetings."), _back(meeting)
            )
    context = {
        "meeting": meeting,
        "case": meeting.case,
        "status": status,
        "error": error,
        "reasons": ClosedReason.choices,
    }
    return render(request, "meetings/close.html", context, status=status)


def _agenda_kept(post, items):
    """The posted agenda fitted to the items saved now, for the conflict page.

    Saving the agenda replaces its items, so after someone else saved it the posted rows name items
    that are gone. The saved items fill their own rows, and the user's rows that are not among them
    move to the new lines, so that nothing the user wrote is lost and saving again removes nothing.
    """
    data = post.copy()
    saved = {str(item.pk) for item in items}
    stale = [key[len("text_") :] for key in post if key.startswith("text_") and key[len("text_") :] not in saved]
    if not stale:
        return data
    texts = {item.text for item in items}
    kept = [post[f"text_{k}"].strip() for k in stale if not post.get(f"remove_{k}")]
    kept = [line for line in kept if line and line not in texts]
    for key in stale:
        data.pop(f"text_{key}", None)
        data.pop(f"remove_{key}", None)
    for item in items:
        data[f"text_{item.pk}"] = item.text
    data["new_items"] = "\n".join([*kept, post.get("new_items", "")]).strip()
    return data


def agenda(request, meeting_id):
    meeting, access = _editable(request, meeting_id)
    if meeting.is_cancelled:
        messages.error(request, _("The meeting is cancelled."))
        return redirect(_back(meeting))
    items = list(meeting.agenda.all())
    form = forms.AgendaForm(request.POST or None, items=items, initial={"lock": meeting.version})

    def kept():
        """Someone else saved first: the user's rows fitted to the agenda saved now."""
        saved = _saved(meeting)
        items = saved["saved_agenda"]
        form = forms.AgendaForm(_agenda_kept(request.POST, items), items=items)
        form.is_valid()
        return {**saved, "form": form, **_agenda_marks(form, items)}

    return _meeting_form(
        request,
        meeting,
        form,
        "meetings/agenda_form.html",
        lambda d: services.agenda_set(
            actor=request.user, meeting=meeting, expected_version=d["lock"], items=form.result()
        ),
        success=_("The agenda is saved."),
        refused=_("The meeting is cancelled."),
        context={"groups": agenda_builder.GROUPS, **_agenda_marks(form, items)},
        on_conflict=kept,
    )


def _agenda_marks(form, items) -> dict:
    """The checklist items ticked in the form, and those already on the agenda."""
    return {"checked": set(form["checklist"].value() or []), "present": {item.source for item in items if item.source}}


def minutes(request, meeting_id):
    meeting, access = _editable(request, meeting_id)
    if meeting.is_cancelled:
        messages.error(request, _("The meeting is cancelled."))
        return redirect(_back(meeting))
    if not meeting.has_started:
        messages.info(request, forms.error_message("not_started"))
        return redirect(_back(meeting))
    if meeting.minutes_in_error and request.method != "POST":
        # A POST is refused by the service (400, nothing saved).
        messages.info(request, forms.error_message("minutes_in_error"))
        return redirect(_back(meeting))
    items = list(meeting.agenda.all())
    form = forms.MinutesForm(
        request.POST or None,
        meeting=meeting,
        agenda=items,
        initial={
            "lock": meeting.version,
            "minutes": meeting.minutes,
            "private_note": meeting.private_note,
            "done": [i.pk for i in items if i.done],
            "send_invitations": True,
        },
    )

    def save(d):
        return services.minutes_write(
            actor=request.user,
            meeting=meeting,
            expected_version=d["lock"],
            minutes=d["minutes"],
            private_note=d["private_note"],
            done_items=set(d["done"]),
            next_starts_at=d.get("next_starts_at"),
            send_invitations=d.get("send_invitations", False),
            base_url=_base_url(request),
        )

    def success(next_meeting):
        text = _("The minutes are saved.")
        if next_meeting is not None:
            text += " " + _("The next meeting is planned and in the case calendar.")
        return text

    if request.method != "POST" and meeting.private_note:
        # The form opens with the saved note for professionals in it (on 400/409 it holds the user's input).
        log_read(request, meeting.case, fields=["meeting_note"])
    return _meeting_form(
        request,
        meeting,
        form,
        "meetings/minutes_form.html",
        save,
        success=success,
        refused=_("The meeting is cancelled."),
    )


# --- agreements -----------------------------------------------------------------------------------


def _agreement(meeting, agreement_id) -> MeetingAgreement:
    return get_object_or_404(
        MeetingAgreement.objects.select_related("meeting__case", "responsible"), meeting=meeting, public_id=agreement_id
    )


def _agreement_page(request, meeting, form, *, title, save):
    return _meeting_form(
        request,
        meeting,
        form,
        "meetings/agreement_form.html",
        lambda d: save(d["lock"], form.values()),
        success=_("Saved. Those invited are asked to confirm the agreements."),
        refused=_("The meeting is cancelled."),
        to=_to_agreements(meeting),
        context={"title": title, "skip": ["contact_cadence_days", "contact_channel", "contact_responsible"]},
    )


def agreement_add(request, meeting_id):
    meeting, access = _editable(request, meeting_id)
    if meeting.is_cancelled:
        messages.error(request, _("The meeting is cancelled."))
        return redirect(_back(meeting))
    form = forms.AgreementForm(request.POST or None, meeting=meeting, initial={"lock": meeting.version})

    def save(lock, values):
        services.agreement_add(actor=request.user, meeting=meeting, expected_version=lock, data=values)

    return _agreement_page(request, meeting, form, title=_("Add an agreement"), save=save)


def agreement_edit(request, meeting_id, agreement_id):
    meeting, access = _editable(request, meeting_id)
    agreement = _agreement(meeting, agreement_id)
    form = forms.AgreementForm(
        request.POST or None,
        meeting=meeting,
        initial={**forms.AgreementForm.initial_for(agreement), "lock": meeting.version},
    )

    def save(lock, values):
        services.agreement_update(actor=request.user, agreement=agreement, expected_version=lock, data=values)

    return _agreement_page(
        request, meeting, form, title=_("Change agreement %(n)s") % {"n": agreement.number}, save=save
    )


@require_POST
def agreement_remove(request, meeting_id, agreement_id):
    meeting, access = _editable(request, meeting_id)
    agreement = _agreement(meeting, agreement_id)
    form = forms.LockForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.agreement_remove(actor=request.user, agreement=agreement, expected_version=form.cleaned_data["lock"])
    except ConflictError:
        messages.error(
            request,
            _(
                "Someone else changed the meeting after you opened it. Nothing was removed; "
                "look at the agreements again."
            ),
        )
        return _conflict_page(request, meeting)
    except NotAllowed:
        messages.error(request, _("The meeting is cancelled."))
        return redirect(_to_agreements(meeting))
    return done(request, _("The agreement is removed."), _to_agreements(meeting))


@require_POST
def agreement_carry_out(request, meeting_id, agreement_id):
    meeting, access = _editable(request, meeting_id)
    agreement = _agreement(meeting, agreement_id)
    try:
        outcome = services.agreement_carry_out(actor=request.user, agreement=agreement)
    except MeetingError as exc:
        messages.error(request, forms.error_message(exc.code))
    except NotAllowed:
        messages.error(request, _("The meeting is cancelled."))
    else:
        messages.success(
            request,
            _("The activity is added to the draft plan.")
            if outcome == "activity"
            else _("The contact agreement of the case is updated."),
        )
    return redirect(_to_agreements(meeting))


@require_POST
def confirm(request, meeting_id):
    meeting, access = get_meeting_for_user(request.user, meeting_id)
    if not meeting.attendees.filter(user=request.user).exists():
        raise PermissionDenied
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        recorded = services.agreements_confirm(
            actor=request.user, meeting=meeting, seen_hash=form.cleaned_data["agreements"]
        )
    except ConflictError:
        messages.warning(
            request, _("The agreements were changed while you were reading them. Read them again, then confirm.")
        )
        return _conflict_page(request, meeting)
    except NotAllowed:
        messages.info(request, _("There are no agreements to confirm yet."))
    else:
        if recorded:
            messages.success(request, _("Thank you. Your confirmation is recorded."))
        else:
            messages.info(request, _("You had already confirmed these agreements. Nothing more to do."))
    return redirect(_to_agreements(meeting))


@require_POST
def task_done(request, meeting_id, agreement_id):
    meeting, access = get_meeting_for_user(request.user, meeting_id)
    agreement = _agreement(meeting, agreement_id)
    is_responsible = agreement.responsible is not None and agreement.responsible.user_id == request.user.pk
    if not (is_responsible or access.can_edit):
        raise PermissionDenied
    form = forms.TaskDoneForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.task_done(
        actor=request.user, agreement=agreement, done_on=timezone.localdate() if form.cleaned_data["done"] else None
    )
    return done(
        request,
        _("Marked as done.") if form.cleaned_data["done"] else _("Marked as not done."),
        _to_agreements(meeting),
    )


# --- the employee's preparation, the calendar file ------------------------------------------------


def prepare(request, meeting_id):
    meeting, access = get_meeting_for_user(request.user, meeting_id)
    if not (access.is_employee or access.is_staff):
        raise PermissionDenied
    detail = selectors.meeting_detail(meeting, employer_view=False)
    coordinator = next((row.attendee for row in detail["attendees"] if row.attendee.is_coordinator), None)
    return render(
        request,
        "meetings/prepare.html",
        {
            "meeting": meeting,
            "case": meeting.case,
            "access": access,
            **detail,
            "coordinator": coordinator,
            "consent_url": _consent_url(meeting.case),
            "others": [row for row in detail["attendees"] if row.attendee.role != "employee"],
        },
    )


def calendar_file(request, meeting_id):
    meeting, access = get_meeting_for_user(request.user, meeting_id)
    attendee = meeting.attendees.filter(user=request.user).first()
    text = ics_text(meeting, attendee, base_url=_base_url(request), cancelled=meeting.is_cancelled or meeting.is_closed)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response
