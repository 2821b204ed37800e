"""`occi compute list|show|create|delete|start|stop|restart|suspend`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client import operations, tags
from occi_client.commands.base import (
    DeleteEach,
    SiteMixin,
    TriggerEach,
    add_wait,
    entity_fields,
)
from occi_client.errors import UsageError
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


def _read(path: str, what: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"{what} {path}: {exc.strerror}") from exc


def _link_to(site: Site, kind: str, target_kind: str, ref: str) -> NewLink:
    target = site.find(target_kind, ref)
    return NewLink(kind, target.location or "", target_kind)


def volume_link(site: Site, ref: str) -> NewLink:
    """A storage link to volume `ref`, or to a new volume when `ref` is a size in GiB."""
    if ref.isdigit():
        size = {"occi.storage.size": int(ref)}
        return NewLink(STORAGELINK, site.collection_url(STORAGE), STORAGE, attributes=size)
    return _link_to(site, STORAGELINK, STORAGE, ref)


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
        parser.add_argument("--pool", help="the floating-IP pool of --public-ip (a name)")
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
        user_data = _read(args.user_data, "--user-data") if args.user_data else None
        key = _read(args.ssh_key, "--ssh-key").decode(errors="replace") if args.ssh_key else None
        operations.contextualize(self.site, mixins, attributes, user_data, key)
        return attributes

    def _links(self, args: argparse.Namespace) -> list[NewLink]:
        site = self.site
        links = [volume_link(site, ref) for ref in args.volume]
        links += [_link_to(site, NETWORKINTERFACE, NETWORK, ref) for ref in args.network]
        if args.pool and not args.public_ip:
            raise UsageError("--pool is for --public-ip")
        if args.public_ip:
            public = _link_to(site, NETWORKINTERFACE, NETWORK, "PUBLIC")
            public.mixins = [site.pool(args.pool).type_id] if args.pool else []
            links.append(public)
        return links

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        mixins = self._mixins(parsed_args)
        attributes = self._attributes(parsed_args, mixins)
        links = self._links(parsed_args)
        location = operations.create(site, COMPUTE, mixins, attributes, links)
        if parsed_args.wait:
            made = operations.wait_for(site, location, COMPUTE, "active", parsed_args.wait_timeout)
        else:
            made = site.get(location, COMPUTE)
        return entity_fields(made)


class ComputeDelete(DeleteEach):
    """Delete computes."""

    noun, kind = "compute", COMPUTE


class _Action(TriggerEach):
    noun, kind = "compute", COMPUTE


class ComputeStart(_Action):
    """Start computes."""

    action, what, state = "start", "they are active", "active"


class ComputeStop(_Action):
    """Stop computes."""

    action, what, state = "stop", "they are inactive", "inactive"


class ComputeRestart(_Action):
    """Restart computes."""

    action, what, state = "restart", "they are active again", "active"


class ComputeSuspend(_Action):
    """Suspend computes."""

    action, what, state = "suspend", "they are suspended", "suspended"


class ComputeResize(SiteMixin, ShowOne):
    """Give a compute another resource template (flavor)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("compute", help="id, name or URL")
        parser.add_argument("--resource-template", required=True, metavar="R", help="flavor")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        entity = site.find(COMPUTE, parsed_args.compute)
        template = site.template(RESOURCE_TPL, parsed_args.resource_template)
        return entity_fields(operations.update(site, entity, COMPUTE, [template.type_id], {}))


class ComputeSave(SiteMixin, Lister):
    """Save a compute's disk as a new OS template (image)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("compute", help="id, name or URL")
        parser.add_argument("--name", help="the new template's name")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple]]:
        entity = self.site.find(COMPUTE, parsed_args.compute)
        saved = operations.save(self.site, entity, COMPUTE, parsed_args.name)
        return ("Template",), [(type_id,) for type_id in saved]
