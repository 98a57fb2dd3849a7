"""Two callers released at the same instant, each on its own thread and database connection."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def both_at_once(call: Callable[[int], Any], *, expected: tuple[type[BaseException], ...] = ()) -> list:
    """[call(0), call(1)] run together behind a barrier; an `expected` exception is kept as that caller's result."""
    barrier = threading.Barrier(2)
    results = [None, None]

    def worker(index: int) -> None:
        barrier.wait()
        try:
            results[index] = call(index)
        except expected as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
