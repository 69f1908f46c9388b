"""The API's access policy, scopes, tokens, versions, pagination, rate limit and audit."""

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from fasthold.api import services
from fasthold.api.models import ApiCall, ApiRateWindow, ApiToken, Scope, hash_token
from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Case
from tests.api.base import ALL_SCOPES, ApiTestCase, make_client

PROBLEM = "application/problem+json"

# Each read scope and the path it opens, for a case of the jobcentre.
READS = {
    Scope.CASES_READ: "/cases/{id}",
    Scope.DEADLINES_READ: "/cases/{id}/deadlines",
    Scope.PLANS_READ: "/cases/{id}/plan",
    Scope.SCHEDULES_READ: "/cases/{id}/schedule",
    Scope.MEETINGS_READ: "/cases/{id}/meetings",
}


class ScopeMatrixTests(ApiTestCase):
    def test_each_scope_opens_its_own_parts_only(self):
        for scope in ALL_SCOPES:
            _client, token = make_client(self.world, "jobcentre", [scope], name=scope)
            for needed, path in READS.items():
                for case in (self.kurt, self.bodil):
                    with self.subTest(scope=scope, path=path, case=case.person.name):
                        response = self.call("GET", path.format(id=case.public_id), token)
                        if scope == needed:
                            self.assertIn(response.status_code, (200, 404))
                            if response.status_code == 404:
                                self.assertIn(needed, (Scope.PLANS_READ, Scope.SCHEDULES_READ))
                        else:
                            self.assertEqual(response.status_code, 403)
                            self.assertEqual(response["Content-Type"], PROBLEM)
                            self.assertEqual(response.json()["status"], 403)

    def test_the_list_needs_cases_read(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.DEADLINES_READ])
        self.assertEqual(self.call("GET", "/cases", token).status_code, 403)

    def test_writes_need_their_scope(self):
        _c, token = make_client(self.world, "jobcentre", [s for s in ALL_SCOPES if s != Scope.CASES_WRITE])
        response = self.call("POST", "/cases", token, json=_new_case())
        self.assertEqual(response.status_code, 403)
        _c, token = make_client(self.world, "jobcentre", [s for s in ALL_SCOPES if s != Scope.OUTCOMES_WRITE])
        response = self.call(
            "POST",
            f"/cases/{self.kurt.public_id}/closure",
            token,
            json={"closed_on": timezone.localdate().isoformat(), "outcome": "full_return"},
            headers={"If-Match": f'"{self.kurt.version}"'},
        )
        self.assertEqual(response.status_code, 403)


