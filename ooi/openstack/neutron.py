"""neutron's networking API v2.0."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack
from ooi.openstack.errors import BackendError


def floating_ip_pools(os: OpenStack) -> list[str]:
    """Names of the external networks floating IPs come from."""
    if not os.has("network"):
        return nova.floating_ip_pools(os)
    body = os.call(
        "network",
        "GET",
        "/networks",
        "listing external networks",
        params={"router:external": "true", "fields": ["id", "name"]},
    )
    return [n.get("name") or n["id"] for n in body.get("networks", [])]


# Fields of a port and a floating IP that a network interface link shows.
_PORT_FIELDS = ["id", "network_id", "mac_address", "fixed_ips", "status", "device_id", "created_at"]
_FLOATING_FIELDS = [
    "id",
    "floating_ip_address",
    "fixed_ip_address",
    "port_id",
    "status",
    "floating_network_id",
    "description",
]
# device_id values per ports query: keeps the URL well under common 8 KiB limits.
_DEVICES_PER_QUERY = 100


def ports_of(
    os: OpenStack, device_ids: Sequence[str], extra: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The ports of the given servers, in one call per hundred servers (run in parallel);
    ``extra``: fields beyond those a network interface shows."""
    if not device_ids:
        return []
    chunks = [
        list(device_ids[i : i + _DEVICES_PER_QUERY])
        for i in range(0, len(device_ids), _DEVICES_PER_QUERY)
    ]

    def fetch(ids: list[str]) -> Callable[[], list[dict[str, Any]]]:
        def call() -> list[dict[str, Any]]:
            body = os.call(
                "network",
                "GET",
                "/ports",
                "listing the ports of servers",
                params={"device_id": ids, "fields": [*_PORT_FIELDS, *extra]},
            )
            return list(body.get("ports", []))

        return call

    found = os.parallel(**{f"chunk{i}": fetch(ids) for i, ids in enumerate(chunks)})
    return [port for ports in found.values() for port in ports]


def floating_ips(os: OpenStack) -> list[dict[str, Any]]:
    """The project's floating IPs (one call, matched to ports by the caller)."""
    body = os.call(
        "network",
        "GET",
        "/floatingips",
        "listing floating IPs",
        params={"project_id": os.project_id, "fields": _FLOATING_FIELDS},
    )
    return list(body.get("floatingips", []))


# --- Networks and subnets -------------------------------------------------------------------

_NETWORK_FIELDS = [
    "id",
    "name",
    "admin_state_up",
    "status",
    "router:external",
    "provider:segmentation_id",
    "provider:network_type",
    "project_id",
    "shared",
    "subnets",
    "tags",
]
_SUBNET_FIELDS = ["id", "network_id", "cidr", "gateway_ip", "enable_dhcp", "ip_version"]


def _listing(os: OpenStack, collection: str, fields: list[str], filters: Any) -> list[Any]:
    body = os.call(
        "network",
        "GET",
        f"/{collection}",
        f"listing {collection}",
        params={**filters, "fields": fields},
    )
    return list(body.get(collection.replace("-", "_"), []))


def _one(os: OpenStack, collection: str, item_id: str, fields: list[str]) -> dict[str, Any]:
    """``GET /{collection}s/{id}``; BackendError 404 when the project has none such."""
    body = os.call(
        "network",
        "GET",
        f"{_path(collection)}/{item_id}",
        f"showing {collection.replace('_', ' ')} {item_id}",
        params={"fields": fields},
    )
    return dict(body[collection])


def networks(os: OpenStack, **filters: Any) -> list[dict[str, Any]]:
    """The networks the project can see (its own, shared and external ones), filtered."""
    return _listing(os, "networks", _NETWORK_FIELDS, filters)


def network(os: OpenStack, network_id: str) -> dict[str, Any]:
    """One network; BackendError 404 when the project cannot see it."""
    return _one(os, "network", network_id, _NETWORK_FIELDS)


def subnets(os: OpenStack, **filters: Any) -> list[dict[str, Any]]:
    return _listing(os, "subnets", _SUBNET_FIELDS, filters)


# --- Ports and floating IPs -----------------------------------------------------------------


