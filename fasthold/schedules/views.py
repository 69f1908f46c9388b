"""Schedule pages. Each view: access via get_case_for_user, a form, a service, render.

Staff with edit rights make and change the schedule in the plan's draft version. The employee and the
employer-side manager see the current version's schedule and record the hours actually worked.
Health professionals and read-only staff see it. Nothing here is health information."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import CaseAccess, get_case_for_user
from fasthold.cases.choices import ProfessionCategory
from fasthold.cases.models import Case
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.organisations.models import STAFF_ROLES, Membership, OrgRole
from fasthold.schedules import exports, forms, layout, selectors, services
from fasthold.schedules.generator import ScheduleError
from fasthold.schedules.models import (
    COLOUR_ORDER,
    WEEKDAY_SHORT,
    DayKind,
    DialName,
    MixerSetting,
    ReturnSchedule,
    ScheduleMode,
    TaskItem,
    TaskTemplate,
    monday_of,
)


def _viewed(user, case) -> None:
    """A view of the schedule (functional information; no health text, so no read-log row)."""
    audit_record(actor=user, action=AuditAction.CASE_VIEWED, case=case, fields=["schedule"])


def _editable_case(request, public_id):
    """The case and the user's access, for a change only editing staff may make (403 for anyone else)."""
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    return case, access


def _can_record(access) -> bool:
    return access.can_edit or access.is_employee or access.is_employer_side