class OtherOrganisationTests(ApiTestCase):
    def test_a_client_never_sees_another_organisations_cases(self):
        other_case = Case.objects.filter(organisation=self.world.orgs["clinic"]).first()
        self.assertIsNotNone(other_case)
        _c, token = make_client(self.world, "clinic", ALL_SCOPES)
        for path in [*READS.values(), "/cases/{id}/closure"]:
            for case in (self.kurt, self.bodil):
                with self.subTest(path=path):
                    method = "POST" if path.endswith("closure") else "GET"
                    response = self.call(
                        method,
                        path.format(id=case.public_id),
                        token,
                        json={"closed_on": "2026-01-01", "outcome": "full_return"} if method == "POST" else None,
                        headers={"If-Match": '"1"'},
                    )
                    self.assertEqual(response.status_code, 404)
                    self.assertEqual(response["Content-Type"], PROBLEM)
        response = self.call("PATCH", f"/cases/{self.kurt.public_id}", token, json={}, headers={"If-Match": '"1"'})
        self.assertEqual(response.status_code, 404)
        listed = self.call("GET", "/cases?status=all", token).json()["items"]
        ids = {item["id"] for item in listed}
        self.assertIn(str(other_case.public_id), ids)
        self.assertNotIn(str(self.kurt.public_id), ids)
        self.assertNotIn(str(self.bodil.public_id), ids)

    def test_the_jobcentre_sees_what_its_staff_see(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        ids = {item["id"] for item in self.call("GET", "/cases?status=all&limit=100", token).json()["items"]}
        staff = {str(c.public_id) for c in Case.objects.visible_to(self.users["koordinator"])}
        self.assertEqual(ids, staff)

    def test_a_persona_organisation_without_cases_sees_none(self):
        # The employer (the manager's organisation) and the health practice own no cases.
        for org in ("door_factory", "psychology_practice"):
            _c, token = make_client(self.world, org, ALL_SCOPES)
            with self.subTest(org=org):
                self.assertEqual(self.call("GET", "/cases?status=all", token).json()["items"], [])
                self.assertEqual(self.call("GET", f"/cases/{self.kurt.public_id}", token).status_code, 404)


class HealthTests(ApiTestCase):
    def test_health_only_with_the_health_scope_and_logged(self):
        _c, plain = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        client, with_health = make_client(self.world, "jobcentre", [Scope.CASES_READ, Scope.HEALTH_READ])
        body = self.call("GET", f"/cases/{self.bodil.public_id}", plain).json()
        self.assertIsNone(body["health"])
        self.assertFalse(
            AuditEntry.objects.filter(
                action=AuditAction.HEALTH_VIEWED, case=self.bodil, actor__api_client__isnull=False
            )
        )
        body = self.call("GET", f"/cases/{self.bodil.public_id}", with_health).json()
        self.assertIsNotNone(body["health"])
        read = AuditEntry.objects.get(action=AuditAction.HEALTH_VIEWED, case=self.bodil, actor=client.service_user)
        self.assertEqual(read.fields, ["cause_category", "health"])
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditAction.CASE_VIEWED, case=self.bodil, actor=client.service_user)
        )

    def test_the_cause_only_with_the_health_scope_and_logged(self):
        _c, plain = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        client, with_health = make_client(self.world, "jobcentre", [Scope.CASES_READ, Scope.HEALTH_READ])
        cause = self.bodil.cause_category
        self.assertIsNone(self.call("GET", f"/cases/{self.bodil.public_id}", plain).json()["cause_category"])
        listed = self.call("GET", "/cases?status=all", plain).json()["items"]
        self.assertTrue(listed)
        self.assertTrue(all(item["cause_category"] is None for item in listed))
        refused = self.call("GET", f"/cases?cause={cause}", plain)
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused["Content-Type"], PROBLEM)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor__api_client__isnull=False))
        # With the scope: the cause is sent, the filter works, and each case sent is a logged read.
        listed = self.call("GET", f"/cases?status=all&cause={cause}", with_health).json()["items"]
        self.assertIn(str(self.bodil.public_id), [item["id"] for item in listed])
        self.assertTrue(all(item["cause_category"] == cause for item in listed))
        reads = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor=client.service_user)
        self.assertEqual(reads.count(), len(listed))
        self.assertTrue(all(r.fields == ["cause_category"] for r in reads))

    def test_the_full_cpr_number_is_never_sent(self):
        _c, token = make_client(self.world, "jobcentre", ALL_SCOPES)
        response = self.call("GET", f"/cases/{self.kurt.public_id}", token)
        self.assertNotIn(self.kurt.person.cpr, response.content.decode())


class TokenTests(ApiTestCase):
    def test_tokens_are_stored_hashed(self):
        client, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        stored = ApiToken.objects.get(client=client)
        self.assertNotIn(token, (stored.secret_hash, stored.lookup))
        self.assertEqual(stored.secret_hash, hash_token(token))
        self.assertTrue(token.startswith(f"fh_{stored.lookup}_"))

    def test_unknown_wrong_revoked_and_expired_tokens_get_401(self):
        client, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        self.assertEqual(self.call("GET", "/cases", token).status_code, 200)
        for bad in (None, "nonsense", token[:-2] + "xx", "fh_000000000000_abc"):
            with self.subTest(token=bad):
                response = self.call("GET", "/cases", bad)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], PROBLEM)
        stored = ApiToken.objects.get(client=client)
        ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(self.call("GET", "/cases", token).status_code, 401)
        ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
        services.token_revoke(actor=self.users["admin"], token=stored)
        self.assertEqual(self.call("GET", "/cases", token).status_code, 401)

    def test_rotation_keeps_the_old_token_until_revoked_and_a_revoked_client_stops(self):
        client, old = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        new = services.token_rotate(actor=self.users["admin"], client=client)
        self.assertEqual(self.call("GET", "/cases", old).status_code, 200)
        self.assertEqual(self.call("GET", "/cases", new).status_code, 200)
        services.client_revoke(actor=self.users["admin"], client=client)
        self.assertEqual(self.call("GET", "/cases", old).status_code, 401)
        self.assertEqual(self.call("GET", "/cases", new).status_code, 401)


