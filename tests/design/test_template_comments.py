"""Django's {# #} comment ends at the end of its line: a comment over several lines is shown to the reader."""

from pathlib import Path

from django.urls import reverse

from tests.base import DemoWorldTestCase

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_the_same_line():
    open_ended = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_ended == [], "use {% comment %} for a comment over several lines: " + ", ".join(open_ended)


class CaseListFilters(DemoWorldTestCase):
    def test_the_case_list_shows_no_comment_text_and_its_employer_filter_starts_at_all(self):
        self.as_user("koordinator")
        html = self.client.get(reverse("cases:list")).content.decode()
        self.assertNotIn("{#", html)
        self.assertNotIn("The live region", html)
        employer = html[html.index('name="employer"') :]
        employer = employer[: employer.index("</select>")]
        # Empty means every employer: "All" ("Alle" in Danish), not "Choose …".
        self.assertRegex(employer, r'<option value="" selected>(All|Alle)</option>')
