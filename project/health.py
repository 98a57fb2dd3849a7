"""Health endpoints for a load balancer or an orchestrator, reachable without logging in.

/health/        alive: the process answers (no database, no cache), for a liveness probe.
/health/ready/  ready to serve: database, cache, broker (when one is configured), every migration
                applied, media writable. 200 when all pass, 503 naming each failing check.

The answers carry only the checks' names, "ok"/"failed" and the kind of error, never an address, a
password or a path."""

import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)
BROKER_TIMEOUT_S = 2


def check_database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone()[0] != 1:
                raise RuntimeError(f"database {alias} answered wrongly")


def check_cache():
    key, value = f"kamkap-health-{uuid.uuid4().hex}", uuid.uuid4().hex
    cache = caches["default"]
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def broker_configured() -> bool:
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    return bool(url) and not url.startswith("memory://") and not settings.CELERY_TASK_ALWAYS_EAGER


def check_broker():
    from project.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_S)


def check_migrations():
    for alias in connections:
        executor = MigrationExecutor(connections[alias])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise RuntimeError("migrations not applied")


def check_media():
    name = default_storage.save(f"kamkap-health-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as probe:
            if probe.read() != b"ok":
                raise RuntimeError("media storage did not keep a file")
    finally:
        default_storage.delete(name)


def checks() -> dict:
    found = {"database": check_database, "cache": check_cache}
    if broker_configured():
        found["broker"] = check_broker
    found["migrations"] = check_migrations
    found["media"] = check_media
    return found


@never_cache
@require_safe
@login_not_required
def alive(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
@login_not_required
def ready(request):
    results, failing = {}, []
    for name, check in checks().items():
        try:
            check()
        except Exception as exc:  # any failure of any backend is a failed check, never a 500
            log.warning("health check %s failed: %s", name, exc, exc_info=True)
            results[name] = {"status": "failed", "error": type(exc).__name__}
            failing.append(name)
        else:
            results[name] = {"status": "ok"}
    body = {"status": "failed" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)
