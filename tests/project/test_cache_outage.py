"""A cache outage is not an outage: with the shared cache's Redis stopped, every page is served from
the database (slower) and one warning is logged; when Redis is back, the cache is used again. A real
redis-server of the test's own on a free port (never the shared one)."""

import shutil
import subprocess
import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from tests.subprocesses import free_port, real_clock

pytestmark = pytest.mark.django_db
PAGES = ("/", "/inspection/", "/registry/factory/", "/budget/projects/")


class RedisServer:
    def __init__(self, directory):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=1)

    def start(self):
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 (our own binary and arguments)
            [self.binary, *args, "--dir", str(self.directory)], stdout=subprocess.DEVNULL, env=real_clock()
        )
        deadline = time.monotonic() + 10
        while True:  # ready when it answers, within a bound
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    self.process.kill()  # never left running behind the test
                    self.process.wait(timeout=10)
                    raise
            time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def keys(self) -> int:
        return self.client().dbsize()


@pytest.fixture
def server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    instance = RedisServer(tmp_path)
    instance.start()
    yield instance
    if instance.process.poll() is None:
        instance.stop()


def pages_answer(client) -> list[int]:
    return [client.get(page, follow=True).status_code for page in PAGES]


def test_pages_are_served_while_the_cache_is_down_and_the_cache_is_used_again_after(
    client, server, songkhla_head, caplog
):
    backend = {"BACKEND": "project.cache.ResilientRedisCache", "LOCATION": server.url, "OPTIONS": {"RETRY_SECONDS": 0}}
    with override_settings(CACHES={"default": backend}):
        client.force_login(songkhla_head)
        assert pages_answer(client) == [200] * len(PAGES)
        assert server.keys() > 0, "the pages use the cache while it is up"

        server.stop()
        with caplog.at_level("WARNING", logger="project.cache"):
            assert pages_answer(client) == [200] * len(PAGES)
        assert cache.get("anything", "default") == "default"
        assert any("cache unreachable" in record.getMessage() for record in caplog.records)

        server.start()  # an empty Redis, as after a restart
        with caplog.at_level("WARNING", logger="project.cache"):
            assert pages_answer(client) == [200] * len(PAGES)
        assert server.keys() > 0, "the cache is used again"
        assert any("reachable again" in record.getMessage() for record in caplog.records)


def test_a_dead_cache_is_not_asked_again_until_the_retry_interval_has_passed(server):
    backend = {
        "BACKEND": "project.cache.ResilientRedisCache",
        "LOCATION": server.url,
        "OPTIONS": {"RETRY_SECONDS": 3600},
    }
    with override_settings(CACHES={"default": backend}):
        cache.set("k", "v")
        assert cache.get("k") == "v"
        server.stop()
        assert cache.get("k") is None and cache.is_down
        server.start()
        assert cache.get("k", "waits") == "waits", "not asked again within the interval"
        with pytest.raises(ValueError):
            cache.incr("counter")
