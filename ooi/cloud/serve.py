"""`python -m ooi.cloud.serve SERVICE STATE_DIR`: one service of the box under gunicorn.

Why gunicorn: it is what these WSGI apps are deployed with (uwsgi and mod_wsgi are the other
two), handles keep-alive, chunked bodies and graceful shutdown, and its master reports a worker
that fails to boot by exiting, which the supervisor turns into the log's tail. One worker per
service (nova's conductor, scheduler and compute live in it and must not be forked), with a few
threads (`gthread`). The app is loaded in the worker, after the fork, from `ooi.cloud.apps`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from ooi.cloud import apps, settings
from ooi.cmd.wsgi_server import keep_app_server_header

# neutron on sqlite: one thread (more give "database is locked" under load).
THREADS = {"keystone": 4, "placement": 4, "glance": 4, "cinder": 4, "neutron": 1, "nova": 8}


class ServiceServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, service: str, box: settings.Box) -> None:
        self.service = service
        self.box = box
        super().__init__()

    def load_config(self) -> None:
        binds = [f"{self.box.host}:{self.box.ports[self.service]}"]
        if self.service == "nova":
            host, port = apps.ooi_listen(self.box)
            binds.append(f"{host}:{port}")
        options: dict[str, Any] = {
            "bind": binds,
            "workers": 1,
            "worker_class": "gthread",
            "threads": THREADS[self.service],
            "timeout": 600,
            "graceful_timeout": 5,
            "keepalive": 5,
            # No limit on the request line, as devstack's uwsgi (64 KiB buffers): nova asks
            # neutron for the ports of all the servers it lists in one GET, whose query outgrows
            # gunicorn's default 4094 bytes at about 75 servers (nova then answers 500).
            "limit_request_line": 0,
            "proc_name": f"ooi-box-{self.service}",
            "control_socket_disable": True,
            "worker_exit": _exit_now,
            "errorlog": "-",
            "loglevel": "info",
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> apps.WSGIApp:
        return apps.load(self.service, self.box)


keep_app_server_header()


def _exit_now(server: Any, worker: Any) -> None:
    """The services leave non-daemon threads behind; a worker that is done must not wait.

    A worker that never booted exits with gunicorn's WORKER_BOOT_ERROR, so that the master
    halts (and the supervisor reports the log) instead of booting it again and again.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if worker.booted else server.WORKER_BOOT_ERROR)


def main(argv: list[str]) -> None:
    service, state = argv
    box = settings.load(Path(state))
    sys.argv = [f"ooi-box-{service}"]
    ServiceServer(service, box).run()


if __name__ == "__main__":
    main(sys.argv[1:])
