"""Creating computes, their actions and updates, over HTTP through ooi to the box's nova.

What happened is checked on nova's side, through nova's own API with the project's token.
Every server made here is deleted at the end of its test.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import pytest
import requests

from tests.functional.extra_ooi import ooi_api
from tests.functional.occi_names import (
    COMPUTE,
    INFRA,
    OCCI_USER_DATA,
    OS_PUBLIC_KEY,
    OS_TPL_SCHEME,
    OS_USER_DATA,
    RES_TPL_SCHEME,
    SSH_KEY,
    ZONE_SCHEME,
)
from tests.functional.occi_names import (
    COMPUTE_ACTIONS as ACTIONS,
)

pytestmark = pytest.mark.cloud

PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDn5c9VJ0TSzFtAu3sIe0R2gPU0ZBq1n8H2J0k9x8d0P ooi-test"
)
WAIT = 90.0
TEXT = "text/plain"


# --- helpers ----------------------------------------------------------------------------------


def category(type_id: str, cls: str = "mixin") -> str:
    scheme, term = type_id.split("#")
    return f'Category: {term}; scheme="{scheme}#"; class="{cls}"'


def text_body(mixins: list[str], attributes: dict[str, object], links: list[str] = ()) -> str:
    lines = [category(COMPUTE, "kind"), *(category(m) for m in mixins)]
    lines += [f"Link: {link}" for link in links]
    for name, value in attributes.items():
        lines.append(f"X-OCCI-Attribute: {name}={json.dumps(value)}")
    return "\n".join(lines)


def post(url: str, token: str, body: str | bytes = b"", ctype: str = TEXT, **headers: str):
    headers = {"X-Auth-Token": token, "Content-Type": ctype, **headers}
    return requests.post(url, data=body, headers=headers, timeout=120)


class Nova:
    """nova's API as the demo project sees it (for checking what ooi did)."""

    def __init__(self, cloud, project: str = "demo") -> None:  # noqa: ANN001
        self.client = cloud.client("nova", project)
        self.admin = cloud.client("nova")
        self.glance = cloud.client("glance", project)

    def server(self, server_id: str) -> dict:
        return self.client.get(f"/servers/{server_id}")["server"]

    def wait(self, server_id: str, status: str, deadline: float = WAIT) -> dict:
        """The server once nova shows ``status`` with no task running (polling, bounded)."""
        end = time.monotonic() + deadline
        while True:
            server = self.server(server_id)
            if server["status"] == status and not server.get("OS-EXT-STS:task_state"):
                return server
            assert server["status"] != "ERROR" or status == "ERROR", server.get("fault")
            assert time.monotonic() < end, f"{server_id} still {server['status']}, not {status}"
            time.sleep(0.25)

    def keypairs(self) -> set[str]:
        return {k["keypair"]["name"] for k in self.client.get("/os-keypairs")["keypairs"]}

    def user_data(self, server_id: str) -> str | None:
        self.admin.headers = {"OpenStack-API-Version": "compute 2.3"}
        return self.admin.get(f"/servers/{server_id}")["server"]["OS-EXT-SRV-ATTR:user_data"]


@pytest.fixture
def nova(cloud) -> Nova:  # noqa: ANN001
    return Nova(cloud)


@pytest.fixture(scope="module")
def image_id(cloud) -> str:  # noqa: ANN001
    images = cloud.client("glance", "demo").get("/v2/images?status=active")["images"]
    return next(i["id"] for i in images if i["name"] == "box-raw")


@pytest.fixture(scope="module")
def flavor_ids(box_flavors) -> dict[str, str]:  # noqa: ANN001
    return {str(f["name"]): str(f["id"]) for f in box_flavors}


@pytest.fixture
def cleanup(cloud) -> Iterator[dict[str, list[str]]]:  # noqa: ANN001
    """Servers, images (any project: deleted as admin) and keypairs (the demo user's) a test
    made, deleted afterwards."""
    made: dict[str, list[str]] = {"servers": [], "keypairs": [], "images": []}
    yield made
    for server_id in made["servers"]:
        cloud.client("nova").call("DELETE", f"/servers/{server_id}", ok=(404,))
    for name in made["keypairs"]:
        cloud.client("nova", "demo").call("DELETE", f"/os-keypairs/{name}", ok=(404,))
    for image in made["images"]:
        cloud.client("glance").call("DELETE", f"/v2/images/{image}", ok=(404,))


