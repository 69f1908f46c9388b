from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fasthold.accounts import sso
from fasthold.accounts.services import confirmed_device
from fasthold.cases.access import case_access, get_case_for_user
from fasthold.cases.choices import CaseStatus
from fasthold.cases.models import Case
from fasthold.formviews import done, form_view
from fasthold.kernel import NotAllowed
from fasthold.organisations.forms import EmployerForm
from fasthold.organisations.models import (
    EMPLOYER_ROLES,
    STAFF_ROLES,
    STAFF_WRITE_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    OrgRole,
)
from fasthold.people import services
from fasthold.people.forms import (
    AcceptForm,
    CaseInvitationForm,
    OrganisationInvitationForm,
    ReassignForm,
    RolesForm,
)
from fasthold.people.models import Invitation, Purpose, State
from fasthold.people.sso_claim import LANGUAGE_KEY, SESSION_KEY

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _refusals():
    return (services.Refused, NotAllowed)


# --- inviting to a case -----------------------------------------------------------------------------


def case_invite(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    initial = {"language": case.person.preferred_language}
    if not case.person.user_id:
        first, _sep, last = case.person.name.partition(" ")
        initial.update(participant_role="employee", email=case.person.email, first_name=first, last_name=last)
    form = CaseInvitationForm(request.POST or None, roles=services.case_roles(case), initial=initial)

    def invite(form):
        sent = services.invite_to_case(
            actor=request.user, case=case, data=form.cleaned_data, base_url=_base_url(request)
        )
        _say_sent(request, sent)
        return redirect("cases:detail", case.public_id)

    return _invite_form(request, form, "people/case_invite.html", invite, {"case": case})


def _invite_form(request, form, template, on_valid, context):
    """form_view, with a service's refusal shown as the form's error (400) and nothing saved."""

    def guarded(form):
        try:
            return on_valid(form)
        except (services.Refused, NotAllowed) as refusal:
            form.add_error(None, getattr(refusal, "message", None) or str(refusal))
            return render(request, template, {"form": form, **context}, status=400)

    return form_view(request, form=form, template=template, on_valid=guarded, context=context)


def _say_sent(request, sent) -> None:
    if sent.invitation is None:
        messages.success(
            request,
            _("%(name)s already has a login and has been given access. We told them by e-mail.")
            % {"name": sent.user.display_name},
        )
    else:
        messages.success(
            request,
            _("The invitation was sent to %(email)s. The link works for 7 days.") % {"email": sent.invitation.email},
        )


def _may_manage(user, invitation: Invitation) -> bool:
    """Who may resend or withdraw an invitation: whoever may change its case; for staff, the
    organisation's administrators; for an employer's people, staff who may change cases."""
    if invitation.purpose == Purpose.CASE:
        return case_access(user, invitation.case).can_edit
    if invitation.purpose == Purpose.STAFF:
        return Membership.objects.filter(user=user, organisation=invitation.organisation, role=OrgRole.ADMIN).exists()
    return Membership.objects.filter(user=user, role__in=STAFF_WRITE_ROLES).exists()


def _back(invitation: Invitation):
    if invitation.purpose == Purpose.CASE:
        return redirect("cases:detail", invitation.case.public_id)
    if invitation.purpose == Purpose.STAFF:
        return redirect("people:staff")
    return redirect("people:employer", invitation.organisation.public_id)


def _managed_invitation(request, public_id) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("case", "organisation"), public_id=public_id)
    if not _may_manage(request.user, invitation):
        raise Http404
    return invitation


@require_POST
def invitation_resend(request, public_id):
    invitation = _managed_invitation(request, public_id)
    try:
        services.resend(actor=request.user, invitation=invitation, base_url=_base_url(request))
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": invitation.email})
    return _back(invitation)


@require_POST
def invitation_revoke(request, public_id):
    invitation = _managed_invitation(request, public_id)
    try:
        services.revoke(actor=request.user, invitation=invitation)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return _back(invitation)


# --- the invitee ----------------------------------------------------------------------------------


