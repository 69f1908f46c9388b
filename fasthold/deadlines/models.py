import functools
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fasthold.deadlines import engine, registry


class EventKey(models.TextChoices):
    RETENTION_PLAN_REQUESTED = "retention_plan_requested", _("Retention plan requested")
    FAST_TRACK_REQUESTED = "fast_track_requested", _("Fast track requested")
    FIRST_FOLLOW_UP_HELD = "first_follow_up_held", _("First follow-up conversation held")
    PARTIAL_RETURN_STARTED = "partial_return_started", _("Partial return started")
    FULL_RETURN = "full_return", _("Full return to work")
    RETENTION_PLAN_MADE = "retention_plan_made", _("Retention plan made")
    MUNICIPALITY_NOTICE_SENT = "municipality_notice_sent", _("The municipality sent its notice letter (§ 40)")
    DOCTOR_CERTIFICATE_REQUESTED = "doctor_certificate_requested", _("The municipality asked the doctor for LÆ 285")
    SECTION_56_APPROVED = "section_56_approved", _("§ 56 agreement approved")
    RELAPSE = "relapse", _("Relapse: absent again after the return")


assert set(EventKey.values) == set(engine.EVENTS), "the engine's events and the model's must agree"


class CaseEvent(models.Model):
    """Something that happened in a case and starts deadlines of its own."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="calendar_events")
    key = models.CharField(_("event"), max_length=40, choices=EventKey.choices)
    occurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="case_event_unique")]


class Responsible(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    EMPLOYEE = "employee", _("Employee")
    JOBCENTRE = "jobcentre", _("Jobcentre")
    GP = "gp", _("GP")
    COORDINATOR = "coordinator", _("Coordinator")


class Deadline(models.Model):
    """One computed milestone of a case's calendar, stored so dashboards are one indexed query.

    Rebuilt by fasthold.deadlines.services.calendar_refresh whenever the case or its events
    change; the done fields survive a rebuild. Titles and sources are read from the rule pack.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    # Copied from the case so the dashboards need no join to filter.
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    case_open = models.BooleanField(default=True)
    key = models.CharField(max_length=60)
    pack_id = models.CharField(max_length=60)
    pack_version = models.CharField(max_length=20, blank=True)  # the pack's version that computed it
    responsible = models.CharField(max_length=16, choices=Responsible.choices)
    due = models.DateField(null=True)
    flag_from = models.DateField(null=True)
    applicable = models.BooleanField(default=True)
    reason_da = models.CharField(max_length=300, blank=True)
    reason_en = models.CharField(max_length=300, blank=True)
    done_on = models.DateField(null=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="deadline_case_key_unique")]
        indexes = [
            # Consumer: the coordinator dashboard (open, not done, by due date).
            models.Index(
                fields=["coordinator", "due"],
                name="deadline_open_by_coord_idx",
                condition=Q(case_open=True, done_on__isnull=True, applicable=True, due__isnull=False),
            ),
            # Consumer: the dashboard's "all of my organisation" scope.
            models.Index(
                fields=["organisation", "due"],
                name="deadline_open_by_org_idx",
                condition=Q(case_open=True, done_on__isnull=True, applicable=True, due__isnull=False),
            ),
            # Consumer: the reminder worker and the employer dashboard (by responsible party).
            models.Index(
                fields=["responsible", "due"],
                name="deadline_open_by_resp_idx",
                condition=Q(case_open=True, done_on__isnull=True, applicable=True, due__isnull=False),
            ),
        ]

    @property
    def rule(self) -> engine.Rule:
        return rule_for(self.pack_id, self.key)

    def title(self, language: str) -> str:
        rule = self.rule
        return rule.title_en if language == "en" else rule.title_da

    @property
    def standing(self) -> bool:
        """A right or duty with no statutory date (e.g. § 7 b): listed as "any time", never due."""
        return getattr(self.rule, "kind", "deadline") == "standing"

    @property
    def act_by(self):
        """The last working day on or before the due date for a duty that needs one (the pack's rule for
        weekends and holidays), else the due date."""
        act_by = getattr(self.rule, "act_by", None)
        return act_by(self.due) if act_by else self.due

    def when(self, language: str) -> str:
        rule = self.rule
        return getattr(rule, "when_en" if language == "en" else "when_da", "")

    def status(self, today) -> str:
        if self.done_on:
            return "done"
        if not self.applicable:
            return "not_applicable"
        if self.standing:
            # The engine gives a standing rule the day it can be used from once its trigger has happened.
            return "any_time" if self.flag_from else "waiting"
        if self.due is None:
            return "waiting"
        if self.due < today:
            return "overdue"
        if (self.flag_from and self.flag_from <= today) or (self.due - today).days <= 14:
            return "due_soon"
        return "upcoming"


# The pack id of the deadlines that come from the case itself; their rules are in the registry.
LOCAL_PACK = "case"


def rule_for(pack_id: str, key: str) -> "engine.Rule | registry.LocalRule":
    if pack_id == LOCAL_PACK:
        return registry.local_rule(key)
    return _rules(pack_id)[key]


_RULES: dict[str, dict[str, engine.Rule]] = {}


@functools.cache
def cause_dependent_keys() -> frozenset[str]:
    """Keys of rules that apply only to some causes (e.g. mental-health absence). Their mere presence
    on a case tells the cause, so every list an employer sees leaves them out; the coordinator keeps them."""
    return frozenset(
        rule.key
        for pack_id in engine.available_packs()
        for rule in engine.load_pack(pack_id).rules
        if rule.conditions.cause_group is not None
    )


def _rules(pack_id: str) -> dict[str, engine.Rule]:
    if pack_id not in _RULES:
        _RULES[pack_id] = {rule.key: rule for rule in engine.load_pack(pack_id).rules}
    return _RULES[pack_id]


def jurisdiction_choices() -> list[tuple[str, str]]:
    """The countries with rule packs, for the organisation's choice (the law pack in force is then chosen
    by each case's first sick day)."""
    names = {"dk": _("Denmark"), "nl": _("The Netherlands"), "no": _("Norway")}
    return [(code, names.get(code, code.upper())) for code in engine.jurisdictions()]


DEFAULT_JURISDICTION = "dk"


class CalendarSettings(models.Model):
    """Per organisation: which country's rule packs compute its cases' calendars, and whether the
    good-practice pack is shown besides the law. Edited with a version (fasthold.kernel.update_versioned)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="calendar_settings"
    )
    jurisdiction = models.CharField(
        _("country of the rules"), max_length=8, choices=jurisdiction_choices, default=DEFAULT_JURISDICTION
    )
    good_practice = models.BooleanField(_("show good-practice deadlines"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in a user's iCal feed URL. Revoking replaces it; the old URL stops working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)


class ReminderDigest(models.Model):
    """One user's daily digest. Workers claim a row with a conditional UPDATE before sending,
    so several workers never send the same digest twice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_user_day_unique")]
        indexes = [
            # Consumer: the reminder worker's claim loop (unclaimed digests of a day).
            models.Index(fields=["day"], name="digest_unclaimed_idx", condition=Q(claimed_at__isnull=True)),
        ]
