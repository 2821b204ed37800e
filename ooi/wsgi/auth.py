"""The Keystone discovery contract OCCI clients rely on (clients-in-the-wild.md §2).

Unauthenticated requests get 401 with ``WWW-Authenticate: Keystone uri='<keystone URL>'`` in
single quotes and nothing else: jOCCI, the Infrastructure Manager and pOCCI cannot parse the
double quotes keystonemiddleware has used since 5.1. In nova's pipeline keystonemiddleware answers
before ooi sees the request, so `KeystoneChallenge` goes in front of it and rewrites its answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import webob

from ooi.api.negotiation import SERVER_HEADER
from ooi.occi.rendering.text import TextPlainRenderer

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_URI_IN_CHALLENGE = re.compile(r"""uri\s*=\s*["']([^"']*)["']""")

UNAUTHORIZED_MESSAGE = (
    "Unauthorized: this OCCI endpoint needs a project-scoped Keystone token in X-Auth-Token"
)


def challenge_header(keystone_uri: str) -> str:
    """The header value, with the URI unversioned-friendly: no trailing slash."""
    return f"Keystone uri='{keystone_uri.rstrip('/')}'"


def challenge_response(keystone_uri: str | None) -> webob.Response:
    """A 401 in text/plain (the rendering every client reads) with the single-quoted header."""
    rendered = TextPlainRenderer().error(401, UNAUTHORIZED_MESSAGE)
    resp = webob.Response(status=401, body=rendered.body, charset=None)
    resp.content_type = rendered.content_type
    if keystone_uri:
        resp.headers["WWW-Authenticate"] = challenge_header(keystone_uri)
    resp.headers["Server"] = SERVER_HEADER
    return resp


class KeystoneChallenge:
    """Paste filter: answers the 401 of anything below it with the OCCI challenge.

    ``keystone_uri`` (filter option) overrides the URI keystonemiddleware advertised.
    """

    def __init__(self, application: WSGIApp, keystone_uri: str | None = None) -> None:
        self.application = application
        self.keystone_uri = keystone_uri

    @classmethod
    def factory(cls, global_conf: dict[str, str], **local_conf: str) -> Callable[[WSGIApp], Any]:
        def _filter(app: WSGIApp) -> KeystoneChallenge:
            return cls(app, **local_conf)

        return _filter

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        req = webob.Request(environ)
        resp = req.get_response(self.application)
        if resp.status_int != 401:
            return resp(environ, start_response)
        uri = self.keystone_uri
        if not uri:
            found = _URI_IN_CHALLENGE.search(resp.headers.get("WWW-Authenticate", ""))
            uri = found.group(1) if found else None
        return challenge_response(uri)(environ, start_response)
