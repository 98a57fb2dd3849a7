"""The public verify page (no login) of an issued document: /verify/<reference>/ says whether a document
with that reference was issued, what kind of document, by which office, on which date, and whether it is
still in force (superseded, revoked: issued.status; a revoked one says when, from the revocation's audit
entry, but neither who revoked it, a person, nor why, free text that may name the factory or a person:
the holder asks the issuing office, which the page names). A PDF uploaded there is checked twice: its
SHA-256 against the issued file's (the very file the office signed), and its electronic signature
against the ministry's CA (workflows.signing.validate_pdf), so the page can say whether a copy that
differs was altered after signing, or is another signed document, or is not signed at all. Nothing about
the case, the factory or any person is shown, and an upload is compared with this reference's document
only. Uploads are limited in size and per address."""

import hashlib
import math
import re

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from workflows import signing
from workflows.complaint.public import client_ip

from .issued import public_document, revocation, status
from .models.issued import REFERENCE_ALPHABET, DocumentKind, DocumentStatus

REFERENCE = re.compile(rf"KK(-[{REFERENCE_ALPHABET}]{{4}}){{3}}")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an order letter is well under 1 MB
# A copy of the issued file (genuine, or altered: an annotation, an added page) is about its size; a file
# far larger is not it, and is not parsed: pyHanko's reader spends about 2 s of CPU per MB of a file
# dense with objects (an AcroForm of a million fields: 18 s for 8 MB), a cost anyone could make us pay.
SIZE_SLACK_BYTES = 1024 * 1024
FORM_BYTES = 64 * 1024  # the form around the file (its fields, the multipart headers), at most
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


def upload_limit(document) -> int:
    """The largest file compared with `document`: its issued file's size and SIZE_SLACK_BYTES, at most
    MAX_UPLOAD_BYTES."""
    try:
        size = document.file.size
    except OSError:  # the stored file is missing: the general limit
        return MAX_UPLOAD_BYTES
    return min(MAX_UPLOAD_BYTES, size + SIZE_SLACK_BYTES)


def _too_large(limit: int) -> dict:
    mb = f"{math.ceil(limit * 10 / 2**20) / 10:.1f}".removesuffix(".0")  # rounded up: 1.1, 10
    return {"error": _("The file is larger than %(mb)s MB: it is not a document issued here.") % {"mb": mb}}


def _declared_too_large(request, limit: int) -> bool:
    """The request says it is larger than a file within the limit and its form (WSGI reads no more
    than the declared length, so this bounds what the server ever reads)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit + FORM_BYTES


def _check_upload(request, document, limit: int) -> dict:
    refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
    if refused is not None:  # checked here, after the size (see verify)
        return {"refused": refused}
    upload = request.FILES.get("document")
    if upload is None:
        return {"error": _("Choose the PDF file to check.")}
    if upload.size > limit:
        return _too_large(limit)
    if not _allowed(request):
        return {"error": _("Too many files checked from this address; please try again in an hour.")}
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    try:
        validation = signing.validate_pdf(data)
    except OSError:  # the CA certificate is not there: the hash still answers
        validation = signing.Validation(False, False, False)
    if digest == document.sha256:
        verdict = "genuine"
    elif validation.signed and not validation.intact:
        verdict = "altered"  # signed, and changed after signing
    elif validation.valid:
        verdict = "other"  # a whole, signed document, but not this one
    else:
        verdict = "unsigned"
    return {
        "checked": True,
        "matches": verdict == "genuine",
        "verdict": verdict,
        "signature_valid": validation.valid,
        "timestamped_at": validation.timestamped_at if validation.valid else None,  # PAdES B-T: the authority's time
        "uploaded_sha256": digest,
    }


@login_not_required
@csrf_exempt  # the middleware would read the whole upload for its token before the size is known: checked after
@require_http_methods(["GET", "POST"])
def verify(request, reference: str):
    reference = reference.strip().upper()
    document = public_document(reference) if REFERENCE.fullmatch(reference) else None
    if document is None:
        return render(request, "inspection/verify_unknown.html", {"reference": reference[:40]}, status=404)
    result = {}
    if request.method == "POST":
        limit = upload_limit(document)
        if _declared_too_large(request, limit):
            result = _too_large(limit)  # before anything reads the body
        else:
            result = _check_upload(request, document, limit)
            if "refused" in result:
                return result["refused"]
    revoked = revocation(document)
    state = status(document, revoked)
    context = {
        "document": document,
        "status": state,
        "status_label": DocumentStatus(state).label,
        "kind_label": DocumentKind(document.kind).label,
        "revoked": revoked,
        **result,
    }
    return render(request, "inspection/verify.html", context, status=400 if result.get("error") else 200)


urlpatterns = [path("verify/<str:reference>/", verify, name="verify")]
