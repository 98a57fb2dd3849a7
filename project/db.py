"""A statement_timeout for the PostgreSQL connections that serve web requests.

A page or API call whose query runs away is cut off after DB_STATEMENT_TIMEOUT_MS (the person sees an
error page) instead of holding a gunicorn worker and a connection for minutes. Only connections opened
while a request is being answered get it: Celery workers have their own time limits, and management
commands (migrate on a large database, backups, data generation) legitimately run long statements.
A connection kept between requests (CONN_MAX_AGE) keeps the setting it was opened with."""

from contextvars import ContextVar

from django.conf import settings
from django.db.backends.signals import connection_created

_answering_request: ContextVar[bool] = ContextVar("kamkap_answering_request", default=False)


def _limit_statements(sender, connection, **kwargs):
    timeout_ms = settings.DB_STATEMENT_TIMEOUT_MS
    if connection.vendor == "postgresql" and timeout_ms and _answering_request.get():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{timeout_ms}ms"])


def statement_timeout(get_response):
    """Middleware (first in the list): marks the request so that a connection opened for it is limited."""
    connection_created.connect(_limit_statements, dispatch_uid="kamkap-statement-timeout")

    def middleware(request):
        token = _answering_request.set(True)
        try:
            return get_response(request)
        finally:
            _answering_request.reset(token)

    return middleware
