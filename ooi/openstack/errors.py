"""Failures of the OpenStack services, with the meaning ooi answers them with."""

from __future__ import annotations

# OpenStack statuses whose meaning carries over to the OCCI client unchanged.
_PASSED_THROUGH = {400, 401, 403, 404, 409, 413}


class BackendError(Exception):
    """An OpenStack service refused or failed a call.

    ``status`` is what ooi answers: the service's own status where its meaning carries over
    (400, 401, 403, 404, 409, 413), 503 when the service cannot be reached, 504 when it timed out,
    and 502 for anything else (naming the service, never a bare 500).
    """

    def __init__(
        self, service: str, status: int, message: str, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.service = service
        self.status = status
        self.message = message
        # Seconds after which the client may try again (a ``Retry-After`` header), if known.
        self.retry_after = retry_after

    @classmethod
    def from_response(cls, service: str, status: int, message: str) -> BackendError:
        if status in _PASSED_THROUGH:
            return cls(service, status, message)
        if status == 429:
            return cls(service, 503, f"{service} is busy (429): {message}")
        return cls(service, 502, f"{service} failed ({status}): {message}")

    def __str__(self) -> str:
        return self.message


def fault_message(body: object, default: str) -> str:
    """The human message inside an OpenStack error body, whichever service wrote it.

    nova: {"itemNotFound": {"message": …}}; neutron: {"NeutronError": {"message": …}};
    cinder like nova; glance: plain text or {"message": …}; keystone: {"error": {"message": …}}.
    """
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            return body["message"]
        for value in body.values():
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"]
    if isinstance(body, str) and body.strip():
        return body.strip().splitlines()[0][:500]
    return default
