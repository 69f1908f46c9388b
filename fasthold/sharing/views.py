"""The employee's consent page and the colleague information.

The consent page belongs to the employee: employee, staff and health professionals on the case read it;
the employee gives and withdraws, and a coordinator may record either on the employee's behalf.
Employer-side users get 404 here: what they may see reaches them through fasthold.sharing.policy.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.audit.readlog import log_read
from fasthold.cases.access import get_case_for_user
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError
from fasthold.sharing import selectors, services
from fasthold.sharing.forms import ApproveForm, ColleagueMessageForm, GiveConsentForm, ShareForm, WithdrawForm
from fasthold.sharing.models import RECIPIENT_IN_SENTENCE, Category, Channel, ColleagueMessage, Consent, Recipient


def _consent_case(user, public_id):
    case, access = get_case_for_user(user, public_id)
    if not (access.is_staff or access.is_employee or access.is_health_professional):
        raise Http404
    return case, access


def _can_give(access) -> bool:
    return access.is_employee or access.can_edit


def _on_behalf(access) -> bool:
    """A coordinator records what the employee said orally or on paper; the employee acts for themself."""
    return access.can_edit and not access.is_employee


def _render_consents(request, case, access, *, bound=None, status=200, error=None):
    page = selectors.consent_page(case, on_behalf=_on_behalf(access), can_give=_can_give(access), bound=bound)
    if not access.is_employee and any(c.text for cat in page["categories"] for c in cat["active"]):
        # The employee's own wording may say something about their health: reading it is logged.
        log_read(request, case, fields=["consents"])
    context = {
        "case": case,
        "access": access,
        "can_give": _can_give(access),
        "on_behalf": _on_behalf(access),
        "error": error,
        **page,
    }
    return render(request, "sharing/consents.html", context, status=status)


def consents(request, public_id):
    case, access = _consent_case(request.user, public_id)
    return _render_consents(request, case, access)


def _names(recipients) -> str:
    # "your manager and HR", "your manager, HR and your colleagues"
    return get_text_list([str(RECIPIENT_IN_SENTENCE[Recipient(r)]) for r in recipients], _("and"))


@require_POST
def consent_give(request, public_id):
    case, access = _consent_case(request.user, public_id)
    if not _can_give(access):
        raise PermissionDenied
    category = request.POST.get("category", "")
    if category not in Category.values:
        return _render_consents(
            request,
            case,
            access,
            status=400,
            error=_("That kind of information does not exist. Nothing was saved; choose from the page."),
        )
    on_behalf = _on_behalf(access)
    form = GiveConsentForm(
        request.POST, category=category, on_behalf=on_behalf, instruments=selectors.instrument_choices(case)
    )
    if not form.is_valid():
        return _render_consents(request, case, access, bound={category: form}, status=400)
    data = form.cleaned_data
    channel = data.get("channel") if on_behalf else Channel.SELF
    outcomes: dict[str, list[str]] = {}
    with transaction.atomic():
        for recipient in data["recipients"]:
            _consent, outcome = services.consent_give(
                actor=request.user,
                case=case,
                category=category,
                recipient=recipient,
                text=data.get("text", ""),
                instruments=data.get("instruments") or [],
                channel=channel,
            )
            outcomes.setdefault(outcome, []).append(recipient)
    label = str(Category(category).label).lower()
    if services.GIVEN in outcomes:
        messages.success(
            request,
            _("Saved. From now on %(who)s can see: %(what)s.")
            % {"who": _names(outcomes[services.GIVEN]), "what": label},
        )
    if services.REPLACED in outcomes:
        messages.success(
            request,
            _("Saved. Your new wording replaces the earlier one for %(who)s.")
            % {"who": _names(outcomes[services.REPLACED])},
        )
    if services.UNCHANGED in outcomes:
        messages.info(
            request,
            _("Nothing was changed: %(who)s could already see this, just as you wrote it.")
            % {"who": _names(outcomes[services.UNCHANGED])},
        )
    return redirect("sharing:consents", case.public_id)


@require_POST
def consent_withdraw(request, public_id, consent_id):
    case, access = _consent_case(request.user, public_id)
    if not _can_give(access):
        raise PermissionDenied
    consent = get_object_or_404(Consent, case=case, public_id=consent_id)
    form = WithdrawForm(request.POST)
    channel = Channel.SELF
    if _on_behalf(access):
        if not form.is_valid() or not form.cleaned_data.get("channel"):
            return _render_consents(
                request,
                case,
                access,
                status=400,
                error=_("Say how the employee asked to withdraw (orally or on paper). Nothing was changed."),
            )
        channel = form.cleaned_data["channel"]
    if services.consent_withdraw(actor=request.user, consent=consent, channel=channel):
        messages.success(
            request,
            _("Withdrawn: %(who)s can no longer see it. It took effect at once.")
            % {"who": RECIPIENT_IN_SENTENCE[Recipient(consent.recipient)]},
        )
    else:
        when = date_format(timezone.localtime(consent.withdrawn_at), "SHORT_DATE_FORMAT")
        messages.info(
            request, _("This was already withdrawn on %(date)s. There is nothing more to do.") % {"date": when}
        )
    return redirect("sharing:consents", case.public_id)


# --------------------------------------------------------------------------- colleague information


def _colleague_case(request, public_id, allowed=None):
    """The case and the reader's access; with `allowed`, a change that must permit (403 otherwise)."""
    case, access = get_case_for_user(request.user, public_id)
    if allowed is not None and not allowed(access):
        raise PermissionDenied
    return case, access


