"""The one PDF renderer (STYLE 10): a Django template → HTML → PDF with WeasyPrint.

Official documents are Thai: the template is rendered in Thai whatever the reader's UI language,
in the Sarabun faces of the installed `fontpkg_sarabun` package (as pdf_fonts derives them, so that
text copied out of the PDF is the Thai as typed), declared here so a template only
says `font-family: "Sarabun"` and names no system font (tests check that only Sarabun is embedded).
Nothing is fetched from the network: the URL fetcher serves file:// URLs of the font package and
of the stored files the document's own context names in `embeds` (its case's evidence photos, by
their names under MEDIA_ROOT) and refuses everything else, so no file's content can make the
renderer read another case's files.

What a rendering need not pay again (issue 20, from a profile of the standard report): the faces are
loaded once per thread (`_fonts`: a WeasyPrint FontConfiguration loads fontconfig's configuration and
copies the four faces into a temporary folder, per document when made per document; a Pango font map
is not shared between threads), and an image larger than the page needs is scaled down once per
process (`prescaled`: an emblem or a photo without a thumbnail is not decoded and resampled by every
rendering). Fonts are subset by WeasyPrint (HarfBuzz) to the glyphs used. What remains is WeasyPrint's
style cascade, layout and drawing of the pages, which grows with the document; a signed document is
rendered once, when it is issued, and served as stored after (workflows.inspection.issued)."""

import mimetypes
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import fontpkg_sarabun
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from workflows import pdf_fonts

FONT_DIR = fontpkg_sarabun.ROOT / "files"
FONT_FACES = (  # (weight, style, file)
    ("normal", "normal", "Sarabun-Regular.ttf"),
    ("bold", "normal", "Sarabun-Bold.ttf"),
    ("normal", "italic", "Sarabun-Italic.ttf"),
    ("bold", "italic", "Sarabun-BoldItalic.ttf"),
)
LANGUAGE = "th"
SPELLED_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")  # ํ (tone) า: ำ typed as two characters
IMAGE_DPI = 150  # evidence photos are downsampled to this: thumbnails stay small
PRESCALE_PX = 1200  # an image's longest side beyond this is scaled down before WeasyPrint sees it (20 cm at 150 dpi)
PRESCALED = ("image/png", "image/jpeg")
_local = threading.local()


class FetchRefused(ValueError):
    """The document asked for something other than a local font or media file."""


class LocalFileFetcher(URLFetcher):
    """Serves file:// URLs under the font package and the stored files named in `embeds` (names
    under MEDIA_ROOT); refuses every other URL, so a rendering never opens a network connection
    nor reads any other file."""

    def __init__(self, embeds: Iterable[str] = ()):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)  # fetch() below is the gate
        media = Path(settings.MEDIA_ROOT).resolve()
        self.font_dirs = (FONT_DIR.resolve(), faces_dir().resolve())
        self.files = frozenset((media / name).resolve() for name in embeds)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"Only local files are embedded in a PDF, not {url[:200]}")
        path = Path(url2pathname(parts.path)).resolve()
        fonts = any(path.is_relative_to(folder) for folder in self.font_dirs)
        if not (fonts or path in self.files) or not path.is_file():
            raise FetchRefused(f"Not a font nor a file of this document: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        stat = path.stat()
        scaled = prescaled(path, stat.st_mtime_ns, stat.st_size) if content_type in PRESCALED else None
        if scaled is not None:
            data, content_type = scaled
        else:
            data = path.read_bytes()
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": content_type})


@lru_cache(maxsize=64)
def prescaled(path: Path, mtime_ns: int, size: int) -> tuple[bytes, str] | None:
    """The image at `path` with its longest side at most PRESCALE_PX, and its type; None when it is
    smaller or unreadable (the file is then read as it is: the cache never holds a file's own bytes,
    up to the evidence limit of 10 MB each, only images scaled to PRESCALE_PX); cached per process for
    the file as it is (its time and size in the key)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if max(image.size) <= PRESCALE_PX:
                return None
            image.thumbnail((PRESCALE_PX, PRESCALE_PX), Image.Resampling.LANCZOS)
            out = BytesIO()
            if image.format == "JPEG" or image.mode == "RGB":
                image.convert("RGB").save(out, "JPEG", quality=88)
                return out.getvalue(), "image/jpeg"
            image.save(out, "PNG", optimize=False)
            return out.getvalue(), "image/png"
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _font_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(faces_dir() / name).as_uri()}") format("truetype"); }}'
        for weight, style, name in FONT_FACES
    )


def thai_as_typed(text: str) -> str:
    """NFC, and ำ typed as NIKHAHIT + SARA AA (as text copied out of older PDFs reads) written as the
    one character it is, so the document's text can be searched and copied as Thai is typed."""
    return SPELLED_SARA_AM.sub("\\1\u0e33", unicodedata.normalize("NFC", text))


def faces_dir() -> Path:
    """The Sarabun faces embedded in PDFs (workflows.pdf_fonts: ำ copies out of the PDF as ำ)."""
    return pdf_fonts.font_dir(FONT_DIR, tuple(name for _weight, _style, name in FONT_FACES))


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (under templates/pdf/) with `context` to PDF bytes; `context["embeds"]`
    names the stored files (under MEDIA_ROOT) the document may show, and no others."""
    with translation.override(LANGUAGE):
        html = thai_as_typed(render_to_string(template_name, context))
    fetcher = LocalFileFetcher(context.get("embeds", ()))
    fonts, stylesheet = _fonts()
    media_base = Path(settings.MEDIA_ROOT).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=media_base, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts, dpi=IMAGE_DPI, jpeg_quality=85)


def _fonts() -> tuple[FontConfiguration, CSS]:
    """This thread's font configuration with the Sarabun faces loaded, and their @font-face sheet."""
    found = getattr(_local, "fonts", None)
    if found is None:
        config = FontConfiguration()
        found = _local.fonts = (config, CSS(string=_font_css(), font_config=config, url_fetcher=LocalFileFetcher()))
    return found


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF shown in the browser (inline), under an ASCII-only file name."""
    stem = filename[:-4] if filename.lower().endswith(".pdf") else filename
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "document"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{safe}.pdf"'
    response["Cache-Control"] = "private"
    return response
