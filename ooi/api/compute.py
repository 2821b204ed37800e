"""`/compute/`: reading and deleting computes (nova servers) as OCCI resources.

The translation server → OCCI Resource lives here too (`describe`), for every handler that
answers with a compute.
"""

from __future__ import annotations

import webob

from ooi.api.context import Context
from ooi.wsgi.negotiation import RequestRefused


def list_computes(ctx: Context) -> webob.Response:
    raise RequestRefused(501, "listing computes is not implemented yet")


def show(ctx: Context) -> webob.Response:
    raise RequestRefused(501, "showing a compute is not implemented yet")


def delete(ctx: Context) -> webob.Response:
    raise RequestRefused(501, "deleting a compute is not implemented yet")


def delete_all(ctx: Context) -> webob.Response:
    raise RequestRefused(501, "deleting computes is not implemented yet")
