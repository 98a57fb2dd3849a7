"""In a real browser, no page breaks the Content Security Policy (project/settings.py) and every page fits a
phone: every demo role visits its pages on the full demo data (cases, complaints, self-reports, plans, budget
projects) in a 360 px wide window (the narrowest phone of issue 16: pages must fit 360-414 px), and on each page

1. a `securitypolicyviolation` listener, injected before any page script runs, and the browser console record
   what the policy blocked: an inline <script>, an on*= handler, a style= attribute or <style> block, a
   javascript: URL, anything from another origin;
2. `document.documentElement.scrollWidth` must not exceed the window's width: no sideways scrolling (a wide
   table scrolls inside its own box); the widest elements are named in the failure.

Any one fails the test, with the page and what it was.

The pages: a fixed list per role (home, inboxes, lists, dashboards, admin, API docs, public complaint
pages, error pages) plus one page of each kind linked from them (each task step, case, complaint, factory,
project, plan, report...) and any linked page of a URL pattern not yet visited: a new kind of page is covered as
soon as a list links to it. A page a role may not open is rendered once (the first 403 page); the other roles'
403 answers are asked for, not rendered.

Every page of the URL conf: once all parts of the crawl have run, every pattern of the URLconf
(django.urls.get_resolver) must have been reached or be named, with its reason, in NOT_CRAWLED (the API,
downloads, POST-only addresses, redirects, the admin's per-model pages): a new page that nothing links to fails
the test until it is crawled or excluded. 360 px is the narrowest phone of issue 16; it covers 390 px.

Cost: the crawl runs in parts (PARTS, one test each, by person) so that pytest-xdist runs them on both cores;
the full demo data is loaded by the first part a process runs and restored from an in-memory snapshot for the
next. A page counts as loaded at its `load` event plus two animation frames (the policy's reports are queued
by then), not after Playwright's "networkidle" (half a second of silence per page)."""

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from django.test.utils import override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from playwright.sync_api import Page, expect
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import Person
from registry.selfreports.demo import load_demo_operators, load_demo_reports
from tests.e2e.conftest import SCREENSHOTS, TIMEOUT_MS, shoot
from workflows.budget.demo import load_demo_budget
from workflows.complaint.demo import load_demo_complaints
from workflows.inspection.demo_cases import load_demo_cases
from workflows.planning.demo import load_demo_planning

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
SETTLE = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
# The widest elements (their right edge beyond the window), named like a CSS selector, to say what to fix.
TOO_WIDE = """() => {
  const width = window.innerWidth, found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    let parent = element.parentElement, clipped = false;
    while (parent && parent !== document.body) {
      const style = getComputedStyle(parent);
      if (style.overflowX !== "visible" && parent.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (clipped) continue;
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + [...element.classList].slice(0, 3).map((c) => "." + c).join("");
    found.push(`${name} right=${Math.round(box.right)}`);
  }
  return [document.documentElement.scrollWidth, width, found.slice(-4)];
}"""

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolations.push(
  [event.violatedDirective, event.blockedURI, event.sourceFile + ":" + event.lineNumber, event.sample].join(" ")
), true);
"""

# Visited as each role (what the role may not open still renders a page: 403 or a redirect).
EVERY_ROLE = [
    "/",
    "/inspection/inbox/",
    "/inspection/queue/",
    "/inspection/archive/",
    "/inspection/new/",
    "/complaints/list/",
    "/registry/factory/",
    "/registry/selfreports/",
    "/registry/results/",
    "/budget/projects/",
    "/planning/plans/",
    "/dashboards/",
]
ROLES = {
    "songkhla.head": [
        "/registry/selfreports/overdue/",
        "/registry/factory/import/",
        "/registry/factory/add/",
        "/planning/risk/",
    ],
    "songkhla.inspector1": [
        "/registry/selfreports/import/",
        "/notifications/settings/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ],
    "songkhla.pio": [],
    "dps": [],
    "executive": [],
    "operator1": [],
    "admin": ["/admin/", "/admin/org/person/", "/admin/viewflow/task/", "/admin/axes/accessattempt/"],
}
ANONYMOUS = [
    "/accounts/login/",
    "/complaint/new/",
    "/complaint/status/",
    "/complaint/status/?no=RC-0000-000000",
    "/api/v1/docs/",
    "/no-such-page/",  # 404
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/no-such-token/",  # the page of a link that does not hold
    "/accounts/reset/done/",
    "/complaint/submitted/",
    "/verify/NO-SUCH-DOCUMENT/",  # a document's public check, of a reference that does not exist
    "/offline/",  # the installable app's page for no signal
]
# Followed from the pages above: one page of each kind (its path with the numbers taken out), e.g. each
# step's task page, a case, a complaint, a factory, a project, a plan, a self-report, an admin change form.
FOLLOW = re.compile(r"\d")
NOT_PAGES = re.compile(r"\.(pdf|xlsx|csv|png|jpe?g)$|/(evidence|photo|logout|delete|chart)/|/i18n/|/admin/logout/")


# The crawl in parts, one test each, so that pytest-xdist runs them side by side (the whole crawl took 3.5 min on one
# core): each part is a set of people; together they are everyone the crawl logs in as.
ANONYMOUS_USER = "(anonymous)"
TASK_OWNERS = "(the owners of the other steps' tasks)"
PARTS = {
    "office": ["songkhla.head", "songkhla.inspector1", "songkhla.pio", TASK_OWNERS],
    "others": [ANONYMOUS_USER, "dps", "executive", "operator1", "admin"],
}
assert sorted(name for people in PARTS.values() for name in people) == sorted([*ROLES, ANONYMOUS_USER, TASK_OWNERS])
# Reached by each part: a broken log-in or crawl would pass with no violation.
MUST_REACH = {
    "office": ["/inspection/case/N/", "/complaints/N/", "/registry/factory/N/detail/", "/registry/selfreports/N/",
               "/inspection/flow/N/inspect/N/detail/",
               "/budget/project/N/", "/planning/plans/N/", "/dashboards/office/N/"],
    "others": ["/admin/org/person/N/change/", "/complaint/new/"],
}  # fmt: skip

# The full demo data, loaded by the first part this process runs and restored for the next (in-memory SQLite, as
# tests/e2e/conftest.py keeps the base demo): the loaders are the larger part of a part's time.
_full_demo: dict[str, object] = {}


@pytest.fixture
def full_demo(inspection_demo, settings):
    from django.db import connection

    from tests.e2e.conftest import _is_memory_sqlite, _restore, _snapshot

    if _full_demo:
        _restore(connection, _full_demo["snapshot"])
        settings.MEDIA_ROOT = _full_demo["media"]  # the files the loaders wrote
        return inspection_demo
    admin = Person.objects.get(username="admin")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        load_demo_reports(by=admin)
        load_demo_operators()
        assert load_demo_cases() > 0
        assert load_demo_complaints() > 0
        load_demo_planning()
        assert load_demo_budget() > 0
    if _is_memory_sqlite(connection):
        _full_demo.update(snapshot=_snapshot(connection), media=settings.MEDIA_ROOT)
    return inspection_demo


@pytest.fixture
def crawl_record(tmp_path_factory):
    """crawl_record(part, routes) -> missing: keep the URL patterns a part of the crawl reached; once every part has
    (in this process or another of pytest-xdist's), return the patterns of the URLconf that none reached and
    NOT_CRAWLED does not name. The part that completes the set checks (with -k selecting one part, none does)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "csp-crawl-routes"
    shared.mkdir(exist_ok=True)

    def record(part: str, routes: set[str]) -> list[str]:
        (shared / f"{part}.json").write_text(json.dumps(sorted(r for r in routes if r is not None)))
        files = [shared / f"{name}.json" for name in PARTS]
        if not all(file.exists() for file in files):
            return []
        reached = {route for file in files for route in json.loads(file.read_text())}
        patterns = url_patterns()
        return sorted(
            {route for route, pattern in patterns if route not in reached and not not_crawled(route, pattern.callback)}
        )

    return record


def is_page(path: str) -> bool:
    """A page of ours the crawl should open: served by a pattern of the URLconf that NOT_CRAWLED does not name."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return not not_crawled(normal_route(match.route), match.func)


def not_crawled(route: str, view) -> str | None:
    """Why the crawl need not open route, served by view (None: it must)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None and not ("get" in view_class.http_method_names and hasattr(view_class, "get")):
        return "POST only"
    return next((why for regex, why in NOT_CRAWLED if re.search(regex, route)), None)


class PolicyWatch:
    """One browser context, phone-sized, whose pages record every Content Security Policy violation."""

    def __init__(self, browser, base_url: str):
        self.context = browser.new_context(
            base_url=base_url, viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.set_default_navigation_timeout(4 * TIMEOUT_MS)  # the admin's lists on a busy machine
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page: Page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def log_in(self, username: str, password: str) -> None:
        self.visit("/accounts/login/")
        form = self.page.locator("form.vf-form")
        form.locator('input[name="username"]').fill(username)
        form.locator('input[name="password"]').fill(password)
        form.locator('button[type="submit"]').click()
        expect(self.page).to_have_url(re.compile(r"^https?://[^/]+/$"))

    def status(self, path: str) -> int:
        """The status of path for this context's user, asked without rendering it."""
        return self.context.request.get(path).status

    def visit(self, path: str) -> tuple[list[str], str, int]:
        """Open path; return the violations seen while it loaded and ran, what is too wide ("" if nothing) and
        the status of the page."""
        self.console.clear()
        response = self.page.goto(path)
        assert response is not None, path
        self.page.evaluate(SETTLE)
        violations = self.page.evaluate("window.__cspViolations") + list(self.console)
        scroll_width, width, widest = self.page.evaluate(TOO_WIDE)
        too_wide = f"{scroll_width} px wide in {width}: {', '.join(widest)}" if scroll_width > width else ""
        return violations, too_wide, response.status

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        here = urlsplit(self.page.url).netloc
        found = []
        for href in hrefs:
            url = urlsplit(urljoin(self.page.url, href))
            if url.netloc == here and not NOT_PAGES.search(url.path):
                found.append(url.path + (f"?{url.query}" if url.query else ""))
        return found

    def close(self) -> None:
        self.context.close()


def one_task_of_each_step() -> dict[str, list[str]]:
    """{owner's username: [the task page of one open task of each step of each flow, as the demo data gives, and that
    task's detail page: Viewflow's stock page, where a task's address leads those who may see but not do it, drawn
    by our templates/viewflow/workflow/task_base.html and task_detail.html without style= attributes]}."""
    assert get_resolver().url_patterns  # Viewflow reverses its task URLs once the URLconf is loaded
    steps: dict[str, Task] = {}
    for task in (
        Task.objects.filter(status=STATUS.ASSIGNED, flow_task_type="HUMAN").select_related("owner").order_by("pk")
    ):
        steps.setdefault(f"{task.flow_task.flow_class.__name__}.{task.flow_task.name}", task)
    assert len(steps) >= 10, sorted(steps)  # inspection, complaint, planning and budget steps
    pages: dict[str, list[str]] = {}
    for task in steps.values():
        pages.setdefault(task.owner.username, []).extend([task.reverse("execute"), task.reverse("detail")])
    return pages


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def the_diagram_reads_on_a_phone(browser, base_url: str, username: str, path: str, password: str) -> None:
    """The case page's process diagram at 390 px (issue 16 item 5): its labels in Sarabun, loaded, at 14 px or more,
    the diagram at its own size scrolling in its box; screenshots of the page and of the box scrolled halfway."""
    watch = PolicyWatch(browser, base_url)
    try:
        watch.page.set_viewport_size({"width": 390, "height": 844})
        watch.log_in(username, password)
        watch.visit(path)
        page = watch.page
        chart = page.get_by_test_id("case-chart")
        page.evaluate("document.fonts.ready.then(() => true)")
        label = chart.locator("div.task-label").first
        expect(label).to_be_visible()
        font = label.evaluate("(e) => [getComputedStyle(e).fontFamily, parseFloat(getComputedStyle(e).fontSize)]")
        assert font[0].startswith("Sarabun") and font[1] >= 14, font
        assert page.evaluate("document.fonts.check('15px Sarabun', 'ตรวจ')"), "Sarabun not loaded"
        box = chart.locator(".kk-chart-scroll")
        assert box.evaluate("(e) => e.scrollWidth > e.clientWidth"), "the diagram shrank to the phone's width"
        shoot(page, "case-diagram-390")
        box.evaluate("(e) => { e.scrollLeft = (e.scrollWidth - e.clientWidth) / 2; }")
        chart.screenshot(path=SCREENSHOTS / "case-diagram-box-390.png")
    finally:
        watch.close()


def route_of(path: str) -> str | None:
    """The URL pattern that serves path, as the URLconf spells it (e.g. "inspection/case/<int:pk>/"); None if none."""
    try:
        return normal_route(resolve(urlsplit(path).path).route)
    except Resolver404:
        return None


def normal_route(route: str) -> str:
    return route.replace("^", "").replace("$", "")  # DRF's routers: regexes inside path() routes


def url_patterns(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every pattern of the URLconf: (its whole route, the pattern)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield normal_route(prefix + str(pattern.pattern)), pattern


# What the crawl need not open, each with its reason: the test fails on any other pattern of the URLconf that no part
# of the crawl reached, so that a new page is crawled (linked from a page crawled, or listed above) or listed here.
# Besides these, a class-based view without `get` (POST only) is not a page (not_crawled).
NOT_CRAWLED = [
    (
        r"^admin/",
        "Django's admin: its index, three lists and a change form are crawled; its other pages are the same "
        "few templates for each model",
    ),
    (r"^api/", "the JSON API (its documentation page, api/v1/docs/, is crawled)"),
    (r"^health/", "the load balancer's probes (plain text)"),
    (r"^offline/inspections/who/$", "JSON: who is logged in, for the offline inspections' page"),
    (
        r"\.(pdf|xlsx|js|webmanifest)$|(^|/)(file|photo|evidence)/",
        "downloads: PDFs, spreadsheets, uploaded files, the service worker and the app manifest",
    ),
    (r"(^|/)chart/$", "the flow diagram as an SVG file (the case page draws it, crawled)"),
    (r"^jsi18n/$", "the JavaScript catalogue every page loads"),
    (
        r"^(i18n/setlang|notifications/read-all|notifications/<int:pk>/read)/$",
        "POST only: the language chosen, every notification or one marked read",
    ),
    (
        r"^notifications/<int:pk>/open/$|^budget/task/<int:pk>/$",
        "redirects: a notification opened goes to its page, a budget task to its step's page",
    ),
    (
        r"^(inspection|complaints|budget|planning|registry)/$|/(flow|project_flow|progress|directive|escalation)/$",
        "an app's address, redirected to its first page (crawled)",
    ),
    (
        r"/(flow|project_flow|progress|directive|escalation)/<int:process_pk>/$",
        "a process's address, redirected to the app's own page (workflows/viewsets.ProcessHomeView)",
    ),
    (r"/<int:process_pk>/[a-z_]+/<int:task_pk>/$", "a task's address, redirected by Viewflow to its page"),
    (
        r"/<int:process_pk>/[a-z_]+/<int:task_pk>/(assign|unassign|undo|cancel|revive)/$",
        "Viewflow's task actions for a flow's managers: one confirmation form, the same for every step",
    ),
    (
        r"/<int:process_pk>/[a-z_]+/<int:task_pk>/detail/$",
        "Viewflow's task detail page of every node, one page for all (our templates/viewflow/workflow/task_base.html "
        "and task_detail.html, without style= attributes): crawled for the open task of each human step "
        "(one_task_of_each_step), where a task's address leads those who may see but not do it",
    ),
    (r"^registry/factory/<path:pk>/change/$", "the factory form, as registry/factory/add/ (crawled)"),
    # Pages the demo data gives nothing to open (no open task of the step, no import, no order awaiting delivery):
    # named one by one, to be crawled once the demo data has one.
    (
        r"^inspection/flow/<int:process_pk>/(draft_order|follow_up)/<int:task_pk>/execute/$"
        r"|^budget/(directive/<int:process_pk>/check|escalation/<int:process_pk>/answer"
        r"|progress/<int:process_pk>/review|project_flow/<int:process_pk>/(approve|revise))/<int:task_pk>/execute/$"
        r"|^planning/flow/<int:process_pk>/prepare/<int:task_pk>/execute/$",
        "a step with no open task in the demo data",
    ),
    (r"^registry/(factory|selfreports)/import/<int:pk>/$", "an import's report: the demo data has no import"),
    (r"^inspection/case/<int:pk>/order/<int:order_pk>/delivery/$", "an order's delivery: none awaiting in the demo"),
    (r"^complaints/task/<int:task_pk>/reassign/$", "a head's reassign form: no demo page links it"),
    (r"^budget/office/<int:office>/review/$", "a provincial review's form: no demo page links it"),
]


@pytest.mark.parametrize("part", PARTS)
def test_no_page_breaks_the_content_security_policy_and_every_page_fits_a_phone(
    part, browser, live_server, full_demo, crawl_record
):
    violations: dict[str, list[str]] = {}
    too_wide: dict[str, str] = {}
    covered: set[str] = set()  # kinds of page visited
    routes: set[str] = set()  # the URL patterns of the pages visited
    case_pages: list[tuple[str, str]] = []  # (who, path): the first case page, for the diagram's screenshots
    counts = Counter()  # pages rendered, of them refused (403), refusals only asked for (not rendered)

    def check(watch: PolicyWatch, who: str, path: str, *, may_refuse: bool = False) -> None:
        if kind_of(path) == "/inspection/case/N/" and not case_pages:
            case_pages.append((who, path))
        covered.add(kind_of(path))
        routes.add(route_of(path))
        if may_refuse and counts["refused"] and watch.status(path) == 403:
            counts["asked"] += 1
            return  # the error page rendered before, once is enough
        found, wide, status = watch.visit(path)
        counts["rendered"] += 1
        counts["refused"] += status == 403
        if found:
            violations[f"{who} {path}"] = found
        if wide:
            too_wide[f"{who} {path}"] = wide

    people = PARTS[part]
    if ANONYMOUS_USER in people:
        anonymous = PolicyWatch(browser, live_server.url)
        for path in ANONYMOUS:
            check(anonymous, "anonymous", path)
        anonymous.close()

    tasks = one_task_of_each_step()
    visits = {username: EVERY_ROLE + extra + tasks.pop(username, []) for username, extra in ROLES.items()}
    visits |= {username: ["/", *pages] for username, pages in tasks.items()}  # owners of the other steps' tasks
    mine = [username for username in visits if username in people or (TASK_OWNERS in people and username in tasks)]
    for username in mine:
        watch = PolicyWatch(browser, live_server.url)
        watch.log_in(username, full_demo.password)
        followed: dict[str, str] = {}  # kind of page: a link to one
        followed_routes: set[str] = set()
        for path in visits[username]:
            check(watch, username, path, may_refuse=path in EVERY_ROLE)
            for link in watch.links():
                kind, route = kind_of(link), route_of(link)
                new_kind = FOLLOW.search(link) and kind not in covered and kind not in followed
                new_route = route not in routes and route not in followed_routes and is_page(link)
                if new_kind or new_route:
                    followed.setdefault(kind, link)
                    followed_routes.add(route)
        for path in followed.values():
            check(watch, username, path)
        watch.close()

    print(
        f"{part}: {counts['rendered']} pages rendered, {counts['asked']} refusals only asked for, {len(covered)} kinds"
    )
    missing = crawl_record(part, routes)
    if case_pages:
        the_diagram_reads_on_a_phone(browser, live_server.url, *case_pages[0], full_demo.password)
    # The test reached the pages it is about: a broken log-in or crawl would pass with no violation.
    for kind in MUST_REACH[part]:
        assert kind in covered, f"{kind} not reached; reached: {' '.join(sorted(covered))}"
    assert not violations, "\n".join(f"{page}:\n    " + "\n    ".join(found) for page, found in violations.items())
    assert not too_wide, f"{len(too_wide)} pages wider than a {PHONE['width']} px phone:\n" + "\n".join(
        f"{page}: {wide}" for page, wide in too_wide.items()
    )
    assert not missing, (
        f"{len(missing)} URL patterns neither crawled nor in NOT_CRAWLED (link them from a crawled page, add them to "
        "a role's pages, or say in NOT_CRAWLED why not):\n" + "\n".join(missing)
    )
