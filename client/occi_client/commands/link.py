"""`occi link create|show|delete`: storage links (volumes attached to computes), network
interfaces (computes plugged into networks, public IPs, reserved addresses) and security group
links (computes in a security group)."""

from __future__ import annotations

import argparse
from typing import Any

from cliff.show import ShowOne

from occi_client import operations
from occi_client.commands.base import ForEach, SiteMixin, add_wait, entity_fields
from occi_client.errors import NotFound, Unsupported, UsageError
from occi_client.site import (
    COMPUTE,
    IPRESERVATION,
    NETWORK,
    NETWORKINTERFACE,
    SECURITYGROUP,
    SECURITYGROUPLINK,
    STORAGE,
    STORAGELINK,
    Site,
    link_kind_of,
)

LINK_KINDS = (STORAGELINK, NETWORKINTERFACE, SECURITYGROUPLINK)


def find_link(site: Site, ref: str) -> tuple[str, str]:
    """(URL, kind) of a link named by URL or by id (looked for among the link kinds)."""
    if "/" in ref:
        url = site.client.url(ref)
        return url, link_kind_of(url)
    for kind in LINK_KINDS:
        try:
            url = site.collection_url(kind) + ref
        except Unsupported:  # a site without security groups
            continue
        try:
            site.client.request("GET", url)
        except NotFound:
            continue
        return url, kind
    raise NotFound(f"no link {ref}")


def _target(args: argparse.Namespace) -> tuple[str, str, str]:
    """(link kind, target kind, target) of `link create`'s options."""
    if args.device and not args.storage:
        raise UsageError("--device is for --storage")
    if args.pool and not args.public_ip:
        raise UsageError("--pool is for --public-ip")
    if args.storage:
        return STORAGELINK, STORAGE, args.storage
    if args.ip_reservation:
        return NETWORKINTERFACE, IPRESERVATION, args.ip_reservation
    if args.security_group:
        return SECURITYGROUPLINK, SECURITYGROUP, args.security_group
    return NETWORKINTERFACE, NETWORK, "PUBLIC" if args.public_ip else args.network


class LinkCreate(SiteMixin, ShowOne):
    """Attach a volume to a compute, plug it into a network, or give it a public IP."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("compute", help="id, name or URL")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--storage", metavar="VOLUME", help="a volume: id, name or URL")
        target.add_argument("--network", metavar="NET", help="a network: id, name or URL")
        target.add_argument("--public-ip", action="store_true", help="a public (floating) IP")
        target.add_argument(
            "--ip-reservation", metavar="R", help="a reserved public address: id, address or URL"
        )
        target.add_argument("--security-group", metavar="G", help="a security group: id or name")
        parser.add_argument("--pool", help="the floating-IP pool of --public-ip (a name)")
        parser.add_argument("--device", help="device name of the volume (e.g. /dev/vdb)")
        add_wait(parser, "the link is active")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        source = site.find(COMPUTE, parsed_args.compute)
        kind, target_kind, ref = _target(parsed_args)
        attributes: dict[str, Any] = {}
        if parsed_args.device:
            attributes["occi.storagelink.deviceid"] = parsed_args.device
        target = site.find(target_kind, ref)
        mixins = [site.pool(parsed_args.pool).type_id] if parsed_args.pool else []
        location = operations.link(site, kind, source, target, target_kind, attributes, mixins)
        if parsed_args.wait:
            timeout = parsed_args.wait_timeout
            return entity_fields(operations.wait_for(site, location, kind, "active", timeout))
        return entity_fields(site.get(location, kind))


class LinkShow(SiteMixin, ShowOne):
    """Show one link."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("link", help="id or URL")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        url, kind = find_link(self.site, parsed_args.link)
        return entity_fields(self.site.get(url, kind))


class LinkDelete(ForEach):
    """Detach volumes, unplug interfaces, take public IPs back."""

    noun, what = "link", "they are gone"

    def act(self, ref: str, args: argparse.Namespace) -> None:
        url, kind = find_link(self.site, ref)
        operations.delete(self.site, url, kind, args.wait_timeout if args.wait else None)
