"""Properties of the OCCI core, over random entities (tests/occi/strategies.py):

- round trips: render -> parse gives back what went in, in every rendering and both versions,
  as far as each rendering is specified to carry it;
- robustness: every parser, given anything at all, returns its document or raises
  `InvalidInput`, and so do `validation.resolve_entity` / `resolve_action` on what the parsers
  return;
- every JSON rendering validates against the spec's schema.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ooi.occi import catalog, schema, validation
from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Entity, Kind, Link, Mixin, Resource
from ooi.occi.parsing import json as json_parsing
from ooi.occi.parsing import parser_for
from ooi.occi.parsing import text as text_parsing
from ooi.occi.rendering import Rendered, Renderer, renderer_for
from ooi.occi.rendering import text as text_rendering
from ooi.occi.rendering.json import JSONRenderer
from ooi.occi.textsyntax import render_value, split_value

from . import strategies as s

JSON = "application/occi+json"
TEXT_TYPES = ("text/plain", "text/occi")
ENTITY_TYPES = (*TEXT_TYPES, JSON)
URI_LIST = "text/uri-list"
VERSIONS = s.VERSIONS

ID = "occi.core.id"
TITLE = "occi.core.title"
SUMMARY = "occi.core.summary"
SOURCE = "occi.core.source"
TARGET = "occi.core.target"
SOURCE_KIND = "occi.core.source.kind"
TARGET_KIND = "occi.core.target.kind"
# The `rel` the text renderings write for a link target of no known kind (the ABNF needs one).
RESOURCE_TYPE_ID = "http://schemas.ogf.org/occi/core#resource"

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=SUPPRESSED)
ROBUSTNESS = settings(max_examples=150, deadline=None, suppress_health_check=SUPPRESSED)

base_urls = st.sampled_from(s.BASE_URLS)


# -- helpers ------------------------------------------------------------------------------------


def strict(value: Any) -> Any:
    """``value`` with every scalar tagged by its type, so that comparing two results tells
    1 from 1.0 from True, and -0.0 from 0.0."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return strict(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strict(item) for item in value]
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def parse(media_type: str, operation: str, rendered: Rendered) -> Any:
    return parser_for(media_type, operation)(rendered.headers, rendered.body)


def as_text_value(value: Any) -> Any:
    """What the text renderings give back for ``value``: lists and objects have no text syntax
    and travel as JSON in a quoted string (`ooi.occi.textsyntax.render_value`)."""
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value


def carried(attributes: dict[str, Any], text: bool) -> dict[str, Any]:
    return {
        name: as_text_value(value) if text else value
        for name, value in attributes.items()
        if value is not None
    }


def expected_inline_link(renderer: Renderer, text: bool, resource: Resource, link: Link) -> LinkDoc:
    attributes: dict[str, Any] = {ID: link.id}
    if link.title is not None:
        attributes[TITLE] = link.title
    if text:
        # Text: the link's `self`, its source when set; `rel` is the target's kind, or
        # core#resource for a target of no known kind.
        if link.source:
            attributes[SOURCE] = renderer.url(link.source)
        target_kind = link.target_kind.type_id if link.target_kind else RESOURCE_TYPE_ID
        location = renderer.url(link.location or "")
    else:
        # JSON: no `self`; the source defaults to the resource the link is rendered in.
        attributes[SOURCE] = renderer.url(link.source or resource.location or "")
        attributes[SOURCE_KIND] = (link.source_kind or resource.kind).type_id
        target_kind = link.target_kind.type_id if link.target_kind else None
        location = None
    attributes.update(carried(link.attributes, text))
    return LinkDoc(
        target=renderer.url(link.target),
        target_kind=target_kind,
        kind=link.kind.type_id,
        mixins=[m.type_id for m in link.mixins],
        location=location,
        attributes=attributes,
    )


def expected_resource(renderer: Renderer, media_type: str, resource: Resource) -> EntityDoc:
    text = media_type != JSON
    attributes: dict[str, Any] = {ID: resource.id}
    if resource.title is not None:
        attributes[TITLE] = resource.title
    if resource.summary is not None:
        attributes[SUMMARY] = resource.summary
    attributes.update(carried(resource.attributes, text))
    return EntityDoc(
        kind=resource.kind.type_id,
        mixins=[m.type_id for m in resource.mixins],
        attributes=attributes,
        links=[expected_inline_link(renderer, text, resource, link) for link in resource.links],
    )


