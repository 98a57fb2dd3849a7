"""The offline inspections' page (project/offline.py): a shell without anyone's data, precached by the worker, its
scripts ours (idb bundled, nothing from another host); the page's API calls go with the session cookie and the
CSRF token, which the API checks (tests/api/test_session_csrf.py)."""

import hashlib
import re

import pytest
from django.contrib.staticfiles import finders

from project import offline, pwa

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'`)]+")
XML_NAMESPACES = re.compile(r"http://www\.w3\.org/(2000/svg|1999/xlink)")
SCRIPTS = (
    "kamkap/js/offline/idb.js",
    "kamkap/js/evidence.js",  # pica and signature_pad: photos resized, signatures drawn (issue 16, item 4)
    "kamkap/js/offline/store.js",
    "kamkap/js/offline/app.js",
)


def test_the_shell_is_the_same_for_everyone_and_csp_clean(client, songkhla_inspector):
    anonymous = client.get("/offline/inspections/")
    client.force_login(songkhla_inspector)
    logged_in = client.get("/offline/inspections/")

    assert anonymous.status_code == logged_in.status_code == 200
    assert anonymous.content == logged_in.content  # no person's data: what the worker precaches is for anyone
    assert songkhla_inspector.username.encode() not in logged_in.content
    assert "csrftoken" in logged_in.cookies  # the cookie the page's posts send back as X-CSRFToken
    html = logged_in.content.decode()
    assert "เก็บไว้ใช้แบบออฟไลน์" in html  # Thai by default
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "an inline script"
    assert not re.search(r"\sstyle=|\son[a-z]+=", html), "an inline style or handler"
    for src in re.findall(r'<script src="/static/([^"]+)"', html):
        assert src in SCRIPTS


def test_the_shell_and_its_scripts_are_precached():
    entries = {entry["url"]: entry["revision"] for entry in pwa.precache_entries()}
    shell = hashlib.md5(offline.shell().encode(), usedforsecurity=False).hexdigest()
    assert entries["/offline/inspections/"] == shell
    for script in (*SCRIPTS, "kamkap/offline/offline-inspections.css"):
        assert f"/static/{script}" in entries


def test_the_scripts_name_no_other_host():
    for script in SCRIPTS:
        code = open(finders.find(script), encoding="utf-8").read()
        code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
        code = re.sub(r"(?m)^\s*//.*$", "", code)
        code = XML_NAMESPACES.sub("", code)  # names, never fetched (signature_pad's SVG export)
        assert not URL.findall(code), script


def test_who_is_logged_in(client, songkhla_inspector):
    assert client.get("/offline/inspections/who/").json() == {"who": ""}
    client.force_login(songkhla_inspector)
    response = client.get("/offline/inspections/who/")
    assert response.json() == {"who": str(songkhla_inspector.pk)}
    assert "no-cache" in response["Cache-Control"]
