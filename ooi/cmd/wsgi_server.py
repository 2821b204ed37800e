"""A production WSGI server for ooi's apps: gunicorn, with worker processes.

gunicorn (27) treats an app's `Server` header as its own business and always sends
`Server: gunicorn`; OCCI requires the server to name its OCCI versions there
(http_protocol.tex §Versioning), so an app's own `Server` value wins here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Response(gunicorn_wsgi.Response):  # type: ignore[misc]
    def process_headers(self, headers: list[tuple[str, str]]) -> None:
        own = [value for name, value in headers if name.lower() == "server"]
        super().process_headers(headers)
        if own:
            self.version = own[-1].strip(" \t")


def keep_app_server_header() -> None:
    """Make gunicorn send the app's `Server` header (idempotent; process-wide)."""
    gunicorn_wsgi.Response = _Response


class WSGIServer(BaseApplication):  # type: ignore[misc]
    """Serves the app made by ``load_app`` in each worker (after the fork: nothing is shared)."""

    def __init__(self, load_app: Callable[[], WSGIApp], options: dict[str, Any]) -> None:
        self._load_app = load_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self._load_app()


def serve(
    load_app: Callable[[], WSGIApp],
    host: str,
    port: int,
    workers: int | None = None,
    threads: int = 8,
    name: str = "ooi-api",
) -> None:
    """Runs until SIGTERM/SIGINT; ``workers`` None means one per CPU."""
    keep_app_server_header()
    options = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers or os.cpu_count() or 1,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": 5,
        "proc_name": name,
        "control_socket_disable": True,
        "errorlog": "-",
        "accesslog": "-",
    }
    WSGIServer(load_app, options).run()
