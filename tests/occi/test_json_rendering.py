"""The application/occi+json renderer (occi-spec/1.2/json_rendering.tex)."""

from __future__ import annotations

import json
import math

import jsonschema
import pytest

from ooi.occi import schema
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Link, Mixin, Resource
from ooi.occi.rendering.json import JSONRenderer, attribute_description

BASE = "http://cloud.example.org:8787/occi1.2/"
# Category locations are host-absolute paths with the endpoint's prefix.
PATH = "/occi1.2/"
CORE = "http://schemas.ogf.org/occi/core#"
INFRA = "http://schemas.ogf.org/occi/infrastructure#"
ACTION = "http://schemas.ogf.org/occi/infrastructure/compute/action#"

_VALIDATORS: dict[str, jsonschema.Draft4Validator] = {}


def assert_valid(document: object, definition: str) -> None:
    """``document`` validates against ``definitions/<definition>`` of the OCCI schema."""
    if definition not in _VALIDATORS:
        _VALIDATORS[definition] = jsonschema.Draft4Validator(schema.definition(definition))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in _VALIDATORS[definition].iter_errors(document)
    ]
    assert not errors, errors


def body(rendered) -> object:
    assert rendered.content_type == "application/occi+json"
    return json.loads(rendered.body.decode("utf-8"))


# Small categories of our own, so these tests do not depend on the real ones.
ENTITY = Kind("entity", CORE, "entity", attributes=(Attribute("occi.core.id", mutable=False),))
RESOURCE = Kind("resource", CORE, "resource", parent=ENTITY, location="resource/")
LINK = Kind("link", CORE, "link", parent=ENTITY, location="link/")
START = Action("start", ACTION, "Start")
STOP = Action(
    "stop",
    ACTION,
    "Stop",
    attributes=(Attribute("method", pattern="graceful|acpioff|poweroff", default="poweroff"),),
)
COMPUTE = Kind(
    "compute",
    INFRA,
    "Compute Resource",
    attributes=(
        Attribute("occi.compute.cores", AttributeType.INTEGER, description="Cores"),
        Attribute("occi.compute.memory", AttributeType.NUMBER),
        Attribute(
            "occi.compute.state",
            mutable=False,
            required=True,
            pattern="active|inactive|suspended|error",
        ),
    ),
    parent=RESOURCE,
    actions=(START, STOP),
    location="compute/",
)
STORAGE = Kind("storage", INFRA, "Storage Resource", parent=RESOURCE, location="storage/")
NETWORK = Kind("network", INFRA, "Network Resource", parent=RESOURCE, location="network/")
STORAGELINK = Kind("storagelink", INFRA, "StorageLink", parent=LINK, location="storagelink/")
NETWORKINTERFACE = Kind("networkinterface", INFRA, "NIC", parent=LINK, location="networklink/")
OS_TPL = Mixin("os_tpl", INFRA, "OS Template", location="os_tpl/")
UBUNTU = Mixin(
    "ubuntu",
    "http://schemas.openstack.org/template/os#",
    "Ubuntu 24.04",
    depends=(OS_TPL,),
    applies=(COMPUTE,),
    location="os_tpl/ubuntu",
)
IPNETWORKINTERFACE = Mixin(
    "ipnetworkinterface",
    "http://schemas.ogf.org/occi/infrastructure/networkinterface#",
    "IP network interface",
    attributes=(Attribute("occi.networkinterface.address"),),
    applies=(NETWORKINTERFACE,),
    location="ipnetworkinterface/",
)


def compute(**overrides) -> Resource:
    values = dict(
        kind=COMPUTE,
        id="42",
        title="vm ü",
        mixins=[UBUNTU],
        attributes={
            "occi.compute.state": "active",
            "occi.compute.memory": 2.0,
            "occi.compute.cores": 2,
        },
        actions=[STOP],
        summary="a summary",
        links=[
            Link(
                kind=STORAGELINK,
                id="42_7",
                attributes={"occi.storagelink.deviceid": "/dev/vdb"},
                source="compute/42",
                target="storage/7",
                source_kind=COMPUTE,
                target_kind=STORAGE,
            )
        ],
    )
    values.update(overrides)
    return Resource(**values)


# --- resources -------------------------------------------------------------------------------


