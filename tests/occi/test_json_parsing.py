"""The application/occi+json parser: shapes accepted, errors for everything else."""

from __future__ import annotations

import contextlib
import json
import random

import pytest

from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Link, Mixin, Resource
from ooi.occi.parsing.json import (
    parse_action,
    parse_categories,
    parse_entity,
    parse_locations,
)
from ooi.occi.rendering.json import JSONRenderer

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
CORE = "http://schemas.ogf.org/occi/core#"
COMPUTE_ID = INFRA + "compute"
HEADERS = [("Content-Type", "application/occi+json")]


def dumps(document: object) -> bytes:
    return json.dumps(document).encode()


# --- entities ----------------------------------------------------------------------------------


def test_resource_document():
    document = {
        "kind": COMPUTE_ID,
        "mixins": ["http://schemas.openstack.org/template/os#ubuntu"],
        "attributes": {"occi.compute.cores": 2, "occi.compute.memory": 1.5, "x.flag": False},
        "actions": ["ignored on input"],
        "id": "42",
        "title": "vm",
        "summary": "sum",
        "links": [
            {
                "kind": INFRA + "storagelink",
                "mixins": [],
                "attributes": {"occi.storagelink.deviceid": "/dev/vdb"},
                "id": "l1",
                "title": "disk",
                "source": {"location": "/compute/42", "kind": COMPUTE_ID},
                "target": {"location": "/storage/7", "kind": INFRA + "storage"},
            },
            {"kind": INFRA + "networkinterface", "target": "/network/PUBLIC"},
        ],
    }
    assert parse_entity(HEADERS, dumps(document)) == EntityDoc(
        kind=COMPUTE_ID,
        mixins=["http://schemas.openstack.org/template/os#ubuntu"],
        attributes={
            "occi.compute.cores": 2,
            "occi.compute.memory": 1.5,
            "x.flag": False,
            "occi.core.id": "42",
            "occi.core.title": "vm",
            "occi.core.summary": "sum",
        },
        links=[
            LinkDoc(
                target="/storage/7",
                target_kind=INFRA + "storage",
                kind=INFRA + "storagelink",
                attributes={
                    "occi.storagelink.deviceid": "/dev/vdb",
                    "occi.core.id": "l1",
                    "occi.core.title": "disk",
                    "occi.core.source": "/compute/42",
                    "occi.core.source.kind": COMPUTE_ID,
                },
            ),
            LinkDoc(target="/network/PUBLIC", kind=INFRA + "networkinterface"),
        ],
    )


def test_number_types_survive():
    doc = parse_entity([], b'{"attributes": {"a": 2, "b": 2.0, "c": 1e3, "d": true}}')
    assert doc.attributes == {"a": 2, "b": 2.0, "c": 1000.0, "d": True}
    assert type(doc.attributes["a"]) is int
    assert type(doc.attributes["b"]) is float


def test_link_document_on_its_own():
    document = {
        "kind": INFRA + "networkinterface",
        "attributes": {"occi.networkinterface.mac": "aa:bb"},
        "id": "n1",
        "source": {"location": "http://h/compute/42", "kind": COMPUTE_ID},
        "target": {"location": "http://h/network/1"},
    }
    assert parse_entity([], dumps(document)) == EntityDoc(
        kind=INFRA + "networkinterface",
        attributes={
            "occi.networkinterface.mac": "aa:bb",
            "occi.core.id": "n1",
            "occi.core.source": "http://h/compute/42",
            "occi.core.source.kind": COMPUTE_ID,
            "occi.core.target": "http://h/network/1",
        },
    )


def test_partial_update_without_kind():
    doc = parse_entity([], b'{"mixins": ["http://x/y#z"], "title": "new"}')
    assert doc == EntityDoc(mixins=["http://x/y#z"], attributes={"occi.core.title": "new"})


def test_top_level_members_win_over_attributes():
    doc = parse_entity([], b'{"title": "top", "attributes": {"occi.core.title": "inner"}}')
    assert doc.attributes == {"occi.core.title": "top"}


def test_null_members_count_as_absent_and_unknown_members_are_ignored():
    doc = parse_entity(
        [], b'{"kind": "k", "mixins": null, "title": null, "location": "/x", "rel": 1}'
    )
    assert doc == EntityDoc(kind="k")


