"""API tests' base: the demo world, and clients of the jobcentre and of the other organisation."""

from fasthold.api import services
from fasthold.api.models import Scope
from tests.base import ALL_DEMOS, DemoWorldTestCase

ALL_SCOPES = tuple(Scope.values)


def make_client(world, org_key: str, scopes, *, name: str = "Test system", days: int = 30):
    client, token = services.client_create(
        actor=world.users["admin"], organisation=world.orgs[org_key], name=name, scopes=scopes, days=days
    )
    return client, token


class ApiTestCase(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def call(self, method: str, path: str, token: str | None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = kwargs.pop("json", None)
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(f"/api/v1{path}", headers=headers, **kwargs)
