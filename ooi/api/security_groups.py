"""`/securitygroup/` and `/securitygrouplink/`: neutron security groups and the computes using
them (the extension kinds of rOCCI-server 2 and the original ooi, which never routed them).

Backend calls:
- list / show: ``GET /security-groups`` (rules embedded) / ``GET /security-groups/{id}``.
- create: ``POST /security-groups`` then the rules in one bulk ``POST /security-group-rules``
  (undone together on failure); update (PUT or POST with ``occi.securitygroup.rules``): the
  rules that are not wanted any more deleted, the missing ones created in one bulk call.
- delete: ``DELETE /security-groups/{id}`` (neutron's 409 while ports use it).
- links: the project's ports (their ``security_groups``) for list and show; nova's
  ``addSecurityGroup`` / ``removeSecurityGroup`` actions for create and delete.

Decisions:
- ``occi.securitygroup.rules`` is a list of ``{"type": "inbound" | "outbound", "protocol":
  "tcp" | "udp" | "icmp" | ..., "port": "22" | "8000:8080", "range": CIDR, "group": group
  id}`` (the JSON rendering's structure; text renderings carry it as a quoted JSON string, both
  ways). A rule without protocol allows every protocol, without port every port, without range
  or group every IPv4 address (``"range": "::/0"``: every IPv6 one); with a group, the members
  of that group (as the default group's own rules). neutron's own rules (such as the default
  egress ones) render the same way, so that rules sent back as shown change nothing.
- The project's ``default`` group is shown; deleting it is 403.
- A security group link is ``securitygrouplink/{server id}_{group id}``: a compute uses a group
  when one of its ports does. Inline links to groups in a compute create, and the groups'
  mixins (``openstack.security_group``, listed in ``/-/``), are nova's ``security_groups`` at
  boot (the default group then only when named too); nova gives them to the ports it makes.
- A compute carries the mixin of each group it is in, so the mixin's collection lists the
  computes in the group; its membership changes through ``/securitygrouplink/``.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from typing import Any

import webob

from ooi.api import answers, collections, discovery, ids, nova_interfaces, references
from ooi.api.boot_links import BootLinks
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.network_links import require_neutron
from ooi.api.router import Handler
from ooi.api.steps import Steps
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Link, Mixin, Resource
from ooi.occi.validation import ResolvedLink, resolve_entity
from ooi.openstack import neutron, servers

RULES = "occi.securitygroup.rules"
_DIRECTIONS = {"inbound": "ingress", "outbound": "egress"}


def _kind(version: str, kind: Kind) -> Kind:
    found = catalog.static_categories(version).kind(kind.type_id)
    assert found is not None
    return found


def _not_found(what: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no {what}")


# --- Rules ----------------------------------------------------------------------------------


def rule_to_occi(rule: Mapping[str, Any]) -> dict[str, str]:
    """One neutron rule as OCCI shows it. Each rule shows apart from the others, so that the
    rules sent back as shown are the same rules: an IPv6 rule open to every address has the
    range ``::/0`` (an IPv4 one no range), one open to a group's members names the group."""
    found = {"type": "inbound" if rule.get("direction") == "ingress" else "outbound"}
    if rule.get("protocol"):
        found["protocol"] = str(rule["protocol"])
    low, high = rule.get("port_range_min"), rule.get("port_range_max")
    if low is not None:
        found["port"] = str(low) if high in (None, low) else f"{low}:{high}"
    if rule.get("remote_group_id"):
        found["group"] = str(rule["remote_group_id"])
    if rule.get("remote_ip_prefix"):
        found["range"] = str(rule["remote_ip_prefix"])
    elif rule.get("ethertype") == "IPv6":
        found["range"] = "::/0"
    return found


def _port_range(port: Any, where: str) -> tuple[int, int]:
    low, _, high = str(port).partition(":")
    try:
        first, last = int(low), int(high or low)
    except ValueError:
        raise InvalidInput(f"{where}: port {port!r} is not a port or a range a:b") from None
    if not 0 <= first <= last <= 65535:
        raise InvalidInput(f"{where}: port {port!r} is not within 0-65535")
    return first, last


