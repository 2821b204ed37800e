"""The OCCI middleware: a Paste filter in nova's pipeline, or the app of the standalone server.

Every request below its mount point (``/occi1.1``, ``/occi1.2``) is an OCCI request: the
middleware checks the version and the media types, authenticates, routes it to a handler of
`ooi.api`, and renders whatever comes back, errors included, as OCCI.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import webob
from oslo_config import cfg

from ooi import logs, opts
from ooi.api import ROUTER, limits
from ooi.api.context import WARNINGS_KEY, Context, Settings, to_response
from ooi.api.negotiation import (
    SERVER_HEADER,
    RequestRefused,
    occi_version,
    response_media_type,
)
from ooi.occi.errors import InvalidInput
from ooi.occi.rendering import Renderer, renderer_for
from ooi.occi.rendering.text import TextPlainRenderer
from ooi.openstack import cpu_meter
from ooi.openstack.catalog import Catalog
from ooi.openstack.client import OpenStack
from ooi.openstack.errors import BackendError
from ooi.openstack.transport import HTTPTransport, PipelineTransport
from ooi.wsgi.auth import challenge_response

LOG = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

CONF = cfg.CONF
opts.register(CONF)

# A Host header as URLs may carry it: a name or IPv4 address, or an IPv6 one in brackets, and
# a port. Anything else would end up in every rendered location.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")

_FILTER_OPTIONS = {"openstack_version", "neutron_ooi_endpoint"}


def _conf_value(group: str | None, name: str) -> Any:
    """An option that may not be registered in this process (e.g. keystonemiddleware's)."""
    try:
        return CONF[group][name] if group else CONF[name]
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError, KeyError):
        return None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Where OpenStack's request-id middleware (nova's pipeline) leaves the request's id.
