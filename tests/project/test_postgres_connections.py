"""PostgreSQL connection settings (skipped on SQLite): JIT off and prepared statements for every connection
of the application, connections checked before reuse, a statement_timeout for the connections web requests open and
none for the others (management commands, workers, this test's own connection)."""

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory

from project.db import statement_timeout

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connection settings"),
]


def show(conn, name: str) -> str:
    with conn.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_health_checks_are_on():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_jit_is_off_and_commands_have_no_statement_timeout():
    assert show(connection, "jit") == "off"
    assert show(connection, "lock_timeout") == "10s"
    assert show(connection, "random_page_cost") == "1.1"  # (project.env: the data is in memory or on SSD)
    assert show(connection, "statement_timeout") == "0"


@pytest.mark.django_db
def test_a_connection_opened_for_a_web_request_has_the_statement_timeout(settings):
    settings.DB_STATEMENT_TIMEOUT_MS = 25_000
    fresh = connections.create_connection("default")  # as a web worker opens one on its first request
    try:

        def view(request):
            return HttpResponse(f"{show(fresh, 'statement_timeout')} {show(fresh, 'jit')}")

        response = statement_timeout(view)(RequestFactory().get("/"))
        assert response.content.decode() == "25s off"
    finally:
        fresh.close()


@pytest.mark.django_db
def test_no_statement_timeout_when_set_to_zero(settings):
    settings.DB_STATEMENT_TIMEOUT_MS = 0
    fresh = connections.create_connection("default")
    try:
        response = statement_timeout(lambda request: HttpResponse(show(fresh, "statement_timeout")))(
            RequestFactory().get("/")
        )
        assert response.content.decode() == "0"
    finally:
        fresh.close()


@pytest.mark.django_db
def test_a_runaway_statement_of_a_request_is_cancelled(settings):
    from django.db import OperationalError

    settings.DB_STATEMENT_TIMEOUT_MS = 200
    fresh = connections.create_connection("default")
    try:

        def view(request):
            with fresh.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(2)")
            return HttpResponse("finished")

        with pytest.raises(OperationalError, match="statement timeout"):
            statement_timeout(view)(RequestFactory().get("/"))
    finally:
        fresh.close()


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_once_and_its_values_sent_apart():
    """Server-side binding: the values go apart from the statement; from the PREPARE_THRESHOLD-th run
    on, the connection runs its prepared statement (pg_prepared_statements lists it once)."""
    from project.env import PREPARE_THRESHOLD
    from workflows.inspection.models import Inspection

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%inspection_inspection%"]
            )
            return [row[0] for row in cursor.fetchall()]

    before = prepared()
    for pk in range(1, PREPARE_THRESHOLD + 3):  # another value each time: one statement all the same
        list(Inspection.objects.filter(pk=pk, ref_no__startswith="kamkap-prepared"))
    found = [statement for statement in prepared() if statement not in before]

    assert len(found) == 1 and "$1" in found[0]


@pytest.mark.parametrize(("value", "prepared"), [(None, True), ("true", True), ("off", False)])
def test_prepared_statements_can_be_turned_off(monkeypatch, value, prepared):
    from project.env import PREPARE_THRESHOLD, env_database

    if value is None:
        monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    else:
        monkeypatch.setenv("DB_PREPARED_STATEMENTS", value)
    options = env_database("KAMKAP_TEST_NO_SUCH_VARIABLE", "postgres://postgres@127.0.0.1:5432/kamkap")["OPTIONS"]

    assert (options.get("server_side_binding"), options.get("prepare_threshold")) == (
        (True, PREPARE_THRESHOLD) if prepared else (None, None)
    )
    assert "jit=off" in options["options"]