class ClientAuditTests(ApiTestCase):
    def test_create_rotate_and_revoke_are_audited_without_the_token(self):
        admin = self.users["admin"]
        org = self.world.orgs["jobcentre"]
        client, first = make_client(self.world, "jobcentre", [Scope.CASES_READ, Scope.HEALTH_READ])
        second = services.token_rotate(actor=admin, client=client)
        services.token_revoke(actor=admin, token=ApiToken.objects.filter(client=client).first())
        services.client_revoke(actor=admin, client=client)
        services.client_revoke(actor=admin, client=client)  # again: nothing changes, nothing recorded
        entries = AuditEntry.objects.filter(actor=admin, action__startswith="api.").order_by("pk")
        self.assertEqual(
            [e.action for e in entries],
            [
                AuditAction.API_CLIENT_CREATED,
                AuditAction.API_TOKEN_ISSUED,
                AuditAction.API_TOKEN_ISSUED,
                AuditAction.API_TOKEN_REVOKED,
                AuditAction.API_CLIENT_REVOKED,
            ],
        )
        ref = f"api_client#{client.pk}"
        self.assertEqual(entries[0].fields, sorted([ref, "name", "cases:read", "health:read"]))
        self.assertTrue(all(e.organisation_id == org.pk and ref in e.fields for e in entries))
        lookups = set(ApiToken.objects.filter(client=client).values_list("lookup", flat=True))
        for e in entries:
            text = " ".join(e.fields)
            for secret in (first, second, *lookups):
                self.assertNotIn(secret, text)


class VersionTests(ApiTestCase):
    def test_etag_if_match_412_and_428(self):
        _c, token = make_client(self.world, "jobcentre", ALL_SCOPES)
        path = f"/cases/{self.kurt.public_id}"
        read = self.call("GET", path, token)
        etag = read["ETag"]
        self.assertEqual(etag, f'"{self.kurt.version}"')
        missing = self.call("PATCH", path, token, json={"expected_weeks": 10})
        self.assertEqual(missing.status_code, 428)
        self.assertEqual(missing["Content-Type"], PROBLEM)
        done = self.call("PATCH", path, token, json={"expected_weeks": 10}, headers={"If-Match": etag})
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["expected_weeks"], 10)
        self.assertNotEqual(done["ETag"], etag)
        stale = self.call("PATCH", path, token, json={"expected_weeks": 12}, headers={"If-Match": etag})
        self.assertEqual(stale.status_code, 412)
        self.assertEqual(stale["Content-Type"], PROBLEM)
        self.kurt.refresh_from_db()
        self.assertEqual(self.kurt.expected_weeks, 10)

    def test_close_with_outcome(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.OUTCOMES_WRITE])
        path = f"/cases/{self.kurt.public_id}/closure"
        body = {"closed_on": timezone.localdate().isoformat(), "outcome": "full_return"}
        stale = self.call("POST", path, token, json=body, headers={"If-Match": f'"{self.kurt.version + 5}"'})
        self.assertEqual(stale.status_code, 412)
        done = self.call("POST", path, token, json=body, headers={"If-Match": f'"{self.kurt.version}"'})
        self.assertEqual(done.status_code, 200, done.content)
        self.kurt.refresh_from_db()
        self.assertEqual((self.kurt.status, self.kurt.outcome), ("closed", "full_return"))


