"""`occi storage resize|snapshot|backup`: the storage actions, as the site offers them (OCCI
1.1: the resize, snapshot and backup actions; OCCI 1.2: resize by updating the size, snapshot
and backup as the site's own actions)."""

from __future__ import annotations

import argparse

from cliff.show import ShowOne

from occi_client import operations
from occi_client.commands.base import ForEach, SiteMixin, add_wait, entity_fields
from occi_client.errors import UsageError
from occi_client.model import Entity
from occi_client.site import STORAGE

SIZE = "occi.storage.size"


class StorageResize(SiteMixin, ShowOne):
    """Give a volume a larger size (sites cannot shrink volumes)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("volume", help="id, name or URL")
        parser.add_argument("--size", type=int, required=True, metavar="GIB", help="new size")
        add_wait(parser, "the volume is online at its new size")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site, size = self.site, parsed_args.size
        volume = site.find(STORAGE, parsed_args.volume)
        location = volume.location or ""
        if any(a.rpartition("#")[2] == "resize" for a in site.kind(STORAGE).actions):
            operations.trigger(site, volume, STORAGE, "resize", {"size": size})
        else:  # OCCI 1.2: resize is an update of the size
            operations.update(site, volume, STORAGE, [], {SIZE: size})
        if parsed_args.wait:
            timeout = parsed_args.wait_timeout
            resized = operations.wait_for(
                site, location, STORAGE, "online", timeout, ready=lambda e: _size(e) >= size
            )
            return entity_fields(resized)
        return entity_fields(site.get(location, STORAGE))


def _size(entity: Entity) -> float:
    try:
        return float(entity.attributes.get(SIZE) or 0)
    except (TypeError, ValueError):
        return 0.0


class _Copy(ForEach):
    """Snapshot or back up volumes (the copies are OpenStack's, not OCCI entities)."""

    noun, action = "volume", ""
    what = "the volume is online again"

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("--name", help=f"the {self.action}'s name (default: the volume's)")
        return parser

    def act(self, ref: str, args: argparse.Namespace) -> None:
        site = self.site
        volume = site.find(STORAGE, ref)
        attributes = {}
        if args.name:
            action_id = operations.action_id(site, volume, STORAGE, self.action)
            if "name" not in operations.action_parameters(site, action_id):
                raise UsageError(f"this site's {self.action} action takes no name")
            attributes["name"] = args.name
        operations.trigger(site, volume, STORAGE, self.action, attributes)
        if args.wait:
            location = volume.location or ""
            operations.wait_for(site, location, STORAGE, "online", args.wait_timeout)


class StorageSnapshot(_Copy):
    """Snapshot volumes."""

    action = "snapshot"


class StorageBackup(_Copy):
    """Back up volumes (sites without a backup service refuse: exit status 8)."""

    action = "backup"