def test_one_entity_collection_is_unwrapped():
    resource = {"kind": COMPUTE_ID, "id": "1"}
    assert parse_entity([], dumps({"resources": [resource]})) == parse_entity([], dumps(resource))
    link = {"kind": "k", "id": "l", "source": "/a", "target": "/b"}
    assert parse_entity([], dumps({"links": [link]})).attributes["occi.core.target"] == "/b"


def test_collections_of_several_entities_are_refused():
    with pytest.raises(InvalidInput, match="one entity, the collection holds 2"):
        parse_entity([], dumps({"resources": [{"kind": "a"}, {"kind": "b"}]}))
    with pytest.raises(InvalidInput, match="holds 0"):
        parse_entity([], dumps({"resources": []}))


def test_bom_string_body_and_headers_are_accepted():
    assert parse_entity([("X-Any", "thing")], "\ufeff{}".encode()) == EntityDoc()
    assert parse_entity([], '{"kind": "k"}') == EntityDoc(kind="k")


# --- actions -----------------------------------------------------------------------------------


def test_action_invocation():
    body = b'{"action": "http://a#stop", "attributes": {"method": "graceful"}}'
    assert parse_action([], body) == ActionDoc("http://a#stop", {"method": "graceful"})
    assert parse_action([], b'{"action": "http://a#start"}') == ActionDoc("http://a#start")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{}", "action is missing"),
        (b'{"action": 3}', "action must be a string, not a number"),
        (b'{"action": "a", "attributes": []}', "attributes must be an object"),
        (b'{"action": "a", "attributes": {"m": null}}', 'attributes["m"] must not be null'),
    ],
)
def test_bad_action_invocations(body, message):
    with pytest.raises(InvalidInput, match=message.replace("[", r"\[")):
        parse_action([], body)


# --- categories --------------------------------------------------------------------------------


def test_user_mixin_definitions():
    body = dumps(
        {
            "mixins": [
                {
                    "term": "mine",
                    "scheme": "http://users.example/u1#",
                    "title": "My stuff",
                    "location": "/mine/",
                    "depends": ["http://users.example/u1#base"],
                    "applies": [COMPUTE_ID],
                    "attributes": {"x.a": {"type": "string"}},
                    "actions": ["http://users.example/u1/action#go"],
                },
                {"term": "tag", "scheme": "http://users.example/u1#", "location": "/tag/"},
            ]
        }
    )
    assert parse_categories([], body) == [
        CategoryDoc(
            term="mine",
            scheme="http://users.example/u1#",
            category_class="mixin",
            title="My stuff",
            related=["http://users.example/u1#base"],
            location="/mine/",
            attributes=["x.a"],
            actions=["http://users.example/u1/action#go"],
        ),
        CategoryDoc(
            term="tag", scheme="http://users.example/u1#", category_class="mixin", location="/tag/"
        ),
    ]


def test_kinds_and_actions_arrays_and_class_from_array():
    body = dumps(
        {
            "kinds": [{"term": "compute", "scheme": INFRA, "parent": CORE + "resource"}],
            "actions": [{"term": "stop", "scheme": "http://a#", "attributes": ["method"]}],
        }
    )
    assert parse_categories([], body) == [
        CategoryDoc("compute", INFRA, "kind", related=[CORE + "resource"]),
        CategoryDoc("stop", "http://a#", "action", attributes=["method"]),
    ]


def test_single_category_object_infers_the_class_when_it_can():
    assert parse_categories([], dumps({"term": "t", "scheme": "s#"})) == [CategoryDoc("t", "s#")]
    assert (
        parse_categories([], dumps({"term": "t", "scheme": "s#", "parent": "p"}))[0].category_class
        == "kind"
    )
    assert (
        parse_categories([], dumps({"term": "t", "scheme": "s#", "depends": ["d"]}))[
            0
        ].category_class
        == "mixin"
    )


def test_no_categories():
    assert parse_categories([], b"{}") == []
    assert parse_categories([], b'{"mixins": []}') == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"resources": []}, "expected a category"),
        ({"mixins": [{"scheme": "s#"}]}, r"mixins\[0\]\.term is missing"),
        ({"mixins": [{"term": "t", "scheme": 1}]}, r"mixins\[0\]\.scheme must be a string"),
        ({"mixins": ["t"]}, r"mixins\[0\] must be an object, not a string"),
        ({"mixins": {}}, "mixins must be an array of objects, not an object"),
        ({"term": "t", "scheme": "s", "depends": "d"}, "depends must be an array of strings"),
        ({"term": "t", "scheme": "s", "attributes": "a"}, "attributes must be an object"),
    ],
)
def test_bad_categories(document, message):
    with pytest.raises(InvalidInput, match=message):
        parse_categories([], dumps(document))


