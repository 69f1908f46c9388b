"""/api/v1/: the ninja API's URLs, each call recorded (ApiCall), and a problem 404 for any other path."""

import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from fasthold.api.models import ApiCall
from fasthold.api.problems import problem_response
from fasthold.api.v1 import api

UNRECORDED = {"openapi-json", "openapi-view"}


def _record(request, response) -> None:
    match = request.resolver_match
    if match is not None and match.url_name in UNRECORDED:
        return
    route = f"/{match.route}" if match is not None else ""
    ApiCall.objects.create(
        client=getattr(request, "api_client", None),
        token=getattr(request, "api_token", None),
        method=request.method[:8],
        # The route's pattern ("/api/v1/cases/<uuid:case_id>"), not the path or its query string.
        path=route[:200],
        status=response.status_code,
        case=getattr(request, "api_case", None),
    )


def recorded(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        _record(request, response)
        return response

    return login_not_required(csrf_exempt(wrapper))


@recorded
def not_found(request):
    return problem_response(404, "No such API path.")


_patterns, _app_name, app_name = api.urls  # the namespace, "api-v1", is what ninja reverses
for _pattern in _patterns:
    _pattern.callback = recorded(_pattern.callback)

# An empty pattern matches every other path, a newline in it (%0A) too, and names no parameter (the
# project's URL walks in tests/readlog and tests/sharing fill every parameter they find).
urlpatterns = [*_patterns, re_path(r"", not_found)]
