"""Hypothesis strategies for the OCCI core: random but valid entities, links, category sets,
and mutated or random inputs for the parsers.

Entities are built from the real categories (``ooi.occi.infrastructure``, ``ooi.occi.openstack``,
the per-cloud template factories) of one OCCI version, with attribute values typed as the
attribute definitions say. Strings are full of what the renderings must escape or keep apart
(``"`` ``\\`` ``,`` ``;`` ``=`` ``<`` ``>``, non-ASCII, empty strings); control characters are
left out, because the text renderings cannot carry them by specification (a quoted-string has no
escape for CR or LF: `ooi.occi.textsyntax.quote` renders them as spaces).

Ids and locations are safe path segments (UUIDs, unreserved URI characters), so that a rendered
URL is exactly ``renderer.url(location)``.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from hypothesis import strategies as st

from ooi.occi import catalog, core
from ooi.occi import infrastructure as infra
from ooi.occi import openstack as os_
from ooi.occi.documents import ActionDoc, EntityDoc, LinkDoc
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Link, Mixin, Resource

BASE_URLS = ("http://example.org:8787/occi1.2/", "/")
VERSIONS = ("1.1", "1.2")

# -- text -----------------------------------------------------------------------------------

# Pieces that the renderings must quote, escape, split around or encode.
_NASTY_PIECES = (
    '"',
    "\\",
    '\\"',
    '""',
    ",",
    ";",
    "=",
    "<",
    ">",
    " ",
    "  ",
    "{",
    "}",
    "[",
    "]",
    "#",
    "?",
    "&",
    "'",
    ":",
    "/",
    "%",
    "%2C",
    "true",
    "1",
    "2.0",
    "-",
    "é",
    "€",
    "日本語",
    "🙂",
    "\u00a0",
    "\u2028",
    "\ufeff",
    'a="b"',
    "<x>; rel=",
    "X-OCCI-Attribute: a=1",
)
_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs"))

# Free text: title, summary, string attribute values.
nasty_text = st.lists(
    st.one_of(st.sampled_from(_NASTY_PIECES), st.text(_CHARACTERS, max_size=6)), max_size=6
).map("".join)

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ALNUM = _LOWER + _LOWER.upper() + "0123456789"


def _word(first: str, rest: str, max_size: int) -> st.SearchStrategy[str]:
    """A first character from ``first``, then up to ``max_size`` from ``rest`` (faster than
    ``from_regex``)."""
    return st.builds(
        str.__add__, st.sampled_from(first), st.text(st.sampled_from(rest), max_size=max_size)
    )


# A path segment made of unreserved URI characters only.
safe_segments = st.one_of(st.uuids().map(str), _word(_ALNUM, _ALNUM + "._~-", 24))
# A term in the grammar of both OCCI versions' parsers (1.2 grammar, as rendered).
terms = _word(_LOWER, _LOWER + "0123456789_-", 15)
schemes = st.builds(
    lambda host, path: f"http://{host}.example.org/{path}#",
    _word(_LOWER, _LOWER, 7),
    st.text(st.sampled_from(_LOWER + "0123456789/_.-"), max_size=20),
)
# Attribute names as OCCI writes them: dot-separated namespace components.
attribute_names = st.lists(_word(_LOWER, _LOWER + "0123456789_-", 8), min_size=2, max_size=4).map(
    ".".join
)

# -- attribute values ------------------------------------------------------------------------

finite_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    # Integral floats are the interesting case of the text rendering (2.0 must stay a float).
    st.integers(-(2**53), 2**53).map(float),
)
integers = st.integers(-(2**63), 2**63)
json_scalars = st.one_of(st.none(), st.booleans(), integers, finite_floats, nasty_text)
json_values = st.recursive(
    json_scalars.filter(lambda v: v is not None),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(nasty_text, inner, max_size=3)
    ),
    max_leaves=6,
)

_SIMPLE_ALTERNATIVES = re.compile(r"[A-Za-z0-9_-]+(?:\|[A-Za-z0-9_-]+)*")


@functools.cache
def value_strategy(definition: Attribute) -> st.SearchStrategy[Any]:
    """Values valid for ``definition``: its type, and its pattern when it has one."""
    type_ = definition.type
    pattern = definition.pattern
    if type_ is AttributeType.STRING:
        if pattern is None:
            return nasty_text
        if _SIMPLE_ALTERNATIVES.fullmatch(pattern):
            return st.sampled_from(pattern.split("|"))
        return st.from_regex(pattern, fullmatch=True)
    if type_ is AttributeType.INTEGER:
        if pattern is None:
            return integers
        return st.from_regex(pattern, fullmatch=True).filter(str.isdigit).map(int)
    if type_ is AttributeType.NUMBER:
        return finite_floats
    if type_ is AttributeType.BOOLEAN:
        return st.booleans()
    if type_ is AttributeType.ARRAY:
        return st.lists(json_values, max_size=3)
    return st.dictionaries(nasty_text, json_values, max_size=3)


@st.composite
def attribute_values(draw: st.DrawFn, definitions: dict[str, Attribute]) -> dict[str, Any]:
    """Values for a random subset of ``definitions`` (core attributes aside), in random order."""
    names = sorted(n for n in definitions if n not in core.CORE_ATTRIBUTE_NAMES)
    chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    return {name: draw(value_strategy(definitions[name])) for name in chosen}


# -- categories of a version -----------------------------------------------------------------


@functools.cache
def _kinds(version: str) -> dict[str, Kind]:
    registry = catalog.static_categories(version)
    return {k.term: k for k in registry.kinds}


# Per-cloud mixins, as the factories make them from OpenStack ids and names.
os_templates = st.builds(
    os_.os_template,
    st.one_of(st.uuids().map(str), nasty_text.filter(bool)),
    st.one_of(st.none(), nasty_text),
)
resource_templates = st.builds(
    os_.resource_template,
    st.one_of(st.uuids().map(str), st.sampled_from(["1", "m1.small", "x--y", "ü"])),
    nasty_text,
    st.integers(1, 128),
    finite_floats.map(abs),
    st.integers(0, 2000),
    st.integers(0, 100),
    st.integers(0, 8192),
)
floating_ip_pools = st.builds(os_.floating_ip_pool, nasty_text.filter(bool))
availability_zones = st.builds(os_.availability_zone, nasty_text.filter(bool))


def _unique(mixins: list[Mixin]) -> list[Mixin]:
    seen: dict[str, Mixin] = {}
    for mixin in mixins:
        seen.setdefault(mixin.type_id, mixin)
    return list(seen.values())


@st.composite
def _mixins_for(draw: st.DrawFn, kind: Kind) -> list[Mixin]:
    if kind.term == "compute":
        mixins = []
        if draw(st.booleans()):
            mixins.append(draw(os_templates))
        if draw(st.booleans()):
            mixins.append(draw(resource_templates))
        extras = [infra.USER_DATA, infra.SSH_KEY, os_.OPENSTACK_USER_DATA, os_.OPENSTACK_PUBLIC_KEY]
        mixins += draw(st.lists(st.sampled_from(extras), unique=True, max_size=2))
        if draw(st.integers(0, 4)) == 0:
            mixins.append(draw(availability_zones))
    elif kind.term in ("network", "ipreservation"):
        choices = [infra.IPNETWORK, os_.OSNETWORK, os_.NEUTRON]
        mixins = draw(st.lists(st.sampled_from(choices), unique=True, max_size=3))
    elif kind.term == "networkinterface":
        mixins = []
        if draw(st.booleans()):
            mixins.append(infra.IPNETWORKINTERFACE)
        if draw(st.integers(0, 3)) == 0:
            mixins.append(draw(floating_ip_pools))
    else:
        mixins = []
    return _unique(draw(st.permutations(mixins)) if len(mixins) > 1 else mixins)


@st.composite
def _actions_of(draw: st.DrawFn, kind: Kind) -> list[Action]:
    return [a for a in kind.actions if draw(st.booleans())]


# -- links -----------------------------------------------------------------------------------


@st.composite
def links(
    draw: st.DrawFn,
    version: str = "1.2",
    source: Resource | None = None,
) -> Link:
    """A networkinterface, storagelink or securitygrouplink; inside ``source`` when given,
    else on its own (then it always has a source, as the JSON rendering requires)."""
    kinds = _kinds(version)
    link_term = draw(st.sampled_from(["networkinterface", "storagelink", "securitygrouplink"]))
    kind = kinds[link_term]
    target_id = draw(safe_segments)
    if link_term == "networkinterface":
        target_kind, target = draw(
            st.sampled_from(
                [
                    (kinds["network"], f"network/{target_id}"),
                    (kinds["ipreservation"], f"ipreservation/{target_id}"),
                    (None, f"network/{target_id}"),
                    (None, f"http://elsewhere.example.com/net/{target_id}"),
                ]
            )
        )
    elif link_term == "storagelink":
        target_kind, target = draw(
            st.sampled_from(
                [(kinds["storage"], f"storage/{target_id}"), (None, f"storage/{target_id}")]
            )
        )
    else:
        target_kind, target = kinds["securitygroup"], f"securitygroup/{target_id}"
    if source is not None:
        # An inline link may leave its source to the resource it is rendered in (JSON).
        source_location = draw(st.sampled_from([source.location or "", ""]))
        source_kind = draw(st.sampled_from([source.kind, None]))
    else:
        source_location = f"compute/{draw(safe_segments)}"
        source_kind = draw(st.sampled_from([kinds["compute"], None]))
    mixins = draw(_mixins_for(kind))
    link = Link(
        kind=kind,
        id=draw(safe_segments),
        title=draw(st.one_of(st.none(), nasty_text)),
        mixins=mixins,
        source=source_location,
        target=target,
        source_kind=source_kind,
        target_kind=target_kind,
    )
    link.attributes = draw(attribute_values(link.attribute_definitions()))
    link.actions = draw(_actions_of(kind))
    return link


# -- resources -------------------------------------------------------------------------------


@st.composite
def resources(
    draw: st.DrawFn,
    version: str = "1.2",
    kind_terms: tuple[str, ...] = ("compute", "storage", "network", "ipreservation"),
    max_links: int = 4,
    min_links: int = 0,
) -> Resource:
    """A resource of one of ``kind_terms`` with its mixins, attributes, actions and links."""
    kind = _kinds(version)[draw(st.sampled_from(kind_terms))]
    resource = Resource(
        kind=kind,
        id=draw(safe_segments),
        title=draw(st.one_of(st.none(), nasty_text)),
        mixins=draw(_mixins_for(kind)),
        summary=draw(st.one_of(st.none(), nasty_text)),
    )
    resource.attributes = draw(attribute_values(resource.attribute_definitions()))
    resource.actions = draw(_actions_of(kind))
    resource.links = draw(
        st.lists(links(version, source=resource), min_size=min_links, max_size=max_links)
    )
    return resource


def template_mixins(resource: Resource) -> list[Mixin]:
    """The per-cloud mixins of ``resource`` and its links, to extend a registry with."""
    found = [m for m in resource.mixins if m.depends]
    found += [m for link in resource.links for m in link.mixins if m.depends]
    return found


# -- category sets for the query interface ----------------------------------------------------


@st.composite
def attribute_definitions(draw: st.DrawFn) -> tuple[Attribute, ...]:
    names = draw(st.lists(attribute_names, unique=True, max_size=3))
    definitions = []
    for name in names:
        type_ = draw(st.sampled_from(list(AttributeType)))
        pattern = None
        if type_ is AttributeType.STRING and draw(st.booleans()):
            pattern = "|".join(draw(st.lists(terms, min_size=1, max_size=3, unique=True)))
        default = None
        defaults = {
            AttributeType.STRING: nasty_text,
            AttributeType.INTEGER: integers,
            AttributeType.NUMBER: finite_floats,
        }
        if type_ in defaults and draw(st.booleans()):
            default = draw(defaults[type_])
        definitions.append(
            Attribute(
                name,
                type_,
                mutable=draw(st.booleans()),
                required=draw(st.booleans()),
                default=default,
                pattern=pattern,
                description=draw(st.one_of(st.none(), nasty_text)),
            )
        )
    return tuple(definitions)


_titles = st.one_of(st.none(), nasty_text)


def _random_actions() -> st.SearchStrategy[Action]:
    return st.builds(
        Action, term=terms, scheme=schemes, title=_titles, attributes=attribute_definitions()
    )


@st.composite
def _random_kinds(draw: st.DrawFn, version: str) -> Kind:
    parents = [k for k in catalog.static_categories(version).kinds]
    return Kind(
        term=draw(terms),
        scheme=draw(schemes),
        title=draw(_titles),
        attributes=draw(attribute_definitions()),
        parent=draw(st.one_of(st.none(), st.sampled_from(parents))),
        actions=tuple(draw(st.lists(_random_actions(), max_size=2))),
        location=draw(st.one_of(st.none(), safe_segments.map(lambda s: s + "/"))),
    )


@st.composite
def _random_mixins(draw: st.DrawFn, version: str) -> Mixin:
    registry = catalog.static_categories(version)
    return Mixin(
        term=draw(terms),
        scheme=draw(schemes),
        title=draw(_titles),
        attributes=draw(attribute_definitions()),
        depends=tuple(draw(st.lists(st.sampled_from(registry.mixins), max_size=3))),
        applies=tuple(draw(st.lists(st.sampled_from(registry.kinds), max_size=2))),
        actions=tuple(draw(st.lists(_random_actions(), max_size=1))),
        location=draw(safe_segments.map(lambda s: s + "/")),
    )


@st.composite
def category_sets(
    draw: st.DrawFn, version: str = "1.2"
) -> tuple[list[Kind], list[Mixin], list[Action]]:
    """(kinds, mixins, actions) for ``Renderer.query``: some real, some made up."""
    registry = catalog.static_categories(version)
    real_mixins = [
        *registry.mixins,
        *draw(st.lists(st.one_of(os_templates, resource_templates), max_size=2)),
    ]
    kinds = draw(
        st.lists(st.one_of(st.sampled_from(registry.kinds), _random_kinds(version)), max_size=4)
    )
    mixins = draw(
        st.lists(st.one_of(st.sampled_from(real_mixins), _random_mixins(version)), max_size=4)
    )
    actions = draw(
        st.lists(st.one_of(st.sampled_from(registry.actions), _random_actions()), max_size=4)
    )
    return kinds, mixins, actions


# -- documents as parsers make them (for validation) -------------------------------------------

_REGISTRY_12 = catalog.static_categories("1.2")
_KNOWN_TYPE_IDS = sorted(c.type_id for c in _REGISTRY_12)
_KNOWN_ATTRIBUTES = sorted(
    {a.name for c in _REGISTRY_12 for a in c.attributes}
    | set(core.CORE_ATTRIBUTE_NAMES)
    | set(infra.ATTRIBUTE_ALIASES)
)
type_ids = st.one_of(
    st.sampled_from(_KNOWN_TYPE_IDS),
    st.builds(lambda s, t: s + t, schemes, terms),
    nasty_text,
)
_doc_attributes = st.dictionaries(
    st.one_of(st.sampled_from(_KNOWN_ATTRIBUTES), attribute_names, nasty_text.filter(bool)),
    json_values,
    max_size=6,
)
link_docs = st.builds(
    LinkDoc,
    target=st.one_of(
        st.none(),
        st.sampled_from(["network/1", "storage/2", "/occi/network/x", "http://h/storage/9", ""]),
        nasty_text,
    ),
    target_kind=st.one_of(st.none(), type_ids),
    kind=st.one_of(st.none(), type_ids),
    mixins=st.lists(type_ids, max_size=3),
    location=st.one_of(st.none(), nasty_text),
    attributes=_doc_attributes,
)
entity_docs = st.builds(
    EntityDoc,
    kind=st.one_of(st.none(), type_ids),
    mixins=st.lists(type_ids, max_size=4),
    attributes=_doc_attributes,
    links=st.lists(link_docs, max_size=3),
    other_categories=st.lists(type_ids, max_size=2),
)
action_docs = st.builds(
    ActionDoc, action=st.one_of(type_ids, st.just("")), attributes=_doc_attributes
)

# -- mutations and junk for the parsers -------------------------------------------------------

_INSERTS = (
    '"',
    ";",
    ",",
    "\\",
    "<",
    ">",
    "=",
    ":",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\x00",
    "{",
    "}",
    "[",
    "]",
    "null",
    "1e999",
    "-",
    "9" * 5000,
    "x" * 20000,
    '"' * 50,
    "\\" * 51,
    "Category: ",
    "Link: <",
    "X-OCCI-Attribute: ",
    "X-OCCI-Location: ",
    "; class=",
    "?action=",
    '{"a":',
    "[" * 2000,
    "\ud800",
    "\udcff",
    "é",
    "🙂",
)
_BYTE_INSERTS = (b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf")


@st.composite
def mutated_text(draw: st.DrawFn, text: str, max_mutations: int = 5) -> str:
    """``text`` with a few characters deleted, duplicated, swapped or inserted."""
    for _ in range(draw(st.integers(1, max_mutations))):
        size = len(text)
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate"]))
        at = draw(st.integers(0, size))
        if operation == "insert" or size == 0:
            piece = draw(st.one_of(st.sampled_from(_INSERTS), st.text(max_size=4)))
            text = text[:at] + piece + text[at:]
        elif operation == "delete":
            end = draw(st.integers(at, min(size, at + 8)))
            text = text[:at] + text[end:]
        elif operation == "duplicate":
            end = draw(st.integers(at, min(size, at + 40)))
            text = text[:end] + text[at:end] + text[end:]
        elif operation == "swap":
            other = draw(st.integers(0, size - 1))
            at = min(at, size - 1)
            chars = list(text)
            chars[at], chars[other] = chars[other], chars[at]
            text = "".join(chars)
        else:
            text = text[:at]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, text: str) -> bytes:
    """``text`` mutated, then encoded (lone surrogates kept as the bytes Python would write),
    sometimes with invalid UTF-8 inserted."""
    mutated = draw(mutated_text(text))
    data = mutated.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(_BYTE_INSERTS)) + data[at:]
    return data


header_names = st.one_of(
    st.sampled_from(
        [
            "Category",
            "category",
            "CATEGORY",
            "Link",
            "X-OCCI-Attribute",
            "x-occi-attribute",
            "X-OCCI-Location",
            "Content-Type",
            "",
        ]
    ),
    st.text(max_size=10),
)
header_values = st.one_of(
    st.text(max_size=60),
    # As WSGI gives them: bytes as Latin-1 code points (possibly invalid UTF-8).
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
)
random_headers = st.lists(st.tuples(header_names, header_values), max_size=6)


def json_text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)
