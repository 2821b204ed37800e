"""User mixins (tags): defined and deleted at the query interface, carried by computes,
storages and networks.

occi-spec/1.2/http_protocol.tex §HTTP Methods Applied to Query Interface: POST ``/-/`` with
mixin Categories (term, scheme, location; title and ``rel``/``depends`` optional) defines them
for the caller's project; DELETE ``/-/`` with the Category removes the definition and its
associations. Definitions live in ooi's store (ooi/store.py), associations on the resources
(mixin_carriers.py: nova server tags, cinder volume metadata, neutron tags).

Backend calls: define — none beyond the registry (cached); delete — per kind whose service the
cloud has, one listing of the tagged entities and one untag call per member.

Decisions:
- A provider category (kind, action, template, zone, pool, ...) cannot be redefined (409) nor
  deleted (403); a user mixin defined twice is a 409. A location must be a path of its own
  under the endpoint: one that a kind's collection, the query interface or another mixin
  uses is a 409.
- ``rel``/``depends`` may name mixins the registry has (400 otherwise). ``applies`` is not
  taken from clients: a user mixin applies to the kinds that can carry it (compute, storage,
  network), and /-/ says so.
- A store that cannot be reached leaves ``/-/`` working without the user mixins (logged);
  defining or deleting then answers 503.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
import webob

from ooi import store
from ooi.api import mixin_carriers, references
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog
from ooi.occi.documents import CategoryDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Mixin, Registry
from ooi.openstack.errors import BackendError

LOG = logging.getLogger(__name__)

# First path segments that are the endpoint's own (kinds' collections, the query interface).
_BOUND = {
    "-",
    ".well-known",
    "compute",
    "storage",
    "storagelink",
    "network",
    "networklink",
    "ipreservation",
    "securitygroup",
    "securitygrouplink",
}
_ENVIRON_KEY = "ooi.user_mixins"


def _store(ctx: Context) -> store.Store:
    return store.store(ctx.settings.store_url)


def definitions(ctx: Context) -> list[store.UserMixin]:
    """The project's user mixins (read once per request; [] when the store is unreachable)."""
    environ = ctx.request.environ
    if _ENVIRON_KEY not in environ:
        try:
            environ[_ENVIRON_KEY] = _store(ctx).mixins(ctx.openstack.project_id)
        except sa.exc.SQLAlchemyError:
            LOG.warning("user mixins unavailable: the store cannot be read", exc_info=True)
            environ[_ENVIRON_KEY] = []
    return list(environ[_ENVIRON_KEY])


def as_mixin(definition: store.UserMixin, known: Registry) -> Mixin:
    depends = tuple(m for t in definition.depends if (m := known.mixin(t)) is not None)
    return Mixin(
        term=definition.term,
        scheme=definition.scheme,
        title=definition.title,
        location=definition.location,
        depends=depends,
        applies=mixin_carriers.KINDS,
    )


def mixins(ctx: Context, known: Registry) -> list[Mixin]:
    """The project's user mixins as OCCI mixins (dependencies resolved in ``known``)."""
    return [as_mixin(d, known) for d in definitions(ctx)]


def tags_to_mixins(ctx: Context, tags: Sequence[str], known: Registry) -> list[Mixin]:
    """The user mixins a resource carries, from its tags."""
    if not tags:  # most resources: the store need not be read
        return []
    wanted = set(tags)
    return [as_mixin(d, known) for d in definitions(ctx) if d.tag in wanted]


def carried(ctx: Context, kind: Kind, resource: Mapping[str, Any]) -> list[Mixin]:
    """The user mixins an OpenStack resource of ``kind`` carries (from its own rendering)."""
    carrier = mixin_carriers.carrier(kind)
    if carrier is None:
        return []
    return tags_to_mixins(ctx, carrier.tags(resource), catalog.static_categories(ctx.version))


def definition_of(ctx: Context, mixin: Mixin) -> store.UserMixin | None:
    """The definition of a user mixin (None for any other mixin)."""
    return next((d for d in definitions(ctx) if d.type_id == mixin.type_id), None)


def tag_of(ctx: Context, mixin: Mixin) -> str | None:
    """The tag of a user mixin (None for any other mixin)."""
    definition = definition_of(ctx, mixin)
    return definition.tag if definition else None


def definitions_among(ctx: Context, mixins: Sequence[Mixin]) -> list[store.UserMixin]:
    """The definitions of the user mixins among ``mixins`` (those a create names)."""
    return [d for m in mixins if (d := definition_of(ctx, m)) is not None]


def change_carried(
    ctx: Context,
    kind: Kind,
    entity_id: str,
    current: Sequence[Mixin],
    given: Sequence[Mixin],
    replace: bool,
) -> bool:
    """An update (``replace`` False) adds the user mixins ``given`` names to the entity; a
    replace keeps exactly those. ``current``: the entity's mixins now. Whether any changed."""
    carrier = mixin_carriers.carrier(kind)
    if carrier is None:
        return False
    wanted = {d.tag: d for d in definitions_among(ctx, given)}
    have = {d.tag: d for d in definitions_among(ctx, current)}
    dropped = set(have) - set(wanted) if replace else set()
    for tag in sorted(set(wanted) - set(have)):
        carrier.add(ctx.openstack, entity_id, wanted[tag])
    for tag in sorted(dropped):
        carrier.remove(ctx.openstack, entity_id, have[tag])
    return bool(set(wanted) - set(have) or dropped)


