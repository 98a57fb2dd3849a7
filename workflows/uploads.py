"""What an uploaded file is, judged by its content — never by the type or name the client sends —
and the random name it is stored under.

An image is accepted only when Pillow decodes it as JPEG, PNG or WebP (an SVG or an HTML page sent as
`image/png` is refused: rendered into a PDF it could make WeasyPrint read other files); a PDF only when
it begins as one. Stored files get random names, so one case's file name tells nothing of another's."""

import logging
import re
from pathlib import PurePosixPath
from uuid import uuid4

from django.core.files import File
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from PIL import Image, UnidentifiedImageError

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGES = frozenset({JPEG, PNG, WEBP})
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}

logger = logging.getLogger(__name__)


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


RANDOM_BASENAME = re.compile(r"[0-9a-f]{32}(\.[a-z]+)?")


def rename_stored_files(model, field_name: str = "file", *, using: str = "default", batch_size: int = 200) -> int:
    """Move every stored file of `model.<field_name>` whose name is not yet random to the name the field's
    `upload_to` (a RandomName) gives it, keeping its content; returns how many were moved.

    For data migrations (`model` may be a historical model). Each row is done on its own — copy, point
    the row at the copy, delete the old file — so a run stopped half-way leaves every row pointing at a
    file that exists (at worst an orphan copy) and can simply be run again. A file missing from storage
    is skipped (logged), and a name already random is left alone, so a second run moves nothing."""
    field = model._meta.get_field(field_name)
    storage = field.storage
    rows = model._default_manager.using(using).order_by("pk")
    moved, last_pk = 0, None
    while True:
        batch = rows.filter(pk__gt=last_pk) if last_pk is not None else rows
        batch = list(batch[:batch_size])
        if not batch:
            return moved
        last_pk = batch[-1].pk
        for row in batch:
            old = getattr(row, field_name).name
            if not old or RANDOM_BASENAME.fullmatch(PurePosixPath(old).name):
                continue
            if not storage.exists(old):
                logger.warning("%s %s: stored file %s is missing, not renamed", model.__name__, row.pk, old)
                continue
            with storage.open(old, "rb") as content:
                new = storage.save(field.generate_filename(row, old), File(content, name=old))
            model._default_manager.using(using).filter(pk=row.pk).update(**{field_name: new})
            storage.delete(old)
            moved += 1


def served(stored, content_type: str, filename: str | None = None) -> FileResponse:
    """A stored upload as the answer, once its reader's access was checked; a file missing from the
    media (a database restored without them) is a 404, not a 500."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type=content_type, filename=filename or "")
