"""How ooi reaches OpenStack: one interface, two transports.

`HTTPTransport` calls every service over HTTP at its catalog endpoint with the caller's token
(standalone mode). `PipelineTransport` does the same except for nova, which it calls in process
through the WSGI app ooi wraps in nova's pipeline, as sub-requests under the version prefix (nova
builds its links from SCRIPT_NAME and fails without a version there).
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import webob
from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import session as ksa_session

from ooi.openstack.errors import BackendError, fault_message

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

LOG = logging.getLogger(__name__)

# Methods that change nothing: tried a second time when no connection could be made.
_IDEMPOTENT_READS = frozenset({"GET", "HEAD"})

# Service names as users know them, for messages.
SERVICE_NAMES = {
    "compute": "nova",
    "network": "neutron",
    "volume": "cinder",
    "image": "glance",
    "identity": "keystone",
}

# The environ keys a sub-request inherits from the client's request: where the server is, and
# who is calling. Nothing else (body, length, the client's own microversion) may leak through.
_INHERITED_ENVIRON = (
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_HOST",
    "wsgi.url_scheme",
    "HTTP_X_AUTH_TOKEN",
    "HTTP_X_PROJECT_ID",
    "HTTP_X_USER_ID",
    "HTTP_X_ROLES",
    "HTTP_X_SERVICE_CATALOG",
    "HTTP_X_IDENTITY_STATUS",
    "HTTP_X_OPENSTACK_REQUEST_ID",
    "openstack.request_id",
)


@dataclass(frozen=True)
class BackendResponse:
    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or text when the service did not answer JSON, or None


def _decode(content_type: str | None, raw: bytes) -> Any:
    if not raw:
        return None
    if content_type and "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            pass
    return raw.decode("utf-8", "replace")


class HTTPTransport:
    """Every service over HTTP; ``endpoints`` maps service → versioned base URL."""

    # One connection pool per process; keystoneauth1 sessions are safe to share between threads.
    _session = ksa_session.Session()

    def __init__(
        self,
        endpoints: Mapping[str, str | None],
        token: str,
        timeout: float = 60,
        request_id: str | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.token = token
        self.timeout = timeout
        # The OCCI request's id, sent on as OpenStack's global request id: the services log it
        # beside their own, so one id follows a request through every log.
        self.request_id = request_id

    def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> BackendResponse:
        name = SERVICE_NAMES.get(service, service)
        base = self.endpoints.get(service)
        if not base:
            raise BackendError(name, 503, f"{name} has no endpoint in the service catalog")
        all_headers = {"X-Auth-Token": self.token, "Accept": "application/json"}
        if self.request_id:
            all_headers["X-OpenStack-Request-ID"] = self.request_id
        all_headers.update(headers or {})
        # keystoneauth's own retries would re-send on a read timeout too (it reports those as
        # ConnectTimeout): a create would then happen twice. Only a read is tried again, once,
        # and only when no connection could be made at all (nothing reached the service).
        tries = 2 if method in _IDEMPOTENT_READS else 1
        for attempt in range(tries):
            try:
                resp = self._session.request(
                    base + path,
                    method,
                    headers=all_headers,
                    json=body,
                    params=dict(params or {}),
                    raise_exc=False,
                    authenticated=False,
                    timeout=self.timeout,
                    connect_retries=0,
                    log=False,
                )
                break
            except ksa_exc.ConnectTimeout as exc:
                raise BackendError(name, 504, f"{name} did not answer in time") from exc
            except ksa_exc.ConnectFailure as exc:
                if attempt + 1 < tries:
                    continue
                LOG.warning("%s cannot be reached at %s: %s", name, base, exc)
                raise BackendError(name, 503, f"{name} cannot be reached") from exc
            except ksa_exc.ClientException as exc:
                LOG.warning("%s call to %s failed: %s", name, base, exc)
                raise BackendError(name, 502, f"{name} call failed") from exc
        return BackendResponse(
            resp.status_code, resp.headers, _decode(resp.headers.get("Content-Type"), resp.content)
        )


class PipelineTransport(HTTPTransport):
    """nova in process through the wrapped app; the other services over HTTP."""

    def __init__(
        self,
        app: WSGIApp,
        openstack_version: str,
        environ: Mapping[str, Any],
        endpoints: Mapping[str, str | None],
        token: str,
        timeout: float = 60,
    ) -> None:
        super().__init__(endpoints, token, timeout)
        self.app = app
        self.openstack_version = openstack_version
        self.environ = environ

    def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> BackendResponse:
        if service != "compute":
            return super().call(service, method, path, body=body, params=params, headers=headers)
        environ = {k: self.environ[k] for k in _INHERITED_ENVIRON if k in self.environ}
        if "nova.context" in self.environ:
            # A copy per sub-request: independent calls run in parallel threads.
            environ["nova.context"] = copy.copy(self.environ["nova.context"])
        query = "?" + urlencode(params, doseq=True) if params else ""
        req = webob.Request.blank(path + query, environ=environ, method=method)
        req.script_name = self.openstack_version
        req.accept = "application/json"
        for name, value in (headers or {}).items():
            req.headers[name] = value
        if body is not None:
            req.body = json.dumps(body).encode()
            req.content_type = "application/json"
        try:
            resp = req.get_response(self.app)
        except Exception as exc:  # nova's own fault wrapper sits before us in the pipeline
            LOG.exception("nova failed in process on %s %s", method, path)
            raise BackendError("nova", 502, "nova failed (the log has the details)") from exc
        return BackendResponse(resp.status_int, resp.headers, _decode(resp.content_type, resp.body))


def check(resp: BackendResponse, service: str, what: str) -> BackendResponse:
    """``resp`` when it is a success, else the BackendError that says what failed."""
    if resp.status < 400:
        return resp
    name = SERVICE_NAMES.get(service, service)
    message = fault_message(resp.body, f"{what} failed")
    raise BackendError.from_response(name, resp.status, f"{name}: {message}")
