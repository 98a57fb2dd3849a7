"""The inspector's phone on a slow network (issue 16): the inspect task's page (the checklist) in headless Chromium
at 390×844 with DevTools throttling (slow 3G: 400 kbit/s each way, 400 ms round trip; the CPU 4× slower), against
gunicorn on the bench database, started here with the static files collected as in production (whitenoise).

- field_first_kb / field_first_ms: the first visit, nothing kept (empty HTTP cache, no service worker): the bytes the
  page's requests took on the wire (the HTML and everything it loads until the network is quiet) and the time to
  interactive, read as the navigation's domContentLoadedEventEnd (the HTML parsed, the deferred scripts run: the
  buttons answer).
- field_cached_ms: the same page again once the service worker is active and has kept the page (register.js names a
  page loaded before the worker controlled it; the worker fetches it once more and keeps it), the HTTP cache emptied
  first, so everything comes from the worker's cache: the page itself stale-while-revalidate (sw.src.js, keptFirst),
  shown from the kept copy while the worker asks the network (throttled too, through the browser's DevTools session,
  as the page's session does not reach the worker's target) and tells the page what it answered; the visit counts only
  when that answer is "same" (the page as kept: no reload, nothing changed under the inspector).

Each figure is the median of REPEATS visits, each in a new browser context (a new profile: nothing kept). The worker's
precache and its own copy of the page (about 10 kB more on the wire), fetched while the first visit ends, are not
counted in field_first_kb (the worker's target, not the page's)."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

from workflows.inspection.flows import InspectionFlow

from .. import drive
from ..load.run import start_gunicorn, stop
from .chains import free_factories

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
REPEATS = 3
TIMEOUT_MS = 120_000

SETTINGS = """from bench.settings import *  # noqa: F403
STATIC_ROOT = {static!r}
MEDIA_ROOT = {media!r}
"""
NAVIGATION = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {interactive: n.domContentLoadedEventEnd, load: n.loadEventEnd, html: n.encodedBodySize,
          controlled: navigator.serviceWorker.controller !== null};
}"""
WORKER_READY = """async () => { const r = await navigator.serviceWorker.ready; return r.active.state; }"""
KEPT = """async (path) => (await caches.has("kk-pages"))
  && !!(await (await caches.open("kk-pages")).match(path, {ignoreVary: true}))"""
FRESH = "() => document.body.getAttribute('data-kk-fresh')"


def _settings_module(workdir: Path) -> str:
    """bench.settings with the static files and media in `workdir` (the repository's .static is left alone)."""
    (workdir / "field_settings.py").write_text(
        SETTINGS.format(static=str(workdir / "static"), media=str(workdir / "media"))
    )
    return "field_settings"


def _server(workdir: Path) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": _settings_module(workdir),
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    extra = {
        "PYTHONPATH": env["PYTHONPATH"],
        "DJANGO_SETTINGS_MODULE": env["DJANGO_SETTINGS_MODULE"],
        "SECRET_KEY": settings.SECRET_KEY,  # the session made here (force_login) must hold there
        "GUNICORN_THREADS": "4",
    }
    server, base, _log = start_gunicorn(os.environ["DATABASE_URL"], workdir, 2, extra)  # the bench's database
    return server, base


def _inspect_task(cast):
    """A case assigned to an inspector, whose inspect task is open: the page they work on in the factory."""
    staff = cast.lopburi
    chain = drive.OurChain(free_factories(staff.office_id, 1)[0], staff)
    chain.start()
    chain.assign()
    task = chain.task("inspect")
    assert task.flow_task is InspectionFlow.inspect
    return staff.inspector, f"/inspection/flow/{task.process_id}/inspect/{task.pk}/execute/"


class Visit:
    """One throttled page visit: the page's requests and their bytes on the wire, as DevTools saw them."""

    def __init__(self, context, page):
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.bytes, self.requests, self.from_worker = 0, 0, 0
        self.urls, self.sizes = {}, {}
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.responseReceived", self._received)

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]
        self.sizes[self.urls.get(event["requestId"], "?")] = event["encodedDataLength"]
        self.requests += 1

    def _received(self, event):
        self.from_worker += bool(event["response"].get("fromServiceWorker"))
        self.urls[event["requestId"]] = urlsplit(event["response"]["url"]).path

    def go(self, url: str) -> dict:
        response = self.page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        self.page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        return {
            **self.page.evaluate(NAVIGATION),
            "kb": self.bytes / 1024,
            "requests": self.requests,
            "sizes": self.sizes,
        }


