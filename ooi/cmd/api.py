"""`ooi-api`: ooi as a server of its own, in front of any OpenStack cloud.

    ooi-api --config-file /etc/nova/nova.conf [--config-file /etc/ooi/ooi.conf]

reads ooi's options from ``[DEFAULT]`` (``ooi_listen``, ``ooi_listen_port``, ``ooi_workers``, …)
and keystonemiddleware's from ``[keystone_authtoken]``, and serves OCCI 1.1 and 1.2 at
``/occi1.1`` and ``/occi1.2`` with every OpenStack service reached over HTTP.

Signals: SIGHUP rereads the configuration files and replaces the workers (requests in progress
finish on the old ones; a changed ``ooi_listen``/``ooi_listen_port`` needs a restart); SIGTERM
and SIGINT stop after the requests in progress. Exit status: 0 after a signal, 2 for a
configuration that cannot be read (the message says what is wrong), 3 when the address cannot
be listened on (e.g. the port is taken).
"""

from __future__ import annotations

import errno
import socket
import sys

from oslo_config import cfg

from ooi import __version__, logs, opts
from ooi.cmd.wsgi_server import serve, server_options

EXIT_BAD_CONFIG = 2
EXIT_CANNOT_LISTEN = 3


def _check_listen(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None (gunicorn itself would retry for
    seconds and then say less)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        return f"cannot listen on {host}:{port}: {reason}"
    return None


def main(argv: list[str] | None = None) -> None:
    conf = cfg.CONF
    opts.register(conf)
    logs.register(conf)
    try:
        conf(
            sys.argv[1:] if argv is None else argv,
            project="ooi",
            prog="ooi-api",
            version=__version__,
        )
        # Values are checked when first read: read ours now, not in a worker that would die.
        for opt in opts.OPTS:
            conf[opt.dest]
        host, port = conf.ooi_listen, conf.ooi_listen_port
    except (cfg.Error, ValueError) as exc:
        print(f"ooi-api: configuration error: {exc}", file=sys.stderr)
        sys.exit(EXIT_BAD_CONFIG)
    problem = _check_listen(host, port)
    if problem:
        print(f"ooi-api: {problem}", file=sys.stderr)
        sys.exit(EXIT_CANNOT_LISTEN)
    logs.setup(conf, "ooi")

    def load_app():  # noqa: ANN202 - a WSGI app, made in each worker
        from ooi.wsgi import standalone

        return standalone.make_app(conf)

    def options() -> dict[str, object]:
        # The address stays what the master bound at start; workers may change on SIGHUP.
        return server_options(host, port, conf.ooi_workers)

    serve(load_app, options, reread=conf.reload_config_files)


if __name__ == "__main__":
    main()