def expected_link(renderer: Renderer, media_type: str, link: Link) -> EntityDoc:
    text = media_type != JSON
    attributes: dict[str, Any] = {ID: link.id}
    if link.title is not None:
        attributes[TITLE] = link.title
    attributes[SOURCE] = renderer.url(link.source)
    attributes[TARGET] = renderer.url(link.target)
    # The kinds of source and target are OCCI 1.2 attributes; JSON is a 1.2 rendering always.
    if not text or renderer.version == "1.2":
        if link.source_kind is not None:
            attributes[SOURCE_KIND] = link.source_kind.type_id
        if link.target_kind is not None:
            attributes[TARGET_KIND] = link.target_kind.type_id
    attributes.update(carried(link.attributes, text))
    return EntityDoc(
        kind=link.kind.type_id,
        mixins=[m.type_id for m in link.mixins],
        attributes=attributes,
    )


def expected_categories(
    renderer: Renderer,
    media_type: str,
    kinds: list[Kind],
    mixins: list[Mixin],
    actions: list[Action],
) -> list[CategoryDoc]:
    text = media_type != JSON

    def location(category: Kind | Mixin) -> str | None:
        return renderer.category_url(category.location) if category.location else None

    expected = [
        CategoryDoc(
            term=k.term,
            scheme=k.scheme,
            category_class="kind",
            title=k.title,
            related=[k.parent.type_id] if k.parent else [],
            location=location(k),
            attributes=[a.name for a in k.attributes],
            actions=[a.type_id for a in k.actions],
        )
        for k in kinds
    ]
    expected += [
        CategoryDoc(
            term=m.term,
            scheme=m.scheme,
            category_class="mixin",
            title=m.title,
            # Text carries only the first `depends` (1.2 §Mixin Instance Attribute Rendering).
            related=[d.type_id for d in (m.depends[:1] if text else m.depends)],
            location=location(m),
            attributes=[a.name for a in m.attributes],
            actions=[a.type_id for a in m.actions],
        )
        for m in mixins
    ]
    expected += [
        CategoryDoc(
            term=a.term,
            scheme=a.scheme,
            category_class="action",
            title=a.title,
            attributes=[d.name for d in a.attributes],
        )
        for a in actions
    ]
    return expected


def text_action_links(rendered: Rendered, media_type: str) -> list[tuple[str, str]]:
    """(URI, rel) of every ActionLink of a text rendering."""
    found = []
    for field in text_parsing.read_fields(rendered.headers, rendered.body, media_type):
        if field.name != text_parsing.LINK:
            continue
        for params in split_value(field.value):
            uri = params[0][1:-1]
            if "?action=" in uri:
                rel = next(p for p in params[1:] if p.startswith("rel="))
                found.append((uri, json.loads(rel[4:])))
    return found


# -- round trips: entities ------------------------------------------------------------------------


# Each example is drawn once and checked in every media type: generating it costs more than
# rendering and parsing it three times.


@pytest.mark.parametrize("version", VERSIONS)
@ROUND_TRIP
@given(data=st.data(), base_url=base_urls)
def test_resource_round_trip(version: str, data: st.DataObject, base_url: str):
    resource = data.draw(s.resources(version))
    for media_type in ENTITY_TYPES:
        renderer = renderer_for(media_type, base_url, version)
        rendered = renderer.resource(resource)
        parsed = parse(media_type, "parse_entity", rendered)
        expected = expected_resource(renderer, media_type, resource)
        assert parsed.kind == expected.kind, media_type
        assert parsed.mixins == expected.mixins, media_type
        assert strict(parsed.attributes) == strict(expected.attributes), media_type
        assert len(parsed.links) == len(expected.links), media_type
        for got, want in zip(parsed.links, expected.links, strict=True):
            assert strict(got) == strict(want), media_type
        assert parsed.other_categories == [], media_type


