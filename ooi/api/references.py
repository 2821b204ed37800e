"""References to OCCI entities that clients send (link targets, ``X-OCCI-Location`` values),
turned into model locations (``network/ID``).

Clients write the same reference three ways (reference/clients-in-the-wild.md §4): an absolute
URL (``http://host:8787/occi1.2/network/ID``), a host-absolute path with the endpoint's prefix
(``/occi1.2/network/ID``, IM), or a path relative to the endpoint (``/network/ID`` or
``network/ID``, rOCCI-cli strips the endpoint from ``--link``). All three name the same entity.
Pure functions: the endpoint is given as its absolute URL (the renderer's base for absolute
renderings; scheme and host are compared leniently, since proxies change them).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from ooi.occi.errors import InvalidInput

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _host(scheme: str, netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].lower()
    default = _DEFAULT_PORTS.get(scheme.lower())
    if default and host.endswith(":" + default):
        host = host[: -len(default) - 1]
    return host


def to_location(reference: str, endpoint: str) -> str:
    """The model location (``network/ID``, no leading slash) ``reference`` names.

    ``endpoint`` is the OCCI endpoint's URL (``http://host:8787/occi1.2/``) or just its path
    (``/occi1.2/``). InvalidInput (400) naming the reference when it points outside this
    endpoint or is not a plain path.
    """
    ref = reference.strip()
    if not ref:
        raise InvalidInput("Empty reference: expected the URL of an entity")
    split = urlsplit(ref)
    if split.query or split.fragment:
        raise InvalidInput(f"Reference {reference} has a query or fragment: expected an entity URL")
    base = urlsplit(endpoint)
    prefix = base.path.rstrip("/")
    path = split.path
    if split.scheme or split.netloc:
        if split.scheme.lower() not in _DEFAULT_PORTS or not split.netloc:
            raise InvalidInput(f"Reference {reference} is not an http(s) URL of this endpoint")
        if base.netloc and _host(split.scheme, split.netloc) != _host(base.scheme, base.netloc):
            raise InvalidInput(
                f"Reference {reference} points to another server, not to this OCCI endpoint"
            )
        if not _under(path, prefix):
            raise InvalidInput(
                f"Reference {reference} is outside this OCCI endpoint ({prefix or '/'})"
            )
        path = path[len(prefix) :]
    elif path.startswith("/") and prefix and _under(path, prefix):
        path = path[len(prefix) :]
    # What remains is relative to the endpoint: "/network/ID" and "network/ID" alike.
    location = unquote(path).lstrip("/")
    if not location:
        raise InvalidInput(f"Reference {reference} names the endpoint itself, not an entity")
    return location


def _under(path: str, prefix: str) -> bool:
    return not prefix or path == prefix or path.startswith(prefix + "/")


def entity_id(reference: str, endpoint: str, kind_location: str) -> str:
    """The id of the entity ``reference`` names, which must live under ``kind_location``
    (e.g. ``network/``); InvalidInput (400) naming the reference otherwise."""
    location = to_location(reference, endpoint)
    collection = kind_location.strip("/") + "/"
    if not location.startswith(collection):
        raise InvalidInput(
            f"Reference {reference} does not name a {collection.rstrip('/')} "
            f"(expected .../{collection}<id>)"
        )
    found = location[len(collection) :]
    if not found or "/" in found:
        raise InvalidInput(
            f"Reference {reference} does not name one {collection.rstrip('/')} "
            f"(expected .../{collection}<id>)"
        )
    return found