def test_resource_members_in_spec_order_with_absolute_link_locations():
    document = body(JSONRenderer(BASE).resource(compute()))
    assert document == {
        "kind": INFRA + "compute",
        "mixins": ["http://schemas.openstack.org/template/os#ubuntu"],
        "attributes": {
            "occi.compute.cores": 2,
            "occi.compute.memory": 2.0,
            "occi.compute.state": "active",
        },
        "actions": [ACTION + "stop"],
        "id": "42",
        "links": [
            {
                "kind": INFRA + "storagelink",
                "attributes": {"occi.storagelink.deviceid": "/dev/vdb"},
                "id": "42_7",
                "source": {"location": BASE + "compute/42", "kind": INFRA + "compute"},
                "target": {"location": BASE + "storage/7", "kind": INFRA + "storage"},
            }
        ],
        "summary": "a summary",
        "title": "vm ü",
    }
    assert list(document) == [
        "kind",
        "mixins",
        "attributes",
        "actions",
        "id",
        "links",
        "summary",
        "title",
    ]
    assert list(document["attributes"]) == sorted(document["attributes"])
    assert_valid(document, "resource")


def test_minimal_resource_omits_empty_arrays_and_nulls_but_keeps_attributes():
    resource = Resource(kind=COMPUTE, id="1", attributes={"occi.compute.hostname": None})
    document = body(JSONRenderer(BASE).resource(resource))
    assert document == {"kind": INFRA + "compute", "attributes": {}, "id": "1"}
    assert_valid(document, "resource")


def test_inline_link_without_source_takes_the_resource():
    link = Link(kind=NETWORKINTERFACE, id="42_n1", target="network/n1")
    document = body(JSONRenderer(BASE).resource(compute(links=[link])))
    assert document["links"][0]["source"] == {
        "location": BASE + "compute/42",
        "kind": INFRA + "compute",
    }
    assert document["links"][0]["target"] == {"location": BASE + "network/n1"}


def test_numbers_keep_int_and_float_and_booleans_stay_booleans():
    resource = compute(attributes={"a.int": 2, "a.float": 2.0, "a.bool": True, "a.zero": 0})
    text = JSONRenderer(BASE).resource(resource).body.decode()
    assert '"a.int":2,' in text
    assert '"a.float":2.0' in text
    assert '"a.bool":true' in text
    assert '"a.zero":0' in text


def test_arrays_and_objects_as_attribute_values():
    resource = compute(attributes={"x.list": ["a", 1], "x.map": {"k": [True, None]}})
    document = body(JSONRenderer(BASE).resource(resource))
    assert document["attributes"] == {"x.list": ["a", 1], "x.map": {"k": [True, None]}}
    assert_valid(document, "resource")


def test_unicode_is_utf8_not_escaped_and_quotes_are_escaped():
    resource = compute(title='Grüße "quoted" \\ back', attributes={"x.s": "日本\n"})
    rendered = JSONRenderer(BASE).resource(resource)
    assert "Grüße".encode() in rendered.body
    assert "日本".encode() in rendered.body
    assert body(rendered)["title"] == 'Grüße "quoted" \\ back'
    assert body(rendered)["attributes"]["x.s"] == "日本\n"


def test_lone_surrogate_still_gives_valid_json():
    rendered = JSONRenderer(BASE).error(400, "bad \ud800 value")
    assert body(rendered) == {"code": 400, "message": "bad \ud800 value"}
    rendered.body.decode("ascii")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, [1.0, math.nan], {"a": math.inf}])
def test_nan_and_infinity_are_refused(value):
    with pytest.raises(ValueError, match="NaN or infinity"):
        JSONRenderer(BASE).resource(compute(attributes={"x.bad": value}))


def test_non_json_values_are_refused_as_valueerror():
    with pytest.raises(ValueError):
        JSONRenderer(BASE).resource(compute(attributes={"x.bad": object()}))


def test_rendering_is_deterministic_whatever_the_attribute_order():
    one = compute(attributes={"b": 1, "a": 2, "c": 3})
    two = compute(attributes={"c": 3, "a": 2, "b": 1})
    renderer = JSONRenderer(BASE)
    assert renderer.resource(one).body == renderer.resource(two).body


def test_versions_render_alike_and_relative_base_gives_paths():
    assert (
        JSONRenderer(BASE, "1.1").resource(compute()).body
        == JSONRenderer(BASE, "1.2").resource(compute()).body
    )
    document = body(JSONRenderer("/").resource(compute()))
    assert document["links"][0]["target"]["location"] == "/storage/7"


# --- links -------------------------------------------------------------------------------------


