"""How ooi reaches OpenStack: one interface, two transports.

`HTTPTransport` calls every service over HTTP at its catalog endpoint with the caller's token
(standalone mode). `PipelineTransport` does the same except for nova, which it calls in process
through the WSGI app ooi wraps in nova's pipeline, as sub-requests under the version prefix (nova
builds its links from SCRIPT_NAME and fails without a version there).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import copy
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import requests.adapters
import webob
from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import session as ksa_session
from urllib3 import exceptions as urllib3_exc

from ooi import logs
from ooi.openstack import cpu_meter
from ooi.openstack.deadline import Deadline
from ooi.openstack.errors import BackendError, fault_message
from ooi.openstack.health import HEALTH

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


# Threads for nova's in-process sub-requests (see PipelineTransport._in_process). More than a
# pipeline worker's own threads, so that calls abandoned at their deadline do not starve new ones.
_SUB_REQUESTS = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="ooi-nova")


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


def _where(url: str) -> str:
    """A URL for the log, without its query (which may carry names users chose)."""
    return url.split("?", 1)[0]


def _never_connected(exc: BaseException) -> bool:
    """Whether a connection failure happened before anything was sent (refused, no route,
    connect timeout): only then may a read be tried again, and only then is it a 503."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or item in seen:
            continue
        seen.append(item)
        if isinstance(item, (ConnectionRefusedError, urllib3_exc.NewConnectionError)):
            return True
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
    return False


class _SettledEnvironmentSession(requests.Session):
    """A requests session that reads the process environment (proxies, CA bundle) once per
    service URL: requests reads it on every call, scanning every variable twice, which was a
    third of a call's CPU time. A server's environment does not change while it runs."""

    def __init__(self) -> None:
        super().__init__()
        self._settled: dict[tuple[Any, ...], dict[str, Any]] = {}

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        if proxies:  # a call's own proxies: as requests does it
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, stream, verify, cert)
        settled = self._settled.get(key)
        if settled is None:
            settled = super().merge_environment_settings(url, proxies, stream, verify, cert)
            if len(self._settled) < 256:  # one per service endpoint in practice
                self._settled[key] = settled
        return dict(settled)


