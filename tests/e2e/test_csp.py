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
project, plan, report...): a new kind of page is covered as soon as a list links to it. A page a role may
not open is rendered once (the first 403 page); the other roles' 403 answers are asked for, not rendered.

Cost: one crawl for both checks, in one test, so the demo data is loaded once (the module's demo_db, then
full_demo's loaders: the larger part of the test's time). A page counts as loaded at its `load` event plus two
animation frames (the policy's reports are queued by then), not after Playwright's "networkidle" (half a
second of silence per page)."""

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.test.utils import override_settings
from django.urls import get_resolver
from playwright.sync_api import Page, expect
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import Person
from registry.selfreports.demo import load_demo_operators, load_demo_reports
from tests.e2e.conftest import TIMEOUT_MS
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
    "songkhla.head": ["/registry/selfreports/overdue/", "/registry/factory/import/", "/planning/risk/"],
    "songkhla.inspector1": ["/registry/selfreports/import/"],
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
]
# Followed from the pages above: one page of each kind (its path with the numbers taken out), e.g. each
# step's task page, a case, a complaint, a factory, a project, a plan, a self-report, an admin change form.
FOLLOW = re.compile(r"\d")
NOT_PAGES = re.compile(r"\.(pdf|xlsx|csv|png|jpe?g)$|/(evidence|photo|logout|delete)/|/i18n/|/admin/logout/")


@pytest.fixture
def full_demo(inspection_demo):  # one test: the crawl; the demo data is loaded once for it
    admin = Person.objects.get(username="admin")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        load_demo_reports(by=admin)
        load_demo_operators()
        assert load_demo_cases() > 0
        assert load_demo_complaints() > 0
        load_demo_planning()
        assert load_demo_budget() > 0
    return inspection_demo


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
    """{owner's username: [the task page of one open task of each step of each flow, as the demo data gives]}."""
    assert get_resolver().url_patterns  # Viewflow reverses its task URLs once the URLconf is loaded
    steps: dict[str, Task] = {}
    for task in (
        Task.objects.filter(status=STATUS.ASSIGNED, flow_task_type="HUMAN").select_related("owner").order_by("pk")
    ):
        steps.setdefault(f"{task.flow_task.flow_class.__name__}.{task.flow_task.name}", task)
    assert len(steps) >= 10, sorted(steps)  # inspection, complaint, planning and budget steps
    pages: dict[str, list[str]] = {}
    for task in steps.values():
        pages.setdefault(task.owner.username, []).append(task.reverse("execute"))
    return pages


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def test_no_page_breaks_the_content_security_policy_and_every_page_fits_a_phone(browser, live_server, full_demo):
    violations: dict[str, list[str]] = {}
    too_wide: dict[str, str] = {}
    covered: set[str] = set()  # kinds of page visited
    counts = Counter()  # pages rendered, of them refused (403), refusals only asked for (not rendered)

    def check(watch: PolicyWatch, who: str, path: str, *, may_refuse: bool = False) -> None:
        covered.add(kind_of(path))
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

    anonymous = PolicyWatch(browser, live_server.url)
    for path in ANONYMOUS:
        check(anonymous, "anonymous", path)
    anonymous.close()

    tasks = one_task_of_each_step()
    visits = {username: EVERY_ROLE + extra + tasks.pop(username, []) for username, extra in ROLES.items()}
    visits |= {username: ["/", *pages] for username, pages in tasks.items()}  # owners of the other steps' tasks
    for username, paths in visits.items():
        watch = PolicyWatch(browser, live_server.url)
        watch.log_in(username, full_demo.password)
        followed: dict[str, str] = {}
        for path in paths:
            check(watch, username, path, may_refuse=path in EVERY_ROLE)
            for link in watch.links():
                kind = kind_of(link)
                if FOLLOW.search(link) and kind not in covered and kind not in followed:
                    followed[kind] = link
        for path in followed.values():
            check(watch, username, path)
        watch.close()

    print(f"{counts['rendered']} pages rendered, {counts['asked']} refusals only asked for, {len(covered)} kinds")
    # The test reached the pages it is about: a broken log-in or crawl would pass with no violation.
    must_reach = ["/inspection/case/N/", "/complaints/N/", "/registry/factory/N/detail/", "/registry/selfreports/N/",
                  "/budget/project/N/", "/planning/plans/N/", "/dashboards/office/N/",
                  "/admin/org/person/N/change/"]  # fmt: skip
    for kind in must_reach:
        assert kind in covered, f"{kind} not reached; reached: {' '.join(sorted(covered))}"
    assert not violations, "\n".join(f"{page}:\n    " + "\n    ".join(found) for page, found in violations.items())
    assert not too_wide, f"{len(too_wide)} pages wider than a {PHONE['width']} px phone:\n" + "\n".join(
        f"{page}: {wide}" for page, wide in too_wide.items()
    )
