"""The employer's pages and exports show a shared item with consent, never without.

The whole demo world is built (every app's demo.py, including apps added later), every health field of
Kurt's case is filled with a unique sentinel, and his manager (leder) crawls everything he can reach:
every same-site link and GET form from "/", and every URL pattern of the project filled with the values
seen (so a page reachable but not linked is read too). HTML, PDF text, iCal and the e-mails he receives
are searched for the sentinels. Then, for each consent category, the employee shares it with the manager:
it must appear where it belongs (the case page and the retention plan PDF) and nowhere in iCal or e-mail,
while nothing else appears; after the withdrawal it must be gone everywhere.

Every outgoing message is read too, for every workplace recipient (the manager, HR with a login, a shop
steward without one): the reminder digest of every day from the first sick day to eight weeks ahead, and
a meeting's invitation, update, cancellation to someone taken off it, and cancellation. None may carry
anything hidden from the employer, shared or not. A step that cannot be done fails the check.
"""

import datetime as dt
from unittest import mock

from django.apps import apps
from django.core import mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Audience, Case, EventKind, HealthRecord, Participant, TimelineEvent
from fasthold.deadlines import reminders
from fasthold.meetings import services as meetings
from fasthold.meetings.models import MeetingKind
from fasthold.organisations.models import OrgRole
from fasthold.sharing import services
from fasthold.sharing.models import Category, Consent, Recipient
from tests.base import ALL_DEMOS, DemoWorldTestCase, add_user
from tests.sharing.crawler import crawl

# Never to be seen by the manager, with or without consent.
HEALTH = {
    "diagnosis": "SNTLDIAGNOSIS",
    "symptoms": "SNTLSYMPTOMS",
    "treatment field": "SNTLTREATMENTFIELD",
    "professionals-only note": "SNTLPRONOTE",
    "treatment plan activity": "SNTLPLANTREATMENT",
    "non-work sub-goal": "SNTLHEALTHGOAL",
    "prognostic profile note": "SNTLPROFILENOTE",
    "health professional's name": "SNTLPHYSIONAME",
    "health professional's e-mail": "sntlphysiomail@example.org",
    "cause category label": "SNTLCAUSELABEL",
    "cause group label": "SNTLCAUSEGROUP",
    "CPR number": "0503711234",
    "CPR number (formatted)": "050371-1234",
    "fitness-for-work statement, the doctor's part": "SNTLSTATEMENTPART2",
}
# The questionnaire results: seen only with the questionnaire consent.
QUESTIONNAIRE = {"questionnaire name": "SNTLQUESTIONNAIRE", "questionnaire band": "SNTLQBAND", "score": "987654"}
# Shared with HR or colleagues only: never for the manager.
OTHER_RECIPIENTS = {"shared with HR": "SNTLHRONLY", "shared with colleagues": "SNTLCOLLEAGUESONLY"}
# What the manager sees with each consent.
FOR_MANAGER = {
    Category.ILLNESS: {"illness wording": "SNTLMGRILLNESS"},
    Category.TREATMENT: {"treatment wording": "SNTLMGRTREATMENT"},
    Category.MESSAGE: {"message to the manager": "SNTLMGRMESSAGE"},
    Category.QUESTIONNAIRES: QUESTIONNAIRE,
}
ALL_SHARED = {k: v for group in FOR_MANAGER.values() for k, v in group.items()}


def mail_text(message) -> str:
    """Subject, body, alternatives and attachments of a mail as one text, iCalendar lines unfolded."""
    parts = [message.subject, message.body]
    parts += [content for content, _mime in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload(decode=True)
        parts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content))
    return "\n".join(str(p) for p in parts).replace("\r\n ", "").replace("\r\n\t", "")


def _case_rows(model, case):
    """The rows of `model` that belong to `case`, through any of the usual paths."""
    for lookup in ("case", "plan__case", "version__plan__case", "meeting__case", "schedule__case", "agreement__case"):
        try:
            return model.objects.filter(**{lookup: case})
        except Exception:  # noqa: BLE001 - the model has no such path
            continue
    return None


