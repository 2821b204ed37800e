"""The networking collections' routes: ``/network/``, ``/networklink/``, ``/ipreservation/``,
``/securitygroup/``, ``/securitygrouplink/``.

Reading networks: networks.py; creating, deleting and acting on them: network_changes.py;
network interfaces and public IPs: network_links.py and network_public.py; reserved
addresses: ipreservation.py; security groups and their links: security_groups.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from ooi.api import ipreservation, network_changes, network_links, networks, security_groups
from ooi.api.router import Handler

_NETWORKS = {"GET": networks.list_networks, "POST": network_changes.create_or_act}

ROUTES: Mapping[str, Mapping[str, Handler]] = {
    "/network/": _NETWORKS,
    "/network": _NETWORKS,
    "/network/{id}": {
        "GET": networks.show,
        "POST": network_changes.act,
        "DELETE": network_changes.delete,
    },
    **network_links.ROUTES,
    **ipreservation.ROUTES,
    **security_groups.ROUTES,
}
