"""Idle timeout: a session expires SESSION_COOKIE_AGE after the person's last request.

Django's SESSION_SAVE_EVERY_REQUEST would do it with a session write on every request (on SQLite, a
write lock for every page); here the expiry is pushed forward at most once every RENEW_EVERY_S, so a
session may end up to that much before a full idle period."""

import time

from django.conf import settings

LAST_RENEWED = "_kamkap_renewed"
RENEW_EVERY_S = 60


def idle_timeout(get_response):
    """Middleware, just after SessionMiddleware: marks a live session modified when it is due to be
    renewed, so that SessionMiddleware saves it with a fresh expiry and sends the cookie again."""

    def middleware(request):
        response = get_response(request)
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return response  # no session to keep alive (health probes, first visits)
        session = request.session
        renewed = session.get(LAST_RENEWED, 0)
        if session.session_key is None or session.is_empty():
            return response  # expired, unknown or just logged out: nothing to renew
        now = int(time.time())
        if now - renewed >= RENEW_EVERY_S:
            session[LAST_RENEWED] = now
        return response

    return middleware
