"""Bringing people in: invitations, and the organisation administrator's work on staff.

Each workflow writes its change and its audit row in one transaction and takes the acting user
explicitly. Who may be invited to a case in which role is the participant rules'
(fasthold/cases/eligibility.py): an invitation grants the membership a role needs, and the
participation itself is added through `cases.services.participant_add`, which checks the rules again
when the invitation is accepted. Nothing here logs a token, a password or a person's name.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.accounts.models import RecoveryCode, TwoFactorDevice
from fasthold.accounts.services import audit_organisation
from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases import eligibility, hooks
from fasthold.cases import services as case_services
from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, CaseStatus, ParticipantRole
from fasthold.cases.models import Case, Participant, Person
from fasthold.kernel import ConflictError, NotAllowed, update_versioned
from fasthold.organisations.models import (
    CASE_OWNER_KINDS,
    STAFF_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    OrgRole,
)
from fasthold.people import mail, tokens
from fasthold.people.models import Invitation, Purpose, State

User = get_user_model()

# The membership a case role needs, granted with the invitation: where (the case's employer, or a
# health practice) and in which role. The employee needs none: the invitation links the case's person.
# Shop stewards and safety representatives are not invited: the access policy (cases/access.py) gives
# them no view of a case yet, so a login would open nothing; they take part as named contacts.
CASE_ROLE_MEMBERSHIP: dict[str, str] = {
    ParticipantRole.MANAGER: OrgRole.MANAGER,
    ParticipantRole.HR: OrgRole.HR,
    **{role: OrgRole.HEALTH_PROFESSIONAL for role in HEALTH_PROFESSIONAL_ROLES},
}
INVITABLE_CASE_ROLES = (ParticipantRole.EMPLOYEE, *CASE_ROLE_MEMBERSHIP)
EMPLOYER_INVITE_ROLES = (OrgRole.MANAGER, OrgRole.HR)
# A resend makes a new link; a pause between sends keeps a double click from mailing twice, and a cap
# keeps one invitation from becoming a way to send mail to an address over and over.
RESEND_PAUSE = dt.timedelta(minutes=2)
MAX_SENDS = 5
RENEWAL_PAUSE = dt.timedelta(days=1)


class Refused(Exception):
    """The change cannot be made: an invitation that cannot be sent or used, a CVR number taken. The
    message is for the person at the screen."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sent:
    """What an invite did: a new invitation mailed, or (invitation None) an existing account added."""

    invitation: Invitation | None
    user: Any = None


# --- limits ----------------------------------------------------------------------------------------


def _check_hourly_limit(actor) -> None:
    limit = settings.FASTHOLD_INVITATIONS_PER_HOUR
    since = timezone.now() - dt.timedelta(hours=1)
    if Invitation.objects.filter(invited_by=actor, created_at__gte=since).count() >= limit:
        raise Refused(
            _("You have sent %(n)d invitations in the last hour, which is the limit. Please try again later.")
            % {"n": limit}
        )


def _existing_user(email: str):
    """The one active account with this e-mail address, or None. Several accounts with one address are
    not guessed between: the invitation then makes a new login."""
    users = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    return users[0] if len(users) == 1 else None


# --- inviting ---------------------------------------------------------------------------------------


def case_roles(case: Case) -> list[tuple[str, str]]:
    """The roles someone can be invited to on this case now, as (value, label)."""
    facts = eligibility.case_facts(case)
    roles = []
    for role in INVITABLE_CASE_ROLES:
        if role == ParticipantRole.EMPLOYEE and facts.person_user_id:
            continue
        if eligibility.rule_for(role).where is eligibility.Where.EMPLOYER and (
            facts.employer_id is None or facts.employment_ended
        ):
            continue
        roles.append((role, ParticipantRole(role).label))
    return roles


def _case_membership_target(case: Case, role: str, health_practice: Organisation | None) -> Organisation | None:
    if role == ParticipantRole.EMPLOYEE:
        return None
    if role in HEALTH_PROFESSIONAL_ROLES:
        if health_practice is None:
            raise Refused(_("Choose the health professional's practice, or give its name."))
        return health_practice
    return case.employment.employer