def _can_edit_message(access) -> bool:
    return access.can_edit or access.is_employee or access.is_employer_side


def _can_approve(access) -> bool:
    return access.is_employee or access.can_edit


def _can_mark_shared(access) -> bool:
    return access.can_edit or access.is_employer_side


def _colleague_context(case, access, *, message=None, form=None, conflict=None, error=None, share_form=None):
    if message is None:
        message = (
            ColleagueMessage.objects.filter(case=case).select_related("approved_by", "shared_by", "updated_by").first()
        )
    can_edit = _can_edit_message(access)
    if form is None and message is not None and can_edit:
        form = ColleagueMessageForm(instance=message, initial={"version": message.version})
    return {
        "case": case,
        "access": access,
        "message": message,
        "form": form,
        "conflict": conflict,
        "error": error,
        "can_edit": can_edit,
        "can_approve": _can_approve(access),
        "can_mark_shared": _can_mark_shared(access),
        "on_behalf": _on_behalf(access),
        "approve_form": ApproveForm(on_behalf=_on_behalf(access), initial={"version": message.version})
        if message
        else None,
        "share_form": share_form
        or (ShareForm(initial={"version": message.version, "shared_on": timezone.localdate()}) if message else None),
    }


def _render_colleagues(request, case, access, *, status=200, **page):
    return render(request, "sharing/colleagues.html", _colleague_context(case, access, **page), status=status)


def colleagues(request, public_id):
    case, access = _colleague_case(request, public_id)
    return _render_colleagues(request, case, access)


def _done(request, case, message: str):
    """Back to the colleague page, saying what was done."""
    return done(request, message, "sharing:colleagues", case.public_id)


def _nothing_to_do(request, case, message: str):
    """Back to the colleague page, saying that nothing needed doing."""
    messages.info(request, message)
    return redirect("sharing:colleagues", case.public_id)


@require_POST
def colleague_draft(request, public_id):
    case, access = _colleague_case(request, public_id, _can_edit_message)
    _message, created = services.colleague_message_draft(actor=request.user, case=case, language="da")
    if not created:
        return _nothing_to_do(request, case, _("There is already a text. Nothing was changed."))
    return _done(request, case, _("A first draft was made from the template. Read it and change it as needed."))


def _message_or_404(case) -> ColleagueMessage:
    message = ColleagueMessage.objects.filter(case=case).select_related("approved_by", "shared_by").first()
    if message is None:
        raise Http404
    return message


def _colleague_change(request, public_id, allowed):
    """The case, the access and the colleague message, for a change `allowed(access)` permits (403 otherwise;
    404 while there is no message)."""
    case, access = _colleague_case(request, public_id, allowed)
    return case, access, _message_or_404(case)


