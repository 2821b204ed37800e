"""The OCCI HTTP surface: every path and method ooi answers, on one screen."""

from __future__ import annotations

from ooi.api import query
from ooi.api.router import Router

ROUTES = {
    "/-/": {"GET": query.index},
    "/.well-known/org/ogf/occi/-/": {"GET": query.index},
}

ROUTER = Router(ROUTES)