@settings(max_examples=15, deadline=None, suppress_health_check=SUPPRESSED)
@given(data=st.data(), base_url=base_urls, version=st.sampled_from(VERSIONS))
def test_big_resource_round_trip(data: st.DataObject, base_url: str, version: str):
    """Many links: text/occi continues a header past `MAX_HEADER_VALUE` in a repeated one."""
    resource = data.draw(s.resources(version, min_links=30, max_links=40))
    for media_type in ENTITY_TYPES:
        renderer = renderer_for(media_type, base_url, version)
        rendered = renderer.resource(resource)
        parsed = parse(media_type, "parse_entity", rendered)
        assert strict(parsed) == strict(expected_resource(renderer, media_type, resource))
        if media_type == "text/occi":
            assert all(
                len(value) < 2 * text_rendering.MAX_HEADER_VALUE for _, value in rendered.headers
            )


@ROUND_TRIP
@given(data=st.data(), base_url=base_urls, version=st.sampled_from(VERSIONS))
def test_action_links(data: st.DataObject, base_url: str, version: str):
    resource = data.draw(s.resources(version, max_links=1))
    for media_type in TEXT_TYPES:
        renderer = renderer_for(media_type, base_url, version)
        rendered = renderer.resource(resource)
        expected = [
            (f"{renderer.url(resource.location or '')}?action={a.term}", a.type_id)
            for a in resource.actions
        ]
        assert text_action_links(rendered, media_type) == expected, media_type
    document = json.loads(JSONRenderer(base_url, version).resource(resource).body)
    assert document.get("actions", []) == [a.type_id for a in resource.actions]


@pytest.mark.parametrize("version", VERSIONS)
@ROUND_TRIP
@given(data=st.data(), base_url=base_urls)
def test_link_round_trip(version: str, data: st.DataObject, base_url: str):
    link = data.draw(s.links(version))
    for media_type in ENTITY_TYPES:
        renderer = renderer_for(media_type, base_url, version)
        parsed = parse(media_type, "parse_entity", renderer.link(link))
        assert strict(parsed) == strict(expected_link(renderer, media_type, link)), media_type


@pytest.mark.parametrize("media_type", ENTITY_TYPES)
@ROUND_TRIP
@given(data=st.data())
def test_action_invocation_round_trip(media_type: str, data: st.DataObject):
    registry = catalog.static_categories("1.2")
    action = data.draw(st.sampled_from(registry.actions))
    attributes = data.draw(s.attribute_values({a.name: a for a in action.attributes}))
    if media_type == JSON:
        body = JSONRenderer().action_invocation(action, attributes).body
        parsed = json_parsing.parse_action((), body)
    else:
        lines = [("Category", f'{action.term}; scheme="{action.scheme}"; class="action"')]
        lines += [("X-OCCI-Attribute", f"{n}={render_value(v)}") for n, v in attributes.items()]
        if media_type == "text/plain":
            body = "\n".join(f"{n}: {v}" for n, v in lines).encode()
            parsed = parser_for(media_type, "parse_action")((), body)
        else:
            headers = [(n, v.encode().decode("latin-1")) for n, v in lines]
            parsed = parser_for(media_type, "parse_action")(headers, b"")
    assert strict(parsed) == strict(ActionDoc(action.type_id, attributes))


# -- round trips: collections and locations --------------------------------------------------------


def _entities(version: str) -> st.SearchStrategy[list[Entity]]:
    return st.lists(st.one_of(s.resources(version, max_links=1), s.links(version)), max_size=5)


def _parse_listing(media_type: str, renderer: Renderer, rendered: Rendered) -> list[str]:
    if media_type == URI_LIST:
        assert rendered.content_type == "text/uri-list"
        return text_parsing.parse_uri_list(rendered.body)
    if media_type == JSON:
        kind_locations = {
            k.type_id: renderer.url(k.location)
            for k in catalog.static_categories(renderer.version).kinds
            if k.location
        }
        return json_parsing.parse_locations(
            rendered.headers, rendered.body, kind_locations=kind_locations
        )
    return parse(media_type, "parse_locations", rendered)


@pytest.mark.parametrize("version", VERSIONS)
@ROUND_TRIP
@given(data=st.data(), base_url=base_urls)
def test_collection_round_trip(version: str, data: st.DataObject, base_url: str):
    entities = data.draw(_entities(version))
    for media_type in (*ENTITY_TYPES, URI_LIST):
        renderer = renderer_for(media_type, base_url, version)
        expected = [renderer.url(e.location or "") for e in entities]
        if media_type == JSON:
            # JSON collections carry whole entities, resources first, then links.
            expected = [renderer.url(e.location or "") for e in entities if isinstance(e, Resource)]
            expected += [renderer.url(e.location or "") for e in entities if isinstance(e, Link)]
        parsed = _parse_listing(media_type, renderer, renderer.entities(entities))
        assert parsed == expected, media_type


