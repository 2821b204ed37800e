"""The query interface (`/-/`): discovery of kinds, mixins and actions."""

from __future__ import annotations

import webob

from ooi.api import discovery, storage_links
from ooi.api.context import Context
from ooi.occi.model import Action, Category, Kind, Mixin, Registry


def _related(registry: Registry, wanted: set[str]) -> list[Category]:
    """The categories named in a filter, those below them (kinds whose parent chain or mixins
    whose dependencies reach one), and the actions of all those (http_protocol.tex §Filtering:
    "only Category instances related to the given Category")."""
    chosen: list[Category] = []
    for category in registry:
        if isinstance(category, Kind):
            related = any(k.type_id in wanted for k in category.ancestry())
        elif isinstance(category, Mixin):
            related = any(m.type_id in wanted for m in category.dependencies())
        else:
            related = category.type_id in wanted
        if related:
            chosen.append(category)
    actions = {a.type_id for c in chosen if isinstance(c, Kind | Mixin) for a in c.actions}
    chosen += [c for c in registry if isinstance(c, Action) and c.type_id in actions - wanted]
    return chosen


def index(ctx: Context) -> webob.Response:
    registry = discovery.registry(ctx)
    categories: list[Category] = list(registry)
    wanted = {doc.type_id for doc in ctx.header_filter()}
    if wanted:
        categories = _related(registry, wanted)
    if not ctx.openstack.has("volume"):  # no block storage: storage kinds are not offered
        categories = [c for c in categories if not storage_links.storage_categories(c)]
    kinds = [c for c in categories if isinstance(c, Kind)]
    mixins = [c for c in categories if isinstance(c, Mixin)]
    actions = [c for c in categories if isinstance(c, Action)]
    return ctx.respond(ctx.renderer.query(kinds, mixins, actions))