def _check_case_invitation(case: Case, role: str, email: str, health_agreement: str) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Refused(_("The case is closed, so nobody new can be invited to it."))
    if role not in dict(case_roles(case)):
        facts = eligibility.case_facts(case)
        if role == ParticipantRole.EMPLOYEE and facts.person_user_id:
            raise Refused(_("The employee already has a login and takes part in the case."))
        if role in INVITABLE_CASE_ROLES:
            rule = eligibility.rule_for(role)
            reason = (
                eligibility.Reason.NO_EMPLOYER if facts.employer_id is None else eligibility.Reason.EMPLOYMENT_ENDED
            )
            raise Refused(eligibility.refusal_text(reason, rule, facts))
        raise Refused(_("Nobody can be invited in this role; add an external contact instead."))
    if eligibility.rule_for(role).health_agreement and not health_agreement:
        raise Refused(
            eligibility.refusal_text(
                eligibility.Reason.NO_AGREEMENT, eligibility.rule_for(role), eligibility.case_facts(case)
            )
        )
    if Invitation.objects.pending().filter(case=case, participant_role=role, email__iexact=email).exists():
        raise Refused(_("This person has already been invited in this role; resend that invitation."))


def health_practice(*, actor, choice: Organisation | None, new_name: str) -> Organisation | None:
    """The practice chosen, or a new one by name (audited like any new organisation)."""
    if choice is not None or not new_name:
        return choice
    practice = Organisation.objects.filter(kind=OrganisationKind.HEALTH_PRACTICE, name__iexact=new_name).first()
    if practice is None:
        practice = Organisation.objects.create(kind=OrganisationKind.HEALTH_PRACTICE, name=new_name)
        audit_record(actor=actor, action=AuditAction.ORGANISATION_CREATED, organisation=practice)
    return practice


@transaction.atomic
def invite_to_case(*, actor, case: Case, data: dict[str, Any], base_url: str) -> Sent:
    """Invite someone to take part in the case. An existing account with the address is added at
    once and told so; anyone else gets a link. Raises Refused, writing nothing.

    A health professional's practice is `data["health_practice"]` (an organisation) or, by name,
    `data["new_practice"]` (made here if no practice has that name)."""
    role, email = data["participant_role"], data["email"]
    _check_case_invitation(case, role, email, data.get("health_agreement", ""))
    practice = None
    if role in HEALTH_PROFESSIONAL_ROLES:
        practice = health_practice(
            actor=actor, choice=data.get("health_practice"), new_name=(data.get("new_practice") or "").strip()
        )
    target = _case_membership_target(case, role, practice)
    existing = _existing_user(email)
    if existing is not None:
        _place(
            actor=actor,
            user=existing,
            case=case,
            role=role,
            organisation=target,
            org_role=CASE_ROLE_MEMBERSHIP.get(role, ""),
            health_agreement=data.get("health_agreement", ""),
        )
        transaction.on_commit(lambda: mail.send_added(user=existing, case=case, inviter=actor, base_url=base_url))
        return Sent(None, existing)
    _check_hourly_limit(actor)
    invitation = _create(
        actor=actor,
        data=data,
        purpose=Purpose.CASE,
        case=case,
        organisation=target,
        org_role=CASE_ROLE_MEMBERSHIP.get(role, ""),
        base_url=base_url,
    )
    return Sent(invitation)


@transaction.atomic
def invite_to_organisation(*, actor, organisation: Organisation, data: dict[str, Any], base_url: str) -> Sent:
    """Invite a member of staff (case-owning organisation) or a manager/HR person (employer)."""
    role = data["org_role"]
    purpose = Purpose.EMPLOYER if organisation.is_employer else Purpose.STAFF
    allowed = EMPLOYER_INVITE_ROLES if organisation.is_employer else STAFF_ROLES
    if role not in allowed:
        raise Refused(_("Choose one of the roles offered."))
    email = data["email"]
    if Invitation.objects.pending().filter(organisation=organisation, org_role=role, email__iexact=email).exists():
        raise Refused(_("This person has already been invited in this role; resend that invitation."))
    existing = _existing_user(email)
    if existing is not None:
        # Someone who already logs in gets the role at once and is told; only new people need a link.
        _grant(actor=actor, user=existing, organisation=organisation, role=role)
        transaction.on_commit(lambda: mail.send_added(user=existing, case=None, inviter=actor, base_url=base_url))
        return Sent(None, existing)
    _check_hourly_limit(actor)
    return Sent(
        _create(actor=actor, data=data, purpose=purpose, organisation=organisation, org_role=role, base_url=base_url)
    )


