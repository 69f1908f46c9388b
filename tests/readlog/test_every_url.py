"""One read log, proven over every URL pattern of the project.

The whole demo world is built (every app's demo.py), every health and professionals-only text of Bodil's
case is replaced by a unique sentinel, and Bodil shares one wording with her manager. Then every URL
pattern (django.urls.get_resolver(), recursively) is filled with the rows of her case and GET as the
coordinator, Bodil, her psychologist and her manager. For each response:

- it shows a health sentinel (or, to anyone but Bodil, the consent wording) → exactly one new read row
  (HEALTH_VIEWED or SHARED_VIEWED) for that user and case;
- it shows none → no new read row: a read is logged only when the text is on the page;
- the manager never sees a health sentinel, and sees the shared wording only with a SHARED_VIEWED row.

No pattern is skipped silently: a pattern whose parameters the test cannot fill is listed in UNFILLED
with the reason, and a new pattern with a parameter the test does not know fails the test.
"""

import datetime as dt
import io
import itertools
import zipfile

from django.urls import Resolver404, resolve
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Audience, EventKind, HealthRecord, TimelineEvent
from fasthold.sharing import services as sharing
from fasthold.sharing.models import Category, Consent, Recipient
from tests.base import ALL_DEMOS, DemoWorldTestCase
from tests.sharing.crawler import _PARAM, patterns, response_text
from tests.sharing.test_employer_leak_check import fill_professional_texts

PRO_NOTE = "SNTLPRONOTE"  # what fill_professional_texts writes into every professionals-only row
HEALTH = {
    "diagnosis": "SNTLRLDIAGNOSIS",
    "symptoms": "SNTLRLSYMPTOMS",
    "treatment": "SNTLRLTREATMENT",
    "professionals-only note": PRO_NOTE,
    "meeting note for professionals": "SNTLRLMEETINGNOTE",
    "treatment activity": "SNTLRLPLANTREATMENT",
    "non-work sub-goal": "SNTLRLHEALTHGOAL",
    "prognostic profile note": "SNTLRLPROFILENOTE",
    "visitation note": "SNTLRLVISITNOTE",
    "questionnaire band": "SNTLRLQBAND",
    "fitness-for-work statement, the doctor's part": "SNTLRLSTATEMENTPART2",
    # What the employee writes to her coordinator may be about her health (fasthold.requests).
    "the employee's message": "SNTLRLMESSAGE",
    "the employee's request for a meeting": "SNTLRLREQUEST",
}
# The names of the questionnaires answered are offered as choices on the consent page; the results
# (band, score) are what a read is about, so the name is not a sentinel here (the leak check keeps it
# from the employer).
# Bodil's own words, shared with her manager and with HR: health data to everyone but her.
CONSENT_WORDING = "SNTLRLCONSENTWORDING"
READS = (AuditAction.HEALTH_VIEWED, AuditAction.SHARED_VIEWED)

# Patterns the walk does not GET, each with the reason. Anything else must be filled and read.
UNFILLED = {
    "logout/": "ends the session the walk runs in",
    "i18n/setlang/": "switches the language; shows no case",
}
# Pages that log a read even when no sentinel is on them, with the reason.
ALWAYS_READ = {
    "screening:visit": "evaluates the program's criteria against the case's cause before any answer is given "
    "(tests/screening asserts the read of an unanswered visitation)",
}
# Pages whose read is recorded under an action of its own, with the reason: that row counts as the read.
OWN_ACTION = {
    "privacy:my_export": (
        AuditAction.DATA_EXPORTED,
        "the employee downloads all her own data; the download is logged as an export",
    ),
}
# Not counted as health text, with the reason (the leak check covers the employer side of each).
# - the names of health professionals on the case: staff see them on every case page as participants;
#   a read row per case view would drown the reads that matter. The employer never sees them.
# - the cause category: a choice label, shown to staff in lists and on the case page.


