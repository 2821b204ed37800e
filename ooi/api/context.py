"""Everything a handler needs about one OCCI request, and how it answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import webob

from ooi.api.limits import Limits, check_document
from ooi.api.negotiation import request_media_type
from ooi.occi.parsing import parser_for
from ooi.occi.rendering import Rendered, Renderer
from ooi.openstack.client import OpenStack

# Where ``Context.warn`` keeps the warnings of a request (the middleware renders them).
WARNINGS_KEY = "ooi.warnings"


@dataclass(frozen=True)
class Settings:
    """Deployment settings the handlers read (from ooi's options)."""

    cache_ttl: float = 30.0
    keystone_uri: str | None = None
    # Network of a compute created without network links (``ooi_default_network``).
    default_network: str | None = None
    # Templates of a create that names none (``ooi_default_os_tpl``, ``…_resource_tpl``).
    default_image: str | None = None
    default_flavor: str | None = None
    # Most entities one page of a collection holds (``ooi_max_page_size``).
    max_page_size: int = 1000
    # Where user mixins are defined (``ooi_store_url``).
    store_url: str = "sqlite://"
    # What one request may carry (``ooi_max_*``).
    limits: Limits = field(default_factory=Limits)


@dataclass
class Context:
    request: webob.Request
    version: str
    renderer: Renderer
    openstack: OpenStack
    settings: Settings
    params: dict[str, str] = field(default_factory=dict)
    # The endpoint's absolute URL (ending in /): what client references are read against, and
    # what `Location` headers start with, whatever the rendering's location style.
    endpoint_url: str = "/"

    def warn(self, message: str) -> None:
        """Say on the answer (a ``Warning`` header) that it lacks something, e.g. the data of a
        service that failed."""
        self.request.environ.setdefault(WARNINGS_KEY, []).append(message)

    def absolute_url(self, location: str) -> str:
        return location if "://" in location else self.endpoint_url + location.lstrip("/")

    def parse(self, operation: str) -> Any:
        """The request body (or OCCI headers) parsed as ``operation`` (e.g. parse_entity)."""
        parse = parser_for(request_media_type(self.request), operation)
        doc = parse(self.request.headers.items(), self.request.body)
        check_document(doc, self.settings.limits)
        return doc

    def header_filter(self) -> Any:
        """Categories named in the request headers, for filtering (text/occi style)."""
        if "HTTP_CATEGORY" not in self.request.environ:  # the header, without webob's view
            return []
        parse = parser_for("text/occi", "parse_categories")
        return parse(self.request.headers.items(), b"")

    def respond(
        self,
        rendered: Rendered,
        status: int = 200,
        headers: Sequence[tuple[str, str]] = (),
    ) -> webob.Response:
        return to_response(rendered, status, headers)


def to_response(
    rendered: Rendered, status: int = 200, headers: Sequence[tuple[str, str]] = ()
) -> webob.Response:
    resp = webob.Response(status=status, body=rendered.body, charset=None)
    resp.content_type = rendered.content_type
    for name, value in (*rendered.headers, *headers):
        resp.headers.add(name, value)
    return resp