class CreateTests(ApiTestCase):
    def test_create_a_case_and_refuse_a_bad_one(self):
        client, token = make_client(self.world, "jobcentre", [Scope.CASES_WRITE, Scope.CASES_READ])
        response = self.call("POST", "/cases", token, json=_new_case())
        self.assertEqual(response.status_code, 201, response.content)
        case = Case.objects.get(public_id=response.json()["id"])
        self.assertEqual(case.organisation, self.world.orgs["jobcentre"])
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditAction.CASE_CREATED, case=case, actor=client.service_user)
        )
        bad = _new_case()
        bad["case"]["first_sick_day"] = "1990-01-01"
        bad["person"]["cpr"] = "3202991234"
        response = self.call("POST", "/cases", token, json=bad)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], PROBLEM)
        fields = {e["field"] for e in response.json()["errors"]}
        self.assertEqual(fields, {"person.cpr", "case.first_sick_day"})
        self.assertNotIn("3202991234", response.content.decode())


class PaginationTests(ApiTestCase):
    def test_cursor_pages_are_stable_and_complete(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.CASES_READ, Scope.CASES_WRITE])
        for i in range(5):
            body = _new_case(name=f"Person {i}", days_ago=i * 3)
            self.assertEqual(self.call("POST", "/cases", token, json=body).status_code, 201)
        everything = [i["id"] for i in self.call("GET", "/cases?status=all&limit=100", token).json()["items"]]
        seen, cursor = [], None
        while True:
            url = "/cases?status=all&limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = self.call("GET", url, token).json()
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
            # A case added between pages does not shift the pages still to come.
            self.call("POST", "/cases", token, json=_new_case(name="Late", days_ago=0))
        self.assertEqual(seen, everything)
        self.assertEqual(self.call("GET", "/cases?cursor=garbage", token).status_code, 422)
        misspelt = self.call("GET", "/cases?statsu=closed", token)
        self.assertEqual(misspelt.status_code, 422)
        self.assertEqual(misspelt.json()["errors"], [{"field": "query.statsu", "message": "unknown parameter"}])
        self.assertEqual(self.call("GET", f"/cases/{self.kurt.public_id}?x=1", token).status_code, 422)

    def test_filters_match_the_case_list(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        names = [i["person_name"] for i in self.call("GET", "/cases?q=kurt", token).json()["items"]]
        self.assertEqual(names, ["Kurt Jensen"])
        employer = self.world.orgs["door_factory"].public_id
        items = self.call("GET", f"/cases?employer={employer}", token).json()["items"]
        self.assertEqual({i["id"] for i in items}, {str(self.kurt.public_id)})
        items = self.call("GET", "/cases?status=closed", token).json()["items"]
        self.assertTrue(all(i["status"] == "closed" for i in items))


class RateAndAuditTests(ApiTestCase):
    @override_settings(FASTHOLD_API_RATE_PER_MINUTE=3)
    def test_rate_limit_per_client(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        _c2, other = make_client(self.world, "jobcentre", [Scope.CASES_READ], name="Other system")
        codes = [self.call("GET", "/cases", token).status_code for _ in range(4)]
        self.assertEqual(codes[:3], [200, 200, 200])
        limited = self.call("GET", "/cases", token)
        self.assertEqual(limited.status_code, 429)
        self.assertEqual(limited["Content-Type"], PROBLEM)
        self.assertIn("Retry-After", limited)
        self.assertEqual(self.call("GET", "/cases", other).status_code, 200)

    @override_settings(FASTHOLD_API_RATE_PER_MINUTE=2)
    def test_the_count_is_kept_in_the_database_not_the_cache(self):
        from django.core.cache import cache

        client, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        minute = int(timezone.now().timestamp()) // 60
        ApiRateWindow.objects.create(client=client, minute=minute - 5, count=99)
        self.assertEqual(self.call("GET", "/cases", token).status_code, 200)
        # The first call of a minute removes the client's older minutes.
        self.assertFalse(ApiRateWindow.objects.filter(client=client, minute__lt=minute - 1).exists())
        self.call("GET", "/cases", token)
        cache.clear()  # as the database cache's culling would: the count stays
        self.assertEqual(self.call("GET", "/cases", token).status_code, 429)

    def test_the_count_is_exact(self):
        client, _token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        counts = [services.count_call(client.pk, 7) for _ in range(5)]
        self.assertEqual(counts, [1, 2, 3, 4, 5])
        self.assertEqual(services.count_call(client.pk, 8), 1)
        self.assertFalse(ApiRateWindow.objects.filter(client=client, minute=7).exists())

    def test_every_call_is_recorded_without_query_or_ids(self):
        client, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        self.call("GET", "/cases?q=kurt", token)
        self.call("GET", f"/cases/{self.kurt.public_id}", token)
        self.call("GET", "/cases", "wrong")
        self.call("GET", "/nowhere", token)
        calls = list(ApiCall.objects.order_by("id"))
        self.assertEqual(len(calls), 4)
        self.assertEqual([c.client for c in calls], [client, client, None, None])
        self.assertEqual([c.status for c in calls], [200, 200, 401, 404])
        self.assertEqual(calls[1].case, self.kurt)
        for call in calls:
            self.assertNotIn("kurt", call.path)
            self.assertNotIn(str(self.kurt.public_id), call.path)

    def test_old_call_records_are_pruned_by_the_worker(self):
        """The daily job deletes the records older than FASTHOLD_API_CALL_DAYS and keeps the rest; the audit
        log of what the calls read is not touched."""
        import datetime as dt

        from django.test import override_settings
        from django.utils import timezone

        from fasthold.audit.models import AuditEntry
        from fasthold.notifications import periodic

        self.assertIn("api.prune_calls", [job.name for job in periodic.jobs()])
        client, token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        self.call("GET", f"/cases/{self.kurt.public_id}", token)
        now = timezone.now()
        ApiCall.objects.bulk_create(
            [ApiCall(client=client, method="GET", path="/api/v1/cases", status=200) for _ in range(3)]
        )
        ApiCall.objects.filter(pk__in=list(ApiCall.objects.order_by("-id").values_list("pk", flat=True)[:2])).update(
            occurred_at=now - dt.timedelta(days=31)
        )
        audited = AuditEntry.objects.count()
        with override_settings(FASTHOLD_API_CALL_DAYS=30):
            self.assertEqual(services.prune_calls(now=now), 2)
            self.assertEqual(services.prune_calls(now=now), 0)
        self.assertEqual(ApiCall.objects.count(), 2)
        self.assertFalse(ApiCall.objects.filter(occurred_at__lt=now - dt.timedelta(days=30)).exists())
        self.assertEqual(AuditEntry.objects.count(), audited)
        with override_settings(FASTHOLD_API_CALL_DAYS=180):
            self.assertEqual(services.prune_calls(now=now + dt.timedelta(days=181)), 2)

    def test_any_other_api_path_is_a_problem_404(self):
        _c, token = make_client(self.world, "jobcentre", ALL_SCOPES)
        for path in ("/nowhere", "/cases/not-a-uuid", "/cases/a%0Ab/deadlines", "/%0A"):
            with self.subTest(path=path):
                response = self.call("GET", path, token)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], PROBLEM)

    def test_an_unexpected_error_is_a_problem_500_without_details(self):
        from unittest import mock

        _c, token = make_client(self.world, "jobcentre", ALL_SCOPES)
        with mock.patch("fasthold.api.v1.Deadline.objects.filter", side_effect=RuntimeError("secret detail")):
            with self.assertLogs("fasthold.api.v1", level="ERROR"):
                response = self.call("GET", f"/cases/{self.kurt.public_id}/deadlines", token)
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertNotIn("secret detail", response.content.decode())

    def test_schema_and_docs_are_served_without_a_cdn(self):
        schema = self.client.get("/api/v1/openapi.json")
        self.assertEqual(schema.status_code, 200)
        self.assertEqual(schema.json()["openapi"], "3.1.0")
        docs = self.client.get("/api/v1/docs")
        self.assertEqual(docs.status_code, 200)
        html = docs.content.decode()
        # Our page (tests/api/test_docs_page.py), not Swagger UI: each operation under its own heading.
        self.assertIn('id="fasthold_api_v1_case_list"', html)
        self.assertIn('href="/api/v1/openapi.json"', html)
        self.assertNotIn("swagger", html.lower())
        self.assertNotIn("cdn", html.lower())
        self.assertNotIn("<script>", html)