def created(resp, cleanup, ooi_url: str, prefix: str = "/occi1.2") -> str:
    """The id of the compute a 201 answer names, after checking the answer's locations."""
    assert resp.status_code == 201, resp.text
    location = resp.headers["Location"]
    if location.startswith(ooi_url + prefix + "/compute/"):
        cleanup["servers"].append(location.rsplit("/", 1)[1])
    assert location.startswith(ooi_url + prefix + "/compute/"), location
    assert location in resp.headers["X-OCCI-Location"]
    assert resp.headers["Content-Type"]
    return location.rsplit("/", 1)[1]


def boot(ooi_url, token, cleanup, image_id, flavor="1", title="ooi-test", **attributes) -> str:
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + flavor]
    body = text_body(mixins, {"occi.core.title": title, **attributes})
    return created(post(ooi_url + "/occi1.2/compute/", token, body), cleanup, ooi_url)


def act(ooi_url: str, token: str, server_id: str, term: str, **params: str):
    lines = [category(ACTIONS + term, "action")]
    lines += [f'X-OCCI-Attribute: {n}="{v}"' for n, v in params.items()]
    url = f"{ooi_url}/occi1.2/compute/{server_id}?action={term}"
    return post(url, token, "\n".join(lines))


# --- create -----------------------------------------------------------------------------------


def _create_request(rendering: str, image_id: str, title: str) -> tuple[dict, bytes]:
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1", ZONE_SCHEME + "nova"]
    if rendering == "json":
        document = {
            "kind": COMPUTE,
            "mixins": mixins,
            "attributes": {"occi.core.title": title},
        }
        return {"Content-Type": "application/occi+json"}, json.dumps(document).encode()
    lines = text_body(mixins, {"occi.core.title": title}).splitlines()
    if rendering == "text/plain":
        return {"Content-Type": TEXT}, "\n".join(lines).encode()
    headers: dict[str, str] = {"Content-Type": "text/occi"}
    for line in lines:
        name, value = line.split(": ", 1)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers, b""


@pytest.mark.parametrize("rendering", ["text/plain", "text/occi", "json"])
@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
def test_create_answers_201_with_locations(
    ooi_url, demo_token, nova, cleanup, image_id, rendering, prefix
):
    headers, body = _create_request(rendering, image_id, f"ooi-create-{rendering[-4:]}")
    accept = "application/occi+json" if rendering == "json" else headers["Content-Type"]
    if prefix == "/occi1.1":
        headers["User-Agent"] = "rOCCI-core/4.3.14 rOCCI-api/4.3.14 OCCI/1.1"
    resp = requests.post(
        ooi_url + prefix + "/compute/",
        data=body,
        headers={**headers, "X-Auth-Token": demo_token, "Accept": accept},
        timeout=120,
    )
    server_id = created(resp, cleanup, ooi_url, prefix)
    url = resp.headers["Location"]
    if rendering == "text/plain":
        assert resp.text == f"X-OCCI-Location: {url}"
    elif rendering == "text/occi":
        assert resp.text == "OK"
    else:
        assert resp.json() == {"locations": [url]}
    server = nova.server(server_id)
    assert server["name"] == f"ooi-create-{rendering[-4:]}"
    assert server["image"]["id"] == image_id
    assert server["flavor"]["id"] == "1"
    assert server["OS-EXT-AZ:availability_zone"] == "nova"
    assert nova.wait(server_id, "ACTIVE")["addresses"], "nova gave the server no network"


def test_name_falls_back_to_hostname_then_default(ooi_url, demo_token, nova, cleanup, image_id):
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1"]
    url = ooi_url + "/occi1.2/compute/"
    by_host = post(url, demo_token, text_body(mixins, {"occi.compute.hostname": "ooi-host"}))
    unnamed = post(url, demo_token, text_body(mixins, {}))
    assert nova.server(created(by_host, cleanup, ooi_url))["name"] == "ooi-host"
    assert nova.server(created(unnamed, cleanup, ooi_url))["name"] == "OCCI_VM"