def _context(case, access, **extra) -> dict:
    return {
        "case": case,
        "access": access,
        "today": timezone.localdate(),
        "weekday_short": [WEEKDAY_SHORT[d] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
        **extra,
    }


def schedule_page(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    versions = selectors.plan_versions(case)
    version = versions.focus(prefer_draft=access.is_staff)
    schedule = selectors.schedule_for(version)
    view = None
    if schedule is not None:
        view = selectors.schedule_view(schedule, actuals=selectors.actual_weeks(case))
    _viewed(request.user, case)
    return render(
        request,
        "schedules/schedule.html",
        _context(
            case,
            access,
            versions=versions,
            version=version,
            schedule=schedule,
            view=view,
            editable=bool(schedule and version.is_draft and access.can_edit),
            can_record=_can_record(access),
            tasks=selectors.tasks_by_colour(case),
        ),
    )


def _draft_or_explain(request, case, access):
    """The draft version to work in, or a page that says how to get one."""
    versions = selectors.plan_versions(case)
    if versions.draft is not None:
        return versions.draft, None
    return None, render(request, "schedules/no_draft.html", _context(case, access, versions=versions), status=409)


def _initial(case, schedule: ReturnSchedule | None) -> dict:
    if schedule is not None:
        data = {name: getattr(schedule, name) for name in services.PARAMETER_FIELDS if name != "phases"}
        data["workdays"], data["rest_days"] = list(schedule.workday_list), list(schedule.rest_day_list)
        data["quantum"] = f"{schedule.quantum.normalize()}"
        for i, phase in enumerate(schedule.phases, start=1):
            data[f"phase_{i}_hours"], data[f"phase_{i}_weeks"] = phase["week_hours"], phase["weeks"]
        data["lock"] = schedule.version
        return data
    weekly = case.employment.weekly_hours if case.employment and case.employment.weekly_hours else Decimal(37)
    # The seed's table: 2 hours a day, half an hour more each week, Wednesday to recover, up to 7 hours.
    return {
        "mode": ScheduleMode.GENERATED,
        "start_date": forms.default_start(timezone.localdate()),
        "workdays": ["mon", "tue", "wed", "thu", "fri"],
        "rest_days": ["wed"],
        "normal_week_hours": weekly,
        "start_hours": 2,
        "step_hours": Decimal("0.5"),
        "step_weeks": 1,
        "max_day_hours": min(Decimal(7), weekly / 5 if weekly else Decimal(7)).quantize(Decimal("0.5")),
        "rest_days_end": "never",
        "holidays": "dk",
        "quantum": "0.5",
    }


def schedule_edit(request, public_id):
    """Make or change the draft's schedule. Changes re-render the preview (htmx); saving needs a valid form."""
    case, access = _editable_case(request, public_id)
    version, explain = _draft_or_explain(request, case, access)
    if explain is not None:
        return explain
    schedule = selectors.schedule_for(version)
    initial = _initial(case, schedule)
    previewing = request.method == "GET" and "mode" in request.GET
    data = request.POST if request.method == "POST" else (request.GET if previewing else None)
    form = forms.ScheduleForm(data, initial=initial)
    status, conflict = 200, None
    if data is not None and not form.is_valid():
        status = 400 if request.method == "POST" else 200
    elif request.method == "POST" and "preview" not in request.POST:
        try:
            services.schedule_save(
                actor=request.user,
                version=version,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("lock"),
            )
        except ConflictError:
            status = 409
            saved = selectors.schedule_for(version)
            conflict = selectors.schedule_view(saved) if saved else None
        except NotAllowed:
            messages.error(request, _("This version of the plan can no longer be changed. Revise the plan first."))
            return redirect("schedules:schedule", case.public_id)
        else:
            return done(
                request, _("The schedule is saved in the draft of the plan."), "schedules:schedule", case.public_id
            )
    if form.is_bound:
        preview = form.generated if form.is_valid() else None
    elif schedule is not None:
        preview = _safe_built(schedule)
    else:
        seeded = forms.ScheduleForm(initial)
        preview = seeded.generated if seeded.is_valid() else None
    context = _context(
        case,
        access,
        form=form,
        version=version,
        schedule=schedule,
        preview=preview,
        chart=_chart(preview),
        rows=layout.calendar_rows(preview),
        conflict=conflict,
        status=status,
        lock=conflict.schedule.version if conflict else (form["lock"].value() or ""),
        preview_url=reverse("schedules:edit", args=[case.public_id]),
    )
    if request.htmx and previewing:
        return render(request, "schedules/form.html#preview", context)
    return render(request, "schedules/form.html", context, status=status)


def _safe_built(schedule):
    try:
        return selectors.built(schedule)
    except ScheduleError:
        return None


def _chart(preview):
    return layout.weekly_chart(preview) if preview else None


class _Draft(NamedTuple):
    """The schedule of the plan's draft, being changed, with its case and the user's access."""

    case: Case
    access: CaseAccess
    schedule: ReturnSchedule


def _draft_schedule(request, public_id) -> tuple[_Draft | None, HttpResponse | None]:
    """The draft's schedule to change, or the page that says why there is none to change yet."""
    case, access = _editable_case(request, public_id)
    version, explain = _draft_or_explain(request, case, access)
    if explain is not None:
        return None, explain
    schedule = selectors.schedule_for(version)
    if schedule is None:
        messages.info(request, _("Make the schedule first."))
        return None, redirect("schedules:edit", case.public_id)
    return _Draft(case, access, schedule), None


def day_edit(request, public_id, day):
    draft, early = _draft_schedule(request, public_id)
    if early is not None:
        return early
    schedule = draft.schedule
    view = selectors.schedule_view(schedule)
    if view.generated is None:
        raise Http404
    week = next((w for w in view.generated.weeks if any(d.date == day for d in w.days)), None)
    if week is None:
        raise Http404
    current = next(d for d in week.days if d.date == day)
    room = week.total_hours - current.hours
    room = max(0.0, view.generated.normal_week_hours - room)
    form = forms.DayForm(
        request.POST or None,
        holiday=current.kind == DayKind.HOLIDAY,
        room=room,
        initial={
            "kind": current.kind if current.kind != DayKind.HOLIDAY else DayKind.OFF,
            "hours": current.hours,
            "lock": schedule.version,
        },
    )
    if request.method == "POST" and "reset" in request.POST:
        return _button(request, draft, services.schedule_day_reset, _("The day follows the schedule again."), day=day)

    return _schedule_form(
        request,
        draft,
        form,
        "schedules/day_form.html",
        services.schedule_day_set,
        _("The day is adjusted."),
        values=lambda data: {"day": day, "hours": data["hours"], "kind": data["kind"]},
        context={"day": current, "week": week, "overridden": day in view.overrides, "schedule": schedule},
        on_conflict={"day": day},
    )


def _schedule_form(
    request, draft, form, template, service, message, *, values, context=None, on_conflict=None, quiet_refusal=False
):
    """A form that changes the `draft`'s schedule (fasthold.formviews.form_view): valid input goes to the
    workflow `service` (the acting user, the schedule, the lock and `values(cleaned_data)`), then back to
    the schedule with `message`. When someone else changed the schedule first, the conflict page shows it
    beside the user's input (with `on_conflict` besides).
    `quiet_refusal`: a version that stopped being a draft meanwhile sends the user back without a word."""
    case, access, schedule = draft

    def on_valid(form):
        data = form.cleaned_data
        try:
            service(actor=request.user, schedule=schedule, expected_version=data["lock"], **values(data))
        except ConflictError:
            return _conflict(request, case, access, schedule, form=form, **(on_conflict or {}))
        except NotAllowed:
            if not quiet_refusal:
                raise
            return redirect("schedules:schedule", case.public_id)
        return done(request, message, "schedules:schedule", case.public_id)

    return form_view(request, form, template, on_valid, context=_context(case, access, **(context or {})), refusals=())


def _button(request, draft, service, message, **values):
    """A change that is only a button (reset a day, remove a phase): the workflow `service` with the acting
    user, the schedule, the lock the POST carries and `values`, then back to the schedule with `message`. A
    missing lock is a 400; when someone else changed the schedule first, the conflict page."""
    lock = request.POST.get("lock", "")
    if not lock.isdigit():
        return HttpResponse(status=400)
    try:
        service(actor=request.user, schedule=draft.schedule, expected_version=int(lock), **values)
    except ConflictError:
        return _conflict(request, *draft)
    return done(request, message, "schedules:schedule", draft.case.public_id)


def _conflict(request, case, access, schedule, **extra):
    fresh = ReturnSchedule.objects.get(pk=schedule.pk)
    return render(
        request,
        "schedules/conflict.html",
        _context(case, access, view=selectors.schedule_view(fresh), lock=fresh.version, **extra),
        status=409,
    )


def actual_record(request, public_id, week):
    case, access = get_case_for_user(request.user, public_id)
    if not _can_record(access):
        raise PermissionDenied
    if week.weekday() != 0:
        raise Http404
    if week > timezone.localdate():
        messages.info(request, _("Hours can be recorded once the week has begun."))
        return redirect("schedules:schedule", case.public_id)
    existing = selectors.actual_weeks(case).get(week)
    version = selectors.plan_versions(case).current
    schedule = selectors.schedule_for(version)
    planned = None
    if schedule is not None:
        try:
            planned = next((w for w in selectors.built(schedule).weeks if monday_of(w.start) == week), None)
        except ScheduleError:
            planned = None
    form = forms.ActualForm(
        request.POST or None,
        initial={
            "hours": existing.hours if existing else None,
            "note": existing.note if existing else "",
            "lock": existing.version if existing else 0,
        },
    )

    def save(form):
        services.actual_week_record(
            actor=request.user,
            case=case,
            week_start=week,
            hours=form.cleaned_data["hours"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["lock"],
        )
        return done(request, _("Thank you. The hours are recorded."), "schedules:schedule", case.public_id)

    def saved():
        conflict = selectors.actual_weeks(case).get(week)
        return {"conflict": conflict, "lock": conflict.version if conflict else form["lock"].value()}

    page = _context(
        case,
        access,
        week=week,
        week_end=week + dt.timedelta(days=6),
        planned=planned,
        existing=existing,
        conflict=None,
        lock=form["lock"].value(),
    )
    return form_view(request, form, "schedules/actual_form.html", save, context=page, on_conflict=saved, refusals=())


def mixer_edit(request, public_id, setting_id=None):
    draft, early = _draft_schedule(request, public_id)
    if early is not None:
        return early
    schedule = draft.schedule
    settings = list(schedule.mixer_settings.prefetch_related("dials"))
    setting = None
    if setting_id is not None:
        setting = next((s for s in settings if s.pk == setting_id), None)
        if setting is None:
            raise Http404
    try:
        weeks = len(selectors.built(schedule).weeks)
    except ScheduleError:
        weeks = 1
    if setting is not None:
        initial = {"first_week": setting.first_week, "last_week": setting.last_week, "colours": setting.colours}
        for d in setting.dials.all():
            initial[f"{d.name}_level"], initial[f"{d.name}_note"] = d.level, d.note
    else:
        last = max((s.last_week for s in settings), default=0)
        initial = {
            "first_week": min(last + 1, weeks),
            "last_week": weeks,
            "colours": ["green"],
            **{f"{n}_level": 1 for n in DialName.values},
        }
    initial["lock"] = schedule.version
    form = forms.MixerForm(
        request.POST or None, initial=initial, weeks=weeks, others=[s for s in settings if s != setting]
    )

    return _schedule_form(
        request,
        draft,
        form,
        "schedules/mixer_form.html",
        services.mixer_save,
        _("The mixer console is saved."),
        values=lambda data: {
            "setting": setting,
            **{name: data[name] for name in ("first_week", "last_week", "colours", "dials")},
        },
        context={"setting": setting},
        quiet_refusal=True,
    )


@require_POST
def mixer_remove(request, public_id, setting_id):
    draft, early = _draft_schedule(request, public_id)
    if early is not None:
        return early
    setting = get_object_or_404(MixerSetting, schedule=draft.schedule, pk=setting_id)
    message = _("The phase is removed from the mixer console.")
    return _button(request, draft, services.mixer_remove, message, setting=setting)


def checklist_edit(request, public_id):
    draft, early = _draft_schedule(request, public_id)
    if early is not None:
        return early
    schedule = draft.schedule
    initial = {"lock": schedule.version}
    for item in schedule.checklist.all():
        initial[f"{item.key}_answer"], initial[f"{item.key}_note"] = item.answer, item.note
    form = forms.ChecklistForm(request.POST or None, initial=initial)

    return _schedule_form(
        request,
        draft,
        form,
        "schedules/checklist_form.html",
        services.checklist_save,
        _("The checklist is saved."),
        values=lambda data: {"answers": form.answers()},
    )


def tasks(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    form = forms.TaskForm(request.POST or None)
    status = 200
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            services.task_add(actor=request.user, case=case, **form.cleaned_data)
            return done(request, _("The task is added."), "schedules:tasks", case.public_id)
        status = 400
    profession = case.employment.profession_category if case.employment else ProfessionCategory.OTHER
    examples = forms.ExamplesForm(
        initial={
            "profession": profession if profession != ProfessionCategory.OTHER else ProfessionCategory.ADMINISTRATIVE
        }
    )
    _viewed(request.user, case)
    return render(
        request,
        "schedules/tasks.html",
        _context(
            case,
            access,
            form=form,
            examples=examples,
            tasks=selectors.tasks_by_colour(case),
            recolour=forms.RecolourForm(),
        ),
        status=status,
    )


@require_POST
def task_change(request, public_id, task_id):
    case, access = _editable_case(request, public_id)
    task = get_object_or_404(TaskItem, case=case, pk=task_id)
    if "remove" in request.POST:
        services.task_remove(actor=request.user, task=task)
        return done(request, _("The task is removed."), "schedules:tasks", case.public_id)
    form = forms.RecolourForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose green, yellow or red."), status=400, content_type="text/plain")
    services.task_recolour(actor=request.user, task=task, colour=form.cleaned_data["colour"])
    return done(request, _("The colour is changed."), "schedules:tasks", case.public_id)


@require_POST
def tasks_examples(request, public_id):
    case, access = _editable_case(request, public_id)
    form = forms.ExamplesForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose one of the professions."), status=400, content_type="text/plain")
    count = services.tasks_copy_examples(
        actor=request.user,
        case=case,
        profession=form.cleaned_data["profession"],
        language=translation.get_language()[:2],
    )
    added = _("%(count)s example tasks were added. Change their colours to fit this person.") % {"count": count}
    return done(request, added, "schedules:tasks", case.public_id)


def _exportable(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    versions = selectors.plan_versions(case)
    schedule = selectors.schedule_for(versions.focus(prefer_draft=access.is_staff and "draft" in request.GET))
    if schedule is None:
        raise Http404
    return case, access, schedule


def schedule_ical(request, public_id):
    case, access, schedule = _exportable(request, public_id)
    _viewed(request.user, case)
    body = exports.ical(schedule, language=translation.get_language()[:2])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="optrapningsplan.ics"'
    return response


def schedule_pdf(request, public_id):
    case, access, schedule = _exportable(request, public_id)
    lang = request.GET.get("lang") or translation.get_language()[:2]
    if lang not in ("da", "en"):
        return HttpResponse(_("Choose Danish (da) or English (en)."), status=400, content_type="text/plain")
    _viewed(request.user, case)
    html = exports.pdf_html(case, schedule, lang=lang)
    response = HttpResponse(exports.write_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="optrapningsplan.pdf"'
    return response


# --- Example task lists, per organisation --------------------------------------------------------------


def _admin_organisation(user):
    membership = Membership.objects.filter(user=user, role=OrgRole.ADMIN).select_related("organisation").first()
    return membership.organisation if membership else None


def _staff(user) -> bool:
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()


def examples_index(request):
    if not _staff(request.user):
        raise PermissionDenied
    language = translation.get_language()[:2]
    organisation = _admin_organisation(request.user) or (
        Membership.objects.filter(user=request.user).select_related("organisation").first().organisation
    )
    rows = list(TaskTemplate.objects.filter(language=language, organisation__in=[organisation])) + list(
        TaskTemplate.objects.filter(language=language, organisation__isnull=True)
    )
    own = {r.profession_category for r in rows if r.organisation_id}
    professions = []
    for value, label in forms.PROFESSIONS:
        chosen = [r for r in rows if r.profession_category == value and bool(r.organisation_id) == (value in own)]
        professions.append({"value": value, "label": label, "own": value in own, "groups": _by_colour(chosen)})
    return render(
        request,
        "schedules/examples.html",
        {
            "professions": professions,
            "is_admin": _admin_organisation(request.user) is not None,
            "organisation": organisation,
        },
    )


def _by_colour(rows):
    return [(c.value, c.label, [r for r in rows if r.colour == c]) for c in COLOUR_ORDER]


def examples_edit(request, profession):
    organisation = _admin_organisation(request.user)
    if organisation is None:
        raise PermissionDenied
    if profession not in dict(forms.PROFESSIONS):
        raise Http404
    language = translation.get_language()[:2]
    current = services.task_examples(organisation=organisation, profession=profession, language=language)
    initial = {c: "\n".join(t.text for t in current if t.colour == c) for c in ("green", "yellow", "red")}
    form = forms.TemplatesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if "reset" in request.POST:
            services.task_templates_reset(
                actor=request.user, organisation=organisation, profession=profession, language=language
            )
            return done(request, _("The examples that ship with Fasthold are used again."), "schedules:examples")
        if form.is_valid():
            services.task_templates_save(
                actor=request.user,
                organisation=organisation,
                profession=profession,
                language=language,
                lines=form.cleaned_data["lines"],
            )
            return done(request, _("Your organisation's examples are saved."), "schedules:examples")
        status = 400
    return render(
        request,
        "schedules/examples_form.html",
        {
            "form": form,
            "profession": dict(forms.PROFESSIONS)[profession],
            "organisation": organisation,
            "own": any(t.organisation_id for t in current),
            "back": reverse("schedules:examples"),
        },
        status=status,
    )
