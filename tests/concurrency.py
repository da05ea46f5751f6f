"""Running functions at the same moment in threads, for the race tests.

Each thread uses its own database connection, as concurrent requests do,
and closes it at the end. The race tests run on PostgreSQL.
"""

import threading
from collections.abc import Callable

from django.db import connection


def run_together(
    functions: list[Callable[[], object]],
) -> tuple[list[object], list[Exception]]:
    """Run *functions* at once in threads; return their results and errors."""
    barrier = threading.Barrier(len(functions))
    results: list[object] = []
    errors: list[Exception] = []

    def run(function: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