# --- locations ---------------------------------------------------------------------------------


def test_locations_as_array_or_object():
    urls = ["http://h/occi1.2/compute/1", "/compute/2"]
    assert parse_locations([], dumps(urls)) == urls
    assert parse_locations([], dumps({"locations": urls})) == urls
    assert parse_locations([], b"[]") == []
    assert parse_locations([], b"{}") == []


def test_locations_from_an_entity_collection():
    document = {
        "resources": [
            {"kind": COMPUTE_ID, "id": "http://h/compute/1"},
            {"kind": COMPUTE_ID, "id": "9"},
        ],
        "links": [{"kind": INFRA + "storagelink", "id": "1_2", "source": "/a", "target": "/b"}],
    }
    kind_locations = {COMPUTE_ID: "compute/", INFRA + "storagelink": "storagelink/"}
    assert parse_locations([], dumps(document), kind_locations=kind_locations) == [
        "http://h/compute/1",
        "compute/9",
        "storagelink/1_2",
    ]
    with pytest.raises(InvalidInput, match=r"resources\[1\]: cannot tell where entity '9'"):
        parse_locations([], dumps(document))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([1], r"\[0\] must be a location string, not a number"),
        ({"locations": ["", "x"]}, r"locations\[0\] is an empty location"),
        ({"locations": "x"}, "locations must be an array of locations"),
        ({"foo": []}, "expected an array of locations"),
        ({"resources": [{"kind": "k"}]}, r"resources\[0\]\.id is missing"),
        ("x", "must be a JSON object or array, not a string"),
    ],
)
def test_bad_locations(document, message):
    with pytest.raises(InvalidInput, match=message):
        parse_locations([], dumps(document))


# --- malformed input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the body is empty"),
        (b"  \n", "the body is empty"),
        (b"\xff{}", "not UTF-8"),
        (b'{"kind": "\xc3"}', "not UTF-8"),
        (b"{", "invalid JSON"),
        (b'{"kind": "k",}', "invalid JSON"),
        (b"[]", "must be a JSON object, not an array"),
        (b'"x"', "not a string"),
        (b"3", "not a number"),
        (b"null", "not null"),
        (b'{"attributes": {"a": NaN}}', "NaN is not a JSON number"),
        (b'{"attributes": {"a": -Infinity}}', "-Infinity is not a JSON number"),
        (b'{"attributes": {"a": 1e999}}', "too large"),
        (b'{"attributes": {"a": ' + b"1" * 5000 + b"}}", "invalid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "invalid JSON"),
        (b'{"title": "\\ud800"}', "unpaired surrogate"),
        (b'{"attributes": {"\\udfff": 1}}', "unpaired surrogate"),
        (b'{"kind": 1}', "kind must be a string, not a number"),
        (b'{"kind": ["k"]}', "kind must be a string, not an array"),
        (b'{"id": 42}', "id must be a string, not a number"),
        (b'{"title": true}', "title must be a string, not a boolean"),
        (b'{"summary": {}}', "summary must be a string, not an object"),
        (b'{"mixins": "m"}', "mixins must be an array of strings, not a string"),
        (b'{"mixins": ["a", 2]}', r"mixins\[1\] must be a string, not a number"),
        (b'{"attributes": []}', "attributes must be an object of attribute values, not an array"),
        (b'{"attributes": {"": 1}}', "empty name"),
        (b'{"attributes": {"a.b": null}}', r'attributes\["a.b"\] must not be null'),
        (b'{"attributes": {"a": ' + b"[" * 40 + b"]" * 40 + b"}}", "nested more than 32"),
        (b'{"kind": "k", "links": {}}', "links must be an array of objects"),
        (b'{"kind": "k", "links": [1]}', r"links\[0\] must be an object, not a number"),
        (
            b'{"kind": "k", "links": [{}, {"target": {"location": 5}}]}',
            r"links\[1\]\.target\.location must be a string, not a number",
        ),
        (
            b'{"kind": "k", "links": [{"target": {"kind": "k"}}]}',
            r"links\[0\]\.target\.location is missing",
        ),
        (b'{"kind": "k", "links": [{"target": 1}]}', r"links\[0\]\.target must be an object"),
        (b'{"kind": "k", "links": [{"mixins": [1]}]}', r"links\[0\]\.mixins\[0\] must be a string"),
        (
            b'{"kind": "k", "links": [{"attributes": {"x": null}}]}',
            r'links\[0\]\.attributes\["x"\]',
        ),
        (b'{"source": "/a", "links": []}', "a link .* has no links"),
        (b'{"target": {"location": "/a", "kind": 1}}', r"target\.kind must be a string"),
    ],
)
def test_malformed_entities(body, message):
    with pytest.raises(InvalidInput, match=message):
        parse_entity([], body)