def test_cores_and_memory_without_template_pick_a_flavor(
    ooi_url, demo_token, nova, cleanup, image_id, flavor_ids
):
    # IM sends sizes instead of a resource template: the smallest flavor that fits.
    body = text_body(
        [OS_TPL_SCHEME + image_id], {"occi.core.title": "ooi-sized", "occi.compute.memory": 1.5}
    )
    server_id = created(post(ooi_url + "/occi1.2/compute/", demo_token, body), cleanup, ooi_url)
    assert nova.server(server_id)["flavor"]["id"] == flavor_ids["m1.small"]


@pytest.mark.parametrize(
    ("mixin", "attribute"),
    [(OCCI_USER_DATA, "occi.compute.userdata"), (OS_USER_DATA, "org.openstack.compute.user_data")],
)
def test_user_data_reaches_nova(ooi_url, demo_token, nova, cleanup, image_id, mixin, attribute):
    # One line: text renderings have no escape for a line break inside a value.
    script = "#cloud-config {runcmd: [echo hello]}"
    encoded = base64.b64encode(script.encode()).decode()
    url = ooi_url + "/occi1.2/compute/"
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1", mixin]
    # Base64 (what rOCCI and IM send) is passed through; plain text is encoded.
    as_base64 = post(url, demo_token, text_body(mixins, {attribute: encoded}))
    as_text = post(url, demo_token, text_body(mixins, {attribute: script}))
    assert nova.user_data(created(as_base64, cleanup, ooi_url)) == encoded
    assert nova.user_data(created(as_text, cleanup, ooi_url)) == encoded


@pytest.mark.parametrize(
    ("mixin", "attribute"),
    [
        (SSH_KEY, "occi.credentials.ssh.publickey"),
        (OS_PUBLIC_KEY, "org.openstack.credentials.publickey.data"),
    ],
)
def test_public_key_uses_a_keypair_made_for_the_boot(
    ooi_url, demo_token, nova, cleanup, image_id, mixin, attribute
):
    before = nova.keypairs()
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1", mixin]
    body = text_body(mixins, {"occi.core.title": "ooi-keyed", attribute: PUBLIC_KEY})
    server_id = created(post(ooi_url + "/occi1.2/compute/", demo_token, body), cleanup, ooi_url)
    key_name = nova.server(server_id)["key_name"]
    assert key_name and key_name not in before
    assert key_name not in nova.keypairs(), "the keypair made for the boot was left behind"


def test_named_public_key_becomes_that_keypair(ooi_url, demo_token, nova, cleanup, image_id):
    name = f"ooi-test-{time.time_ns()}"
    cleanup["keypairs"].append(name)
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1", OS_PUBLIC_KEY]
    attributes = {
        "org.openstack.credentials.publickey.name": name,
        "org.openstack.credentials.publickey.data": PUBLIC_KEY,
    }
    first = post(ooi_url + "/occi1.2/compute/", demo_token, text_body(mixins, attributes))
    assert nova.server(created(first, cleanup, ooi_url))["key_name"] == name
    assert name in nova.keypairs()
    # The name alone picks the keypair; name and data again is nova's 409 (name taken).
    by_name = {"org.openstack.credentials.publickey.name": name}
    second = post(ooi_url + "/occi1.2/compute/", demo_token, text_body(mixins, by_name))
    assert nova.server(created(second, cleanup, ooi_url))["key_name"] == name
    again = post(ooi_url + "/occi1.2/compute/", demo_token, text_body(mixins, attributes))
    assert again.status_code == 409, again.text
    assert name in again.text


def test_network_link_chooses_the_network(ooi_url, cloud, demo_token, nova, cleanup, image_id):
    network = cloud.client("neutron", "demo").find("/networks", "networks", "private")
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1"]
    # rOCCI-cli sends endpoint-relative targets; IM host-absolute ones with the prefix.
    for target in (f"/network/{network['id']}", f"/occi1.2/network/{network['id']}"):
        link = f'<{target}>; rel="{INFRA}network"; category="{INFRA}networkinterface"'
        body = text_body(mixins, {"occi.core.title": "ooi-linked"}, [link])
        server_id = created(post(ooi_url + "/occi1.2/compute/", demo_token, body), cleanup, ooi_url)
        assert list(nova.wait(server_id, "ACTIVE")["addresses"]) == ["private"]


