"""Creating and deleting networks, and their ``up`` / ``down`` actions (neutron only).

Backend calls:
- create: ``POST /networks``, ``POST /subnets`` (from the ipnetwork attributes), the project's
  routers (``GET /routers``), a new router to the external network only when the project has
  none with a gateway, ``PUT /routers/{id}/add_router_interface``; one ``Steps``: a failure
  undoes every step done.
- delete: ``GET /networks/{id}``, its ports (``GET /ports?network_id=``), the routers, then
  ``remove_router_interface``, the router when ooi made it and nothing else is plugged into it
  (``GET /ports?device_id=``), and ``DELETE /networks/{id}`` (neutron deletes the subnets and
  DHCP ports).
- up / down: ``PUT /networks/{id} {admin_state_up}``.

Decisions:
- ``occi.network.address`` (a CIDR, with the ipnetwork mixin) is required: neutron needs a
  subnet to be usable. ``occi.network.gateway`` is optional (neutron takes the first address);
  ``occi.network.allocation`` static turns DHCP off, anything else leaves it on.
- The name is ``occi.core.title``, else ``occi.network.label``, else ``ooi-network``. User
  mixins given at create are neutron tags on the network (``PUT /networks/{id}/tags/{tag}``).
- A router ooi makes carries the description ``ROUTER_MARK + network id``; a router the project
  had is reused and never deleted by ooi. A network delete removes a router ooi made once no
  other subnet is plugged into it (later creates reuse it), whichever network it was made for.
- Delete answers 409 while a compute still has a port on the network (naming it), 403 for
  ``PUBLIC``. nova's network mode answers 501 to all of these.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

import webob

from ooi.api import answers, discovery, ids, nova_interfaces, user_mixins
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.network_links import require_neutron
from ooi.api.networks import PUBLIC, network_kind, not_found
from ooi.api.steps import Steps
from ooi.occi import catalog
from ooi.occi import infrastructure as infra
from ooi.occi.documents import ActionDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.validation import ResolvedEntity, resolve_action, resolve_entity
from ooi.openstack import neutron
from ooi.openstack.client import OpenStack

ROUTER_MARK = "ooi: router of network "


def _subnet_body(network_id: str, resolved: ResolvedEntity, name: str) -> dict[str, Any]:
    address = resolved.attributes.get("occi.network.address")
    if not address:
        raise InvalidInput(
            "occi.network.address (a CIDR such as 10.20.0.0/24, with the ipnetwork mixin) is "
            "needed to create a network"
        )
    try:
        cidr = ipaddress.ip_network(str(address), strict=False)
    except ValueError as exc:
        raise InvalidInput(f"occi.network.address {address!r} is not a CIDR: {exc}") from exc
    body: dict[str, Any] = {
        "network_id": network_id,
        "name": name,
        "cidr": str(cidr),
        "ip_version": cidr.version,
        "enable_dhcp": resolved.attributes.get("occi.network.allocation") != "static",
    }
    gateway = resolved.attributes.get("occi.network.gateway")
    if gateway:
        try:
            inside = ipaddress.ip_address(str(gateway)) in cidr
        except ValueError as exc:
            raise InvalidInput(f"occi.network.gateway {gateway!r} is not an address") from exc
        if not inside:
            raise InvalidInput(f"occi.network.gateway {gateway} is not in {cidr}")
        body["gateway_ip"] = str(gateway)
    return body


def _gateway_router(os: OpenStack, network_id: str, steps: Steps) -> str | None:
    """A router of the project with a gateway to an external network, made when there is none
    (None: the cloud has no external network, the network stays private)."""
    for router in neutron.routers(os):
        if router.get("external_gateway_info"):
            return str(router["id"])
    externals = neutron.networks(os, **{"router:external": "true"})
    if not externals:
        return None
    made = steps.run(
        "creating a router",
        lambda: neutron.create(
            os,
            "router",
            {
                "name": f"ooi-router-{network_id[:8]}",
                "description": ROUTER_MARK + network_id,
                "external_gateway_info": {"network_id": externals[0]["id"]},
            },
        ),
        undo=lambda r: neutron.delete(os, "router", str(r["id"])),
    )
    return str(made["id"])


def _create(ctx: Context) -> webob.Response:
    registry = discovery.registry(ctx)
    kind = network_kind(ctx.version)
    resolved = resolve_entity(ctx.parse("parse_entity"), registry, kind=kind, purpose="create")
    require_neutron(ctx, "creating networks")
    os = ctx.openstack
    name = resolved.title or resolved.attributes.get("occi.network.label") or "ooi-network"
    _subnet_body("", resolved, name)  # checked before anything is made
    with Steps() as steps:
        network = steps.run(
            "creating the network",
            lambda: neutron.create(os, "network", {"name": name, "admin_state_up": True}),
            undo=lambda n: neutron.delete(os, "network", str(n["id"])),
        )
        network_id = str(network["id"])
        for definition in user_mixins.definitions_among(ctx, resolved.mixins):
            # Undone with the network.
            steps.run(
                f"tagging the network with {definition.type_id}",
                lambda d=definition: neutron.tag_network(os, network_id, d.tag, add=True),
            )
        subnet = steps.run(
            "creating the subnet",
            lambda: neutron.create(os, "subnet", _subnet_body(network_id, resolved, name)),
            undo=lambda s: neutron.delete(os, "subnet", str(s["id"])),
        )
        router_id = _gateway_router(os, network_id, steps)
        if router_id is not None:
            steps.run(
                "plugging the subnet into the router",
                lambda: neutron.router_interface(os, router_id, str(subnet["id"]), add=True),
                undo=lambda _: neutron.router_interface(
                    os, router_id, str(subnet["id"]), add=False
                ),
            )
    nova_interfaces.forget(ctx)  # its name may be one another network has too
    return answers.created(ctx, f"{kind.location}{network_id}")


def _in_use(ports: list[Mapping[str, Any]]) -> list[str]:
    return sorted(
        {
            str(p.get("device_id"))
            for p in ports
            if str(p.get("device_owner") or "").startswith("compute:")
        }
    )


def delete(ctx: Context) -> webob.Response:
    network_id = ctx.params["id"]
    if network_id == PUBLIC:
        raise RequestRefused(403, "Forbidden: the PUBLIC network is the cloud's, not yours")
    if not ids.is_uuid(network_id):
        raise not_found(network_id)
    require_neutron(ctx, "deleting networks")
    os = ctx.openstack
    network = answers.or_404(f"network {network_id}", lambda: neutron.network(os, network_id))
    if network.get("router:external"):
        raise RequestRefused(403, "Forbidden: an external network is the cloud's, not yours")
    ports = neutron.network_ports(os, network_id)
    computes = _in_use(ports)
    if computes:
        compute = catalog.static_categories(ctx.version).kind(infra.COMPUTE.type_id)
        prefix = compute.location if compute is not None else "compute/"
        names = ", ".join(ctx.absolute_url(f"{prefix}{c}") for c in computes)
        raise RequestRefused(409, f"Network {network_id} is in use by computes: {names}")
    _unplug_routers(os, network_id, ports)
    neutron.delete(os, "network", network_id)
    nova_interfaces.forget(ctx)
    return answers.no_content(ctx)


def _unplug_routers(os: OpenStack, network_id: str, ports: list[Mapping[str, Any]]) -> None:
    """Unplug the network from its routers; delete those ooi made once nothing else is
    plugged into them (a later network create may have reused one)."""
    plugged = [p for p in ports if p.get("device_owner") == "network:router_interface"]
    if not plugged:
        return
    routers = {str(r["id"]): r for r in neutron.routers(os)}
    for port in plugged:
        router_id = str(port["device_id"])
        for fixed in port.get("fixed_ips") or ():
            neutron.router_interface(os, router_id, str(fixed["subnet_id"]), add=False)
        router = routers.get(router_id)
        made_by_ooi = str((router or {}).get("description") or "").startswith(ROUTER_MARK)
        if made_by_ooi and not neutron.router_interfaces(os, router_id):
            neutron.delete(os, "router", router_id)


# --- Actions --------------------------------------------------------------------------------


def _action_doc(ctx: Context) -> ActionDoc:
    """An empty request names no action: the one of ``?action=`` is meant (as for computes)."""
    req = ctx.request
    if not req.body.strip() and not any(name.lower() == "category" for name in req.headers):
        return ActionDoc(action="")
    return ctx.parse("parse_action")


def _act(ctx: Context, network_id: str, term: str) -> webob.Response:
    kind = network_kind(ctx.version)
    if term not in {a.term for a in kind.actions}:
        raise InvalidInput(f"Unknown action {term!r} for network; its actions are: up, down")
    registry = catalog.static_categories(ctx.version)
    action, _ = resolve_action(_action_doc(ctx), registry, allowed=kind.actions, expected_term=term)
    if network_id == PUBLIC:
        raise RequestRefused(403, "Forbidden: the PUBLIC network is the cloud's, not yours")
    if not ids.is_uuid(network_id):
        raise not_found(network_id)
    require_neutron(ctx, "network actions")
    up = action.term == "up"
    answers.or_404(
        f"network {network_id}",
        lambda: neutron.update(ctx.openstack, "network", network_id, {"admin_state_up": up}),
    )
    return ctx.respond(ctx.renderer.empty())


def create_or_act(ctx: Context) -> webob.Response:
    if ctx.request.GET.get("action") is not None:
        raise InvalidInput("Actions on every network are not offered: act on one network")
    return _create(ctx)


def act(ctx: Context) -> webob.Response:
    term = ctx.request.GET.get("action")
    if term is None:
        raise InvalidInput("A network is not updated by POST: send ?action=up or ?action=down")
    return _act(ctx, ctx.params["id"], term)