def test_link_with_external_target_has_no_target_kind():
    link = Link(
        kind=NETWORKINTERFACE,
        id="n-1",
        title="nic",
        mixins=[IPNETWORKINTERFACE],
        attributes={"occi.networkinterface.address": "10.0.0.2"},
        actions=[START],
        source="compute/42",
        source_kind=COMPUTE,
        target="urn:uuid:0b7c",
    )
    document = body(JSONRenderer(BASE).link(link))
    assert document == {
        "kind": INFRA + "networkinterface",
        "mixins": [
            "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"
        ],
        "attributes": {"occi.networkinterface.address": "10.0.0.2"},
        "actions": [ACTION + "start"],
        "id": "n-1",
        "source": {"location": BASE + "compute/42", "kind": INFRA + "compute"},
        "target": {"location": "urn:uuid:0b7c"},
        "title": "nic",
    }
    assert list(document) == [
        "kind",
        "mixins",
        "attributes",
        "actions",
        "id",
        "source",
        "target",
        "title",
    ]
    assert_valid(document, "link")


def test_standalone_link_needs_source_and_target():
    with pytest.raises(ValueError, match="no source"):
        JSONRenderer(BASE).link(Link(kind=STORAGELINK, id="x", target="storage/1"))
    with pytest.raises(ValueError, match="no target"):
        JSONRenderer(BASE).link(Link(kind=STORAGELINK, id="x", source="compute/1"))


# --- collections and other documents --------------------------------------------------------


def test_entity_collection_of_resources_only():
    document = body(JSONRenderer(BASE).entities([compute(), compute(id="43", links=[])]))
    assert list(document) == ["resources"]
    assert [r["id"] for r in document["resources"]] == ["42", "43"]
    assert_valid(document, "resource_collection")
    assert_valid(document, "model")


def test_entity_collection_of_links_only():
    link = compute().links[0]
    document = body(JSONRenderer(BASE).entities([link]))
    assert list(document) == ["links"]
    assert_valid(document, "link_collection")


def test_mixed_entity_collection_uses_the_model_shape():
    resource = compute()
    document = body(JSONRenderer(BASE).entities([resource.links[0], resource]))
    assert list(document) == ["resources", "links"]
    assert document["resources"][0]["links"] == document["links"]
    assert_valid(document, "model")


def test_empty_entity_collection_is_an_empty_object():
    document = body(JSONRenderer(BASE).entities([]))
    assert document == {}
    assert_valid(document, "model")


def test_locations_are_absolute():
    rendered = JSONRenderer(BASE).locations(["compute/1", "http://other/x", "/compute/2"])
    assert body(rendered) == {
        "locations": [BASE + "compute/1", "http://other/x", BASE + "compute/2"]
    }
    assert body(JSONRenderer(BASE).locations([])) == {"locations": []}


def test_empty_and_error():
    renderer = JSONRenderer(BASE)
    assert body(renderer.empty()) == {}
    assert body(renderer.error(404, 'no "compute/9"')) == {
        "code": 404,
        "message": 'no "compute/9"',
    }


def test_action_invocation_document():
    rendered = JSONRenderer(BASE).action_invocation(STOP, {"method": "graceful"})
    document = body(rendered)
    assert document == {"action": ACTION + "stop", "attributes": {"method": "graceful"}}
    assert_valid(document, "action_invocation")
    assert body(JSONRenderer(BASE).action_invocation(START)) == {"action": ACTION + "start"}


# --- categories and the query interface --------------------------------------------------


def test_kind_document():
    document = JSONRenderer(BASE).kind_document(COMPUTE)
    assert list(document) == [
        "term",
        "scheme",
        "title",
        "attributes",
        "actions",
        "parent",
        "location",
    ]
    assert document["parent"] == CORE + "resource"
    assert document["location"] == PATH + "compute/"
    assert document["actions"] == [ACTION + "start", ACTION + "stop"]
    assert document["attributes"]["occi.compute.cores"] == {
        "mutable": True,
        "required": False,
        "type": "number",
        "description": "Cores",
    }
    assert_valid(document, "kind")


def test_entity_kind_has_no_location_and_no_empty_members():
    document = JSONRenderer(BASE).kind_document(Kind("entity", CORE, "entity"))
    assert document == {"term": "entity", "scheme": CORE, "title": "entity"}
    assert_valid(document, "kind")


def test_mixin_document():
    document = JSONRenderer(BASE).mixin_document(UBUNTU)
    assert document == {
        "term": "ubuntu",
        "scheme": "http://schemas.openstack.org/template/os#",
        "title": "Ubuntu 24.04",
        "depends": [INFRA + "os_tpl"],
        "applies": [INFRA + "compute"],
        "location": PATH + "os_tpl/ubuntu",
    }
    assert_valid(document, "mixin")


