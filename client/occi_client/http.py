"""The HTTP layer: OCCI requests through a keystoneauth1 session, the media type negotiated
once per run, HTTP failures turned into the client's errors, and `--debug` tracing with
secrets masked."""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any
from urllib.parse import urljoin

from keystoneauth1 import session as ks_session

from occi_client import __version__, parse
from occi_client.auth import translated_errors
from occi_client.errors import for_status

LOG = logging.getLogger("occi_client.http")
SECRET_HEADERS = {"x-auth-token", "authorization", "x-subject-token", "cookie", "set-cookie"}
# JSON where the server offers it: it is the one rendering with no header-size limits.
PREFERRED = f"{parse.JSON}, {parse.TEXT};q=0.5"
_DEBUG_BODY = 4000
_QUIET = logging.getLogger("occi_client.http.keystoneauth")
_QUIET.propagate = False
_QUIET.addHandler(logging.NullHandler())


def masked(headers: Any) -> dict[str, str]:
    return {k: ("***" if k.lower() in SECRET_HEADERS else v) for k, v in dict(headers).items()}


class Response:
    """What a request answered: status, headers, text, its media type."""

    def __init__(self, status: int, headers: Any, text: str) -> None:
        self.status = status
        self.headers = headers
        self.text = text
        self.content_type = parse.base_type(headers.get("Content-Type"))


def error_message(resp: Response) -> str:
    """The server's own words for a failure (OCCI JSON error, or its text)."""
    message = resp.text.strip()
    if parse.is_json(resp.content_type):
        with contextlib.suppress(ValueError, AttributeError):
            message = json.loads(resp.text).get("message") or message
    return message.splitlines()[0] if message else f"HTTP {resp.status}"


class OCCIClient:
    """Requests to one OCCI endpoint (its URL without the trailing slash)."""

    def __init__(
        self,
        sess: ks_session.Session,
        endpoint: str,
        media_type: str | None = None,
        authenticated: bool = True,
    ) -> None:
        self.session = sess
        self.endpoint = endpoint.rstrip("/")
        self.forced_media_type = media_type
        self.media_type = media_type
        self.authenticated = authenticated

    def url(self, ref: str) -> str:
        """An absolute URL for a reference: absolute, host-absolute or endpoint-relative."""
        if "://" in ref:
            return ref
        if ref.startswith("/"):
            return urljoin(self.endpoint + "/", ref)
        return f"{self.endpoint}/{ref}"

    def negotiate(self) -> Response:
        """GET the query interface with the preferred types; remembers what the server chose."""
        resp = self.request("GET", "-/", accept=self.forced_media_type or PREFERRED)
        if not self.forced_media_type:
            self.media_type = parse.JSON if parse.is_json(resp.content_type) else parse.TEXT
        return resp

    def request(
        self,
        method: str,
        ref: str,
        accept: str | None = None,
        body: str | None = None,
        params: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
        headers: dict[str, str] | None = None,
    ) -> Response:
        url = self.url(ref)
        sent = {"Accept": accept or self.media_type or PREFERRED}
        sent["User-Agent"] = f"occi-client/{__version__}"
        if body is not None:
            sent["Content-Type"] = self.media_type or parse.TEXT
        sent.update(headers or {})
        with translated_errors():
            raw = self.session.request(
                url,
                method,
                headers=sent,
                data=body.encode() if body is not None else None,
                params=params,
                raise_exc=False,
                authenticated=self.authenticated,
                logger=_QUIET,  # traced below, with the OCCI bodies keystoneauth omits
            )
        resp = Response(raw.status_code, raw.headers, raw.text)
        self._trace(method, raw, sent, body, resp)
        if resp.status not in ok:
            raise for_status(resp.status, f"{method} {url}: {resp.status} {error_message(resp)}")
        return resp

    def _trace(self, method: str, raw: Any, sent: dict, body: str | None, resp: Response) -> None:
        if not LOG.isEnabledFor(logging.DEBUG):
            return
        request_headers = masked(getattr(raw.request, "headers", None) or sent)
        LOG.debug("REQ: %s %s %s", method, raw.url, request_headers)
        if body:
            LOG.debug("REQ BODY: %s", body[:_DEBUG_BODY])
        LOG.debug("RESP: %s %s", resp.status, masked(resp.headers))
        if resp.text:
            LOG.debug("RESP BODY: %s", resp.text[:_DEBUG_BODY])