# --- POST /-/ and DELETE /-/ ----------------------------------------------------------------


def _location(ctx: Context, doc: CategoryDoc) -> str:
    if not doc.location:
        raise InvalidInput(f'Mixin {doc.type_id} needs a location (e.g. location="/my_tag/")')
    location = references.to_location(doc.location, ctx.endpoint_url).strip("/") + "/"
    if location.split("/", 1)[0] in _BOUND:
        raise RequestRefused(
            409, f"Location {doc.location} of mixin {doc.type_id} is one of this endpoint's own"
        )
    return location


def _checked(ctx: Context, doc: CategoryDoc, registry: Registry) -> tuple[str, list[str]]:
    """(location, depends) of a definition a client sent; 4xx saying what is wrong."""
    if doc.category_class not in (None, "mixin"):
        raise InvalidInput(
            f"{doc.type_id} is a {doc.category_class}: only mixins can be defined at /-/"
        )
    existing = registry.get(doc.type_id)
    if existing is not None:
        mine = any(d.type_id == doc.type_id for d in definitions(ctx))
        what = "a user mixin of this project" if mine else "the provider's, and cannot be changed"
        raise RequestRefused(409, f"{doc.type_id} is defined already: it is {what}")
    location = _location(ctx, doc)
    for mixin in registry.mixins:
        if mixin.location and mixin.location.strip("/") + "/" == location:
            raise RequestRefused(409, f"Location {doc.location} is taken by mixin {mixin.type_id}")
    for type_id in doc.related:
        if registry.mixin(type_id) is None:
            raise InvalidInput(f"Mixin {doc.type_id} depends on {type_id}, which is no mixin here")
    return location, list(doc.related)


def _docs(ctx: Context) -> list[CategoryDoc]:
    docs = ctx.parse("parse_categories")
    if not docs:
        raise InvalidInput("Send the mixin's Category (term, scheme, class and location)")
    return docs


def define(ctx: Context) -> webob.Response:
    """POST /-/: define user mixins for the project."""
    from ooi.api import discovery  # discovery offers these mixins in turn

    registry = discovery.registry(ctx)
    docs = _docs(ctx)
    checked = [(doc, *_checked(ctx, doc, registry)) for doc in docs]
    locations = [location for _, location, _ in checked]
    if len(set(locations)) < len(locations) or len({d.type_id for d in docs}) < len(docs):
        raise RequestRefused(409, "Two of the mixins sent have one type identifier or location")
    try:
        for doc, location, depends in checked:
            _store(ctx).add(
                ctx.openstack.project_id,
                doc.scheme,
                doc.term,
                location,
                doc.title,
                depends,
            )
    except store.Clash as exc:  # another request defined it meanwhile
        raise RequestRefused(409, f"Defined already: {exc}") from exc
    except sa.exc.SQLAlchemyError as exc:
        LOG.exception("user mixin store failed")
        raise RequestRefused(503, "The store of user mixins is unavailable") from exc
    ctx.request.environ.pop(_ENVIRON_KEY, None)
    return ctx.respond(ctx.renderer.empty())


def _untag_all(ctx: Context, definition: store.UserMixin) -> list[str]:
    """Remove a user mixin's tag from every entity of the project that carries it; the
    entities whose service refused."""
    refused = []
    for carrier in mixin_carriers.available(ctx.openstack):
        for entity_id in carrier.tagged(ctx.openstack, definition.tag):
            try:
                carrier.remove(ctx.openstack, entity_id, definition)
            except BackendError as exc:
                refused.append(f"{carrier.kind.term} {entity_id} ({exc.message})")
    return refused


def remove(ctx: Context) -> webob.Response:
    """DELETE /-/: remove user mixin definitions and their associations."""
    from ooi.api import discovery

    registry = discovery.registry(ctx)
    mine = {d.type_id: d for d in definitions(ctx)}
    docs = _docs(ctx)
    for doc in docs:
        if doc.type_id not in mine:
            if doc.type_id in registry:
                raise RequestRefused(403, f"{doc.type_id} is the provider's: it cannot be deleted")
            raise RequestRefused(404, f"Not found: no mixin {doc.type_id}")
    for doc in docs:
        definition = mine[doc.type_id]
        refused = _untag_all(ctx, definition)
        if refused:
            raise RequestRefused(
                409,
                f"{doc.type_id} is kept: OpenStack would not untag {', '.join(refused)}; "
                "try again once those are active",
            )
        try:
            _store(ctx).remove(ctx.openstack.project_id, definition.scheme, definition.term)
        except sa.exc.SQLAlchemyError as exc:
            LOG.exception("user mixin store failed")
            raise RequestRefused(503, "The store of user mixins is unavailable") from exc
    ctx.request.environ.pop(_ENVIRON_KEY, None)
    return ctx.respond(ctx.renderer.empty())
