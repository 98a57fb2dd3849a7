"""In a real browser: an inspector of the Songkhla office logs in, sees the home page, sees only Songkhla's
factories, switches the interface to English and back to Thai; a wrong password is refused; Thai
screenshots of the login, home and factory list pages land in $SCREENSHOT_DIR (`make screenshots` points
it at docs/screenshots/; by default test-results/, so a test run leaves the tree clean)."""

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from playwright.sync_api import Page, expect

from org.models import Person
from registry.viewsets import FactoryViewset

pytestmark = pytest.mark.e2e

INSPECTOR = "songkhla.inspector1"
SONGKHLA_TH, SONGKHLA_EN = "สงขลา", "Songkhla"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "test-results" / "screenshots")
HOME_URL = re.compile(r"^https?://[^/]+/$")
LOGIN_URL = re.compile(r"^https?://[^/]+/accounts/login/(\?.*)?$")
TABLE = "table.vf-list__table"
ROWS = f"{TABLE} tbody tr[data-row-id]"


def log_in(page: Page, username: str, password: str) -> None:
    """Fill and submit the real login form."""
    page.goto("/accounts/login/")
    form = page.locator("form.vf-form")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()


def column(page: Page, name: str):
    """The cells of the list column `name` (found by its header, not by position)."""
    headers = page.locator(f"{TABLE} thead th")
    expect(headers.first).to_be_visible()
    names = [header.get_attribute("data-list-sort-column") for header in headers.all()]
    return page.locator(f"{ROWS} > td:nth-child({names.index(name) + 1})")


def open_user_menu(page: Page) -> None:
    """The drawer's secondary menu (profile, log out) opens from the arrow under the user's name."""
    page.locator(".vf-page__menu-toggle-button").click()


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_test_id(f"lang-{code}")).to_have_attribute("aria-pressed", "true")


def test_inspector_sees_only_songkhla_and_switches_language(page: Page, demo):
    log_in(page, INSPECTOR, demo.password)

    # Home page.
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_test_id("inbox-count")).to_be_visible()
    expect(page.get_by_test_id("inbox-count")).to_have_text(re.compile(r"^\s*\d+\s*$"))
    scope = page.get_by_test_id("scope-card")
    expect(scope).to_be_visible()
    expect(scope).to_contain_text(SONGKHLA_TH)
    expect(scope.get_by_role("link")).to_contain_text(str(demo.songkhla_factories))
    expect_language(page, "th")

    # Factory list: one page, every province shown is Songkhla, and the total is Songkhla's.
    per_page = FactoryViewset.list_paginate_by
    page.goto("/registry/factory/")
    expect(page.locator(ROWS)).to_have_count(min(per_page, demo.songkhla_factories))
    expect(column(page, "province")).to_have_text([SONGKHLA_TH] * min(per_page, demo.songkhla_factories))
    expect(page.locator(".vf-list__pagination-summary")).to_have_text(re.compile(rf"\D{demo.songkhla_factories}\s*$"))
    # Sorted by province both ways, the first page is still all Songkhla: so is every page in between.
    for order in ("province", "-province"):
        page.goto(f"/registry/factory/?_orderby={order}")
        expect(column(page, "province")).to_have_text([SONGKHLA_TH] * min(per_page, demo.songkhla_factories))

    # Search (viewflow's list search parameter is `_search`). It works: a Songkhla factory is found ...
    page.goto(f"/registry/factory/?_search={quote(demo.songkhla_factory_name)}")
    expect(page.locator(ROWS).first).to_be_visible()
    expect(column(page, "name").first).to_have_text(demo.songkhla_factory_name)
    # ... and a Lopburi factory is not there for a Songkhla inspector.
    page.goto(f"/registry/factory/?_search={quote(demo.lopburi_factory_name)}")
    expect(page.locator(f"{TABLE} thead")).to_be_visible()
    expect(page.locator("vf-page-search")).to_have_attribute("value", demo.lopburi_factory_name)
    expect(page.locator(ROWS)).to_have_count(0)
    expect(page.get_by_text(demo.lopburi_factory_name, exact=True)).to_have_count(0)

    # English ...
    page.goto("/registry/factory/")
    page.get_by_test_id("lang-en").click()
    expect_language(page, "en")
    expect(page).to_have_url(re.compile(r"/registry/factory/$"))
    expect(page.locator(".vf-card__title")).to_have_text("Factories")
    expect(column(page, "province").first).to_have_text(SONGKHLA_EN)
    open_user_menu(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # ... and back to Thai.
    page.get_by_test_id("lang-th").click()
    expect_language(page, "th")
    with translation.override("th"):
        thai_title = str(FactoryViewset.title)
    assert thai_title != "Factories", "no Thai translation for 'Factories'"
    expect(page.locator(".vf-card__title")).to_have_text(thai_title)
    expect(column(page, "province").first).to_have_text(SONGKHLA_TH)
    open_user_menu(page)
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_wrong_password_stays_on_login_page(page: Page, demo):
    log_in(page, INSPECTOR, demo.password + "-wrong")

    with translation.override("th"):
        message = AuthenticationForm.error_messages["invalid_login"] % {
            "username": Person._meta.get_field(Person.USERNAME_FIELD).verbose_name
        }
    error = page.locator(".vf-form__error")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.sub(r"\s+", " ", message).strip())
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator('input[name="username"]')).to_have_value(INSPECTOR)
    expect(page.locator('input[name="password"]')).to_have_value("")
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}

    page.goto("/")  # still anonymous: sent back to the login page
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_test_id("inbox-count")).to_have_count(0)


def test_thai_screenshots(page: Page, demo):
    """Full-page PNGs (1280x900 viewport, Thai) of the login, home and factory list pages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "th")
        page.evaluate("document.fonts.ready.then(() => true)")  # web fonts (Sarabun) are in
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    page.goto("/accounts/login/")
    expect(page.locator('form.vf-form input[name="username"]')).to_be_visible()
    shoot("login")

    log_in(page, INSPECTOR, demo.password)
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_test_id("inbox-count")).to_be_visible()
    expect(page.get_by_test_id("scope-card")).to_be_visible()
    shoot("home")

    page.goto("/registry/factory/")
    expect(page.locator(ROWS).first).to_be_visible()
    expect(page.locator(".vf-list__pagination-summary")).to_be_visible()
    shoot("factories")

    for name in ("login", "home", "factories"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000, f"{name}.png looks empty"
