"""Which OCCI version and which media types a request speaks."""

from __future__ import annotations

import re

import webob
from webob.acceptparse import AcceptValidHeader

from ooi import __version__
from ooi.occi.parsing import PARSABLE_MEDIA_TYPES
from ooi.occi.rendering import RENDERERS

SUPPORTED_VERSIONS = ("1.1", "1.2")
SERVER_HEADER = f"ooi/{__version__} OCCI/1.2 OCCI/1.1"
DEFAULT_VERSION = "1.2"
# The version of an endpoint at a port's root (ooi-api's ``ooi_root_version``), in the environ.
ROOT_VERSION_KEY = "ooi.root_version"

_VERSION_IN_AGENT = re.compile(r"(?<![\w.])OCCI/(\d+\.\d+)(?![\w.])")
_VERSION_IN_PREFIX = re.compile(r"/occi(\d+\.\d+)$")

# Offered in this order: text/plain first, as the default for */* and a missing Accept.
_OFFERS = list(RENDERERS)


class RequestRefused(Exception):
    """The request cannot be served as asked (unsupported version or media type, no project,
    unknown path, too large): the status to answer and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def occi_version(req: webob.Request) -> str:
    """The OCCI version to speak: the one the client's User-Agent names, else the one of the
    mount point (``/occi1.1``), else 1.2. A version ooi does not speak → 501."""
    asked = set(_VERSION_IN_AGENT.findall(req.user_agent or ""))
    unsupported = sorted(asked - set(SUPPORTED_VERSIONS))
    if unsupported and not asked & set(SUPPORTED_VERSIONS):
        raise RequestRefused(
            501,
            f"OCCI/{unsupported[0]} is not supported; this server speaks "
            + " and ".join(f"OCCI/{v}" for v in SUPPORTED_VERSIONS),
        )
    prefix = _VERSION_IN_PREFIX.search(req.script_name.rstrip("/"))
    mount = prefix.group(1) if prefix else req.environ.get(ROOT_VERSION_KEY)
    if mount in SUPPORTED_VERSIONS and (not asked or mount in asked):
        return str(mount)
    for version in SUPPORTED_VERSIONS[::-1]:
        if version in asked:
            return version
    return DEFAULT_VERSION


def response_media_type(req: webob.Request) -> str:
    """The rendering to answer with, from Accept: text/plain when absent or ``*/*``, 406 when
    nothing acceptable is offered."""
    header = req.headers.get("Accept", "").strip()
    if not header:
        return "text/plain"
    accept = req.accept
    if not isinstance(accept, AcceptValidHeader):
        raise RequestRefused(406, f"the Accept header cannot be parsed: {header[:100]!r}")
    offers = accept.acceptable_offers(_OFFERS)
    if not offers:
        raise RequestRefused(
            406, f"none of the accepted media types is offered; offered: {', '.join(_OFFERS)}"
        )
    return offers[0][0]


def request_media_type(req: webob.Request) -> str:
    """The rendering a request body is in, from Content-Type.

    The Infrastructure Manager sends a list (``text/plain,text/occi``): the first supported
    entry wins. No Content-Type means the OCCI headers carry the request (text/occi).
    """
    header = req.headers.get("Content-Type", "").strip()
    if not header:
        return "text/occi"
    for entry in header.split(","):
        media_type = entry.split(";", 1)[0].strip().lower()
        if media_type in PARSABLE_MEDIA_TYPES:
            return media_type
        if media_type == "text/occi+plain":
            return "text/plain"
    raise RequestRefused(
        415,
        f"request Content-Type {header[:100]!r} is not supported; "
        f"send one of {', '.join(PARSABLE_MEDIA_TYPES)}",
    )


__all__ = [
    "RequestRefused",
    "occi_version",
    "request_media_type",
    "response_media_type",
]