def test_absolute_references_behind_a_tls_proxy(ooi_url, cloud, demo_token, cleanup, image_id):
    # The box sets ooi_secure_proxy_ssl_header: a client behind the proxy sees https URLs and
    # sends them back; the Location it gets is https too.
    network = cloud.client("neutron", "demo").find("/networks", "networks", "private")
    https_root = "https://" + ooi_url.split("://", 1)[1] + "/occi1.2/"
    link = f'<{https_root}network/{network["id"]}>; rel="{INFRA}network"'
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1"]
    body = text_body(mixins, {"occi.core.title": "ooi-proxied"}, [link])
    resp = post(ooi_url + "/occi1.2/compute/", demo_token, body, **{"X-Forwarded-Scheme": "https"})
    assert resp.status_code == 201, resp.text
    cleanup["servers"].append(resp.headers["Location"].rsplit("/", 1)[1])
    assert resp.headers["Location"].startswith(https_root + "compute/")


# --- actions and updates -----------------------------------------------------------------------


def test_lifecycle(ooi_url, cloud, demo_token, nova, cleanup, image_id, flavor_ids):
    server_id = boot(ooi_url, demo_token, cleanup, image_id, title="ooi-life")
    nova.wait(server_id, "ACTIVE")

    assert act(ooi_url, demo_token, server_id, "stop").status_code == 200
    nova.wait(server_id, "SHUTOFF")
    # An action nova refuses in this state: its 409 and reason.
    refused = act(ooi_url, demo_token, server_id, "suspend")
    assert refused.status_code == 409, refused.text
    assert "nova" in refused.text
    assert act(ooi_url, demo_token, server_id, "start").status_code == 200
    nova.wait(server_id, "ACTIVE")
    resp = act(ooi_url, demo_token, server_id, "restart", method="cold")
    assert resp.status_code == 200, resp.text
    nova.wait(server_id, "ACTIVE")
    assert act(ooi_url, demo_token, server_id, "suspend").status_code == 200
    nova.wait(server_id, "SUSPENDED")
    assert act(ooi_url, demo_token, server_id, "start").status_code == 200  # resume
    nova.wait(server_id, "ACTIVE")
    assert act(ooi_url, demo_token, server_id, "suspend", method="suspend").status_code == 200
    nova.wait(server_id, "PAUSED")
    assert act(ooi_url, demo_token, server_id, "start").status_code == 200  # unpause
    nova.wait(server_id, "ACTIVE")

    # save: the new image, named as asked, comes back as an os_tpl mixin.
    saved = act(ooi_url, demo_token, server_id, "save", name="ooi-life-snap")
    assert saved.status_code == 200, saved.text
    assert f'scheme="{OS_TPL_SCHEME}"' in saved.text
    assert 'title="ooi-life-snap"' in saved.text
    new_image = saved.text.split("Category: ", 1)[1].split(";", 1)[0]
    cleanup["images"].append(new_image)
    assert nova.glance.get(f"/v2/images/{new_image}")["name"] == "ooi-life-snap"
    nova.wait(server_id, "ACTIVE")
    # ... and is offered in the query interface (at once by the worker that saved; another
    # worker of the standalone server may keep its cached list for ooi_cache_ttl seconds).
    deadline = time.monotonic() + 45
    while True:
        query = requests.get(
            f"{ooi_url}/occi1.2/-/", headers={"X-Auth-Token": demo_token}, timeout=60
        )
        if f"Category: {new_image}; " in query.text:
            break
        assert time.monotonic() < deadline, "the saved image never appeared in /-/"
        time.sleep(1)

    # resize by a partial update with another resource template, confirmed.
    resized = post(
        f"{ooi_url}/occi1.2/compute/{server_id}",
        demo_token,
        category(RES_TPL_SCHEME + flavor_ids["m1.small"]),
    )
    assert resized.status_code == 200, resized.text
    assert f'Category: {flavor_ids["m1.small"]}; scheme="{RES_TPL_SCHEME}"' in resized.text
    server = nova.wait(server_id, "ACTIVE")
    assert server["flavor"]["id"] == flavor_ids["m1.small"]

    resp = requests.delete(
        f"{ooi_url}/occi1.2/compute/{server_id}", headers={"X-Auth-Token": demo_token}, timeout=60
    )
    assert resp.status_code in (200, 204)