def db_pool(case) -> dict[str, list[str]]:
    """Values to fill URL parameters with, by converter: the ids, public ids and keys of every row of the
    case in any app, so pages that no link leads to (edit forms of hidden items, say) are tried too."""
    pool = {"uuid": [str(case.public_id)], "int": [], "str": []}
    for model in apps.get_models():
        rows = _case_rows(model, case)
        if rows is None:
            continue
        fields = {f.name: f for f in model._meta.concrete_fields}
        # Every row: a slice here would leave some rows' pages unread without anyone noticing.
        if "public_id" in fields:
            pool["uuid"] += [str(v) for v in rows.values_list("public_id", flat=True)]
        if isinstance(model._meta.pk, (models.AutoField, models.BigAutoField)):
            pool["int"] += [str(v) for v in rows.values_list("pk", flat=True)]
        for name in ("key", "slug", "kind", "instrument_id", "number"):
            if name in fields:
                pool["str"] += [str(v) for v in rows.values_list(name, flat=True).distinct()]
    pool = {conv: list(dict.fromkeys(values)) for conv, values in pool.items()}
    pool["slug"] = pool["str"]
    return pool


def fill_professional_texts(case) -> int:
    """Every row of any model that carries an audience and is professionals-only gets its text fields
    replaced by the professionals-only sentinel: notes of every app, including ones written later."""
    filled = 0
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "audience" not in names or model is TimelineEvent:
            continue
        rows = _case_rows(model, case)
        if rows is None:
            continue
        texts = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.TextField, models.CharField))
            and not f.choices
            and f.name != "audience"
            and not f.name.endswith("id")
        ]
        for row in rows.filter(audience=Audience.PROFESSIONALS):
            model.objects.filter(pk=row.pk).update(**{name: HEALTH["professionals-only note"] for name in texts})
            filled += 1
    return filled


def fill_sentinels(world) -> None:
    kurt = world.kurt
    HealthRecord.objects.filter(case=kurt).update(
        diagnosis=f"Lænd {HEALTH['diagnosis']} ryg",
        symptoms=f"Smerter {HEALTH['symptoms']}",
        treatment=f"Fysioterapi {HEALTH['treatment field']}",
    )
    TimelineEvent.objects.create(
        case=kurt,
        kind=EventKind.NOTE,
        audience=Audience.PROFESSIONALS,
        actor=world.users["koordinator"],
        params={"text": f"Note {HEALTH['professionals-only note']}"},
    )
    Participant.objects.filter(case=kurt, role=ParticipantRole.PHYSIO_OR_OT).update(
        name=HEALTH["health professional's name"], email=HEALTH["health professional's e-mail"]
    )
    fill_professional_texts(kurt)

    from fasthold.plans.models import Activity, ActivityKind, SubGoal

    Activity.objects.filter(version__plan__case=kurt).exclude(kind=ActivityKind.WORKPLACE).update(
        what=f"Behandling {HEALTH['treatment plan activity']}"
    )
    SubGoal.objects.filter(version__plan__case=kurt, work_related=False).update(
        text=f"Helbred {HEALTH['non-work sub-goal']}"
    )

    from fasthold.screening.models import PrognosticProfile, QuestionnaireResponse

    profile = PrognosticProfile.objects.filter(case=kurt).first()
    if profile is not None:
        answers = {k: {**v, "note": f"{HEALTH['prognostic profile note']} {k}"} for k, v in profile.answers.items()}
        PrognosticProfile.objects.filter(pk=profile.pk).update(answers=answers)
    labels = {"da": QUESTIONNAIRE["questionnaire name"], "en": QUESTIONNAIRE["questionnaire name"]}
    bands = {"da": QUESTIONNAIRE["questionnaire band"], "en": QUESTIONNAIRE["questionnaire band"]}
    QuestionnaireResponse.objects.filter(case=kurt).update(
        instrument_name=labels, band_label=bands, score=int(QUESTIONNAIRE["score"])
    )

    # A fitness-for-work statement whose doctor's part Kurt does not share: its pages are crawled too.
    from fasthold.coordination.models import PossibilityStatement

    PossibilityStatement.objects.create(
        case=kurt,
        requested_on=kurt.first_sick_day,
        requested_by_name="Peter Nielsen",
        job_description="Løfter tømmer",
        doctor_assessment=f"Kan ikke {HEALTH["fitness-for-work statement, the doctor's part"]}",
    )


