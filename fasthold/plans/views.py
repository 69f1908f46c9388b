"""Plan pages. Each view: access via get_case_for_user, a form, a service, render.

Employer-side users get selectors' employer view (no treatment activities, no non-work sub-goals,
no comments, no drafts). A view that shows health content logs the read (fasthold.audit.readlog) with fields=["plan"]."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fasthold.audit.models import AuditAction
from fasthold.audit.readlog import log_read
from fasthold.audit.services import audit_record
from fasthold.cases.access import get_case_for_user
from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.organisations.models import Membership, OrgRole
from fasthold.plans import forms, pdf, selectors, services
from fasthold.plans.models import (
    STEP_MEANINGS,
    TOP_STEP,
    Activity,
    IndicatorKind,
    PlanVersion,
    Proposal,
    RetentionTool,
    StepTrack,
    SubGoal,
    VersionStatus,
)
from fasthold.sharing.policy import shared_for


def _viewed(request, case, content) -> None:
    """The plan was viewed; if what is shown holds health content, that is a read of health data."""
    audit_record(actor=request.user, action=AuditAction.CASE_VIEWED, case=case, fields=["plan"])
    if content is not None and content.shows_health:
        log_read(request, case, fields=["plan"])


def _staircase(history) -> list[dict]:
    """The staircase of the track the case is on now, top step first, with the current step marked."""
    last = history[-1] if history else None
    track = last.track if last else StepTrack.EMPLOYED
    return [
        {"step": step, "meaning": STEP_MEANINGS[track][step], "current": bool(last and last.step == step)}
        for step in range(TOP_STEP[track], 0, -1)
    ]


def plan_page(request, public_id, number=None):
    case, access = get_case_for_user(request.user, public_id)
    employer_view = not access.can_view_health
    plan = selectors.plan_for_case(case)
    history = selectors.step_history(case)
    context = {
        "case": case,
        "access": access,
        "employer_view": employer_view,
        "plan": plan,
        "history": history,
        "staircase": _staircase(history),
        "last_step": history[-1] if history else None,
    }
    content = None
    if plan is not None:
        all_versions = selectors.versions(plan, employer_view=employer_view)
        if number is None:
            version = selectors.focus_version(all_versions, prefer_draft=not employer_view)
        else:
            version = next((v for v in all_versions if v.number == number), None)
            if version is None:
                raise Http404
        content = (
            selectors.version_content(version, employer_view=employer_view, staff=access.is_staff) if version else None
        )
        context.update(
            {
                "versions": all_versions,
                "content": content,
                "version": version,
                "editable": bool(version and version.is_draft and access.can_edit),
                "draft": next((v for v in all_versions if v.is_draft), None),
                "current": next((v for v in all_versions if v.is_current), None),
                "proposals": selectors.proposals(plan, user=request.user, employer_view=employer_view),
                "participation": None if employer_view else selectors.employee_participation(case, all_versions),
                "comment_form": forms.CommentForm(),
            }
        )
    _viewed(request, case, content)
    return render(request, "plans/plan.html", context)


def step_place(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    history = selectors.step_history(case)
    form = forms.StepForm(
        request.POST or None, case=case, initial=forms.StepForm.initial_for(case, history[-1] if history else None)
    )

    def save(form):
        services.step_place(actor=request.user, case=case, **form.cleaned_data)
        return done(request, _("The step was recorded."), "plans:plan", case.public_id)

    page = {"case": case, "meanings": STEP_MEANINGS, "history": history}
    return form_view(request, form, "plans/step_form.html", save, context=page)


def _shows_non_work_goals(version) -> bool:
    # The activity form offers the version's sub-goals to link, their text included.
    return version.sub_goals.filter(work_related=False).exists()


def _form_page(request, case, form, *, title, save, back, current_version=None, intro="", health=False):
    """A plan form (fasthold.formviews.form_view on plans/item_form.html). Valid input goes to
    `save(cleaned_data)`, which may return where to go next (else `back`); a version that can no longer be
    changed sends the user back with a message. `health`: the form shows health content (a non-work
    sub-goal, a treatment activity); its read is logged (only a page that is shown writes it).

    On a conflict the user's input stays in the form, the version saved meanwhile is shown next to it,
    and the lock moves to that version so a second save goes through."""
    if health:
        log_read(request, case, fields=["plan"])

    def on_valid(form):
        try:
            to = save(form.cleaned_data)
        except NotAllowed:
            messages.error(request, _("This version can no longer be changed. Revise the plan to change it."))
            return redirect(back)
        return done(request, _("Saved."), to or back)

    def saved():
        if current_version is None:
            return {}
        fresh = PlanVersion.objects.get(pk=current_version.pk)
        content = selectors.version_content(fresh, employer_view=False, with_history=False)
        if content.shows_health:
            log_read(request, case, fields=["plan"])
        return {"saved": content, "lock": fresh.version}

    lock = form["lock"].value() if "lock" in form.fields else None
    page = {"case": case, "title": title, "back": back, "intro": intro, "lock": lock}
    return form_view(request, form, "plans/item_form.html", on_valid, context=page, on_conflict=saved)


def _draft_form(request, case, version, form_class, *, title, save, health=False, edits=None, takes_case=False):
    """The form of something in the draft `version`, locked to it; back to the version afterwards. A
    version that is no longer a draft is not offered. `edits`: the sub-goal or activity being changed (the
    form gets a fresh copy, since validating writes the input onto its instance). `health` may be a
    function of the version, asked only when the form is offered. `takes_case`: the form needs the case too."""
    if not version.is_draft:
        return _not_draft(request, case, version)
    form_args = {"case": case} if takes_case else {}
    if edits is not None:
        form_args["instance"] = type(edits).objects.get(pk=edits.pk)
    form = form_class(request.POST or None, plan_version=version, initial={"lock": version.version}, **form_args)
    health = health(version) if callable(health) else health
    return _version_page(request, case, version, form, title=title, save=save, health=health)


def _version_page(request, case, version, form, *, title, save, health=False):
    """A form that changes the draft `version`: back to the version afterwards, and on a conflict the
    version as it is saved now beside the user's input."""
    back = _version_url(case, version)
    return _form_page(request, case, form, title=title, save=save, current_version=version, health=health, back=back)


