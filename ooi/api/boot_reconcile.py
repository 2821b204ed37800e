"""A boot whose answer never came: find out whether nova made the server, and answer with it.

A boot POST that times out (or whose connection drops, or that nova answers with a 5xx) may
still have made a server. Answering 504 then would leave a server the client does not know of,
and its retry would make a second one. So each boot carries a client token (server metadata
``ooi_client_token``), and when its answer does not come, ooi lists the servers changed since
the boot began and looks for the token: a server found is the answer (201, as if the boot had
answered), unless nova put it in ERROR, when it is deleted and the failure answered. Nothing
found: the failure is answered (a boot still under way then is the client's to find; in nova's
pipeline the abandoned sub-request goes on, see PipelineTransport._in_process).

The boot call ends a little before the request's deadline (``hold_back``), so that the lookup
fits in what is left and the answer still comes by the deadline.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from typing import Any

from ooi.openstack import nova, servers
from ooi.openstack.client import OpenStack
from ooi.openstack.errors import BackendError

LOG = logging.getLogger(__name__)

TOKEN_KEY = "ooi_client_token"
# The part of the deadline kept for the lookup: a third, at most this many seconds.
_LOOKUP_SECONDS = 5.0
# Failures after which the boot may have happened (503: nothing reached nova).
_MAYBE_MADE = (502, 504)
_POLL = 0.3


def create(os: OpenStack, server: dict[str, Any]) -> str:
    """Boot a server (``servers.create``), reconciling a boot whose answer did not come."""
    token = uuid.uuid4().hex
    body = {**server, "metadata": {**server.get("metadata", {}), TOKEN_KEY: token}}
    # A second early: nova's clock and ours are the same host's here, not everywhere.
    since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    deadline = os.transport.deadline
    try:
        with deadline.hold_back(min(_LOOKUP_SECONDS, deadline.seconds / 3)):
            return servers.create(os, body)
    except BackendError as exc:
        if exc.status not in _MAYBE_MADE:
            raise
        made = _find(os, token, since)
        if made is None:
            raise
        if made.get("status") == "ERROR":
            LOG.warning("boot %s failed (%s); deleting the server %s", token, exc, made["id"])
            try:
                nova.delete_server(os, made["id"])
            except BackendError:
                LOG.warning("could not delete the failed server %s", made["id"], exc_info=True)
            raise
        LOG.warning("boot %s got no answer (%s) but made %s: answered", token, exc, made["id"])
        return str(made["id"])


def _find(os: OpenStack, token: str, since: datetime.datetime) -> dict[str, Any] | None:
    """The server carrying ``token``, made since ``since``; None when none shows up before the
    request's deadline, or when nova cannot say (the original failure is then the answer).

    Asked again while time is left: nova may still be working on the boot it got (its server
    shows up once nova has recorded the request, before nova answers it)."""
    params = {"changes-since": since.strftime("%Y-%m-%dT%H:%M:%SZ")}
    deadline = os.transport.deadline
    while True:
        try:
            listed = os.call("compute", "GET", "/servers/detail", "listing servers", params=params)
        except BackendError:
            LOG.warning("could not look up the server of boot %s", token, exc_info=True)
            return None
        for server in listed.get("servers") or ():
            metadata = server.get("metadata") or {}
            if metadata.get(TOKEN_KEY) == token and server.get("status") != "DELETED":
                return dict(server)
        # Room for one more listing (and, for a server in ERROR, its deletion)?
        if deadline.remaining() < 2 * _POLL:
            return None
        time.sleep(_POLL)
