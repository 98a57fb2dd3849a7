"""A throwaway PostgreSQL cluster for the tests that stop, restart or replicate a server: initdb in a
temporary directory, its own loopback port, started and removed by the test. The shared server
(127.0.0.1:5432) is never touched. Run as the `postgres` user when the tests run as root (PostgreSQL
refuses root), with the real clock (tests.subprocesses)."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.subprocesses import free_port, real_clock

PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)


class Cluster:
    def __init__(self, root: Path | None = None):
        self.root = root or Path(tempfile.mkdtemp(prefix="kamkap-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.port = free_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *args, input: bytes | None = None) -> bytes:
        command = [str(Path(PG_BIN) / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, check=True, capture_output=True, timeout=120, env=real_clock(), input=input)  # noqa: S603 (our own arguments)
        return done.stdout

    def _own(self, *paths: Path):
        if os.geteuid() == 0:
            for path in paths:
                shutil.chown(path, "postgres")

    def init(self):
        self.data.mkdir()
        self._own(self.root, self.data)
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def replica_of(self, primary: "Cluster"):
        """This cluster's data directory as a streaming standby of `primary` (pg_basebackup -R)."""
        self._own(self.root)
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", str(self.data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")  # fmt: skip

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)


def require_server_binaries():
    if PG_BIN is None or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL server binaries are not installed (.ci/run installs them)")


@pytest.fixture
def cluster():
    require_server_binaries()
    instance = Cluster()
    instance.init()
    instance.start()
    yield instance
    instance.remove()
