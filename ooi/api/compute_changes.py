"""`/compute/`: creating computes, their actions, and updates (rename, resize).

Backend calls:
- create: ``POST /servers`` (nova 2.19), preceded by ``POST /os-keypairs`` when the client sent
  a public key, and followed by its ``DELETE`` when that keypair was made only for this boot.
  Templates come from the cached discovery mixins.
- actions: ``GET /servers/{id}`` (is it there already? ``start``'s nova action, os-start,
  resume, unpause or unshelve, depends on the status), then one nova action call; ``save``
  reads the server only when no ``name`` was given.
- collection actions: ``GET /servers/detail``, then one action per server in parallel.
- update / replace: describe (compute.py), rename and/or resize + confirm, describe again.

Decisions:
- User data (``occi.compute.userdata`` or ``org.openstack.compute.user_data``) goes to nova as
  base64. Clients send base64 already (rOCCI, IM; the 1.2 spec says so); valid base64 is passed
  through (whitespace removed), anything else (e.g. a ``#cloud-config`` text) is encoded. The
  same data under both names is fine; different data is a 400. More than nova takes (65535
  base64 characters) is a 400, never dropped.
- A public key (``occi.credentials.ssh.publickey`` or ``org.openstack.credentials.publickey.data``)
  without a keypair name is imported as a keypair made for this boot and deleted right after
  the boot request (nova copies the key into the server at once), whatever happened. With a name
  it becomes that keypair (nova answers 409 when the name is taken) and stays, unless the boot
  fails. A name alone picks an existing keypair.
- Name: ``occi.core.title``, else ``occi.compute.hostname``, else ``OCCI_VM``.
  ``occi.core.summary`` is the server's description. A hostname other than the name is asked
  of nova as such (compute API 2.90; an older nova: 400 saying so); an update of
  ``occi.compute.hostname`` changes the hostname, of ``occi.core.title`` the name.
- No resource template but ``occi.compute.cores`` / ``occi.compute.memory`` (IM does this): the
  smallest flavor that has at least as much of both.
- No os_tpl / no resource_tpl (nor cores and memory): the site's ``ooi_default_os_tpl`` /
  ``ooi_default_resource_tpl`` (an id or a name) when set, so that a kind-only create works;
  else a 400 saying where the templates are listed.
- ``occi.compute.architecture``, ``share`` and ``speed`` are hints nova cannot honour (the image
  and the flavor decide); they are accepted on create and not used.
- Inline links: network_links.py and storage_links.py plan them (``BootLinks``); the create
  runs their steps, the boot and what follows it as one ``Steps``: a failure undoes all.
- Actions answer 200 with an empty rendering, except ``save``: the new os_tpl mixin.
  stop: nova has only ``os-stop`` (graceful, then power off after nova's timeout) for every
  method. restart: graceful/warm → SOFT reboot, cold → HARD. suspend: ``method=suspend``
  (to RAM) → nova ``pause``, otherwise (hibernate, or none) nova ``suspend`` (to disk).
  save: ``method`` is nova's choice (live snapshot where the hypervisor can).
- An action toward where a server already is or is going (start on an active or building
  server, stop on a stopped or stopping one, suspend on a suspended or paused one, restart on a
  rebooting one) answers 200 and changes nothing; nova is asked only otherwise, and its refusal
  is a 409 with its reason. On the collection the same servers are skipped (and restart skips
  stopped servers); any other refusal fails the request (the other servers' actions still run).
- User mixins (tags): given at create they go with the boot (nova tags, 2.52); an update
  adds the ones it names (nova tags them, 2.26), a replace keeps exactly those it names.
- Update (POST) and replace (PUT): title renames, hostname changes the hostname, summary sets
  the description, a new resource template resizes and confirms; a different os_tpl or zone,
  contextualization mixins and other attribute values than the current ones are 400. A
  replace keeps the compute's links (occi-spec/1.2/http_protocol.tex §Replace): inline links in
  a PUT are not acted on; a partial update with links is a 400 (links have their own
  collections). Both answer 200 with the compute.
"""

