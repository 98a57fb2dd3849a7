"""What tests that start servers of their own (redis-server, a PostgreSQL cluster, gunicorn) share:
a free loopback port, and an environment with the real clock — under `make test-dates` the suite runs
under faketime (LD_PRELOAD), and a server started with it may never answer."""

import os
import socket

FAKETIME = ("LD_PRELOAD", "FAKETIME", "FAKETIME_NO_CACHE", "DONT_FAKE_MONOTONIC")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def real_clock(**extra: str) -> dict[str, str]:
    """This process's environment without faketime, plus `extra`."""
    env = {name: value for name, value in os.environ.items() if name not in FAKETIME}
    return {**env, **extra}
