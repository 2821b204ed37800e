"""The examples of occi-spec/1.2/json_rendering.tex §JSON Rendering Examples as test vectors.

Copied from the spec with its known slips fixed (occi-spec/README.md, occi-essentials.md §7):
``occi.infrastructure.networkinterface.*`` → ``occi.networkinterface.*``; the 1.1 attribute
``occi.compute.speed`` dropped from the resource and replaced by ``occi.compute.share`` (an
integer) in the mixin; ``resourcetpl`` → ``resource_tpl``; the ``"location:`` quoting typo; the
networkinterface ``up``/``down`` actions the infrastructure document never defines removed; and
two plain JSON errors in the Kind example (a missing comma, ``"\\S+"`` written unescaped).

Copyright (C) Open Grid Forum (2009-2016). All Rights Reserved. (The examples are derived from
the OGF document; see ooi/occi/schema.py for the full notice.)

Each example validates against its schema definition, parses, and is rendered back identically
from the model it describes.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from ooi.occi import schema
from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Link, Mixin, Resource
from ooi.occi.parsing.json import parse_action, parse_categories, parse_entity
from ooi.occi.rendering.json import JSONRenderer

# §Resouce Instance Example
RESOURCE_EXAMPLE = """
{
    "kind": "http://schemas.ogf.org/occi/infrastructure#compute",
    "mixins": [
        "http://example.com/occi/infrastructure/os_tpl#debian9",
        "http://example.com/occi/infrastructure/resource_tpl#medium"
    ],
    "attributes": {
        "occi.compute.memory": 4,
        "occi.compute.cores": 2,
        "com.example.occi.templates.myosmixin": {
            "mykey": "myvalue"
        }
    },
    "actions": [
        "http://schemas.ogf.org/occi/infrastructure/compute/action#start"
    ],
    "id": "urn:uuid:996ad860-2a9a-504f-8861-aeafd0b2ae29",
    "links": [
        {
            "kind":"http://schemas.ogf.org/occi/infrastructure#networkinterface",
            "mixins":[
                "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"
            ],
            "attributes":{
                "occi.networkinterface.interface":"eth0",
                "occi.networkinterface.mac":"00:80:41:ae:fd:7e",
                "occi.networkinterface.address":"192.168.0.100",
                "occi.networkinterface.gateway":"192.168.0.1",
                "occi.networkinterface.allocation":"dynamic"
            },
            "id":"urn:uuid:22fe83ae-a20f-54fc-b436-cec85c94c5e8",
            "target": {
                "location":"/network/b7d55bf4-7057-5113-85c8-141871bf7635",
                "kind":"http://schemas.ogf.org/occi/infrastructure#network"
            },
            "source": {
                "location":"/compute/996ad860-2a9a-504f-8861-aeafd0b2ae29",
                "kind":"http://schemas.ogf.org/occi/infrastructure#compute"
            }
        }
    ]
}
"""

# §Action Invocation Example
ACTION_INVOCATION_EXAMPLE = """
{
    "action":"http://schemas.ogf.org/occi/infrastructure/compute/action#stop",
    "attributes":{
        "method":"graceful"
    }
}
"""

# §Link Instance Example
LINK_EXAMPLE = """
{
    "kind":"http://schemas.ogf.org/occi/infrastructure#networkinterface",
    "mixins":[
        "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"
    ],
    "attributes":{
        "occi.networkinterface.interface":"eth0",
        "occi.networkinterface.mac":"00:80:41:ae:fd:7e",
        "occi.networkinterface.address":"192.168.0.100",
        "occi.networkinterface.gateway":"192.168.0.1",
        "occi.networkinterface.allocation":"dynamic"
    },
    "id":"urn:uuid:22fe83ae-a20f-54fc-b436-cec85c94c5e8",
    "target": {
        "location":"/network/b7d55bf4-7057-5113-85c8-141871bf7635",
        "kind":"http://schemas.ogf.org/occi/infrastructure#network"
    },
    "source": {
        "location":"/compute/996ad860-2a9a-504f-8861-aeafd0b2ae29",
        "kind":"http://schemas.ogf.org/occi/infrastructure#compute"
    }
}
"""

# §Kind Instance Example
KIND_EXAMPLE = r"""
{
    "term":"compute",
    "scheme":"http://schemas.ogf.org/occi/infrastructure#",
    "title":"ComputeResource",
    "parent":"http://schemas.ogf.org/occi/core#resource",
    "attributes":{
        "occi.compute.hostname":{
            "mutable":true,
            "required":false,
            "type":"string",
            "description":"Hostname of the compute resource",
            "pattern": {
                "$schema": "http://json-schema.org/draft-04/schema#",
                "type": "string",
                "pattern": "\\S+"
            }
        },
        "occi.compute.state":{
            "mutable":false,
            "required":false,
            "type":"string",
            "default":"inactive",
            "description":"State the compute resource is in"
        }
    },
    "actions":[
        "http://schemas.ogf.org/occi/infrastructure/compute/action#start",
        "http://schemas.ogf.org/occi/infrastructure/compute/action#stop",
        "http://schemas.ogf.org/occi/infrastructure/compute/action#restart",
        "http://schemas.ogf.org/occi/infrastructure/compute/action#suspend"
    ],
    "location":"/compute/"
}
"""

# §Mixin Instance Example
MIXIN_EXAMPLE = """
{
    "term":"medium",
    "scheme":"http://example.com/template/resource#",
    "depends":[
        "http://schemas.ogf.org/occi/infrastructure#resource_tpl"
    ],
    "applies":[
        "http://schemas.ogf.org/occi/infrastructure#compute"
    ],
    "attributes":{
        "occi.compute.share":{
            "type":"number",
            "default":2
        }
    },
    "title":"MediumVM",
    "location":"/template/resource/medium/"
}
"""

# §Action Instance Example
ACTION_EXAMPLE = """
{
    "term":"stop",
    "scheme":"http://schemas.ogf.org/occi/infrastructure/compute/action#",
    "title":"StopComputeinstance",
    "attributes":{
        "method":{
            "mutable":true,
            "required":false,
            "type":"string",
            "default":"poweroff"
        }
    }
}
"""

EXAMPLES = {
    "resource": RESOURCE_EXAMPLE,
    "action_invocation": ACTION_INVOCATION_EXAMPLE,
    "link": LINK_EXAMPLE,
    "kind": KIND_EXAMPLE,
    "mixin": MIXIN_EXAMPLE,
    "action": ACTION_EXAMPLE,
}

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE_ACTIONS = "http://schemas.ogf.org/occi/infrastructure/compute/action#"
NIC_ATTRIBUTES = {
    "occi.networkinterface.interface": "eth0",
    "occi.networkinterface.mac": "00:80:41:ae:fd:7e",
    "occi.networkinterface.address": "192.168.0.100",
    "occi.networkinterface.gateway": "192.168.0.1",
    "occi.networkinterface.allocation": "dynamic",
}
COMPUTE_LOCATION = "/compute/996ad860-2a9a-504f-8861-aeafd0b2ae29"
NETWORK_LOCATION = "/network/b7d55bf4-7057-5113-85c8-141871bf7635"


def load(example: str) -> dict:
    return json.loads(example)


@pytest.mark.parametrize(("definition", "example"), EXAMPLES.items())
def test_example_validates_against_its_definition(definition, example):
    validator = jsonschema.Draft4Validator(schema.definition(definition))
    assert [e.message for e in validator.iter_errors(load(example))] == []
    # ... and against the whole schema, as any OCCI message.
    assert jsonschema.Draft4Validator(schema.load_schema()).is_valid(load(example))


# --- from type identifiers to model objects, as the layers above would ------------------------


def split(type_id: str) -> tuple[str, str]:
    scheme, _, term = type_id.partition("#")
    return term, scheme + "#"


def kind(type_id: str) -> Kind:
    return Kind(*split(type_id))


def mixin(type_id: str) -> Mixin:
    term, scheme = split(type_id)
    return Mixin(term, scheme, location=term + "/")


def model_link(attributes: dict, target: str | None, target_kind: str | None, **fields) -> Link:
    values = dict(attributes)
    link_id = values.pop("occi.core.id")
    source = values.pop("occi.core.source")
    source_kind = values.pop("occi.core.source.kind")
    target = values.pop("occi.core.target", target)
    target_kind = values.pop("occi.core.target.kind", target_kind)
    return Link(
        id=link_id,
        attributes=values,
        source=source,
        source_kind=kind(source_kind),
        target=target,
        target_kind=kind(target_kind),
        **fields,
    )


def resource_from(doc: EntityDoc) -> Resource:
    values = dict(doc.attributes)
    resource_id = values.pop("occi.core.id")
    return Resource(
        kind=kind(doc.kind),
        id=resource_id,
        mixins=[mixin(m) for m in doc.mixins],
        attributes=values,
        links=[
            model_link(
                link.attributes,
                link.target,
                link.target_kind,
                kind=kind(link.kind),
                mixins=[mixin(m) for m in link.mixins],
            )
            for link in doc.links
        ],
    )


# --- entities ----------------------------------------------------------------------------------


def test_resource_example_parses():
    doc = parse_entity([], RESOURCE_EXAMPLE.encode())
    assert doc == EntityDoc(
        kind=INFRA + "compute",
        mixins=[
            "http://example.com/occi/infrastructure/os_tpl#debian9",
            "http://example.com/occi/infrastructure/resource_tpl#medium",
        ],
        attributes={
            "occi.compute.memory": 4,
            "occi.compute.cores": 2,
            "com.example.occi.templates.myosmixin": {"mykey": "myvalue"},
            "occi.core.id": "urn:uuid:996ad860-2a9a-504f-8861-aeafd0b2ae29",
        },
        links=[
            LinkDoc(
                target=NETWORK_LOCATION,
                target_kind=INFRA + "network",
                kind=INFRA + "networkinterface",
                mixins=[
                    "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"
                ],
                attributes={
                    **NIC_ATTRIBUTES,
                    "occi.core.id": "urn:uuid:22fe83ae-a20f-54fc-b436-cec85c94c5e8",
                    "occi.core.source": COMPUTE_LOCATION,
                    "occi.core.source.kind": INFRA + "compute",
                },
            )
        ],
    )


def test_resource_example_renders_back():
    resource = resource_from(parse_entity([], RESOURCE_EXAMPLE.encode()))
    # Actions are what the server says applies now; the parser ignores them on input.
    resource.actions = [Action("start", COMPUTE_ACTIONS)]
    assert json.loads(JSONRenderer("/").resource(resource).body) == load(RESOURCE_EXAMPLE)


def test_link_example_parses_and_renders_back():
    doc = parse_entity([], LINK_EXAMPLE.encode())
    assert doc == EntityDoc(
        kind=INFRA + "networkinterface",
        mixins=["http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"],
        attributes={
            **NIC_ATTRIBUTES,
            "occi.core.id": "urn:uuid:22fe83ae-a20f-54fc-b436-cec85c94c5e8",
            "occi.core.source": COMPUTE_LOCATION,
            "occi.core.source.kind": INFRA + "compute",
            "occi.core.target": NETWORK_LOCATION,
            "occi.core.target.kind": INFRA + "network",
        },
    )
    link = model_link(
        doc.attributes, None, None, kind=kind(doc.kind), mixins=[mixin(m) for m in doc.mixins]
    )
    assert json.loads(JSONRenderer("/").link(link).body) == load(LINK_EXAMPLE)


def test_action_invocation_example_parses_and_renders_back():
    doc = parse_action([], ACTION_INVOCATION_EXAMPLE.encode())
    assert doc == ActionDoc(COMPUTE_ACTIONS + "stop", {"method": "graceful"})
    rendered = JSONRenderer("/").action_invocation(Action(*split(doc.action)), doc.attributes)
    assert json.loads(rendered.body) == load(ACTION_INVOCATION_EXAMPLE)


# --- categories --------------------------------------------------------------------------------

STOP = Action(
    "stop",
    COMPUTE_ACTIONS,
    "StopComputeinstance",
    attributes=(Attribute("method", default="poweroff"),),
)
COMPUTE = Kind(
    "compute",
    INFRA,
    "ComputeResource",
    attributes=(
        Attribute(
            "occi.compute.hostname",
            description="Hostname of the compute resource",
            pattern=r"\S+",
        ),
        Attribute(
            "occi.compute.state",
            mutable=False,
            default="inactive",
            description="State the compute resource is in",
        ),
    ),
    parent=Kind("resource", "http://schemas.ogf.org/occi/core#"),
    actions=(
        Action("start", COMPUTE_ACTIONS),
        STOP,
        Action("restart", COMPUTE_ACTIONS),
        Action("suspend", COMPUTE_ACTIONS),
    ),
    location="compute/",
)
MEDIUM = Mixin(
    "medium",
    "http://example.com/template/resource#",
    "MediumVM",
    attributes=(Attribute("occi.compute.share", AttributeType.INTEGER, mutable=False, default=2),),
    depends=(Mixin("resource_tpl", INFRA),),
    applies=(COMPUTE,),
    location="template/resource/medium/",
)


def test_kind_example_parses_and_renders_back():
    assert parse_categories([], KIND_EXAMPLE.encode()) == [
        CategoryDoc(
            term="compute",
            scheme=INFRA,
            category_class="kind",
            title="ComputeResource",
            related=["http://schemas.ogf.org/occi/core#resource"],
            location="/compute/",
            attributes=["occi.compute.hostname", "occi.compute.state"],
            actions=[COMPUTE_ACTIONS + t for t in ("start", "stop", "restart", "suspend")],
        )
    ]
    expected = load(KIND_EXAMPLE)
    # The model's pattern must match the whole value, so the rendering anchors it.
    expected["attributes"]["occi.compute.hostname"]["pattern"]["pattern"] = r"^(?:\S+)$"
    assert JSONRenderer("/").kind_document(COMPUTE) == expected


def test_mixin_example_parses_and_renders_back():
    assert parse_categories([], MIXIN_EXAMPLE.encode()) == [
        CategoryDoc(
            term="medium",
            scheme="http://example.com/template/resource#",
            category_class="mixin",
            title="MediumVM",
            related=[INFRA + "resource_tpl"],
            location="/template/resource/medium/",
            attributes=["occi.compute.share"],
        )
    ]
    expected = load(MIXIN_EXAMPLE)
    # We always say mutable and required (rOCCI 5 needs them); the spec's defaults are false.
    expected["attributes"]["occi.compute.share"].update(mutable=False, required=False)
    assert JSONRenderer("/").mixin_document(MEDIUM) == expected


def test_action_example_parses_and_renders_back():
    assert parse_categories([], ACTION_EXAMPLE.encode()) == [
        CategoryDoc(
            term="stop", scheme=COMPUTE_ACTIONS, title="StopComputeinstance", attributes=["method"]
        )
    ]
    assert JSONRenderer("/").action_document(STOP) == load(ACTION_EXAMPLE)


def test_query_interface_of_the_examples_validates():
    document = json.loads(JSONRenderer("/").query([COMPUTE], [MEDIUM], [STOP]).body)
    validator = jsonschema.Draft4Validator(schema.definition("model"))
    assert [e.message for e in validator.iter_errors(document)] == []
    assert (
        document["kinds"][0]["attributes"] == JSONRenderer("/").kind_document(COMPUTE)["attributes"]
    )


# --- the schema module -------------------------------------------------------------------------


def test_schema_is_a_usable_draft_04_schema_with_repaired_references():
    loaded = schema.load_schema()
    jsonschema.Draft4Validator.check_schema(loaded)
    assert loaded["id"] == schema.SCHEMA_ID
    assert "#definitions/" not in json.dumps(loaded)
    assert set(schema.definition_names()) >= {"resource", "link", "kind", "mixin", "model"}


def test_load_schema_returns_independent_copies():
    schema.load_schema()["definitions"].clear()
    assert schema.load_schema()["definitions"]


def test_definition_accepts_only_its_own_shape():
    link_only = jsonschema.Draft4Validator(schema.definition("link"))
    assert not link_only.is_valid(load(RESOURCE_EXAMPLE))
    assert link_only.is_valid(load(LINK_EXAMPLE))
    with pytest.raises(KeyError):
        schema.definition("nothing")


def test_whole_schema_accepts_any_object_through_its_attributes_branch():
    # Why renderings are checked against single definitions (see ooi/occi/schema.py).
    assert jsonschema.Draft4Validator(schema.load_schema()).is_valid({"code": 404, "x": "y"})
