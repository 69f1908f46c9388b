"""The storage period page and the employee's download in Chromium, with axe on every page."""

import io
import json
import zipfile

import pytest

from fasthold.cases.demo import build_world
from tests.browser.test_personas import check, login
from tests.browser.test_portals import _load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_sets_the_storage_period_from_the_audit_log(live_server, page):
    build_world()  # without the accounts demo, which gives the admin a two-factor device
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/audit/")
    with page.expect_navigation():
        page.locator("a[href='/privacy/retention/']").click()
    assert "/privacy/retention/" in page.url
    check(page, "storage period page")
    months = page.locator("input[name=months]")
    assert months.input_value() == "60"
    months.fill("6")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem").click()
    check(page, "storage period page with an error")
    assert page.locator("input[name=months]").get_attribute("aria-invalid") == "true"
    page.locator("input[name=months]").fill("120")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem").click()
    check(page, "storage period page after saving")
    assert page.locator("input[name=months]").input_value() == "120"

    from fasthold.privacy.models import RetentionPolicy

    assert RetentionPolicy.objects.get().months == 120


def test_employee_downloads_their_data_from_the_portal(live_server, page):
    world = _load_demo()
    login(page, live_server.url, "kurt")
    assert page.url.endswith("/me/")
    check(page, "employee portal with the download link")
    with page.expect_download() as info:
        page.locator("a[href='/privacy/me/export/']").click()
    download = info.value
    assert download.suggested_filename.startswith("fasthold-data-")
    assert world.kurt.person.cpr not in download.suggested_filename
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    assert data["cases"][0]["case"] == str(world.kurt.public_id)
