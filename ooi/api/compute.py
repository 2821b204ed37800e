"""`/compute/`: reading and deleting computes (nova servers) as OCCI resources.

The translation server → OCCI Resource lives here too (`describe`, `server_to_resource`), for
every handler that answers with a compute.

Backend calls (nova reads pinned to ``nova.SERVER_MICROVERSION``, flavor embedded):
- show: ``GET /servers/{id}`` alone: its ``addresses`` and ``security_groups`` joined with the
  project's network and group names, cached (``nova_interfaces``); neutron's ports of the
  server and the floating IPs only when names cannot say which network or group is meant;
  ``GET /servers/{id}/os-volume_attachments`` only when volumes are attached (for their device
  names). Templates come from the cached discovery mixins.
- list (filtered and paged by collections.py): ``GET /servers`` for the text renderings
  without filters (locations only); for JSON and for filters (full entities)
  ``GET /servers/detail`` and, when servers have volumes, cinder's ``GET /volumes/detail``
  (every attachment, one call; a cloud without cinder in the catalog: nova's attachments per
  server with volumes); neutron's ports and floating IPs only as for a show.
- delete: ``DELETE /servers/{id}``; delete-all: ``GET /servers``, then the deletes in parallel;
  then neutron's ``GET /floatingips`` and a release of each floating IP ooi allocated for them.

Decisions:
- ``occi.compute.hostname`` is nova's hostname (shown to project users from microversion 2.90),
  else the server name (older nova).
- ``occi.compute.architecture`` comes from the image's properties, which nova embeds from
  microversion 2.98 on (older nova: not rendered, rather than a glance call per show): x86_64
  → x64, i686/i386 → x86; other architectures have no OCCI value and are left out.
- A network interface is one link per fixed IP of a port (``networklink/{server}_{ip}``, target
  ``network/{network id}``) and one per floating IP (target ``network/PUBLIC``), named
  ``eth0``, ``eth1``, ... in nova's order of the server's interfaces; a floating IP shares the
  name of its port; active while the server is. ``occi.networkinterface.gateway`` is left out
  (a subnet call per network).
- A server nova is deleting is not found (404), for show and delete alike.
- OCCI 1.1 has no ``occi.compute.state.message``; there the message goes to
  ``occi.core.summary`` when the server has no description of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import webob

from ooi.api import (
    answers,
    collections,
    discovery,
    ids,
    network_links,
    nova_interfaces,
    security_groups,
    storage_links,
    user_mixins,
)
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.nova_interfaces import Interfaces
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.model import Kind, Link, Mixin, Registry, Resource
from ooi.openstack import cinder, floating, nova
from ooi.openstack.compute_state import compute_state, is_gone
from ooi.openstack.errors import BackendError


def _not_found(server_id: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no compute {server_id}")


def _kinds(version: str) -> tuple[Registry, Kind]:
    registry = catalog.static_categories(version)
    compute = registry.kind(infra.COMPUTE.type_id)
    assert compute is not None
    return registry, compute


class _Templates:
    """The cloud's os_tpl, resource_tpl and zone mixins, looked up the way servers name them."""

    def __init__(self, mixins: Sequence[Mixin]) -> None:
        self._by_id = {m.type_id: m for m in mixins}
        self._flavors: dict[str, Mixin] = {}
        for mixin in mixins:
            if mixin.scheme != openstack.RESOURCE_TEMPLATE_SCHEME:
                continue
            name = next(
                (a.default for a in mixin.attributes if a.name == "org.openstack.flavor.name"),
                None,
            )
            if name is not None:
                self._flavors.setdefault(str(name), mixin)

    def image(self, image_id: str) -> Mixin:
        type_id = openstack.OS_TEMPLATE_SCHEME + openstack.safe_term(image_id)
        known = self._by_id.get(type_id)
        if known is None:
            # An image gone from glance (or not listed to this project) still names the
            # template; made once, so that renderings find the same object again.
            known = self._by_id.setdefault(type_id, openstack.os_template(image_id, None))
        return known

    def flavor(self, name: str) -> Mixin | None:
        return self._flavors.get(name)

    def zone(self, name: str) -> Mixin:
        type_id = openstack.AVAILABILITY_ZONE_SCHEME + openstack.safe_term(name)
        known = self._by_id.get(type_id)
        if known is None:
            known = self._by_id.setdefault(type_id, openstack.availability_zone(name))
        return known


