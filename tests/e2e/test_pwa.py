"""The installable app in headless Chromium on a phone (issue 16, item 2): the manifest and its icons, the service
worker registered at the root and active, and with the network cut (context.set_offline) a page never opened
shows the offline page, a page opened before shows its kept copy, the offline page reloads by itself when the
network comes back, and a log-out throws the kept pages away. The API is never cached."""

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import TIMEOUT_MS, shoot, th

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
HOME_URL = re.compile(r"^https?://[^/]+/$")
INSPECTOR = "songkhla.inspector1"

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(name + " " + new URL(request.url).pathname);
  }
  return urls;
}"""
KEPT_PAGES = """async () => (await caches.has("kk-pages"))
  ? (await (await caches.open("kk-pages")).keys()).map((r) => new URL(r.url).pathname) : []"""
KEPT_FOR = """async () => {
  const kept = await (await caches.open("kk-who")).match("/__kk_who__");
  return kept ? kept.text() : null;
}"""


@pytest.fixture
def phone(browser: Browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok", is_mobile=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("form.vf-form")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(HOME_URL)


def wait_for(page: Page, script: str, expected, what: str) -> None:
    """Polls what `script` answers (the worker's state, the caches) until it is `expected` (a value, or a test)."""
    holds = expected if callable(expected) else lambda answer: answer == expected
    for _ in range(TIMEOUT_MS // 100):
        if holds(page.evaluate(script)):
            return
        page.wait_for_timeout(100)  # polling the page's caches, not timing anything
    pytest.fail(f"{what}: {page.evaluate(script)!r}")


def test_manifest_and_icons(phone, demo):
    page = phone.new_page()
    log_in(page, INSPECTOR, demo.password)

    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["lang"] == "th" and manifest["short_name"] == "กำกับ" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == icon["type"], icon["src"]
    assert page.locator('meta[name="theme-color"]').get_attribute("content") == manifest["theme_color"]


def test_offline_page_kept_pages_and_log_out(phone, demo, live_server):
    page = phone.new_page()
    log_in(page, INSPECTOR, demo.password)
    from org.models import Person

    who = str(Person.objects.get(username=INSPECTOR).pk)

    # The service worker registers at the root, activates and controls the page; the precache is filled.
    state = "navigator.serviceWorker.ready.then((r) => [r.scope, r.active.state])"
    wait_for(page, state, [f"{live_server.url}/", "activated"], "the service worker")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    wait_for(page, KEPT_FOR, who, "the worker was not told who is logged in")
    cached = page.evaluate(CACHED_URLS)
    assert any(url.endswith(" /offline/") for url in cached), cached
    assert any(url.endswith(" /static/kamkap/pwa/icon-192.png") for url in cached), cached

    # Online: a page opened is kept for this person; the API is never kept.
    page.goto("/inspection/inbox/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    wait_for(page, KEPT_PAGES, lambda urls: "/inspection/inbox/" in urls, "the inbox is not kept")
    assert page.evaluate("fetch('/api/v1/tasks/').then((r) => r.status)") == 200
    assert not [url for url in page.evaluate(CACHED_URLS) if "/api/" in url]

    # Offline: a page never opened shows the offline page, in Thai, fitting the phone.
    phone.set_offline(True)
    page.goto("/registry/factory/")
    expect(page.get_by_role("heading", name=th("No signal"))).to_be_visible()
    expect(page.get_by_role("button", name=th("Try again"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "pwa-offline-390")
    page.get_by_role("button", name=th("Try again")).click()  # still no network: the offline page again
    expect(page.get_by_role("heading", name=th("No signal"))).to_be_visible()
    assert page.url.endswith("/registry/factory/")

    # A page opened before comes from the device.
    page.goto("/inspection/inbox/")
    expect(page.get_by_role("heading", name=th("No signal"))).to_have_count(0)
    expect(page.locator("body")).to_contain_text(INSPECTOR)

    # Back online: the offline page reloads by itself into the page asked for.
    page.goto("/registry/factory/")
    expect(page.get_by_role("heading", name=th("No signal"))).to_be_visible()
    phone.set_offline(False)
    expect(page.get_by_role("heading", name=th("No signal"))).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/registry/factory/$"))

    # Logging out throws this person's kept pages away: the next person on the device never sees them.
    assert page.evaluate(KEPT_PAGES)
    page.locator('form[action="/accounts/logout/"]').first.evaluate("(form) => form.requestSubmit()")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    wait_for(page, KEPT_PAGES, [], "kept pages after log-out")
    phone.set_offline(True)
    page.goto("/inspection/inbox/")
    expect(page.get_by_role("heading", name=th("No signal"))).to_be_visible()


STALE_NOTE = (
    "This page was opened from this device's copy and has changed on the server since (the task may have been "
    "completed or given to someone else). Nothing on it will be sent: what you typed stays on screen; open the page "
    "again to see it as it is now."
)
FRESH = "document.body.getAttribute('data-kk-fresh')"
KEPT_PAGE = "document.body.hasAttribute('data-kk-kept')"


def test_the_inspect_page_draws_from_the_device_and_nothing_is_sent_over_a_changed_task(
    phone, inspection_demo, live_server
):
    """The inspect task's page is stale-while-revalidate (sw.src.js, keptFirst): on a repeat visit the kept copy is
    shown at once and the network's answer is told to the page. The same page: its CSRF token is refreshed (a draft
    saved after logging in again goes through). The task given to someone else meanwhile: the page loads again and
    shows the server's answer, the kept copy is thrown away. Typed into before the answer came: what was typed stays,
    the note says why, and the form is not sent."""
    from django.urls import reverse

    from org.models import Person
    from tests.e2e.test_offline_inspection import HEAD, OTHER, assigned_case, items_by_type
    from workflows.inspection import services
    from workflows.inspection.models import Answer, AnswerType

    inspection, task = assigned_case(3)
    yes_no = items_by_type(inspection)[AnswerType.YES_NO]
    url = reverse("inspection:flow:inspect:execute", args=[task.process_id, task.pk])
    page = phone.new_page()
    log_in(page, INSPECTOR, inspection_demo.password)
    page.goto("/inspection/inbox/")  # her inbox on the phone: the task, a card to open
    expect(page.locator(f'a[href="{url}"]').first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "inbox-390")
    page.goto(url)
    wait_for(page, "navigator.serviceWorker.controller !== null", True, "the service worker")
    wait_for(page, KEPT_PAGES, lambda urls: url in urls, "the inspect page is not kept")

    # Followed from her inbox (Turbo Drive fetches the page, no navigation): drawn from the kept copy too, and told.
    page.goto("/inspection/inbox/")
    page.locator(f'a[href="{url}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("body[data-kk-kept]")).to_have_count(1)
    wait_for(page, FRESH, "same", "the page followed from the inbox was not told the network's answer")

    # Logged in again (a new CSRF secret), the page drawn from the kept copy: the network's page is the same but for
    # its token, which the page takes; a draft saved on it goes through.
    log_in(page, INSPECTOR, inspection_demo.password)
    page.goto(url)
    assert page.evaluate(KEPT_PAGE)
    wait_for(page, FRESH, "same", "the network's answer was not told to the page")
    card = page.get_by_test_id(f"item-{yes_no.code}")
    card.locator(f'input[name="item_{yes_no.pk}"][value="yes"]').check()
    page.get_by_role("button", name=th("Save draft")).click()
    expect(page.locator("vf-snackbar")).to_contain_text(th("Draft saved. You can come back to it from your inbox."))
    assert Answer.objects.get(inspection=inspection, item=yes_no).value == "yes"
    assert not page.evaluate(KEPT_PAGE)  # after a post, the network's page (the kept copy was thrown away)

    # Kept again; typed into, then told the task changed (the answer of a slow network, dispatched here as the worker
    # sends it): what was typed stays on screen, the note says why, the form is not sent.
    assert url not in page.evaluate(KEPT_PAGES)  # a page saying "Draft saved." is shown, not kept
    page.goto(url)
    wait_for(page, KEPT_PAGES, lambda urls: url in urls, "the inspect page is not kept again")
    page.goto(url)
    wait_for(page, FRESH, "same", "the kept copy")
    card.locator(f'input[name="item_{yes_no.pk}"][value="no"]').check()
    told = """(url) => navigator.serviceWorker.dispatchEvent(
      new MessageEvent("message", {data: {type: "kk-page", url, state: "changed"}}))"""
    page.evaluate(told, page.url.split("#")[0])
    expect(page.get_by_test_id("stale-note")).to_contain_text(th(STALE_NOTE))
    expect(card.locator(f'input[name="item_{yes_no.pk}"][value="no"]')).to_be_checked()
    expect(page.get_by_role("button", name=th("Save draft"))).to_be_disabled()
    page.locator("form[data-kk-checklist]").evaluate("(form) => form.requestSubmit()")
    assert page.evaluate(KEPT_PAGE) and Answer.objects.get(inspection=inspection, item=yes_no).value == "yes"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "inspect-kept-changed-390")

    # The group head gives the task to another inspector: the kept copy is shown, the network says the page is gone
    # for her, the page loads again from the network (the server's answer, no checklist) and the copy is gone.
    task.refresh_from_db()
    services.task_reassign(task=task, to=Person.objects.get(username=OTHER), by=Person.objects.get(username=HEAD))
    page.goto(url)
    expect(page.locator("form[data-kk-checklist]")).to_have_count(0)
    assert not page.evaluate(KEPT_PAGE)
    wait_for(page, KEPT_PAGES, lambda urls: url not in urls, "the kept copy of a task no longer hers")
    assert Answer.objects.get(inspection=inspection, item=yes_no).value == "yes"
