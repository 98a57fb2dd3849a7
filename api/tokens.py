"""The API's tokens: issued to a person (POST /api/v1/token/) or, in the admin, to a service account;
each carries scopes, lives API_TOKEN_DAYS (None: never) and can be revoked. Only the key's SHA-256 is
stored, so the key is shown once, when issued.

A token may do what its owner may (permissions/), within its scopes: `read` for every GET, and one
`<area>:write` per kind of write. A call outside them is a 403 `scope_missing` naming the scope. A
session (the pages' log-in) is not narrowed."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from .models import ApiToken

DEFAULT_TOKEN_DAYS = 30
READ = "read"
SCOPES = {
    READ: _("Read everything the owner may see (every GET)"),
    "factories:write": _("Register and update factories"),
    "selfreports:write": _("File self-reports"),
    "cases:write": _("Open inspection cases"),
    "tasks:write": _("Claim, draft and complete tasks, upload evidence"),
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopeMissing(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("This token's scopes do not include this call.")
    default_code = "scope_missing"


def token_days() -> int | None:
    return getattr(settings, "API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user, scopes, name: str = "") -> tuple[ApiToken, str]:
    """A new token of `user` with `scopes` (known ones only); returns it and its key, shown once."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scopes: {unknown}")
    key = secrets.token_hex(20)
    days = token_days()
    token = ApiToken.objects.create(
        digest=digest_of(key), prefix=key[:8], user=user, name=name[:100], scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days) if days is not None else None,
    )  # fmt: skip
    return token, key


def token_revoke(*, token: ApiToken, by) -> bool:
    """Revoke a token (from then on every call with it is a 401); False when it already was."""
    with transaction.atomic():
        return bool(
            ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
                revoked_at=timezone.now(), revoked_by=by
            )
        )


def usable(key: str) -> ApiToken | None:
    """The token of this key if it is neither revoked nor expired, with its owner."""
    token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    return token


def scope_needed(view, request) -> str | None:
    """The scope a call needs: `read` for a GET; the view's `write_scope` otherwise (None: no scope, e.g.
    revoking the token itself)."""
    if request.method in SAFE_METHODS:
        return READ
    return getattr(view, "write_scope", None)


def require_scope(view, request) -> None:
    token = request.auth
    if not isinstance(token, ApiToken):  # a session, or no credentials at all (public endpoints)
        return
    needed = scope_needed(view, request)
    if needed is not None and needed not in token.scopes:
        raise ScopeMissing(gettext("This token's scopes do not include %(scope)s.") % {"scope": needed})
