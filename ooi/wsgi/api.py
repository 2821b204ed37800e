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

from ooi.wsgi import standalone


def init_application() -> standalone.WSGIApp:
    """The standalone app, configured from the files the environment names."""
    return standalone.init_application(standalone.config_args())


application = init_application()
