"""Polling the box's APIs until a resource reaches a state (or a deadline passes)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ooi.cloud.client import Client

DEADLINE = 120.0


def until(what: str, probe: Callable[[], Any], timeout: float = DEADLINE) -> Any:
    """Calls `probe` until it returns something true; fails with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def server_status(nova: Client, server_id: str, status: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        server = nova.get(f"/servers/{server_id}")["server"]
        assert server["status"] != "ERROR", server.get("fault")
        return server if server["status"] == status else None

    return until(f"server {server_id} {status}", probe)


def gone(client: Client, path: str) -> None:
    until(f"{path} gone", lambda: client.call("GET", path, ok=(404,)) is None)


def volume_status(cinder: Client, volume_id: str, status: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        volume = cinder.get(f"/volumes/{volume_id}")["volume"]
        assert not volume["status"].startswith("error"), volume
        return volume if volume["status"] == status else None

    return until(f"volume {volume_id} {status}", probe)
