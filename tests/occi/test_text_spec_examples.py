"""Every Category / Link / X-OCCI-Attribute / X-OCCI-Location example of the text renderings.

Copied from occi-spec/1.2/text_rendering.tex and occi-spec/1.1/http_rendering.tex (Copyright
Open Grid Forum, copying permitted with its notice: occi-spec/COPYRIGHT.tex), without the
``<`` / ``>`` direction marks. Slips fixed in these copies, each marked ``# fixed:``: ``\\``
line continuations and a missing ``;`` before ``class``; ``[...]`` / ``...`` placeholders;
``occi.compute.speed`` in 1.2 examples (1.2 has no such attribute); ``http:/`` for ``http://``;
``"class=kind"`` for ``class="kind"``; ``;`` ending X-OCCI-Attribute lines; a bare ``foobar``
string value. The unfixed slips either parse leniently or are refused with a clear message
(tests after the examples).

Each example must parse to the documents shown, and parse → render → parse must give the same
documents again (up to the core attributes the renderer always adds: ``occi.core.id`` and, on
links, ``occi.core.source`` and ``self``).
"""

from __future__ import annotations

from typing import Any

import pytest

from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Attribute, Kind, Link, Mixin, Resource
from ooi.occi.parsing.text import (
    parse_action,
    parse_categories,
    parse_entity,
    parse_locations,
)
from ooi.occi.rendering.text import TextOCCIRenderer, TextPlainRenderer

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
CORE = "http://schemas.ogf.org/occi/core#"
COMPUTE_ACTION = "http://schemas.ogf.org/occi/infrastructure/compute/action#"
VM = "b9ff813e-fee5-4a9d-b839-673f39746096"

# -- occi-spec/1.2/text_rendering.tex -----------------------------------------------------

# §OCCI Text Plain rendering / Example.
SPEC12_TEXT_PLAIN = f"""\
Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind";
Link: </users/foo/compute/{VM}?action=start>; rel="http://schemas.ogf.org/occi/infrastructure/compute/action#start"
X-OCCI-Attribute: occi.core.id="urn:uuid:{VM}"
X-OCCI-Attribute: occi.core.title="My Dummy VM"
X-OCCI-Attribute: occi.compute.architecture="x86"
X-OCCI-Attribute: occi.compute.state="inactive"
X-OCCI-Attribute: occi.compute.memory=2.0
X-OCCI-Attribute: occi.compute.cores=2
X-OCCI-Attribute: occi.compute.hostname="dummy"
"""  # noqa: E501
# fixed: "\" continuations joined, ";" added before class, occi.compute.speed=1.33 dropped.

SPEC12_DUMMY_VM = EntityDoc(
    kind=INFRA + "compute",
    attributes={
        "occi.core.id": f"urn:uuid:{VM}",
        "occi.core.title": "My Dummy VM",
        "occi.compute.architecture": "x86",
        "occi.compute.state": "inactive",
        "occi.compute.memory": 2.0,
        "occi.compute.cores": 2,
        "occi.compute.hostname": "dummy",
    },
)

# §OCCI Header Rendering / Example (as headers; the body is "OK").
SPEC12_HEADERS = [
    ("Category", f'compute; scheme="{INFRA}"; class="kind";'),
    ("Link", f'</users/foo/compute/{VM}?action=start>; rel="{COMPUTE_ACTION}start"'),
    (
        "X-OCCI-Attribute",
        f'occi.core.id="urn:uuid:{VM}", '
        'occi.core.title="My Dummy VM", occi.compute.architecture="x86", '
        'occi.compute.state="inactive", '
        "occi.compute.memory=2.0, occi.compute.cores=2, "
        'occi.compute.hostname="dummy"',
    ),
]
# fixed: "\" continuations joined, occi.compute.speed=1.33 dropped.


def test_spec12_text_plain_example() -> None:
    assert parse_entity([], SPEC12_TEXT_PLAIN.encode()) == SPEC12_DUMMY_VM


def test_spec12_header_example() -> None:
    assert parse_entity(SPEC12_HEADERS, b"OK", media_type="text/occi") == SPEC12_DUMMY_VM


# -- occi-spec/1.1/http_rendering.tex -----------------------------------------------------