from __future__ import annotations

import base64
import binascii
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import webob

from ooi.api import (
    answers,
    boot_reconcile,
    compute,
    discovery,
    ids,
    network_links,
    security_groups,
    storage_links,
    user_mixins,
)
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.steps import Steps
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.documents import ActionDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Kind, Mixin, Registry, Resource
from ooi.occi.validation import (
    Purpose,
    ResolvedEntity,
    resolve_action,
    resolve_entity,
)
from ooi.openstack import nova, servers
from ooi.openstack.compute_state import is_gone
from ooi.openstack.errors import BackendError

LOG = logging.getLogger(__name__)

DEFAULT_NAME = "OCCI_VM"
# nova's limit on user_data (base64 text), from its request schema.
MAX_USER_DATA = 65535

OCCI_USER_DATA = "occi.compute.userdata"
OS_USER_DATA = "org.openstack.compute.user_data"
OCCI_PUBLIC_KEY = "occi.credentials.ssh.publickey"
OS_KEY_DATA = "org.openstack.credentials.publickey.data"
OS_KEY_NAME = "org.openstack.credentials.publickey.name"
_HOSTNAME = infra.HOSTNAME.name
_CORES = infra.CORES.name
_MEMORY = infra.MEMORY.name
_CONTEXTUALIZATION = (
    infra.USER_DATA,
    infra.SSH_KEY,
    openstack.OPENSTACK_USER_DATA,
    openstack.OPENSTACK_PUBLIC_KEY,
)
_CONTEXT_ATTRIBUTES = frozenset(
    {OCCI_USER_DATA, OS_USER_DATA, OCCI_PUBLIC_KEY, OS_KEY_DATA, OS_KEY_NAME}
)
# Accepted on create and not used: nova has nothing to set them with.
_HINTS = frozenset({infra.ARCHITECTURE.name, infra.SHARE.name, infra.SPEED.name})
_TEMPLATES = "the cloud's templates are listed at GET /-/"
# The kinds of link a compute create may carry inline.
_INLINE_LINKS = (infra.NETWORKINTERFACE, infra.STORAGELINK, openstack.SECURITYGROUPLINK)


def _compute_kind(registry: Registry) -> Kind:
    kind = registry.kind(infra.COMPUTE.type_id)
    assert kind is not None  # every version's catalog has compute
    return kind


def _action_term(ctx: Context) -> str | None:
    return ctx.request.GET.get("action")


# --- Create ---------------------------------------------------------------------------------


@dataclass
class BootPlan:
    """What a create asks nova for: the server body and the keypair it may need first."""

    server: dict[str, Any]
    key_name: str | None = None
    # Public key to import as ``key_name`` before the boot (None: use the keypair as it is).
    key_data: str | None = None
    # The keypair exists only for this boot and is deleted right after it.
    temporary_key: bool = False


def nova_user_data(value: str, name: str) -> str:
    """``value`` as nova's base64 ``user_data``: valid base64 as is, anything else encoded."""
    compact = "".join(value.split())
    try:
        base64.b64decode(compact, validate=True)
        encoded = compact
    except (binascii.Error, ValueError):
        encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
    if len(encoded) > MAX_USER_DATA:
        raise InvalidInput(
            f"Attribute {name} is too large: nova takes at most {MAX_USER_DATA} characters of "
            f"base64 user data, this is {len(encoded)}"
        )
    return encoded


def _user_data(attributes: dict[str, Any]) -> str | None:
    given = {
        n: nova_user_data(attributes[n], n)
        for n in (OCCI_USER_DATA, OS_USER_DATA)
        if attributes.get(n)
    }
    values = set(given.values())
    if len(values) > 1:
        raise InvalidInput(
            f"{OCCI_USER_DATA} and {OS_USER_DATA} hold different user data: send one of them"
        )
    return values.pop() if values else None


