"""End-to-end fixtures: a real headless Chromium (Playwright, sync API) driving pytest-django's live_server.

Browser: Debian's chromium at $CHROMIUM_PATH or /usr/bin/chromium (never `playwright install`). When it is
missing the e2e tests are skipped, or fail when CI=true. One Chromium serves a whole run of consecutive e2e
tests; it is stopped right after the last one, because Playwright's sync API keeps an asyncio loop marked as
running in the main thread, which would leak into the rest of the suite (asyncio.run, async_to_sync) and
makes Django refuse ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set. That variable is set for exactly as
long as Playwright runs and restored afterwards.

Data: live_server forces transactional_db, whose teardown flushes every table after each test, and the
session's reference data (tests/conftest.py: geography + organisation tree) must survive for the tests
that run after these. So the real demo loaders fill the test database (geography, organisation, demo
people, ~2,000 factories) and, on the in-memory SQLite test database `make test-sqlite` uses, the database
is snapshotted with SQLite's backup API: before each module (baseline) and after the load (demo). The load
runs once per test process: later modules restore the kept demo snapshot. Each test starts from the demo
snapshot (milliseconds) and each module ends by restoring its baseline.
Other backends reload the demo data for every test and rebuild the reference data at the end.
"""

import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=th",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000  # upper bound for auto-waiting; a passing step returns as soon as the condition holds


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(item.path).resolve().parents


@pytest.hookimpl(tryfirst=True)  # before -m "not e2e" deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)


# --- the browser --------------------------------------------------------------------------------------


class BrowserSession:
    """Starts Playwright + Chromium on first use; stop() ends both and restores the environment."""

    def __init__(self, executable_path: str):
        self.executable_path = executable_path
        self._playwright = None
        self._browser = None
        self._saved_env: str | None = None

    @property
    def browser(self):
        if self._browser is None:
            from playwright.sync_api import expect, sync_playwright

            self._saved_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=self.executable_path, headless=True, args=CHROMIUM_ARGS
                )
            except BaseException:
                self.stop()
                raise
            expect.set_options(timeout=TIMEOUT_MS)
        return self._browser

    def stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
            if self._saved_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._saved_env


_browser_sessions: list[BrowserSession] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    # Only e2e items reach this conftest hook; after the last of a run of them, stop Chromium.
    result = yield
    if nextitem is None or not _is_e2e(nextitem):
        for session in _browser_sessions:
            session.stop()
    return result


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        reason = f"no Chromium at {path} (install Debian's chromium or set CHROMIUM_PATH); e2e tests need one"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser_session(chromium_path: str) -> Iterator[BrowserSession]:
    session = BrowserSession(chromium_path)
    _browser_sessions.append(session)
    yield session
    session.stop()
    _browser_sessions.remove(session)


@pytest.fixture
def browser(browser_session: BrowserSession):
    """The session's Chromium (launched once, on first use)."""
    return browser_session.browser


@pytest.fixture
def page(browser, live_server):
    """A fresh context (no cookies) per test: 1280x900, Thai browser locale, Bangkok time."""
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


# --- the data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    password: str
    songkhla_factories: int  # factories registered in Songkhla (province 90)
    songkhla_factory_name: str
    lopburi_factory_name: str  # a factory in Lopburi (province 16): never visible to a Songkhla inspector


def _load_demo() -> None:
    from django.db import transaction

    from org.demo import load_demo_org
    from org.geo import load_geography
    from org.models import Person
    from org.services import build_org_tree
    from registry.demo import load_demo_factories

    load_geography()  # as `manage.py load_demo_data` does
    with transaction.atomic():
        build_org_tree()
        load_demo_org()
    load_demo_factories(by=Person.objects.get(username="admin"))


def _is_memory_sqlite(connection) -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _snapshot(connection) -> sqlite3.Connection:
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def _restore(connection, snapshot: sqlite3.Connection) -> None:
    from django.contrib.contenttypes.models import ContentType

    connection.ensure_connection()
    snapshot.backup(connection.connection)
    # The flush after each transactional test re-creates content types (new ids) and caches them.
    ContentType.objects.clear_cache()


# The demo snapshot and its facts, made by the first e2e module of this process and restored by the others
# (a demo load is the slowest part of a module; the loaded database is the same every time).
_kept_demo: dict[str, object] = {}