@ROUND_TRIP
@given(
    locations=st.lists(
        st.builds(lambda a, b: f"{a}/{b}", s.safe_segments, s.safe_segments), max_size=6
    ),
    base_url=base_urls,
    version=st.sampled_from(VERSIONS),
)
def test_locations_round_trip(locations: list[str], base_url: str, version: str):
    for media_type in (*ENTITY_TYPES, URI_LIST):
        renderer = renderer_for(media_type, base_url, version)
        parsed = _parse_listing(media_type, renderer, renderer.locations(locations))
        assert parsed == [renderer.url(location) for location in locations], media_type


# -- round trips: the query interface ---------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@ROUND_TRIP
@given(data=st.data(), base_url=base_urls)
def test_query_round_trip(version: str, data: st.DataObject, base_url: str):
    kinds, mixins, actions = data.draw(s.category_sets(version))
    for media_type in ENTITY_TYPES:
        renderer = renderer_for(media_type, base_url, version)
        parsed = parse(media_type, "parse_categories", renderer.query(kinds, mixins, actions))
        expected = expected_categories(renderer, media_type, kinds, mixins, actions)
        assert len(parsed) == len(expected), media_type
        for got, want in zip(parsed, expected, strict=True):
            assert strict(got) == strict(want), media_type
    # text/uri-list lists the categories' type identifiers (1.2 §URI Listing Rendering).
    rendered = renderer_for(URI_LIST, base_url, version).query(kinds, mixins, actions)
    parsed_ids = text_parsing.parse_uri_list(rendered.body)
    assert parsed_ids == [c.type_id for c in (*kinds, *mixins, *actions)]


# -- robustness ------------------------------------------------------------------------------------

Parser = Callable[[Any, Any], Any]
_OPERATIONS = ("parse_entity", "parse_action", "parse_categories", "parse_locations")
_RESULT_TYPES = {
    "parse_entity": EntityDoc,
    "parse_action": ActionDoc,
    "parse_categories": list,
    "parse_locations": list,
}


def _json_locations_with_kinds(headers: Any, body: Any) -> list[str]:
    return json_parsing.parse_locations(
        headers,
        body,
        kind_locations={"http://schemas.ogf.org/occi/infrastructure#compute": "/compute/"},
    )


PARSERS: dict[str, tuple[Parser, type]] = {
    f"{media_type} {operation}": (parser_for(media_type, operation), _RESULT_TYPES[operation])
    for media_type in ENTITY_TYPES
    for operation in _OPERATIONS
}
PARSERS["text/uri-list parse_uri_list"] = (lambda h, b: text_parsing.parse_uri_list(b), list)
PARSERS["application/occi+json parse_locations(kind_locations)"] = (
    _json_locations_with_kinds,
    list,
)
ALL_PARSERS = list(PARSERS.values())


def parse_or_invalid(parser: Parser, expected_type: type, headers: Any, body: Any) -> Any:
    """The parser's result, or None when it raised InvalidInput; anything else fails."""
    try:
        result = parser(headers, body)
    except InvalidInput as error:
        assert isinstance(error.message, str) and error.message
        assert 400 <= error.status < 500
        return None
    assert isinstance(result, expected_type)
    return result


def run_all_parsers(headers: Any, body: Any) -> list[Any]:
    return [parse_or_invalid(p, t, headers, body) for p, t in ALL_PARSERS]


@ROBUSTNESS
@given(body=st.binary(max_size=300), headers=s.random_headers)
def test_parsers_random_bytes(body: bytes, headers: list[tuple[str, str]]):
    run_all_parsers(headers, body)


@ROBUSTNESS
@given(body=st.text(max_size=300), headers=s.random_headers)
def test_parsers_random_text(body: str, headers: list[tuple[str, str]]):
    run_all_parsers(headers, body.encode("utf-8", "surrogatepass"))