def _keys(resolved: ResolvedEntity) -> tuple[str | None, str | None, bool]:
    """(keypair name, key data to import, temporary?) from the credentials mixins."""
    attributes = resolved.attributes
    occi_key = (attributes.get(OCCI_PUBLIC_KEY) or "").strip() or None
    os_key = (attributes.get(OS_KEY_DATA) or "").strip() or None
    name = (attributes.get(OS_KEY_NAME) or "").strip() or None
    if occi_key and os_key and occi_key != os_key:
        raise InvalidInput(
            f"{OCCI_PUBLIC_KEY} and {OS_KEY_DATA} hold different keys: send one of them"
        )
    data = os_key or occi_key
    if openstack.OPENSTACK_PUBLIC_KEY in resolved.mixins and not (data or name):
        raise InvalidInput(
            f"Mixin {openstack.OPENSTACK_PUBLIC_KEY.type_id} needs {OS_KEY_DATA} (a public key) "
            f"or {OS_KEY_NAME} (an existing keypair)"
        )
    if data and not name:
        # Unique, so that concurrent creates never clash (rOCCI sends no name on purpose).
        return f"ooi-{uuid.uuid4().hex}", data, True
    return name, data, False


def _templates(registry: Registry, base: Mixin) -> list[Mixin]:
    return [m for m in registry.mixins if m != base and m.is_a(base)]


def _default_template(registry: Registry, base: Mixin, wanted: str, option: str) -> Mixin:
    """The template a site option names, by id or by name (title; a flavor's own name)."""
    for mixin in _templates(registry, base):
        names = {openstack.raw_id(mixin.term), mixin.title}
        names |= {str(a.default) for a in mixin.attributes if a.name == "org.openstack.flavor.name"}
        if wanted in names:
            return mixin
    raise InvalidInput(
        f"Missing {base.term} mixin, and this site's default ({option} = {wanted}) is not "
        f"offered to this project: add one mixin that depends on {base.type_id} ({_TEMPLATES})"
    )


def _flavor_for(
    resolved: ResolvedEntity, registry: Registry, default_flavor: str | None = None
) -> str:
    template = resolved.template(infra.RESOURCE_TPL)
    if template is not None:
        return openstack.raw_id(template.term)
    cores = resolved.attributes.get(_CORES)
    memory = resolved.attributes.get(_MEMORY)
    flavors = _templates(registry, infra.RESOURCE_TPL)
    names = ", ".join(sorted(f"{m.term} ({m.title})" for m in flavors)) or "none"
    if cores is None and memory is None:
        if default_flavor:
            chosen = _default_template(
                registry, infra.RESOURCE_TPL, default_flavor, "ooi_default_resource_tpl"
            )
            return openstack.raw_id(chosen.term)
        raise InvalidInput(
            f"Missing resource template: add one mixin that depends on "
            f"{infra.RESOURCE_TPL.type_id} ({_TEMPLATES}; this cloud has: {names})"
        )

    def size(mixin: Mixin) -> tuple[float, int, int]:
        values = mixin.all_attributes()
        return (
            float(values[_MEMORY].default or 0) if _MEMORY in values else 0.0,
            int(values[_CORES].default or 0) if _CORES in values else 0,
            int(values["org.openstack.flavor.disk"].default or 0)
            if "org.openstack.flavor.disk" in values
            else 0,
        )

    fitting = [
        m
        for m in flavors
        if (cores is None or size(m)[1] >= cores) and (memory is None or size(m)[0] >= memory)
    ]
    if not fitting:
        raise InvalidInput(
            f"No resource template has {cores or 'any'} cores and {memory or 'any'} GiB of "
            f"memory; choose one of: {names}"
        )
    return openstack.raw_id(min(fitting, key=size).term)


