"""`python bench/original_nova.py CONFIG_DIR HOST PORT`: nova's API with the original ooi 1.2.0.

Started by bench/original.py with `PYTHONPATH=bench/.original`, so that `ooi` here is the
original's package, never ours (this file imports nothing of ours). It is a second nova API
process over the box's databases and services; it loads the paste app `ooi` of
CONFIG_DIR/api-paste.ini, whose pipeline ends in `bench_nova` (below) instead of nova's compute
app.

Why `bench_nova`: the box runs conductor, scheduler and compute inside its own nova process on
an in-memory message bus, which this process cannot reach. Reads (GET, HEAD) go to nova's compute
app in this process, as they would in the original's deployment; anything that changes a
server (POST, PUT, DELETE) is forwarded over HTTP to the box's nova API, whose RPC reaches the
compute service. Writes through the original therefore pay one loopback HTTP hop more than ours
in nova's pipeline (the README says so beside the numbers).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class ReadsHereWritesThere:
    """GET and HEAD to `local`; other methods over HTTP to the box's nova at `remote`."""

    def __init__(self, local: WSGIApp, remote: str) -> None:
        import requests

        self.local = local
        self.remote = remote.rstrip("/")
        self.session = requests.Session()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            return self.local(environ, start_response)
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key not in ("HTTP_HOST", "HTTP_CONNECTION")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        url = self.remote + environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            url += "?" + environ["QUERY_STRING"]
        resp = self.session.request(
            environ["REQUEST_METHOD"], url, data=body, headers=headers, timeout=120
        )
        kept = [(k, v) for k, v in resp.headers.items() if k.lower() not in HOP_BY_HOP]
        kept.append(("Content-Length", str(len(resp.content))))
        start_response(f"{resp.status_code} {resp.reason}", kept)
        return [resp.content]


def app_factory(global_conf: dict[str, str], remote: str, **local: str) -> WSGIApp:
    """Paste factory of `[app:bench_nova]`: nova's compute app behind the read/write split."""
    from nova.api.openstack.compute import APIRouterV21

    return ReadsHereWritesThere(APIRouterV21.factory(global_conf, **local), remote)


def load(config_dir: str) -> WSGIApp:
    from nova import monkey_patch

    monkey_patch.patch(backend="threading")
    os.environ["OS_NOVA_CONFIG_DIR"] = config_dir
    os.environ["OS_NOVA_CONFIG_FILES"] = "api-paste.ini;nova.conf"
    sys.argv = ["nova-api-os-compute"]
    from nova.api.openstack import wsgi_app
    from paste import deploy

    wsgi_app.init_global_data(wsgi_app._get_config_files(), "osapi_compute", sys.argv[0])
    return deploy.loadapp(f"config:{config_dir}/api-paste.ini", name="ooi")


def main(argv: list[str]) -> None:
    from gunicorn.app.base import BaseApplication

    config_dir, host, port = argv

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            # As the box's nova process: one worker, eight threads.
            options = {
                "bind": [f"{host}:{port}"],
                "workers": 1,
                "worker_class": "gthread",
                "threads": 8,
                "timeout": 120,
                "keepalive": 5,
                "proc_name": "ooi-bench-original",
                "control_socket_disable": True,
                "errorlog": "-",
                "loglevel": "warning",
                # nova leaves non-daemon threads behind: a worker that is done exits now.
                "worker_exit": lambda server, worker: os._exit(0),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIApp:
            return load(config_dir)

    Server().run()


if __name__ == "__main__":
    main(sys.argv[1:])