# Text built from the pieces of the renderings, so that random input gets past the first checks.
_PIECES = st.sampled_from(
    [
        "Category: ",
        "Link: ",
        "X-OCCI-Attribute: ",
        "X-OCCI-Location: ",
        "compute",
        '; scheme="http://schemas.ogf.org/occi/infrastructure#"',
        '; class="kind"',
        "; class=mixin",
        '; class="action"',
        "; rel=",
        "; self=",
        "; category=",
        "; location=",
        '; attributes="a.b{required} c"',
        "<http://x/network/1>",
        "<compute/1?action=start>",
        "occi.core.id=",
        "occi.core.title=",
        "occi.compute.cores=",
        '"',
        "\\",
        ",",
        ";",
        "=",
        "\n",
        " ",
        "1",
        "2.0",
        "1e999",
        "true",
        '{"kind": ',
        '"http://schemas.ogf.org/occi/infrastructure#compute"',
        '"attributes": {',
        '"links": [',
        '"source": ',
        '"target": {"location": ',
        '"kinds": [{"term": "a", "scheme": "b"',
        '"locations": [',
        '"action": ',
        "{",
        "}",
        "[",
        "]",
        ":",
        "null",
    ]
)


@ROBUSTNESS
@given(pieces=st.lists(_PIECES, max_size=30))
def test_parsers_grammar_soup(pieces: list[str]):
    text = "".join(pieces)
    run_all_parsers((), text.encode())
    run_all_parsers(
        [(line.partition(":")[0], line.partition(":")[2]) for line in text.split("\n")], b""
    )


@st.composite
def renderings(draw: st.DrawFn) -> tuple[str, Rendered, list[Any]]:
    """A valid rendering of something random, in a random media type and version, with the
    template mixins it uses."""
    version = draw(st.sampled_from(VERSIONS))
    media_type = draw(st.sampled_from(ENTITY_TYPES))
    renderer = renderer_for(media_type, draw(base_urls), version)
    what = draw(st.sampled_from(["resource", "link", "query", "locations", "action"]))
    templates: list[Any] = []
    if what == "resource":
        resource = draw(s.resources(version, max_links=3))
        templates = s.template_mixins(resource)
        rendered = renderer.resource(resource)
    elif what == "link":
        rendered = renderer.link(draw(s.links(version)))
    elif what == "query":
        rendered = renderer.query(*draw(s.category_sets(version)))
    elif what == "locations":
        rendered = renderer.entities(draw(_entities(version)))
    else:
        action = draw(st.sampled_from(catalog.static_categories("1.2").actions))
        attributes = draw(s.attribute_values({a.name: a for a in action.attributes}))
        if media_type == JSON:
            rendered = JSONRenderer().action_invocation(action, attributes)
        else:
            lines = [f'Category: {action.term}; scheme="{action.scheme}"; class="action"']
            lines += [f"X-OCCI-Attribute: {n}={render_value(v)}" for n, v in attributes.items()]
            rendered = Rendered("text/plain", (), "\n".join(lines).encode())
    return media_type, rendered, templates


@st.composite
def mutated_renderings(draw: st.DrawFn) -> tuple[list[tuple[str, str]], bytes, list[Any]]:
    """(headers, body, templates) of a rendering with a few mutations: in the body, or for
    text/occi in the headers."""
    media_type, rendered, templates = draw(renderings())
    headers = list(rendered.headers)
    body = rendered.body
    if media_type == "text/occi" and headers:
        for _ in range(draw(st.integers(1, 3))):
            index = draw(st.integers(0, len(headers) - 1))
            name, value = headers[index]
            mutation = draw(st.sampled_from(["value", "name", "drop", "duplicate", "junk"]))
            if mutation == "value":
                headers[index] = (name, draw(s.mutated_text(value)))
            elif mutation == "name":
                headers[index] = (draw(s.mutated_text(name, 2)), value)
            elif mutation == "drop" and len(headers) > 1:
                del headers[index]
            elif mutation == "duplicate":
                headers.insert(index, headers[index])
            else:
                headers.insert(index, draw(st.tuples(s.header_names, s.header_values)))
    elif media_type == "text/occi":
        # An empty text/occi rendering (e.g. no locations): invent some headers.
        headers = draw(s.random_headers)
    else:
        body = draw(s.mutated_bytes(rendered.body.decode("utf-8")))
    return headers, body, templates


@ROBUSTNESS
@given(mutated=mutated_renderings())
def test_parsers_mutated_renderings(mutated: tuple[list[tuple[str, str]], bytes, list[Any]]):
    headers, body, _ = mutated
    run_all_parsers(headers, body)