# §Specification Examples (folded lines as written; fixed: "[...]" dropped).
SPEC11_EXAMPLE_CATEGORIES = """\
Category: compute;
          scheme="http://schemas.ogf.org/occi/infrastructure#";
          class="kind";
          location="http://example.com/compute/"
Category: networkinterface;
          scheme="http://schemas.ogf.org/occi/infrastructure#";
          class="kind";
          location="http://example.com/link/networkinterface/"
Category: my_stuff;
          scheme="http://example.com/occi/my_stuff#";
          class="mixin";
          location="http://example.com/my_stuff/"
"""

# §Handling the Query Interface, GET /-/ (fixed: "..." placeholders dropped).
SPEC11_QUERY = """\
Category: compute;
          scheme="http://schemas.ogf.org/occi/infrastructure#";
          class="kind";
          title="Compute Resource type";
          rel="http://schemas.ogf.org/occi/core#resource";
          attributes="occi.compute.cores occi.compute.state{immutable}";
          actions="http://schemas.ogf.org/occi/infrastructure/compute/action#stop";
          location="http://example.com/compute/"
Category: storage;
          scheme="http://schemas.ogf.org/occi/infrastructure#";
          class="kind";
          title="Storage Resource type";
          rel="http://schemas.ogf.org/occi/core#resource";
          attributes="occi.storage.size{required} occi.storage.state{immutable}";
          location="http://example.com/storage/"
Category: start;
          scheme="http://schemas.ogf.org/occi/infrastructure/compute/action#";
          class="action";
          title="Start Compute Resource";
          attributes="method"
Category: stop;
          scheme="http://schemas.ogf.org/occi/infrastructure/compute/action#";
          class="action";
          title="Stop Compute Resource";
          attributes="method"
Category: my_stuff;
          scheme="http://example.com/occi/my_stuff#";
          class="mixin";
          location="http://example.com/my_stuff/"
"""

# §Handling the Query Interface, adding a Mixin (fixed: "http:/" for "http://").
SPEC11_ADD_MIXIN = """\
Category: my_stuff;
          scheme="http://example.com/occi/my_stuff#";
          class="mixin";
          rel="http://example.com/occi/something_else#mixin";
          location="/my_stuff/"
"""

# §Handling the Query Interface, removing a Mixin.
SPEC11_REMOVE_MIXIN = """\
Category: my_stuff;
            scheme="http://example.com/occi/my_stuff#";
            class="mixin";
"""

# §Rendering of the OCCI Category, Kind and Mixin Types (fixed: " ..." dropped).
SPEC11_STORAGE_KIND = """\
Category: storage;
    scheme="http://schemas.ogf.org/occi/infrastructure#";
    class="kind";
    title="Storage Resource";
    rel="http://schemas.ogf.org/occi/core#resource";
    location="/storage/";
    attributes="occi.storage.size{required} occi.storage.state{immutable}";
    actions="http://schemas.ogf.org/occi/infrastructure/storage/action#resize";
"""


def test_spec11_query_example() -> None:
    docs = parse_categories([], SPEC11_QUERY.encode())
    assert docs[0] == CategoryDoc(
        term="compute",
        scheme=INFRA,
        category_class="kind",
        title="Compute Resource type",
        related=[CORE + "resource"],
        location="http://example.com/compute/",
        attributes=["occi.compute.cores", "occi.compute.state"],
        actions=[COMPUTE_ACTION + "stop"],
    )
    assert [(d.term, d.category_class, d.attributes) for d in docs[1:]] == [
        ("storage", "kind", ["occi.storage.size", "occi.storage.state"]),
        ("start", "action", ["method"]),
        ("stop", "action", ["method"]),
        ("my_stuff", "mixin", []),
    ]


def test_spec11_category_examples() -> None:
    assert [d.location for d in parse_categories([], SPEC11_EXAMPLE_CATEGORIES.encode())] == [
        "http://example.com/compute/",
        "http://example.com/link/networkinterface/",
        "http://example.com/my_stuff/",
    ]
    assert parse_categories([], SPEC11_ADD_MIXIN.encode()) == [
        CategoryDoc(
            term="my_stuff",
            scheme="http://example.com/occi/my_stuff#",
            category_class="mixin",
            related=["http://example.com/occi/something_else#mixin"],
            location="/my_stuff/",
        )
    ]
    assert parse_categories([], SPEC11_REMOVE_MIXIN.encode()) == [
        CategoryDoc("my_stuff", "http://example.com/occi/my_stuff#", "mixin")
    ]
    (storage,) = parse_categories([], SPEC11_STORAGE_KIND.encode())
    assert storage.location == "/storage/"
    assert storage.actions == ["http://schemas.ogf.org/occi/infrastructure/storage/action#resize"]


