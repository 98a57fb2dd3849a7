"""What an uploaded file is, judged by its content — never by the type or name the client sends —
and the random name it is stored under.

An image is accepted only when Pillow decodes it as JPEG, PNG or WebP (an SVG or an HTML page sent as
`image/png` is refused: rendered into a PDF it could make WeasyPrint read other files); a PDF only when
it begins as one. Stored files get random names, so one case's file name tells nothing of another's."""

from uuid import uuid4

from django.utils import timezone
from django.utils.deconstruct import deconstructible
from PIL import Image, UnidentifiedImageError

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGES = frozenset({JPEG, PNG, WEBP})
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}


def content_type_of(upload, allowed: frozenset[str] | set[str]) -> str | None:
    """The type `upload` really is, when it is one of `allowed`; None otherwise. Leaves the file at 0."""
    try:
        upload.seek(0)
        if PDF in allowed and upload.read(5) == b"%PDF-":
            return PDF
        upload.seek(0)
        with Image.open(upload, formats=list(PILLOW_FORMATS)) as image:
            kind = PILLOW_FORMATS.get(image.format)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return kind if kind in allowed else None


@deconstructible
class RandomName:
    """`upload_to` of a file field: `<folder>/<year>/<month>/<random hex><extension of the content type>`;
    the model's `content_type` is set (by content_type_of) before the file is saved."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = EXTENSIONS.get(getattr(instance, "content_type", ""), "")
        return f"{self.folder}/{timezone.localdate():%Y/%m}/{uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder
