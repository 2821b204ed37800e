"""The standalone OCCI service from a paste file (``etc/ooi/api-paste.ini``), for sites that
compose their WSGI pipelines with PasteDeploy (``gunicorn --paste``, ``uwsgi --paste``) to put
their own filters in front of it (a health check, CORS, request limits, ...).

The app's section may name ooi's configuration with ``config_file`` (several, comma-separated,
read in order) and ``config_dir``; without either, the environment names it as for the WSGI
module (``OOI_CONFIG_FILES``, ``OOI_CONFIG_DIR``, else ``/etc/ooi/ooi.conf``).
"""

from __future__ import annotations

import os
from typing import Any

from ooi.wsgi import standalone


def app_factory(global_conf: dict[str, Any], **local_conf: str) -> standalone.WSGIApp:
    """``paste.app_factory`` of the standalone app."""
    environ = dict(os.environ)
    if local_conf.get("config_file") or local_conf.get("config_dir"):
        environ = {
            "OOI_CONFIG_FILES": local_conf.get("config_file", ""),
            "OOI_CONFIG_DIR": local_conf.get("config_dir", ""),
        }
    return standalone.init_application(standalone.config_args(environ))
