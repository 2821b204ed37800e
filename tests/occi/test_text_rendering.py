"""text/plain, text/occi and text/uri-list renderings, line by line."""

from __future__ import annotations

import re

import pytest

from ooi.occi import core, infrastructure
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Link, Mixin, Resource
from ooi.occi.rendering.text import (
    MAX_HEADER_VALUE,
    TextOCCIRenderer,
    TextPlainRenderer,
    UriListRenderer,
    combine_values,
)
from ooi.occi.textsyntax import split_value

BASE = "http://cloud.example.org:8787/occi1.2/"
# Category locations are host-absolute paths with the endpoint's prefix.
PATH = "/occi1.2/"
INFRA = "http://schemas.ogf.org/occi/infrastructure#"
ACTION_SCHEME = "http://schemas.ogf.org/occi/infrastructure/compute/action#"

START = Action("start", ACTION_SCHEME, "Start")
STOP = Action(
    "stop",
    ACTION_SCHEME,
    "Stop",
    attributes=(Attribute("method", pattern="graceful|acpioff|poweroff"),),
)
COMPUTE = Kind(
    "compute",
    INFRA,
    "Compute Resource",
    attributes=(
        Attribute("occi.compute.cores", AttributeType.INTEGER),
        Attribute("occi.compute.state", mutable=False, required=True),
        Attribute("occi.compute.state.message", mutable=False),
        Attribute("occi.compute.hostname", required=True),
    ),
    parent=core.RESOURCE,
    actions=(START, STOP),
    location="compute/",
)
OS_TPL = Mixin("os_tpl", INFRA, "OS Template", location="os_tpl/")
TAG = Mixin("tag", "http://example.com/tags#", location="tag/")
UBUNTU = Mixin(
    "8b3a",
    "http://schemas.openstack.org/template/os#",
    'Ubuntu, 22.04 "jammy"',
    depends=(OS_TPL, TAG),
    applies=(COMPUTE,),
    location="os_tpl/8b3a",
)


def sample_compute() -> Resource:
    """A compute with two mixins, three links (one to an external URI) and action links; its
    strings are full of quotes, backslashes, commas, semicolons and non-ASCII characters."""
    storagelink = Link(
        infrastructure.STORAGELINK,
        "42_7",
        attributes={
            "occi.storagelink.deviceid": "/dev/vdb",
            "occi.storagelink.state": "active",
        },
        source="compute/42",
        target="storage/7",
        source_kind=COMPUTE,
        target_kind=infrastructure.STORAGE,
    )
    interface = Link(
        infrastructure.NETWORKINTERFACE,
        "42_10.0.0.5",
        title='nic "one", eth0; \\ ü',
        mixins=[infrastructure.IPNETWORKINTERFACE],
        attributes={
            "occi.networkinterface.interface": "eth0",
            "occi.networkinterface.mac": "fa:16:3e:00:00:01",
            "occi.networkinterface.address": "10.0.0.5",
            "occi.networkinterface.allocation": "dynamic",
            "org.example.weight": 0.5,
            "org.example.primary": True,
        },
        source="compute/42",
        target="network/PUBLIC",
        source_kind=COMPUTE,
        target_kind=infrastructure.NETWORK,
    )
    external = Link(
        core.LINK,
        "42_ext",
        attributes={"org.example.count": 3},
        source="compute/42",
        target="http://elsewhere.example.com/thing/9",
    )
    return Resource(
        COMPUTE,
        "42",
        title='vm "one", ☃; back\\slash',
        summary="a summary, with a comma",
        mixins=[UBUNTU, TAG],
        attributes={
            "occi.compute.cores": 2,
            "occi.compute.memory": 2.0,
            "occi.compute.state": "active",
            "occi.compute.hostname": "vm-one",
            "org.example.flag": False,
            "org.example.unset": None,
        },
        actions=[STOP],
        links=[storagelink, interface, external],
    )


# -- Category lines -----------------------------------------------------------------------


def test_kind_in_the_query_interface() -> None:
    value = TextPlainRenderer(BASE).category_value(COMPUTE)
    assert value == (
        "compute; "
        'scheme="http://schemas.ogf.org/occi/infrastructure#"; '
        'class="kind"; '
        'title="Compute Resource"; '
        'rel="http://schemas.ogf.org/occi/core#resource"; '
        f'location="{PATH}compute/"; '
        'attributes="occi.compute.cores occi.compute.state{immutable required} '
        'occi.compute.state.message{immutable} occi.compute.hostname{required}"; '
        f'actions="{ACTION_SCHEME}start {ACTION_SCHEME}stop"'
    )


