"""`occi compute list|show|create|delete|start|stop|restart|suspend`."""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import Any

from cliff.command import Command
from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client import parse, render, tags, wait
from occi_client.commands.base import SiteMixin, add_wait, entity_fields
from occi_client.errors import NotFound, UsageError
from occi_client.model import Entity
from occi_client.render import NewLink
from occi_client.site import (
    COMPUTE,
    NETWORK,
    NETWORKINTERFACE,
    OS_TPL,
    RESOURCE_TPL,
    STORAGE,
    STORAGELINK,
    Site,
)

STATE = "occi.compute.state"
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
# Action → the state it leads to (for --wait).
ACTIONS = {"start": "active", "stop": "inactive", "restart": "active", "suspend": "suspended"}


def _read(path: str, what: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"{what} {path}: {exc.strerror}") from exc


def _mixin_for(site: Site, choices: tuple[tuple[str, str], ...], what: str) -> tuple[str, str]:
    for type_id, attribute in choices:
        category = site.category(type_id)
        if category is not None:
            return type_id, (category.attributes or [attribute])[0]
    raise NotFound(f"this site takes no {what}")


def _link_to(site: Site, kind: str, target_kind: str, ref: str) -> NewLink:
    target = site.find(target_kind, ref)
    return NewLink(kind, target.location or "", target_kind)


def _volume_link(site: Site, ref: str) -> NewLink:
    if ref.isdigit():  # a new volume of that many GiB, made with the compute
        return NewLink(
            STORAGELINK,
            site.collection_url(STORAGE),
            STORAGE,
            attributes={"occi.storage.size": int(ref)},
        )
    return _link_to(site, STORAGELINK, STORAGE, ref)


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


class ComputeList(SiteMixin, Lister):
    """List the computes (virtual machines)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("--state", help="only computes in this state (active, inactive ...)")
        parser.add_argument("--name", help="only computes of this name")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple]]:
        wanted = {STATE: parsed_args.state, "occi.core.title": parsed_args.name}
        wanted = {k: v for k, v in wanted.items() if v}
        # One filter for the server (OCCI 1.2 filtering), all of them checked here again.
        params = {"attribute": "{}={}".format(*next(iter(wanted.items())))} if wanted else None
        rows = []
        for entity in self.site.entities(COMPUTE, params):
            attrs = entity.attributes
            if any(str(attrs.get(k)) != v for k, v in wanted.items()):
                continue
            rows.append(
                (
                    entity.id,
                    entity.title,
                    attrs.get(STATE),
                    attrs.get("occi.compute.cores"),
                    attrs.get("occi.compute.memory"),
                    entity.location,
                )
            )
        return ("ID", "Name", "State", "Cores", "Memory", "Location"), rows


class ComputeShow(SiteMixin, ShowOne):
    """Show one compute: every attribute, its mixins, links and the actions it offers."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("compute", help="id, name or URL")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        return entity_fields(self.site.find(COMPUTE, parsed_args.compute))