def plan_boot(
    resolved: ResolvedEntity,
    registry: Registry,
    endpoint: str,
    default_image: str | None = None,
    default_flavor: str | None = None,
) -> BootPlan:
    """The boot a checked compute rendering asks for; InvalidInput for what cannot be booted.

    ``default_image`` / ``default_flavor`` (id or name) stand in for missing templates."""
    image = resolved.template(infra.OS_TPL)
    if image is None and default_image:
        image = _default_template(registry, infra.OS_TPL, default_image, "ooi_default_os_tpl")
    if image is None:
        raise InvalidInput(
            f"Missing OS template: add one mixin that depends on {infra.OS_TPL.type_id} "
            f"(an image; {_TEMPLATES})"
        )
    flavor = _flavor_for(resolved, registry, default_flavor)
    zones = [
        m
        for m in resolved.mixins
        if m != openstack.AVAILABILITY_ZONE and m.is_a(openstack.AVAILABILITY_ZONE)
    ]
    if len(zones) > 1:
        raise InvalidInput(
            f"Only one availability zone may be given, got {' and '.join(z.type_id for z in zones)}"
        )
    hostname = resolved.attributes.get(_HOSTNAME)
    name = resolved.title or hostname or DEFAULT_NAME
    server: dict[str, Any] = {
        "name": name,
        "imageRef": openstack.raw_id(image.term),
        "flavorRef": flavor,
    }
    if hostname and hostname != name:
        # nova would derive the hostname from the name: ask for this one (compute API 2.90).
        server["hostname"] = hostname
    if resolved.summary:
        server["description"] = resolved.summary
    if zones:
        server["availability_zone"] = openstack.raw_id(zones[0].term)
    user_data = _user_data(resolved.attributes)
    if user_data:
        server["user_data"] = user_data
    key_name, key_data, temporary = _keys(resolved)
    if key_name:
        server["key_name"] = key_name
    for link in resolved.links:
        if not any(link.kind.is_a(k) for k in _INLINE_LINKS):
            raise InvalidInput(
                f"Link to {link.target} is a {link.kind.type_id}: a new compute can only link "
                "to networks, storage and security groups"
            )
    return BootPlan(server, key_name, key_data, temporary)


def _forget_keypair(ctx: Context, name: str) -> None:
    """Delete a keypair ooi made, without hiding the error that is being answered."""
    try:
        servers.delete_keypair(ctx.openstack, name)
    except BackendError:
        LOG.warning("could not delete keypair %s made for a boot", name, exc_info=True)


def boot(ctx: Context, plan: BootPlan) -> str:
    """Run a boot plan; the new server's id. Nothing made here stays behind on failure."""
    made_key = False
    try:
        if plan.key_name and plan.key_data:
            servers.create_keypair(ctx.openstack, plan.key_name, plan.key_data)
            made_key = True
        # A boot that times out is looked up by a client token, not answered 504 blindly.
        server_id = boot_reconcile.create(ctx.openstack, plan.server)
    except BaseException:
        if made_key:
            assert plan.key_name is not None
            _forget_keypair(ctx, plan.key_name)
        raise
    if made_key and plan.temporary_key:
        assert plan.key_name is not None
        _forget_keypair(ctx, plan.key_name)
    return server_id


def _delete_server(ctx: Context, server_id: str) -> None:
    try:
        nova.delete_server(ctx.openstack, server_id)
    except BackendError as exc:
        if exc.status != 404:
            raise


def _user_tags(ctx: Context, mixins: list[Mixin]) -> list[str]:
    """The nova tags of the user mixins among ``mixins``."""
    return [tag for m in mixins if (tag := user_mixins.tag_of(ctx, m))]


