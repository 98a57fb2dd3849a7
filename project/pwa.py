"""The installable app (issue 16): the web manifest, the service worker at the root scope, the offline page.

/manifest.webmanifest  the app in Thai (name, icons, colours of the site), application/manifest+json.
/sw.js                 the service worker that `make pwa` builds with Workbox (project/serviceworker/) into
                       static/kamkap/pwa/sw.js, served from the root so that its scope is the whole site, with
                       the precache list put in place of self.__WB_MANIFEST: each file's URL and the MD5 of its
                       content now, so a changed stylesheet is fetched again without rebuilding the worker.
/offline/              what the worker shows for a page when there is no network and no kept copy.
(/offline/inspections/ the offline inspections' page, project/offline.py, is precached with the offline page.)

All three are the same for everyone (no person's data), so they are reachable without logging in.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from project import offline as offline_inspections

THEME_COLOR = "#1a3a6b"  # --mdc-theme-primary (project/urls.py site, kamkap.css)
BACKGROUND_COLOR = "#ffffff"
WORKER = "kamkap/pwa/sw.js"
OFFLINE_TEMPLATE = "kamkap/offline.html"

# What every page loads (Viewflow's shell, our styles and scripts, the fonts they name, the icons), kept on the
# device so that a kept page and the offline page draw as they do online. Each of our own files under kamkap/
# is added (PRECACHE_OWN); the worker keeps other /static/ files as they are first fetched.
PRECACHE_VENDOR = (
    "viewflow/fonts/roboto/roboto-fontface.css",
    "viewflow/fonts/roboto/Roboto-Regular.woff2",
    "viewflow/fonts/roboto/Roboto-Medium.woff2",
    "viewflow/fonts/roboto/Roboto-Bold.woff2",
    "viewflow/fonts/material-icons/material-icons.css",
    "viewflow/fonts/material-icons/material-icons.woff2",
    "viewflow/css/viewflow.min.css",
    "viewflow/css/perfect-scrollbar.css",
    "viewflow/js/turbo.es2017-umd.js",
    "viewflow/js/perfect-scrollbar.min.js",
    "viewflow/js/viewflow.min.js",
    "viewflow/img/favicon.png",
    "sarabun/Sarabun-Regular.ttf",
    "sarabun/Sarabun-Medium.ttf",
    "sarabun/Sarabun-Bold.ttf",
)
PRECACHE_OWN = "kamkap"
PRECACHE_SUFFIXES = (".css", ".js", ".png", ".svg", ".woff2", ".ttf")


def manifest() -> dict:
    return {
        "id": "/",
        "name": "กำกับ (Kamkap) — ระบบกำกับดูแลโรงงาน",
        "short_name": "กำกับ",
        "description": "ตรวจโรงงาน เรื่องร้องเรียน รายงานของโรงงาน และติดตามโครงการของสำนักงานอุตสาหกรรมจังหวัด",
        "lang": "th",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["business", "productivity"],
        "icons": [
            {"src": static("kamkap/pwa/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("kamkap/pwa/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("kamkap/pwa/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("kamkap/pwa/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }


@lru_cache(maxsize=512)
def _md5(file: str, mtime_ns: int, size: int) -> str:  # keyed by mtime and size: read again once changed
    return hashlib.md5(Path(file).read_bytes(), usedforsecurity=False).hexdigest()


def _revision(static_path: str) -> str:
    found = finders.find(static_path)
    if not found:
        raise FileNotFoundError(f"the service worker precaches {static_path}, which no static finder has")
    stat = Path(found).stat()
    return _md5(found, stat.st_mtime_ns, stat.st_size)


def _own_static() -> list[str]:
    root = Path(settings.BASE_DIR) / "templates" / "static"
    return sorted(
        file.relative_to(root).as_posix()
        for file in (root / PRECACHE_OWN).rglob("*")
        if file.is_file() and file.suffix in PRECACHE_SUFFIXES and file.relative_to(root).as_posix() != WORKER
    )


def precache_entries() -> list[dict]:
    """Workbox's precache list: {url, revision} for each static file and the offline page (in this language)."""
    entries = [{"url": static(name), "revision": _revision(name)} for name in (*PRECACHE_VENDOR, *_own_static())]
    offline = render_to_string(OFFLINE_TEMPLATE, {"language": get_language()}).encode()
    entries.append({"url": reverse("pwa-offline"), "revision": hashlib.md5(offline, usedforsecurity=False).hexdigest()})
    inspections = offline_inspections.shell(get_language()).encode()  # the offline inspections' page (no data)
    entries.append(
        {"url": reverse("offline-inspections"), "revision": hashlib.md5(inspections, usedforsecurity=False).hexdigest()}
    )
    return entries


@login_not_required
@require_safe
@cache_control(no_cache=True, max_age=0)
def manifest_view(request):
    body = json.dumps(manifest(), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/manifest+json; charset=utf-8")


@login_not_required
@require_safe
@never_cache
def service_worker(request):
    source = Path(finders.find(WORKER)).read_text()
    code = source.replace("self.__WB_MANIFEST", json.dumps(precache_entries(), separators=(",", ":")), 1)
    response = HttpResponse(code, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_safe
@never_cache
def offline(request):
    return HttpResponse(render_to_string(OFFLINE_TEMPLATE, {"language": get_language()}, request=None))


urlpatterns = [
    path("manifest.webmanifest", manifest_view, name="pwa-manifest"),
    path("sw.js", service_worker, name="pwa-service-worker"),
    path("offline/", offline, name="pwa-offline"),
]
