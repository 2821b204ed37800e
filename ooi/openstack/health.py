"""Fail fast: a service that keeps failing is marked down for a while.

Without this, every request that needs a hung service would hold a worker until its deadline,
and a few of them would leave no worker for requests that need only healthy services. After
``THRESHOLD`` connection failures or timeouts in a row, calls to the service fail at once (503
with ``Retry-After``) for ``down_seconds``; then calls go through again, and the next failure marks
it down anew while a success clears it. Kept per process (each ooi worker learns on its own).
"""

from __future__ import annotations

import math
import threading
import time

# Connection failures or timeouts in a row that mark a service down.
THRESHOLD = 3


class Health:
    """Failures in a row and the time until which a service is down, by service name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._down_until: dict[str, float] = {}

    def retry_after(self, service: str) -> int | None:
        """Whole seconds until ``service`` may be called again; None when it may be now."""
        until = self._down_until.get(service)
        if until is None:
            return None
        left = until - time.monotonic()
        return math.ceil(left) if left > 0 else None

    def failed(self, service: str, down_seconds: float) -> None:
        """``service`` could not be reached or did not answer in time."""
        if down_seconds <= 0:
            return
        with self._lock:
            count = self._failures.get(service, 0) + 1
            self._failures[service] = count
            if count >= THRESHOLD:
                self._down_until[service] = time.monotonic() + down_seconds

    def answered(self, service: str) -> None:
        """``service`` answered (whatever the status): it is up."""
        if service in self._failures or service in self._down_until:
            with self._lock:
                self._failures.pop(service, None)
                self._down_until.pop(service, None)


# One per process: what a worker learnt about a service serves all its requests.
HEALTH = Health()