# §Operation on Paths in the Name-space, §Operations on Mixins or Kinds (answers and requests),
# §Rendering of Location-URIs, §Syntax and Semantics of the Rendering.
SPEC11_LOCATIONS = [
    (
        "X-OCCI-Location: http://example.com/vms/foo/vm1\n"
        "X-OCCI-Location: http://example.com/vms/bar/vm2\n",
        ["http://example.com/vms/foo/vm1", "http://example.com/vms/bar/vm2"],
    ),
    (
        "X-OCCI-Location: http://example.com/vms/foo/vm1\n"
        "X-OCCI-Location: http://example.com/vms/foo/vm2\n"
        "X-OCCI-Location: http://example.com/vms/bar/vm1\n",
        [
            "http://example.com/vms/foo/vm1",
            "http://example.com/vms/foo/vm2",
            "http://example.com/vms/bar/vm1",
        ],
    ),
    (
        "X-OCCI-Location: http://example.com/vms/foo/vm1\n",
        ["http://example.com/vms/foo/vm1"],
    ),
    (
        "X-OCCI-Location: http://example.com/vms/foo/vm1\n"
        "X-OCCI-Location: http://example.com/vms/foo/vm2\n"
        "X-OCCI-Location: http://example.com/disks/foo/disk1\n",
        [
            "http://example.com/vms/foo/vm1",
            "http://example.com/vms/foo/vm2",
            "http://example.com/disks/foo/disk1",
        ],
    ),
    (
        "X-OCCI-Location: http://example.com/compute/123\n"
        "X-OCCI-Location: http://example.com/compute/456\n"
        "X-OCCI-Location: http://example.com/compute/789\n",
        [
            "http://example.com/compute/123",
            "http://example.com/compute/456",
            "http://example.com/compute/789",
        ],
    ),
    ("X-OCCI-Location: /compute/123, /compute/456\n", ["/compute/123", "/compute/456"]),
    (
        "X-OCCI-Location: /compute/123\nX-OCCI-Location: /compute/456\n",
        ["/compute/123", "/compute/456"],
    ),
]


@pytest.mark.parametrize(("text", "locations"), SPEC11_LOCATIONS)
def test_spec11_location_examples(text: str, locations: list[str]) -> None:
    assert parse_locations([], text.encode()) == locations
    rendered = TextPlainRenderer("/").locations(locations)
    assert parse_locations([], rendered.body) == locations
    rendered = TextOCCIRenderer("/").locations(locations)
    assert parse_locations(rendered.headers, rendered.body, media_type="text/occi") == locations


# §Operations on Mixins or Kinds (trigger on a collection) and §Operations on resource
# instances (trigger on an instance): the same request (fixed: scheme "[...]" filled in).
SPEC11_ACTION = f"""\
Category: stop; scheme="{COMPUTE_ACTION}"; class="action";
X-OCCI-Attribute: method="poweroff"
"""


def test_spec11_action_example() -> None:
    assert parse_action([], SPEC11_ACTION.encode()) == ActionDoc(
        COMPUTE_ACTION + "stop", {"method": "poweroff"}
    )


