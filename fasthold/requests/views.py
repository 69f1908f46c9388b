"""The portals' forms (ask for a meeting, send a message, withdraw a request) and the coordinator's
(answer a message, plan the meeting a request asked for). Access is the case policy's; a request or a
message the reader may not see is a 404 like any other."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.cases.access import case_access, get_case_for_user
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.meetings import agenda_builder
from fasthold.meetings import forms as meeting_forms
from fasthold.meetings.models import MeetingKind
from fasthold.meetings.services import MeetingError
from fasthold.requests import forms, selectors, services
from fasthold.requests.models import MeetingRequest, Message, Side


def _portal(case, access) -> str:
    if access.is_employee:
        return reverse("portals:employee")
    return reverse("portals:employer_case", args=[case.public_id])


def _asker(request, public_id):
    """The employee or the employer side of the case; anyone else 404 (staff write on the case page)."""
    case, access = get_case_for_user(request.user, public_id)
    if not (access.is_employee or access.is_employer_side) or selectors.is_professional(access):
        raise Http404
    return case, access


def ask_for_meeting(request, public_id):
    case, access = _asker(request, public_id)
    form = forms.MeetingRequestForm(request.POST or None, employee=access.is_employee)
    back = _portal(case, access)

    def save(form):
        services.ask_for_meeting(actor=request.user, case=case, access=access, **form.cleaned_data)
        return done(request, _("Your request is sent. Your coordinator will get back to you."), back)

    context = {"case": case, "access": access, "back": back, "title": _("Ask for a meeting")}
    return form_view(request, form, "requests/ask.html", save, context=context, refused_status=400)


def send_message(request, public_id):
    case, access = _asker(request, public_id)
    form = forms.MessageForm(request.POST or None, employee=access.is_employee)
    back = _portal(case, access)

    def save(form):
        services.send_message(actor=request.user, case=case, access=access, **form.cleaned_data)
        return done(request, _("Your message is sent. Your coordinator will answer it here."), back)

    context = {"case": case, "access": access, "back": back, "title": _("Send a message to your coordinator")}
    return form_view(request, form, "requests/ask.html", save, context=context, refused_status=400)


def _meeting_request(request, request_id):
    item = MeetingRequest.objects.select_related("case__person", "case__organisation").filter(public_id=request_id)
    item = item.first()
    if item is None or not request.user.is_authenticated:
        raise Http404
    access = case_access(request.user, item.case)
    if not selectors.requests_for(item.case, request.user, access).filter(pk=item.pk).exists():
        raise Http404
    return item, access


@require_POST
def withdraw(request, request_id):
    item, access = _meeting_request(request, request_id)
    form = forms.LockForm(request.POST)
    if not form.is_valid() or item.asked_by_id != request.user.pk:
        raise Http404
    try:
        services.withdraw_request(actor=request.user, meeting_request=item, expected_version=form.cleaned_data["lock"])
    except (ConflictError, NotAllowed):
        return done(request, _("The request was already closed."), _portal(item.case, access))
    return done(request, _("Your request is withdrawn."), _portal(item.case, access))


def _case_page(case) -> str:
    return reverse("cases:detail", args=[case.public_id]) + "#requests"


def answer(request, message_id):
    message = Message.objects.select_related("case__person", "author").filter(public_id=message_id).first()
    if message is None or not request.user.is_authenticated:
        raise Http404
    access = case_access(request.user, message.case)
    if not access.is_staff:
        raise Http404
    access.require_edit()
    selectors.log_reads(request, message.case, access, [], [message])
    form = forms.AnswerForm(
        request.POST or None,
        from_employer=message.side == Side.EMPLOYER,
        shared_by_employee=message.side == Side.EMPLOYEE and message.share_with_employer,
        initial={"lock": message.version},
    )
    back = _case_page(message.case)

    def save(form):
        services.answer_message(
            actor=request.user,
            message=message,
            expected_version=form.cleaned_data["lock"],
            answer=form.cleaned_data["answer"],
            share_with_employee=form.cleaned_data.get("share_with_employee", False),
            share_with_employer=form.cleaned_data.get("share_with_employer", False),
        )
        return done(request, _("Your answer is saved."), back)

    def saved():
        fresh = Message.objects.select_related("answered_by").get(pk=message.pk)
        return {"saved": fresh}

    context = {"case": message.case, "message": message, "back": back, "lock": form["lock"].value()}
    return form_view(request, form, "requests/answer.html", save, context=context, on_conflict=saved)


def plan(request, request_id):
    """Plan a meeting for this request: the meeting form, its purpose taken from the request and its
    wishes beside it. Planning links the meeting to the request and closes it."""
    item, access = _meeting_request(request, request_id)
    if not access.is_staff:
        raise Http404
    access.require_edit()
    case = item.case
    selectors.log_reads(request, case, access, [item], [])
    if not item.is_open:
        return done(request, _("This request is already closed."), _case_page(case))
    initial = {
        "kind": MeetingKind.JOINT,
        "duration_minutes": 60,
        "send_invitations": True,
        "purpose": item.purpose,
        "checklist": list(agenda_builder.DEFAULT_KEYS),
        "participants": list(case.participants.values_list("pk", flat=True)),
    }
    form = meeting_forms.PlanMeetingForm(request.POST or None, case=case, initial=initial)
    context = {
        "case": case,
        "item": item,
        "lock": item.version,
        "title": _("Plan a meeting for this request"),
        "groups": agenda_builder.GROUPS,
        "back": _case_page(case),
    }

    def save(form):
        agenda = [(agenda_builder.item_text(key), key) for key in form.cleaned_data["checklist"]]
        try:
            lock = int(request.POST.get("request_lock", ""))
        except ValueError:
            lock = 0
        try:
            meeting = services.plan_for_request(
                actor=request.user,
                meeting_request=item,
                expected_version=lock,
                participants=list(form.cleaned_data["participants"]),
                agenda=agenda,
                send_invitations=form.cleaned_data["send_invitations"],
                base_url=request.build_absolute_uri("/"),
                **form.values(),
            )
        except MeetingError as exc:
            form.add_error(None, meeting_forms.error_message(exc.code))
            return render(request, "requests/plan.html", {"form": form, **context}, status=400)
        except (ConflictError, NotAllowed):
            return done(request, _("This request was closed meanwhile. Nothing was planned."), _case_page(case))
        invited = " " + _("Invitations are sent by e-mail.") if form.cleaned_data["send_invitations"] else ""
        return redirect_done(request, _("The meeting is planned and the request is closed.") + invited, meeting)

    return form_view(request, form, "requests/plan.html", save, context=context)


def redirect_done(request, message, meeting):
    return done(request, message, reverse("meetings:detail", args=[meeting.public_id]))
