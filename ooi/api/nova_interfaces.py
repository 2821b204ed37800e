"""A compute's network interfaces and security groups as nova's server shows them.

nova's server carries what a compute's rendering needs: ``addresses`` (per network name, each
interface's MAC and its fixed and floating IPs, in the order of the server's interfaces) and
``security_groups`` (by name). Joined with the project's network and group names, cached for
``ooi_cache_ttl``, a compute show costs one nova call instead of nova's plus neutron's ports
and floating IPs.

Decisions:
- The interfaces become port-like dicts (``id`` and ``mac_address`` the MAC, ``network_id``,
  ``fixed_ips``) and floating-IP-like dicts, so that one piece of code
  (``network_links.of_server``) renders both views the same way; the groups are ids.
- A server nova is still building is neutron's to describe: nova lists its interfaces only
  once it has them all, while neutron's ports exist from the start.
- A network is known by its name together with the address: the network of that name whose
  subnets hold the address. When that is not enough, neutron's ports and floating IPs are
  asked (``of_servers``): two networks of one name and range, a group name two groups share,
  a group without a name, or a name the cache does not know even after looking again (made a
  moment ago, maybe through another worker process).
- A floating IP's pool (its external network) is not in nova's addresses: it is the cached
  external network whose subnets hold the address, else the project's only external network
  (a site may hide external subnets from projects); with several and none holding it, no pool.
  ``pools`` names them from the same cache, so a public link costs no call of its own.
- nova hears of changes made in neutron through neutron's events (``notify_nova_on_port_*``),
  a moment later. ooi's own changes wait for nova to show them (``wait_until_shown``), so that
  a show right after them is already right; changes made elsewhere show up as fast as nova's
  own API shows them.
- What the cache cannot see: outside ooi, within ``ooi_cache_ttl`` seconds, a security group
  made under the name of another, or a network made under the name and with the range of
  another, and a server put into it, shows the other's id until the cache is renewed. ooi's
  own changes (networks, groups, interfaces) drop the cache at once, in the process that made
  them.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ooi.api.cache import TTLCache
from ooi.api.context import Context
from ooi.openstack import neutron, nova
from ooi.openstack.errors import BackendError

LOG = logging.getLogger(__name__)

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CACHE = TTLCache()
# Port fields beyond an interface's that the links of a compute's security groups need.
PORT_FIELDS = ("device_owner", "security_groups")
_NETWORKS = "network_names"
_GROUPS = "group_names"
_LOOKED_AGAIN = "ooi.names_looked_again"  # request environ: the names were fetched anew once
_NO_POOLS = "ooi.no_pool_names"  # request environ: neutron failed to name the pools once

# How long one of ooi's own network changes waits for nova to show it, at most (and never past
# the request's deadline); how often it looks.
SHOWN_WAIT = 10.0
_POLL = 0.2


def _by_name(items: Iterable[Mapping[str, Any]], name_key: str) -> dict[str, str | None]:
    """name → id; None for a name two of them share."""
    found: dict[str, str | None] = {}
    for item in items:
        name = item.get(name_key)
        if name:
            found[str(name)] = None if name in found else str(item["id"])
    return found


@dataclass(frozen=True)
class Network:
    """A network as the cache knows it: its id, its subnets' ranges and whether it is external
    (a floating-IP pool)."""

    id: str
    ranges: tuple[IPNetwork, ...]
    external: bool = False

    def holds(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in r for r in self.ranges)


def _ranges(cidrs: Iterable[Any]) -> tuple[IPNetwork, ...]:
    found = []
    for cidr in cidrs:
        try:
            found.append(ipaddress.ip_network(str(cidr), strict=False))
        except ValueError:
            continue
    return tuple(found)


def _fetch_networks(ctx: Context) -> dict[str, list[Network]]:
    os = ctx.openstack
    found: dict[str, list[Network]] = {}
    if os.has("network"):
        # One after the other: this may run inside a request's `parallel` (no nesting there).
        cidrs: dict[str, list[str]] = {}
        for subnet in neutron.subnets(os):
            cidrs.setdefault(str(subnet.get("network_id")), []).append(str(subnet.get("cidr")))
        for net in neutron.networks(os):
            ranges = _ranges(cidrs.get(str(net["id"]), ()))
            network = Network(str(net["id"]), ranges, bool(net.get("router:external")))
            found.setdefault(str(net.get("name") or ""), []).append(network)
        return found
    from ooi.openstack import network_nova  # nova's network API: only without neutron

    for net in reversed(network_nova.networks(os)):  # nova's first of a name first
        network = Network(str(net["id"]), _ranges([net["cidr"]] if net.get("cidr") else []))
        found.setdefault(str(net.get("label") or ""), []).insert(0, network)
    return found


def network_names(ctx: Context) -> dict[str, list[Network]]:
    """The networks the project sees by name (cached)."""
    key = (ctx.openstack.project_id, _NETWORKS)
    return _CACHE.get_or_make(key, ctx.settings.cache_ttl, lambda: _fetch_networks(ctx))


def group_names(ctx: Context) -> dict[str, str | None]:
    """The project's security groups, name → id (cached; none without neutron)."""
    if not ctx.openstack.has("network"):
        return {}
    key = (ctx.openstack.project_id, _GROUPS)
    fetch = lambda: _by_name(neutron.security_group_names(ctx.openstack), "name")  # noqa: E731
    return _CACHE.get_or_make(key, ctx.settings.cache_ttl, fetch)


