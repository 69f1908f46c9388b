"""The administrator's API client pages: create (token shown once), rotate, revoke, and who may."""

from fasthold.api.models import ApiClient, ApiToken, Scope
from fasthold.organisations.models import OrgRole
from tests.api.base import ApiTestCase, make_client
from tests.base import add_user


class AdminPageTests(ApiTestCase):
    def test_create_shows_the_token_once_and_it_works(self):
        self.as_user("admin")
        page = self.client.get("/api-clients/")
        self.assertEqual(page.status_code, 200)
        response = self.client.post(
            "/api-clients/", {"name": "Fagsystem", "scopes": [Scope.CASES_READ, Scope.HEALTH_READ], "days": 30}
        )
        self.assertEqual(response.status_code, 200)
        token = response.context["token"]
        self.assertContains(response, token)
        client = ApiClient.objects.get(name="Fagsystem")
        self.assertEqual(client.scopes, sorted([Scope.CASES_READ, Scope.HEALTH_READ]))
        self.assertEqual(client.organisation, self.world.orgs["jobcentre"])
        self.assertFalse(client.service_user.is_active)
        self.assertFalse(client.service_user.has_usable_password())
        self.assertNotContains(self.client.get("/api-clients/"), token)
        self.assertEqual(self.call("GET", "/cases", token).status_code, 200)

    def test_rotate_and_revoke(self):
        client, old = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        self.as_user("admin")
        response = self.client.post(f"/api-clients/{client.public_id}/rotate/", {"days": 10})
        new = response.context["token"]
        self.assertEqual(self.call("GET", "/cases", old).status_code, 200)
        self.assertEqual(self.call("GET", "/cases", new).status_code, 200)
        first = ApiToken.objects.filter(client=client).order_by("id").first()
        self.client.post(f"/api-clients/{client.public_id}/tokens/revoke/", {"token": first.pk})
        self.assertEqual(self.call("GET", "/cases", old).status_code, 401)
        self.assertEqual(self.call("GET", "/cases", new).status_code, 200)
        self.client.post(f"/api-clients/{client.public_id}/revoke/")
        self.assertEqual(self.call("GET", "/cases", new).status_code, 401)

    def test_only_the_organisations_administrator(self):
        client, _token = make_client(self.world, "jobcentre", [Scope.CASES_READ])
        for username in ("koordinator", "laeser", "leder", "kurt", "psykolog", "anden"):
            with self.subTest(username=username):
                self.as_user(username)
                self.assertEqual(self.client.get("/api-clients/").status_code, 404)
                self.assertEqual(self.client.post(f"/api-clients/{client.public_id}/revoke/").status_code, 404)
        other_admin = add_user("klinikadmin", (self.world.orgs["clinic"], OrgRole.ADMIN))
        self.client.force_login(other_admin)
        self.assertNotContains(self.client.get("/api-clients/"), client.name)
        self.assertEqual(self.client.post(f"/api-clients/{client.public_id}/revoke/").status_code, 404)
        self.assertEqual(self.client.post(f"/api-clients/{client.public_id}/rotate/", {"days": 5}).status_code, 404)
        client.refresh_from_db()
        self.assertIsNone(client.revoked_at)

    def test_the_staff_page_links_to_it(self):
        self.as_user("admin")
        self.assertContains(self.client.get("/people/staff/"), "/api-clients/")
