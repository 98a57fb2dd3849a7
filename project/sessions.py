"""Idle timeout: a session expires SESSION_COOKIE_AGE after the person's last request.

Django's SESSION_SAVE_EVERY_REQUEST would do it with a session write on every request (on SQLite, a
write lock for every page); here the expiry is pushed forward at most once every RENEW_EVERY_S, so a
session may end up to that much before a full idle period. The session store (SESSION_ENGINE) notes
in the session when it was last saved, that is when its expiry was last set: at log-in, at any change,
at a renewal."""

import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

LAST_RENEWED = "_kamkap_renewed"
RENEW_EVERY_S = 60


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, each save stamped with its time."""

    def save(self, must_create=False):
        self._get_session(no_load=must_create)[LAST_RENEWED] = int(time.time())
        super().save(must_create=must_create)


def idle_timeout(get_response):
    """Middleware, just after SessionMiddleware: a live session last saved RENEW_EVERY_S ago or more
    is marked for saving, so SessionMiddleware stores it with a fresh expiry and sends the cookie again."""

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
