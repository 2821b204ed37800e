"""CPU time a request's thread spends in the HTTP client, so that ``ooi_debug_headers`` can
tell ooi's own work apart from the cost of talking to the services (bench/, issue 11).

Thread CPU time (``time.thread_time``): waiting on a socket costs nothing, and calls that run
in other threads (``OpenStack.parallel``) count for neither side.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

_SPENT = threading.local()


def reset() -> None:
    _SPENT.seconds = 0.0


def spent() -> float:
    """Seconds of this thread's CPU time in `measured` blocks since `reset`."""
    return float(getattr(_SPENT, "seconds", 0.0))


@contextlib.contextmanager
def measured() -> Iterator[None]:
    started = time.thread_time()
    try:
        yield
    finally:
        _SPENT.seconds = spent() + time.thread_time() - started
