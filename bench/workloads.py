"""What the bench asks, of ooi (ours in both modes, the original) and of OpenStack itself.

Each workload has an OCCI request (`occi`) and the floor (`floor`): the direct OpenStack calls
that answer the same question, with the same token. Both are functions of one client's
`requests.Session` (keep-alive, as real clients), the fleet and a counter, and return the
responses they got; the measuring loop (measure.py) times them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import requests

from bench.fleet import NOVA_HEADERS, Fleet, server_body, until

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
ACTIONS = "http://schemas.ogf.org/occi/infrastructure/compute/action#"
TEMPLATES = "http://schemas.openstack.org/template/"
TIMEOUT = 120  # a read that takes longer counts as an error

Call = Callable[[requests.Session, str, Fleet, int], list[requests.Response]]
"""(session, ooi's base URL or "" for the floor, fleet, the request's number) → responses."""


@dataclass(frozen=True)
class Workload:
    name: str
    occi: Call
    floor: Call
    listing: bool = False  # a list workload: cost per entity in --scale
    writes: bool = False  # changes servers: bounded by a count, not only by time
    # Each client acts on a server of its own (Fleet.acting), booted just before.
    per_client_server: bool = False


def _get(accept: str, path: str | Callable[[Fleet, int], str]) -> Call:
    def call(s: requests.Session, base: str, fleet: Fleet, i: int) -> list[requests.Response]:
        where = path(fleet, i) if callable(path) else path
        headers = {"X-Auth-Token": fleet.token, "Accept": accept}
        return [s.get(base + where, headers=headers, timeout=TIMEOUT)]

    return call


def _direct(*paths: tuple[str, str] | Callable[[Fleet, int], tuple[str, str]]) -> Call:
    """The floor: GETs of (service, path) in order, nova's at ooi's read microversion."""

    def call(s: requests.Session, _base: str, fleet: Fleet, i: int) -> list[requests.Response]:
        out = []
        for item in paths:
            service, path = item(fleet, i) if callable(item) else item
            headers = {"X-Auth-Token": fleet.token, **(NOVA_HEADERS if service == "nova" else {})}
            out.append(s.get(fleet.urls[service] + path, headers=headers, timeout=TIMEOUT))
        return out

    return call


def _one_server(fleet: Fleet, i: int) -> str:
    # Computes with links first among every few, so that shows read links too.
    return fleet.servers[i % len(fleet.servers)]


# -- create + delete --------------------------------------------------------------------------
_LOCATION = re.compile(r"^X-OCCI-Location:\s*(\S+)", re.MULTILINE)


def _created_location(resp: requests.Response) -> str:
    found = resp.headers.get("Location") or resp.headers.get("X-OCCI-Location")
    if not found:
        match = _LOCATION.search(resp.text)
        found = match.group(1) if match else ""
    if not found:
        raise RuntimeError(f"create answered {resp.status_code} without a location: {resp.text}")
    return found


def _occi_create_delete(
    s: requests.Session, base: str, fleet: Fleet, i: int
) -> list[requests.Response]:
    categories = [
        f'compute; scheme="{INFRA}"; class="kind"',
        f'{fleet.image_id}; scheme="{TEMPLATES}os#"; class="mixin"',
        f'{fleet.flavor_id}; scheme="{TEMPLATES}resource#"; class="mixin"',
    ]
    headers = {
        "X-Auth-Token": fleet.token,
        "Content-Type": "text/occi",
        "Accept": "text/occi",
        "Category": ", ".join(categories),
        "X-OCCI-Attribute": f'occi.core.title="bench-made-{i}"',
    }
    made = s.post(base + "/compute/", headers=headers, timeout=TIMEOUT)
    if made.status_code not in (200, 201):
        return [made]
    location = _created_location(made)
    gone = s.delete(location, headers={"X-Auth-Token": fleet.token}, timeout=TIMEOUT)
    return [made, gone]


def _floor_create_delete(
    s: requests.Session, _base: str, fleet: Fleet, i: int
) -> list[requests.Response]:
    headers = {"X-Auth-Token": fleet.token, **NOVA_HEADERS}
    body = server_body(fleet, f"bench-made-{i}")
    nova = fleet.urls["nova"]
    made = s.post(nova + "/servers", json=body, headers=headers, timeout=TIMEOUT)
    if made.status_code != 202:
        return [made]
    server_id = made.json()["server"]["id"]
    gone = s.delete(f"{nova}/servers/{server_id}", headers=headers, timeout=TIMEOUT)
    return [made, gone]


# -- an action: restart (soft reboot) ---------------------------------------------------------
def _occi_restart(s: requests.Session, base: str, fleet: Fleet, i: int) -> list[requests.Response]:
    headers = {
        "X-Auth-Token": fleet.token,
        "Content-Type": "text/occi",
        "Category": f'restart; scheme="{ACTIONS}"; class="action"',
        "X-OCCI-Attribute": 'method="warm"',
    }
    url = f"{base}/compute/{fleet.acting[i]}?action=restart"
    return [s.post(url, headers=headers, timeout=TIMEOUT)]


def _floor_restart(
    s: requests.Session, _base: str, fleet: Fleet, i: int
) -> list[requests.Response]:
    headers = {"X-Auth-Token": fleet.token, **NOVA_HEADERS}
    url = f"{fleet.urls['nova']}/servers/{fleet.acting[i]}/action"
    return [s.post(url, json={"reboot": {"type": "SOFT"}}, headers=headers, timeout=TIMEOUT)]


def settle(fleet: Fleet, server_id: str) -> None:
    """Waits (untimed) until a restarted server is ACTIVE with no task: the next may start."""
    nova = fleet.client("nova")

    def probe() -> bool:
        server = nova.get(f"/servers/{server_id}")["server"]
        if server["status"] == "ERROR":
            raise RuntimeError(f"server {server_id} in ERROR: {server.get('fault')}")
        return server["status"] == "ACTIVE" and not server["OS-EXT-STS:task_state"]

    until(f"server {server_id} settled", probe, timeout=120)


def _show(fleet: Fleet, i: int) -> str:
    return f"/compute/{_one_server(fleet, i)}"


WORKLOADS = [
    Workload(
        "GET /-/ text/plain",
        _get("text/plain", "/-/"),
        _direct(("nova", "/flavors/detail"), ("glance", "/images")),
    ),
    Workload(
        "GET /-/ json",
        _get("application/occi+json", "/-/"),
        _direct(("nova", "/flavors/detail"), ("glance", "/images")),
    ),
    Workload(
        "GET /compute/ uri-list",
        _get("text/uri-list", "/compute/"),
        _direct(("nova", "/servers")),
        listing=True,
    ),
    Workload(
        "GET /compute/ json",
        _get("application/occi+json", "/compute/"),
        _direct(("nova", "/servers/detail")),
        listing=True,
    ),
    Workload(
        "GET /compute/{id} text/plain",
        _get("text/plain", _show),
        _direct(lambda f, i: ("nova", f"/servers/{_one_server(f, i)}")),
    ),
    Workload(
        "GET /compute/{id} json",
        _get("application/occi+json", _show),
        _direct(lambda f, i: ("nova", f"/servers/{_one_server(f, i)}")),
    ),
    Workload(
        "GET /networklink/",
        _get("text/plain", "/networklink/"),
        _direct(("neutron", "/ports"), ("neutron", "/floatingips")),
        listing=True,
    ),
    Workload(
        "GET /storagelink/",
        _get("text/plain", "/storagelink/"),
        _direct(("cinder", "/volumes/detail")),
        listing=True,
    ),
    Workload("POST+DELETE /compute/", _occi_create_delete, _floor_create_delete, writes=True),
    Workload(
        "POST /compute/{id}?action=restart",
        _occi_restart,
        _floor_restart,
        writes=True,
        per_client_server=True,
    ),
]
