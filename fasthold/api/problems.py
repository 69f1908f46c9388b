"""Errors as RFC 9457 problem details (application/problem+json)."""

import json

from django.http import HttpResponse

PROBLEM_TYPE = "https://fasthold.dk/problems/"
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
}
SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "stale-version",
    422: "invalid",
    428: "version-required",
    429: "rate-limited",
    500: "server-error",
}


class Problem(Exception):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(self, status: int, detail: str = "", *, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(status: int, detail: str = "", *, errors=None, headers=None) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE + SLUGS.get(status, "error"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail or TITLES.get(status, "Error"),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response
