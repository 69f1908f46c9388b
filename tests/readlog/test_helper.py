"""The read-log helper itself: one row per page listing every field shown, nothing for a redirect or an
error page, at once outside a request; and no other code path writes read rows."""

import re
from pathlib import Path

from django.core.handlers.exception import convert_exception_to_response
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory, TestCase

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.audit.readlog import ReadLogMiddleware, log_read
from tests.base import DemoWorldTestCase

ROOT = Path(__file__).resolve().parents[2]


class ReadLogTests(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.user = cls.world.users["koordinator"]

    def serve(self, view):
        request = RequestFactory().get("/")
        request.user = self.user
        # As in Django's handler: the view's exceptions become responses before the middleware sees them.
        return ReadLogMiddleware(convert_exception_to_response(view))(request)

    def reads(self):
        return AuditEntry.objects.filter(
            actor=self.user, action__in=(AuditAction.HEALTH_VIEWED, AuditAction.SHARED_VIEWED)
        )

    def test_a_page_showing_three_things_is_one_read_listing_them(self):
        kurt, bodil = self.world.kurt, self.world.bodil

        def view(request):
            log_read(request, kurt, fields=["health"])
            log_read(request, kurt, fields=["timeline", "health"])
            log_read(request, kurt, fields=["meeting_note"])
            log_read(request, kurt, fields=["illness"], shared=True)
            log_read(request, bodil, fields=["plan"])
            return HttpResponse("ok")

        self.serve(view)
        rows = {(r.case_id, r.action): r.fields for r in self.reads()}
        self.assertEqual(
            rows,
            {
                (kurt.pk, AuditAction.HEALTH_VIEWED): ["health", "meeting_note", "timeline"],
                (kurt.pk, AuditAction.SHARED_VIEWED): ["illness"],
                (bodil.pk, AuditAction.HEALTH_VIEWED): ["plan"],
            },
        )
        self.assertEqual({r.organisation_id for r in self.reads()}, {kurt.organisation_id})

    def test_a_redirect_or_an_error_page_shows_nothing_and_writes_nothing(self):
        def redirect(request):
            log_read(request, self.world.kurt, fields=["health"])
            return HttpResponseRedirect("/")

        def missing(request):
            log_read(request, self.world.kurt, fields=["health"])
            raise Http404

        self.serve(redirect)
        self.assertEqual(self.serve(missing).status_code, 404)
        self.assertFalse(self.reads().exists())

    def test_a_form_sent_back_shows_what_it_shows(self):
        for status in (400, 409):
            self.serve(
                lambda request, status=status: (
                    log_read(request, self.world.kurt, fields=["health"]),
                    HttpResponse(status=status),
                )[1]
            )
        self.assertEqual(self.reads().count(), 2)

    def test_outside_a_request_the_row_is_written_at_once(self):
        log_read(self.user, self.world.kurt, fields=["questionnaires", "illness"], shared=True)
        row = self.reads().get()
        self.assertEqual((row.action, row.fields), (AuditAction.SHARED_VIEWED, ["illness", "questionnaires"]))

    def test_a_read_names_its_fields(self):
        with self.assertRaises(ValueError):
            log_read(self.user, self.world.kurt, fields=[])


class OneMechanismTests(TestCase):
    def test_no_code_but_the_helper_writes_read_rows(self):
        """HEALTH_VIEWED and SHARED_VIEWED are written by fasthold/audit/readlog.py only; views,
        services and template tags call log_read (or sharing.policy, which calls it)."""
        pattern = re.compile(r"\b(HEALTH_VIEWED|SHARED_VIEWED)\b")
        allowed = {"fasthold/audit/readlog.py", "fasthold/audit/models.py"}
        offenders = []
        for path in (ROOT / "fasthold").rglob("*.py"):
            name = path.relative_to(ROOT).as_posix()
            if name in allowed or "/migrations/" in name:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if pattern.search(code) and "AuditAction." in code:
                    offenders.append(f"{name}:{number}")
        self.assertEqual(offenders, [])

    def test_templates_and_template_tags_never_log(self):
        offenders = [
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / "fasthold").rglob("templatetags/*.py")
            if re.search(r"\blog_read\b|audit_record|shared_with\(", p.read_text(encoding="utf-8"))
        ]
        self.assertEqual(offenders, [])
