"""Parsing text/plain bodies and text/occi headers into documents; round trips."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ooi.occi import infrastructure
from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Resource
from ooi.occi.parsing.text import (
    parse_action,
    parse_categories,
    parse_entity,
    parse_locations,
    parse_uri_list,
)
from ooi.occi.rendering.text import TextOCCIRenderer, TextPlainRenderer

from .test_text_rendering import (
    BASE,
    COMPUTE,
    OS_TPL,
    PATH,
    START,
    STOP,
    TAG,
    UBUNTU,
    sample_compute,
)

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
KIND_LINE = f'Category: compute; scheme="{INFRA}"; class="kind"'


def plain(text: str, headers: list[tuple[str, str]] | None = None) -> EntityDoc:
    return parse_entity(headers or [], text.encode("utf-8"), media_type="text/plain")


def occi(headers: list[tuple[str, str]]) -> EntityDoc:
    return parse_entity(headers, b"OK", media_type="text/occi")


# -- categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f'Category: compute; scheme="{INFRA}"; class="kind"',
        f'Category: compute;scheme="{INFRA}";class="kind"',  # rOCCI
        f"Category: compute; scheme={INFRA}; class=kind;",
        f'category:compute ;  SCHEME = "{INFRA}" ;Class="Kind"; unknown="x"',
        f'CATEGORY: compute; scheme="{INFRA}"; "class=kind"',  # a slip in the 1.1 spec
    ],
)
def test_category_variants(line: str) -> None:
    assert plain(line).kind == INFRA + "compute"


def test_category_documents() -> None:
    text = (
        'Category: my_stuff; scheme="http://example.com/occi/my_stuff#"; class="mixin"; '
        'title="My, \\"stuff\\""; rel="http://a#x http://b#y"; location="/my_stuff/"; '
        'attributes="a.b{immutable required} c.d e.f{required}"; '
        'actions="http://a/action#start http://a/action#stop"\n'
        'Category: tag; scheme="http://example.com/tags#"'
    )
    assert parse_categories([], text.encode()) == [
        CategoryDoc(
            term="my_stuff",
            scheme="http://example.com/occi/my_stuff#",
            category_class="mixin",
            title='My, "stuff"',
            related=["http://a#x", "http://b#y"],
            location="/my_stuff/",
            attributes=["a.b", "c.d", "e.f"],
            actions=["http://a/action#start", "http://a/action#stop"],
        ),
        CategoryDoc(term="tag", scheme="http://example.com/tags#"),
    ]


def test_categories_from_one_comma_separated_header() -> None:
    value = (
        f'compute; scheme="{INFRA}"; class="kind"; title="a, b";, '
        'my_stuff; scheme="http://example.com/occi/my_stuff#"; class="mixin"'
    )
    docs = parse_categories([("Category", value)], b"", media_type="text/occi")
    assert [d.type_id for d in docs] == [
        INFRA + "compute",
        "http://example.com/occi/my_stuff#my_stuff",
    ]
    assert docs[0].title == "a, b"


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("Category: compute", "has no scheme"),
        ('Category: compute; scheme=""', "has no scheme"),
        (f'Category: compute; scheme="{INFRA}"; class="resource"', "class must be"),
        (f'Category: scheme="{INFRA}"; class="kind"', "term first"),
        (f'Category: _bad; scheme="{INFRA}"', "is not a term"),
        (f'Category: compute; scheme="{INFRA}; class="kind"', "scheme"),
        (f'Category: compute; scheme="{INFRA}"; title="open', "title"),
    ],
)
def test_category_errors_name_the_field(line: str, complaint: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_categories([], line.encode())
    assert complaint in error.value.message
    assert "Category: " in error.value.message
    assert error.value.status == 400


def test_error_messages_are_shortened() -> None:
    line = "Category: compute; scheme=" + "x" * 5000 + '"'
    with pytest.raises(InvalidInput) as error:
        parse_categories([], line.encode())
    assert len(error.value.message) < 300


# -- entities -----------------------------------------------------------------------------


def test_entity_with_kind_mixins_and_typed_attributes() -> None:
    text = "\n".join(
        [
            KIND_LINE,
            'Category: 8b3a; scheme="http://schemas.openstack.org/template/os#"; class="mixin"',
            'Category: tag; scheme="http://example.com/tags#"; class="mixin"',
            'Category: tag; scheme="http://example.com/tags#"; class="mixin"',
            'Category: filter; scheme="http://example.com/f#"',
            "X-OCCI-Attribute: occi.compute.cores=2",
            "X-OCCI-Attribute: occi.compute.memory=2.0",
            'X-OCCI-Attribute: occi.core.title="a, \\"b\\"; c=d"',
            "X-OCCI-Attribute: org.example.on=true, org.example.off=false",
            'X-OCCI-Attribute: org.example.quoted="true"',
            "X-OCCI-Attribute: occi.compute.hostname=foobar",
        ]
    )
    assert plain(text) == EntityDoc(
        kind=INFRA + "compute",
        mixins=["http://schemas.openstack.org/template/os#8b3a", "http://example.com/tags#tag"],
        attributes={
            "occi.compute.cores": 2,
            "occi.compute.memory": 2.0,
            "occi.core.title": 'a, "b"; c=d',
            "org.example.on": True,
            "org.example.off": False,
            "org.example.quoted": "true",
            "occi.compute.hostname": "foobar",
        },
        other_categories=["http://example.com/f#filter"],
    )


def test_a_second_kind_is_refused() -> None:
    text = KIND_LINE + f'\nCategory: storage; scheme="{INFRA}"; class="kind"'
    with pytest.raises(InvalidInput) as error:
        plain(text)
    assert "more than one kind" in error.value.message


def test_the_same_kind_twice_is_one_kind() -> None:
    assert plain(KIND_LINE + "\n" + KIND_LINE).kind == INFRA + "compute"


def test_an_action_category_in_an_entity_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        plain(f'Category: start; scheme="{INFRA[:-1]}/compute/action#"; class="action"')
    assert "?action=" in error.value.message


def test_inline_links_in_the_forms_clients_send() -> None:
    text = "\n".join(
        [
            KIND_LINE,
            # rOCCI: no spaces, the target in <>.
            f'Link: </storage/7>;rel="{INFRA}storage";category="{INFRA}storagelink";'
            'occi.storagelink.deviceid="/dev/vdb"',
            # IM: target in <> and in occi.core.target, self and source present.
            f'Link: <http://h/occi1.2/storage/8>; rel="{INFRA}storage"; '
            f'self="/storagelink/im-1"; category="{INFRA}storagelink"; '
            'occi.core.target="http://h/occi1.2/storage/8"; '
            'occi.core.source="<http://h/occi1.2/compute/im-uuid>"; occi.core.id="x"',
            # The original ooi: the link's own URL in <>, the target in occi.core.target.
            f'Link: </networklink/1_2>; rel="{INFRA}network"; self="/networklink/1_2"; '
            f'category="{INFRA}networkinterface {INFRA[:-1]}/networkinterface#ipnetworkinterface"'
            '; occi.core.target="/network/PUBLIC"; occi.networkinterface.interface=eth0',
            # An ActionLink is not a link.
            f'Link: </compute/1?action=start>; rel="{INFRA[:-1]}/compute/action#start"',
        ]
    )
    assert plain(text).links == [
        LinkDoc(
            target="/storage/7",
            target_kind=INFRA + "storage",
            kind=INFRA + "storagelink",
            attributes={"occi.storagelink.deviceid": "/dev/vdb"},
        ),
        LinkDoc(
            target="http://h/occi1.2/storage/8",
            target_kind=INFRA + "storage",
            kind=INFRA + "storagelink",
            location="/storagelink/im-1",
            attributes={
                "occi.core.source": "<http://h/occi1.2/compute/im-uuid>",
                "occi.core.id": "x",
            },
        ),
        LinkDoc(
            target="/network/PUBLIC",
            target_kind=INFRA + "network",
            kind=INFRA + "networkinterface",
            mixins=[INFRA[:-1] + "/networkinterface#ipnetworkinterface"],
            location="/networklink/1_2",
            attributes={"occi.networkinterface.interface": "eth0"},
        ),
    ]


def test_link_target_kind_attribute_wins_over_rel() -> None:
    text = '\nLink: </x/1>; rel="http://a#r"; occi.core.target.kind="http://a#k"'
    assert plain(KIND_LINE + text).links[0].target_kind == "http://a#k"


def test_link_uri_may_hold_separators_inside_the_brackets() -> None:
    doc = occi([("Link", '</a,b;c>; rel="http://a#r", </d>; rel="http://a#r"')])
    assert [link.target for link in doc.links] == ["/a,b;c", "/d"]


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ('Link: /storage/1; rel="x"', "expected <URI> first"),
        ('Link: </storage/1>; rel="x"; bad name=1', "is not an attribute name"),
        ('Link: </storage/1>; occi.x="open', "occi.x"),
        ("X-OCCI-Attribute: occi.compute.cores", "expected name=value"),
        ("X-OCCI-Attribute: occi.compute.cores=", "expected a value"),
        ('X-OCCI-Attribute: a="b" c', "quoted string"),
        ('X-OCCI-Attribute: "a"=1', "not an attribute name"),
    ],
)
def test_link_and_attribute_errors_name_the_field(line: str, complaint: str) -> None:
    with pytest.raises(InvalidInput) as error:
        plain(line)
    assert complaint in error.value.message
    assert line.split(":")[0] in error.value.message


# -- body and header handling -------------------------------------------------------------


def test_line_endings_blank_lines_and_other_fields() -> None:
    body = (
        "\r\n" + KIND_LINE + "\r\n\r\nX-Other: whatever\rX-OCCI-Attribute: a.b=1\n  \n"
    ).encode()
    doc = parse_entity([], body)
    assert doc.kind == INFRA + "compute"
    assert doc.attributes == {"a.b": 1}


def test_a_line_that_is_no_field_is_refused_with_its_number() -> None:
    with pytest.raises(InvalidInput) as error:
        plain(KIND_LINE + "\nthis is not a field")
    assert "line 2" in error.value.message


def test_folded_lines_continue_the_previous_field() -> None:
    text = (
        "Category: compute;\n"
        f'          scheme="{INFRA}";\n'
        '\tclass="kind";\n'
        "  X-OCCI-Attribute: a.b=1\n"
    )
    doc = plain(text)
    assert doc.kind == INFRA + "compute"
    assert doc.attributes == {"a.b": 1}


def test_text_occi_reads_repeated_and_combined_headers_in_any_case() -> None:
    doc = occi(
        [
            ("Host", "h"),
            ("category", f'compute; scheme="{INFRA}"; class="kind"'),
            ("X-OCCI-ATTRIBUTE", 'a.b=1, a.c="x, y"'),
            ("x-occi-attribute", "a.d=2.5"),
            ("Link", f'</s/1>; rel="{INFRA}storage"'),
        ]
    )
    assert doc.kind == INFRA + "compute"
    assert doc.attributes == {"a.b": 1, "a.c": "x, y", "a.d": 2.5}
    assert doc.links == [LinkDoc(target="/s/1", target_kind=INFRA + "storage")]


def test_text_occi_ignores_the_body() -> None:
    doc = parse_entity([], KIND_LINE.encode(), media_type="text/occi")
    assert doc == EntityDoc()


def test_text_occi_headers_are_decoded_from_wsgi_native_strings() -> None:
    wsgi = 'occi.core.title="☃"'.encode().decode("latin-1")
    assert occi([("X-OCCI-Attribute", wsgi)]).attributes == {"occi.core.title": "☃"}
    # Not UTF-8: taken as Latin-1, as HTTP once defined header text.
    assert occi([("X-OCCI-Attribute", 'a.b="\xe9"')]).attributes == {"a.b": "é"}


def test_text_plain_with_an_empty_body_reads_the_headers() -> None:
    doc = parse_entity([("Category", KIND_LINE.split(": ", 1)[1])], b"  \r\n")
    assert doc.kind == INFRA + "compute"


def test_text_plain_with_a_body_ignores_the_headers() -> None:
    doc = parse_entity([("X-OCCI-Attribute", "a.b=1")], KIND_LINE.encode())
    assert doc.attributes == {}


def test_headers_may_be_a_mapping() -> None:
    doc = parse_entity({"Category": KIND_LINE.split(": ", 1)[1]}, b"", media_type="text/occi")
    assert doc.kind == INFRA + "compute"


def test_non_utf8_bodies_are_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_entity([], b'Category: caf\xe9; scheme="x#"')
    assert "UTF-8" in error.value.message


def test_a_byte_order_mark_is_skipped() -> None:
    assert parse_entity([], b"\xef\xbb\xbf" + KIND_LINE.encode()).kind == INFRA + "compute"


def test_an_empty_request_is_an_empty_document() -> None:
    assert parse_entity([], b"") == EntityDoc()
    assert parse_entity(None, None) == EntityDoc()
    assert parse_categories([], b"") == []
    assert parse_locations([], b"") == []


# -- actions ------------------------------------------------------------------------------

STOP_LINE = f'Category: stop; scheme="{INFRA[:-1]}/compute/action#"; class="action"'


def test_action_invocation() -> None:
    body = f'{STOP_LINE}\nX-OCCI-Attribute: method="poweroff"'.encode()
    assert parse_action([], body) == ActionDoc(
        action=f"{INFRA[:-1]}/compute/action#stop", attributes={"method": "poweroff"}
    )


def test_action_category_without_class_is_accepted() -> None:
    body = f'Category: stop; scheme="{INFRA[:-1]}/compute/action#"'.encode()
    assert parse_action([], body).action == f"{INFRA[:-1]}/compute/action#stop"


def test_action_from_headers() -> None:
    headers = [("Category", STOP_LINE.split(": ", 1)[1]), ("X-OCCI-Attribute", 'method="x"')]
    assert parse_action(headers, b"OK", media_type="text/occi").attributes == {"method": "x"}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('X-OCCI-Attribute: method="x"', "none was given"),
        (f"{STOP_LINE}\n{STOP_LINE}", "exactly one Category, got 2"),
        (f"{STOP_LINE}\n{KIND_LINE}", "not a kind"),
        ("", "none was given"),
    ],
)
def test_action_errors(body: str, complaint: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_action([], body.encode())
    assert complaint in error.value.message


# -- locations ----------------------------------------------------------------------------


def test_locations_from_lines_and_comma_separated_values() -> None:
    body = (
        "X-OCCI-Location: http://example.com/vms/foo/vm1\n"
        "X-OCCI-Location: /compute/123, /compute/456;v=1\n"
        "x-occi-location: <http://example.com/a,b>\n"
        'X-OCCI-Location: "/quoted"\n'
        f"{KIND_LINE}\n"
    )
    assert parse_locations([], body.encode()) == [
        "http://example.com/vms/foo/vm1",
        "/compute/123",
        "/compute/456;v=1",
        "http://example.com/a,b",
        "/quoted",
    ]


def test_locations_from_headers() -> None:
    headers = [("X-OCCI-Location", "/a, /b"), ("X-OCCI-Location", "/c")]
    assert parse_locations(headers, b"OK", media_type="text/occi") == ["/a", "/b", "/c"]


def test_uri_list() -> None:
    body = b"# a comment\r\nhttp://h/compute/1\r\n\r\n  http://h/compute/2  \nhttp://h/x"
    assert parse_uri_list(body) == ["http://h/compute/1", "http://h/compute/2", "http://h/x"]
    assert parse_uri_list(b"") == []
    with pytest.raises(InvalidInput):
        parse_uri_list(b"\xff")


# -- round trips --------------------------------------------------------------------------


def expected_document(resource: Resource, base: str) -> EntityDoc:
    """What parsing the text rendering of ``resource`` must give."""
    attributes = {"occi.core.id": resource.id}
    if resource.title is not None:
        attributes["occi.core.title"] = resource.title
    if resource.summary is not None:
        attributes["occi.core.summary"] = resource.summary
    attributes.update((k, v) for k, v in resource.attributes.items() if v is not None)
    links = []
    for link in resource.links:
        link_attributes = {"occi.core.id": link.id}
        if link.title is not None:
            link_attributes["occi.core.title"] = link.title
        link_attributes["occi.core.source"] = base + link.source
        link_attributes.update(link.attributes)
        target = link.target if "://" in link.target else base + link.target
        links.append(
            LinkDoc(
                target=target,
                target_kind=(link.target_kind or infrastructure.core.RESOURCE).type_id,
                kind=link.kind.type_id,
                mixins=[m.type_id for m in link.mixins],
                location=base + (link.location or ""),
                attributes=link_attributes,
            )
        )
    return EntityDoc(
        kind=resource.kind.type_id,
        mixins=[m.type_id for m in resource.mixins],
        attributes=attributes,
        links=links,
    )


def test_resource_round_trip_in_text_plain() -> None:
    resource = sample_compute()
    rendered = TextPlainRenderer(BASE).resource(resource)
    doc = parse_entity(rendered.headers, rendered.body, media_type="text/plain")
    assert doc == expected_document(resource, BASE)
    assert doc.attributes["occi.core.title"] == 'vm "one", ☃; back\\slash'
    assert doc.links[1].attributes["org.example.primary"] is True


def test_resource_round_trip_in_text_occi() -> None:
    resource = sample_compute()
    rendered = TextOCCIRenderer(BASE).resource(resource)
    doc = parse_entity(rendered.headers, rendered.body, media_type="text/occi")
    assert doc == expected_document(resource, BASE)


def test_link_round_trip() -> None:
    link = sample_compute().links[1]
    rendered = TextPlainRenderer(BASE).link(link)
    doc = parse_entity([], rendered.body)
    assert doc.kind == link.kind.type_id
    assert doc.mixins == [m.type_id for m in link.mixins]
    assert doc.attributes == {
        "occi.core.id": link.id,
        "occi.core.title": link.title,
        "occi.core.source": BASE + "compute/42",
        "occi.core.target": BASE + "network/PUBLIC",
        "occi.core.source.kind": COMPUTE.type_id,
        "occi.core.target.kind": infrastructure.NETWORK.type_id,
        **link.attributes,
    }


@pytest.mark.parametrize("renderer_class", [TextPlainRenderer, TextOCCIRenderer])
def test_query_round_trip(renderer_class: type) -> None:
    kinds = [COMPUTE, infrastructure.STORAGE, infrastructure.NETWORKINTERFACE]
    mixins = [OS_TPL, UBUNTU, TAG, infrastructure.IPNETWORK]
    actions = [START, STOP]
    renderer = renderer_class(BASE)
    rendered = renderer.query(kinds, mixins, actions)
    media_type = renderer_class.media_type
    docs = parse_categories(rendered.headers, rendered.body, media_type=media_type)
    expected = []
    for category in (*kinds, *mixins, *actions):
        related = (
            getattr(category, "parent", None) or (getattr(category, "depends", ()) or [None])[0]
        )
        location = getattr(category, "location", None)
        expected.append(
            CategoryDoc(
                term=category.term,
                scheme=category.scheme,
                category_class=category.category_class,
                title=category.title,
                related=[related.type_id] if related else [],
                location=PATH + location if location else None,
                attributes=[a.name for a in category.attributes],
                actions=[a.type_id for a in getattr(category, "actions", ())],
            )
        )
    assert docs == expected


def test_entity_collection_round_trip() -> None:
    rendered = TextPlainRenderer(BASE).locations(["compute/1", "compute/2"])
    assert parse_locations([], rendered.body) == [BASE + "compute/1", BASE + "compute/2"]
    rendered = TextOCCIRenderer(BASE).locations(["compute/1", "compute/2"])
    assert parse_locations(rendered.headers, rendered.body, media_type="text/occi") == [
        BASE + "compute/1",
        BASE + "compute/2",
    ]


# -- nothing but InvalidInput, whatever comes in ------------------------------------------

_PIECES = st.sampled_from(
    [
        "Category: ",
        "Link: ",
        "X-OCCI-Attribute: ",
        "X-OCCI-Location: ",
        "compute",
        "; ",
        ";",
        ",",
        "=",
        '"',
        "\\",
        "<",
        ">",
        "scheme=",
        "class=",
        "kind",
        "action",
        "rel=",
        "category=",
        "occi.core.target=",
        "?action=",
        "\n",
        "\r",
        " ",
        "{",
        "}",
        "1",
        ".5",
        "e9",
        "true",
        "☃",
        "\x00",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_parsers_raise_only_invalid_input(text: str) -> None:
    for media_type, headers, body in (
        ("text/plain", [], text.encode()),
        ("text/occi", [(name, text) for name in ("Category", "Link", "X-OCCI-Attribute")], b""),
    ):
        for parse in (parse_entity, parse_action, parse_categories, parse_locations):
            with contextlib.suppress(InvalidInput):
                parse(headers, body, media_type=media_type)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_parsers_raise_only_invalid_input_on_any_bytes(body: bytes) -> None:
    for parse in (parse_entity, parse_action, parse_categories, parse_locations):
        with contextlib.suppress(InvalidInput):
            parse([], body, media_type="text/plain")