def test_action_without_body_takes_the_query(ooi_url, demo_token, nova, cleanup, image_id):
    server_id = boot(ooi_url, demo_token, cleanup, image_id, title="ooi-bare-action")
    nova.wait(server_id, "ACTIVE")
    resp = requests.post(
        f"{ooi_url}/occi1.1/compute/{server_id}?action=stop",
        headers={"X-Auth-Token": demo_token, "User-Agent": "IM OCCI/1.1"},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text
    nova.wait(server_id, "SHUTOFF")


def test_actions_toward_where_the_compute_is_change_nothing(
    ooi_url, demo_token, nova, cleanup, image_id
):
    server_id = boot(ooi_url, demo_token, cleanup, image_id, title="ooi-there")
    # Still building: start is where it is going.
    building = act(ooi_url, demo_token, server_id, "start")
    assert building.status_code == 200, building.text
    nova.wait(server_id, "ACTIVE")
    resp = act(ooi_url, demo_token, server_id, "start")
    assert resp.status_code == 200, resp.text
    assert nova.server(server_id)["status"] == "ACTIVE"
    assert not nova.server(server_id).get("OS-EXT-STS:task_state")
    assert act(ooi_url, demo_token, server_id, "stop").status_code == 200
    assert act(ooi_url, demo_token, server_id, "stop").status_code == 200  # stopping already
    nova.wait(server_id, "SHUTOFF")
    assert act(ooi_url, demo_token, server_id, "stop").status_code == 200


def test_rename_by_partial_update(ooi_url, demo_token, nova, cleanup, image_id):
    server_id = boot(ooi_url, demo_token, cleanup, image_id, title="ooi-old-name")
    # nova's build may still save the instance and undo a rename made meanwhile.
    nova.wait(server_id, "ACTIVE")
    body = 'X-OCCI-Attribute: occi.core.title="ooi-new-name"'
    resp = post(f"{ooi_url}/occi1.2/compute/{server_id}", demo_token, body)
    assert resp.status_code == 200, resp.text
    assert 'occi.core.title="ooi-new-name"' in resp.text
    assert nova.server(server_id)["name"] == "ooi-new-name"


def test_replace_with_a_full_rendering_resizes(
    ooi_url, demo_token, nova, cleanup, image_id, flavor_ids
):
    server_id = boot(ooi_url, demo_token, cleanup, image_id, title="ooi-put")
    nova.wait(server_id, "ACTIVE")
    url = f"{ooi_url}/occi1.2/compute/{server_id}"
    shown = requests.get(url, headers={"X-Auth-Token": demo_token}, timeout=60)
    assert shown.status_code == 200, shown.text
    small = flavor_ids["m1.small"]
    lines = [
        f'Category: {small}; scheme="{RES_TPL_SCHEME}"; class="mixin"'
        if line.startswith("Category: ") and RES_TPL_SCHEME in line
        else line.replace('occi.core.title="ooi-put"', 'occi.core.title="ooi-put-2"')
        for line in shown.text.splitlines()
    ]
    resp = requests.put(
        url,
        data="\n".join(lines),
        headers={"X-Auth-Token": demo_token, "Content-Type": TEXT},
        timeout=120,
    )
    assert resp.status_code == 200, resp.text
    server = nova.wait(server_id, "ACTIVE")
    assert server["flavor"]["id"] == small
    assert server["name"] == "ooi-put-2"
    assert server["addresses"], "the replace dropped the network interface"


def test_collection_action_reaches_every_compute(ooi_url, cloud, alt_demo_token, cleanup, image_id):
    # In alt_demo: an action on the collection reaches every server of the project.
    alt = Nova(cloud, "alt_demo")
    ids = [boot(ooi_url, alt_demo_token, cleanup, image_id, title=f"ooi-all-{i}") for i in (1, 2)]
    for server_id in ids:
        alt.wait(server_id, "ACTIVE")
        assert act(ooi_url, alt_demo_token, server_id, "stop").status_code == 200
    for server_id in ids:
        alt.wait(server_id, "SHUTOFF")
    resp = post(
        ooi_url + "/occi1.2/compute/?action=start",
        alt_demo_token,
        category(ACTIONS + "start", "action"),
    )
    assert resp.status_code == 200, resp.text
    for server_id in ids:
        alt.wait(server_id, "ACTIVE")


@pytest.fixture(scope="module")
def ooi_with_defaults(cloud, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    """A second ooi-api whose site configured default templates (by name)."""
    options = "ooi_default_os_tpl = box-raw\nooi_default_resource_tpl = m1.tiny\n"
    with ooi_api(cloud, tmp_path_factory.mktemp("defaults"), options) as url:
        yield url


def test_a_kind_only_create_uses_the_sites_default_templates(
    ooi_with_defaults, demo_token, nova, cleanup, image_id, flavor_ids
):
    body = category(COMPUTE, "kind")
    resp = post(ooi_with_defaults + "/occi1.2/compute/", demo_token, body)
    server_id = created(resp, cleanup, ooi_with_defaults)
    server = nova.server(server_id)
    assert server["image"]["id"] == image_id
    assert server["flavor"]["id"] == flavor_ids["m1.tiny"]
    # Cores and memory still choose the flavor, and an explicit template wins.
    body = text_body([], {"occi.compute.memory": 2.0})
    server_id = created(
        post(ooi_with_defaults + "/occi1.2/compute/", demo_token, body), cleanup, ooi_with_defaults
    )
    assert nova.server(server_id)["flavor"]["id"] == flavor_ids["m1.small"]


def _image_has_architecture(cloud, image_id: str) -> None:  # noqa: ANN001
    """The box's image says x86_64 (its seed sets it; a box seeded before that gets it here)."""
    glance = cloud.client("glance")
    image = glance.get(f"/v2/images/{image_id}")
    if image.get("hw_architecture") == "x86_64":
        return
    op = "replace" if "hw_architecture" in image else "add"
    resp = requests.patch(
        f"{glance.base}/v2/images/{image_id}",
        json=[{"op": op, "path": "/hw_architecture", "value": "x86_64"}],
        headers={
            "X-Auth-Token": glance.token,
            "Content-Type": "application/openstack-images-v2.1-json-patch",
        },
        timeout=60,
    )
    assert resp.status_code == 200, resp.text


def test_hostname_apart_from_the_title_and_the_architecture(
    ooi_url, cloud, demo_token, nova, cleanup, image_id
):
    # A client boots machines titled "node" with hostnames of their own.
    _image_has_architecture(cloud, image_id)
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1"]
    body = text_body(mixins, {"occi.core.title": "node", "occi.compute.hostname": "vnode-2"})
    server_id = created(post(ooi_url + "/occi1.2/compute/", demo_token, body), cleanup, ooi_url)
    nova.admin.headers = {"OpenStack-API-Version": "compute 2.90"}
    server = nova.admin.get(f"/servers/{server_id}")["server"]
    assert (server["name"], server["OS-EXT-SRV-ATTR:hostname"]) == ("node", "vnode-2")
    for prefix in ("/occi1.1", "/occi1.2"):
        shown = requests.get(
            f"{ooi_url}{prefix}/compute/{server_id}",
            headers={"X-Auth-Token": demo_token},
            timeout=60,
        )
        lines = shown.text.splitlines()
        assert 'X-OCCI-Attribute: occi.core.title="node"' in lines, shown.text
        assert 'X-OCCI-Attribute: occi.compute.hostname="vnode-2"' in lines
        assert 'X-OCCI-Attribute: occi.compute.architecture="x64"' in lines
    # An update of the hostname changes the hostname, not the name.
    update = 'X-OCCI-Attribute: occi.compute.hostname="vnode-3"'
    resp = post(f"{ooi_url}/occi1.2/compute/{server_id}", demo_token, update)
    assert resp.status_code == 200, resp.text
    assert 'X-OCCI-Attribute: occi.compute.hostname="vnode-3"' in resp.text.splitlines()
    server = nova.admin.get(f"/servers/{server_id}")["server"]
    assert (server["name"], server["OS-EXT-SRV-ATTR:hostname"]) == ("node", "vnode-3")
