"""The Content Security Policy (project/settings.py, django-csp) is sent with ordinary pages, and our
templates give it nothing to block: no inline script, on*= handler, style= attribute, <style> block or
javascript: URL (the PDF templates, which WeasyPrint renders and no browser, are exempt). The one <style>
we render, the flow diagram's (templates/viewflow/workflow/graph.svg), is allowed by its hash: the hash
in the policy is computed here from the template, so an edit to the diagram's styles fails this test
until the policy follows. tests/e2e/test_csp.py checks the pages in a real browser."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
GRAPH = TEMPLATES / "viewflow" / "workflow" / "graph.svg"
UPSTREAM_GRAPH = Path(__import__("viewflow").__file__).parent / "templates" / "viewflow" / "workflow" / "graph.svg"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_an_ordinary_page_carries_the_policy(client, songkhla_head):
    anonymous = policy(client.get("/accounts/login/"))
    client.force_login(songkhla_head)
    response = client.get("/inspection/inbox/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives == anonymous
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"][0] == "'self'" and all(
        value.startswith("'sha256-") for value in directives["style-src"][1:]
    )
    assert directives["img-src"] == ["'self'", "data:"]
    for name in ["font-src", "connect-src", "form-action", "base-uri"]:
        assert directives[name] == ["'self'"], name
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "nonce-" not in header


def test_the_api_docs_and_the_public_complaint_form_carry_it_too(client, db):
    for path in ["/api/v1/docs/", "/complaint/new/"]:
        assert policy(client.get(path))["script-src"] == ["'self'"], path


def _markup(path: Path) -> str:
    text = path.read_text()
    text = re.sub(r"{% comment %}.*?{% endcomment %}", "", text, flags=re.S)
    return re.sub(r"{#.*?#}", "", text, flags=re.S)


INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "an on*= handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "a style= attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "a <style> block": re.compile(r"<style[\s>]", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".svg"} or "pdf" in path.relative_to(TEMPLATES).parts[:1]:
            continue
        markup = _markup(path)
        if path == GRAPH:  # its <style> is allowed by hash (below); nothing else inline
            markup = re.sub(r"<style type=\"text/css\">.*?</style>", "", markup, flags=re.S)
        for what, pattern in INLINE.items():
            for match in pattern.finditer(markup):
                line = markup.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_flow_diagram_style_is_allowed_by_its_hash():
    style = re.search(r"<style type=\"text/css\">(.*?)</style>", GRAPH.read_text(), re.S).group(1)
    text = style.replace("<![CDATA[", "").replace("]]>", "")  # what the browser hashes: the text content
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


# Viewflow 2.4.0's graph.svg, which ours was adapted from: an upgrade of Viewflow that changes its diagram fails here,
# so that our copy is compared with the new one and follows it.
UPSTREAM_GRAPH_SHA256 = "78f853f3be4b15b69788b135149b4453ead77404676cd725eb394ba4d6e1ad75"


def test_our_flow_diagram_follows_viewflows():
    """Our copy is Viewflow's with: pointer-events="none" for style="pointer-events: none" (an attribute the policy
    allows), its own size instead of 100% (it scrolls in its box on a phone, its labels keep their size), the labels
    in Sarabun at 14-15 px instead of Arial at 11-12 px, a task's title in an HTML box (the browser breaks Thai lines
    between words) and the If gateway's yes/no translated (tests/workflows/test_flow_diagram.py)."""
    assert hashlib.sha256(UPSTREAM_GRAPH.read_bytes()).hexdigest() == UPSTREAM_GRAPH_SHA256
    ours = GRAPH.read_text()
    assert 'pointer-events="none"' in ours and "style=" not in ours and "Arial" not in ours
