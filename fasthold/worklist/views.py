from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from fasthold.cases.access import case_access
from fasthold.worklist import selectors, services
from fasthold.worklist.models import Kind, WorkItem


def worklist(request):
    """The coordinator's cases with what asks for attention, by kind; ?scope=team for the whole team."""
    readable, editable = selectors.staff_organisations(request.user)
    if not readable:
        raise Http404
    team = request.GET.get("scope") == "team"
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    handled = request.GET.get("state") == "handled"
    work = selectors.worklist(
        request.user,
        readable,
        team=team,
        kind=kind,
        handled=handled,
        language=translation.get_language() or "da",
        editable=editable,
        after=request.GET.get("after", ""),
    )
    context = {
        "work": work,
        "team": team,
        "kind": kind,
        "handled": handled,
        "kinds": [(value, Kind(value).label, n) for value, n in work.counts.items()],
        "kind_label": Kind(kind).label if kind else "",
        "editable": editable,
        "cap": selectors.COUNT_CAP,
        "cap_rows": selectors.LIMIT,
        # Said once for the page rather than once per row.
        "here": request.get_full_path(),
        "next_query": _next_query(request, work.next_after),
        "open_label": pgettext("go to", "Open"),
        "mark_label": _("Mark handled"),
    }
    return render(request, "worklist/worklist.html", context)


def _next_query(request, after: str) -> str:
    """The query string of the next page: this one's filters, and where it ends."""
    if not after:
        return ""
    query = request.GET.copy()
    query["after"] = after
    return query.urlencode()


@require_POST
def handled(request, public_id):
    item = get_object_or_404(WorkItem.objects.select_related("case"), public_id=public_id)
    access = case_access(request.user, item.case)
    if not access.is_staff:
        raise Http404  # another organisation's row, as for one that does not exist
    if services.mark_handled(actor=request.user, item=item, access=access):
        messages.success(request, _("Marked as handled."))
    else:
        messages.info(request, _("Someone had already handled it."))
    # Back to the page the row was on: a path on this site only (anything else, the worklist).
    back = request.POST.get("next", "")
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(back) if safe else redirect("worklist:worklist")
