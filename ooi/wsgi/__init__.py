"""The OCCI middleware (Paste filter).

Until the middleware issue lands this is a pass-through placeholder so that the cloud in a box can
already wire `ooi.wsgi:OCCIMiddleware.factory` into nova's pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OCCIMiddleware:
    """Wraps the OpenStack compute app; for now hands every request on unchanged."""

    def __init__(self, application: WSGIApp, openstack_version: str = "/v2.1") -> None:
        self.application = application
        self.openstack_version = openstack_version

    @classmethod
    def factory(cls, global_conf: dict[str, str], **local_conf: str) -> Callable[[WSGIApp], Any]:
        """Paste `filter_factory`: returns a function that wraps the next app."""

        def _filter(app: WSGIApp) -> OCCIMiddleware:
            return cls(app, **local_conf)

        return _filter

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        return self.application(environ, start_response)
