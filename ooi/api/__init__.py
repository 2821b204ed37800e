"""The OCCI HTTP surface: every path and method ooi answers.

Each collection module that serves paths of its own exports ``ROUTES`` (path template →
{method: handler}); this table joins them, so the whole surface is one readable list.
"""

from __future__ import annotations

from ooi.api import compute, compute_changes, mixin_collections, network, query, storage
from ooi.api.router import Router

_COMPUTES = {
    "GET": compute.list_computes,
    "POST": compute_changes.create_or_act,
    "DELETE": compute.delete_all,
}

ROUTES = {
    "/-/": {"GET": query.index},
    "/.well-known/org/ogf/occi/-/": {"GET": query.index},
    "/compute/": _COMPUTES,
    "/compute": _COMPUTES,
    "/compute/{id}": {
        "GET": compute.show,
        "POST": compute_changes.update_or_act,
        "PUT": compute_changes.replace,
        "DELETE": compute.delete,
    },
    # /storage/, /storagelink/
    **storage.ROUTES,
    # /network/, /networklink/, /ipreservation/, /securitygroup/, /securitygrouplink/
    **network.ROUTES,
}

# Any other path may be a mixin's location (os_tpl/…, resource_tpl/…): a mixin collection.
ROUTER = Router(ROUTES, fallback=mixin_collections.HANDLERS)
