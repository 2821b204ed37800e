"""The query interface (`/-/`): discovery of kinds, mixins and actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import webob

from ooi.api import discovery, storage_links
from ooi.api.context import Context
from ooi.occi.model import Action, Category, Kind, Mixin, Registry
from ooi.occi.rendering import Rendered


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


# The last query answer per rendering and endpoint, with the categories it shows: while the
# project's registry is the same (discovery.registry makes it once while nothing changes), the
# same category objects come back, and so does the answer, rendered once (identity-checked).
_ANSWERS: dict[tuple[Any, ...], tuple[tuple[Category, ...], Rendered]] = {}
_ANSWERS_MAX = 1024


def _rendered(ctx: Context, categories: Sequence[Category]) -> Rendered:
    renderer = ctx.renderer
    key = (type(renderer), renderer.base_url, renderer.category_base, ctx.version)
    shown = tuple(categories)
    known = _ANSWERS.get(key)
    if (
        known is not None
        and len(known[0]) == len(shown)
        and all(a is b for a, b in zip(known[0], shown, strict=True))
    ):
        return known[1]
    kinds = [c for c in shown if isinstance(c, Kind)]
    mixins = [c for c in shown if isinstance(c, Mixin)]
    actions = [c for c in shown if isinstance(c, Action)]
    rendered = renderer.query(kinds, mixins, actions)
    if len(_ANSWERS) >= _ANSWERS_MAX:
        _ANSWERS.clear()
    _ANSWERS[key] = (shown, rendered)
    return rendered


def index(ctx: Context) -> webob.Response:
    registry = discovery.registry(ctx)
    categories: list[Category] = list(registry)
    wanted = {doc.type_id for doc in ctx.header_filter()}
    if wanted:
        categories = _related(registry, wanted)
    if not ctx.openstack.has("volume"):  # no block storage: storage kinds are not offered
        categories = [c for c in categories if not storage_links.storage_categories(c)]
    return ctx.respond(_rendered(ctx, categories))