def _create(*, actor, data, purpose, base_url, case=None, organisation=None, org_role="") -> Invitation:
    token, token_hash = tokens.new()
    now = timezone.now()
    invitation = Invitation.objects.create(
        purpose=purpose,
        case=case,
        organisation=organisation,
        org_role=org_role,
        participant_role=data.get("participant_role", ""),
        health_agreement=data.get("health_agreement", ""),
        email=data["email"],
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        language=data["language"],
        invited_by=actor,
        token_hash=token_hash,
        sent_at=now,
        expires_at=now + tokens.LIFETIME,
    )
    audit_record(
        actor=actor,
        action=AuditAction.INVITATION_CREATED,
        case=case,
        organisation=_audit_org(invitation),
        fields=["email"],
    )
    transaction.on_commit(lambda: mail.send_invitation(invitation, token=token, base_url=base_url))
    return invitation


def _audit_org(invitation: Invitation):
    """The organisation whose audit log shows the invitation: the case's, else the one invited to."""
    if invitation.case_id:
        return invitation.case.organisation
    return _audit_home(invitation.organisation, invitation.invited_by)


def _audit_home(organisation, actor):
    """An employer or a practice has no audit browser of its own: their rows go to the acting person's
    case-owning organisation (accounts.services.audit_organisation), if they have one."""
    if organisation is not None and organisation.kind in CASE_OWNER_KINDS:
        return organisation
    return audit_organisation(actor) or organisation


@transaction.atomic
def resend(*, actor, invitation: Invitation, base_url: str) -> None:
    """A new link (the old one stops working) valid for another seven days."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if invitation.accepted_at or invitation.revoked_at:
        raise Refused(_("This invitation has been accepted or withdrawn, so it cannot be sent again."))
    if invitation.send_count >= MAX_SENDS:
        raise Refused(
            _("This invitation has been sent %(n)d times. Withdraw it and check the e-mail address.") % {"n": MAX_SENDS}
        )
    if now - invitation.sent_at < RESEND_PAUSE:
        raise Refused(_("The invitation was sent a moment ago. Please wait a few minutes before sending it again."))
    token, invitation.token_hash = tokens.new()
    invitation.sent_at, invitation.expires_at = now, now + tokens.LIFETIME
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
    audit_record(
        actor=actor, action=AuditAction.INVITATION_RESENT, case=invitation.case, organisation=_audit_org(invitation)
    )
    transaction.on_commit(lambda: mail.send_invitation(invitation, token=token, base_url=base_url))


@transaction.atomic
def revoke(*, actor, invitation: Invitation) -> None:
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if not updated:
        raise Refused(_("This invitation has already been accepted or withdrawn."))
    audit_record(
        actor=actor, action=AuditAction.INVITATION_REVOKED, case=invitation.case, organisation=_audit_org(invitation)
    )


# --- the invitee's side ----------------------------------------------------------------------------


def find(token: str) -> tuple[Invitation | None, str]:
    """The invitation behind a link and its state (State values, or "invalid")."""
    token_hash, problem = tokens.read(token)
    if token_hash is None:
        return None, "invalid"
    invitation = (
        Invitation.objects.select_related("case__person", "organisation", "invited_by")
        .filter(token_hash=token_hash)
        .first()
    )
    if invitation is None:
        # A link replaced by a resend, or never issued.
        return None, "invalid"
    state = invitation.state()
    if problem == tokens.Problem.EXPIRED and state == State.PENDING:
        state = State.EXPIRED
    return invitation, state


def username_for(email: str) -> str:
    """The login name: the e-mail address, with a number added if another account has it."""
    base = email.strip().lower()[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def accept(*, invitation: Invitation, language: str, password: str | None = None, link=None):
    """Make the invitee's login and give them their place. `password` (already validated) or `link`
    (a callable given the new user, for single sign-on) says how they will log in.
    Raises Refused if the invitation was used, withdrawn or has expired meanwhile, or if the
    case's rules no longer let them take part; nothing is written then."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("case__person").get(pk=invitation.pk)
    state = invitation.state()
    if state != State.PENDING:
        raise Refused(refusal_for_state(state))
    user = User(
        username=username_for(invitation.email),
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        preferred_language=language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if link is not None:
        link(user)
    actor = invitation.invited_by or user
    if invitation.purpose == Purpose.CASE:
        try:
            _place(
                actor=actor,
                user=user,
                case=invitation.case,
                role=invitation.participant_role,
                organisation=invitation.organisation,
                org_role=invitation.org_role,
                health_agreement=invitation.health_agreement,
            )
        except eligibility.NotEligible as refusal:
            transaction.set_rollback(True)
            raise Refused(refusal.message) from None
    else:
        _grant(actor=actor, user=user, organisation=invitation.organisation, role=invitation.org_role)
    invitation.accepted_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_record(
        actor=user, action=AuditAction.INVITATION_ACCEPTED, case=invitation.case, organisation=_audit_org(invitation)
    )
    return user


def refusal_for_state(state: str) -> str:
    return {
        State.ACCEPTED: _("This invitation has already been used. Log in with the login you made then."),
        State.REVOKED: _("This invitation has been withdrawn by the person who sent it."),
        State.EXPIRED: _("This invitation has expired: links work for 7 days."),
    }.get(state, _("This link is not valid. Check that you used the whole link from the e-mail."))


def _grant(*, actor, user, organisation: Organisation, role: str) -> None:
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.MEMBERSHIP_GRANTED,
            organisation=_audit_home(organisation, actor),
            fields=["role"],
        )


