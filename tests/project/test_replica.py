"""Dashboards read from a real streaming replica when REPLICA_DATABASE_URL is set (project/replica.py).

A throwaway primary cluster is filled with a copy of this test database (its reference geography and
organisation tree); a standby is made of it with pg_basebackup and started on its own port. A Kamkap
process configured with both (DATABASE_URL, REPLICA_DATABASE_URL) appoints an executive on the primary,
waits (at most a minute) until the standby has replayed that change, and opens the ministry dashboard:
its reads go to the standby — which must have streamed the new appointment, or the page would refuse
the executive — and the log-in stays on the primary. With the standby stopped the page is still
served, from the primary. PostgreSQL pass only (the copy is taken from the test database)."""

import json
import os
import selectors
import subprocess
import sys

import pytest
from django.db import connection

from tests.pgcluster import Cluster, require_server_binaries
from tests.subprocesses import real_clock

SCRIPT = r"""
import json, logging, sys, time
from datetime import date
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from org import services
from org.models import PositionKind, Unit
from tests.factories import PersonFactory

ministry = Unit.objects.get(code=services.MINISTRY_CODE)
ops = Unit.objects.get(code=services.OPS_CODE)
position = services.create_position(
    unit=ops, kind=PositionKind.EXECUTIVE_VIEWER, title_th="ผู้บริหาร", oversees=[ministry]
)
person = PersonFactory(username="replica.viewer")
services.appoint(position=position, person=person, start=date(2020, 10, 1))
print("appointed", file=sys.stderr, flush=True)

# The standby has replayed the appointment once its replay position reaches the primary's WAL position.
with connections["default"].cursor() as cursor:
    cursor.execute("SELECT pg_current_wal_lsn()")
    written = cursor.fetchone()[0]
caught_up, deadline = False, time.monotonic() + 60
while not caught_up and time.monotonic() < deadline:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
        caught_up = cursor.fetchone()[0]
    time.sleep(0.05)
print("caught up", caught_up, file=sys.stderr, flush=True)

def visit(replica_up=True):
    client = Client()
    client.force_login(person)
    with CaptureQueriesContext(connections["default"]) as primary:
        if replica_up:
            with CaptureQueriesContext(connections["replica"]) as replica:
                response = client.get("/dashboards/")
            read_there = [q["sql"] for q in replica.captured_queries]
        else:  # the replica cannot even be connected to: nothing can have been read there
            response, read_there = client.get("/dashboards/"), []
    return {"status": response.status_code, "primary": [q["sql"] for q in primary.captured_queries],
            "replica": read_there}

with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    in_recovery = cursor.fetchone()[0]
if not caught_up:
    print(json.dumps({"error": "the standby did not replay the primary's changes within 60 s"}), flush=True)
    sys.exit(1)
first = visit()
connections["replica"].close()
print(json.dumps({"in_recovery": in_recovery, "first": first}), flush=True)
sys.stdin.readline()  # the test stops the standby, then lets us go on
logging.disable(logging.WARNING)  # the fallback's log line is expected here
print(json.dumps({"fallback": visit(replica_up=False)}), flush=True)
"""


@pytest.fixture
def primary_and_standby(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL pass: the primary is filled from the PostgreSQL test database")
    require_server_binaries()
    primary, standby = Cluster(), Cluster()
    try:
        primary.init()
        primary.start()
        primary.run("createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "kamkap")
        source = connection.settings_dict
        dump = subprocess.run(  # noqa: S603 (our own arguments)
            ["pg_dump", "-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432),  # noqa: S607
             "-U", source["USER"] or "postgres", "--no-owner", source["NAME"]],
            check=True, capture_output=True, timeout=120, env=real_clock(),
        ).stdout  # fmt: skip
        primary.run("psql", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-q",
                    "-v", "ON_ERROR_STOP=1", "-d", "kamkap", input=dump)  # fmt: skip
        standby.replica_of(primary)
        standby.start()
        yield primary, standby
    finally:
        standby.remove()
        primary.remove()


def answer(process: subprocess.Popen, errors, within_s: float = 180) -> dict:
    """The script's next line of JSON; its error output if it ended or did not answer in time."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        line = process.stdout.readline() if selector.select(timeout=within_s) else ""
    if not line:
        process.kill()
        errors.seek(0)
        pytest.fail(f"the Kamkap process gave no answer: {errors.read()[-3000:]}")
    return json.loads(line)


@pytest.mark.django_db  # the test database must exist: the primary is filled from it
def test_dashboards_read_through_a_streaming_replica(primary_and_standby, tmp_path):
    primary, standby = primary_and_standby
    env = real_clock(DATABASE_URL=primary.url("kamkap"), REPLICA_DATABASE_URL=standby.url("kamkap"),
                     DJANGO_SETTINGS_MODULE="project.settings")  # fmt: skip
    for name in ("CACHE_URL", "TEST_DATABASE_URL"):
        env.pop(name, None)
    errors = (tmp_path / "stderr").open("w+")  # a file, not a pipe: a full pipe would stop the process
    process = subprocess.Popen(  # noqa: S603 (our own script)
        [sys.executable, "-c", SCRIPT], cwd=os.getcwd(), env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
    )  # fmt: skip
    try:
        seen = answer(process, errors)
        assert "error" not in seen, seen["error"] if "error" in seen else ""
        assert seen["in_recovery"] is True, "the standby is a replica in recovery, not a second primary"
        first = seen["first"]
        assert first["status"] == 200, "the executive appointed on the primary is known on the standby"
        assert len(first["replica"]) >= 3, "the dashboard's figures are read on the replica"
        tables = sorted(
            {
                word.strip('"')
                for sql in first["replica"]
                for word in sql.split()
                if '"org_' in word or '"dashboards_' in word
            }
        )
        # the offices and their summaries (the ministry page counts nothing from the cases themselves)
        assert any("org_" in table for table in tables) and any("dashboards_" in table for table in tables), tables
        assert all("django_session" not in sql for sql in first["replica"]), "the log-in stays on the primary"
        assert all("INSERT" not in sql and "UPDATE" not in sql for sql in first["replica"])

        standby.stop()
        process.stdin.write("go\n")
        process.stdin.flush()
        fallback = answer(process, errors)
        assert fallback["fallback"]["status"] == 200, "without the replica the page is served from the primary"
        assert len(fallback["fallback"]["primary"]) >= 3
    finally:
        process.kill()
        process.wait(timeout=30)
        errors.close()


def test_who_is_logged_in_and_what_they_may_do_is_never_read_on_the_replica():
    from django.contrib.sessions.models import Session
    from guardian.models import UserObjectPermission

    from api.models import ApiToken
    from org.models import Person, Unit
    from project import replica
    from workflows.inspection.models import Inspection

    router = replica.ReplicaRouter()
    token = replica._reading_replica.set(True)
    try:
        assert router.db_for_read(Inspection) == replica.REPLICA and router.db_for_read(Unit) == replica.REPLICA
        assert [router.db_for_read(model) for model in (Person, Session, ApiToken, UserObjectPermission)] == [None] * 4
        read_there = Inspection()
        read_there._state.db = replica.REPLICA
        assert router.db_for_write(Inspection, instance=read_there) == "default"
    finally:
        replica._reading_replica.reset(token)
    assert router.db_for_read(Inspection) is None, "outside a dashboard request everything reads the primary"
    assert router.allow_migrate(replica.REPLICA, "inspection") is False