def _values(world, case, user) -> dict[str, list[str]]:
    """Values for every URL parameter name, from the rows of `case` (and `user`'s feed token)."""
    from fasthold.cases.choices import ProfessionCategory
    from fasthold.coordination.models import ContactEntry, PossibilityStatement
    from fasthold.deadlines.models import Deadline, FeedToken
    from fasthold.guidance.phases import PHASES
    from fasthold.meetings.models import Meeting, MeetingAgreement
    from fasthold.plans.models import Activity, PlanVersion, Proposal, RetentionTool, SubGoal
    from fasthold.requests.models import MeetingRequest, Message
    from fasthold.schedules.models import MixerSetting, TaskItem
    from fasthold.screening.models import Program, QuestionnaireResponse

    def ids(qs, field="public_id"):
        return [str(v) for v in qs.values_list(field, flat=True)]

    today = timezone.localdate()
    token, _ = FeedToken.objects.get_or_create(user=user)
    return {
        "public_id": [str(case.public_id)],
        "meeting_id": ids(Meeting.objects.filter(case=case)),
        "agreement_id": ids(MeetingAgreement.objects.filter(meeting__case=case)),
        "consent_id": ids(Consent.objects.filter(case=case)),
        "statement_id": ids(PossibilityStatement.objects.filter(case=case)),
        "request_id": ids(MeetingRequest.objects.filter(case=case)),
        "message_id": ids(Message.objects.filter(case=case)),
        "participant_id": ids(case.participants.all()),
        "program_id": ids(Program.objects.filter(organisation=case.organisation)),
        "proposal_id": ids(Proposal.objects.filter(plan__case=case)),
        "item_id": ids(SubGoal.objects.filter(version__plan__case=case))
        + ids(Activity.objects.filter(version__plan__case=case))
        # A contact of the log: its "entered in error" confirm page.
        + ids(ContactEntry.objects.filter(case=case)[:1]),
        "kind": ["subgoal", "activity"],
        "number": ids(PlanVersion.objects.filter(plan__case=case), "number"),
        "setting_id": ids(MixerSetting.objects.filter(schedule__case=case), "pk"),
        "task_id": ids(TaskItem.objects.filter(case=case), "pk"),
        "day": [today.isoformat()],
        "week": [(today - dt.timedelta(days=today.weekday())).isoformat()],
        "instrument_id": sorted(set(ids(QuestionnaireResponse.objects.filter(case=case), "instrument_id"))),
        "key": sorted(set(ids(Deadline.objects.filter(case=case), "key")))
        + ids(RetentionTool.objects.all()[:1], "key"),
        "token": [token.token],
        "slug": [p.slug.value for p in PHASES],
        "pack_id": ["dk-2025", "dk-good-practice"],
        "user_id": [str(user.pk)],
        "action": ["deactivate"],
        "category": [c for c in ProfessionCategory.values][:1],
        "profession": [c for c in ProfessionCategory.values][:1],
    }


def urls_for(values: dict[str, list[str]]) -> tuple[list[str], dict[str, str]]:
    """Every pattern filled with every combination of its parameters' values; and the patterns that
    could not be filled (a parameter unknown or without rows), with the parameter."""
    urls, unfilled = [], {}
    for route, _pattern in patterns():
        if route in UNFILLED:
            continue
        params = list(_PARAM.finditer(route))
        missing = [m.group("name") for m in params if not values.get(m.group("name"))]
        if missing:
            unfilled[route] = ", ".join(missing)
            continue
        for combo in itertools.product(*(values[m.group("name")] for m in params)):
            path, last = "", 0
            for m, value in zip(params, combo):
                path += route[last : m.start()] + value
                last = m.end()
            url = "/" + path + route[last:]
            try:
                resolve(url)
            except Resolver404:
                continue  # a value of another kind (a UUID where the pattern takes a number)
            urls.append(url)
    return urls, unfilled


def _text(response) -> str:
    """The response's text as the reader gets it: HTML, PDF text, iCal, or every file in a zip."""
    if response.status_code != 200:
        return response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return response_text(response)