# The templates last made per project, with the cached lists they were made from (compared by
# identity: a cache refill makes new lists): a listing of N servers, and the shows that follow,
# index the project's templates once, not once per server.
_TEMPLATES: dict[str, tuple[list[Mixin], list[Mixin], _Templates]] = {}
_TEMPLATES_MAX = 1024


def _templates(ctx: Context) -> _Templates:
    flavors = discovery.flavor_mixins(ctx)
    images = discovery.optional(ctx, "images", discovery.image_mixins)
    made = _TEMPLATES.get(ctx.openstack.project_id)
    if made is not None and made[0] is flavors and made[1] is images:
        return made[2]
    templates = _Templates([*flavors, *images])
    if len(_TEMPLATES) >= _TEMPLATES_MAX:
        _TEMPLATES.clear()
    _TEMPLATES[ctx.openstack.project_id] = (flavors, images, templates)
    return templates


def _image_id(server: Mapping[str, Any]) -> str | None:
    image = server.get("image")
    # A server booted from a volume has ``"image": ""``.
    if isinstance(image, Mapping) and image.get("id"):
        return str(image["id"])
    return None


def _mixins(server: Mapping[str, Any], templates: _Templates) -> list[Mixin]:
    mixins: list[Mixin] = []
    image_id = _image_id(server)
    if image_id:
        mixins.append(templates.image(image_id))
    flavor = server.get("flavor") or {}
    if flavor.get("original_name"):
        template = templates.flavor(str(flavor["original_name"]))
        if template is not None:
            mixins.append(template)
    zone = server.get("OS-EXT-AZ:availability_zone")
    if zone:
        mixins.append(templates.zone(str(zone)))
    return mixins


# nova's (libvirt's) architecture names → OCCI's occi.compute.architecture values.
_ARCHITECTURES = {"x86_64": "x64", "amd64": "x64", "i686": "x86", "i386": "x86", "x86": "x86"}


def _architecture(server: Mapping[str, Any]) -> str | None:
    image = server.get("image")
    properties = (image.get("properties") if isinstance(image, Mapping) else None) or {}
    raw = properties.get("hw_architecture") or properties.get("architecture")
    return _ARCHITECTURES.get(str(raw).lower()) if raw else None


def _resource(
    version: str,
    server: Mapping[str, Any],
    templates: _Templates,
    network_links: list[Link],
    attachments: Sequence[Mapping[str, Any]],
) -> Resource:
    _, compute = _kinds(version)
    server_id = str(server["id"])
    state = compute_state(server).for_version(version)
    flavor = server.get("flavor") or {}
    attributes: dict[str, Any] = {
        "occi.compute.hostname": server.get("OS-EXT-SRV-ATTR:hostname")
        or server.get("name")
        or server_id,
        "occi.compute.state": state.state,
    }
    architecture = _architecture(server)
    if architecture:
        attributes[infra.ARCHITECTURE.name] = architecture
    if flavor.get("vcpus") is not None:
        attributes["occi.compute.cores"] = int(flavor["vcpus"])
    if flavor.get("ram") is not None:
        attributes["occi.compute.memory"] = openstack.mib_to_gib(float(flavor["ram"]))
    summary = server.get("description") or None
    if state.message:
        if version == "1.1":
            summary = summary or state.message
        else:
            attributes["occi.compute.state.message"] = state.message
    return Resource(
        kind=compute,
        id=server_id,
        title=server.get("name") or None,
        summary=summary,
        mixins=_mixins(server, templates),
        attributes=attributes,
        actions=[a for a in compute.actions if a.term in state.actions],
        links=[*network_links, *storage_links.of_server(version, server_id, attachments)],
    )


def server_to_resource(
    ctx: Context,
    server: Mapping[str, Any],
    interfaces: Interfaces,
    attachments: Sequence[Mapping[str, Any]],
) -> Resource:
    """The compute for a nova server (as ``nova.server`` returns it), its network interfaces
    (``nova_interfaces.of_servers``) and its volume attachments (``nova.volume_attachments``)."""
    templates = _templates(ctx)
    links = network_links.of_interfaces(ctx, server, interfaces)
    links += security_groups.of_server(ctx.version, str(server["id"]), interfaces.groups)
    resource = _resource(ctx.version, server, templates, links, attachments)
    # Its groups' mixins: the computes in a group are its collection.
    resource.mixins.extend(security_groups.mixins_of(interfaces.groups))
    # User mixins: the server's tags that name one of the project's (nova shows tags from 2.26).
    known = catalog.static_categories(ctx.version)
    resource.mixins.extend(user_mixins.tags_to_mixins(ctx, server.get("tags") or (), known))
    return resource


