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
    """Serves the app made by ``load_app`` in each worker (after the fork: nothing is shared).

    On SIGHUP gunicorn's master calls ``reload``: ``reread`` (if given) reads the configuration
    anew, the master takes its options, and the new workers build their app from it while the
    old ones finish what they are serving."""

    def __init__(
        self,
        load_app: Callable[[], WSGIApp],
        options: Callable[[], dict[str, Any]],
        reread: Callable[[], bool] | None = None,
    ) -> None:
        self._load_app = load_app
        self._options = options
        self._reread = reread
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options().items():
            self.cfg.set(key, value)

    def reload(self) -> None:
        if self._reread is not None:
            # False when a file is broken: the running configuration stays (oslo.config logs why).
            self._reread()
        super().reload()

    def load(self) -> WSGIApp:
        return self._load_app()


def server_options(
    host: str, port: int, workers: int | None = None, threads: int = 8, name: str = "ooi-api"
) -> dict[str, Any]:
    """gunicorn's settings for ooi: ``workers`` None means one per CPU."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers or os.cpu_count() or 1,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,
        # SIGTERM: requests in progress get this long to finish before workers are killed.
        "graceful_timeout": 30,
        "keepalive": 5,
        "proc_name": name,
        "control_socket_disable": True,
        "errorlog": "-",
        "accesslog": "-",
    }


def serve(
    load_app: Callable[[], WSGIApp],
    options: Callable[[], dict[str, Any]],
    reread: Callable[[], bool] | None = None,
) -> None:
    """Runs until SIGTERM/SIGINT (graceful: requests in progress finish); SIGHUP rereads the
    configuration and replaces the workers without dropping requests; dead workers are
    replaced. ``options`` gives gunicorn's settings (see ``server_options``), again after each
    reread."""
    keep_app_server_header()
    WSGIServer(load_app, options, reread).run()