def _throttle_worker(browser) -> int:
    """The service worker's own fetches (the HTML it asks the network for) on the same slow network: DevTools
    throttles per target, and the page's session does not reach the worker. Returns the workers throttled."""
    cdp = browser.new_browser_cdp_session()
    workers = [t for t in cdp.send("Target.getTargets")["targetInfos"] if t["type"] == "service_worker"]
    for number, target in enumerate(workers, start=1):
        session = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})["sessionId"]
        for method, params in (("Network.enable", {}), ("Network.emulateNetworkConditions", SLOW_3G)):
            message = json.dumps({"id": number * 10 + len(params), "method": method, "params": params})
            cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})
    return len(workers)


def _until(page, script: str, arg=None, what: str = "") -> object:
    """Polls `script` in the page until it answers something true (wait_for_function would evaluate a string, which
    the page's CSP refuses)."""
    for _ in range(TIMEOUT_MS // 100):
        answer = page.evaluate(script, arg)
        if answer:
            return answer
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out: {what}")


def _visits(browser, base: str, session: str, url: str) -> tuple[dict, dict]:
    context = browser.new_context(
        base_url=base, viewport=PHONE, is_mobile=True, has_touch=True, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    try:
        first = Visit(context, context.new_page()).go(url)
        page = context.pages[0]
        assert page.evaluate(WORKER_READY) == "activated"
        _until(page, KEPT, url, "the worker did not keep the page")
        page.close()
        assert _throttle_worker(browser) >= 1, "no service worker to throttle"
        page = context.new_page()
        visit = Visit(context, page)
        visit.cdp.send("Network.clearBrowserCache")  # only the worker's cache is left
        cached = visit.go(url)
        assert cached["controlled"], "the second visit was not served through the service worker"
        assert page.evaluate("document.body.hasAttribute('data-kk-kept')"), "the page was not drawn from the kept copy"
        cached["fresh"] = _until(page, FRESH, what="the worker did not tell the page the network's answer")
        assert cached["fresh"] == "same", f"the network's page differs from the kept copy: {cached['fresh']}"
        cached["from_worker"] = visit.from_worker
        return first, cached
    finally:
        context.close()


def measure(cast) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright

    inspector, url = _inspect_task(cast)
    client = Client()
    client.force_login(inspector)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with tempfile.TemporaryDirectory(prefix="kamkap-field-") as tmp:
        server, base = _server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                try:
                    runs = [_visits(browser, base, session, url) for _ in range(REPEATS)]
                finally:
                    browser.close()
        finally:
            stop(server)
    firsts, cacheds = [r[0] for r in runs], [r[1] for r in runs]

    def median(visits, key):
        return statistics.median(v[key] for v in visits)

    figures = {
        "field_first_kb": round(median(firsts, "kb")),
        "field_first_ms": round(median(firsts, "interactive")),
        "field_cached_ms": round(median(cacheds, "interactive")),
    }
    evidence = {
        "field page": f"{url} as {inspector.username}, 390×844, DevTools slow 3G (400 kbit/s, 400 ms RTT), CPU 4×; "
        f"median of {REPEATS} visits, each in a new browser context; gunicorn on the bench database, DEBUG off",
        "field first visit": f"{median(firsts, 'requests'):.0f} requests, {median(firsts, 'kb'):.0f} kB on the wire "
        f"(HTML {median(firsts, 'html') / 1024:.0f} kB body as sent), interactive "
        f"{median(firsts, 'interactive'):.0f} ms, load {median(firsts, 'load'):.0f} ms; all: "
        + ", ".join(f"{v['kb']:.0f} kB/{v['interactive']:.0f} ms" for v in firsts),
        "field cached visit": f"{median(cacheds, 'requests'):.0f} requests "
        f"({median(cacheds, 'from_worker'):.0f} answered by the service worker), "
        f"{median(cacheds, 'kb'):.0f} kB seen by the page, the page from the kept copy and the network's answer "
        f"the same ({', '.join(v['fresh'] for v in cacheds)}), interactive {median(cacheds, 'interactive'):.0f} ms, "
        f"load {median(cacheds, 'load'):.0f} ms; all: " + ", ".join(f"{v['interactive']:.0f} ms" for v in cacheds),
    }
    heaviest = sorted(firsts[0]["sizes"].items(), key=lambda kv: -kv[1])[:8]
    evidence["field first visit, heaviest"] = ", ".join(f"{path} {size / 1024:.0f} kB" for path, size in heaviest)
    return figures, evidence