@login_not_required
def invitation_open(request, token):
    """The link from the e-mail: remember the invitation in the session and go on without the token."""
    invitation, state = services.find(token)
    if state == State.PENDING:
        request.session[SESSION_KEY] = invitation.pk
        return redirect("people:accept")
    if invitation is not None and state == State.EXPIRED:
        request.session[SESSION_KEY] = invitation.pk
    return _problem(request, invitation, state)


def _speak(request, invitation) -> None:
    """The invitee's page in the invitation's language, unless they chose one with the switcher."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if invitation is not None and chosen not in dict(settings.LANGUAGES):
        translation.activate(invitation.language)


def _problem(request, invitation, state):
    _speak(request, invitation)
    status = 404 if state == "invalid" else 410
    context = {"message": services.refusal_for_state(state), "can_renew": state == State.EXPIRED}
    return render(request, "people/invitation_problem.html", context, status=status)


def _session_invitation(request) -> Invitation | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return Invitation.objects.select_related("case__organisation", "organisation", "invited_by").filter(pk=pk).first()


@login_not_required
def invitation_accept(request):
    invitation = _session_invitation(request)
    if invitation is None:
        return _problem(request, None, "invalid")
    state = invitation.state()
    if state != State.PENDING:
        return _problem(request, invitation, state)
    if request.user.is_authenticated:
        return render(request, "people/accept_logged_in.html", {"invitation": invitation}, status=409)
    _speak(request, invitation)
    form = AcceptForm(request.POST or None, invitation=invitation, initial={"language": invitation.language})
    context = {
        "invitation": invitation,
        "organisation": invitation.case.organisation if invitation.case_id else invitation.organisation,
        "username": services.username_for(invitation.email),
        "providers": _providers(invitation),
    }

    def accept(form):
        try:
            user = services.accept(
                invitation=invitation, language=form.cleaned_data["language"], password=form.cleaned_data["password1"]
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
            return render(request, "people/accept.html", {"form": form, **context}, status=409)
        return _logged_in(request, user, PASSWORD_BACKEND)

    return form_view(request, form=form, template="people/accept.html", on_valid=accept, context=context)


def _providers(invitation: Invitation) -> list:
    """Staff sign in through their organisation's provider; everyone else through a public one (MitID)."""
    return sso.providers(invitation.sso_audience)


def _logged_in(request, user, backend):
    request.session.pop(SESSION_KEY, None)
    auth_login(request, user, backend)
    request.session["preferred_language"] = user.preferred_language
    translation.activate(user.preferred_language)
    messages.success(request, _("Welcome to Fasthold. Your login is ready."))
    return redirect("home")


@login_not_required
@require_POST
def invitation_accept_sso(request, slug):
    """Accept with single sign-on instead of a password: the login provider says who this is, and the
    claim (fasthold/people/sso_claim.py) makes the account when the invitation in the session is valid."""
    invitation = _session_invitation(request)
    if invitation is None or invitation.state() != State.PENDING:
        return _problem(request, invitation, invitation.state() if invitation else "invalid")
    if not any(p.slug == slug for p in _providers(invitation)):
        raise Http404
    language = request.POST.get("language")
    request.session[LANGUAGE_KEY] = language if language in ("da", "en") else invitation.language
    return redirect(sso.start_url(slug, "/"))


@login_not_required
@require_POST
def invitation_renew(request):
    invitation = _session_invitation(request)
    if invitation is not None:
        services.ask_for_renewal(invitation=invitation, base_url=_base_url(request))
    request.session.pop(SESSION_KEY, None)
    # The same answer whether or not a message went, so the page tells nothing about the invitation.
    return render(request, "people/renewal_asked.html")


# --- the organisation administrator ---------------------------------------------------------------


def _administered(request) -> Organisation:
    organisation = services.administered_organisation(request.user)
    if organisation is None:
        raise Http404
    return organisation


