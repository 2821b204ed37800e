"""The three kinds of the OCCI Core model (occi-spec/1.2/core.tex §The OCCI Core Base Types).

``core#entity`` has no location: Entity is abstract and never instantiated, and the HTTP
protocol forbids binding a location to a non-instantiable kind (occi-spec/1.2/http_protocol.tex
§Namespace). Resource and Link keep the original ooi's ``resource/`` and ``link/`` locations.
"""

from __future__ import annotations

from dataclasses import replace

from ooi.occi.model import Attribute, AttributeType, Kind

SCHEME = "http://schemas.ogf.org/occi/core#"

_STRING = AttributeType.STRING

# Entity (core.tex table "Model attributes defined for the Entity type"). ``id`` is a URI the
# server assigns: required, but never set by a client.
ID = Attribute(
    "occi.core.id",
    _STRING,
    mutable=False,
    required=True,
    description="Unique identifier of the entity in the provider's namespace",
)
TITLE = Attribute("occi.core.title", _STRING, description="Display name of the entity")

# Resource (core.tex table "Model attributes defined for the Resource type").
SUMMARY = Attribute(
    "occi.core.summary", _STRING, description="Summarizing description of the resource"
)

# Link (core.tex table "Model attributes defined for the Link type"); ``source.kind`` is the
# text rendering's name for the JSON ``source.kind`` member (text_rendering.tex §Entity
# Instance Attribute Rendering Specifics), optional like ``target.kind``.
SOURCE = Attribute(
    "occi.core.source",
    _STRING,
    required=True,
    description="Location of the resource the link originates from",
)
TARGET = Attribute(
    "occi.core.target",
    _STRING,
    required=True,
    description="URI of the object the link points to",
)
SOURCE_KIND = Attribute(
    "occi.core.source.kind", _STRING, description="Kind type identifier of the source"
)
TARGET_KIND = Attribute(
    "occi.core.target.kind", _STRING, description="Kind type identifier of the target, if any"
)

ENTITY = Kind(
    term="entity",
    scheme=SCHEME,
    title="entity",
    attributes=(ID, TITLE),
)

RESOURCE = Kind(
    term="resource",
    scheme=SCHEME,
    title="resource",
    attributes=(SUMMARY,),
    parent=ENTITY,
    location="resource/",
)

LINK = Kind(
    term="link",
    scheme=SCHEME,
    title="link",
    attributes=(SOURCE, TARGET, SOURCE_KIND, TARGET_KIND),
    parent=ENTITY,
    location="link/",
)

# The attribute names the model keeps as Entity/Resource/Link fields, not in ``attributes``.
CORE_ATTRIBUTE_NAMES = frozenset(
    a.name for a in (ID, TITLE, SUMMARY, SOURCE, TARGET, SOURCE_KIND, TARGET_KIND)
)

# OCCI 1.1 Link (occi-spec/1.1/core.tex §Link): source and target only, no kinds of either.
LINK_11 = replace(
    LINK,
    attributes=(SOURCE, TARGET),
)