def _create(ctx: Context) -> webob.Response:
    doc = ctx.parse("parse_entity")
    registry = discovery.registry(ctx, doc.mixins)
    resolved = resolve_entity(doc, registry, kind=_compute_kind(registry), purpose="create")
    settings = ctx.settings
    plan = plan_boot(
        resolved, registry, ctx.endpoint_url, settings.default_image, settings.default_flavor
    )
    tags = _user_tags(ctx, resolved.mixins)
    if tags:
        plan.server["tags"] = tags
    inline = [
        storage_links.inline_plan(
            ctx, [link for link in resolved.links if link.kind.is_a(infra.STORAGELINK)]
        ),
        network_links.inline_plan(
            ctx, [link for link in resolved.links if link.kind.is_a(infra.NETWORKINTERFACE)]
        ),
        security_groups.inline_plan(
            ctx,
            [link for link in resolved.links if link.kind.is_a(openstack.SECURITYGROUPLINK)],
            resolved.mixins,
        ),
    ]
    with Steps() as steps:
        for links in inline:
            links.prepare(steps, plan.server)
        server_id = steps.run(
            "booting the server", lambda: boot(ctx, plan), undo=lambda sid: _delete_server(ctx, sid)
        )
        for links in inline:
            links.finish(steps, server_id)
    return answers.created(ctx, f"{_compute_kind(registry).location}{server_id}")


def create_or_act(ctx: Context) -> webob.Response:
    """POST on the collection: create a compute, or ``?action=`` on every compute."""
    term = _action_term(ctx)
    if term is not None:
        return _act_on_all(ctx, term)
    return _create(ctx)


# --- Actions --------------------------------------------------------------------------------


def _action_doc(ctx: Context) -> ActionDoc:
    """The action invocation; an empty request (no body, no Category header) names none, and
    the action is then the one of ``?action=`` (the spec wants the Category; IM sends only it,
    others send nothing)."""
    req = ctx.request
    has_category = any(name.lower() == "category" for name in req.headers)
    if not req.body.strip() and not has_category:
        return ActionDoc(action="")
    return ctx.parse("parse_action")


def _resolve_action(ctx: Context, term: str) -> tuple[Action, dict[str, Any]]:
    registry = catalog.static_categories(ctx.version)
    allowed = _compute_kind(registry).actions
    if term not in {a.term for a in allowed}:
        names = ", ".join(a.term for a in allowed)
        raise InvalidInput(f"Unknown action {term!r} for compute; its actions are: {names}")
    return resolve_action(_action_doc(ctx), registry, allowed=allowed, expected_term=term)


# nova's action for start, by the server's status.
_START_BY_STATUS = {
    "SUSPENDED": "resume",
    "PAUSED": "unpause",
    "SHELVED": "unshelve",
    "SHELVED_OFFLOADED": "unshelve",
}
# Where each action leads: a server with one of these statuses, or with one of these tasks
# running, is already there or going there, and the action changes nothing (200). A building
# server counts as starting. The collection's restart skips stopped servers (it would start them).
_ALREADY_THERE = {
    "start": {"ACTIVE", "BUILD"},
    "stop": {"SHUTOFF"},
    "suspend": {"SUSPENDED", "PAUSED"},
}
_SKIPPED_BY_COLLECTION = {"restart": {"SHUTOFF"}}
_GOING_THERE = {
    "start": {"powering-on", "resuming", "unpausing", "unshelving", "spawning", "scheduling"},
    "stop": {"powering-off"},
    "suspend": {"suspending", "pausing"},
    "restart": {
        "rebooting",
        "reboot_pending",
        "reboot_started",
        "rebooting_hard",
        "reboot_pending_hard",
        "reboot_started_hard",
    },
}


def already_there(term: str, server: dict[str, Any]) -> bool:
    """Whether ``server`` (nova's rendering) is where action ``term`` leads, or going there."""
    return server.get("status") in _ALREADY_THERE.get(term, ()) or server.get(
        "OS-EXT-STS:task_state"
    ) in _GOING_THERE.get(term, ())


def _nova_action(action: Action, params: dict[str, Any], status: str | None) -> tuple[str, Any]:
    """nova's action name and argument for an OCCI compute action."""
    term = action.term
    method = params.get("method")
    if term == "start":
        return _START_BY_STATUS.get(status or "", "os-start"), None
    if term == "stop":
        return "os-stop", None
    if term == "restart":
        return "reboot", {"type": "HARD" if method == "cold" else "SOFT"}
    if term == "suspend":
        return ("pause" if method == "suspend" else "suspend"), None
    raise AssertionError(f"no nova action for {term}")  # save is handled apart