REQUEST_ID_KEY = "openstack.request_id"
_REQUEST_ID = re.compile(r"req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _request_id(environ: dict[str, Any]) -> str:
    """The request's id: nova's in its pipeline, else one made here (``req-<uuid>``)."""
    found = environ.get(REQUEST_ID_KEY)
    if not isinstance(found, str) or not _REQUEST_ID.fullmatch(found):
        found = f"req-{uuid.uuid4()}"
        environ[REQUEST_ID_KEY] = found
    return found


def _check_decodable(req: webob.Request) -> None:
    """400 for a path or query string that is not UTF-8 once percent-decoded (webob would
    raise while routing, or when a handler reads ``?action=``)."""
    try:
        req.path_info  # noqa: B018 - decoding is the check
    except UnicodeDecodeError as exc:
        raise RequestRefused(400, "Bad request: the path is not valid UTF-8") from exc
    try:
        req.GET  # noqa: B018
    except UnicodeDecodeError as exc:
        raise RequestRefused(400, "Bad request: the query string is not valid UTF-8") from exc


class OCCIMiddleware:
    """Serves OCCI; ``application`` is nova's compute app when in nova's pipeline, or None when
    standalone (then nova too is reached over HTTP at its catalog endpoint)."""

    def __init__(
        self,
        application: WSGIApp | None,
        openstack_version: str = "/v2.1",
        neutron_ooi_endpoint: str | None = None,
    ) -> None:
        if openstack_version not in ("/v2", "/v2.0", "/v2.1"):
            raise ValueError(f"openstack_version must be /v2 or /v2.1, not {openstack_version!r}")
        self.application = application
        self.openstack_version = openstack_version
        # Secrets masked in whatever the process logs (nova's lines too, in its pipeline).
        logs.protect()
        # Deprecated as a filter option (nova.conf's neutron_ooi_endpoint wins), as before.
        self._filter_neutron_endpoint = neutron_ooi_endpoint

    @classmethod
    def factory(cls, global_conf: dict[str, str], **local_conf: str) -> Callable[[WSGIApp], Any]:
        """Paste ``filter_factory``: ``[filter:occi]`` with option ``openstack_version``."""
        unknown = set(local_conf) - _FILTER_OPTIONS
        if unknown:
            raise ValueError(f"unknown [filter:occi] option(s): {', '.join(sorted(unknown))}")

        def _filter(app: WSGIApp) -> OCCIMiddleware:
            return cls(app, **local_conf)

        return _filter

    # -- settings read per request, so that a reloaded configuration applies ------------------

    def _settings(self) -> Settings:
        return Settings(
            cache_ttl=float(CONF.ooi_cache_ttl),
            default_network=CONF.ooi_default_network,
            default_image=CONF.ooi_default_os_tpl,
            default_flavor=CONF.ooi_default_resource_tpl,
            max_page_size=CONF.ooi_max_page_size,
            store_url=CONF.ooi_store_url,
            limits=limits.Limits(
                body_bytes=CONF.ooi_max_body_size,
                header_count=CONF.ooi_max_header_count,
                header_bytes=CONF.ooi_max_header_size,
                inline_links=CONF.ooi_max_inline_links,
                attribute_chars=CONF.ooi_max_attribute_length,
            ),
            keystone_uri=CONF.ooi_keystone_uri
            or _conf_value("keystone_authtoken", "www_authenticate_uri")
            or _conf_value("keystone_authtoken", "auth_uri"),
        )

    def _endpoint_url(self, req: webob.Request) -> str:
        """This endpoint's absolute URL: under ``ooi_public_endpoint`` when the site set it;
        else from the request's Host (checked) and scheme (behind a TLS proxy: the one
        ``ooi_secure_proxy_ssl_header`` names, when it is http or https)."""
        if CONF.ooi_public_endpoint:
            return f"{CONF.ooi_public_endpoint.rstrip('/')}{req.script_name}/"
        scheme = req.scheme
        if CONF.ooi_secure_proxy_ssl_header:
            proxied = str(req.environ.get(CONF.ooi_secure_proxy_ssl_header) or "").lower()
            scheme = proxied if proxied in ("http", "https") else scheme
        if not _HOST.fullmatch(req.host):
            raise RequestRefused(400, "Bad request: the Host header is not a host name and port")
        return f"{scheme}://{req.host}{req.script_name}/"

    def _category_base(self, req: webob.Request) -> str:
        """What Category locations start with (``ooi_location_style``); entity locations
        always start with the endpoint's absolute URL."""
        if CONF.ooi_location_style == "absolute":
            return self._endpoint_url(req)
        return f"{req.script_name}/"

    def _endpoints(self, catalog: Catalog) -> dict[str, str | None]:
        network = CONF.neutron_ooi_endpoint or self._filter_neutron_endpoint
        if CONF.ooi_network_api == "nova":
            network = None
        elif not network and catalog.url("network"):
            network = catalog.url("network") + "/v2.0"
        overrides = CONF.ooi_service_endpoints or {}
        return {
            "compute": overrides.get("compute") or catalog.url("compute"),
            "network": network.rstrip("/") if network else None,
            "volume": overrides.get("volume") or catalog.url("volume"),
            "image": overrides.get("image") or catalog.url("image"),
        }

    # -- the request cycle --------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        metered = CONF.ooi_debug_headers
        if metered:
            started = time.thread_time()
            cpu_meter.reset()
        req = webob.Request(environ)
        request_id = _request_id(environ)
        logs.bind_request(request_id)
        resp = self._handle(req)
        resp.headers["Server"] = SERVER_HEADER
        resp.headers["X-Openstack-Request-Id"] = request_id
        for warning in environ.get(WARNINGS_KEY, ()):
            # RFC 7234 §5.5: 199 "miscellaneous warning"; the text as a quoted-string.
            text = _CONTROL.sub(" ", warning).replace("\\", "").replace('"', "'")
            resp.headers.add("Warning", f'199 ooi "{text}"')
        if metered:
            # This thread's CPU: ooi's own work, and that of its HTTP client (in the services'
            # answers: sending, reading, JSON). Authentication runs before ooi: not counted.
            http = cpu_meter.spent()
            own = time.thread_time() - started - http
            resp.headers["X-OOI-CPU"] = f"own={own * 1000:.3f}ms, http={http * 1000:.3f}ms"
        return resp(environ, start_response)

    def _handle(self, req: webob.Request) -> webob.Response:
        renderer: Renderer = TextPlainRenderer()
        try:
            _check_decodable(req)
            limits.check_headers(req, self._settings().limits)
            version = occi_version(req)
            renderer = renderer_for(
                response_media_type(req), self._endpoint_url(req), version, self._category_base(req)
            )
            return self._dispatch(req, version, renderer)
        except BackendError as exc:
            resp = self._error(renderer, exc.status, exc.message)
            if exc.retry_after is not None:
                resp.headers["Retry-After"] = str(exc.retry_after)
            return resp
        except (RequestRefused, InvalidInput) as exc:
            return self._error(renderer, exc.status, exc.message)
        except Exception:
            # The raw environ values: decoding the path is what may have failed.
            LOG.exception(
                "[%s] unexpected error in ooi serving %r %r",
                req.environ.get(REQUEST_ID_KEY),
                req.environ.get("REQUEST_METHOD"),
                req.environ.get("PATH_INFO"),
            )
            return self._error(renderer, 500, "Internal error in ooi; the log has the details")

    def _error(self, renderer: Renderer, status: int, message: str) -> webob.Response:
        try:
            rendered = renderer.error(status, message)
        except Exception:  # a rendering that cannot carry errors falls back to text/plain
            rendered = TextPlainRenderer().error(status, message)
        return to_response(rendered, status)

    def _dispatch(self, req: webob.Request, version: str, renderer: Renderer) -> webob.Response:
        settings = self._settings()
        token = req.headers.get("X-Auth-Token")
        if not token or req.headers.get("X-Identity-Status") == "Invalid":
            return challenge_response(settings.keystone_uri)
        project_id = req.headers.get("X-Project-Id")
        if not project_id:
            raise RequestRefused(403, "Forbidden: Cannot find project ID in the token")

        match = ROUTER.match(req.path_info or "/")
        if match is None:
            raise RequestRefused(404, f"Not found: {req.path_info or '/'}")
        handler = match.handler(req.method)
        if handler is None:
            resp = self._error(renderer, 405, f"{req.method} is not allowed on {req.path_info}")
            resp.headers["Allow"] = ", ".join(match.allowed)
            return resp
        limits.read_body(req, settings.limits)

        catalog = Catalog.from_header(req.headers.get("X-Service-Catalog"))
        endpoints = self._endpoints(catalog)
        # The request's one deadline starts with its transport: every backend call shares it.
        timeout = float(CONF.ooi_backend_timeout)
        down = float(CONF.ooi_backend_down_seconds)
        if self.application is not None:
            transport: HTTPTransport = PipelineTransport(
                self.application,
                self.openstack_version,
                req.environ,
                endpoints,
                token,
                timeout,
                down_seconds=down,
            )
        else:
            transport = HTTPTransport(
                endpoints, token, timeout, req.environ.get(REQUEST_ID_KEY), down_seconds=down
            )
        ctx = Context(
            request=req,
            version=version,
            renderer=renderer,
            openstack=OpenStack(transport, project_id),
            settings=settings,
            params=match.params,
            endpoint_url=self._endpoint_url(req),
        )
        resp = handler(ctx)
        if CONF.ooi_debug_headers:
            calls = sorted(ctx.openstack.calls.items())
            resp.headers["X-OOI-Backend-Calls"] = ", ".join(f"{s}={n}" for s, n in calls)
        return resp
