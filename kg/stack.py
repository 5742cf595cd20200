"""Work on a thread with a large stack: Oxigraph parses and evaluates SPARQL recursively, so a query
nested a few thousand deep overflows the main thread's 8 MB and kills the process."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
STACK_BYTES = 1 << 30  # only the pages used are mapped
_LOCK = threading.Lock()  # threading.stack_size applies to every thread started while it is set


def in_large_stack(work: Callable[[], T]) -> T:
    """work()'s result, or its exception, from a thread with a STACK_BYTES stack."""
    outcome: list = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((work(), None))
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller
            outcome.append((None, error))
        done.set()

    with _LOCK:
        default = threading.stack_size(STACK_BYTES)
        try:
            threading.Thread(target=run, daemon=True, name="large-stack").start()
        finally:
            threading.stack_size(default)
    done.wait()
    result, error = outcome[0]
    if error is not None:
        raise error
    return result