def _new_case(name: str = "Ny Person", days_ago: int = 3) -> dict:
    return {
        "person": {"name": name, "cpr": ""},
        "employment": {"job_title": "Lagerarbejder", "status": "unemployed"},
        "case": {
            "first_sick_day": (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat(),
            "cause_category": "physical_musculoskeletal",
            "referral_source": "employer",
        },
    }


class ImportTests(ApiTestCase):
    def rows(self, *cprs):
        day = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
        return [{"cpr": cpr, "name": f"Person {cpr[:4]}", "first_sick_day": day} for cpr in cprs]

    def test_check_import_and_import_again(self):
        client, token = make_client(self.world, "jobcentre", [Scope.IMPORT])
        before = Case.objects.count()
        rows = self.rows("0101801234", "0202802345")
        checked = self.call("POST", "/imports", token, json={"rows": rows})
        self.assertEqual(checked.status_code, 200, checked.content)
        self.assertEqual((checked.json()["ok"], checked.json()["created"]), (True, 2))
        self.assertEqual(Case.objects.count(), before)
        done = self.call("POST", "/imports", token, json={"rows": rows, "dry_run": False}).json()
        self.assertTrue(done["imported"])
        self.assertEqual(Case.objects.count(), before + 2)
        again = self.call("POST", "/imports", token, json={"rows": rows, "dry_run": False}).json()
        self.assertEqual((again["created"], again["skipped"]), (0, 2))
        self.assertEqual(Case.objects.count(), before + 2)
        self.assertEqual(
            set(Case.objects.order_by("-id")[:2].values_list("organisation", flat=True)),
            {self.world.orgs["jobcentre"].pk},
        )
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.CASES_IMPORTED, actor=client.service_user))

    def test_a_bad_row_imports_nothing_and_names_no_cpr(self):
        _c, token = make_client(self.world, "jobcentre", [Scope.IMPORT])
        before = Case.objects.count()
        rows = self.rows("0101801234", "3202991234")
        response = self.call("POST", "/imports", token, json={"rows": rows, "dry_run": False})
        body = response.json()
        self.assertFalse(body["imported"])
        self.assertEqual({e["row"] for e in body["errors"]}, {3})
        self.assertNotIn("3202991234", response.content.decode())
        self.assertEqual(Case.objects.count(), before)

    def test_scope_and_organisation(self):
        _c, token = make_client(self.world, "jobcentre", [s for s in ALL_SCOPES if s != Scope.IMPORT])
        self.assertEqual(self.call("POST", "/imports", token, json={"rows": self.rows("0101801234")}).status_code, 403)
        _c, token = make_client(self.world, "door_factory", ALL_SCOPES)
        self.assertEqual(self.call("POST", "/imports", token, json={"rows": self.rows("0101801234")}).status_code, 403)
        self.assertEqual(self.call("POST", "/cases", token, json=_new_case()).status_code, 403)


class PlanHealthTests(ApiTestCase):
    def test_the_plans_health_content_only_with_the_health_scope_and_logged(self):
        from fasthold.plans.models import ActivityKind

        _c, plain = make_client(self.world, "jobcentre", [Scope.PLANS_READ])
        client, health = make_client(self.world, "jobcentre", [Scope.PLANS_READ, Scope.HEALTH_READ])
        checked = 0
        for case in (self.kurt, self.bodil):
            without = self.call("GET", f"/cases/{case.public_id}/plan", plain)
            if without.status_code == 404:
                continue
            checked += 1
            body = without.json()
            self.assertTrue(all(s["work_related"] for s in body["sub_goals"]))
            self.assertTrue(all(a["kind"] == ActivityKind.WORKPLACE for a in body["activities"]))
            full = self.call("GET", f"/cases/{case.public_id}/plan", health).json()
            shows_health = any(not s["work_related"] for s in full["sub_goals"]) or any(
                a["kind"] == ActivityKind.TREATMENT for a in full["activities"]
            )
            reads = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, case=case, actor=client.service_user)
            self.assertEqual(reads.exists(), shows_health)
        self.assertGreater(checked, 0, "no demo case has a current plan")