# Entity examples: (section, body, expected document).
SPEC11_ENTITIES: list[tuple[str, str, EntityDoc]] = [
    (
        "§Operations on resource instances, create with POST",
        f'Category: compute; scheme="{INFRA}"; class="kind"; \n'
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="foobar"\n',
        EntityDoc(
            kind=INFRA + "compute",
            attributes={"occi.compute.cores": 2, "occi.compute.hostname": "foobar"},
        ),
    ),
    (
        # fixed: '"class=kind"' for 'class="kind"'.
        "§Operations on resource instances, create with PUT",
        f'Category: compute; scheme="{INFRA}"; class="kind"; \n'
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="foobar"\n',
        EntityDoc(
            kind=INFRA + "compute",
            attributes={"occi.compute.cores": 2, "occi.compute.hostname": "foobar"},
        ),
    ),
    (
        # fixed: "Link: [...]" dropped.
        "§Operations on resource instances, retrieve; §Content-type and Accept headers",
        f'Category: compute; scheme="{INFRA}"; class="kind";\n'
        'Category: my_stuff; scheme="http://example.com/occi/my_stuff#"; class="mixin";\n'
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="foobar"\n',
        EntityDoc(
            kind=INFRA + "compute",
            mixins=["http://example.com/occi/my_stuff#my_stuff"],
            attributes={"occi.compute.cores": 2, "occi.compute.hostname": "foobar"},
        ),
    ),
    (
        "§Operations on resource instances, partial and full update",
        "X-OCCI-Attribute: occi.compute.memory=4.0\n",
        EntityDoc(attributes={"occi.compute.memory": 4.0}),
    ),
    (
        "§Handling Link instances, inline creation",
        "Category: compute; \n"
        '            scheme="http://schemas.ogf.org/occi/infrastructure#"; \n'
        '            class="kind"; \n'
        "Link: </network/123>;\n"
        '        rel="http://schemas.ogf.org/occi/infrastructure#network";\n'
        '        category="http://schemas.ogf.org/occi/infrastructure#networkinterface";\n'
        '        occi.networkinterface.interface="eth0";\n'
        '        occi.networkinterface.mac="00:11:22:33:44:55";\n'
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="foobar"\n',
        EntityDoc(
            kind=INFRA + "compute",
            attributes={"occi.compute.cores": 2, "occi.compute.hostname": "foobar"},
            links=[
                LinkDoc(
                    target="/network/123",
                    target_kind=INFRA + "network",
                    kind=INFRA + "networkinterface",
                    attributes={
                        "occi.networkinterface.interface": "eth0",
                        "occi.networkinterface.mac": "00:11:22:33:44:55",
                    },
                )
            ],
        ),
    ),
    (
        "§Handling Link instances, retrieving a resource with links",
        f'Category: compute; scheme="{INFRA}"; class="kind";\n'
        'Category: my_stuff; scheme="http://example.com/occi/my_stuff#"; class="mixin";\n'
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="foobar"\n'
        "Link: </network/123>;\n"
        '        rel="http://schemas.ogf.org/occi/infrastructure#network";\n'
        '        self="/link/networkinterface/456";\n'
        '        category="http://schemas.ogf.org/occi/infrastructure#networkinterface";\n'
        '        occi.networkinterface.interface="eth0";\n'
        '        occi.networkinterface.mac="00:11:22:33:44:55";\n'
        '        occi.networkinterface.state="active";\n',
        EntityDoc(
            kind=INFRA + "compute",
            mixins=["http://example.com/occi/my_stuff#my_stuff"],
            attributes={"occi.compute.cores": 2, "occi.compute.hostname": "foobar"},
            links=[
                LinkDoc(
                    target="/network/123",
                    target_kind=INFRA + "network",
                    kind=INFRA + "networkinterface",
                    location="/link/networkinterface/456",
                    attributes={
                        "occi.networkinterface.interface": "eth0",
                        "occi.networkinterface.mac": "00:11:22:33:44:55",
                        "occi.networkinterface.state": "active",
                    },
                )
            ],
        ),
    ),
    (
        "§Handling Link instances, creating a link",
        "Category: networkinterface; \n"
        '            scheme="http://schemas.ogf.org/occi/infrastructure#"; \n'
        '            class="kind"; \n'
        'X-OCCI-Attribute: occi.core.source="http://example.com/vms/foo/vm1"\n'
        'X-OCCI-Attribute: occi.core.target="http://example.com/network/123"\n',
        EntityDoc(
            kind=INFRA + "networkinterface",
            attributes={
                "occi.core.source": "http://example.com/vms/foo/vm1",
                "occi.core.target": "http://example.com/network/123",
            },
        ),
    ),
    (
        # fixed: ";" ending the first three X-OCCI-Attribute lines.
        "§Handling Link instances, retrieving a link",
        "Category: networkinterface;\n"
        '      scheme="http://schemas.ogf.org/occi/infrastructure#";\n'
        '      class="kind";\n'
        'X-OCCI-Attribute: occi.networkinterface.interface="eth0"\n'
        'X-OCCI-Attribute: occi.networkinterface.mac="00:11:22:33:44:55"\n'
        'X-OCCI-Attribute: occi.networkinterface.state="active"\n'
        'X-OCCI-Attribute: occi.core.source="/vms/foo/vm1"\n'
        'X-OCCI-Attribute: occi.core.target="/network/123"\n',
        EntityDoc(
            kind=INFRA + "networkinterface",
            attributes={
                "occi.networkinterface.interface": "eth0",
                "occi.networkinterface.mac": "00:11:22:33:44:55",
                "occi.networkinterface.state": "active",
                "occi.core.source": "/vms/foo/vm1",
                "occi.core.target": "/network/123",
            },
        ),
    ),
    (
        "§Syntax and Semantics of the Rendering, comma-separated values",
        "X-OCCI-Attribute: occi.compute.memory=2.0, occi.compute.speed=2.33\n",
        EntityDoc(attributes={"occi.compute.memory": 2.0, "occi.compute.speed": 2.33}),
    ),
    (
        "§Syntax and Semantics of the Rendering, separate header lines",
        "X-OCCI-Attribute: occi.compute.memory=2.0\nX-OCCI-Attribute: occi.compute.speed=2.33\n",
        EntityDoc(attributes={"occi.compute.memory": 2.0, "occi.compute.speed": 2.33}),
    ),
    (
        "§Rendering of OCCI Link Instance References",
        "Link: </network/123>;\n"
        '    rel="http://schemas.ogf.org/occi/infrastructure#network";\n'
        '    self="/link/networkinterface/456";\n'
        '    category="http://schemas.ogf.org/occi/infrastructure#networkinterface";\n'
        '    occi.networkinterface.interface="eth0";\n'
        '    occi.networkinterface.mac="00:11:22:33:44:55";\n'
        '    occi.networkinterface.state="active";\n',
        EntityDoc(
            links=[
                LinkDoc(
                    target="/network/123",
                    target_kind=INFRA + "network",
                    kind=INFRA + "networkinterface",
                    location="/link/networkinterface/456",
                    attributes={
                        "occi.networkinterface.interface": "eth0",
                        "occi.networkinterface.mac": "00:11:22:33:44:55",
                        "occi.networkinterface.state": "active",
                    },
                )
            ]
        ),
    ),
    (
        "§Rendering of References to OCCI Action Instances (an ActionLink is no link)",
        "Link: </compute/123?action=start>;\n"
        '    rel="http://schemas.ogf.org/occi/infrastructure/compute/action#start"\n',
        EntityDoc(),
    ),
    (
        "§Rendering of OCCI Entity Attributes",
        'X-OCCI-Attribute: occi.compute.architecture="x86_64"\n'
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="testserver"\n'
        "X-OCCI-Attribute: occi.compute.speed=2.66\n"
        "X-OCCI-Attribute: occi.compute.memory=3.0\n"
        'X-OCCI-Attribute: occi.compute.state="active"\n',
        EntityDoc(
            attributes={
                "occi.compute.architecture": "x86_64",
                "occi.compute.cores": 2,
                "occi.compute.hostname": "testserver",
                "occi.compute.speed": 2.66,
                "occi.compute.memory": 3.0,
                "occi.compute.state": "active",
            }
        ),
    ),
    (
        "§More Complete Examples, creating a compute (request in text/occi, as a body here)",
        f'Category: compute; scheme="{INFRA}"; class="kind";\n',
        EntityDoc(kind=INFRA + "compute"),
    ),
    (
        # fixed: the ";" missing after scheme.
        "§More Complete Examples, retrieving a compute",
        "Category: compute;\n"
        '    scheme="http://schemas.ogf.org/occi/infrastructure#";\n'
        '    class="kind";\n'
        f"Link: </users/foo/compute/{VM}?action=start>;\n"
        '    rel="http://schemas.ogf.org/occi/infrastructure/compute/action#start"\n'
        f'X-OCCI-Attribute: occi.core.id="urn:uuid:{VM}"\n'
        'X-OCCI-Attribute: occi.core.title="My Dummy VM"\n'
        'X-OCCI-Attribute: occi.compute.architecture="x86"\n'
        'X-OCCI-Attribute: occi.compute.state="inactive"\n'
        "X-OCCI-Attribute: occi.compute.speed=1.33\n"
        "X-OCCI-Attribute: occi.compute.memory=2.0\n"
        "X-OCCI-Attribute: occi.compute.cores=2\n"
        'X-OCCI-Attribute: occi.compute.hostname="dummy"\n',
        EntityDoc(
            kind=INFRA + "compute",
            attributes={**SPEC12_DUMMY_VM.attributes, "occi.compute.speed": 1.33},
        ),
    ),
]