def project_ports(os: OpenStack, extra: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Every port of the project (one call): the caller keeps those of servers."""
    fields = [*_PORT_FIELDS, "device_owner", *extra]
    return _listing(os, "ports", fields, {"project_id": os.project_id})


def create_floating_ip(
    os: OpenStack, network_id: str, port_id: str | None, description: str
) -> dict[str, Any]:
    """A new floating IP from ``network_id``, associated to ``port_id`` when given."""
    floating: dict[str, Any] = {"floating_network_id": network_id, "description": description}
    if port_id:
        floating["port_id"] = port_id
    body = os.call(
        "network",
        "POST",
        "/floatingips",
        "allocating a floating IP",
        body={"floatingip": floating},
    )
    return dict(body["floatingip"])


def associate_floating_ip(
    os: OpenStack, floating_ip_id: str, port_id: str | None
) -> dict[str, Any]:
    """Point the floating IP at ``port_id`` (None: disassociate it); the floating IP."""
    body = os.call(
        "network",
        "PUT",
        f"/floatingips/{floating_ip_id}",
        f"associating floating IP {floating_ip_id}",
        body={"floatingip": {"port_id": port_id}},
    )
    return dict(body["floatingip"])


def delete_floating_ip(os: OpenStack, floating_ip_id: str) -> None:
    os.call(
        "network",
        "DELETE",
        f"/floatingips/{floating_ip_id}",
        f"releasing floating IP {floating_ip_id}",
    )


# --- Changing networks ----------------------------------------------------------------------


def _path(collection: str) -> str:
    """neutron's path for a resource named as in its bodies (``security_group`` →
    ``/security-groups``)."""
    return "/" + collection.replace("_", "-") + "s"


def create(os: OpenStack, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /{collection}s`` with ``{collection: body}``: the new resource."""
    answer = os.call(
        "network", "POST", _path(collection), f"creating a {collection}", body={collection: body}
    )
    return dict(answer[collection])


def update(os: OpenStack, collection: str, item_id: str, body: dict[str, Any]) -> None:
    os.call(
        "network",
        "PUT",
        f"{_path(collection)}/{item_id}",
        f"updating {collection} {item_id}",
        body={collection: body},
    )


def delete(os: OpenStack, collection: str, item_id: str) -> None:
    """``DELETE /{collection}s/{id}``; one already gone is what was asked for."""
    try:
        os.call(
            "network",
            "DELETE",
            f"{_path(collection)}/{item_id}",
            f"deleting {collection} {item_id}",
        )
    except BackendError as exc:
        if exc.status != 404:
            raise


def routers(os: OpenStack) -> list[dict[str, Any]]:
    fields = ["id", "name", "description", "external_gateway_info"]
    return _listing(os, "routers", fields, {"project_id": os.project_id})


def router_interface(os: OpenStack, router_id: str, subnet_id: str, add: bool) -> None:
    """Plug (``add``) or unplug a subnet into a router."""
    verb = "add" if add else "remove"
    os.call(
        "network",
        "PUT",
        f"/routers/{router_id}/{verb}_router_interface",
        f"{'plugging' if add else 'unplugging'} subnet {subnet_id} on router {router_id}",
        body={"subnet_id": subnet_id},
    )


def tagged_networks(os: OpenStack, tag: str) -> list[str]:
    """The ids of the project's networks that carry ``tag``."""
    return [str(n["id"]) for n in _listing(os, "networks", ["id"], {"tags": tag})]


def tag_network(os: OpenStack, network_id: str, tag: str, add: bool) -> None:
    """Add or remove one tag of a network; removing one it does not have is no error."""
    try:
        os.call(
            "network",
            "PUT" if add else "DELETE",
            f"/networks/{network_id}/tags/{tag}",
            f"{'tagging' if add else 'untagging'} network {network_id}",
        )
    except BackendError as exc:
        if add or exc.status != 404:
            raise


def router_interfaces(os: OpenStack, router_id: str) -> list[dict[str, Any]]:
    """The ports that plug subnets into a router."""
    filters = {"device_id": router_id, "device_owner": "network:router_interface"}
    return _listing(os, "ports", ["id"], filters)


def network_ports(os: OpenStack, network_id: str) -> list[dict[str, Any]]:
    fields = ["id", "device_owner", "device_id", "fixed_ips"]
    return _listing(os, "ports", fields, {"network_id": network_id})


def floating_ip(os: OpenStack, floating_ip_id: str) -> dict[str, Any]:
    """One floating IP; BackendError 404 when the project has none such."""
    return _one(os, "floatingip", floating_ip_id, _FLOATING_FIELDS)


# --- Security groups ------------------------------------------------------------------------

_GROUP_FIELDS = ["id", "name", "description", "security_group_rules"]


def security_groups(os: OpenStack) -> list[dict[str, Any]]:
    """The project's security groups, their rules embedded."""
    return _listing(os, "security-groups", _GROUP_FIELDS, {"project_id": os.project_id})


def security_group_names(os: OpenStack) -> list[dict[str, Any]]:
    """The project's security groups, ids and names only."""
    return _listing(os, "security-groups", ["id", "name"], {"project_id": os.project_id})


def port_device(os: OpenStack, port_id: str) -> str:
    """The id of the device (e.g. a server) ``port_id`` is plugged into ("" for none)."""
    return str(_one(os, "port", port_id, ["device_id"]).get("device_id") or "")


def security_group(os: OpenStack, group_id: str) -> dict[str, Any]:
    return _one(os, "security_group", group_id, _GROUP_FIELDS)


def create_security_group_rules(
    os: OpenStack, rules: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Several rules in one (bulk) call: all made or none."""
    body = os.call(
        "network",
        "POST",
        "/security-group-rules",
        "creating security group rules",
        body={"security_group_rules": list(rules)},
    )
    return list(body.get("security_group_rules", []))
