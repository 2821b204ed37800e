"""Answers every collection gives the same way: 201 for a new entity, 204 for a deletion, 404
for what the backend does not have."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import webob

from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi.rendering import Rendered
from ooi.openstack.errors import BackendError

T = TypeVar("T")


def created(ctx: Context, location: str) -> webob.Response:
    """201 with the new entity's URL in ``Location``, ``X-OCCI-Location`` and the body (IM takes
    a new storage's id from the body; others read one of the headers)."""
    url = ctx.absolute_url(location)
    rendered = ctx.renderer.locations([location])
    headers = [("Location", url)]
    if not any(name.lower() == "x-occi-location" for name, _ in rendered.headers):
        headers.append(("X-OCCI-Location", url))
    return ctx.respond(rendered, 201, headers)


def no_content(ctx: Context) -> webob.Response:
    """204: no body, but a Content-Type all the same (jOCCI reads it on every answer)."""
    return ctx.respond(Rendered(ctx.renderer.empty().content_type, (), b""), 204)


def or_404(what: str, call: Callable[[], T]) -> T:
    """``call()``, with the backend's 404 answered as "Not found: no ``what``"."""
    try:
        return call()
    except BackendError as exc:
        if exc.status == 404:
            raise RequestRefused(404, f"Not found: no {what}") from exc
        raise
