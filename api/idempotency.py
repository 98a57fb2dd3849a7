"""`Idempotency-Key` on the API's creates and task actions (claim, complete, evidence). A caller that
sends one again with the same key and the same body and path (a retry after a timeout or a lost
answer) gets the first answer back — same status,
body and Location, with `Idempotent-Replayed: true` — and nothing is created again; the same key with
another body is a 422. Only a successful answer is kept: after a refusal (400, 403, 429…) the key is
free again, so the caller can correct the request and retry with it.

The key is taken in the same transaction as the create: a second request with the key waits for the
first to commit (the unique constraint), then replays its answer. Keys are kept IDEMPOTENCY_HOURS."""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from workflows.complaint.public import client_ip

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
IDEMPOTENCY_HOURS = getattr(settings, "API_IDEMPOTENCY_HOURS", 24)
KEY_PATTERN = r"^[!-~]{1,255}$"  # printable ASCII without spaces, e.g. a UUID

PARAMETER = OpenApiParameter(
    name=HEADER,
    type={"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A key of your choosing (e.g. a UUID) that makes retrying safe: the same key with the same body "
        f"within {IDEMPOTENCY_HOURS} hours returns the first answer and creates nothing; with another body, 422."
    ),
)


RESPONSES = {
    409: OpenApiResponse(description="A request with this Idempotency-Key is still being processed"),
    422: OpenApiResponse(description="This Idempotency-Key was already used with a different request"),
}


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request; use a new key.")
    default_code = "idempotency_key_reused"


class KeyInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed; try again shortly.")
    default_code = "idempotency_key_in_progress"


def checked_key(value: str) -> str:
    if not 1 <= len(value) <= 255 or not all("!" <= char <= "~" for char in value):
        raise ValidationError(
            {HEADER: [_("At most 255 printable characters without spaces (e.g. a UUID).")]}, code="invalid"
        )
    return value


def caller_of(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request)}"


def _describe(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def fingerprint_of(request, target: dict | None = None) -> str:
    """SHA-256 of the request's content: the JSON body, or the form fields and each file's content;
    with `target` (the object in the path, e.g. the task claimed), that too: one key on two tasks is
    two requests."""
    data = request.data
    if hasattr(data, "lists"):  # a form (QueryDict, files included)
        canonical = sorted((name, [_describe(v) for v in values]) for name, values in data.lists())
    else:
        canonical = data
    if target:
        canonical = {"target": target, "body": canonical}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.content_type.split(';')[0]}\n{text}".encode()).hexdigest()


def replay(earlier: IdempotencyKey, fingerprint: str) -> Response:
    if earlier.fingerprint != fingerprint:
        raise KeyReused
    if earlier.status is None:  # not committed with an answer: cannot be seen, but say so rather than guess
        raise KeyInProgress
    headers = {"Idempotent-Replayed": "true"}
    if earlier.location:
        headers["Location"] = earlier.location
    return Response(earlier.body, status=earlier.status, headers=headers)


def idempotent(endpoint: str):
    """Decorates an API view's create or action method (view, request, **path kwargs) → Response."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(view, request, *args, **kwargs):
            if HEADER not in request.headers:
                return method(view, request, *args, **kwargs)
            key = checked_key(request.headers[HEADER])
            who, fingerprint = caller_of(request), fingerprint_of(request, kwargs)
            with transaction.atomic():
                cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_HOURS)
                IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(
                            caller=who, endpoint=endpoint, key=key, fingerprint=fingerprint
                        )
                except IntegrityError:
                    return replay(IdempotencyKey.objects.get(caller=who, endpoint=endpoint, key=key), fingerprint)
                response = method(view, request, *args, **kwargs)  # a refusal raised here frees the key
                if not status.is_success(response.status_code):
                    record.delete()
                    return response
                record.status = response.status_code
                record.body = json.loads(JSONRenderer().render(response.data))
                record.location = response.headers.get("Location", "")[:500]
                record.save(update_fields=["status", "body", "location"])
                return response

        return wrapper

    return decorate
