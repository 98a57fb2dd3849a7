"""A PostgreSQL restart costs errors only while the server is down: a connection kept between
requests (CONN_MAX_AGE) is tested before the next request uses it (CONN_HEALTH_CHECKS, set by
project.env.env_database), so the first request after the restart reconnects instead of answering
500 on the dead connection — without restarting the app.

A throwaway cluster of the test's own (initdb in a temporary directory, its own port), started,
restarted and stopped by the test: the shared server is never touched. Requests are driven as Django
drives them (request_started / request_finished around each), on a connection alias of their own."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connections

from project.env import env_database
from tests.pgcluster import cluster  # noqa: F401 (fixture)


def alias(name: str, port: int, *, health_checks: bool) -> str:
    config = env_database("KAMKAP_TEST_UNUSED", f"postgres://postgres@127.0.0.1:{port}/postgres")
    config["CONN_HEALTH_CHECKS"] = health_checks
    configured = connections.configure_settings({"default": connections.settings["default"], name: config})
    connections.settings[name] = configured[name]
    return name


def request(name: str) -> int:
    """One request's worth of work on the alias, with Django's start and end of request around it."""
    request_started.send(sender=None)
    try:
        with connections[name].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]
    finally:
        request_finished.send(sender=None)


def test_the_first_request_after_a_restart_reconnects(cluster, django_db_blocker):  # noqa: F811 (the fixture)
    names = ("restart_checked", "restart_unchecked", "restart_during")
    checked = alias(names[0], cluster.port, health_checks=True)
    unchecked = alias(names[1], cluster.port, health_checks=False)  # the setting before issue 14
    during = alias(names[2], cluster.port, health_checks=True)
    try:
        with django_db_blocker.unblock():
            assert [request(name) for name in names] == [1, 1, 1]  # each keeps its connection open
            kept = connections[checked].connection
            cluster.stop()
            with pytest.raises(OperationalError):  # while the server is down: an error, as expected
                request(during)
            cluster.start()
            assert request(checked) == 1, "the kept connection is found dead and replaced, no error"
            assert connections[checked].connection is not kept
            assert request(during) == 1
            with pytest.raises(OperationalError):  # without health checks the stale connection fails once
                request(unchecked)
            assert request(unchecked) == 1
    finally:
        for name in names:
            connections[name].close()
            del connections[name]
            connections.settings.pop(name, None)