class ComputeCreate(SiteMixin, ShowOne):
    """Create a compute from an OS template and a resource template (or cores and memory)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the new compute's name (occi.core.title)")
        parser.add_argument("--os-template", metavar="T", help="image: id, name or URL")
        parser.add_argument("--resource-template", metavar="R", help="flavor: id, name or URL")
        parser.add_argument("--cores", type=int, metavar="N", help="CPU cores")
        parser.add_argument("--memory", type=float, metavar="GIB", help="memory in GiB")
        parser.add_argument("--summary", help="a description (occi.core.summary)")
        parser.add_argument("--user-data", metavar="FILE", help="cloud-init user data ('-': stdin)")
        parser.add_argument("--ssh-key", metavar="FILE", help="a public SSH key file")
        parser.add_argument(
            "--volume",
            action="append",
            default=[],
            metavar="SIZE|ID",
            help="attach a new volume of SIZE GiB, or an existing one (repeatable)",
        )
        parser.add_argument(
            "--network", action="append", default=[], metavar="NET", help="network (repeatable)"
        )
        parser.add_argument("--public-ip", action="store_true", help="a public (floating) IP")
        parser.add_argument(
            "--tag", action="append", default=[], metavar="T", help="user mixin (repeatable)"
        )
        add_wait(parser, "the compute is active")
        return parser

    def _mixins(self, args: argparse.Namespace) -> list[str]:
        site = self.site
        mixins = []
        if args.os_template:
            mixins.append(site.template(OS_TPL, args.os_template).type_id)
        if args.resource_template:
            mixins.append(site.template(RESOURCE_TPL, args.resource_template).type_id)
        mixins += [tags.find_or_define(site, tag).type_id for tag in args.tag]
        return mixins

    def _attributes(self, args: argparse.Namespace, mixins: list[str]) -> dict[str, Any]:
        attributes: dict[str, Any] = {"occi.core.title": args.name}
        if args.summary:
            attributes["occi.core.summary"] = args.summary
        if args.cores is not None:
            attributes["occi.compute.cores"] = args.cores
        if args.memory is not None:
            attributes["occi.compute.memory"] = args.memory
        if args.user_data:
            data = _read(args.user_data, "--user-data")
            mixin, name = _mixin_for(self.site, USER_DATA, "user data")
            mixins.append(mixin)
            attributes[name] = base64.b64encode(data).decode()
        if args.ssh_key:
            key = _read(args.ssh_key, "--ssh-key").decode(errors="replace").strip()
            mixin, name = _mixin_for(self.site, SSH_KEY, "SSH keys")
            mixins.append(mixin)
            attributes[name] = key
        return attributes

    def _links(self, args: argparse.Namespace) -> list[NewLink]:
        site = self.site
        links = [_volume_link(site, ref) for ref in args.volume]
        links += [_link_to(site, NETWORKINTERFACE, NETWORK, ref) for ref in args.network]
        if args.public_ip:
            links.append(_link_to(site, NETWORKINTERFACE, NETWORK, "PUBLIC"))
        return links

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        mixins = self._mixins(parsed_args)
        attributes = self._attributes(parsed_args, mixins)
        links = self._links(parsed_args)
        body = render.entity(
            site.client.media_type or parse.TEXT, COMPUTE, mixins, attributes, links
        )
        resp = site.client.request("POST", site.collection_url(COMPUTE), body=body)
        location = site.client.url(created_location(resp))
        if parsed_args.wait:
            made = wait.until_state(
                lambda: site.get(location, COMPUTE), STATE, "active", parsed_args.wait_timeout
            )
        else:
            made = site.get(location, COMPUTE)
        return entity_fields(made)


class _Many(SiteMixin, Command):
    """Base of the commands that act on computes named on the command line."""

    what = "the action is done"

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("computes", nargs="+", metavar="compute", help="id, name or URL")
        add_wait(parser, self.what)
        return parser

    def act(self, entity: Entity, args: argparse.Namespace) -> None:
        raise NotImplementedError

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        for ref in parsed_args.computes:
            self.act(self.site.find(COMPUTE, ref), parsed_args)


class ComputeDelete(_Many):
    """Delete computes."""

    what = "they are gone"

    def act(self, entity: Entity, args: argparse.Namespace) -> None:
        site, url = self.site, entity.location or ""
        site.client.request("DELETE", url)
        if args.wait:
            wait.until_gone(lambda: site.get(url, COMPUTE), entity.title or url, args.wait_timeout)


class _Action(_Many):
    action = ""

    def act(self, entity: Entity, args: argparse.Namespace) -> None:
        site, url = self.site, entity.location or ""
        offered = site.kind(COMPUTE).actions or entity.actions
        action_id = next(
            (a for a in offered if a.rpartition("#")[2] == self.action),
            f"{site.kind(COMPUTE).scheme.rstrip('#')}/action#{self.action}",
        )
        body = render.action(site.client.media_type or parse.TEXT, action_id)
        site.client.request("POST", url, body=body, params={"action": self.action})
        if args.wait:
            get = lambda: site.get(url, COMPUTE)  # noqa: E731
            wait.until_state(get, STATE, ACTIONS[self.action], args.wait_timeout)


class ComputeStart(_Action):
    """Start computes."""

    action, what = "start", "they are active"


class ComputeStop(_Action):
    """Stop computes."""

    action, what = "stop", "they are inactive"


class ComputeRestart(_Action):
    """Restart computes."""

    action, what = "restart", "they are active again"


class ComputeSuspend(_Action):
    """Suspend computes."""

    action, what = "suspend", "they are suspended"
