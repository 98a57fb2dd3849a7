"""`Authorization: Token <key>`: an API token (api.tokens) that is neither expired nor revoked, of an
active person. Keys issued before scoped tokens (DRF's authtoken, one per person) still work, with
every scope, until they are API_TOKEN_DAYS old; no new ones are issued."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from . import tokens
from .tokens import token_days


def is_expired(token: Token) -> bool:
    """A legacy (DRF) token older than API_TOKEN_DAYS."""
    days = token_days()
    return days is not None and token.created < timezone.now() - timedelta(days=days)


EXPIRED = _("This token has expired; ask POST /api/v1/token/ for a new one.")
REVOKED = _("This token was revoked; ask POST /api/v1/token/ for a new one.")


class ExpiringTokenAuthentication(TokenAuthentication):
    """A scoped API token; failing that a legacy key still in its lifetime; else a 401."""

    def authenticate_credentials(self, key):
        token = tokens.usable(key)
        if token is not None:
            if not token.user.is_active:
                raise AuthenticationFailed(_("User inactive or deleted."))
            return token.user, token
        known = tokens.ApiToken.objects.filter(digest=tokens.digest_of(key)).values_list("revoked_at", flat=True)
        for revoked_at in known:
            raise AuthenticationFailed(REVOKED if revoked_at else EXPIRED)
        user, legacy = super().authenticate_credentials(key)
        if is_expired(legacy):
            raise AuthenticationFailed(EXPIRED)
        return user, legacy