# §Content-type and Accept headers, the text/occi answer (fixed: "Link: [...]" dropped and
# the bare foobar quoted); the Category header is folded onto a second line.
SPEC11_TEXT_OCCI_HEADERS = [
    (
        "Category",
        f'compute; scheme="{INFRA}"; class="kind";,\r\n'
        '            my_stuff; scheme="http://example.com/occi/my_stuff#"; class="mixin";',
    ),
    ("X-OCCI-Attribute", 'occi.compute.cores=2, occi.compute.hostname="foobar"'),
]


@pytest.mark.parametrize(
    ("section", "text", "expected"), SPEC11_ENTITIES, ids=[e[0] for e in SPEC11_ENTITIES]
)
def test_spec11_entity_examples(section: str, text: str, expected: EntityDoc) -> None:
    assert parse_entity([], text.encode()) == expected
    # The same fields as text/occi headers, one header per line of the example.
    headers = [(line.split(":", 1)[0], line.split(":", 1)[1]) for line in _unfold(text)]
    assert parse_entity(headers, b"OK", media_type="text/occi") == expected


def test_spec11_text_occi_answer() -> None:
    # A server joins folded header lines with a space before the WSGI application sees them.
    headers = [(n, " ".join(v.split("\r\n"))) for n, v in SPEC11_TEXT_OCCI_HEADERS]
    assert parse_entity(headers, b"OK", media_type="text/occi") == EntityDoc(
        kind=INFRA + "compute",
        mixins=["http://example.com/occi/my_stuff#my_stuff"],
        attributes={"occi.compute.cores": 2, "occi.compute.hostname": "foobar"},
    )


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines():
        if line[:1].isspace():
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines


