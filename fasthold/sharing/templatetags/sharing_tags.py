from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from fasthold.sharing.models import ColleagueMessage
from fasthold.sharing.selectors import consent_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def sharing_panel(context, case, access):
    """The case page's consent panel.

    Employer-side: the items the employee shares with this user now, as the view read them into
    `shared` (fasthold.sharing.policy.shared_for, which logs the read: templates never write read rows).
    Staff, the employee and health professionals: a short summary of the consents in force, with links.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return ""
    if access.is_employer_side and not access.can_view_health:
        shared = context.get("shared")
        if shared is None:
            raise ImproperlyConfigured("The view must read what is shared (sharing.policy.shared_for).")
        message = (
            ColleagueMessage.objects.filter(case=case)
            .only(
                "approved_at",
                "approval_withdrawn_at",
                "approved_version",
                "version",
                "shared_on",
                "approved_text",
                *ColleagueMessage.PARTS,
            )
            .first()
        )
        return render_to_string(
            "sharing/_employer_panel.html", {"case": case, "shared": shared, "message": message}, request=request
        )
    if not (access.is_staff or access.is_employee or access.is_health_professional):
        return ""

    return render_to_string(
        "sharing/_summary_panel.html",
        {"case": case, "access": access, "by_recipient": consent_summary(case)},
        request=request,
    )