_DEEP = 100_000
DEEP_INPUTS = {
    "array": "[" * _DEEP + "]" * _DEEP,
    "unclosed array": "[" * _DEEP,
    "object": '{"a":' * _DEEP + "1" + "}" * _DEEP,
    "in attributes": '{"kind": "k", "attributes": {"a": ' + "[" * _DEEP + "]" * _DEEP + "}}",
    "in links": '{"kind": "k", "links": [{"target": '
    + "{" * 10
    + '"a": '
    + "[" * _DEEP
    + "]" * _DEEP
    + "}" * 10
    + "]}",
    "moderately deep attribute": '{"kind": "k", "attributes": {"a": '
    + "[" * 500
    + "]" * 500
    + "}}",
    "moderately deep action": '{"action": "a#b", "attributes": {"a": '
    + '{"x":' * 500
    + "1"
    + "}" * 500
    + "}}",
    "long line": "Category: " + "a" * 1_000_000,
    "long quoted": 'X-OCCI-Attribute: a.b="' + "\\" * 1_000_001,
    "many commas": "Category: " + "," * 200_000,
    "many semicolons": "Link: <a>" + ";" * 200_000,
    "many quotes": "X-OCCI-Attribute: a=" + '"' * 200_001,
    "many lines": "X-OCCI-Location: /a\n" * 50_000,
    "folded lines": "Category: a" + "\n b" * 50_000,
    "huge integer": "X-OCCI-Attribute: a.b=" + "9" * 100_000,
    "huge json integer": '{"action": "a#b", "attributes": {"a": ' + "9" * 100_000 + "}}",
    "huge float": "X-OCCI-Attribute: a.b=1" + "0" * 400 + ".0",
    "huge json float": '{"action": "a#b", "attributes": {"a": 1' + "0" * 400 + ".0}}",
    "nul bytes": "Category: compute\x00; scheme=\x00\x00",
    "lone surrogate escape": '{"action": "a#\\ud800"}',
}


@pytest.mark.parametrize("name", sorted(DEEP_INPUTS))
def test_parsers_extreme_inputs(name: str):
    text = DEEP_INPUTS[name]
    body = text.encode()
    run_all_parsers((), body)
    # text/occi reads headers: the same text as one header value.
    for field in ("Category", "Link", "X-OCCI-Attribute", "X-OCCI-Location"):
        header_parsers = [parser_for("text/occi", op) for op in _OPERATIONS]
        for parser, operation in zip(header_parsers, _OPERATIONS, strict=True):
            parse_or_invalid(parser, _RESULT_TYPES[operation], [(field, text)], b"")


@pytest.mark.parametrize(
    "headers",
    [
        None,
        [("Category",)],
        [("Category", "a", "b")],
        [("Category", None)],
        [(None, "compute")],
        [("Category", 42)],
        {"Category": 'compute; scheme="http://x#"; class="kind"'},
        [b"Category: a"],
        42,
    ],
    ids=repr,
)
@pytest.mark.parametrize("name", sorted(n for n in PARSERS if "json" not in n))
def test_text_parsers_odd_headers(name: str, headers: Any):
    parser, expected_type = PARSERS[name]
    parse_or_invalid(parser, expected_type, headers, b"")


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize(
    "body", [b"", "", "text", bytearray(b"{}"), memoryview(b"[]"), 42], ids=repr
)
def test_parsers_odd_bodies(name: str, body: Any):
    parser, expected_type = PARSERS[name]
    parse_or_invalid(parser, expected_type, (), body)


@pytest.mark.parametrize("name", sorted(n for n in PARSERS if "json" not in n))
def test_text_parsers_no_body(name: str):
    parser, expected_type = PARSERS[name]
    parse_or_invalid(parser, expected_type, (), None)


def test_json_parser_no_body():
    parse_or_invalid(json_parsing.parse_entity, EntityDoc, (), None)


# -- robustness of validation on what the parsers give ---------------------------------------------


def _registry(templates: list[Any]) -> Any:
    return catalog.with_extra("1.2", templates) if templates else catalog.static_categories("1.2")