def pools(ctx: Context) -> dict[str, str]:
    """The project's floating-IP pools from the cached networks: external network id → pool
    name (its name, else its id, as ``/-/`` names pools); none without neutron, or when
    neutron fails (the answer then says so)."""
    environ = ctx.request.environ
    if not ctx.openstack.has("network") or environ.get(_NO_POOLS):
        return {}
    try:
        networks = network_names(ctx)
    except BackendError as exc:
        # Once per request: the other servers of a listing do not ask a failing neutron again.
        environ[_NO_POOLS] = True
        ctx.warn(f"{exc.service} failed ({exc.status}): public IPs without their pools")
        return {}
    return {n.id: name or n.id for name, named in networks.items() for n in named if n.external}


def cached(ctx: Context) -> bool:
    """Whether the project's names are cached (`warm` would make no call)."""
    parts = (_NETWORKS, _GROUPS) if ctx.openstack.has("network") else (_NETWORKS,)
    return all(_CACHE.fresh((ctx.openstack.project_id, part)) for part in parts)


def forget(ctx: Context) -> None:
    """Drop the project's cached names (after ooi made, renamed or deleted a network or group)."""
    for part in (_NETWORKS, _GROUPS):
        _CACHE.forget((ctx.openstack.project_id, part))


def warm(ctx: Context) -> None:
    """Fill the caches (a call for ``parallel`` beside the server's; failures wait for later)."""
    try:
        network_names(ctx)
        group_names(ctx)
    except BackendError as exc:
        LOG.info("names not cached (%s): neutron's ports will be asked", exc.message)


@dataclass(frozen=True)
class Interfaces:
    """A server's interfaces, shaped as neutron's ports and floating IPs, and the ids of the
    security groups it is in."""

    ports: list[dict[str, Any]]
    floating_ips: list[dict[str, Any]]
    groups: list[str]


class _Unresolved(Exception):
    """A name the cached names do not settle."""


def _group_id(groups: Mapping[str, str | None], name: str) -> str:
    found = groups.get(name)
    if found is None:  # unknown, or a name two groups share
        raise _Unresolved(f"security group {name!r}")
    return found


def _network_id(
    networks: Mapping[str, Sequence[Network]], label: str, address: str, strict: bool
) -> str:
    """The network nova calls ``label`` whose subnets hold ``address``: a name says which
    only together with the address (a network made again under its name, or two of a name,
    have other ranges, or are neutron's to tell apart)."""
    named = networks.get(label, ())
    holding = [n for n in named if n.holds(address)]
    if len(holding) == 1:
        return holding[0].id
    if strict:
        raise _Unresolved(f"network {label!r} holding {address}")
    return named[0].id if named else label  # nova's network mode: its first, else the label


def _pool_network(networks: Mapping[str, Sequence[Network]], address: str) -> str | None:
    """The external network a floating address comes from: the one whose subnets hold it,
    else the only one (where a project may not read external subnets); None when that does
    not say."""
    externals = [n for named in networks.values() for n in named if n.external]
    holding = [n for n in externals if n.holds(address)]
    if len(holding) == 1:
        return holding[0].id
    return externals[0].id if not holding and len(externals) == 1 else None


def _shape(
    server: Mapping[str, Any],
    networks: Mapping[str, Sequence[Network]],
    groups: Mapping[str, str | None],
    strict: bool,
) -> Interfaces:
    server_id = str(server["id"])
    # Without neutron, nova's groups are its own, not neutron's: no group links then.
    named = (server.get("security_groups") or ()) if strict else ()
    group_ids = sorted({_group_id(groups, str(g.get("name") or "")) for g in named})
    status = "ACTIVE" if server.get("status") == "ACTIVE" else "DOWN"
    ports: dict[str, dict[str, Any]] = {}
    floating: list[dict[str, Any]] = []
    for label, addresses in (server.get("addresses") or {}).items():
        for address in addresses or ():
            mac = str(address.get("OS-EXT-IPS-MAC:mac_addr") or "")
            if address.get("OS-EXT-IPS:type") == "floating":
                floating.append(
                    {
                        "port_id": mac,
                        "floating_ip_address": address["addr"],
                        "floating_network_id": _pool_network(networks, str(address["addr"])),
                    }
                )
                continue
            port = ports.get(mac)
            if port is None:
                port = ports[mac] = {
                    "id": mac,
                    "mac_address": mac,
                    "network_id": _network_id(networks, str(label), str(address["addr"]), strict),
                    "status": status,
                    "fixed_ips": [],
                    "device_id": server_id,
                    # nova lists interfaces in the server's order: keep it.
                    "created_at": str(len(ports)).zfill(4),
                }
            port["fixed_ips"].append({"ip_address": address["addr"]})
    return Interfaces(list(ports.values()), floating, group_ids)


