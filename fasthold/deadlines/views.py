import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.cases.access import get_case_for_user
from fasthold.deadlines import ical, selectors, services
from fasthold.deadlines.forms import DashboardFilterForm, DoneForm, EventForm
from fasthold.deadlines.models import CalendarSettings, CaseEvent, Deadline, FeedToken
from fasthold.formviews import done
from fasthold.organisations.models import Membership, OrgRole


def dashboard(request):
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, is_staff=selectors.is_staff(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    days = filters.get("days") or 14
    deadlines = selectors.dashboard_deadlines(
        request.user,
        scope=filters.get("scope") or "mine",
        responsible=filters.get("responsible") or "",
        until=today + dt.timedelta(days=days),
    )
    rows = list(deadlines[: selectors.LIST_LIMIT])
    overdue, by_day = selectors.grouped(rows, today)
    context = {
        "form": form,
        "today": today,
        "days": days,
        "overdue": overdue,
        "by_day": by_day,
        "overdue_total": selectors.capped_count(deadlines.filter(due__lt=today)),
        "cap": selectors.OVERDUE_COUNT_CAP,
        "truncated": len(rows) == selectors.LIST_LIMIT,
        "language": translation.get_language(),
    }
    template = "deadlines/dashboard.html#results" if request.htmx else "deadlines/dashboard.html"
    return render(request, template, context)


def _may_complete(access, deadline: Deadline) -> bool:
    if access.can_edit:
        return True
    if access.is_employer_side:
        return deadline.responsible == "employer"
    if access.is_employee:
        return deadline.responsible == "employee"
    return False


def _calendar_context(case, access, event_form=None) -> dict:
    today = timezone.localdate()
    deadlines = case.deadlines.select_related("done_by").order_by("due", "id")
    if not access.can_view_health:
        deadlines = selectors.employer_visible(deadlines)
    deadlines = list(deadlines)
    for deadline in deadlines:
        deadline.state = deadline.status(today)
        deadline.may_complete = _may_complete(access, deadline)
    if event_form is None and access.can_edit:
        event_form = EventForm(case=case, initial={"occurred_on": today})
    return {
        "case": case,
        "access": access,
        "deadlines": deadlines,
        "today": today,
        "events": list(case.calendar_events.order_by("occurred_on")),
        "event_form": event_form,
        "language": translation.get_language(),
    }


def _editable_case(request, public_id):
    """The case and the user's access, for a change only editing staff may make (403 for anyone else)."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    return case, access


def case_calendar(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    return render(request, "deadlines/case_calendar.html", _calendar_context(case, access))


@require_POST
def deadline_done(request, public_id, key):
    case, access = get_case_for_user(request.user, public_id)
    # A deadline hidden from this reader is answered like one that does not exist.
    deadline = get_object_or_404(selectors.case_deadlines_for(case, access), key=key)
    if not _may_complete(access, deadline):
        raise PermissionDenied
    form = DoneForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["done_on"]))
        return redirect("deadlines:case", case.public_id)
    try:
        services.deadline_complete(
            actor=request.user, case=case, deadline=deadline, done_on=form.cleaned_data["done_on"]
        )
        messages.success(request, _("Marked as done."))
    except Deadline.DoesNotExist:
        raise Http404 from None
    except services.CalendarError:
        messages.info(request, _("Someone had already marked it as done."))
    return redirect("deadlines:case", case.public_id)


@require_POST
def deadline_undo(request, public_id, key):
    case, access = _editable_case(request, public_id)
    deadline = get_object_or_404(selectors.case_deadlines_for(case, access), key=key)
    services.deadline_reopen(actor=request.user, case=case, deadline=deadline)
    return done(request, _("The mark was removed."), "deadlines:case", case.public_id)


@require_POST
def event_record(request, public_id):
    case, access = _editable_case(request, public_id)
    form = EventForm(request.POST, case=case)
    if not form.is_valid():
        return render(request, "deadlines/case_calendar.html", _calendar_context(case, access, form), status=400)
    services.event_record(
        actor=request.user, case=case, key=form.cleaned_data["key"], occurred_on=form.cleaned_data["occurred_on"]
    )
    return done(request, _("The event was recorded and the calendar recomputed."), "deadlines:case", case.public_id)


@require_POST
def event_remove(request, public_id, key):
    case, access = _editable_case(request, public_id)
    if not CaseEvent.objects.filter(case=case, key=key).exists():
        raise Http404
    services.event_remove(actor=request.user, case=case, key=key)
    return done(request, _("The event was removed and the calendar recomputed."), "deadlines:case", case.public_id)


def feed_settings(request):
    token = FeedToken.objects.filter(user=request.user).first()
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            FeedToken.objects.filter(user=request.user).delete()
            messages.success(request, _("The feed address was revoked. Calendars using it stop updating."))
        else:
            FeedToken.objects.filter(user=request.user).delete()
            FeedToken.objects.create(user=request.user)
            messages.success(request, _("A new feed address was made. The old one no longer works."))
        return redirect("deadlines:feed_settings")
    url = request.build_absolute_uri(f"/calendar/feed/{token.token}.ics") if token else None
    return render(request, "deadlines/feed_settings.html", {"feed_url": url})


@login_not_required
def feed(request, token):
    feed_token = FeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed_token is None:
        raise Http404
    user = feed_token.user
    today = timezone.localdate()
    with translation.override(user.preferred_language):
        body = ical.calendar(
            selectors.user_feed_deadlines(user, today),
            base_url=request.build_absolute_uri("/"),
            language=user.preferred_language,
        )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def calendar_settings(request):
    memberships = Membership.objects.filter(user=request.user, role=OrgRole.ADMIN).select_related("organisation")
    membership = memberships.first()
    if membership is None:
        raise PermissionDenied
    settings_obj, _created = CalendarSettings.objects.get_or_create(organisation=membership.organisation)
    if request.method == "POST":
        settings_obj.good_practice = request.POST.get("good_practice") == "on"
        settings_obj.save(update_fields=["good_practice"])
        from fasthold.cases.models import Case

        cases = list(Case.objects.filter(organisation=membership.organisation).select_related("employment"))
        services.calendar_refresh_many(cases)
        return done(
            request, _("Saved. The calendars of the organisation's cases were recomputed."), "deadlines:settings"
        )
    return render(
        request, "deadlines/settings.html", {"settings": settings_obj, "organisation": membership.organisation}
    )