def fill_sentinels(world, case) -> None:
    from fasthold.meetings.models import Meeting
    from fasthold.plans.models import Activity, ActivityKind, SubGoal
    from fasthold.screening.models import PrognosticProfile, QuestionnaireResponse, Visitation

    HealthRecord.objects.update_or_create(
        case=case,
        defaults={
            "diagnosis": f"Depression {HEALTH['diagnosis']}",
            "symptoms": f"Træthed {HEALTH['symptoms']}",
            "treatment": f"Samtaler {HEALTH['treatment']}",
        },
    )
    TimelineEvent.objects.create(
        case=case,
        kind=EventKind.NOTE,
        audience=Audience.PROFESSIONALS,
        actor=world.users["koordinator"],
        params={"text": f"Note {PRO_NOTE}"},
    )
    fill_professional_texts(case)
    Meeting.objects.filter(case=case).update(private_note=f"Note {HEALTH['meeting note for professionals']}")
    Activity.objects.filter(version__plan__case=case).exclude(kind=ActivityKind.WORKPLACE).update(
        what=f"Behandling {HEALTH['treatment activity']}"
    )
    SubGoal.objects.filter(version__plan__case=case, work_related=False).update(
        text=f"Helbred {HEALTH['non-work sub-goal']}"
    )
    if not PrognosticProfile.objects.filter(case=case).exclude(answers={}).exists():
        # The demo profiles only Kurt: give this case the same answers, so its profile page has text.
        kurt = PrognosticProfile.objects.get(case=world.kurt)
        PrognosticProfile.objects.update_or_create(case=case, defaults={"answers": kurt.answers})
    for profile in PrognosticProfile.objects.filter(case=case):
        answers = {k: {**v, "note": f"{HEALTH['prognostic profile note']} {k}"} for k, v in profile.answers.items()}
        PrognosticProfile.objects.filter(pk=profile.pk).update(answers=answers)
    for visitation in Visitation.objects.filter(case=case):
        answers = {
            k: {**v, "note": f"{HEALTH['visitation note']} {k}"} if isinstance(v, dict) else v
            for k, v in visitation.answers.items()
        }
        Visitation.objects.filter(pk=visitation.pk).update(answers=answers)
    bands = {"da": HEALTH["questionnaire band"], "en": HEALTH["questionnaire band"]}
    QuestionnaireResponse.objects.filter(case=case).update(band_label=bands)
    from fasthold.coordination.models import PossibilityStatement

    PossibilityStatement.objects.filter(case=case).update(
        doctor_assessment=f"Kan ikke {HEALTH["fitness-for-work statement, the doctor's part"]}"
    )


