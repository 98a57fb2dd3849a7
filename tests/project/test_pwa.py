"""The installable app's three addresses (project/pwa.py): content types, no login needed, nothing from another host."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from project import pwa

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'`)]+")


def _code_without_comments(js: str) -> str:
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$", "", js)


def test_manifest_is_thai_json_with_reachable_icons(client):  # no login: the browser fetches it without cookies
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["lang"] == "th" and manifest["short_name"] == "กำกับ" and "Kamkap" in manifest["name"]
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#1a3a6b"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert not URL.match(icon["src"]), icon["src"]
        assert finders.find(icon["src"].removeprefix("/static/")), f"{icon['src']} is not a static file"


def test_png_icons_have_the_sizes_they_claim():
    from PIL import Image

    for icon in pwa.manifest()["icons"]:
        if icon["type"] == "image/png":
            with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_service_worker_is_javascript_at_the_root_with_the_precache_list(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    code = response.content.decode()
    assert "self.__WB_MANIFEST" not in code
    urls = {entry["url"] for entry in pwa.precache_entries()}
    assert {"/offline/", "/static/kamkap/kamkap.css", "/static/kamkap/pwa/icon-192.png"} <= urls
    assert "/static/kamkap/pwa/sw.js" not in urls
    for url in urls:
        assert json.dumps(url) in code


def test_service_worker_names_no_other_host(client):
    code = client.get("/sw.js").content.decode()

    assert URL.findall(_code_without_comments(code)) == []
    with open(finders.find(pwa.WORKER)) as built:
        assert URL.findall(_code_without_comments(built.read())) == []


def test_a_changed_static_file_gets_a_new_revision_without_a_rebuild(settings, tmp_path):
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("pwa-test", tmp_path)]
    style = tmp_path / "page.css"
    style.write_text("body { color: #1a3a6b; }")
    before = pwa._revision("pwa-test/page.css")

    style.write_text("body { color: #c9a227; margin: 0; }")

    assert pwa._revision("pwa-test/page.css") != before
    assert pwa._revision("kamkap/kamkap.css") == pwa._revision("kamkap/kamkap.css")


def test_offline_page_in_thai_without_login_and_without_inline_script_or_style(client):
    response = client.get("/offline/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "ไม่มีสัญญาณ" in html and "ลองอีกครั้ง" in html and 'lang="th"' in html
    assert "data-kk-retry" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), "inline style or handler"
    assert not URL.search(html)


def test_service_worker_and_manifest_refuse_posts(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405
