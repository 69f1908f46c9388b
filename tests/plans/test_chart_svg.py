"""Issue 17, item 1: every SVG on the plan pages (and the other charts of a case) parses, in Danish, with
numbers a browser accepts: a dot as decimal mark, never "36,0". The indicator chart draws its markers
where the values are, the target line where the target is, and dates with a month name."""

import re
import xml.etree.ElementTree as ET

from django.urls import reverse

from fasthold.plans.models import SubGoal
from tests.base import ALL_DEMOS, DemoWorldTestCase

NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "dx", "dy"}
LISTS = {"viewBox", "points"}
PATH_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def svgs(html: str) -> list[ET.Element]:
    """Each <svg>…</svg> of a page, parsed as XML (a browser would reject the same errors)."""
    out = []
    for match in re.finditer(r"<svg\b.*?</svg>", html, re.S):
        out.append(ET.fromstring(match.group(0)))
    return out


def bad_numbers(svg: ET.Element) -> list[str]:
    problems = []
    for element in svg.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        for name, value in element.attrib.items():
            if name in NUMERIC:
                text = value.removesuffix("%")
                try:
                    float(text)
                except ValueError:
                    problems.append(f"<{tag} {name}={value!r}>")
            elif name in LISTS:
                for part in value.replace(",", " ").split():
                    try:
                        float(part)
                    except ValueError:
                        problems.append(f"<{tag} {name}={value!r}>")
                        break
                if name == "points" and any(len(pair.split(",")) != 2 for pair in value.split()):
                    problems.append(f"<{tag} points={value!r}> (not x,y pairs)")
            elif name == "d":
                leftover = PATH_NUMBER.sub("", value)
                if re.search(r"[^MLHVZCSQTAmlhvzcsqta\s]", leftover):
                    problems.append(f"<{tag} d={value!r}>")
    return problems


class ChartsParseInDanish(DemoWorldTestCase):
    load_demos = ALL_DEMOS
    language = "da"

    def pages(self, case):
        p = case.public_id
        return [
            reverse("plans:plan", args=[p]),
            reverse("plans:scores", args=[p]),
            reverse("schedules:schedule", args=[p]),
            reverse("screening:questionnaires", args=[p]),
        ]

    def test_every_svg_number_parses_as_a_float(self):
        for username in ("koordinator", "kurt", "bodil", "leder"):
            self.as_user(username)
            for case in (self.kurt, self.bodil):
                for url in self.pages(case):
                    response = self.client.get(url)
                    if response.status_code != 200:
                        continue
                    for svg in svgs(response.content.decode()):
                        with self.subTest(user=username, url=url):
                            self.assertEqual(bad_numbers(svg), [])

    def test_the_indicator_chart_draws_markers_target_and_dates(self):
        self.as_user("koordinator")
        html = self.client.get(reverse("plans:plan", args=[self.kurt.public_id])).content.decode()
        charts = [s for s in svgs(html) if "fh-ind-chart" in s.get("class", "")]
        self.assertTrue(charts, "Kurt's plan has a pain scale with scores: it must have a chart")
        sub_goal = SubGoal.objects.filter(version__plan__case=self.kurt, indicator="scale").first()
        for svg in charts:
            circles = [e for e in svg.iter() if e.tag == "circle"]
            self.assertGreater(len(circles), 1)
            ys = {float(c.get("cy")) for c in circles}
            self.assertGreater(len(ys), 1, "the markers are drawn at their values, not all at one place")
            target = next(e for e in svg.iter() if e.tag == "line" and "fh-target" in e.get("class", ""))
            top = min(float(e.get("y1")) for e in svg.iter() if e.tag == "line" and "fh-axis" in e.get("class", ""))
            self.assertGreater(float(target.get("y1")), top, "the target (3 of 10, lower is better) is not at the top")
            texts = ["".join(e.itertext()) for e in svg.iter() if e.tag == "text"]
            dates = [t for t in texts if re.search(r"\b(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)", t, re.I)]
            self.assertTrue(dates, f"dates under the points carry a month name: {texts}")
            self.assertFalse([t for t in texts if re.fullmatch(r"\d\d-\d\d", t)], "no dates as digits only")
            self.assertNotIn("m", [t.strip() for t in texts])
        self.assertIsNotNone(sub_goal)
