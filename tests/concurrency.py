"""Run work in real threads at the same moment, each on its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_together(count: int, work):
    """Run work(i) in `count` threads released at the same moment; return the results.

    An exception is returned in place of its result, for the test to inspect. Each thread
    closes its own connection, so the test database can be dropped afterwards.
    """
    barrier = threading.Barrier(count)

    def task(i):
        try:
            barrier.wait(timeout=30)
            return work(i)
        except Exception as exc:  # noqa: BLE001 -- returned to the test to inspect
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(task, range(count)))
