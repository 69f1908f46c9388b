from django import template

from fasthold.people.models import Invitation

register = template.Library()


@register.inclusion_tag("people/_case_invitations.html", takes_context=True)
def invitation_panel(context, case, access):
    """The case's invitations that are waiting, withdrawn or expired, for those who may change the
    case (one query; nothing for anyone else). Accepted ones are participants by then."""
    if not access.can_edit:
        return {"show": False}
    invitations = list(
        Invitation.objects.filter(case=case, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")[:20]
    )
    return {"show": True, "case": case, "invitations": invitations, "request": context["request"]}