class _DemoDatabase:
    def __init__(self, connection):
        self.connection = connection
        self.baseline = _snapshot(connection) if _is_memory_sqlite(connection) else None
        if self.baseline is not None and _kept_demo:
            self.demo = _kept_demo["snapshot"]  # each test restores it (prepare_test)
            self.data = _kept_demo["data"]
            return
        _load_demo()
        self.demo = _snapshot(connection) if self.baseline is not None else None
        self.data = self._facts()
        if self.demo is not None:
            _kept_demo.update(snapshot=self.demo, data=self.data)

    @staticmethod
    def _facts() -> DemoData:
        from org.demo import DEMO_PASSWORD
        from registry.models import Factory

        songkhla = Factory.objects.filter(province_id=90).order_by("pk")
        lopburi = Factory.objects.filter(province_id=16).order_by("pk").first()
        assert songkhla.exists() and lopburi is not None, "the demo loaders created no Songkhla/Lopburi factories"
        return DemoData(
            password=DEMO_PASSWORD,
            songkhla_factories=songkhla.count(),
            songkhla_factory_name=songkhla.first().name,
            lopburi_factory_name=lopburi.name,
        )

    def prepare_test(self) -> None:
        if self.demo is not None:
            _restore(self.connection, self.demo)
        else:
            from org.models import Person

            if not Person.objects.filter(username="admin").exists():  # flushed by the previous test
                _load_demo()

    def close(self) -> None:
        if self.baseline is not None:
            _restore(self.connection, self.baseline)
            self.baseline.close()  # the demo snapshot stays for the next module (_kept_demo)
        else:
            from django.core.management import call_command

            from org.geo import load_geography
            from org.services import build_org_tree

            call_command("flush", interactive=False, verbosity=0, database=self.connection.alias)
            load_geography()  # the reference data tests/conftest.py's django_db_setup provides
            build_org_tree()


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker) -> Iterator[_DemoDatabase]:
    from django.db import connection

    with django_db_blocker.unblock():
        database = _DemoDatabase(connection)
    yield database
    with django_db_blocker.unblock():
        database.close()


@pytest.fixture
def demo(browser, live_server, demo_db: _DemoDatabase) -> DemoData:
    """The demo data set, fresh for this test, served by live_server (transactional_db)."""
    demo_db.prepare_test()
    return demo_db.data


# --- shared steps: demo with checklists, people logged in through the form, a photo, screenshots ------

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or E2E_DIR.parents[1] / "test-results" / "screenshots")
HOME_URL = re.compile(r"^https?://[^/]+/$")
PHOTO_SIZE = (160, 120)


@pytest.fixture
def inspection_demo(demo, settings, tmp_path):
    """The demo data plus the demo checklists and rules (no demo cases: no factory has an open case)."""
    from org.models import Person
    from workflows.demo import load_demo_rules
    from workflows.inspection.demo import load_demo_checklists

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_checklists(by=Person.objects.get(username="admin"))
    load_demo_rules()
    return demo


@pytest.fixture
def visit(browser: Browser, live_server, inspection_demo):
    """visit(username) -> a page in a fresh browser context (no cookies), logged in through the form."""
    contexts = []

    def open_as(username: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORT, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        form = page.locator("form.vf-form")
        form.locator('input[name="username"]').fill(username)
        form.locator('input[name="password"]').fill(inspection_demo.password)
        form.locator('button[type="submit"]').click()
        expect(page).to_have_url(HOME_URL)
        return page

    yield open_as
    for context in contexts:
        context.close()


def draw_signature(page: Page, testid: str) -> None:
    """A signature drawn with the finger (pointer events) on the signature pad `testid`."""
    pad = page.get_by_test_id(testid)
    pad.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = pad.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + 0.1 * w, y + 0.65 * h)
    page.mouse.down()
    for step in range(1, 17):
        page.mouse.move(x + (0.1 + 0.05 * step) * w, y + (0.65 - 0.3 * ((step % 4) / 3)) * h, steps=3)
    page.mouse.up()


@pytest.fixture
def photo(tmp_path) -> Path:
    """A real PNG (drawn with Pillow): a factory front with a name board."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", PHOTO_SIZE, (135, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 90, 159, 119), fill=(90, 140, 70))
    draw.rectangle((25, 40, 135, 95), fill=(200, 200, 195), outline=(60, 60, 60))
    draw.rectangle((45, 48, 115, 62), fill=(30, 60, 120))
    draw.rectangle((70, 70, 90, 95), fill=(110, 80, 50))
    path = tmp_path / "factory-front.png"
    image.save(path, format="PNG")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    return path


def th(message: str) -> str:
    with translation.override("th"):
        text = gettext(message)
    assert text != message, f"no Thai translation for {message!r}"
    return text


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    page.evaluate("document.fonts.ready.then(() => true)")  # web fonts (Sarabun) are in
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000, f"{name}.png looks empty"
