"""The one shape of every API error, whatever refused the request (authentication, permission, a bad
field, a domain rule, a throttle, an unknown path):

    {"code": "task_taken", "message": "…", "fields": {"decision": ["…"], "values.bod": ["…"]}}

`code` is for machines (stable, English, snake_case); `message` for people, in Thai unless the request
asks for English (`Accept-Language: en`, or the language cookie); `fields` names each field or query
parameter that was wrong with its messages (a nested value by a dotted path), empty when the refusal
concerns the whole request. DRF's exception handler makes it (settings: api.base.exception_handler),
so a view only raises: a DRF exception, one of the conflicts below, or a service's DomainError."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from org.errors import DomainError
from registry.errors import RegistryError

# Codes a client may meet, for the schema's description (DRF's own, then ours); English, like the codes.
CODES = {
    "invalid": "A field or query parameter is wrong (see fields); nothing was changed",
    "parse_error": "The body could not be read (e.g. malformed JSON)",
    "unsupported_media_type": "The body is in an encoding this operation does not take",
    "not_authenticated": "No credentials were sent",
    "authentication_failed": "The credentials are wrong or the token has expired",
    "permission_denied": "Not allowed to do this",
    "not_your_duty": "The step's duty does not let you hold or complete this task",
    "not_found": "No such object open to you, no such page or no such path",
    "method_not_allowed": "This path does not take this method",
    "task_taken": "Someone else holds the task",
    "task_closed": "The task is no longer open (completed or cancelled)",
    "task_unclaimed": "The task is in the queue: claim it first",
    "task_busy": "Someone else is acting on the task right now; try again",
    "idempotency_key_in_progress": "A request with this Idempotency-Key is still being processed",
    "idempotency_key_reused": "This Idempotency-Key was already used with a different request",
    "throttled": "Too many requests; try again later",
    "too_large": "The body is larger than the server takes; send fewer or smaller files at a time",
    "document_pending": "The signed document is not ready: the time-stamp service does not answer; try again later",
}


class NotYourDuty(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("This step is not yours to hold: its duty does not let you take or complete it.")
    default_code = "not_your_duty"


class TaskTaken(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else holds this task.")
    default_code = "task_taken"


class TaskClosed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This task is no longer open: it was completed or cancelled.")
    default_code = "task_closed"


class TaskUnclaimed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This task is in the office queue: claim it first.")
    default_code = "task_unclaimed"


class TaskBusy(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else is acting on this task right now. Please try again.")
    default_code = "task_busy"


def field_errors(exc: DomainError, *, nested: str | None = None, known: frozenset[str] = frozenset()) -> dict:
    """{field: [message]} of a domain error. With `nested`, fields not in `known` (e.g. the figures
    of a self-report) go under that key, the way the request carried them."""
    if isinstance(exc, RegistryError):
        errors = exc.errors
    else:
        errors = {exc.field or api_settings.NON_FIELD_ERRORS_KEY: exc.message}
    found: dict = {}
    for field, message in errors.items():
        if nested and field not in known and field != api_settings.NON_FIELD_ERRORS_KEY:
            found.setdefault(nested, {})[field] = [str(message)]
        else:
            found[field] = [str(message)]
    return found


def flattened(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {dotted path: [messages]} (`values.bod`, `photos.0`)."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            found.update(flattened(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        found = {}
        for index, value in enumerate(detail):
            if value:
                found.update(flattened(value, f"{prefix}.{index}" if prefix else str(index)))
        return found
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}


def body(code: str, message, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


class DocumentPending(APIException):
    """A signed document asked for while the time-stamp authority does not answer (the page's 503,
    workflows.inspection.pdfs.not_signed_yet): never an unsigned copy in its place."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "The document is signed electronically with a time-stamp, and the time-stamp service does not answer at "
        "the moment. The system keeps trying on its own; please download the document again in a few minutes."
    )
    default_code = "document_pending"

    def __init__(self, wait: int):
        super().__init__()
        self.wait = wait  # Retry-After (DRF's handler sets it from `wait`)


def shaped(exc: APIException) -> dict:
    if isinstance(exc, ValidationError):
        fields = flattened(exc.detail)
        whole = fields.get(api_settings.NON_FIELD_ERRORS_KEY)
        return body("invalid", whole[0] if whole else gettext("Some of what was sent is not valid."), fields)
    detail = exc.detail
    code = detail.code if isinstance(detail, ErrorDetail) and detail.code else exc.default_code
    return body(code, detail if isinstance(detail, str) else exc.default_detail)


def exception_handler(exc, context):
    """DRF's handler (its status and headers: WWW-Authenticate, Retry-After) with the body in the one
    shape; a DomainError a view did not handle is a 400 with its field, Django's Http404 and
    PermissionDenied DRF's own (with their translated message, not the internal one they carry)."""
    if isinstance(exc, DomainError):
        exc = ValidationError(field_errors(exc))
    elif isinstance(exc, Http404):
        exc = NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = shaped(exc)
    return response


def not_found_response() -> JsonResponse:
    return JsonResponse(body("not_found", NotFound.default_detail), status=status.HTTP_404_NOT_FOUND)