def rule_to_neutron(rule: Any, number: int) -> dict[str, Any]:
    """One OCCI rule as neutron's rule fields (without the group); InvalidInput naming it."""
    where = f"{RULES}, rule {number}"
    if not isinstance(rule, Mapping):
        raise InvalidInput(
            f"{where}: a rule is an object with type, protocol, port, and range or group"
        )
    unknown = set(rule) - {"type", "protocol", "port", "range", "group"}
    if unknown:
        raise InvalidInput(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    direction = _DIRECTIONS.get(str(rule.get("type", "inbound")))
    if direction is None:
        raise InvalidInput(f"{where}: type must be inbound or outbound")
    found: dict[str, Any] = {"direction": direction, "ethertype": "IPv4"}
    if rule.get("protocol"):
        found["protocol"] = str(rule["protocol"]).lower()
    if rule.get("port") not in (None, ""):
        if found.get("protocol") not in ("tcp", "udp"):
            raise InvalidInput(f"{where}: a port needs protocol tcp or udp")
        found["port_range_min"], found["port_range_max"] = _port_range(rule["port"], where)
    if rule.get("range"):
        try:
            network = ipaddress.ip_network(str(rule["range"]), strict=False)
        except ValueError:
            raise InvalidInput(f"{where}: range {rule['range']!r} is not a CIDR") from None
        found["remote_ip_prefix"] = str(network)
        found["ethertype"] = f"IPv{network.version}"
    if rule.get("group"):
        # With a group, a range can only say the address family (neutron takes one or the
        # other): 0.0.0.0/0 or ::/0.
        if found.pop("remote_ip_prefix", None) not in (None, "0.0.0.0/0", "::/0"):
            raise InvalidInput(f"{where}: a rule has a range or a group, not both")
        if not ids.is_uuid(str(rule["group"])):
            raise InvalidInput(f"{where}: group {rule['group']!r} is not a security group id")
        found["remote_group_id"] = str(rule["group"])
    return found


def _key(rule: Mapping[str, Any]) -> tuple[Any, ...]:
    names = (
        "direction",
        "ethertype",
        "protocol",
        "port_range_min",
        "port_range_max",
        "remote_group_id",
    )
    prefix = rule.get("remote_ip_prefix")
    if prefix in ("0.0.0.0/0", "::/0"):
        prefix = None
    return (*(rule.get(n) for n in names), prefix)


def wanted_rules(value: Any) -> list[dict[str, Any]]:
    """The rules a client sent (a list, or a JSON string of one from a text rendering)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidInput(f"{RULES} must be a JSON list of rules") from None
    if not isinstance(value, list):
        raise InvalidInput(f"{RULES} must be a list of rules")
    return [rule_to_neutron(rule, number) for number, rule in enumerate(value, 1)]


# --- Groups ---------------------------------------------------------------------------------


def to_resource(version: str, group: Mapping[str, Any]) -> Resource:
    rules = [rule_to_occi(r) for r in group.get("security_group_rules") or ()]
    return Resource(
        kind=_kind(version, openstack.SECURITYGROUP),
        id=str(group["id"]),
        title=group.get("name") or None,
        summary=group.get("description") or None,
        attributes={RULES: rules, "occi.securitygroup.state": "active"},
    )


def _group(ctx: Context, group_id: str) -> dict[str, Any]:
    if not ids.is_uuid(group_id):
        raise _not_found(f"securitygroup {group_id}")
    require_neutron(ctx, "security groups")
    return answers.or_404(
        f"securitygroup {group_id}", lambda: neutron.security_group(ctx.openstack, group_id)
    )


def _all_groups(ctx: Context) -> list[Resource]:
    require_neutron(ctx, "security groups")
    return [to_resource(ctx.version, g) for g in neutron.security_groups(ctx.openstack)]


GROUPS = collections.Listing(entities=_all_groups)


def list_groups(ctx: Context) -> webob.Response:
    return collections.respond(ctx, GROUPS)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(
        ctx.renderer.resource(to_resource(ctx.version, _group(ctx, ctx.params["id"])))
    )


def _parsed(ctx: Context, purpose: str) -> Any:
    doc = ctx.parse("parse_entity")
    text = doc.attributes.get(RULES)
    if isinstance(text, str):  # text renderings carry the list as a JSON string
        try:
            doc.attributes[RULES] = json.loads(text) if text.strip() else []
        except ValueError:
            raise InvalidInput(f"{RULES} must be a JSON list of rules") from None
    registry = discovery.registry(ctx)
    return resolve_entity(
        doc, registry, kind=_kind(ctx.version, openstack.SECURITYGROUP), purpose=purpose
    )


def _add_rules(os: Any, group_id: str, rules: Sequence[Mapping[str, Any]]) -> list[str]:
    if not rules:
        return []
    made = neutron.create_security_group_rules(
        os, [{**r, "security_group_id": group_id} for r in rules]
    )
    return [str(r["id"]) for r in made]


def create(ctx: Context) -> webob.Response:
    resolved = _parsed(ctx, "create")
    require_neutron(ctx, "security groups")
    rules = wanted_rules(resolved.attributes.get(RULES, []))
    os = ctx.openstack
    name = resolved.title or "ooi-securitygroup"
    with Steps() as steps:
        group = steps.run(
            "creating the security group",
            lambda: neutron.create(
                os, "security_group", {"name": name, "description": resolved.summary or ""}
            ),
            undo=lambda g: neutron.delete(os, "security_group", str(g["id"])),
        )
        existing = {_key(r) for r in group.get("security_group_rules") or ()}
        missing = [r for r in rules if _key(r) not in existing]
        _add_rules(os, str(group["id"]), missing)
    discovery.forget(ctx, "security_groups")  # /-/ offers the new group as a mixin
    nova_interfaces.forget(ctx)
    location = _kind(ctx.version, openstack.SECURITYGROUP).location
    return answers.created(ctx, f"{location}{group['id']}")


def update(ctx: Context) -> webob.Response:
    """PUT or POST with new rules: the group's rules become exactly those."""
    group = _group(ctx, ctx.params["id"])
    resolved = _parsed(ctx, "update")
    os = ctx.openstack
    if RULES in resolved.attributes:
        wanted = wanted_rules(resolved.attributes[RULES])
        keys = {_key(r) for r in wanted}
        current = group.get("security_group_rules") or []
        have = {_key(r) for r in current}
        for rule in current:
            if _key(rule) not in keys:
                neutron.delete(os, "security_group_rule", str(rule["id"]))
        _add_rules(os, str(group["id"]), [r for r in wanted if _key(r) not in have])
    changes = {}
    if resolved.title:
        changes["name"] = resolved.title
    if resolved.summary is not None:
        changes["description"] = resolved.summary
    if changes:
        neutron.update(os, "security_group", str(group["id"]), changes)
        discovery.forget(ctx, "security_groups")  # the mixin's title is the name
        nova_interfaces.forget(ctx)
    return show(ctx)


def delete(ctx: Context) -> webob.Response:
    group = _group(ctx, ctx.params["id"])
    if group.get("name") == "default":
        raise RequestRefused(403, "Forbidden: the project's default security group stays")
    neutron.delete(ctx.openstack, "security_group", str(group["id"]))
    discovery.forget(ctx, "security_groups")
    nova_interfaces.forget(ctx)
    return answers.no_content(ctx)


# --- Links ----------------------------------------------------------------------------------


def _link(version: str, server_id: str, group_id: str) -> Link:
    compute = _kind(version, infra.COMPUTE)
    group_kind = _kind(version, openstack.SECURITYGROUP)
    return Link(
        kind=_kind(version, openstack.SECURITYGROUPLINK),
        id=f"{server_id}_{group_id}",
        attributes={"occi.securitygrouplink.state": "active"},
        source=f"{compute.location}{server_id}",
        source_kind=compute,
        target=f"{group_kind.location}{group_id}",
        target_kind=group_kind,
    )


def of_ports(version: str, ports: Sequence[Mapping[str, Any]]) -> list[Link]:
    """The security group links of the servers owning ``ports`` (one per server and group)."""
    pairs = {
        (str(p["device_id"]), str(group))
        for p in ports
        if str(p.get("device_owner") or "").startswith("compute:")
        for group in p.get("security_groups") or ()
    }
    return [_link(version, s, g) for s, g in sorted(pairs)]


def of_server(version: str, server_id: str, groups: Sequence[str]) -> list[Link]:
    """The links of a server in ``groups`` (their ids)."""
    return [_link(version, server_id, g) for g in sorted(set(groups))]


def mixins_of(groups: Sequence[str]) -> list[Mixin]:
    """The security-group mixins of ``groups`` (ids), those a compute in them carries."""
    return [openstack.security_group(g, None) for g in sorted(set(groups))]


def _split(link_id: str) -> tuple[str, str]:
    server_id, sep, group_id = link_id.partition("_")
    if not sep or not ids.is_uuid(server_id) or not ids.is_uuid(group_id):
        raise _not_found(f"securitygrouplink {link_id}")
    return server_id, group_id


def _all_links(ctx: Context) -> list[Link]:
    require_neutron(ctx, "security groups")
    return of_ports(ctx.version, neutron.project_ports(ctx.openstack, ["security_groups"]))


LINKS = collections.Listing(entities=_all_links)


def list_links(ctx: Context) -> webob.Response:
    return collections.respond(ctx, LINKS)


def _existing_link(ctx: Context, link_id: str) -> Link:
    server_id, _ = _split(link_id)
    require_neutron(ctx, "security groups")
    links = of_ports(
        ctx.version,
        neutron.ports_of(ctx.openstack, [server_id], extra=nova_interfaces.PORT_FIELDS),
    )
    found = next((lk for lk in links if lk.id == link_id), None)
    if found is None:
        raise _not_found(f"securitygrouplink {link_id}")
    return found


def show_link(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.link(_existing_link(ctx, ctx.params["id"])))


def create_link(ctx: Context) -> webob.Response:
    registry = discovery.registry(ctx)
    kind = _kind(ctx.version, openstack.SECURITYGROUPLINK)
    resolved = resolve_entity(ctx.parse("parse_entity"), registry, kind=kind, purpose="create")
    if not resolved.source or not resolved.target:
        raise InvalidInput("A security group link needs occi.core.source and occi.core.target")
    compute = _kind(ctx.version, infra.COMPUTE).location or "compute/"
    group_location = _kind(ctx.version, openstack.SECURITYGROUP).location or "securitygroup/"
    server_id = references.entity_id(resolved.source, ctx.endpoint_url, compute)
    group_id = references.entity_id(resolved.target, ctx.endpoint_url, group_location)
    if not ids.is_uuid(server_id):
        raise _not_found(f"compute {server_id}")
    _group(ctx, group_id)
    answers.or_404(
        f"compute {server_id}",
        lambda: servers.action(ctx.openstack, server_id, "addSecurityGroup", {"name": group_id}),
    )
    return answers.created(ctx, f"{kind.location}{server_id}_{group_id}")


def delete_link(ctx: Context) -> webob.Response:
    link_id = ctx.params["id"]
    _existing_link(ctx, link_id)
    server_id, group_id = _split(link_id)
    answers.or_404(
        f"securitygrouplink {link_id}",
        lambda: servers.action(ctx.openstack, server_id, "removeSecurityGroup", {"name": group_id}),
    )
    return answers.no_content(ctx)


_GROUPS = {"GET": list_groups, "POST": create}
_LINKS = {"GET": list_links, "POST": create_link}

ROUTES: Mapping[str, Mapping[str, Handler]] = {
    "/securitygroup/": _GROUPS,
    "/securitygroup": _GROUPS,
    "/securitygroup/{id}": {"GET": show, "POST": update, "PUT": update, "DELETE": delete},
    "/securitygrouplink/": _LINKS,
    "/securitygrouplink": _LINKS,
    "/securitygrouplink/{id}": {"GET": show_link, "DELETE": delete_link},
}


# --- Inline links at compute create ---------------------------------------------------------


def inline_plan(
    ctx: Context, links: Sequence[ResolvedLink], mixins: Sequence[Mixin] = ()
) -> BootLinks:
    """Inline ``securitygrouplink`` links and security-group mixins of a compute create: the
    groups nova boots it in (instead of the project's default group)."""
    named = [
        openstack.raw_id(m.term)
        for m in mixins
        if m != openstack.SECURITY_GROUP and m.is_a(openstack.SECURITY_GROUP)
    ]
    if not links and not named:
        return BootLinks()
    require_neutron(ctx, "security groups")
    location = _kind(ctx.version, openstack.SECURITYGROUP).location or "securitygroup/"
    for link in links:
        group_id = references.entity_id(link.target, ctx.endpoint_url, location)
        if not ids.is_uuid(group_id):
            raise InvalidInput(f"Link to {link.target}: no security group {group_id}")
        named.append(group_id)
    chosen = [{"name": group_id} for group_id in dict.fromkeys(named)]

    def prepare(steps: Steps, server: dict[str, Any]) -> None:
        server["security_groups"] = chosen

    return BootLinks(prepare=prepare)
