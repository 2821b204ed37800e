"""`occi network create|delete|up|down`: the project's own networks (the site makes the subnet
and plugs it into a router to the outside; deleting the network takes them away)."""

from __future__ import annotations

import argparse
from typing import Any

from cliff.show import ShowOne

from occi_client import operations, tags
from occi_client.commands.base import (
    DeleteEach,
    SiteMixin,
    TriggerEach,
    add_wait,
    entity_fields,
)
from occi_client.site import NETWORK

IPNETWORK = "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork"


class NetworkCreate(SiteMixin, ShowOne):
    """Create a network with one IP subnet."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the new network's name (occi.core.title)")
        parser.add_argument(
            "--address", required=True, metavar="CIDR", help="its addresses, e.g. 10.20.0.0/24"
        )
        parser.add_argument("--gateway", metavar="IP", help="gateway (default: the site's)")
        parser.add_argument(
            "--allocation",
            choices=("dynamic", "static"),
            help="dynamic: addresses by DHCP (the default); static: no DHCP",
        )
        parser.add_argument("--summary", help="a description (occi.core.summary)")
        parser.add_argument(
            "--tag", action="append", default=[], metavar="T", help="user mixin (repeatable)"
        )
        add_wait(parser, "the network is active")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        attributes: dict[str, Any] = {
            "occi.core.title": parsed_args.name,
            "occi.network.address": parsed_args.address,
        }
        optional = {
            "occi.network.gateway": parsed_args.gateway,
            "occi.network.allocation": parsed_args.allocation,
            "occi.core.summary": parsed_args.summary,
        }
        attributes.update({name: value for name, value in optional.items() if value})
        mixins = [IPNETWORK, *(tags.find_or_define(site, t).type_id for t in parsed_args.tag)]
        location = operations.create(site, NETWORK, mixins, attributes)
        if parsed_args.wait:
            timeout = parsed_args.wait_timeout
            return entity_fields(operations.wait_for(site, location, NETWORK, "active", timeout))
        return entity_fields(site.get(location, NETWORK))


class NetworkDelete(DeleteEach):
    """Delete networks (refused while computes are plugged in: exit status 5)."""

    noun, kind = "network", NETWORK


class NetworkUp(TriggerEach):
    """Bring networks up (their state goes active)."""

    noun, kind, action, state = "network", NETWORK, "up", "active"
    what = "they are active"


class NetworkDown(TriggerEach):
    """Take networks down (inactive: no traffic, ports kept)."""

    noun, kind, action, state = "network", NETWORK, "down", "inactive"
    what = "they are inactive"