def _nova_only(ctx: Context, server: Mapping[str, Any]) -> Interfaces:
    """nova's view with whatever names can be had: networks nova names but nobody lists stay
    named by their label, and no group links."""
    try:
        networks = network_names(ctx)
    except BackendError as exc:
        LOG.info("no network names (%s): links name labels", exc.message)
        networks = {}
    return _shape(server, networks, {}, strict=False)


def of_server(ctx: Context, server: Mapping[str, Any]) -> Interfaces | None:
    """The server's interfaces from its own ``addresses`` and ``security_groups``; None when
    the cached names cannot settle them (ask neutron)."""
    if not ctx.openstack.has("network"):
        return _nova_only(ctx, server)
    if server.get("status") == "BUILD":
        return None  # nova lists its interfaces only once it has them all; neutron has them
    environ = ctx.request.environ
    while True:
        try:
            return _shape(server, network_names(ctx), group_names(ctx), strict=True)
        except _Unresolved as exc:
            # Made a moment ago? Look once more, but once per request: in a listing, the
            # other servers such names do not settle go to neutron straight away.
            if environ.get(_LOOKED_AGAIN):
                LOG.debug("server %s: %s unsettled by names: ports asked", server.get("id"), exc)
                return None
            environ[_LOOKED_AGAIN] = True
            forget(ctx)
        except BackendError as exc:
            LOG.info("names unavailable (%s): ports asked", exc.message)
            return None


def of_servers(ctx: Context, servers: Sequence[Mapping[str, Any]]) -> dict[str, Interfaces]:
    """Each server's interfaces (by server id): nova's view where the names settle it, else
    neutron's ports and floating IPs (two calls for all such servers). When neutron fails
    those show nova's view as far as it goes, and the answer carries a warning."""
    found: dict[str, Interfaces] = {}
    unsettled: list[Mapping[str, Any]] = []
    for server in servers:
        view = of_server(ctx, server)
        if view is None:
            unsettled.append(server)
        else:
            found[str(server["id"])] = view
    if not unsettled:
        return found
    os = ctx.openstack
    server_ids = [str(s["id"]) for s in unsettled]
    try:
        asked = os.parallel(
            ports=lambda: neutron.ports_of(os, server_ids, extra=PORT_FIELDS),
            floating_ips=lambda: neutron.floating_ips(os),
        )
    except BackendError as exc:
        ctx.warn(f"{exc.service} failed ({exc.status}): interfaces as nova knows them")
        found.update((str(s["id"]), _nova_only(ctx, s)) for s in unsettled)
        return found
    by_server: dict[str, list[dict[str, Any]]] = {sid: [] for sid in server_ids}
    for port in asked["ports"]:
        by_server.setdefault(str(port.get("device_id")), []).append(port)
    for sid in server_ids:
        ports = by_server[sid]
        found[sid] = Interfaces(ports, list(asked["floating_ips"]), _groups_of_ports(ports))
    return found


def _groups_of_ports(ports: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted(
        {
            str(group)
            for p in ports
            if str(p.get("device_owner") or "").startswith("compute:")
            for group in p.get("security_groups") or ()
        }
    )


def _shows(server: Mapping[str, Any], address: str) -> bool:
    return any(
        a.get("addr") == address
        for addresses in (server.get("addresses") or {}).values()
        for a in addresses or ()
    )


def wait_until_shown(ctx: Context, server_id: str, address: str, shown: bool = True) -> None:
    """Wait until nova's view of the server shows ``address`` (``shown``) or no longer does,
    at most ``SHOWN_WAIT`` seconds; the change is made either way, so a timeout is logged, not
    raised."""
    os = ctx.openstack
    until = time.monotonic() + min(SHOWN_WAIT, max(0.0, os.transport.deadline.remaining() - 1))
    while True:
        try:
            server = nova.server(os, server_id)
        except BackendError as exc:
            if exc.status == 404:
                return  # gone: nothing of it to show
            LOG.info("server %s not read back (%s)", server_id, exc.message)
        else:
            if _shows(server, address) == shown:
                return
        if time.monotonic() >= until:
            LOG.warning(
                "nova does not show %s %s on server %s yet: a show may lag",
                address,
                "added" if shown else "removed",
                server_id,
            )
            return
        time.sleep(_POLL)
