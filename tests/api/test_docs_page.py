"""The API's reference page, /api/v1/docs: Fasthold's own page from the OpenAPI schema, not Swagger UI.

It is open to whoever could open the Swagger UI page before (anyone: the API's URLs need no login, as
the schema at /api/v1/openapi.json), lists every operation with its parameters, request body and
responses, and loads no script but the site's own.
"""

from html.parser import HTMLParser

from django.test import SimpleTestCase

from fasthold.api.docs import reference, type_name
from fasthold.api.models import ApiCall
from fasthold.api.v1 import api
from tests.api.base import ALL_SCOPES, ApiTestCase, make_client

DOCS = "/api/v1/docs"


class _Page(HTMLParser):
    """The page's headings (level, text), its tables (caption, header cells with their scope, rows) and
    the src of its scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict] = []
        self.scripts: list[str | None] = []
        self.links: list[tuple[str, str]] = []
        self._heading: list | None = None
        self._cell: list | None = None
        self._caption: list | None = None
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), ""]
        elif tag == "script":
            self.scripts.append(attrs.get("src"))
        elif tag == "table":
            self.tables.append({"caption": "", "headers": [], "rows": []})
        elif tag == "caption":
            self._caption = [""]
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = [tag, attrs.get("scope"), ""]
        elif tag == "a":
            self._link = [attrs.get("href", ""), ""]

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading:
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None
        elif tag == "caption" and self._caption:
            self.tables[-1]["caption"] = " ".join(self._caption[0].split())
            self._caption = None
        elif tag in ("th", "td") and self._cell:
            kind, scope, text = self._cell
            text = " ".join(text.split())
            if kind == "th":
                self.tables[-1]["headers"].append((text, scope))
            self.tables[-1]["rows"][-1].append(text)
            self._cell = None
        elif tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def handle_data(self, data):
        for part in (self._heading, self._cell, self._caption, self._link):
            if part is not None:
                part[-1] += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


class DocsPageTests(ApiTestCase):
    load_demos = ()

    def setUp(self):
        self.client.cookies["django_language"] = "en"  # the assertions quote the English words

    def get(self, **headers):
        response = self.client.get(DOCS, headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/html"))
        return response.content.decode()

    def test_open_to_anyone_as_the_swagger_page_was(self):
        calls = ApiCall.objects.count()
        self.get()  # nobody logged in, no token
        self.as_user("admin")
        self.get()
        self.as_user("koordinator")
        self.get()
        self.client.logout()
        _client, token = make_client(self.world, "jobcentre", ALL_SCOPES)
        self.get(Authorization=f"Bearer {token}")
        self.get(Authorization="Bearer not-a-token")  # the page checks no token
        self.assertEqual(ApiCall.objects.count(), calls, "the page is not an API call")

    def test_no_swagger_and_no_script_but_the_sites_own(self):
        html = self.get()
        self.assertNotIn("swagger", html.lower())
        self.assertNotIn("cdn", html.lower())
        scripts = parse(html).scripts
        self.assertTrue(scripts)
        for src in scripts:
            self.assertIsNotNone(src, "an inline script")
            self.assertTrue(src.startswith("/static/"), src)
            self.assertNotIn("ninja", src)

    def test_the_case_list_with_its_parameters(self):
        page = parse(self.get())
        self.assertIn((3, "GET /api/v1/cases"), page.headings)
        table = next(t for t in page.tables if t["caption"] == "Parameters: GET /api/v1/cases")
        self.assertEqual(
            table["headers"][:5],
            [("Name", "col"), ("Where", "col"), ("Required", "col"), ("Type", "col"), ("Description", "col")],
        )
        rows = {row[0]: row for row in table["rows"][1:]}
        self.assertEqual(
            list(rows), ["status", "q", "cause", "employer", "coordinator", "weeks_min", "weeks_max", "cursor", "limit"]
        )
        self.assertEqual(rows["q"], ["q", "In the query string", "No", "string | null", "Part of the person's name."])
        self.assertEqual(rows["employer"][3], "string (uuid) | null")
        self.assertEqual(rows["limit"][4], "Default: 25.")
        # The parameter's name heads its row.
        self.assertIn(("status", "row"), table["headers"])

    def test_path_and_header_parameters_request_body_and_responses(self):
        html = self.get()
        page = parse(html)
        patch = next(t for t in page.tables if t["caption"] == "Parameters: PATCH /api/v1/cases/{public_id}")
        rows = {row[0]: row for row in patch["rows"][1:]}
        self.assertEqual(rows["public_id"][1:4], ["In the path", "Yes", "string (uuid)"])
        self.assertEqual(rows["If-Match"][1:3], ["In a header", "No"])
        # The request body by its schema's name, not a $ref.
        self.assertIn('<strong>Request body:</strong> <code translate="no">CasePatchIn</code> (required)', html)
        self.assertNotIn("#/components/schemas", html)
        responses = next(t for t in page.tables if t["caption"] == "Responses: GET /api/v1/cases/{public_id}/deadlines")
        self.assertEqual(responses["rows"][1], ["200", "OK", "array[DeadlineOut]"])
        statuses = [row[0] for row in responses["rows"][1:]]
        self.assertEqual(statuses, sorted(statuses, key=int))
        self.assertIn(["401", "Unauthorized", "ProblemOut"], responses["rows"])

    def test_every_operation_of_the_schema_is_listed(self):
        page = parse(self.get())
        schema = api.get_openapi_schema()
        expected = {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}
        listed = {text for level, text in page.headings if level == 3}
        self.assertEqual(listed, expected)

    def test_headings_in_order_tables_named_and_no_empty_link(self):
        page = parse(self.get())
        levels = [level for level, _text in page.headings]
        self.assertEqual(levels.count(1), 1)
        main = levels[levels.index(1) :]
        for before, after in zip(main, main[1:], strict=False):
            self.assertLessEqual(after, before + 1, page.headings)
        for table in page.tables:
            self.assertTrue(table["caption"], table)
            self.assertTrue(all(scope in ("col", "row") for _text, scope in table["headers"]), table)
        for href, text in page.links:
            self.assertTrue(href and text, (href, text))
        self.assertIn(("/api/v1/openapi.json", "the OpenAPI schema (JSON)"), page.links)

    def test_the_schemas_english_is_marked_as_english_on_a_danish_page(self):
        self.client.cookies["django_language"] = "da"
        html = self.get()
        self.assertIn('<html lang="da">', html)
        self.assertIn('<p lang="en">One case. With the health:read scope it carries the health part', html)
        self.assertIn('<span lang="en">Unauthorized</span>', html)
        self.assertIn('<th scope="col">Navn</th>', html)


class ReferenceTests(SimpleTestCase):
    def test_type_names(self):
        self.assertEqual(type_name({"$ref": "#/components/schemas/CaseOut"}), "CaseOut")
        self.assertEqual(type_name({"type": "array", "items": {"$ref": "#/components/schemas/X"}}), "array[X]")
        self.assertEqual(type_name({"anyOf": [{"type": "integer"}, {"type": "null"}]}), "integer | null")
        self.assertEqual(type_name({"type": "string", "format": "date"}), "string (date)")
        self.assertEqual(type_name({"type": ["string", "null"]}), "string | null")
        self.assertEqual(type_name(None), "")

    def test_grouped_by_tag_with_the_body_by_its_schema_name(self):
        schema = {
            "paths": {
                "/a": {
                    "post": {
                        "operationId": "make_a",
                        "tags": ["one"],
                        "requestBody": {
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AIn"}}},
                            "required": True,
                        },
                        "responses": {201: {"description": "Created"}, 200: {"description": "OK"}},
                    },
                    "get": {"operationId": "list_a", "tags": ["one"], "responses": {}},
                },
                "/b": {"get": {"operationId": "list_b", "tags": ["two"], "responses": {}}},
            }
        }
        groups = reference(schema)
        self.assertEqual([g.tag for g in groups], ["one", "two"])
        self.assertEqual([op.id for op in groups[0].operations], ["list_a", "make_a"])
        made = groups[0].operations[1]
        self.assertEqual((made.method, made.body, made.body_required), ("POST", "AIn", True))
        self.assertEqual([r.status for r in made.responses], ["200", "201"])
