"""What the commands do to a site, apart from how they are asked (cliff commands and
rOCCI-cli command lines share these)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from occi_client import parse, render, wait
from occi_client.errors import NotFound, Unsupported
from occi_client.model import Entity
from occi_client.render import NewLink
from occi_client.site import Site

# Contextualization: the OCCI 1.2 mixin where the site has it, else OpenStack's (OCCI 1.1
# sites, rOCCI's choice); the attribute is the one the mixin declares, else the usual one.
USER_DATA = (
    ("http://schemas.ogf.org/occi/infrastructure/compute#user_data", "occi.compute.userdata"),
    ("http://schemas.openstack.org/compute/instance#user_data", "org.openstack.compute.user_data"),
)
SSH_KEY = (
    (
        "http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key",
        "occi.credentials.ssh.publickey",
    ),
    (
        "http://schemas.openstack.org/instance/credentials#public_key",
        "org.openstack.credentials.publickey.data",
    ),
)
# The state attribute of each kind, and where each action leads (for --wait).
STATES = {
    "compute": "occi.compute.state",
    "storage": "occi.storage.state",
    "network": "occi.network.state",
    "storagelink": "occi.storagelink.state",
    "networkinterface": "occi.networkinterface.state",
    "ipreservation": "occi.ipreservation.state",
    "securitygroup": "occi.securitygroup.state",
    "securitygrouplink": "occi.securitygrouplink.state",
}
ACTION_STATES = {"start": "active", "stop": "inactive", "restart": "active", "suspend": "suspended"}


def _mixin_for(site: Site, choices: tuple[tuple[str, str], ...], what: str) -> tuple[str, str]:
    for type_id, attribute in choices:
        category = site.category(type_id)
        if category is not None:
            return type_id, (category.attributes or [attribute])[0]
    raise Unsupported(f"this site takes no {what}")


def contextualize(
    site: Site,
    mixins: list[str],
    attributes: dict[str, Any],
    user_data: bytes | None = None,
    ssh_key: str | None = None,
) -> None:
    """Adds user data (sent base64-encoded, as the text renderings need) and an SSH key."""
    if user_data is not None:
        mixin, name = _mixin_for(site, USER_DATA, "user data")
        mixins.append(mixin)
        attributes[name] = base64.b64encode(user_data).decode()
    if ssh_key is not None:
        mixin, name = _mixin_for(site, SSH_KEY, "SSH keys")
        mixins.append(mixin)
        attributes[name] = ssh_key.strip()


def created_location(resp: Any) -> str:
    """Where a create put the new entity: Location, X-OCCI-Location or the body."""
    for header in ("Location", "X-OCCI-Location"):
        value = resp.headers.get(header)
        if value:
            return value.split(",")[0].strip()
    entities, locations = parse.collection(resp.content_type, resp.text)
    if locations:
        return locations[0]
    if entities and entities[0].location:
        return entities[0].location
    raise NotFound("the server did not say where it made the new entity")


def create(
    site: Site,
    kind: str,
    mixins: list[str],
    attributes: dict[str, Any],
    links: list[NewLink] = (),
) -> str:
    """Makes a resource; its URL."""
    media_type = site.media_type
    body = render.entity(media_type, kind, mixins, attributes, list(links))
    resp = site.client.request("POST", site.collection_url(kind), body=body)
    return site.client.url(created_location(resp))


def wait_for(
    site: Site,
    url: str,
    kind: str,
    state: str,
    timeout: float,
    ready: Callable[[Entity], bool] | None = None,
) -> Entity:
    attribute = STATES[kind.rpartition("#")[2]]
    return wait.until_state(lambda: site.get(url, kind), attribute, state, timeout, ready=ready)


def link(
    site: Site,
    kind: str,
    source: Entity,
    target: Entity,
    target_kind: str,
    attributes: dict[str, Any] | None = None,
    mixins: list[str] = (),
) -> str:
    """Makes a standalone link from a compute to a volume, network or group; its URL."""
    source_kind = source.kind or "http://schemas.ogf.org/occi/infrastructure#compute"
    body = render.link(
        site.media_type,
        kind,
        (source.location or "", source_kind),
        (target.location or "", target_kind),
        attributes,
        list(mixins),
    )
    resp = site.client.request("POST", site.collection_url(kind), body=body)
    return site.client.url(created_location(resp))


def action_id(site: Site, entity: Entity, kind: str, action: str) -> str:
    """The type id of `action` as the site names it: among the kind's actions, the entity's,
    then the site's actions in the kind's action scheme (OCCI 1.2 storages' snapshot and
    backup live in OpenStack's scheme)."""
    term = kind.rpartition("#")[2]
    offered = [*site.kind(kind).actions, *entity.actions]
    offered += [
        c.type_id
        for c in site.categories()
        if c.cls == "action" and c.scheme.endswith(f"/{term}/action#")
    ]
    default = f"{kind.rpartition('#')[0]}/{term}/action#{action}"
    return next((a for a in offered if a.rpartition("#")[2] == action), default)


def action_parameters(site: Site, type_id: str) -> list[str]:
    """The parameters the site's action takes (empty for actions it does not describe)."""
    category = site.category(type_id)
    return list(category.attributes) if category is not None else []


def trigger(
    site: Site,
    entity: Entity,
    kind: str,
    action: str,
    attributes: dict[str, Any] | None = None,
) -> None:
    """POST <entity>?action=<action>, naming the action as the site's kind does."""
    body = render.action(site.media_type, action_id(site, entity, kind, action), attributes)
    site.client.request("POST", entity.location or "", body=body, params={"action": action})


def update(
    site: Site, entity: Entity, kind: str, mixins: list[str], attributes: dict[str, Any]
) -> Entity:
    """A partial update (POST on the entity): what it names changes, the rest stays."""
    body = render.entity(site.media_type, kind, mixins, attributes)
    site.client.request("POST", entity.location or "", body=body)
    return site.get(entity.location or "", kind)


def add_mixins(site: Site, entity: Entity, mixins: list[str]) -> None:
    """POST of the mixins alone to the entity (rOCCI-cli's update): the entity gains them."""
    site.client.request("POST", entity.location or "", body=render.mixins(site.media_type, mixins))


def save(site: Site, entity: Entity, kind: str, name: str | None) -> list[str]:
    """The `save` action: an OS template of the compute's disk; the type ids of the new
    templates the server names in its answer."""
    attributes = {"name": name} if name else {}
    body = render.action(site.media_type, action_id(site, entity, kind, "save"), attributes)
    resp = site.client.request("POST", entity.location or "", body=body, params={"action": "save"})
    site.forget()  # a new os_tpl
    return [c.type_id for c in parse.categories(resp.content_type, resp.text) if c.cls == "mixin"]


def delete(site: Site, url: str, kind: str, wait_timeout: float | None = None) -> None:
    """DELETE, and with a timeout, wait until the entity answers 404."""
    site.client.request("DELETE", url)
    if wait_timeout is not None:
        wait.until_gone(lambda: site.get(url, kind), url.rsplit("/", 1)[-1], wait_timeout)