def _pooled_session() -> requests.Session:
    session = _SettledEnvironmentSession()
    adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=64)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class HTTPTransport:
    """Every service over HTTP; ``endpoints`` maps service → versioned base URL."""

    # One keep-alive connection pool per process and service (keystoneauth1 sessions are safe
    # to share between threads), as large as the threads that may call one service at once:
    # requests' default of 10 would drop and reopen connections under load.
    _session = ksa_session.Session(session=_pooled_session())

    def __init__(
        self,
        endpoints: Mapping[str, str | None],
        token: str,
        timeout: float = 60,
        request_id: str | None = None,
        down_seconds: float = 0,
    ) -> None:
        self.endpoints = endpoints
        self.token = token
        # Made with the transport, i.e. when the OCCI request starts: every call shares it.
        self.deadline = Deadline(timeout)
        # How long a service that keeps failing is marked down (0: never), see health.py.
        self.down_seconds = down_seconds
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
            logs.bind_request(self.request_id)  # calls in parallel run in threads of their own
        all_headers.update(headers or {})
        with self._watched(name, f"{name} {base}") as remaining, cpu_meter.measured():
            resp = self._send(name, base + path, method, all_headers, body, params, remaining)
        return BackendResponse(
            resp.status_code, resp.headers, _decode(resp.headers.get("Content-Type"), resp.content)
        )

    @contextlib.contextmanager
    def _watched(self, name: str, key: str) -> Iterator[float]:
        """Around one call: 503 at once while the service is marked down, 504 when the
        request's deadline has passed; yields the seconds the call may take, and tells
        HEALTH whether the service answered."""
        retry_after = HEALTH.retry_after(key)
        if retry_after is not None:
            raise BackendError(
                name,
                503,
                f"{name} is unavailable (it failed repeatedly); try again in {retry_after} s",
                retry_after=retry_after,
            )
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise BackendError(name, 504, f"{name} was not asked: the request ran out of time")
        try:
            yield remaining
        except BackendError as exc:
            if exc.status in (503, 504):
                HEALTH.failed(key, self.down_seconds)
            raise
        HEALTH.answered(key)

    def _send(
        self,
        name: str,
        url: str,
        method: str,
        headers: Mapping[str, str],
        body: Any,
        params: Mapping[str, Any] | None,
        timeout: float,
    ) -> Any:
        # keystoneauth's own retries would re-send on a read timeout too (it reports those as
        # ConnectTimeout): a create would then happen twice. Only a read is tried again, once,
        # when no connection could be made or the connection was dropped before an answer.
        tries = 2 if method in _IDEMPOTENT_READS else 1
        started = time.monotonic()
        for attempt in range(tries):
            try:
                return self._session.request(
                    url,
                    method,
                    headers=dict(headers),
                    json=body,
                    params=dict(params or {}),
                    raise_exc=False,
                    authenticated=False,
                    # What is left of the request's deadline (the retry gets what remains).
                    timeout=max(timeout - (time.monotonic() - started), 0.01),
                    connect_retries=0,
                    log=False,
                )
            except ksa_exc.ConnectTimeout as exc:
                raise BackendError(name, 504, f"{name} did not answer in time") from exc
            except ksa_exc.ConnectFailure as exc:
                again = attempt + 1 < tries and time.monotonic() - started < timeout
                if not _never_connected(exc):
                    # Reset or closed after the request went out: the service may have acted,
                    # so only a read is sent again (a kept-alive connection the service had
                    # closed meanwhile is the usual cause).
                    LOG.warning("%s dropped the connection on %s: %s", name, _where(url), exc)
                    if again:
                        continue
                    raise BackendError(name, 502, f"{name} dropped the connection") from exc
                if again:
                    continue
                LOG.warning("%s cannot be reached at %s: %s", name, _where(url), exc)
                raise BackendError(name, 503, f"{name} cannot be reached") from exc
            except ksa_exc.ClientException as exc:
                # e.g. a body cut short (fewer bytes than Content-Length said)
                LOG.warning("%s call to %s failed: %s", name, _where(url), exc)
                raise BackendError(name, 502, f"{name} call failed") from exc
        raise AssertionError("unreachable")  # the loop returns or raises


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
        down_seconds: float = 0,
    ) -> None:
        # nova's request id, sent on to the other services as the global request id.
        request_id = environ.get("openstack.request_id")
        super().__init__(endpoints, token, timeout, request_id, down_seconds=down_seconds)
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
        with self._watched("nova", "nova in process") as remaining:
            resp = self._in_process(req, method, path, remaining)
        return BackendResponse(resp.status_int, resp.headers, _decode(resp.content_type, resp.body))

    def _in_process(
        self, req: webob.Request, method: str, path: str, timeout: float
    ) -> webob.Response:
        """nova's answer to ``req``, waited for at most ``timeout`` seconds.

        The sub-request runs in a thread of its own so that ooi can stop waiting: a thread
        cannot be killed, so at the deadline the call is abandoned, not cancelled. It goes on
        until nova (or the service nova waits for) answers and its answer is dropped; what it
        changes in the meantime (e.g. a server it boots) stays, and a create reconciles that
        (ooi.api.boot_reconcile). A call still queued at the deadline is not started at all.
        """
        deadline = self.deadline

        request_id = self.request_id

        def run() -> webob.Response | None:
            if deadline.expired():
                return None
            if request_id:
                logs.bind_request(request_id)
            return req.get_response(self.app)

        future = _SUB_REQUESTS.submit(run)
        try:
            resp = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError as exc:
            LOG.warning("nova did not answer %s %s in time; the call is abandoned", method, path)
            raise BackendError("nova", 504, "nova did not answer in time") from exc
        except Exception as exc:  # nova's own fault wrapper sits before us in the pipeline
            LOG.error("nova failed in process on %s %s", method, path, exc_info=exc)
            raise BackendError("nova", 502, "nova failed (the log has the details)") from exc
        if resp is None:
            raise BackendError("nova", 504, "nova did not answer in time")
        return resp


def check(resp: BackendResponse, service: str, what: str) -> BackendResponse:
    """``resp`` when it is a success, else the BackendError that says what failed."""
    if resp.status < 400:
        return resp
    name = SERVICE_NAMES.get(service, service)
    message = fault_message(resp.body, f"{what} failed")
    if resp.status >= 500:
        # A service's own failure message may name its internals (class names, URLs, hosts):
        # it goes to the log (with the request id the service logged it under), not to clients.
        LOG.warning(
            "%s failed (%s) %s [%s]: %s",
            name,
            resp.status,
            what,
            resp.headers.get("X-Openstack-Request-Id", "-"),
            message,
        )
        message = f"{what} failed"
    raise BackendError.from_response(name, resp.status, f"{name}: {message}")