# -- the unfixed slips still parse ---------------------------------------------------------


def test_unfixed_slips_parse_leniently() -> None:
    speed = "X-OCCI-Attribute: occi.compute.speed=1.33\n"
    assert parse_entity([], speed.encode()).attributes == {"occi.compute.speed": 1.33}

    class_slip = f'Category: compute; scheme="{INFRA}"; "class=kind"; \n'
    assert parse_entity([], class_slip.encode()).kind == INFRA + "compute"

    trailing = 'X-OCCI-Attribute: occi.networkinterface.interface="eth0";\n'
    assert parse_entity([], trailing.encode()).attributes == {
        "occi.networkinterface.interface": "eth0"
    }

    bare = [("X-OCCI-Attribute", "occi.compute.cores=2, occi.compute.hostname=foobar")]
    assert parse_entity(bare, b"OK", media_type="text/occi").attributes == {
        "occi.compute.cores": 2,
        "occi.compute.hostname": "foobar",
    }


def test_slips_that_lose_structure_are_refused_clearly() -> None:
    # The "\" continuations of the 1.2 examples are typesetting, not syntax; a client sending
    # them gets told which Category is broken rather than a guess.
    continuations = (
        "Category: compute; \\\n"
        '    scheme="http://schemas.ogf.org/occi/infrastructure#" \\\n'
        '    class="kind";\n'
    )
    with pytest.raises(InvalidInput) as error:
        parse_entity([], continuations.encode())
    assert "Category: compute" in error.value.message

    missing_semicolon = (
        "Category: compute;\n"
        '    scheme="http://schemas.ogf.org/occi/infrastructure#"\n'
        '    class="kind";\n'
    )
    with pytest.raises(InvalidInput) as error:
        parse_categories([], missing_semicolon.encode())
    assert "scheme" in error.value.message


# -- parse → render → parse ---------------------------------------------------------------


def _split_type_id(type_id: str) -> tuple[str, str]:
    scheme, hash_sign, term = type_id.rpartition("#")
    return term, scheme + hash_sign


def _kind(type_id: str, **extra: Any) -> Kind:
    term, scheme = _split_type_id(type_id)
    return Kind(term, scheme, **extra)


def _mixin(type_id: str, **extra: Any) -> Mixin:
    term, scheme = _split_type_id(type_id)
    return Mixin(term, scheme, **extra)