def _place(*, actor, user, case: Case, role: str, organisation, org_role: str, health_agreement: str) -> None:
    """Give `user` what the role needs and add them to the case through the participant rules."""
    if role == ParticipantRole.EMPLOYEE:
        # Link the case's person to the login, unless someone else was linked meanwhile.
        linked = Person.objects.filter(pk=case.person_id, user__isnull=True).update(user=user)
        if not linked and case.person.user_id != user.pk:
            raise eligibility.NotEligible(_("The employee already has a login and takes part in the case."))
        case.person.refresh_from_db(fields=["user"])
    elif organisation is not None and org_role:
        if (
            not Membership.objects.filter(user=user, role=org_role)
            .filter(Q(organisation=organisation) | Q(role=OrgRole.HEALTH_PROFESSIONAL))
            .exists()
        ):
            _grant(actor=actor, user=user, organisation=organisation, role=org_role)
    if Participant.objects.filter(case=case, role=role, user=user).exists():
        return
    # Someone already listed by name in this role (the employee always; others by their address)
    # becomes that participant with a login, instead of appearing twice.
    listed = Participant.objects.filter(case=case, role=role, user__isnull=True)
    if role != ParticipantRole.EMPLOYEE:
        listed = listed.filter(email__iexact=user.email)
    participant = listed.order_by("pk").first()
    if participant is not None:
        eligibility.check(case, role, user=user, health_agreement=participant.health_agreement or health_agreement)
        Participant.objects.filter(pk=participant.pk).update(user=user)
        return
    case_services.participant_add(
        actor=actor, case=case, data={"role": role, "user": user, "health_agreement": health_agreement}
    )


@transaction.atomic
def ask_for_renewal(*, invitation: Invitation, base_url: str) -> bool:
    """The invitee of an expired link asks for a new one: the inviter is told by e-mail (at most once a
    day). Returns whether a message went; the page says the same either way."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if invitation.state() != State.EXPIRED or invitation.invited_by is None:
        return False
    if invitation.renewal_asked_at and now - invitation.renewal_asked_at < RENEWAL_PAUSE:
        return False
    invitation.renewal_asked_at = now
    invitation.save(update_fields=["renewal_asked_at"])
    transaction.on_commit(lambda: mail.send_renewal_request(invitation, base_url=base_url))
    return True


# How long a used, withdrawn or expired invitation is kept (its name and address are personal data).
# The audit rows stay; they hold no name or address.
INVITATION_RETENTION = dt.timedelta(days=90)


def invitations_prune(now=None, *, dry_run: bool = False) -> int:
    """Delete invitations finished more than INVITATION_RETENTION ago; how many (or would be)."""
    before = (now or timezone.now()) - INVITATION_RETENTION
    finished = Invitation.objects.filter(
        Q(accepted_at__lt=before) | Q(revoked_at__lt=before) | Q(accepted_at__isnull=True, expires_at__lt=before)
    )
    return finished.count() if dry_run else finished.delete()[0]


# --- the organisation administrator ---------------------------------------------------------------


def administered_organisation(user) -> Organisation | None:
    """The case-owning organisation this user administers, or None."""
    membership = (
        Membership.objects.filter(user=user, role=OrgRole.ADMIN, organisation__kind__in=CASE_OWNER_KINDS)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return membership.organisation if membership else None


def staff_member(organisation: Organisation, user_id) -> Any:
    """A user with a staff role in the organisation, or None (then the page is a 404)."""
    return (
        User.objects.filter(pk=user_id, memberships__organisation=organisation, memberships__role__in=STAFF_ROLES)
        .distinct()
        .first()
    )


def _require_other(actor, user) -> None:
    if actor.pk == user.pk:
        raise NotAllowed(_("You cannot change your own account here; ask another administrator."))


def _require_an_admin_left(organisation, without_user) -> None:
    others = Membership.objects.filter(organisation=organisation, role=OrgRole.ADMIN, user__is_active=True).exclude(
        user=without_user
    )
    if not others.exists():
        raise NotAllowed(_("The organisation must keep at least one active administrator."))


@transaction.atomic
def roles_change(*, actor, organisation: Organisation, user, roles: list[str]) -> None:
    _require_other(actor, user)
    roles = [r for r in roles if r in STAFF_ROLES]
    if not roles:
        raise NotAllowed(_("Choose at least one role. To remove someone's access, deactivate the account."))
    if OrgRole.ADMIN not in roles:
        _require_an_admin_left(organisation, user)
    current = set(
        Membership.objects.filter(user=user, organisation=organisation, role__in=STAFF_ROLES).values_list(
            "role", flat=True
        )
    )
    Membership.objects.filter(user=user, organisation=organisation, role__in=current - set(roles)).delete()
    for role in set(roles) - current:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    if current != set(roles):
        audit_record(actor=actor, action=AuditAction.ROLES_CHANGED, organisation=organisation, fields=["role"])


def end_sessions(user) -> int:
    """Delete every session of the user now (database sessions are the only engine Fasthold uses);
    the authentication middleware would refuse an inactive user's session anyway."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def deactivate(*, actor, organisation: Organisation, user) -> int:
    """The account stops working at once (its sessions end); its open cases wait for reassignment.
    Returns how many open cases it coordinated."""
    _require_other(actor, user)
    _require_an_admin_left(organisation, user)
    if not user.is_active:
        return 0
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    Invitation.objects.pending().filter(invited_by=user).update(revoked_at=timezone.now(), revoked_by=actor)
    audit_record(actor=actor, action=AuditAction.USER_DEACTIVATED, organisation=organisation)
    transaction.on_commit(lambda: end_sessions(user))
    return Case.objects.filter(coordinator=user).exclude(status=CaseStatus.CLOSED).count()


