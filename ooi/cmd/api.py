"""`ooi-api`: ooi as a server of its own, in front of any OpenStack cloud.

    ooi-api --config-file /etc/nova/nova.conf [--config-file /etc/ooi/ooi.conf]

reads ooi's options from ``[DEFAULT]`` (``ooi_listen``, ``ooi_listen_port``, ``ooi_workers``, …)
and keystonemiddleware's from ``[keystone_authtoken]``, and serves OCCI 1.1 and 1.2 at
``/occi1.1`` and ``/occi1.2`` with every OpenStack service reached over HTTP.
"""

from __future__ import annotations

import logging
import sys

from oslo_config import cfg

from ooi import __version__, opts
from ooi.cmd.wsgi_server import serve


def main(argv: list[str] | None = None) -> None:
    conf = cfg.CONF
    opts.register(conf)
    conf(
        sys.argv[1:] if argv is None else argv,
        project="ooi",
        prog="ooi-api",
        version=__version__,
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    def load_app():  # noqa: ANN202 - a WSGI app, made in each worker
        from ooi.wsgi import standalone

        return standalone.make_app(conf)

    serve(load_app, conf.ooi_listen, conf.ooi_listen_port, conf.ooi_workers)


if __name__ == "__main__":
    main()
