"""A small time-bounded cache for discovery data, shared by the threads of one process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    def __init__(self, max_entries: int = 1024) -> None:
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def get_or_make(self, key: Hashable, ttl: float, make: Callable[[], Any]) -> Any:
        """The cached value for ``key`` if younger than ``ttl`` seconds, else ``make()``'s."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = make()
        if ttl > 0:
            with self._lock:
                if len(self._entries) >= self._max:
                    # Drop the expired, then the oldest: projects come and go.
                    self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
                    while len(self._entries) >= self._max:
                        self._entries.pop(next(iter(self._entries)))
                self._entries[key] = (now + ttl, value)
        return value

    def fresh(self, key: Hashable) -> bool:
        """Whether ``key`` has a value younger than its ttl (``get_or_make`` would not make)."""
        with self._lock:
            entry = self._entries.get(key)
        return entry is not None and entry[0] > time.monotonic()

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
