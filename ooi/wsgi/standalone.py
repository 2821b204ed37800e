"""ooi outside nova's pipeline: its own Keystone authentication, every service over HTTP.

The pipeline is the same as in nova, less nova: `KeystoneChallenge` → keystonemiddleware's
`AuthProtocol` (options from ``[keystone_authtoken]``; it validates the token and hands on the
project and the service catalog) → `OCCIMiddleware` without a wrapped app, so that nova too is
reached at its catalog endpoint. Served under ``/occi1.1`` and ``/occi1.2``, as in nova, and at
the root of the port in the version ``ooi_root_version`` names (clients that join their endpoint
URL and a Category location, ``/compute/``, need an endpoint there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from keystonemiddleware import auth_token
from oslo_config import cfg

from ooi.api.negotiation import ROOT_VERSION_KEY
from ooi.wsgi import OCCIMiddleware
from ooi.wsgi.auth import KeystoneChallenge

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MOUNT_POINTS = ("/occi1.1", "/occi1.2")
# Read by the WSGI module (ooi.wsgi.api) when the environment names no configuration.
DEFAULT_CONFIG = Path("/etc/ooi/ooi.conf")


class MountPoints:
    """Moves a leading ``/occi1.x`` from PATH_INFO to SCRIPT_NAME, as nova's urlmap does, so
    that rendered URLs keep the prefix; other paths are the root endpoint, which speaks
    ``root_version`` (None: there is none, 404)."""

    def __init__(self, app: WSGIApp, root_version: str | None = "1.2") -> None:
        self.app = app
        self.root_version = root_version

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        for prefix in MOUNT_POINTS:
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix) :]
                return self.app(environ, start_response)
        if self.root_version is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found: OCCI is served at /occi1.1 and /occi1.2"]
        environ[ROOT_VERSION_KEY] = self.root_version
        return self.app(environ, start_response)


def make_app(conf: cfg.ConfigOpts | None = None) -> WSGIApp:
    """The standalone OCCI app, configured from ``conf`` (default: the global CONF)."""
    conf = conf or cfg.CONF
    occi = OCCIMiddleware(None)
    authenticated = auth_token.AuthProtocol(occi, {"oslo_config_config": conf})
    root = None if conf.ooi_root_version == "none" else conf.ooi_root_version
    return MountPoints(KeystoneChallenge(authenticated), root)


def init_application(config_args: list[str], conf: cfg.ConfigOpts | None = None) -> WSGIApp:
    """The standalone app as a WSGI server loads it (the WSGI module, a paste file):
    configured from ``config_args`` (oslo.config's ``--config-file``/``--config-dir``), logging
    as ``ooi-api`` does."""
    from ooi import __version__, logs, opts
    from ooi.cmd.wsgi_server import keep_app_server_header

    conf = conf or cfg.CONF
    opts.register(conf)
    logs.register(conf)
    # Arguments of our own: the WSGI server's command line is not for oslo.config.
    conf(config_args, project="ooi", prog="ooi-wsgi", version=__version__)
    # As ooi-api: oslo.log, request ids, secrets masked.
    logs.setup(conf, "ooi")
    # Under gunicorn, the app's Server header (which names the OCCI versions) must get through;
    # elsewhere this changes nothing.
    keep_app_server_header()
    return make_app(conf)


def config_args(environ: Mapping[str, str] = os.environ) -> list[str]:
    """oslo.config arguments naming the configuration the environment points at."""
    files = [f.strip() for f in environ.get("OOI_CONFIG_FILES", "").split(",") if f.strip()]
    directory = environ.get("OOI_CONFIG_DIR", "").strip()
    if not files and not directory and DEFAULT_CONFIG.exists():
        files = [str(DEFAULT_CONFIG)]
    args = [arg for name in files for arg in ("--config-file", name)]
    if directory:
        args += ["--config-dir", directory]
    return args