class EmployerLeakCheck(DemoWorldTestCase):
    load_demos = ALL_DEMOS
    reachable: list[str] | None = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leder = cls.world.users["leder"]
        kurt_user = cls.world.users["kurt"]
        # The demo shares Kurt's wording with his manager: start from nothing shared.
        for consent in Consent.objects.active().filter(case=cls.kurt):
            services.consent_withdraw(actor=kurt_user, consent=consent)
        fill_sentinels(cls.world)
        Participant.objects.get_or_create(case=cls.kurt, role=ParticipantRole.HR, name="HR-afdelingen")
        # Workplace recipients of mail besides the manager: HR with a login at Kurt's company (eligible:
        # a member of the employer), and the shop steward, an external contact with an address only.
        cls.hr = add_user(
            "hrleak",
            (cls.kurt.employment.employer, OrgRole.HR),
            email="hr.leak@example.org",
            first_name="Helle",
            last_name="Rask",
        )
        Participant.objects.create(case=cls.kurt, role=ParticipantRole.HR, user=cls.hr, name="Helle Rask")
        Participant.objects.filter(case=cls.kurt, role=ParticipantRole.SHOP_STEWARD).update(email="tr.leak@example.org")
        cls.workplace = {"manager": cls.leder.email, "HR": cls.hr.email, "shop steward": "tr.leak@example.org"}
        for category in (Category.ILLNESS, Category.TREATMENT, Category.MESSAGE):
            services.consent_give(
                actor=kurt_user,
                case=cls.kurt,
                category=category,
                recipient=Recipient.HR,
                text=f"HR {OTHER_RECIPIENTS['shared with HR']}",
            )
        services.consent_give(actor=kurt_user, case=cls.kurt, category=Category.QUESTIONNAIRES, recipient=Recipient.HR)
        for category in (Category.ILLNESS, Category.TREATMENT):
            services.consent_give(
                actor=kurt_user,
                case=cls.kurt,
                category=category,
                recipient=Recipient.COLLEAGUES,
                text=f"Kolleger {OTHER_RECIPIENTS['shared with colleagues']}",
            )
        from fasthold.deadlines.models import FeedToken

        FeedToken.objects.get_or_create(user=cls.leder)
        cls.setup_mails = list(mail.outbox)

    def setUp(self):
        self.enterContext(
            mock.patch.object(Case, "get_cause_category_display", lambda self: HEALTH["cause category label"])
        )
        self.enterContext(mock.patch.object(Case, "get_cause_group_display", lambda self: HEALTH["cause group label"]))
        self.client.force_login(self.leder)

    # ------------------------------------------------------------------ helpers

    def crawl(self):
        from fasthold.deadlines.models import FeedToken
        from fasthold.plans.models import PlanVersion

        kurt = self.kurt
        numbers = [str(n) for n in PlanVersion.objects.filter(plan__case=kurt).values_list("number", flat=True)]
        seeds = {
            "public_id": [str(kurt.public_id)],
            "number": numbers,
            "token": [FeedToken.objects.get(user=self.leder).token],
            "lang": ["da", "en"],
        }
        pool = db_pool(kurt)
        conv_seeds = {
            **pool,
            "int": list(dict.fromkeys(numbers + pool["int"])),
            "isodate": [timezone.localdate().isoformat()],
        }
        start = [
            "/",
            reverse("cases:detail", args=[kurt.public_id]),
            reverse("deadlines:feed_settings"),
            reverse("plans:pdf", args=[kurt.public_id]) + "?lang=en",
        ]
        cls = type(self)
        if cls.reachable is None:
            # The first crawl also fills every URL pattern; consent never changes what a manager may open,
            # so later crawls start from every page that answered then, and still follow every link.
            result = crawl(self.client, start=start, seeds=seeds, conv_seeds=conv_seeds)
            cls.reachable = [v.url for v in result.visits.values() if v.status in (200, 302)]
        else:
            result = crawl(
                self.client, start=start + cls.reachable, seeds=seeds, conv_seeds=conv_seeds, enumerate_patterns=False
            )
        # A crawl cut short by its cap or its per-pattern limit proves nothing about the pages it skipped.
        self.assertEqual((len(result.unread), result.left_out), (0, {}), "the crawl did not read everything")
        self.assertEqual(result.unfilled, [], "routes the crawl had no value for were never read")
        feed = reverse("deadlines:feed", args=[FeedToken.objects.get(user=self.leder).token])
        self.assertIn(feed, {v.url for v in result.ok()}, "the manager's calendar feed was not read")
        errors = [(v.url, v.status) for v in result.visits.values() if v.status >= 500]
        self.assertEqual(errors, [], "pages that fail for the manager cannot be checked")
        # Figures for the report (pytest -rP shows them).
        print(
            f"leak check crawl as {self.leder.username}: {len(result.visits)} requests, {len(result.ok())} answered 200"
        )
        return result

    def manager_mails(self, every_day: bool = True) -> list[str]:
        """Everything any workplace recipient (manager, HR, shop steward) receives by e-mail."""
        return [text for texts in self.workplace_mails(every_day).values() for text in texts]

    def workplace_mails(self, every_day: bool = True) -> dict[str, list[str]]:
        """Every outgoing message, by workplace recipient: the digests of every day (or of every seventh:
        with the week's look-ahead that still lists every deadline once) and a meeting's invitation,
        update and cancellations (each with its .ics file). Sent inside a savepoint that is rolled back,
        so the crawls that follow read the same world; the mails stay in the outbox."""
        first = len(mail.outbox)
        with transaction.atomic():
            today = timezone.localdate()
            day = self.kurt.first_sick_day
            while day <= today + dt.timedelta(weeks=8):
                reminders.run_once(day)
                day += dt.timedelta(days=1 if every_day else reminders.LOOK_AHEAD_DAYS)
            self.send_every_meeting_message()
            transaction.set_rollback(True)
        texts: dict[str, list[str]] = {kind: [] for kind in self.workplace}
        for message in [*self.setup_mails, *mail.outbox[first:]]:
            for kind, address in self.workplace.items():
                if address in message.to + message.cc + message.bcc:
                    texts[kind].append(mail_text(message))
        for kind, found in texts.items():
            self.assertTrue(found, f"the {kind} received no e-mail to check")
        self.assertTrue(
            any("Fasthold" in t.split("\n", 1)[0] for t in texts["manager"]),
            "the manager received no reminder digest to check",
        )
        return texts

    def send_every_meeting_message(self) -> None:
        """A meeting with everyone on Kurt's case (the physiotherapist too): the invitation, an update, a
        cancellation to the shop steward taken off it, and the cancellation. Each must reach its recipients,
        or there is nothing to check."""
        coordinator = self.world.users["koordinator"]
        everyone = list(Participant.objects.filter(case=self.kurt))
        starts = timezone.now().replace(microsecond=0, second=0, minute=0) + dt.timedelta(days=3)
        outbox = len(mail.outbox)

        def sent_since(start: int, method: str) -> set[str]:
            return {address for m in mail.outbox[start:] if f"METHOD:{method}" in mail_text(m) for address in m.to}

        with self.captureOnCommitCallbacks(execute=True):
            meeting = meetings.meeting_plan(
                actor=coordinator,
                case=self.kurt,
                kind=MeetingKind.ROUND_TABLE,
                starts_at=starts,
                duration_minutes=60,
                purpose="Vi taler om arbejdsopgaverne.",
                participants=everyone,
                place="Mødelokalet",
                base_url="http://testserver",
            )
        self.assertLessEqual(set(self.workplace.values()), sent_since(outbox, "REQUEST"), "an invitation was not sent")
        outbox = len(mail.outbox)
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=coordinator,
                meeting=meeting,
                expected_version=meeting.version,
                data={"place": "Kantinen"},
                participants=everyone,
                base_url="http://testserver",
            )
        self.assertLessEqual(set(self.workplace.values()), sent_since(outbox, "REQUEST"), "an update was not sent")
        meeting.refresh_from_db()
        outbox = len(mail.outbox)
        steward = Participant.objects.get(case=self.kurt, role=ParticipantRole.SHOP_STEWARD)
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=coordinator,
                meeting=meeting,
                expected_version=meeting.version,
                data={},
                participants=[p for p in everyone if p.pk != steward.pk],
                base_url="http://testserver",
            )
        self.assertIn(
            self.workplace["shop steward"],
            sent_since(outbox, "CANCEL"),
            "the cancellation to someone taken off the meeting was not sent",
        )
        meeting.refresh_from_db()
        outbox = len(mail.outbox)
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_cancel(
                actor=coordinator, meeting=meeting, expected_version=meeting.version, base_url="http://testserver"
            )
        self.assertLessEqual(
            {self.workplace["manager"], self.workplace["HR"]},
            sent_since(outbox, "CANCEL"),
            "a cancellation was not sent",
        )

    def assert_absent(self, texts_by_url: dict[str, str], sentinels: dict[str, str]):
        leaks = [(label, url) for url, text in texts_by_url.items() for label, s in sentinels.items() if s in text]
        self.assertEqual(leaks, [], "health information reached the manager")

    def texts(self, result) -> dict[str, str]:
        return {v.url: v.text for v in result.visits.values()}

    def case_page(self):
        return reverse("cases:detail", args=[self.kurt.public_id])

    def plan_pdf(self, result):
        pdf_urls = [v for v in result.of_type("application/pdf") if "/plans/" in v.url]
        self.assertTrue(pdf_urls, "the retention plan PDF was not reached")
        return pdf_urls

    # ------------------------------------------------------------------ the checks

    def test_without_consent_no_health_field_reaches_the_manager(self):
        result = self.crawl()
        ok = result.ok()
        self.assertGreaterEqual(len(ok), 30, "the crawl read too few pages to prove anything")
        visited = {v.url.split("?")[0] for v in ok}
        pid = self.kurt.public_id
        for must in (
            reverse("cases:detail", args=[pid]),
            reverse("plans:plan", args=[pid]),
            reverse("plans:pdf", args=[pid]),
            reverse("schedules:schedule", args=[pid]),
            reverse("schedules:ical", args=[pid]),
            reverse("schedules:pdf", args=[pid]),
            reverse("portals:employer_case", args=[pid]),
            reverse("guidance:case", args=[pid]),
            reverse("sharing:colleagues", args=[pid]),
        ):
            self.assertIn(must, visited)
        # The case calendar is the professionals' worksheet: the manager's duties are on his portal.
        self.assertEqual(self.client.get(reverse("deadlines:case", args=[pid])).status_code, 404)
        self.assertGreaterEqual(len(result.of_type("application/pdf")), 2)
        self.assertGreaterEqual(len(result.of_type("text/calendar")), 2)  # the schedule and the feed
        self.assert_absent(self.texts(result), {**HEALTH, **QUESTIONNAIRE, **OTHER_RECIPIENTS, **ALL_SHARED})
        mails = self.manager_mails()
        self.assertTrue(mails, "the manager received no e-mail to check")
        self.assert_absent(dict(enumerate(mails)), {**HEALTH, **QUESTIONNAIRE, **OTHER_RECIPIENTS, **ALL_SHARED})
        # The consent page is the employee's, not the employer's.
        self.assertEqual(self.client.get(reverse("sharing:consents", args=[pid])).status_code, 404)

    def check_category(self, category):
        kurt_user = self.world.users["kurt"]
        shown = FOR_MANAGER[category]
        text = f"Delt {shown[next(iter(shown))]}" if category != Category.QUESTIONNAIRES else ""
        consent, _outcome = services.consent_give(
            actor=kurt_user, case=self.kurt, category=category, recipient=Recipient.MANAGER, text=text
        )
        result = self.crawl()
        texts = self.texts(result)
        # Where it belongs: the case page and the retention plan PDF.
        for sentinel in shown.values():
            self.assertIn(sentinel, texts[self.case_page()], f"{category} is missing on the case page")
            for pdf in self.plan_pdf(result):
                self.assertIn(sentinel, pdf.text, f"{category} is missing in the retention plan PDF")
        # Nothing else, anywhere; and the shared item never in iCal or e-mail.
        others = {
            k: v
            for k, v in {**HEALTH, **QUESTIONNAIRE, **OTHER_RECIPIENTS, **ALL_SHARED}.items()
            if v not in shown.values()
        }
        self.assert_absent(texts, others)
        calendars = {v.url: v.text for v in result.of_type("text/calendar")}
        self.assertTrue(calendars)
        self.assert_absent(calendars, shown)
        # Consent changes no mail (digests do not depend on it): the daily digests are read without consent.
        self.assert_absent(dict(enumerate(self.manager_mails(every_day=False))), {**others, **shown})

        services.consent_withdraw(actor=kurt_user, consent=consent)
        result = self.crawl()
        self.assert_absent(self.texts(result), {**HEALTH, **QUESTIONNAIRE, **OTHER_RECIPIENTS, **ALL_SHARED})

    def test_illness_in_general_terms(self):
        self.check_category(Category.ILLNESS)

    def test_treatment(self):
        self.check_category(Category.TREATMENT)

    def test_text_for_the_manager(self):
        self.check_category(Category.MESSAGE)

    def test_questionnaire_results(self):
        self.check_category(Category.QUESTIONNAIRES)
