"""Tables on a phone (390 px): no page wider than the screen, and every table either fully visible
(list tables stack their rows, DKFDS's responsive headers) or inside a focusable, named scroll region
that says it scrolls (the schedule's week). A 200-letter name without spaces breaks instead of pushing
the case list off the page. axe on every page."""

import pytest

from fasthold.accounts.models import TwoFactorDevice
from fasthold.cases.models import Person
from tests.browser.test_personas import check, login
from tests.browser.test_portals import _load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_NAME = "Bodil" + "x" * 195

TABLES = """() => [...document.querySelectorAll('main table')].map(t => {
  const box = t.getBoundingClientRect();
  let region = null;
  for (let el = t.parentElement; el && el !== document.body; el = el.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) { region = el; break; }
  }
  const clipped = !!region && region.scrollWidth > region.clientWidth + 1;
  return {
    table: (t.caption && t.caption.textContent.trim()) || t.outerHTML.slice(0, 80),
    fits: box.left >= -1 && box.right <= window.innerWidth + 1 && !clipped,
    scrollable: !!region && region.tabIndex >= 0 && region.getAttribute('role') === 'region'
      && !!(region.getAttribute('aria-labelledby') || region.getAttribute('aria-label')),
  };
})"""


def assert_fits_the_phone(page, what):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{what}: wider than the phone"
    tables = page.evaluate(TABLES)
    assert tables, f"{what}: no table"
    for table in tables:
        assert table["fits"] or table["scrollable"], f"{what}: cut off without a scroll region: {table['table']}"
    check(page, what)


def test_coordinators_tables_fit_a_phone(live_server, page):
    world = _load_demo()
    Person.objects.filter(pk=world.bodil.person_id).update(name=LONG_NAME)
    TwoFactorDevice.objects.filter(user=world.users["koordinator"]).delete()  # the password is enough here
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "koordinator")
    kurt = world.kurt.public_id

    page.goto(f"{live_server.url}/cases/")
    assert_fits_the_phone(page, "case list")
    assert page.evaluate("getComputedStyle(document.querySelector('main thead')).display") == "none", "rows not stacked"
    name = page.get_by_role("link", name=LONG_NAME).bounding_box()
    assert name["x"] + name["width"] <= PHONE["width"], "the long name runs off the page"

    page.goto(f"{live_server.url}/calendar/case/{kurt}/")
    assert_fits_the_phone(page, "case calendar")
    # Stacked: every cell (status, responsible, rule included) is on the screen, with its column's name.
    cells = page.evaluate(
        "() => [...document.querySelectorAll('main td[data-title]')].map(td => td.getBoundingClientRect().right)"
    )
    assert cells and max(cells) <= PHONE["width"]

    page.goto(f"{live_server.url}/schedules/case/{kurt}/")
    assert_fits_the_phone(page, "schedule")
    assert page.locator(".fh-scroll-hint").first.is_visible(), "nothing says the week scrolls"
    region = page.get_by_role("region", name="Optrapningsplanen uge for uge: timer pr. dag")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the week grid does not need to scroll?"
    region.focus()
    assert region.evaluate("el => el === document.activeElement"), "the scroll region takes no keyboard focus"
