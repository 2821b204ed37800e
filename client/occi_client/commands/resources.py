"""`occi storage list|show|create|delete`, `occi network list|show`: resources other than
computes, through the same site and operations."""

from __future__ import annotations

import argparse
from typing import Any

from cliff.show import ShowOne

from occi_client import operations
from occi_client.commands.base import (
    DeleteEach,
    ResourceList,
    ResourceShow,
    SiteMixin,
    add_wait,
    entity_fields,
)
from occi_client.site import NETWORK, STORAGE


class StorageList(ResourceList):
    """List the volumes."""

    kind = STORAGE
    columns = (("State", "occi.storage.state"), ("Size", "occi.storage.size"))


class StorageShow(ResourceShow):
    """Show one volume."""

    kind = STORAGE


class StorageCreate(SiteMixin, ShowOne):
    """Create a volume."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the new volume's name (occi.core.title)")
        parser.add_argument("--size", type=int, required=True, metavar="GIB", help="size in GiB")
        parser.add_argument("--summary", help="a description (occi.core.summary)")
        add_wait(parser, "the volume is online")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        attributes: dict[str, Any] = {
            "occi.core.title": parsed_args.name,
            "occi.storage.size": parsed_args.size,
        }
        if parsed_args.summary:
            attributes["occi.core.summary"] = parsed_args.summary
        location = operations.create(self.site, STORAGE, [], attributes)
        if parsed_args.wait:
            timeout = parsed_args.wait_timeout
            return entity_fields(
                operations.wait_for(self.site, location, STORAGE, "online", timeout)
            )
        return entity_fields(self.site.get(location, STORAGE))


class StorageDelete(DeleteEach):
    """Delete volumes."""

    noun, kind = "volume", STORAGE


class NetworkList(ResourceList):
    """List the networks."""

    kind = NETWORK
    columns = (("State", "occi.network.state"), ("Address", "occi.network.address"))


class NetworkShow(ResourceShow):
    """Show one network."""

    kind = NETWORK