@require_POST
def colleague_edit(request, public_id):
    case, access, message = _colleague_change(request, public_id, _can_edit_message)
    form = ColleagueMessageForm(request.POST, instance=ColleagueMessage(case=case))

    def save(form):
        changed = services.colleague_message_update(
            actor=request.user,
            message=message,
            expected_version=form.cleaned_data["version"],
            parts={name: form.cleaned_data[name] for name in ColleagueMessage.PARTS},
        )
        if not changed:
            return _nothing_to_do(request, case, _("Nothing was changed."))
        note = ""
        if message.approved_at and not message.approval_in_force:
            note = " " + _("The text must be approved again before it can be passed on.")
        return _done(request, case, _("The text was saved.") + note)

    def saved():
        current = _message_or_404(case)
        return _colleague_context(case, access, message=current, form=form, conflict=current)

    page = _colleague_context(case, access, message=message, form=form)
    return form_view(request, form, "sharing/colleagues.html", save, context=page, on_conflict=saved)


def _no_channel(request, case, access, message, error: str):
    """A coordinator recording the employee's word did not say how it was given: the page again (400)."""
    return _render_colleagues(request, case, access, message=message, status=400, error=error)


@require_POST
def colleague_approve(request, public_id):
    case, access, message = _colleague_change(request, public_id, _can_approve)
    form = ApproveForm(request.POST, on_behalf=_on_behalf(access))
    if not form.is_valid():
        return _no_channel(
            request, case, access, message, _("Say how the employee approved the text (orally or on paper).")
        )
    channel = form.cleaned_data.get("channel") or Channel.SELF
    try:
        approved = services.colleague_message_approve(
            actor=request.user, message=message, expected_version=form.cleaned_data["version"], channel=channel
        )
    except ConflictError:
        return _render_colleagues(
            request,
            case,
            access,
            status=409,
            error=_(
                "The text was changed after you opened the page, so it was not approved. Read it again below "
                "and approve it if it is right."
            ),
        )
    if not approved:
        return _nothing_to_do(request, case, _("This text was already approved. Nothing was changed."))
    return _done(request, case, _("Approved. Your manager may now pass on exactly this text."))


@require_POST
def colleague_withdraw(request, public_id):
    case, access, message = _colleague_change(request, public_id, _can_approve)
    channel = Channel.SELF
    if _on_behalf(access):
        form = WithdrawForm(request.POST)
        if not form.is_valid() or not form.cleaned_data.get("channel"):
            return _no_channel(
                request, case, access, message, _("Say how the employee asked to withdraw (orally or on paper).")
            )
        channel = form.cleaned_data["channel"]
    withdrawn = services.colleague_message_withdraw_approval(actor=request.user, message=message, channel=channel)
    if not withdrawn:
        return _nothing_to_do(request, case, _("There was no approval in force. Nothing was changed."))
    return _done(
        request, case, _("The approval is withdrawn. The text can no longer be passed on – it took effect at once.")
    )


@require_POST
def colleague_share(request, public_id):
    case, access, message = _colleague_change(request, public_id, _can_mark_shared)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _render_colleagues(request, case, access, message=message, share_form=form, status=400)
    try:
        services.colleague_message_mark_shared(
            actor=request.user,
            message=message,
            expected_version=form.cleaned_data["version"],
            shared_on=form.cleaned_data["shared_on"],
        )
    except (services.NotApproved, ConflictError) as refused:
        if isinstance(refused, services.NotApproved):
            error = _(
                "%(name)s has not approved the text as it is now (the approval was withdrawn, or the text was "
                "changed after it). Do not pass it on. Nothing was recorded."
            ) % {"name": case.person.name}
        else:
            error = _(
                "The text was changed after you opened the page. Read it again before you record that it "
                "was passed on. Nothing was recorded."
            )
        current = _message_or_404(case)
        return _render_colleagues(request, case, access, message=current, share_form=form, status=409, error=error)
    return _done(request, case, _("Recorded: the colleague information was passed on."))
