"""The OpenStack facade one OCCI request uses: checked calls and parallel fan-out."""

from __future__ import annotations

import collections
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

from ooi.openstack.transport import BackendResponse, HTTPTransport, check

# Threads for independent backend calls of one request (e.g. flavors and images for /-/).
_EXECUTOR = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="ooi-call")


class OpenStack:
    """OpenStack as one caller (a project) sees it."""

    def __init__(self, transport: HTTPTransport, project_id: str) -> None:
        self.transport = transport
        self.project_id = project_id
        # Calls made per service for this request (``ooi_debug_headers`` shows them).
        self.calls: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    def has(self, service: str) -> bool:
        """Whether ``service`` can be reached (nova always can)."""
        return service == "compute" or bool(self.transport.endpoints.get(service))

    def call(self, service: str, method: str, path: str, what: str, **options: Any) -> Any:
        """The JSON body of a successful call; BackendError naming ``what`` otherwise.
        ``options``: ``body``, ``params``, ``headers`` (as the transport takes them)."""
        return check(self.request(service, method, path, **options), service, what).body

    def request(self, service: str, method: str, path: str, **options: Any) -> BackendResponse:
        """The service's answer, whatever its status (``check`` it); counted like ``call``."""
        with self._lock:
            self.calls[service] += 1
        return self.transport.call(service, method, path, **options)

    def parallel(self, **calls: Callable[[], Any]) -> dict[str, Any]:
        """Run independent calls at once; the first error (in argument order) is raised."""
        if len(calls) == 1:
            ((name, fn),) = calls.items()
            return {name: fn()}
        futures = {name: _EXECUTOR.submit(fn) for name, fn in calls.items()}
        return {name: future.result() for name, future in futures.items()}