def staff_list(request):
    organisation = _administered(request)
    form = OrganisationInvitationForm(request.POST or None, employer=False, initial={"language": "da"})
    memberships = (
        Membership.objects.filter(organisation=organisation, role__in=STAFF_ROLES)
        .select_related("user__two_factor_device")
        .order_by("-user__is_active", "user__first_name", "user__last_name", "user_id")
    )
    members: dict[int, dict] = {}
    for m in memberships:
        entry = members.setdefault(m.user_id, {"user": m.user, "roles": []})
        entry["roles"].append(m.get_role_display())
    context = {
        "organisation": organisation,
        "members": list(members.values()),
        "invitations": Invitation.objects.filter(
            organisation=organisation, purpose=Purpose.STAFF, accepted_at__isnull=True
        )[:50],
        "to_reassign": services.cases_to_reassign(organisation).count(),
    }

    def invite(form):
        sent = services.invite_to_organisation(
            actor=request.user, organisation=organisation, data=form.cleaned_data, base_url=_base_url(request)
        )
        _say_sent(request, sent)
        return redirect("people:staff")

    return _invite_form(request, form, "people/staff_list.html", invite, context)


def staff_member(request, user_id):
    organisation = _administered(request)
    member = services.staff_member(organisation, user_id)
    if member is None:
        raise Http404
    roles = list(
        Membership.objects.filter(user=member, organisation=organisation, role__in=STAFF_ROLES).values_list(
            "role", flat=True
        )
    )
    form = RolesForm(request.POST or None, initial={"roles": roles})
    context = {
        "organisation": organisation,
        "member": member,
        "is_self": member.pk == request.user.pk,
        "has_device": confirmed_device(member) is not None,
        "open_cases": Case.objects.filter(coordinator=member).exclude(status=CaseStatus.CLOSED).count(),
    }

    def change(form):
        services.roles_change(
            actor=request.user, organisation=organisation, user=member, roles=form.cleaned_data["roles"]
        )
        messages.success(request, _("The roles were saved."))
        return redirect("people:staff_member", member.pk)

    return _invite_form(request, form, "people/staff_member.html", change, context)


@require_POST
def staff_action(request, user_id, action):
    organisation = _administered(request)
    member = services.staff_member(organisation, user_id)
    if member is None:
        raise Http404
    try:
        if action == "deactivate":
            open_cases = services.deactivate(actor=request.user, organisation=organisation, user=member)
            messages.success(
                request,
                _("%(name)s can no longer log in. Their %(n)d open cases are waiting to be reassigned.")
                % {"name": member.display_name, "n": open_cases},
            )
            if open_cases:
                return redirect("people:reassign")
        elif action == "reactivate":
            services.reactivate(actor=request.user, organisation=organisation, user=member)
            messages.success(request, _("%(name)s can log in again.") % {"name": member.display_name})
        elif action == "reset-two-factor":
            services.two_factor_reset(actor=request.user, organisation=organisation, user=member)
            messages.success(
                request,
                _("Two-factor login was reset. %(name)s sets it up again at the next login.")
                % {"name": member.display_name},
            )
        else:
            raise Http404
    except NotAllowed as refusal:
        messages.error(request, str(refusal))
    return redirect("people:staff_member", member.pk)


def reassign(request):
    organisation = _administered(request)
    cases = list(services.cases_to_reassign(organisation)[:200])
    form = ReassignForm(request.POST or None, cases=cases, coordinators=services.coordinators(organisation))

    def save(form):
        n = services.reassign(
            actor=request.user,
            organisation=organisation,
            case_ids=[int(pk) for pk in form.cleaned_data["cases"]],
            to_user=form.cleaned_data["coordinator"],
        )
        messages.success(request, _("%(n)d cases have a new coordinator.") % {"n": n})
        return redirect("people:reassign")

    return _invite_form(request, form, "people/reassign.html", save, {"organisation": organisation, "cases": cases})


# --- employers --------------------------------------------------------------------------------------


def _staff_roles(user) -> set[str]:
    return set(Membership.objects.filter(user=user, role__in=STAFF_ROLES).values_list("role", flat=True))


def _employer(request, public_id, *, write=False) -> Organisation:
    roles = _staff_roles(request.user)
    if not roles or (write and not roles & set(STAFF_WRITE_ROLES)):
        raise Http404
    return get_object_or_404(Organisation, public_id=public_id, kind=OrganisationKind.EMPLOYER)