def test_mixin_rel_is_its_first_depends_and_applies_is_never_rendered() -> None:
    value = TextPlainRenderer(BASE).category_value(UBUNTU)
    assert value == (
        "8b3a; "
        'scheme="http://schemas.openstack.org/template/os#"; '
        'class="mixin"; '
        'title="Ubuntu, 22.04 \\"jammy\\""; '
        f'rel="{INFRA}os_tpl"; '
        f'location="{PATH}os_tpl/8b3a"'
    )
    assert "depends" not in value and "applies" not in value


def test_mixin_without_title_or_depends() -> None:
    assert TextPlainRenderer("/").category_value(TAG) == (
        'tag; scheme="http://example.com/tags#"; class="mixin"; location="/tag/"'
    )


def test_action_has_its_parameters_and_no_rel_location_or_actions() -> None:
    assert TextPlainRenderer(BASE).category_value(STOP) == (
        f'stop; scheme="{ACTION_SCHEME}"; class="action"; title="Stop"; attributes="method"'
    )


def test_category_inside_an_entity_has_no_attributes_or_actions() -> None:
    value = TextPlainRenderer(BASE).category_value(COMPUTE, full=False)
    assert value == (
        f'compute; scheme="{INFRA}"; class="kind"; title="Compute Resource"; '
        f'rel="http://schemas.ogf.org/occi/core#resource"; location="{PATH}compute/"'
    )


# rOCCI-core matches Category values with one expression, parameters in this order.
_ROCCI_ORDER = re.compile(
    r'(?P<term>[A-Za-z0-9][A-Za-z0-9._-]*); scheme="[^"]+#"; class="(kind|mixin|action)"'
    r'(; title="(?:[^"\\]|\\.)*")?(; rel="[^"]+")?(; location="[^"]+")?'
    r'(; attributes="[^"]+")?(; actions="[^"]+")?'
)


def test_every_infrastructure_category_keeps_the_parameter_order() -> None:
    renderer = TextPlainRenderer(BASE)
    categories = [
        value for value in vars(infrastructure).values() if isinstance(value, Kind | Mixin | Action)
    ] + [core.ENTITY, core.RESOURCE, core.LINK]
    assert len(categories) > 20
    for category in categories:
        value = renderer.category_value(category)
        assert _ROCCI_ORDER.fullmatch(value), value


def test_query_renders_kinds_then_mixins_then_actions_one_line_each() -> None:
    body = TextPlainRenderer(BASE).query([COMPUTE], [OS_TPL, UBUNTU], [START, STOP]).body
    lines = body.decode().split("\n")
    assert [line.split(";")[0] for line in lines] == [
        "Category: compute",
        "Category: os_tpl",
        "Category: 8b3a",
        "Category: start",
        "Category: stop",
    ]
    assert not body.endswith(b"\n")


def test_categories_with_one_type_identifier_but_different_titles_render_apart() -> None:
    renderer = TextPlainRenderer(BASE)
    old = Mixin("img", "http://s/os#", "Old name", location="os_tpl/img")
    new = Mixin("img", "http://s/os#", "New name", location="os_tpl/img")
    assert 'title="Old name"' in renderer.category_value(old)
    assert 'title="New name"' in renderer.category_value(new)
    assert 'title="Old name"' in renderer.category_value(old)


def test_relative_base_url_gives_host_absolute_locations() -> None:
    assert 'location="/compute/"' in TextPlainRenderer("/").category_value(COMPUTE)


# -- resource renderings ------------------------------------------------------------------

