"""Limits on what one request may carry, checked before anything reads or acts on it.

Headers (how many, how long), the body (413), and in a parsed rendering the inline links of
one entity and the length of each attribute value (400): a client may not make ooi parse, hold
or pass on to OpenStack more than a real request needs. The defaults fit every real request
(a user data attribute of nova's largest, 64 KiB, included); ``ooi_max_*`` change them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import webob

from ooi.api.negotiation import RequestRefused
from ooi.occi.documents import ActionDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput


@dataclass(frozen=True)
class Limits:
    body_bytes: int = 1024 * 1024
    header_count: int = 100
    header_bytes: int = 80 * 1024
    inline_links: int = 32
    attribute_chars: int = 65536


# Headers keystonemiddleware adds after validating the token (the project, the user, roles,
# the service catalog): not the client's, so not counted against the client's limits.
_AUTH_HEADERS = (
    "x-identity-status",
    "x-service-",
    "x-user",
    "x-project-",
    "x-domain-",
    "x-default-project-",
    "x-tenant",
    "x-role",
    "x-is-admin-project",
    "x-system-scope",
    "openstack-system-scope",
    "x-app-cred",
)


def check_headers(req: webob.Request, limits: Limits) -> None:
    """400 for too many headers or one too long (the name says which)."""
    # The environ read directly: webob's header view translates every key on each access.
    headers = []
    for key, value in req.environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.replace("_", "-").title()
        else:
            continue
        if not name.lower().startswith(_AUTH_HEADERS):
            headers.append((name, value))
    if len(headers) > limits.header_count:
        raise RequestRefused(
            400, f"Bad request: {len(headers)} headers, more than {limits.header_count}"
        )
    for name, value in headers:
        if len(name) + len(value) > limits.header_bytes:
            raise RequestRefused(
                400,
                f"Bad request: the {name[:64]} header is longer than {limits.header_bytes} bytes",
            )


def read_body(req: webob.Request, limits: Limits) -> None:
    """413 for a body over the limit, whether its length is announced or not (chunked): a body
    without a length is read here, up to one byte past the limit, and kept for the handler."""
    too_large = RequestRefused(
        413, f"Request entity too large: the body is over {limits.body_bytes} bytes"
    )
    if req.content_length is not None:
        if req.content_length > limits.body_bytes:
            raise too_large
        return
    if "chunked" not in req.headers.get("Transfer-Encoding", "").lower():
        return
    data = req.body_file_raw.read(limits.body_bytes + 1)
    if len(data) > limits.body_bytes:
        raise too_large
    req.body = data


def check_document(doc: Any, limits: Limits) -> None:
    """400 for an entity with more inline links than allowed, or an attribute value longer
    than allowed, anywhere in a parsed rendering (entities, their links, actions, lists)."""
    if isinstance(doc, list | tuple):
        for item in doc:
            check_document(item, limits)
        return
    if isinstance(doc, EntityDoc):
        if len(doc.links) > limits.inline_links:
            raise InvalidInput(
                f"{len(doc.links)} links in one entity, more than {limits.inline_links}"
            )
        for link in doc.links:
            check_document(link, limits)
    if isinstance(doc, EntityDoc | LinkDoc | ActionDoc):
        _check_attributes(doc.attributes, limits)


def _check_attributes(attributes: Mapping[str, Any], limits: Limits) -> None:
    for name, value in attributes.items():
        if _length(value) > limits.attribute_chars:
            raise InvalidInput(
                f"Attribute {name[:100]} is longer than {limits.attribute_chars} characters"
            )


def _length(value: Any) -> int:
    """Characters of a value; a list's or an object's are the sum of their members'."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(len(str(k)) + _length(v) for k, v in value.items())
    if isinstance(value, Iterable):
        return sum(_length(v) for v in value)
    return len(str(value))
