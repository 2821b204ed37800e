"""ooi outside nova's pipeline: its own Keystone authentication, every service over HTTP.

The pipeline is the same as in nova, less nova: `KeystoneChallenge` → keystonemiddleware's
`AuthProtocol` (options from ``[keystone_authtoken]``; it validates the token and hands on the
project and the service catalog) → `OCCIMiddleware` without a wrapped app, so that nova too is
reached at its catalog endpoint. Served under ``/occi1.1`` and ``/occi1.2``, as in nova.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from keystonemiddleware import auth_token
from oslo_config import cfg

from ooi.wsgi import OCCIMiddleware
from ooi.wsgi.auth import KeystoneChallenge

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MOUNT_POINTS = ("/occi1.1", "/occi1.2")
# Read by the WSGI module (ooi.wsgi.api) when the environment names no configuration.
DEFAULT_CONFIG = Path("/etc/ooi/ooi.conf")


class MountPoints:
    """Moves a leading ``/occi1.x`` from PATH_INFO to SCRIPT_NAME, as nova's urlmap does, so
    that rendered URLs keep the prefix; other paths are served at the root."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        for prefix in MOUNT_POINTS:
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix) :]
                break
        return self.app(environ, start_response)


def make_app(conf: cfg.ConfigOpts | None = None) -> WSGIApp:
    """The standalone OCCI app, configured from ``conf`` (default: the global CONF)."""
    occi = OCCIMiddleware(None)
    authenticated = auth_token.AuthProtocol(occi, {"oslo_config_config": conf or cfg.CONF})
    return MountPoints(KeystoneChallenge(authenticated))


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
