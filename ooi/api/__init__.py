"""The OCCI HTTP surface: every path and method ooi answers.

Each collection module that serves paths of its own exports ``ROUTES`` (path template →
{method: handler}); this table joins them, so the whole surface is one readable list.
"""

from __future__ import annotations

from ooi.api import (
    compute,
    compute_changes,
    mixin_collections,
    network,
    query,
    storage,
    user_mixins,
)
from ooi.api.router import Router

_QUERY = {"GET": query.index, "POST": user_mixins.define, "DELETE": user_mixins.remove}
_COMPUTES = {
    "GET": compute.list_computes,
    "POST": compute_changes.create_or_act,
    "DELETE": compute.delete_all,
}

ROUTES = {
    "/-/": _QUERY,
    "/.well-known/org/ogf/occi/-/": _QUERY,
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
