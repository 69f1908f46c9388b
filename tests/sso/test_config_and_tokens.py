"""The provider settings read from the environment, and the ID-token checks on tokens made here (the
cases the local provider cannot be made to produce: several audiences, a missing nonce, an acr)."""

import time

import jwt
import pytest

from fasthold.accounts import sso
from fasthold.accounts.backends import verify_id_token
from fasthold.settings import _oidc_providers

SECRET = "a-client-secret-long-enough-for-hs256"
PROVIDER = sso.Provider(
    slug="local",
    label="Test",
    audience="public",
    issuer="https://idp.example",
    client_id="fasthold",
    client_secret=SECRET,
    sign_algo="HS256",
)


def env(**values):
    return {"FASTHOLD_OIDC_PROVIDERS": "mitid, Kommune-Staff", **values}


FULL = {
    "FASTHOLD_OIDC_MITID_ISSUER": "https://broker.example",
    "FASTHOLD_OIDC_MITID_CLIENT_ID": "fasthold",
    "FASTHOLD_OIDC_MITID_AUDIENCE": "public",
    "FASTHOLD_OIDC_MITID_MFA": "1",
    "FASTHOLD_OIDC_MITID_LABEL": "MitID",
    "FASTHOLD_OIDC_KOMMUNE_STAFF_ISSUER": "https://login.example/tenant/v2.0",
    "FASTHOLD_OIDC_KOMMUNE_STAFF_CLIENT_ID": "fh",
    "FASTHOLD_OIDC_KOMMUNE_STAFF_CLIENT_SECRET": "s",
    "FASTHOLD_OIDC_KOMMUNE_STAFF_AUDIENCE": "staff",
    "FASTHOLD_OIDC_KOMMUNE_STAFF_SCOPES": "openid profile",
}


def test_providers_are_read_per_slug_in_order():
    providers = _oidc_providers(env(**FULL))
    assert list(providers) == ["mitid", "kommune-staff"]
    assert providers["mitid"]["mfa"] is True
    assert providers["mitid"]["label"] == "MitID"
    assert providers["kommune-staff"]["label"] == "kommune-staff"
    assert providers["kommune-staff"]["scopes"] == "openid profile"
    assert providers["kommune-staff"]["mfa"] is False


def test_no_providers_is_empty():
    assert _oidc_providers({}) == {}
    assert _oidc_providers({"FASTHOLD_OIDC_PROVIDERS": " , "}) == {}


@pytest.mark.parametrize(
    "change, named",
    [
        ({"FASTHOLD_OIDC_MITID_ISSUER": ""}, "FASTHOLD_OIDC_MITID_ISSUER"),
        ({"FASTHOLD_OIDC_MITID_CLIENT_ID": ""}, "FASTHOLD_OIDC_MITID_CLIENT_ID"),
        ({"FASTHOLD_OIDC_MITID_AUDIENCE": "everyone"}, "FASTHOLD_OIDC_MITID_AUDIENCE"),
        ({"FASTHOLD_OIDC_MITID_SCOPES": "profile"}, "FASTHOLD_OIDC_MITID_SCOPES"),
        ({"FASTHOLD_OIDC_PROVIDERS": "mit id"}, "FASTHOLD_OIDC_PROVIDERS"),
        ({"FASTHOLD_HTTPS": "1", "FASTHOLD_OIDC_MITID_ISSUER": "http://broker.example"}, "FASTHOLD_OIDC_MITID_ISSUER"),
    ],
)
def test_a_missing_or_wrong_variable_stops_start_up_naming_it(change, named, monkeypatch):
    if "FASTHOLD_HTTPS" in change:
        monkeypatch.setenv("FASTHOLD_HTTPS", change.pop("FASTHOLD_HTTPS"))
    with pytest.raises(RuntimeError, match=named):
        _oidc_providers(env(**{**FULL, **change}))


def token(**claims):
    now = int(time.time())
    payload = {"iss": PROVIDER.issuer, "sub": "s-1", "aud": "fasthold", "iat": now, "exp": now + 300, "nonce": "n"}
    payload.update(claims)
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, SECRET, algorithm="HS256")


def refused(raw, nonce="n", provider=PROVIDER) -> str:
    with pytest.raises(sso.Refused) as caught:
        verify_id_token(raw, SECRET, provider=provider, nonce=nonce)
    return caught.value.reason


def test_a_good_token_passes():
    assert verify_id_token(token(), SECRET, provider=PROVIDER, nonce="n")["sub"] == "s-1"


def test_several_audiences_need_us_as_authorised_party():
    assert refused(token(aud=["fasthold", "other"])) == "audience"
    assert refused(token(aud=["fasthold", "other"], azp="other")) == "audience"
    assert refused(token(azp="other")) == "audience"
    claims = verify_id_token(token(aud=["fasthold", "other"], azp="fasthold"), SECRET, provider=PROVIDER, nonce="n")
    assert claims["azp"] == "fasthold"


def test_audience_issuer_expiry_and_future_tokens():
    assert refused(token(aud="other")) == "audience"
    assert refused(token(aud=None)) == "token"
    assert refused(token(iss="https://evil.example")) == "issuer"
    assert refused(token(exp=int(time.time()) - sso.LEEWAY_SECONDS - 1)) == "expired"
    assert refused(token(iat=int(time.time()) + sso.LEEWAY_SECONDS + 60)) == "token"
    # Within the leeway a clock a little behind the provider's is tolerated.
    verify_id_token(token(exp=int(time.time()) - 5), SECRET, provider=PROVIDER, nonce="n")


def test_nonce_subject_signature_and_algorithm():
    assert refused(token(), nonce="other") == "nonce"
    assert refused(token(nonce=None)) == "nonce"
    assert refused(token(), nonce=None) == "nonce"
    assert refused(token(sub="")) == "token"
    assert refused(token(sub="x" * 256)) == "token"
    assert refused(token()[:-4] + "AAAA") == "token"
    unsigned = jwt.encode({"iss": PROVIDER.issuer, "sub": "s", "aud": "fasthold"}, None, algorithm="none")
    assert refused(unsigned) == "token"


def test_the_acr_asked_for_is_required():
    strict = sso.Provider(**{**PROVIDER.__dict__, "acr_values": "substantial high"})
    assert refused(token(), provider=strict) == "acr"
    assert refused(token(acr="low"), provider=strict) == "acr"
    assert verify_id_token(token(acr="high"), SECRET, provider=strict, nonce="n")["acr"] == "high"