def _category_model(doc: CategoryDoc) -> Kind | Mixin | Action:
    attributes = tuple(Attribute(name) for name in doc.attributes)
    common = {"term": doc.term, "scheme": doc.scheme, "title": doc.title, "attributes": attributes}
    actions = tuple(Action(*_split_type_id(a)) for a in doc.actions)
    if doc.category_class == "kind":
        parent = _kind(doc.related[0]) if doc.related else None
        return Kind(**common, parent=parent, actions=actions, location=doc.location)
    if doc.category_class == "mixin":
        depends = tuple(_mixin(r) for r in doc.related)
        return Mixin(**common, depends=depends, actions=actions, location=doc.location)
    return Action(**common)


CATEGORY_EXAMPLES = [
    SPEC11_EXAMPLE_CATEGORIES,
    SPEC11_QUERY,
    SPEC11_ADD_MIXIN,
    SPEC11_REMOVE_MIXIN,
    SPEC11_STORAGE_KIND,
]


@pytest.mark.parametrize("renderer_class", [TextPlainRenderer, TextOCCIRenderer])
@pytest.mark.parametrize("text", CATEGORY_EXAMPLES)
def test_category_examples_survive_render_and_parse(text: str, renderer_class: type) -> None:
    docs = parse_categories([], text.encode())
    models = [_category_model(d) for d in docs]
    kinds = [m for m in models if isinstance(m, Kind)]
    mixins = [m for m in models if isinstance(m, Mixin)]
    actions = [m for m in models if isinstance(m, Action)]
    rendered = renderer_class("/").query(kinds, mixins, actions)
    again = parse_categories(rendered.headers, rendered.body, media_type=renderer_class.media_type)
    by_class = {"kind": 0, "mixin": 1, "action": 2}
    assert again == sorted(docs, key=lambda d: by_class[d.category_class or "action"])


_ADDED = {"occi.core.id", "occi.core.source", "occi.core.target"}


def _model(doc: EntityDoc) -> Resource | Link:
    attributes = dict(doc.attributes)
    identifier = attributes.pop("occi.core.id", "generated")
    title = attributes.pop("occi.core.title", None)
    kind = _kind(doc.kind or CORE + "resource")
    mixins = [_mixin(m) for m in doc.mixins]
    if "occi.core.source" in attributes or "occi.core.target" in attributes:
        return Link(
            kind,
            identifier,
            title=title,
            mixins=mixins,
            source=attributes.pop("occi.core.source", ""),
            target=attributes.pop("occi.core.target", ""),
            attributes=attributes,
        )
    links = [
        Link(
            _kind(link.kind or CORE + "link"),
            link.attributes.get("occi.core.id", f"link{i}"),
            mixins=[_mixin(m) for m in link.mixins],
            attributes={k: v for k, v in link.attributes.items() if k not in _ADDED},
            source="source",
            target=link.target or "",
            target_kind=_kind(link.target_kind) if link.target_kind else None,
            location=link.location,
        )
        for i, link in enumerate(doc.links)
    ]
    return Resource(
        kind,
        identifier,
        title=title,
        summary=attributes.pop("occi.core.summary", None),
        mixins=mixins,
        attributes=attributes,
        links=links,
    )


def _without_added(doc: EntityDoc, original: EntityDoc) -> EntityDoc:
    """``doc`` without what the renderer adds that ``original`` did not have."""
    attributes = {
        k: v for k, v in doc.attributes.items() if k in original.attributes or k not in _ADDED
    }
    links = []
    for link, before in zip(doc.links, original.links, strict=True):
        kept = {
            k: v for k, v in link.attributes.items() if k in before.attributes or k not in _ADDED
        }
        links.append(
            LinkDoc(
                link.target,
                link.target_kind,
                link.kind,
                link.mixins,
                link.location if before.location else None,
                kept,
            )
        )
    return EntityDoc(doc.kind, doc.mixins, attributes, links, doc.other_categories)


ENTITY_EXAMPLES = [e[1] for e in SPEC11_ENTITIES if "kind" in e[1]] + [SPEC12_TEXT_PLAIN]


@pytest.mark.parametrize("renderer_class", [TextPlainRenderer, TextOCCIRenderer])
@pytest.mark.parametrize("text", ENTITY_EXAMPLES)
def test_entity_examples_survive_render_and_parse(text: str, renderer_class: type) -> None:
    doc = parse_entity([], text.encode())
    model = _model(doc)
    renderer = renderer_class("/")
    rendered = renderer.link(model) if isinstance(model, Link) else renderer.resource(model)
    again = parse_entity(rendered.headers, rendered.body, media_type=renderer_class.media_type)
    assert _without_added(again, doc) == doc