def _has_volumes(server: Mapping[str, Any]) -> bool:
    return bool(server.get("os-extended-volumes:volumes_attached"))


def _warm_caches(ctx: Context) -> dict[str, Callable[[], Any]]:
    """Calls that fill the caches a rendering reads and that are cold, to run beside nova's
    (when all are warm, nova's call runs alone in the request's thread: no thread hand-off)."""
    calls: dict[str, Callable[[], Any]] = {}
    if not discovery.cached(ctx, "flavors"):
        calls["flavors"] = lambda: discovery.flavor_mixins(ctx)
    if not discovery.cached(ctx, "images"):
        calls["images"] = lambda: discovery.optional(ctx, "images", discovery.image_mixins)
    if not nova_interfaces.cached(ctx):
        calls["names"] = lambda: nova_interfaces.warm(ctx)
    return calls


def describe(ctx: Context, server_id: str) -> Resource:
    """The compute ``server_id`` as it is now; 404 when nova has no such server (or is
    deleting it)."""
    if not ids.is_uuid(server_id):
        raise _not_found(server_id)
    os = ctx.openstack
    try:
        found = os.parallel(server=lambda: nova.server(os, server_id), **_warm_caches(ctx))
    except BackendError as exc:
        if exc.status == 404:
            raise _not_found(server_id) from exc
        raise
    server = found["server"]
    if is_gone(server):
        raise _not_found(server_id)
    interfaces = nova_interfaces.of_servers(ctx, [server])[server_id]
    attachments = nova.volume_attachments(os, server_id) if _has_volumes(server) else []
    return server_to_resource(ctx, server, interfaces, attachments)


# --- Handlers ------------------------------------------------------------------------------


def _all_resources(ctx: Context) -> list[Resource]:
    os = ctx.openstack
    found = os.parallel(servers=lambda: nova.servers_detail(os), **_warm_caches(ctx))
    servers = [s for s in found["servers"] if not is_gone(s)]
    with_volumes = [str(s["id"]) for s in servers if _has_volumes(s)]
    attachments: dict[str, list[dict[str, Any]]] = {}
    if with_volumes and os.has("volume"):
        # One cinder call gives every server's attachments (with devices).
        attachments = storage_links.by_server(cinder.volumes_detail(os))
    elif with_volumes:
        found = os.parallel(
            **{sid: (lambda sid=sid: nova.volume_attachments(os, sid)) for sid in with_volumes}
        )
        attachments = {sid: list(found[sid]) for sid in with_volumes}
    interfaces = nova_interfaces.of_servers(ctx, servers)
    return [
        server_to_resource(
            ctx, server, interfaces[str(server["id"])], attachments.get(str(server["id"]), [])
        )
        for server in servers
    ]


def _locations(ctx: Context) -> list[str]:
    _, compute = _kinds(ctx.version)
    return [f"{compute.location}{i}" for i in nova.server_ids(ctx.openstack)]


LISTING = collections.Listing(entities=_all_resources, locations=_locations)


def list_computes(ctx: Context) -> webob.Response:
    """Locations (one light nova call) or, for JSON and filters, full computes; paged."""
    return collections.respond(ctx, LISTING)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.resource(describe(ctx, ctx.params["id"])))


def delete(ctx: Context) -> webob.Response:
    server_id = ctx.params["id"]
    if not ids.is_uuid(server_id):
        raise _not_found(server_id)
    os = ctx.openstack
    try:
        # nova accepts a second delete while the first runs; asking first makes it a 404.
        if is_gone(nova.server(os, server_id)):
            raise _not_found(server_id)
        nova.delete_server(os, server_id)
    except BackendError as exc:
        if exc.status == 404:
            raise _not_found(server_id) from exc
        raise
    # The public IPs ooi allocated for it (and only those) go with it.
    floating.release_for(os, [server_id])
    return answers.no_content(ctx)


def _delete_if_there(os: Any, server_id: str) -> None:
    try:
        nova.delete_server(os, server_id)
    except BackendError as exc:
        if exc.status != 404:  # gone meanwhile: what was asked for
            raise


def delete_all(ctx: Context) -> webob.Response:
    os = ctx.openstack
    found = nova.server_ids(os)
    if found:
        os.parallel(
            **{f"s{i}": (lambda sid=sid: _delete_if_there(os, sid)) for i, sid in enumerate(found)}
        )
        floating.release_for(os, found)
    return answers.no_content(ctx)