@transaction.atomic
def reactivate(*, actor, organisation: Organisation, user) -> None:
    if user.is_active:
        return
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit_record(actor=actor, action=AuditAction.USER_REACTIVATED, organisation=organisation)


@transaction.atomic
def two_factor_reset(*, actor, organisation: Organisation, user) -> None:
    """The user lost their phone: the device and recovery codes go; they set up a new one at the next
    login, and their sessions end so the old device cannot be used in one that is open."""
    _require_other(actor, user)
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=actor, action=AuditAction.TWO_FACTOR_RESET, organisation=organisation)
    transaction.on_commit(lambda: end_sessions(user))


def cases_to_reassign(organisation: Organisation):
    """Open cases of the organisation whose coordinator is deactivated, or that have none."""
    return (
        Case.objects.filter(organisation=organisation)
        .exclude(status=CaseStatus.CLOSED)
        .filter(Q(coordinator__isnull=True) | Q(coordinator__is_active=False))
        .select_related("person", "coordinator")
        .order_by("first_sick_day", "pk")
    )


def coordinators(organisation: Organisation):
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=(OrgRole.COORDINATOR, OrgRole.ADMIN),
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@transaction.atomic
def reassign(*, actor, organisation: Organisation, case_ids: list[int], to_user) -> int:
    """Give the chosen open cases a new coordinator. Only cases still waiting for one are changed, so
    two administrators reassigning at once cannot overwrite each other's choice."""
    if not coordinators(organisation).filter(pk=to_user.pk).exists():
        raise NotAllowed(_("Choose an active coordinator of the organisation."))
    cases = list(cases_to_reassign(organisation).filter(pk__in=case_ids).select_for_update(of=("self",)))
    for case in cases:
        try:
            update_versioned(Case, case, case.version, {"coordinator": to_user})
        except ConflictError:
            continue
        audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=["coordinator"])
        # The deadlines carry a copy of the coordinator: without this the digests kept going to nobody.
        hooks.dates_changed(case)
    return len(cases)


# --- employers --------------------------------------------------------------------------------------


@transaction.atomic
def employer_update(*, actor, employer: Organisation, expected_version: int, data: dict[str, Any]) -> None:
    changed = sorted(k for k, v in data.items() if getattr(employer, k) != v)
    if not changed:
        return
    try:
        with transaction.atomic():
            update_versioned(Organisation, employer, expected_version, {k: data[k] for k in changed})
    except IntegrityError:
        raise Refused(_("Another employer already has this CVR number.")) from None
    audit_record(actor=actor, action=AuditAction.ORGANISATION_UPDATED, organisation=employer, fields=changed)
