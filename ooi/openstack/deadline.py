"""One deadline per OCCI request, shared by every backend call the request makes.

Each call waits only for what is left of the request's time (``ooi_backend_timeout``), not a
fresh timeout of its own: a request that makes five calls still answers at the deadline.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator


class Deadline:
    """``seconds`` from now; ``hold_back`` keeps a part of it for a clean-up after a call."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds
        self._held = threading.local()

    def remaining(self) -> float:
        """Seconds left for the next call (what is held back for a clean-up excluded)."""
        return self._at - time.monotonic() - getattr(self._held, "seconds", 0.0)

    def expired(self) -> bool:
        return self.remaining() <= 0

    @contextlib.contextmanager
    def hold_back(self, seconds: float) -> Iterator[None]:
        """Calls made (in this thread) inside the block end ``seconds`` before the deadline, so
        that what follows them (e.g. looking up what a timed-out create made) still fits."""
        before = getattr(self._held, "seconds", 0.0)
        self._held.seconds = before + seconds
        try:
            yield
        finally:
            self._held.seconds = before
