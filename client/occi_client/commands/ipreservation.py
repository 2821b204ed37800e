"""`occi ipreservation list|show|create|delete`: public (floating) IP addresses the project
holds on to, reserved from a pool; `occi link create C --ip-reservation R` gives one to a
compute, and deleting that link takes it back without releasing it."""

from __future__ import annotations

import argparse

from cliff.show import ShowOne

from occi_client import operations
from occi_client.commands.base import (
    DeleteEach,
    ResourceList,
    ResourceShow,
    SiteMixin,
    entity_fields,
)
from occi_client.site import IPRESERVATION


class IpReservationList(ResourceList):
    """List the reserved public addresses (their names are their addresses)."""

    kind = IPRESERVATION
    columns = (("Used", "occi.ipreservation.used"), ("State", "occi.ipreservation.state"))


class IpReservationShow(ResourceShow):
    """Show one reservation (named by id, address or URL)."""

    kind = IPRESERVATION


class IpReservationCreate(SiteMixin, ShowOne):
    """Reserve a public address (from the site's pool, or the one named)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("--pool", help="floating-IP pool: name or mixin (see `occi discover`)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        mixins = []
        if parsed_args.pool:
            mixins.append(site.pool(parsed_args.pool).type_id)
        # Made at once; it stays inactive until a compute uses it (nothing to wait for).
        location = operations.create(site, IPRESERVATION, mixins, {})
        return entity_fields(site.get(location, IPRESERVATION))


class IpReservationDelete(DeleteEach):
    """Release reserved addresses (a compute using one loses it)."""

    noun, kind = "reservation", IPRESERVATION
