"""The public verify page (no login) of an issued document: /verify/<reference>/ says whether a document
with that reference was issued, by which office, on which date, whether it is still in force, and its
SHA-256; a PDF uploaded there is checked against the issued one (same SHA-256: the very file the
office signed). Nothing about the case, the factory or any person is shown, and an upload is
compared with this reference's document only. Uploads are limited in size and per address."""

import hashlib
import re

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.complaint.public import client_ip

from .issued import public_document
from .models.issued import REFERENCE_ALPHABET, DocumentStatus

REFERENCE = re.compile(rf"KK(-[{REFERENCE_ALPHABET}]{{4}}){{3}}")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an order letter is well under 1 MB
CHECKS_PER_HOUR = 30  # uploads checked per address and hour
RATE_SECONDS = 3600


def _rate_key(request) -> str:
    return f"verify-upload:{client_ip(request) or 'unknown'}"


def _allowed(request) -> bool:
    """Counts this upload against the address's hourly allowance (the shared cache: Redis in
    production, so every worker counts together)."""
    key = _rate_key(request)
    cache.add(key, 0, RATE_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_SECONDS)
        count = 1
    return count <= CHECKS_PER_HOUR


def _check_upload(request, document) -> dict:
    upload = request.FILES.get("document")
    if upload is None:
        return {"error": _("Choose the PDF file to check.")}
    if upload.size > MAX_UPLOAD_BYTES:
        return {"error": _("The file is larger than %(mb)s MB: it is not a document issued here.") % {"mb": 10}}
    if not _allowed(request):
        return {"error": _("Too many files checked from this address; please try again in an hour.")}
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return {"checked": True, "matches": digest.hexdigest() == document.sha256, "uploaded_sha256": digest.hexdigest()}


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request, reference: str):
    reference = reference.strip().upper()
    document = public_document(reference) if REFERENCE.fullmatch(reference) else None
    if document is None:
        return render(request, "inspection/verify_unknown.html", {"reference": reference[:40]}, status=404)
    result = _check_upload(request, document) if request.method == "POST" else {}
    status = 400 if result.get("error") else 200
    context = {"document": document, "status_label": DocumentStatus(document.status).label, **result}
    return render(request, "inspection/verify.html", context, status=status)


urlpatterns = [path("verify/<str:reference>/", verify, name="verify")]