def _save(ctx: Context, server: dict[str, Any] | None, server_id: str, name: str | None) -> Mixin:
    if not name:
        server = server or nova.server(ctx.openstack, server_id)
        name = str(server.get("name") or server_id)
    image_id = servers.create_image(ctx.openstack, server_id, name)
    discovery.forget(ctx)  # the next /-/ must show the new template
    return openstack.os_template(image_id, name)


def _run(
    ctx: Context,
    server_id: str,
    action: Action,
    params: dict[str, Any],
    server: dict[str, Any] | None,
) -> Mixin | None:
    """Trigger ``action`` on one server (``server``: its nova rendering when already read)."""
    if action.term == "save":
        return _save(ctx, server, server_id, params.get("name"))
    status = None
    if action.term == "start":
        status = (server or nova.server(ctx.openstack, server_id)).get("status")
    name, argument = _nova_action(action, params, status)
    servers.action(ctx.openstack, server_id, name, argument)
    return None


def _actions_answer(ctx: Context, templates: list[Mixin]) -> webob.Response:
    if templates:
        return ctx.respond(ctx.renderer.query([], templates, []))
    return ctx.respond(ctx.renderer.empty())


def _act_on_one(ctx: Context, server_id: str, term: str) -> webob.Response:
    action, params = _resolve_action(ctx, term)
    if not ids.is_uuid(server_id):
        raise RequestRefused(404, f"Not found: no compute {server_id}")
    server = None
    if action.term != "save":
        # Read first: an action toward where the server already is (or is going) is a 200
        # that changes nothing; ``start`` needs the status anyway to pick nova's action.
        server = answers.or_404(
            f"compute {server_id}", lambda: nova.server(ctx.openstack, server_id)
        )
        if is_gone(server):
            raise RequestRefused(404, f"Not found: no compute {server_id}")
        if already_there(action.term, server):
            return _actions_answer(ctx, [])
    made = answers.or_404(
        f"compute {server_id}", lambda: _run(ctx, server_id, action, params, server)
    )
    return _actions_answer(ctx, [made] if made else [])


def _act_on_all(ctx: Context, term: str) -> webob.Response:
    action, params = _resolve_action(ctx, term)
    skip = _SKIPPED_BY_COLLECTION.get(action.term, set()) | {"DELETED"}
    targets = [
        s
        for s in nova.servers_detail(ctx.openstack)
        if s.get("status") not in skip and not already_there(action.term, s)
    ]
    if not targets:
        return _actions_answer(ctx, [])
    found = ctx.openstack.parallel(
        **{
            f"s{i}": (lambda s=s: _run(ctx, str(s["id"]), action, params, s))
            for i, s in enumerate(targets)
        }
    )
    return _actions_answer(ctx, [m for m in found.values() if m is not None])


# --- Update and replace ---------------------------------------------------------------------


@dataclass
class ChangePlan:
    name: str | None = None
    description: str | None = None
    hostname: str | None = None
    flavor: str | None = None

    @property
    def renames(self) -> bool:
        return self.name is not None or self.description is not None or self.hostname is not None


def _template_id(mixins: list[Mixin], base: Mixin) -> str | None:
    for mixin in mixins:
        if mixin != base and mixin.is_a(base):
            return openstack.raw_id(mixin.term)
    return None


