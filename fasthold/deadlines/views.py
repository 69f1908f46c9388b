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
from fasthold.deadlines import engine, ical, selectors, services
from fasthold.deadlines.forms import CalendarSettingsForm, DashboardFilterForm, DoneForm, EventForm
from fasthold.deadlines.models import LOCAL_PACK, CalendarSettings, CaseEvent, Deadline, FeedToken
from fasthold.formviews import done, form_view
from fasthold.organisations.models import Membership, OrgRole


def dashboard(request):
    today = timezone.localdate()
    is_staff = selectors.is_staff(request.user)
    form = DashboardFilterForm(request.GET or None, is_staff=is_staff)
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
        "is_staff": is_staff,  # only staff are linked to the case calendar (a worksheet)
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
    # Dated deadlines (and those waiting for an event) first, in date order; rights and duties with no
    # date (standing rules, e.g. § 7 b) in a list of their own.
    dated = sorted((d for d in deadlines if not d.standing), key=lambda d: (d.due is None, d.due or today, d.pk))
    return {
        "case": case,
        "access": access,
        "deadlines": dated,
        "standing": [d for d in deadlines if d.standing],
        "packs": _packs_used(deadlines),
        "today": today,
        "events": list(case.calendar_events.order_by("occurred_on")),
        "event_form": event_form,
        "language": translation.get_language(),
    }


def _packs_used(deadlines: list[Deadline]) -> list[dict]:
    """Which packs, in which version, computed the stored calendar (the case's own dates aside)."""
    seen: dict[tuple[str, str], dict] = {}
    for d in deadlines:
        if d.pack_id == LOCAL_PACK or (d.pack_id, d.pack_version) in seen:
            continue
        pack = engine.load_pack(d.pack_id)
        seen[(d.pack_id, d.pack_version)] = {
            "pack": pack,
            "version": d.pack_version or pack.version,
            "outdated": bool(d.pack_version) and d.pack_version != pack.version,
        }
    return sorted(seen.values(), key=lambda p: (p["pack"].optional, p["pack"].id))


def _editable_case(request, public_id):
    """The case and the user's access, for a change only editing staff may make (403 for anyone else)."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    return case, access


def case_calendar(request, public_id):
    # The legal calendar (rules, sources, confidence) is the professionals' worksheet: the employee and
    # the employer side see their own duties, in their words, on their portal.
    case, access = get_case_for_user(request.user, public_id)
    access.require_worksheet()
    return render(request, "deadlines/case_calendar.html", _calendar_context(case, access))


def _after_done(case, access):
    """Back to where the mark was given: the case calendar, or the portal of the employee or employer."""
    if access.may_see_worksheets:
        return redirect("deadlines:case", case.public_id)
    if access.is_employer_side:
        return redirect("portals:employer_case", case.public_id)
    return redirect("portals:employee")


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
        return _after_done(case, access)
    try:
        services.deadline_complete(
            actor=request.user, case=case, deadline=deadline, done_on=form.cleaned_data["done_on"]
        )
        messages.success(request, _("Marked as done."))
    except Deadline.DoesNotExist:
        raise Http404 from None
    except services.CalendarError:
        messages.info(request, _("Someone had already marked it as done."))
    return _after_done(case, access)


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


def _admin_membership(user) -> Membership:
    """The organisation whose rules the user may choose: administrators only (403 for anyone else)."""
    membership = (
        Membership.objects.filter(user=user, role=OrgRole.ADMIN).select_related("organisation").order_by("pk").first()
    )
    if membership is None:
        raise PermissionDenied
    return membership


def calendar_settings(request):
    organisation = _admin_membership(request.user).organisation
    settings_obj, _created = CalendarSettings.objects.get_or_create(organisation=organisation)
    form = CalendarSettingsForm(
        request.POST or None,
        instance=CalendarSettings.objects.get(pk=settings_obj.pk),
        initial={"version": settings_obj.version},
    )

    def save(form):
        data = form.cleaned_data
        services.calendar_settings_update(
            actor=request.user,
            organisation=organisation,
            expected_version=data["version"],
            jurisdiction=data["jurisdiction"],
            good_practice=data["good_practice"],
        )
        return done(
            request, _("Saved. The calendars of the organisation's cases were recomputed."), "deadlines:settings"
        )

    def saved_now():
        settings_obj.refresh_from_db()
        return {"saved": settings_obj}

    return form_view(
        request,
        form,
        "deadlines/settings.html",
        save,
        context={"organisation": organisation, "settings": settings_obj, "packs": _packs_of(settings_obj.jurisdiction)},
        on_conflict=saved_now,
    )


def _packs_of(jurisdiction: str) -> list[engine.Pack]:
    packs = [engine.load_pack(p) for p in engine.available_packs()]
    return sorted((p for p in packs if p.jurisdiction == jurisdiction), key=lambda p: (p.optional, p.applies_from))


def pack_detail(request, pack_id):
    """A rule pack explained: its rules with their sources, its rule for weekends and holidays, and what it
    leaves out and why. Public law, so any logged-in user may read it (the login middleware checks that);
    an unknown pack is a 404."""
    if not request.user.is_authenticated:  # the middleware already refuses; kept explicit here
        raise PermissionDenied
    if pack_id not in engine.available_packs():
        raise Http404
    pack = engine.load_pack(pack_id)
    language = translation.get_language()
    return render(
        request,
        "deadlines/pack_detail.html",
        {"pack": pack, "rules": pack.rules, "language": language, "others": _packs_of(pack.jurisdiction)},
    )
