"""`/compute/`: creating computes, their actions, and updates (resize, rename)."""

from __future__ import annotations

import webob

from ooi.api.context import Context
from ooi.wsgi.negotiation import RequestRefused


def create_or_act(ctx: Context) -> webob.Response:
    """POST on the collection: create a compute, or ``?action=`` on every compute."""
    raise RequestRefused(501, "creating a compute is not implemented yet")


def update_or_act(ctx: Context) -> webob.Response:
    """POST on one compute: a partial update, or ``?action=``."""
    raise RequestRefused(501, "updating a compute is not implemented yet")


def replace(ctx: Context) -> webob.Response:
    """PUT on one compute: full replace of its mutable attributes (a new resource_tpl resizes)."""
    raise RequestRefused(501, "replacing a compute is not implemented yet")