def employer_detail(request, public_id):
    employer = _employer(request, public_id)
    people = (
        Membership.objects.filter(organisation=employer, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )
    cases = (
        Case.objects.visible_to(request.user)
        .filter(employment__employer=employer)
        .select_related("person", "coordinator")
        .order_by("status", "-first_sick_day")
    )
    context = {
        "employer": employer,
        "people": people,
        "cases": Paginator(cases, 50).get_page(request.GET.get("page")),
        "can_edit": bool(_staff_roles(request.user) & set(STAFF_WRITE_ROLES)),
        "invitations": Invitation.objects.filter(
            organisation=employer, purpose=Purpose.EMPLOYER, accepted_at__isnull=True
        ).select_related("invited_by")[:50],
        "employer_roles": EMPLOYER_ROLES,
    }
    return render(request, "people/employer_detail.html", context)


def employer_edit(request, public_id):
    employer = _employer(request, public_id, write=True)
    version = request.POST.get("version", employer.version)
    form = EmployerForm(request.POST or None, instance=Organisation.objects.get(pk=employer.pk))

    def save(form):
        try:
            expected = int(version)
        except (TypeError, ValueError):
            expected = -1
        services.employer_update(
            actor=request.user, employer=employer, expected_version=expected, data=form.cleaned_data
        )
        messages.success(request, _("The employer was saved."))
        return redirect("people:employer", employer.public_id)

    def saved_now():
        employer.refresh_from_db()
        return {"saved": employer, "version": employer.version}

    return form_view(
        request,
        form=form,
        template="people/employer_form.html",
        on_valid=save,
        context={"employer": employer, "version": version},
        on_conflict=saved_now,
        refusals=_refusals(),
    )


def employer_invite(request, public_id):
    employer = _employer(request, public_id, write=True)
    form = OrganisationInvitationForm(request.POST or None, employer=True, initial={"language": "da"})

    def invite(form):
        sent = services.invite_to_organisation(
            actor=request.user, organisation=employer, data=form.cleaned_data, base_url=_base_url(request)
        )
        _say_sent(request, sent)
        return redirect("people:employer", employer.public_id)

    return _invite_form(request, form, "people/employer_invite.html", invite, {"employer": employer})


@require_http_methods(["GET", "POST"])
def staff_hand_over(request, user_id):
    """An administrator gives all the open cases one coordinator has to a colleague, in one transaction."""
    from fasthold.cases import reassignment
    from fasthold.cases.reassign_views import HandoverForm

    organisation = _administered(request)
    member = services.staff_member(organisation, user_id)
    if member is None:
        raise Http404

    def preview() -> dict:
        """The open cases that would move now, and their fingerprint (posted back with the form)."""
        cases = list(reassignment.open_cases_of(organisation.pk, member.pk).select_related("person"))
        return {"cases": cases, "cases_key": reassignment.cases_key(c.pk for c in cases)}

    shown = preview()
    colleagues = reassignment.colleagues(organisation.pk, exclude_user_id=member.pk)
    form = HandoverForm(request.POST or None, colleagues=colleagues, initial={"version": len(shown["cases"])})

    def save(form):
        n = reassignment.reassign_all(
            actor=request.user,
            organisation_id=organisation.pk,
            from_user=member,
            to_user=form.cleaned_data["coordinator"],
            note=form.cleaned_data["note"],
            # The cases the administrator saw: one given to the coordinator since (or taken away) is a 409.
            expected_key=request.POST.get("cases_key", ""),
        )
        return done(
            request,
            _("%(n)d cases were given to %(name)s.") % {"n": n, "name": form.cleaned_data["coordinator"].display_name},
            "people:staff_member",
            member.pk,
        )

    def changed() -> dict:
        return {
            **preview(),
            "conflict_heading": _(
                "The open cases changed since the list was shown. Nothing was moved: check the list and give "
                "the cases again."
            ),
        }

    return form_view(
        request,
        form,
        "people/hand_over.html",
        save,
        context={"member": member, **shown},
        on_conflict=changed,
    )
