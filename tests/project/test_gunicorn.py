"""Production serving: two gunicorn instances started with project/gunicorn.py on one machine both
serve, each with a control socket of its own (gunicorn 27's default, ~/.gunicorn/gunicorn.ctl, is one
path for every instance: the second took it over and `gunicornc` reached the wrong one)."""

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.subprocesses import free_port, real_clock

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def alive(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:  # noqa: S310
            return response.status
    except OSError:
        return None


def serve(port: int, tmp_path) -> subprocess.Popen:
    env = real_clock(PORT=str(port), GUNICORN_WORKERS="1", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
                     DEBUG="true", GUNICORN_ACCESS_LOG="/dev/null")  # fmt: skip
    env.pop("GUNICORN_CONTROL_SOCKET", None)
    return subprocess.Popen(  # noqa: S603 (our own arguments)
        [str(GUNICORN), "-c", "project/gunicorn.py", "project.wsgi"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_two_instances_on_one_machine_both_serve(tmp_path):
    ports = [free_port(), free_port()]
    servers = [serve(port, tmp_path) for port in ports]
    try:
        deadline = time.monotonic() + 30
        answers = [None, None]
        while None in answers and time.monotonic() < deadline:  # ready when both answer, within a bound
            answers = [alive(port) for port in ports]
            assert all(server.poll() is None for server in servers), servers[1].stderr.read().decode()[-2000:]
            time.sleep(0.1)
        assert answers == [200, 200]
        sockets = [Path(f"/tmp/kamkap-gunicorn-127.0.0.1-{port}.ctl") for port in ports]  # noqa: S108
        assert all(socket.is_socket() for socket in sockets), "each instance listens on its own control socket"
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