def _resolve_everything(registry: Any, doc: EntityDoc | ActionDoc, data: st.DataObject) -> None:
    try:
        if isinstance(doc, EntityDoc):
            kind = data.draw(st.one_of(st.none(), st.sampled_from(registry.kinds)))
            purpose = data.draw(st.sampled_from(["create", "replace", "update"]))
            validation.resolve_entity(doc, registry, kind=kind, purpose=purpose)
        else:
            allowed = data.draw(st.lists(st.sampled_from(registry.actions), unique=True))
            term = data.draw(st.one_of(st.none(), st.sampled_from(["start", "stop", "x"])))
            validation.resolve_action(doc, registry, allowed=allowed, expected_term=term)
    except InvalidInput as error:
        assert isinstance(error.message, str) and error.message


_DOC_PARSERS = [
    parser_for(media_type, operation)
    for media_type in ENTITY_TYPES
    for operation in ("parse_entity", "parse_action")
]


@ROBUSTNESS
@given(data=st.data())
def test_validation_of_parsed_renderings(data: st.DataObject):
    # Unmutated renderings too: they get furthest into the validation.
    mutate = data.draw(st.booleans())
    if mutate:
        headers, body, templates = data.draw(mutated_renderings())
    else:
        _, rendered, templates = data.draw(renderings())
        headers, body = list(rendered.headers), rendered.body
    registry = _registry(templates)
    for parser in _DOC_PARSERS:
        try:
            doc = parser(headers, body)
        except InvalidInput:
            continue
        _resolve_everything(registry, doc, data)


@ROBUSTNESS
@given(data=st.data(), doc=st.one_of(s.entity_docs, s.action_docs))
def test_validation_of_random_documents(data: st.DataObject, doc: EntityDoc | ActionDoc):
    templates = [data.draw(s.os_templates), data.draw(s.resource_templates)]
    _resolve_everything(_registry(templates), doc, data)


# -- the JSON schema -------------------------------------------------------------------------

_VALIDATORS: dict[str, jsonschema.Draft4Validator] = {}


def assert_schema_valid(document: Any, definition: str) -> None:
    validator = _VALIDATORS.get(definition)
    if validator is None:
        validator = _VALIDATORS[definition] = jsonschema.Draft4Validator(
            schema.definition(definition)
        )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, errors


def _json(rendered: Rendered) -> Any:
    assert rendered.content_type == JSON
    return json.loads(rendered.body)


SCHEMA = settings(max_examples=100, deadline=None, suppress_health_check=SUPPRESSED)


@SCHEMA
@given(data=st.data(), base_url=base_urls, version=st.sampled_from(VERSIONS))
def test_schema_resource_and_links(data: st.DataObject, base_url: str, version: str):
    renderer = JSONRenderer(base_url, version)
    resource = data.draw(s.resources(version))
    assert_schema_valid(_json(renderer.resource(resource)), "resource")
    for link in resource.links:
        if link.source:
            assert_schema_valid(_json(renderer.link(link)), "link")
    assert_schema_valid(_json(renderer.link(data.draw(s.links(version)))), "link")


@SCHEMA
@given(data=st.data(), base_url=base_urls)
def test_schema_collections(data: st.DataObject, base_url: str):
    renderer = JSONRenderer(base_url)
    entities = data.draw(_entities("1.2"))
    document = _json(renderer.entities(entities))
    assert_schema_valid(document, "model")
    if document.get("resources") and not document.get("links"):
        assert_schema_valid(document, "resource_collection")
    if document.get("links") and not document.get("resources"):
        assert_schema_valid(document, "link_collection")


@SCHEMA
@given(data=st.data(), base_url=base_urls, version=st.sampled_from(VERSIONS))
def test_schema_query(data: st.DataObject, base_url: str, version: str):
    renderer = JSONRenderer(base_url, version)
    kinds, mixins, actions = data.draw(s.category_sets(version))
    document = _json(renderer.query(kinds, mixins, actions))
    assert_schema_valid(document, "model")
    for key, definition in (("kinds", "kind"), ("mixins", "mixin"), ("actions", "action")):
        for item in document.get(key, []):
            assert_schema_valid(item, definition)


@SCHEMA
@given(data=st.data())
def test_schema_action_invocation(data: st.DataObject):
    action = data.draw(st.sampled_from(catalog.static_categories("1.2").actions))
    attributes = data.draw(s.attribute_values({a.name: a for a in action.attributes}))
    document = _json(JSONRenderer().action_invocation(action, attributes))
    assert_schema_valid(document, "action_invocation")
