"""A public page that sets a cookie is never stored by a shared cache."""

from django.http import HttpResponse
from django.test import RequestFactory

from fasthold.headers import SecurityHeadersMiddleware


class Anonymous:
    is_authenticated = False


def _through_middleware(response):
    request = RequestFactory().get("/guidance/")
    request.user = Anonymous()
    return SecurityHeadersMiddleware(lambda _request: response)(request)


def test_public_guidance_with_a_cookie_is_private():
    plain = _through_middleware(HttpResponse("guidance"))
    assert "private" not in plain.get("Cache-Control", "")
    with_cookie = HttpResponse("guidance")
    with_cookie.set_cookie("csrftoken", "x")
    cache_control = _through_middleware(with_cookie)["Cache-Control"]
    assert "private" in cache_control and "public" not in cache_control