def test_deep_but_allowed_values_pass():
    value = [[[[["deep"]]]]]
    assert parse_entity([], dumps({"attributes": {"a": value}})).attributes["a"] == value


def test_paired_surrogate_escapes_are_fine():
    assert parse_entity([], b'{"title": "\\ud83d\\ude00"}').attributes["occi.core.title"] == "😀"


_SAMPLE = dumps(
    {
        "kind": COMPUTE_ID,
        "mixins": ["m#a", "m#b"],
        "attributes": {"a": 1, "b": [1, {"c": None}], "d": "e"},
        "id": "1",
        "links": [
            {
                "kind": "k",
                "id": "l",
                "source": {"location": "/s", "kind": "k"},
                "target": {"location": "/t"},
            }
        ],
    }
)
_PARSERS = [parse_entity, parse_action, parse_categories, parse_locations]


@pytest.mark.parametrize("parser", _PARSERS)
def test_every_prefix_and_mutation_gives_a_result_or_invalidinput(parser):
    bodies = [_SAMPLE[:n] for n in range(len(_SAMPLE))]
    rng = random.Random(1234)
    for _ in range(1500):
        mutated = bytearray(_SAMPLE)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(mutated))
            mutated[position] = rng.choice(b'{}[]",:0123456789.eE-+ntfaxl\\\xff\x00u')
        bodies.append(bytes(mutated))
    for body in bodies:
        with contextlib.suppress(InvalidInput):
            parser([], body)


@pytest.mark.parametrize("parser", _PARSERS)
@pytest.mark.parametrize(
    "document",
    [
        {"kind": None, "mixins": [None], "links": [None]},
        {"resources": [{"id": 1}], "locations": [None], "action": {}},
        {"term": [], "scheme": {}, "mixins": [{"term": 1}]},
        {"attributes": {"a": [1] * 3}, "links": [{"source": [], "target": []}]},
        [{"id": "x"}],
        {"locations": [[]], "resources": "x", "links": 1},
    ],
)
def test_odd_shapes_never_crash(parser, document):
    with contextlib.suppress(InvalidInput):
        parser([], dumps(document))


# --- round trip --------------------------------------------------------------------------------

_NIC = Kind("networkinterface", INFRA, parent=None, location="networklink/")
_STORAGELINK = Kind("storagelink", INFRA, location="storagelink/")
_COMPUTE = Kind("compute", INFRA, location="compute/")
_STORAGE = Kind("storage", INFRA, location="storage/")
_NETWORK = Kind("network", INFRA, location="network/")
_IPNIC = Mixin(
    "ipnetworkinterface",
    "http://schemas.ogf.org/occi/infrastructure/networkinterface#",
    location="ipnetworkinterface/",
)
_OS = Mixin("ubuntu", "http://schemas.openstack.org/template/os#", location="os_tpl/ubuntu")
_FLAVOR = Mixin("m1.tiny", "http://schemas.openstack.org/template/resource#", location="rt/1")


