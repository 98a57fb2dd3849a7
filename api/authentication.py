"""API tokens that expire: a token older than API_TOKEN_DAYS (a setting, 30 days unless set; None:
never) is refused with 401, and POST /api/v1/token/ then issues a new key in place of the old one."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

DEFAULT_TOKEN_DAYS = 30


def token_days() -> int | None:
    return getattr(settings, "API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS)


def is_expired(token) -> bool:
    days = token_days()
    return days is not None and token.created < timezone.now() - timedelta(days=days)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` as DRF reads it, refused once the token is older than API_TOKEN_DAYS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise AuthenticationFailed(_("This token has expired; ask POST /api/v1/token/ for a new one."))
        return user, token