EXPECTED_COMPUTE = [
    f'Category: compute; scheme="{INFRA}"; class="kind"; title="Compute Resource"; '
    f'rel="http://schemas.ogf.org/occi/core#resource"; location="{PATH}compute/"',
    'Category: 8b3a; scheme="http://schemas.openstack.org/template/os#"; class="mixin"; '
    f'title="Ubuntu, 22.04 \\"jammy\\""; rel="{INFRA}os_tpl"; location="{PATH}os_tpl/8b3a"',
    f'Category: tag; scheme="http://example.com/tags#"; class="mixin"; location="{PATH}tag/"',
    f'Link: <{BASE}storage/7>; rel="{INFRA}storage"; self="{BASE}storagelink/42_7"; '
    f'category="{INFRA}storagelink"; occi.core.id="42_7"; '
    f'occi.core.source="{BASE}compute/42"; occi.core.target="{BASE}storage/7"; '
    'occi.storagelink.deviceid="/dev/vdb"; occi.storagelink.state="active"',
    f'Link: <{BASE}network/PUBLIC>; rel="{INFRA}network"; '
    f'self="{BASE}networklink/42_10.0.0.5"; category="{INFRA}networkinterface '
    'http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface"; '
    'occi.core.id="42_10.0.0.5"; occi.core.title="nic \\"one\\", eth0; \\\\ ü"; '
    f'occi.core.source="{BASE}compute/42"; occi.core.target="{BASE}network/PUBLIC"; '
    'occi.networkinterface.interface="eth0"; occi.networkinterface.mac="fa:16:3e:00:00:01"; '
    'occi.networkinterface.address="10.0.0.5"; occi.networkinterface.allocation="dynamic"; '
    "org.example.weight=0.5; org.example.primary=true",
    "Link: <http://elsewhere.example.com/thing/9>; "
    'rel="http://schemas.ogf.org/occi/core#resource"; '
    f'self="{BASE}link/42_ext"; category="http://schemas.ogf.org/occi/core#link"; '
    f'occi.core.id="42_ext"; occi.core.source="{BASE}compute/42"; '
    'occi.core.target="http://elsewhere.example.com/thing/9"; org.example.count=3',
    f'Link: <{BASE}compute/42?action=stop>; rel="{ACTION_SCHEME}stop"',
    'X-OCCI-Attribute: occi.core.id="42"',
    'X-OCCI-Attribute: occi.core.title="vm \\"one\\", ☃; back\\\\slash"',
    'X-OCCI-Attribute: occi.core.summary="a summary, with a comma"',
    "X-OCCI-Attribute: occi.compute.cores=2",
    "X-OCCI-Attribute: occi.compute.memory=2.0",
    'X-OCCI-Attribute: occi.compute.state="active"',
    'X-OCCI-Attribute: occi.compute.hostname="vm-one"',
    "X-OCCI-Attribute: org.example.flag=false",
]


def test_resource_in_text_plain() -> None:
    rendered = TextPlainRenderer(BASE).resource(sample_compute())
    assert rendered.content_type == "text/plain; charset=utf-8"
    assert rendered.headers == ()
    assert rendered.body.decode("utf-8").split("\n") == EXPECTED_COMPUTE
    assert not rendered.body.endswith(b"\n")


def test_resource_in_text_occi_is_the_same_fields_in_combined_headers() -> None:
    rendered = TextOCCIRenderer(BASE).resource(sample_compute())
    assert rendered.content_type == "text/occi; charset=utf-8"
    assert rendered.body == b"OK"
    names = [name for name, _ in rendered.headers]
    assert names == ["Category", "Link", "X-OCCI-Attribute"]
    fields = []
    for name, value in rendered.headers:
        text = value.encode("latin-1").decode("utf-8")  # WSGI native strings
        fields.extend(f"{name}: {v}" for v in _values(text))
    assert fields == EXPECTED_COMPUTE


def _values(header_value: str) -> list[str]:
    return ["; ".join(params) for params in split_value(header_value)]


def test_commas_only_appear_inside_quotes_in_text_occi() -> None:
    resource = sample_compute()
    resource.links[2].target = "http://elsewhere.example.com/a,b;c"
    rendered = TextOCCIRenderer(BASE).resource(resource)
    link_header = dict(rendered.headers)["Link"]
    assert len(split_value(link_header)) == 4  # three links and one action link
    assert "<http://elsewhere.example.com/a%2Cb%3Bc>" in link_header


def test_resource_attributes_skip_none_and_core_names() -> None:
    resource = Resource(
        COMPUTE,
        "1",
        attributes={"occi.core.id": "other", "occi.core.title": "x", "a.b": None, "a.c": 1},
    )
    body = TextPlainRenderer("/").resource(resource).body.decode()
    assert body.split("\n")[1:] == [
        'X-OCCI-Attribute: occi.core.id="1"',
        "X-OCCI-Attribute: a.c=1",
    ]