def test_render_then_parse_gives_back_what_went_in():
    base = "http://cloud.example.org/occi1.2/"
    links = [
        Link(
            kind=_NIC,
            id="42_n1",
            mixins=[_IPNIC],
            title='eth0 "primary"',
            attributes={"occi.networkinterface.address": "10.0.0.5", "x.mtu": 1500},
            source="compute/42",
            source_kind=_COMPUTE,
            target="network/n1",
            target_kind=_NETWORK,
        ),
        Link(
            kind=_STORAGELINK,
            id="42_v7",
            attributes={"occi.storagelink.deviceid": "/dev/vdb", "x.ro": False},
            source="compute/42",
            source_kind=_COMPUTE,
            target="storage/v7",
            target_kind=_STORAGE,
        ),
        Link(
            kind=_NIC,
            id="42_ext",
            attributes={"x.note": 'ünïcödé \\ "q" \u2028'},
            source="compute/42",
            target="http://elsewhere.example/net",
        ),
    ]
    resource = Resource(
        kind=_COMPUTE,
        id="42",
        title='Grüße "vm" \\ 日本',
        summary="line1\nline2",
        mixins=[_OS, _FLAVOR],
        attributes={
            "occi.compute.memory": 0.5,
            "occi.compute.cores": 1,
            "x.tags": ["a", "b"],
            "x.meta": {"k": "v", "n": [1, 2.5]},
        },
        links=links,
    )
    rendered = JSONRenderer(base).resource(resource)
    parsed = parse_entity([("Content-Type", rendered.content_type)], rendered.body)
    assert parsed == EntityDoc(
        kind=INFRA + "compute",
        mixins=[
            "http://schemas.openstack.org/template/os#ubuntu",
            "http://schemas.openstack.org/template/resource#m1.tiny",
        ],
        attributes={
            "occi.compute.memory": 0.5,
            "occi.compute.cores": 1,
            "x.tags": ["a", "b"],
            "x.meta": {"k": "v", "n": [1, 2.5]},
            "occi.core.id": "42",
            "occi.core.title": 'Grüße "vm" \\ 日本',
            "occi.core.summary": "line1\nline2",
        },
        links=[
            LinkDoc(
                target=base + "network/n1",
                target_kind=INFRA + "network",
                kind=INFRA + "networkinterface",
                mixins=[
                    "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"
                ],
                attributes={
                    "occi.networkinterface.address": "10.0.0.5",
                    "x.mtu": 1500,
                    "occi.core.id": "42_n1",
                    "occi.core.title": 'eth0 "primary"',
                    "occi.core.source": base + "compute/42",
                    "occi.core.source.kind": INFRA + "compute",
                },
            ),
            LinkDoc(
                target=base + "storage/v7",
                target_kind=INFRA + "storage",
                kind=INFRA + "storagelink",
                attributes={
                    "occi.storagelink.deviceid": "/dev/vdb",
                    "x.ro": False,
                    "occi.core.id": "42_v7",
                    "occi.core.source": base + "compute/42",
                    "occi.core.source.kind": INFRA + "compute",
                },
            ),
            LinkDoc(
                target="http://elsewhere.example/net",
                kind=INFRA + "networkinterface",
                attributes={
                    "x.note": 'ünïcödé \\ "q" \u2028',
                    "occi.core.id": "42_ext",
                    "occi.core.source": base + "compute/42",
                    "occi.core.source.kind": INFRA + "compute",
                },
            ),
        ],
    )


def test_render_then_parse_a_link_and_an_action():
    base = "/"
    link = Link(
        kind=_STORAGELINK,
        id="1_2",
        attributes={"occi.storagelink.deviceid": "/dev/vdc"},
        source="compute/1",
        source_kind=_COMPUTE,
        target="storage/2",
        target_kind=_STORAGE,
    )
    parsed = parse_entity([], JSONRenderer(base).link(link).body)
    assert parsed == EntityDoc(
        kind=INFRA + "storagelink",
        attributes={
            "occi.storagelink.deviceid": "/dev/vdc",
            "occi.core.id": "1_2",
            "occi.core.source": "/compute/1",
            "occi.core.source.kind": INFRA + "compute",
            "occi.core.target": "/storage/2",
            "occi.core.target.kind": INFRA + "storage",
        },
    )
    locations = JSONRenderer(base).locations(["compute/1", "compute/2"]).body
    assert parse_locations([], locations) == ["/compute/1", "/compute/2"]


def test_inline_link_target_attributes_move_to_the_fields():
    body = dumps(
        {
            "kind": COMPUTE_ID,
            "links": [
                {"attributes": {"occi.core.target": "/storage/1", "occi.core.target.kind": "s#k"}},
                {
                    "target": {"location": "/storage/2", "kind": "s#j"},
                    "attributes": {"occi.core.target": "/storage/other", "x": 1},
                },
            ],
        }
    )
    assert parse_entity([], body).links == [
        LinkDoc(target="/storage/1", target_kind="s#k"),
        LinkDoc(target="/storage/2", target_kind="s#j", attributes={"x": 1}),
    ]
