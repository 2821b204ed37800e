"""Bad creates, actions and updates of computes: a 4xx naming the offender, and nothing left
behind in nova (no server, no keypair)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import pytest
import requests

from tests.functional.occi_names import (
    COMPUTE,
    INFRA,
    OCCI_USER_DATA,
    OS_PUBLIC_KEY,
    OS_USER_DATA,
)
from tests.functional.occi_names import (
    COMPUTE_ACTIONS as ACTIONS,
)
from tests.functional.occi_names import (
    OS_TPL_SCHEME as OS_TPL,
)
from tests.functional.occi_names import (
    RES_TPL_SCHEME as RES_TPL,
)

pytestmark = pytest.mark.cloud

PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDn5c9VJ0TSzFtAu3sIe0R2gPU0ZBq1n8H2J0k9x8d0P ooi-test"
)
UA_11 = "rOCCI-core/4.3.14 rOCCI-api/4.3.14 OCCI/1.1"


def category(type_id: str, cls: str = "mixin") -> str:
    scheme, term = type_id.split("#")
    return f'Category: {term}; scheme="{scheme}#"; class="{cls}"'


def body(categories: list[str], attributes: dict[str, object], links: list[str] = ()) -> str:
    lines = list(categories) + [f"Link: {link}" for link in links]
    lines += [f"X-OCCI-Attribute: {n}={json.dumps(v)}" for n, v in attributes.items()]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def image_id(cloud) -> str:  # noqa: ANN001
    images = cloud.client("glance", "demo").get("/v2/images?status=active")["images"]
    return next(i["id"] for i in images if i["name"] == "box-raw")


@pytest.fixture
def title() -> str:
    """A name no other server has, to find out whether one was made."""
    return f"ooi-bad-{time.time_ns()}"


@pytest.fixture
def nothing_made(cloud, title) -> Iterator[None]:  # noqa: ANN001
    yield
    nova = cloud.client("nova", "demo")
    leftovers = nova.get(f"/servers?name={title}")["servers"]
    for server in leftovers:
        nova.call("DELETE", f"/servers/{server['id']}", ok=(404,))
    assert not leftovers, "a refused create left a server behind"


def create(ooi_url: str, token: str, text: str, prefix: str = "/occi1.2", **headers: str):
    headers = {"X-Auth-Token": token, "Content-Type": "text/plain", **headers}
    if prefix == "/occi1.1":
        headers.setdefault("User-Agent", UA_11)
    return requests.post(f"{ooi_url}{prefix}/compute/", data=text, headers=headers, timeout=60)


def _refused(resp, status: int, *fragments: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"]
    assert resp.text.strip(), "an error without a message"
    for fragment in fragments:
        assert fragment in resp.text, (fragment, resp.text)


@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("no kind", ["Missing kind", COMPUTE]),
        ("no os_tpl", ["Missing OS template", "os_tpl", "GET /-/"]),
        ("no resource_tpl", ["Missing resource template", "resource_tpl", "GET /-/"]),
        ("unknown mixin", ["Unknown mixin", OS_TPL + "no-such-image"]),
        ("two resource templates", ["Only one resource template"]),
        ("wrong type", ["occi.compute.hostname", "expects a string"]),
        ("immutable", ["occi.compute.state", "immutable"]),
        ("fixed by template", ["occi.compute.cores", "fixed"]),
        ("public_key without key", ["org.openstack.credentials.publickey.data"]),
        ("different user data", ["occi.compute.userdata", "org.openstack.compute.user_data"]),
        ("too much user data", ["org.openstack.compute.user_data", "65535"]),
        ("link elsewhere", ["http://elsewhere.example.org/occi1.2/network/x"]),
        ("link to a compute", ["/compute/x"]),
    ],
)
def test_bad_create_is_400_naming_the_offender(
    ooi_url, demo_token, image_id, title, nothing_made, case, fragments, prefix
):
    kind = category(COMPUTE, "kind")
    image, flavor = category(OS_TPL + image_id), category(RES_TPL + "1")
    named = {"occi.core.title": title}
    network = f'rel="{INFRA}network"; category="{INFRA}networkinterface"'
    texts = {
        "no kind": body([image, flavor], named),
        "no os_tpl": body([kind, flavor], named),
        "no resource_tpl": body([kind, image], named),
        "unknown mixin": body([kind, image, flavor, category(OS_TPL + "no-such-image")], named),
        "two resource templates": body([kind, image, flavor, category(RES_TPL + "2")], named),
        "wrong type": body([kind, image, flavor], {**named, "occi.compute.hostname": 5}),
        "immutable": body([kind, image, flavor], {**named, "occi.compute.state": "active"}),
        "fixed by template": body([kind, image, flavor], {**named, "occi.compute.cores": 64}),
        "public_key without key": body([kind, image, flavor, category(OS_PUBLIC_KEY)], named),
        "different user data": body(
            [kind, image, flavor, category(OCCI_USER_DATA), category(OS_USER_DATA)],
            {
                **named,
                "occi.compute.userdata": base64.b64encode(b"one").decode(),
                "org.openstack.compute.user_data": base64.b64encode(b"two").decode(),
            },
        ),
        "too much user data": body(
            [kind, image, flavor, category(OS_USER_DATA)],
            {**named, "org.openstack.compute.user_data": "A" * 65536},  # nova: 65535 at most
        ),
        "link elsewhere": body(
            [kind, image, flavor],
            named,
            [f"<http://elsewhere.example.org/occi1.2/network/x>; {network}"],
        ),
        "link to a compute": body([kind, image, flavor], named, [f"</compute/x>; {network}"]),
    }
    _refused(create(ooi_url, demo_token, texts[case], prefix), 400, *fragments)


@pytest.mark.parametrize(
    ("target", "status", "fragment"),
    [
        ("/storage/x", 404, "no storage x"),
        ("/storage/00000000-0000-4000-8000-000000000000", 404, "no storage"),
        ("/storage/", 400, "occi.storage.size"),
    ],
)
def test_bad_storage_links_make_nothing(
    ooi_url, demo_token, image_id, title, nothing_made, target, status, fragment
):
    link = f'<{target}>; rel="{INFRA}storage"; category="{INFRA}storagelink"'
    text = body(
        [category(COMPUTE, "kind"), category(OS_TPL + image_id), category(RES_TPL + "1")],
        {"occi.core.title": title},
        [link],
    )
    _refused(create(ooi_url, demo_token, text), status, fragment)


@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
def test_malformed_body_is_400(ooi_url, demo_token, prefix):
    _refused(create(ooi_url, demo_token, "Category compute", prefix), 400)
    resp = create(
        ooi_url, demo_token, "{not json", prefix, **{"Content-Type": "application/occi+json"}
    )
    _refused(resp, 400)


def test_unsupported_content_type_is_415(ooi_url, demo_token):
    resp = create(ooi_url, demo_token, "<compute/>", **{"Content-Type": "application/xml"})
    _refused(resp, 415)


def test_failed_boot_leaves_no_keypair(ooi_url, cloud, demo_token, image_id, title, nothing_made):
    # nova refuses the boot (no such network) after ooi imported the named keypair.
    name = f"ooi-test-{time.time_ns()}"
    link = (
        "</network/00000000-0000-0000-0000-000000000000>; "
        f'rel="{INFRA}network"; category="{INFRA}networkinterface"'
    )
    text = body(
        [
            category(COMPUTE, "kind"),
            category(OS_TPL + image_id),
            category(RES_TPL + "1"),
            category(OS_PUBLIC_KEY),
        ],
        {
            "occi.core.title": title,
            "org.openstack.credentials.publickey.name": name,
            "org.openstack.credentials.publickey.data": PUBLIC_KEY,
        },
        [link],
    )
    resp = create(ooi_url, demo_token, text)
    assert 400 <= resp.status_code < 500, resp.text
    assert "nova" in resp.text
    keypairs = cloud.client("nova", "demo").get("/os-keypairs")["keypairs"]
    assert name not in {k["keypair"]["name"] for k in keypairs}


def test_invalid_key_is_nova_400_and_nothing_left(
    ooi_url, cloud, demo_token, image_id, title, nothing_made
):
    before = cloud.client("nova", "demo").get("/os-keypairs")["keypairs"]
    text = body(
        [
            category(COMPUTE, "kind"),
            category(OS_TPL + image_id),
            category(RES_TPL + "1"),
            category(OS_PUBLIC_KEY),
        ],
        {"occi.core.title": title, "org.openstack.credentials.publickey.data": "not a key"},
    )
    _refused(create(ooi_url, demo_token, text), 400, "nova")
    assert cloud.client("nova", "demo").get("/os-keypairs")["keypairs"] == before


# --- actions and updates on a compute ----------------------------------------------------------


@pytest.fixture(scope="module")
def server_id(cloud, image_id) -> Iterator[str]:  # noqa: ANN001
    """One server of the demo project (made through nova) for refused changes."""
    nova = cloud.client("nova", "demo")
    server = nova.post(
        "/servers",
        {"server": {"name": "ooi-bad-changes", "imageRef": image_id, "flavorRef": "1"}},
    )["server"]
    yield server["id"]
    nova.call("DELETE", f"/servers/{server['id']}", ok=(404,))


def _post(url: str, token: str, text: str, **headers: str):
    headers = {"X-Auth-Token": token, "Content-Type": "text/plain", **headers}
    return requests.post(url, data=text, headers=headers, timeout=60)


@pytest.mark.parametrize(
    ("query", "text", "status", "fragments"),
    [
        ("?action=fly", "", 400, ["Unknown action", "fly", "start"]),
        ("?action=stop", category(ACTIONS + "start", "action"), 400, ["stop", "start"]),
        (
            "?action=restart",
            category(ACTIONS + "restart", "action") + '\nX-OCCI-Attribute: method="hot"',
            400,
            ["method"],
        ),
        ("", category(OS_TPL + "other-image"), 400, ["Unknown mixin"]),
        ("", 'X-OCCI-Attribute: occi.compute.state="inactive"', 400, ["occi.compute.state"]),
        (
            "",
            category(OS_USER_DATA) + '\nX-OCCI-Attribute: org.openstack.compute.user_data="eA=="',
            400,
            ["created"],
        ),
        ("", "X-OCCI-Attribute: occi.compute.cores=16", 400, ["occi.compute.cores"]),
    ],
)
def test_bad_action_or_update_is_refused(
    ooi_url, demo_token, server_id, query, text, status, fragments
):
    url = f"{ooi_url}/occi1.2/compute/{server_id}{query}"
    _refused(_post(url, demo_token, text), status, *fragments)


def test_actions_on_unknown_computes_are_404(ooi_url, demo_token):
    for server in ("00000000-0000-0000-0000-000000000000", "no..such"):
        url = f"{ooi_url}/occi1.2/compute/{server}?action=stop"
        _refused(_post(url, demo_token, category(ACTIONS + "stop", "action")), 404)
    url = f"{ooi_url}/occi1.2/compute/00000000-0000-0000-0000-000000000000"
    _refused(_post(url, demo_token, 'X-OCCI-Attribute: occi.core.title="x"'), 404)