def _plan_url(case) -> str:
    return reverse("plans:plan", args=[case.public_id])


def _version_url(case, version) -> str:
    return reverse("plans:version", args=[case.public_id, version.number])


def _draft(plan, number) -> PlanVersion:
    return get_object_or_404(PlanVersion, plan=plan, number=number)


def _plan_or_404(case):
    plan = selectors.plan_for_case(case)
    if plan is None:
        raise Http404
    return plan


def plan_create(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    back = _plan_url(case)
    if selectors.plan_for_case(case) is not None:
        return redirect(back)
    form = forms.GoalForm(request.POST or None)

    def save(data):
        services.plan_create(actor=request.user, case=case, **data)

    intro = _("Start with the long-term goal. You add sub-goals and activities next.")
    return _form_page(request, case, form, title=_("New plan: the goal"), save=save, back=back, intro=intro)


def _editable_version(request, public_id, number):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    version = _draft(_plan_or_404(case), number)
    return case, version


def _not_draft(request, case, version):
    messages.error(request, _("This version can no longer be changed. Revise the plan to change it."))
    return redirect("plans:version", case.public_id, version.number)


def goal_edit(request, public_id, number):
    case, version = _editable_version(request, public_id, number)
    if not version.is_draft:
        return _not_draft(request, case, version)
    form = forms.GoalEditForm(
        request.POST or None,
        initial={
            "goal": version.goal,
            "goal_target_date": version.goal_target_date,
            "evaluation_date": version.evaluation_date,
            "lock": version.version,
        },
    )

    def save(data):
        data = dict(data)
        lock = data.pop("lock")
        services.plan_goal_update(actor=request.user, version=version, expected_version=lock, data=data)

    return _version_page(request, case, version, form, title=_("Edit the goal"), save=save)


def subgoal_add(request, public_id, number):
    case, version = _editable_version(request, public_id, number)

    def save(data):
        services.sub_goal_add(actor=request.user, version=version, expected_version=data["lock"], data=data)

    return _draft_form(request, case, version, forms.SubGoalForm, title=_("Add a sub-goal"), save=save)


def _item(model, case, item_id):
    obj = get_object_or_404(model.objects.select_related("version__plan"), public_id=item_id, version__plan__case=case)
    return obj


def _editable_item(request, public_id, model, item_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    return case, _item(model, case, item_id)


def subgoal_edit(request, public_id, item_id):
    return _item_edit(request, public_id, "subgoal", item_id, lambda sub_goal, version: not sub_goal.work_related)


def activity_add(request, public_id, number):
    case, version = _editable_version(request, public_id, number)

    def save(data):
        services.activity_add(actor=request.user, version=version, expected_version=data["lock"], data=data)

    return _draft_form(
        request,
        case,
        version,
        forms.ActivityForm,
        title=_("Add an activity"),
        save=save,
        health=_shows_non_work_goals,
        takes_case=True,
    )


def activity_edit(request, public_id, item_id):
    return _item_edit(
        request,
        public_id,
        "activity",
        item_id,
        lambda activity, version: activity.is_treatment or _shows_non_work_goals(version),
    )


# The two kinds of item in a plan version, by the name their URLs use: the model, its form, the
# workflows that change and remove one (and the name they take it by), and the edit page's title.
_ITEMS = {
    "subgoal": {
        "model": SubGoal,
        "form": forms.SubGoalForm,
        "update": services.sub_goal_update,
        "remove": services.sub_goal_remove,
        "argument": "sub_goal",
        "title": gettext_lazy("Edit sub-goal %(number)s"),
    },
    "activity": {
        "model": Activity,
        "form": forms.ActivityForm,
        "update": services.activity_update,
        "remove": services.activity_remove,
        "argument": "activity",
        "title": gettext_lazy("Edit activity %(number)s"),
    },
}


def _item_edit(request, public_id, kind, item_id, health):
    """The edit page of a sub-goal or an activity; `health(item, version)`: the form shows health content."""
    spec = _ITEMS[kind]
    case, item = _editable_item(request, public_id, spec["model"], item_id)

    def save(data):
        spec["update"](actor=request.user, **{spec["argument"]: item}, expected_version=data["lock"], data=data)

    return _draft_form(
        request,
        case,
        item.version,
        spec["form"],
        title=spec["title"] % {"number": item.position + 1},
        save=save,
        health=lambda version: health(item, version),
        edits=item,
        takes_case=kind == "activity",
    )


def _conflict_page(request, case, version, message, status=409):
    fresh = PlanVersion.objects.get(pk=version.pk)
    content = selectors.version_content(fresh, employer_view=False, with_history=False)
    if content.shows_health:
        log_read(request, case, fields=["plan"])
    return render(request, "plans/conflict.html", {"case": case, "content": content, "message": message}, status=status)


@require_POST
def item_remove(request, public_id, kind, item_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    spec = _ITEMS.get(kind)
    if spec is None:
        raise Http404
    obj = _item(spec["model"], case, item_id)
    form = forms.LockForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        spec["remove"](actor=request.user, **{spec["argument"]: obj}, expected_version=form.cleaned_data["lock"])
    except ConflictError:
        return _conflict_page(
            request,
            case,
            obj.version,
            _(
                "Someone else changed this version while you were looking at it. Nothing was removed. "
                "Check the version below and try again."
            ),
        )
    except NotAllowed:
        messages.error(request, _("This version can no longer be changed. Revise the plan to change it."))
    else:
        messages.success(request, _("Removed."))
    return redirect("plans:version", case.public_id, obj.version.number)


def plan_revise(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    plan = _plan_or_404(case)
    draft = plan.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        messages.info(request, _("A revision is already being worked on. Continue it here."))
        return redirect("plans:version", case.public_id, draft.number)
    form = forms.ReviseForm(request.POST or None, initial={"lock": plan.version})

    def save(data):
        draft = services.plan_revise(
            actor=request.user, plan=plan, expected_version=data["lock"], reason=data["reason"]
        )
        return _version_url(case, draft)

    intro = _(
        "The current version stays as it is. You get a copy to change; "
        "it replaces the current version when you make it current."
    )
    return _form_page(request, case, form, title=_("Revise the plan"), save=save, back=_plan_url(case), intro=intro)


@require_POST
def plan_publish(request, public_id, number):
    case, version = _editable_version(request, public_id, number)
    form = forms.LockForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.plan_publish(actor=request.user, version=version, expected_version=form.cleaned_data["lock"])
    except ConflictError:
        return _conflict_page(
            request,
            case,
            version,
            _(
                "Someone else changed this draft after you opened it. It was not made current. "
                "Check the version below, then make it current again."
            ),
        )
    except NotAllowed:
        messages.error(request, _("Only a draft can be made current."))
    else:
        messages.success(request, _("Version %(number)s is now the current plan.") % {"number": version.number})
    return redirect("plans:plan", case.public_id)


@require_POST
def plan_agree(request, public_id, number):
    case, access = get_case_for_user(request.user, public_id)
    if not access.is_employee:
        raise PermissionDenied
    version = _draft(_plan_or_404(case), number)
    try:
        services.plan_agree(actor=request.user, version=version)
    except NotAllowed:
        return _conflict_page(
            request,
            case,
            version,
            _("This version is no longer the current plan, so it cannot be agreed to. Look at the current version."),
        )
    return done(request, _("Thank you. Your agreement to the plan is recorded."), "plans:plan", case.public_id)


@require_POST
def plan_comment(request, public_id, number):
    case, access = get_case_for_user(request.user, public_id)
    if not (access.is_employee or access.can_edit):
        raise PermissionDenied
    version = _draft(_plan_or_404(case), number)
    form = forms.CommentForm(request.POST)

    def save(form):
        services.plan_comment(actor=request.user, version=version, text=form.cleaned_data["text"])
        return done(request, _("Your comment is saved."), "plans:version", case.public_id, version.number)

    page = {"case": case, "title": _("Comment on the plan"), "back": _version_url(case, version)}
    return form_view(request, form, "plans/item_form.html", save, context=page)


def proposal_create(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    if not access.is_employer_side:
        raise PermissionDenied
    plan = _plan_or_404(case)
    form = forms.ProposalForm(request.POST or None)

    def save(data):
        services.proposal_create(actor=request.user, plan=plan, text=data["text"])

    title = _("Propose a change to the activities at work")
    return _form_page(request, case, form, title=title, save=save, back=_plan_url(case))


@require_POST
def proposal_decide(request, public_id, proposal_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    plan = _plan_or_404(case)
    proposal = get_object_or_404(Proposal.objects.select_related("created_by"), plan=plan, public_id=proposal_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    accept = form.cleaned_data["decision"] == "accept"
    reason = _("The manager's proposal was accepted: %(text)s") % {"text": proposal.text}
    try:
        draft = services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            accept=accept,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["lock"],
            reason=reason,
        )
    except (ConflictError, NotAllowed):
        messages.error(
            request,
            _(
                "Someone else changed the plan or decided on the proposal meanwhile. "
                "Nothing was changed; look again and decide."
            ),
        )
        return redirect("plans:plan", case.public_id)
    if draft is not None:
        accepted = _("Accepted. Change the activities in the draft, then make it current.")
        return done(request, accepted, "plans:version", case.public_id, draft.number)
    return done(request, _("The proposal was declined."), "plans:plan", case.public_id)


def scores(request, public_id):
    """The employee's calm page for entering their own scores; coordinators can use it too."""
    case, access = get_case_for_user(request.user, public_id)
    if not (access.is_employee or access.can_edit):
        raise PermissionDenied
    plan = _plan_or_404(case)
    version = selectors.focus_version(selectors.versions(plan, employer_view=False), prefer_draft=False)
    if version is None:
        raise Http404
    content = selectors.version_content(version, employer_view=False, with_history=False)
    today = timezone.localdate()
    cards = []
    chosen = request.POST.get("sub_goal") if request.method == "POST" else None
    status = 200
    for sub_goal in content.sub_goals:
        if sub_goal.indicator != IndicatorKind.SCALE:
            continue
        bound = str(sub_goal.public_id) == chosen
        form = forms.MeasurementForm(
            request.POST if bound else None,
            sub_goal=sub_goal,
            prefix=f"m{sub_goal.number}",
            initial={"measured_on": today},
        )
        if bound:
            if form.is_valid():
                services.measurement_add(actor=request.user, sub_goal=sub_goal, **form.cleaned_data)
                return done(request, _("Thank you. Your score is saved."), "plans:scores", case.public_id)
            status = 400
        cards.append({"sub_goal": sub_goal, "form": form, "indicator": content.indicators.get(sub_goal.pk)})
    if chosen and status == 200:
        return HttpResponse(status=400)
    _viewed(request, case, content if any(not c["sub_goal"].work_related for c in cards) else None)
    return render(request, "plans/scores.html", {"case": case, "cards": cards, "access": access}, status=status)


def plan_pdf(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    lang = request.GET.get("lang") or translation.get_language()[:2]
    if lang not in ("da", "en"):
        return HttpResponse(_("Choose Danish (da) or English (en)."), status=400, content_type="text/plain")
    employer_view = not access.can_view_health
    plan = _plan_or_404(case)
    all_versions = selectors.versions(plan, employer_view=True)  # never a draft in the retention plan
    version = next((v for v in all_versions if v.is_current), None)
    if version is None:
        raise Http404
    shared = None
    if employer_view:
        shared = shared_for(request, case, access=access)
    html, content = pdf.render_html(case=case, version=version, employer_view=employer_view, lang=lang, shared=shared)
    _viewed(request, case, content)
    response = HttpResponse(pdf.write_pdf(html), content_type="application/pdf")
    name = "fastholdelsesplan" if lang == "da" else "retention-plan"
    response["Content-Disposition"] = f'inline; filename="{name}-v{version.number}.pdf"'
    return response


def _is_admin(user) -> bool:
    return Membership.objects.filter(user=user, role=OrgRole.ADMIN).exists()


def tools_list(request):
    tools = RetentionTool.objects.all()
    is_admin = _is_admin(request.user)
    if not is_admin:
        tools = tools.filter(active=True)
    return render(request, "plans/tools.html", {"tools": list(tools), "is_admin": is_admin})


def tool_edit(request, key):
    if not _is_admin(request.user):
        raise PermissionDenied
    tool = get_object_or_404(RetentionTool, key=key)
    form = forms.RetentionToolForm(
        request.POST or None, instance=RetentionTool.objects.get(pk=tool.pk), initial={"lock": tool.version}
    )

    def save(form):
        services.tool_update(
            actor=request.user, tool=tool, expected_version=form.cleaned_data["lock"], data=form.cleaned_data
        )
        return done(request, _("Saved."), "plans:tools")

    def saved():
        current = RetentionTool.objects.get(pk=tool.pk)
        return {"conflict": current, "lock": current.version}

    page = {"tool": tool, "lock": form["lock"].value()}
    return form_view(request, form, "plans/tool_form.html", save, context=page, on_conflict=saved)
