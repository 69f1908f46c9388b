"""schemathesis over the whole API schema, in-process through the WSGI app: no 5xx, and every response
(status, content type, headers, body) conforms to the schema. Each example is sent with the token of
one of: every scope, each single scope, another organisation's client (all scopes), a revoked token,
and none."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from fasthold.api import services
from fasthold.api.models import Scope
from fasthold.cases.demo import build_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

KINDS = ["all", "other_org", "revoked", "none", *Scope.values]
# 9 operations x MAX_EXAMPLES examples, each with one of the tokens above; FASTHOLD_FUZZ_EXAMPLES=500 for a
# deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("FASTHOLD_FUZZ_EXAMPLES", "40"))


@pytest.fixture
def tokens():
    world = build_world()
    admin = world.users["admin"]
    found = {}
    for kind in KINDS:
        if kind == "none":
            found[kind] = None
            continue
        org = world.orgs["clinic" if kind == "other_org" else "jobcentre"]
        scopes = [kind] if kind in Scope.values else list(Scope.values)
        client, token = services.client_create(actor=admin, organisation=org, name=kind, scopes=scopes)
        if kind == "revoked":
            services.client_revoke(actor=admin, client=client)
        found[kind] = token
    return found


# Committed data: the WSGI handler closes the connection after each request, as in production.
@pytest.mark.django_db(transaction=True)
@schema.given(kind=st.sampled_from(KINDS))
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms(case, kind, tokens, settings):
    settings.FASTHOLD_API_RATE_PER_MINUTE = 100_000
    token = tokens[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # The schema says what is well-formed; the case form's rules (a first sick day at most 2 years ago,
    # an employer unless unemployed, a closure date not before the first sick day) refuse some of it
    # with 422 and the fields named, which is what a client should get, so "schema-valid data is
    # accepted" is left out. Every other default check runs, the 5xx check and schema conformance first.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