def test_action_link_uses_the_entity_location() -> None:
    resource = Resource(COMPUTE, "9", actions=[START, STOP], location="vms/foo/9")
    body = TextPlainRenderer("/").resource(resource).body.decode()
    assert f'Link: </vms/foo/9?action=start>; rel="{ACTION_SCHEME}start"' in body.split("\n")
    assert f'Link: </vms/foo/9?action=stop>; rel="{ACTION_SCHEME}stop"' in body.split("\n")


def test_resource_without_links_actions_or_title() -> None:
    body = TextPlainRenderer("/").resource(Resource(COMPUTE, "1")).body.decode()
    assert body.split("\n") == [
        f'Category: compute; scheme="{INFRA}"; class="kind"; title="Compute Resource"; '
        'rel="http://schemas.ogf.org/occi/core#resource"; location="/compute/"',
        'X-OCCI-Attribute: occi.core.id="1"',
    ]


# -- link renderings ----------------------------------------------------------------------


def test_link_on_its_own_in_1_2_has_source_and_target_kinds() -> None:
    link = sample_compute().links[0]
    body = TextPlainRenderer(BASE, "1.2").link(link).body.decode()
    assert body.split("\n") == [
        f'Category: storagelink; scheme="{INFRA}"; class="kind"; title="StorageLink Link"; '
        f'rel="http://schemas.ogf.org/occi/core#link"; location="{PATH}storagelink/"',
        'X-OCCI-Attribute: occi.core.id="42_7"',
        f'X-OCCI-Attribute: occi.core.source="{BASE}compute/42"',
        f'X-OCCI-Attribute: occi.core.target="{BASE}storage/7"',
        f'X-OCCI-Attribute: occi.core.source.kind="{INFRA}compute"',
        f'X-OCCI-Attribute: occi.core.target.kind="{INFRA}storage"',
        'X-OCCI-Attribute: occi.storagelink.deviceid="/dev/vdb"',
        'X-OCCI-Attribute: occi.storagelink.state="active"',
    ]


def test_link_on_its_own_in_1_1_has_no_source_or_target_kinds() -> None:
    body = TextPlainRenderer(BASE, "1.1").link(sample_compute().links[0]).body.decode()
    assert "occi.core.target.kind" not in body
    assert "occi.core.source.kind" not in body
    assert f'X-OCCI-Attribute: occi.core.target="{BASE}storage/7"' in body.split("\n")


def test_link_with_mixins_title_and_action_links() -> None:
    link = sample_compute().links[1]
    link.actions = [START]
    lines = TextPlainRenderer("/").link(link).body.decode().split("\n")
    assert lines[0].startswith("Category: networkinterface; ")
    assert lines[1].startswith("Category: ipnetworkinterface; ")
    assert lines[2] == f'Link: </networklink/42_10.0.0.5?action=start>; rel="{ACTION_SCHEME}start"'
    assert lines[4] == 'X-OCCI-Attribute: occi.core.title="nic \\"one\\", eth0; \\\\ ü"'


# -- collections --------------------------------------------------------------------------


def test_entity_collection_is_absolute_locations() -> None:
    entities = [Resource(COMPUTE, "1"), Resource(COMPUTE, "2", location="vms/a b")]
    rendered = TextPlainRenderer(BASE).entities(entities)
    assert rendered.body.decode() == (
        f"X-OCCI-Location: {BASE}compute/1\nX-OCCI-Location: {BASE}vms/a%20b"
    )


def test_locations_keep_absolute_uris() -> None:
    rendered = TextPlainRenderer(BASE).locations(["compute/1", "http://other/x/2"])
    assert rendered.body.decode() == (
        f"X-OCCI-Location: {BASE}compute/1\nX-OCCI-Location: http://other/x/2"
    )


def test_empty_collections_and_empty_answers() -> None:
    for rendered in (TextPlainRenderer(BASE).entities([]), TextPlainRenderer(BASE).empty()):
        assert rendered.body == b""
        assert rendered.headers == ()
    for rendered in (TextOCCIRenderer(BASE).entities([]), TextOCCIRenderer(BASE).empty()):
        assert rendered.body == b"OK"
        assert rendered.headers == ()


def test_entity_collection_in_text_occi() -> None:
    rendered = TextOCCIRenderer(BASE).locations(["compute/1", "compute/2"])
    assert rendered.headers == (("X-OCCI-Location", f"{BASE}compute/1, {BASE}compute/2"),)
    assert rendered.body == b"OK"