def plan_change(resolved: ResolvedEntity, current: Resource, purpose: Purpose) -> ChangePlan:
    """What an update or replace changes on the compute ``current``; InvalidInput for what
    cannot change."""
    plan = ChangePlan()
    for mixin in resolved.mixins:
        if any(mixin.is_a(c) for c in _CONTEXTUALIZATION):
            raise InvalidInput(
                f"Mixin {mixin.type_id} can only be given when the compute is created"
            )
    if resolved.links and purpose == "update":
        raise InvalidInput(
            "A partial update cannot carry links: create them with POST /networklink/ or "
            "/storagelink/"
        )
    image = _template_id(resolved.mixins, infra.OS_TPL)
    if image is not None and image != _template_id(current.mixins, infra.OS_TPL):
        raise InvalidInput(
            "The OS template of a compute cannot be changed (rebuild is not supported): "
            "create a new compute instead"
        )
    zone = _template_id(resolved.mixins, openstack.AVAILABILITY_ZONE)
    if zone is not None and zone != _template_id(current.mixins, openstack.AVAILABILITY_ZONE):
        raise InvalidInput("The availability zone of a compute cannot be changed")
    flavor = _template_id(resolved.mixins, infra.RESOURCE_TPL)
    if flavor is not None and flavor != _template_id(current.mixins, infra.RESOURCE_TPL):
        plan.flavor = flavor
    for name, value in resolved.attributes.items():
        if name == _HOSTNAME or current.attributes.get(name) == value:
            continue
        hint = " (choose another resource template to resize)" if name in (_CORES, _MEMORY) else ""
        raise InvalidInput(f"Attribute {name} of an existing compute cannot be changed{hint}")
    if resolved.title and resolved.title != current.title:
        plan.name = resolved.title
    hostname = resolved.attributes.get(_HOSTNAME)
    if hostname and hostname != current.attributes.get(_HOSTNAME):
        plan.hostname = hostname
    if resolved.summary is not None and resolved.summary != current.summary:
        plan.description = resolved.summary
    return plan


def _apply(ctx: Context, server_id: str, plan: ChangePlan, current: Resource) -> None:
    os = ctx.openstack
    renamed = plan.renames
    if renamed:
        servers.rename(os, server_id, plan.name, plan.description, plan.hostname)
    if plan.flavor is None:
        return
    try:
        servers.resize_and_confirm(os, server_id, plan.flavor)
    except BaseException:
        if renamed:  # undo the rename: the request failed as a whole
            try:
                servers.rename(
                    os,
                    server_id,
                    current.title if plan.name is not None else None,
                    (current.summary or "") if plan.description is not None else None,
                    current.attributes.get(_HOSTNAME) if plan.hostname is not None else None,
                )
            except BackendError:
                LOG.warning("could not undo the rename of server %s", server_id, exc_info=True)
        raise


def _change(ctx: Context, purpose: Purpose) -> webob.Response:
    server_id = ctx.params["id"]
    registry = discovery.registry(ctx)
    doc = ctx.parse("parse_entity")
    if purpose == "replace":
        # A replace keeps the compute's links: the ones a client echoes from GET (with the
        # provider's immutable values, which a link check for creation would refuse) are not
        # acted on.
        doc.links = []
    resolved = resolve_entity(doc, registry, kind=_compute_kind(registry), purpose=purpose)
    current = compute.describe(ctx, server_id)
    plan = plan_change(resolved, current, purpose)
    _apply(ctx, server_id, plan, current)
    # User mixins: an update adds the ones it names, a replace keeps exactly those.
    tagged = user_mixins.change_carried(
        ctx, infra.COMPUTE, server_id, current.mixins, resolved.mixins, purpose == "replace"
    )
    changed = plan.renames or plan.flavor is not None or tagged
    described = compute.describe(ctx, server_id) if changed else current
    return ctx.respond(ctx.renderer.resource(described))


def update_or_act(ctx: Context) -> webob.Response:
    """POST on one compute: a partial update, or ``?action=``."""
    term = _action_term(ctx)
    if term is not None:
        return _act_on_one(ctx, ctx.params["id"], term)
    return _change(ctx, "update")


def replace(ctx: Context) -> webob.Response:
    """PUT on one compute: full replace of its mutable attributes (a new resource_tpl resizes)."""
    return _change(ctx, "replace")
