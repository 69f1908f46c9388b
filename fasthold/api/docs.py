"""The API's reference page (/api/v1/docs), rendered on the server from the API's OpenAPI schema.

It replaces django-ninja's Swagger UI, whose markup fails axe: the page extends base.html as every other
page does, needs no script, and lists per tag each operation with its parameters, its request body's
schema and its responses. Tools read the schema itself at /api/v1/openapi.json.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")
# The tags' headings; a tag not named here is shown as it is.
TAG_TITLES = {
    "cases": _("Cases"),
    "outcomes": _("Outcome"),
    "deadlines": _("Deadlines"),
    "plans": _("Plan"),
    "schedules": _("Graded return schedule"),
    "meetings": _("Meetings"),
    "imports": _("Importing people"),
}


@dataclass
class Parameter:
    name: str
    location: str  # "path", "query", "header" or "cookie"
    required: bool
    type: str
    description: str
    default: str


@dataclass
class Response:
    status: str
    description: str
    schema: str  # the body's schema name ("CaseOut", "array[DeadlineOut]"), or ""


@dataclass
class Operation:
    id: str  # for the page's anchors
    method: str  # upper case
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: str  # the request body's schema name, or ""
    body_required: bool
    responses: list[Response]

    @property
    def path_segments(self) -> list[str]:
        """The path's segments, so the page can offer a line break after each slash on a phone."""
        return self.path.split("/")


@dataclass
class Group:
    tag: str
    title: str
    operations: list[Operation] = field(default_factory=list)


def ref_name(ref: str) -> str:
    """The schema name a `$ref` points to: "#/components/schemas/CaseOut" is "CaseOut"."""
    return ref.rsplit("/", 1)[-1]


def type_name(schema: dict[str, Any] | None) -> str:
    """A schema's type, written as a developer reads it: "string (uuid)", "integer | null",
    "array[DeadlineOut]"."""
    if not schema:
        return ""
    if "$ref" in schema:
        return ref_name(schema["$ref"])
    for combined in ("anyOf", "oneOf"):
        if combined in schema:
            parts = [type_name(part) for part in schema[combined]]
            return " | ".join(dict.fromkeys(part for part in parts if part))
    kind = schema.get("type", "")
    if isinstance(kind, list):
        return " | ".join(kind)
    if kind == "array":
        items = type_name(schema.get("items"))
        return f"array[{items}]" if items else "array"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def _body_schema(content: dict[str, Any] | None) -> str:
    for media in (content or {}).values():
        return type_name(media.get("schema"))
    return ""


def _parameter(raw: dict[str, Any]) -> Parameter:
    schema = raw.get("schema") or {}
    default = schema.get("default")
    return Parameter(
        name=raw.get("name", ""),
        location=raw.get("in", ""),
        required=bool(raw.get("required")),
        type=type_name(schema),
        description=raw.get("description") or schema.get("description") or "",
        default="" if default is None else str(default),
    )


def _status_order(status) -> tuple[int, str]:
    """Responses by status code; the schema's keys are ints before JSON makes them strings ("default" too)."""
    status = str(status)
    return (int(status), "") if status.isdigit() else (1000, status)


def reference(schema: dict[str, Any]) -> list[Group]:
    """The schema's operations by tag, in the schema's order (a tag where its first operation is)."""
    groups: dict[str, Group] = {}
    for path, operations in schema.get("paths", {}).items():
        shared = operations.get("parameters", [])
        for method in METHODS:
            raw = operations.get(method)
            if raw is None:
                continue
            tag = (raw.get("tags") or [""])[0]
            group = groups.setdefault(tag, Group(tag=tag, title=str(TAG_TITLES.get(tag, tag))))
            body = raw.get("requestBody") or {}
            group.operations.append(
                Operation(
                    id=raw.get("operationId") or f"{method}-{path}",
                    method=method.upper(),
                    path=path,
                    summary=raw.get("summary", ""),
                    description=raw.get("description", ""),
                    parameters=[_parameter(p) for p in [*shared, *raw.get("parameters", [])]],
                    body=_body_schema(body.get("content")),
                    body_required=bool(body.get("required")),
                    responses=[
                        Response(
                            status=str(status),
                            description=r.get("description", ""),
                            schema=_body_schema(r.get("content")),
                        )
                        for status, r in sorted(
                            raw.get("responses", {}).items(), key=lambda item: _status_order(item[0])
                        )
                    ],
                )
            )
    return list(groups.values())


class ReferencePage(DocsBase):
    """django-ninja's `docs=`: the reference page instead of Swagger UI. The docs view is the API's own
    (fasthold.api.urls: open to anyone, as the schema it shows)."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "title": schema.get("info", {}).get("title", ""),
            "version": schema.get("info", {}).get("version", ""),
            "groups": reference(schema),
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, self.template, context)