def test_long_header_lists_continue_in_repeated_headers() -> None:
    locations = [f"compute/{i:05d}" for i in range(2000)]
    rendered = TextOCCIRenderer(BASE).locations(locations)
    assert len(rendered.headers) > 1
    assert all(name == "X-OCCI-Location" for name, _ in rendered.headers)
    assert all(len(value) <= MAX_HEADER_VALUE for _, value in rendered.headers)
    values = [v.strip() for _, value in rendered.headers for v in value.split(",")]
    assert values == [BASE + location for location in locations]


def test_combine_values() -> None:
    assert combine_values(["aaa", "bbb", "ccc"], limit=8) == ["aaa, bbb", "ccc"]
    assert combine_values(["a" * 20, "b"], limit=8) == ["a" * 20, "b"]
    assert combine_values([]) == []


def test_text_occi_header_values_are_wsgi_native_strings() -> None:
    resource = Resource(COMPUTE, "1", title="☃")
    headers = dict(TextOCCIRenderer("/").resource(resource).headers)
    attribute = headers["X-OCCI-Attribute"]
    attribute.encode("latin-1")  # what a WSGI server does with it
    assert 'occi.core.title="\u00e2\u0098\u0083"' in attribute


# -- text/uri-list ------------------------------------------------------------------------


def test_uri_list_lists_entities_and_locations() -> None:
    renderer = UriListRenderer(BASE)
    assert renderer.entities([Resource(COMPUTE, "1"), Resource(COMPUTE, "2")]).body == (
        f"{BASE}compute/1\n{BASE}compute/2".encode()
    )
    assert renderer.locations(["storage/3"]).body == f"{BASE}storage/3".encode()
    assert renderer.entities([]).body == b""
    assert renderer.empty().body == b""
    assert renderer.locations([]).content_type == "text/uri-list"


def test_uri_list_query_lists_type_identifiers() -> None:
    body = UriListRenderer(BASE).query([COMPUTE], [UBUNTU], [START]).body.decode()
    assert body.split("\n") == [
        f"{INFRA}compute",
        "http://schemas.openstack.org/template/os#8b3a",
        f"{ACTION_SCHEME}start",
    ]


@pytest.mark.parametrize("what", ["resource", "link"])
def test_uri_list_refuses_what_is_not_a_listing(what: str) -> None:
    renderer = UriListRenderer(BASE)
    compute = sample_compute()
    with pytest.raises(InvalidInput) as error:
        if what == "resource":
            renderer.resource(compute)
        else:
            renderer.link(compute.links[0])
    assert error.value.status == 400
    assert "listings" in error.value.message


# -- errors -------------------------------------------------------------------------------


def test_errors() -> None:
    message = "Bad line:\nCategory: x"
    plain = TextPlainRenderer(BASE).error(400, message)
    assert plain.body == b"Bad line: Category: x"
    assert plain.content_type == "text/plain; charset=utf-8"

    occi = TextOCCIRenderer(BASE).error(404, "résource not found")
    assert occi.body == "résource not found".encode()
    assert occi.content_type == "text/occi; charset=utf-8"
    assert occi.headers == (("X-OCCI-Error", "résource not found".encode().decode("latin-1")),)

    uri_list = UriListRenderer(BASE).error(400, "not a listing")
    assert uri_list.body == b"# not a listing"

    assert TextPlainRenderer(BASE).error(404, "").body == b"Not Found"
    assert TextPlainRenderer(BASE).error(599, "").body == b"Error 599"


def test_control_characters_never_reach_an_error_header_or_line() -> None:
    message = "Not found: /-/\x00\x01x\x7fy\x1b"
    occi = TextOCCIRenderer(BASE).error(404, message)
    assert occi.headers == (("X-OCCI-Error", "Not found: /-/ x y"),)
    assert TextPlainRenderer(BASE).error(404, message).body == b"Not found: /-/ x y"


def test_long_error_header_is_shortened_but_body_is_whole() -> None:
    rendered = TextOCCIRenderer(BASE).error(500, "x" * (MAX_HEADER_VALUE + 10))
    assert len(rendered.headers[0][1]) == MAX_HEADER_VALUE
    assert len(rendered.body) == MAX_HEADER_VALUE + 10


def test_versions_and_base_url_are_checked() -> None:
    with pytest.raises(ValueError):
        TextPlainRenderer("http://no-slash")
    with pytest.raises(ValueError):
        TextPlainRenderer("/", "1.3")
