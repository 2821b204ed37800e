"""The OCCI HTTP surface: every path and method ooi answers, on one screen."""

from __future__ import annotations

from ooi.api import compute, compute_changes, query
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
}

ROUTER = Router(ROUTES)
