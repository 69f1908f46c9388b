"""The employer's and the employee's portals: each a short, phone-first page of what matters to them now.

Access is the case policy's (fasthold.cases.access); the employer portal shows functional information
only, and what the employee has chosen to share through fasthold.sharing.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from fasthold.cases.access import case_access, get_case_for_user
from fasthold.cases.services import case_view_log
from fasthold.portals import selectors
from fasthold.sharing.policy import shared_for


def employer(request):
    """My sick-listed employees: one card each with what is due from me and the next meeting."""
    today = timezone.localdate()
    cards = selectors.employer_cards(request.user, today)
    return render(request, "portals/employer.html", {"cards": cards, "today": today})


def employer_case(request, public_id):
    """One employee, as their manager or HR sees them: functional information and agreements."""
    case, access = get_case_for_user(request.user, public_id)
    if not access.is_employer_side:
        raise Http404
    case_view_log(actor=request.user, case=case)
    today = timezone.localdate()
    context = {
        "case": case,
        "access": access,
        "today": today,
        **selectors.employer_case_context(case, request.user, today),
    }
    context["shared"] = shared_for(request, case, access=access)  # the sharing panel's items, their read logged
    return render(request, "portals/employer_case.html", context)


def employee(request):
    """My return to work: the employee's calm overview of their own case."""
    case = selectors.employee_case(request.user)
    if case is None:
        return render(request, "portals/employee.html", {"case": None})
    access = case_access(request.user, case)
    today = timezone.localdate()
    context = {
        "case": case,
        "access": access,
        "today": today,
        "first_name": case.person.name.split()[0],
        **selectors.employee_context(case, request.user, today),
    }
    return render(request, "portals/employee.html", context)
