"""The local OpenID Connect provider for the SSO tests (tests/sso/op.mjs, panva's oidc-provider on Node),
and a client that goes through its login page over real HTTP, as a browser would.

One provider process per set of redirect URIs and test process, started on first use and stopped when
the test process ends (or, should it die, when the provider's standard input closes).
"""

import atexit
import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "op.mjs"
CALLBACK_PATH = "/account/sso/callback/"
# Test client requests are made to this host (Django's test client).
TEST_CLIENT_CALLBACK = f"http://testserver{CALLBACK_PATH}"

# The provider's test accounts (tests/sso/op.mjs): username -> (password, subject).
ACCOUNTS = {
    "kurt": ("kurt-pw", "sub-kurt"),
    "karen": ("karen-pw", "sub-karen"),
    "stranger": ("stranger-pw", "sub-stranger"),
}

_running: dict[tuple[str, ...], tuple[subprocess.Popen, str]] = {}


def running(*redirect_uris: str) -> str:
    """The issuer URL of a provider that accepts these redirect URIs, started if need be."""
    key = tuple(sorted(redirect_uris or (TEST_CLIENT_CALLBACK,)))
    if key in _running and _running[key][0].poll() is None:
        return _running[key][1]
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("The SSO tests need Node and the npm package oidc-provider: run `make setup`.")
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=ROOT,
        env={**os.environ, "OP_REDIRECT_URIS": ",".join(key)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail("The local OpenID Connect provider did not start (node tests/sso/op.mjs).")
    issuer = json.loads(line)["issuer"]
    _running[key] = (process, issuer)
    atexit.register(_stop, process)
    return issuer


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def providers(issuer: str, /, **changes) -> dict:
    """FASTHOLD_OIDC_PROVIDERS for the local provider: `local` (an ordinary client), and the two
    misbehaving clients; `changes` are applied to `local`."""

    def config(client_id, label):
        return {
            "label": label,
            "audience": "public",
            "issuer": issuer,
            "client_id": client_id,
            "client_secret": f"{client_id}-secret",
            "mfa": False,
            "scopes": "openid profile",
            "sign_algo": "RS256",
            "acr_values": "",
        }

    return {
        "local": {**config("fasthold", "Test-IdP"), **changes},
        "wrong-audience": config("fasthold-wrong-audience", "Test-IdP (wrong audience)"),
        "expired": config("fasthold-expired", "Test-IdP (expired)"),
    }


def log_in_at_provider(authorize_url: str, username: str, password: str | None = None, *, stop_at: str) -> str:
    """Go from the authorisation URL through the provider's login page, as a browser would (real HTTP, the
    provider's own cookies), and return the URL it sends the browser back to (the first starting with
    `stop_at`), without following it."""
    password = ACCOUNTS[username][0] if password is None else password
    browser = requests.Session()
    response = browser.get(authorize_url, timeout=10)
    response.raise_for_status()
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', response.text).group(1))
    response = browser.post(
        urljoin(response.url, action), data={"username": username, "password": password}, allow_redirects=False
    )
    for _ in range(10):
        assert response.is_redirect, f"the provider answered {response.status_code}: {response.text[:200]}"
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(stop_at):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")