class EveryUrlReadLog(DemoWorldTestCase):
    load_demos = ALL_DEMOS
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = cls.world.bodil
        bodil = cls.world.users["bodil"]
        for consent in Consent.objects.active().filter(case=cls.case):
            sharing.consent_withdraw(actor=bodil, consent=consent)
        cls.add_missing_rows()
        fill_sentinels(cls.world, cls.case)
        for recipient in (Recipient.MANAGER, Recipient.HR):
            sharing.consent_give(
                actor=bodil,
                case=cls.case,
                category=Category.ILLNESS,
                recipient=recipient,
                text=f"Min egen tekst {CONSENT_WORDING}",
            )

    @classmethod
    def add_missing_rows(cls):
        """Rows the demo has for Kurt but not for Bodil, so that every pattern has a page to read."""
        from fasthold.cases.models import Participant
        from fasthold.coordination.models import PossibilityStatement
        from fasthold.meetings import services as meetings
        from fasthold.meetings.models import Meeting, MeetingAgreement, MeetingKind, MeetingStatus
        from fasthold.plans import services as plans
        from fasthold.plans.models import Plan

        # A fitness-for-work statement with the doctor's part (its text is a sentinel: fill_sentinels).
        PossibilityStatement.objects.create(
            case=cls.case,
            requested_on=timezone.localdate(),
            requested_by_name="Susanne Dahl",
            job_description="Sekretær",
            doctor_assessment="Kan ikke",
        )
        # A held meeting, with minutes and an agreement: its note for professionals is on its page.
        starts = timezone.now().replace(microsecond=0, second=0, minute=0) - dt.timedelta(days=2)
        meeting = meetings.meeting_plan(
            actor=cls.world.users["koordinator"],
            case=cls.case,
            kind=MeetingKind.FOLLOW_UP,
            starts_at=starts + dt.timedelta(days=7),
            duration_minutes=60,
            purpose="Vi følger op på planen.",
            participants=list(Participant.objects.filter(case=cls.case, user__isnull=False)),
            place="Jobcentret",
            base_url="http://testserver",
        )
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD, starts_at=starts, minutes="Vi talte om arbejdstiden."
        )
        MeetingAgreement.objects.create(meeting=meeting, text="Bodil tager telefonen om formiddagen.")
        # Bodil's message and request to her coordinator (professionals only), and her manager's message.
        from fasthold.requests.models import MeetingRequest, Message, Side

        bodil, chef = cls.world.users["bodil"], cls.world.users["chef"]
        Message.objects.create(case=cls.case, author=bodil, side=Side.EMPLOYEE, body=HEALTH["the employee's message"])
        Message.objects.create(case=cls.case, author=chef, side=Side.EMPLOYER, body="Kan vi tale om vagtplanen?")
        MeetingRequest.objects.create(
            case=cls.case, asked_by=bodil, side=Side.EMPLOYEE, purpose=HEALTH["the employee's request for a meeting"]
        )
        plan = Plan.objects.get(case=cls.case)
        plans.proposal_create(actor=cls.world.users["chef"], plan=plan, text="Færre møder om eftermiddagen.")
        # A draft beside the current version: its sub-goals and activities open in edit forms.
        if not plan.versions.filter(status="draft").exists():
            plans.plan_revise(
                actor=cls.world.users["koordinator"],
                plan=plan,
                expected_version=plan.version,
                reason="Ny aftale om arbejdstiden.",
            )

    def walk(self, username):
        """GET every filled URL as `username`; returns the problems found, and what was read."""
        user = self.world.users[username]
        values = _values(self.world, self.case, user)
        urls, unfilled = urls_for(values)
        self.assertEqual(unfilled, {}, "patterns the walk cannot fill: give them rows, or list them in UNFILLED")
        self.client.force_login(user)
        sentinels = set(HEALTH.values()) | ({CONSENT_WORDING} if username != "bodil" else set())
        problems, shown, statuses = [], [], {}
        for url in urls:
            last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = self.client.get(url)
            statuses[url] = response.status_code
            text = _text(response)
            seen = sorted(s for s in sentinels if s in text)
            view_name = resolve(url.split("?")[0]).view_name
            actions = (*READS, OWN_ACTION[view_name][0]) if view_name in OWN_ACTION else READS
            new = list(
                AuditEntry.objects.filter(actor=user, case=self.case, action__in=actions, pk__gt=last).values_list(
                    "action", "fields"
                )
            )
            if response.status_code >= 500:
                problems.append((url, f"status {response.status_code}"))
            if seen:
                shown.append(url)
                if len(new) != 1:
                    problems.append((url, f"shows {seen} with {len(new)} read rows {new}"))
            elif new and view_name not in ALWAYS_READ:
                problems.append((url, f"no health text on the page but read rows {new}"))
            if username == "chef":
                leaked = sorted(set(HEALTH.values()) & set(seen))
                if leaked:
                    problems.append((url, f"the manager sees {leaked}"))
                if seen and [a for a, _f in new] != [AuditAction.SHARED_VIEWED]:
                    problems.append((url, f"the shared wording is read without one SHARED_VIEWED row: {new}"))
            if not self.client.session.get("_auth_user_id"):
                self.client.force_login(user)  # a page that ended the session must not hide the rest
        return problems, shown, statuses

    def check(self, username, must_show):
        problems, shown, statuses = self.walk(username)
        self.assertEqual(problems, [])
        ok = [u for u, s in statuses.items() if s == 200]
        self.assertGreaterEqual(len(ok), 20, f"{username} read too few pages to prove anything")
        for name in must_show:
            self.assertTrue(any(name in u for u in shown), f"{username}: no page under {name} showed health text")
        return shown

    def test_coordinator(self):
        self.check(
            "koordinator",
            [
                "/cases/",
                "/health/",
                "/meetings/",
                "/contacts/",
                "/plans/",
                "/profile/",
                "/questionnaires/",
                "/consents/",
                "/statements/",
            ],
        )

    def test_health_professional(self):
        self.check("psykolog", ["/cases/", "/health/", "/contacts/", "/plans/", "/profile/", "/statements/"])

    def test_employee(self):
        self.check("bodil", ["/cases/", "/health/", "/plans/", "/privacy/me/export/", "/statements/"])

    def test_manager(self):
        shown = self.check("chef", [f"/cases/{self.case.public_id}/", "/employer/"])
        self.assertTrue(any(u.endswith(".pdf") for u in shown), "the shared wording is missing in the plan PDF")

    def test_every_pattern_is_filled_or_listed(self):
        values = _values(self.world, self.case, self.world.users["koordinator"])
        _urls, unfilled = urls_for(values)
        self.assertEqual(unfilled, {})
        routes = {route for route, _p in patterns()}
        self.assertEqual(set(UNFILLED) - routes, set(), "UNFILLED lists a pattern that no longer exists")
        names = {f"{p.pattern.name}" for _r, p in patterns()}
        for listed in (ALWAYS_READ, OWN_ACTION):
            self.assertEqual({n.split(":")[1] for n in listed} - names, set(), "a listed view no longer exists")