def test_mixin_without_location_is_a_programming_error():
    with pytest.raises(ValueError, match="has no location"):
        JSONRenderer(BASE).mixin_document(Mixin("tag", "http://example.org/tags#"))


def test_action_document():
    document = JSONRenderer(BASE).action_document(STOP)
    assert document == {
        "term": "stop",
        "scheme": ACTION,
        "title": "Stop",
        "attributes": {
            "method": {
                "mutable": True,
                "required": False,
                "type": "string",
                "pattern": {
                    "$schema": "http://json-schema.org/draft-04/schema#",
                    "type": "string",
                    "pattern": "^(?:graceful|acpioff|poweroff)$",
                },
                "default": "poweroff",
            }
        },
    }
    assert_valid(document, "action")


def test_query_interface_is_the_model_shape():
    rendered = JSONRenderer(BASE).query(
        [ENTITY, RESOURCE, COMPUTE], [OS_TPL, UBUNTU], [START, STOP]
    )
    document = body(rendered)
    assert list(document) == ["kinds", "mixins", "actions"]
    assert [k["term"] for k in document["kinds"]] == ["entity", "resource", "compute"]
    assert_valid(document, "model")
    assert_valid({"kinds": document["kinds"]}, "kind_collection")
    assert_valid({"mixins": document["mixins"]}, "mixin_collection")
    assert_valid({"actions": document["actions"]}, "action_collection")


def test_query_interface_omits_empty_arrays():
    assert body(JSONRenderer(BASE).query([COMPUTE], [], [])).keys() == {"kinds"}


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_real_query_interface_validates(version):
    catalog = pytest.importorskip("ooi.occi.catalog")
    registry = catalog.static_categories(version)
    document = body(
        JSONRenderer(BASE, version).query(registry.kinds, registry.mixins, registry.actions)
    )
    assert_valid(document, "model")
    for kind in document["kinds"]:
        if kind["scheme"] + kind["term"] != CORE + "entity":
            assert kind["location"].startswith(PATH), kind


# --- attribute descriptions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute_type", "json_type"),
    [
        (AttributeType.STRING, "string"),
        (AttributeType.INTEGER, "number"),
        (AttributeType.NUMBER, "number"),
        (AttributeType.BOOLEAN, "boolean"),
        (AttributeType.ARRAY, "array"),
        (AttributeType.OBJECT, "object"),
    ],
)
def test_attribute_types(attribute_type, json_type):
    description = attribute_description(Attribute("x.y", attribute_type, mutable=False))
    assert description == {"mutable": False, "required": False, "type": json_type}
    assert_valid({"x.y": description}, "attribute_description")


def test_pattern_is_an_anchored_json_schema_for_the_value():
    description = attribute_description(Attribute("occi.compute.architecture", pattern="x86|x64"))
    value_schema = description["pattern"]
    assert value_schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    validator = jsonschema.Draft4Validator(value_schema)
    assert validator.is_valid("x86")
    assert validator.is_valid("x64")
    # The model's pattern must match the whole value; JSON Schema patterns search.
    assert not validator.is_valid("x866")
    assert not validator.is_valid("ax64")
    assert not validator.is_valid(86)


def test_integer_pattern_says_integer_inside_the_value_schema():
    description = attribute_description(
        Attribute("occi.network.vlan", AttributeType.INTEGER, pattern="[0-9]+")
    )
    assert description["type"] == "number"
    assert description["pattern"]["type"] == "integer"
    assert not jsonschema.Draft4Validator(description["pattern"]).is_valid(1.5)


def test_defaults_keep_their_type():
    assert (
        attribute_description(Attribute("a", AttributeType.NUMBER, default=2.0))["default"] == 2.0
    )
    assert (
        attribute_description(Attribute("a", AttributeType.BOOLEAN, default=False))["default"]
        is False
    )


def test_array_default_follows_the_prose_not_the_schema_slip():
    # json_rendering.tex §Attribute Description Rendering allows array and object defaults;
    # the published schema only number/string/boolean (occi-essentials.md §7).
    description = attribute_description(Attribute("a", AttributeType.ARRAY, default=["x"]))
    assert description["default"] == ["x"]
    validator = jsonschema.Draft4Validator(schema.definition("attribute_description"))
    assert not validator.is_valid({"a": description})


def test_core_attributes_are_members_never_attributes():
    resource = compute(attributes={"occi.core.id": "x", "occi.core.title": "t", "a.b": 1})
    document = body(JSONRenderer(BASE).resource(resource))
    assert document["attributes"] == {"a.b": 1}
    assert (document["id"], document["title"]) == ("42", "vm ü")
