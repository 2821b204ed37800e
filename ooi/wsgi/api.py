"""The standalone OCCI service as a WSGI module, for the WSGI servers sites run nova under:

    OOI_CONFIG_FILES=/etc/ooi/ooi.conf uwsgi --http :8787 --module ooi.wsgi.api:application
    OOI_CONFIG_FILES=/etc/ooi/ooi.conf gunicorn -w 4 ooi.wsgi.api:application

The same app as `ooi-api` serves (its own Keystone authentication, every OpenStack service over
HTTP, OCCI at /occi1.1 and /occi1.2), configured like nova's own WSGI modules by environment
variables, since a WSGI server's command line is not ours to parse:

- ``OOI_CONFIG_FILES``: configuration files, comma-separated, read in order;
- ``OOI_CONFIG_DIR``: a directory whose ``*.conf`` files are read after them (as
  oslo.config's ``--config-dir``);
- neither: ``/etc/ooi/ooi.conf`` when it exists.

``ooi_listen``, ``ooi_listen_port`` and ``ooi_workers`` are the WSGI server's business here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from oslo_config import cfg

from ooi import __version__, logs, opts
from ooi.cmd.wsgi_server import keep_app_server_header
from ooi.wsgi import standalone

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def init_application(conf: cfg.ConfigOpts | None = None) -> WSGIApp:
    """The standalone app, configured from the files the environment names."""
    conf = conf or cfg.CONF
    opts.register(conf)
    logs.register(conf)
    # Arguments of our own: the WSGI server's command line is not for oslo.config.
    conf(standalone.config_args(), project="ooi", prog="ooi-wsgi", version=__version__)
    # As ooi-api: oslo.log, request ids, secrets masked.
    logs.setup(conf, "ooi")
    # Under gunicorn, the app's Server header (which names the OCCI versions) must get through;
    # elsewhere this changes nothing.
    keep_app_server_header()

    return standalone.make_app(conf)


application = init_application()
