"""User mixins (tags) over HTTP in both modes: defined at /-/, kept in ooi's store (shared by
the box's two ooi processes), carried by computes as nova server tags."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests

from tests.functional.occi_names import COMPUTE, OS_TPL_SCHEME, RES_TPL_SCHEME
from tests.functional.test_compute_read import Nova

pytestmark = pytest.mark.cloud

SCHEME = "http://example.com/occi/tags#"


def _send(method: str, url: str, token: str, body: str = "", **headers: str) -> requests.Response:
    headers = {"X-Auth-Token": token, "Content-Type": "text/plain", **headers}
    return requests.request(method, url, data=body, headers=headers, timeout=60)


def _definition(term: str, location: str, title: str = "A tag") -> str:
    return (
        f'Category: {term}; scheme="{SCHEME}"; class="mixin"; title="{title}"; '
        f'location="{location}"'
    )


@pytest.fixture
def tag(ooi_url: str, demo_token: str) -> Iterator[dict[str, str]]:
    """A user mixin of the demo project, deleted afterwards."""
    term = f"tag{uuid.uuid4().hex[:8]}"
    definition = _definition(term, f"/{term}/")
    resp = _send("POST", ooi_url + "/occi1.2/-/", demo_token, definition)
    assert resp.status_code == 200, resp.text
    yield {"term": term, "definition": definition, "type_id": SCHEME + term}
    _send("DELETE", ooi_url + "/occi1.2/-/", demo_token, definition)


@pytest.fixture(scope="module")
def nova_demo(cloud: Any) -> Nova:
    return Nova(cloud, "demo")


def test_a_defined_mixin_is_offered_to_its_project_in_both_processes(
    cloud, demo_token, alt_demo_token, tag
):
    for root in (cloud.endpoints["ooi"], cloud.endpoints["ooi_standalone"]):
        plain = _send("GET", root + "/occi1.2/-/", demo_token)
        line = next(ln for ln in plain.text.splitlines() if f"Category: {tag['term']};" in ln)
        assert f'location="/occi1.2/{tag["term"]}/"' in line and 'title="A tag"' in line
        as_json = _send("GET", root + "/occi1.1/-/", demo_token, Accept="application/occi+json")
        terms = {m["term"]: m for m in as_json.json()["mixins"]}
        assert terms[tag["term"]]["location"] == f"/occi1.1/{tag['term']}/"
        other = _send("GET", root + "/occi1.2/-/", alt_demo_token)
        assert tag["term"] not in other.text


def test_definitions_that_clash_are_refused(ooi_url, demo_token, tag):
    url = ooi_url + "/occi1.2/-/"
    again = _send("POST", url, demo_token, tag["definition"])
    assert again.status_code == 409 and "user mixin of this project" in again.text
    same_place = _send(
        "POST", url, demo_token, _definition("other" + tag["term"], f"/{tag['term']}/")
    )
    assert same_place.status_code == 409, same_place.text
    provider = _send(
        "POST",
        url,
        demo_token,
        'Category: os_tpl; scheme="http://schemas.ogf.org/occi/infrastructure#"; '
        'class="mixin"; location="/mine/"',
    )
    assert provider.status_code == 409 and "provider" in provider.text
    bound = _send("POST", url, demo_token, _definition("x" + tag["term"], "/compute/"))
    assert bound.status_code == 409, bound.text
    no_location = _send(
        "POST", url, demo_token, f'Category: y{tag["term"]}; scheme="{SCHEME}"; class="mixin"'
    )
    assert no_location.status_code == 400 and "location" in no_location.text
    delete_provider = _send(
        "DELETE",
        url,
        demo_token,
        'Category: os_tpl; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="mixin"',
    )
    assert delete_provider.status_code == 403, delete_provider.text
    unknown = _send("DELETE", url, demo_token, _definition("nothing" + tag["term"], "/n/"))
    assert unknown.status_code == 404


def test_tagging_computes_at_create_and_through_the_collection(
    ooi_url, cloud, demo_token, tag, nova_demo
):
    image = cloud.client("glance", "demo", "/v2").find("/images", "images", "box-raw")
    body = "\n".join(
        [
            f'Category: compute; scheme="{COMPUTE.split("#")[0]}#"; class="kind"',
            f'Category: {image["id"]}; scheme="{OS_TPL_SCHEME}"; class="mixin"',
            f'Category: 1; scheme="{RES_TPL_SCHEME}"; class="mixin"',
            f'Category: {tag["term"]}; scheme="{SCHEME}"; class="mixin"',
            'X-OCCI-Attribute: occi.core.title="tagged-at-create"',
        ]
    )
    made: list[str] = []
    try:
        resp = _send("POST", ooi_url + "/occi1.2/compute/", demo_token, body)
        assert resp.status_code == 201, resp.text
        first = resp.headers["Location"].rsplit("/", 1)[1]
        made.append(first)
        nova_tag = nova_demo.nova.get(f"/servers/{first}")["server"]["tags"]
        assert len(nova_tag) == 1 and nova_tag[0].startswith("ooi-")
        shown = _send("GET", f"{ooi_url}/occi1.2/compute/{first}", demo_token)
        assert f'Category: {tag["term"]}; scheme="{SCHEME}"; class="mixin"' in shown.text

        second = nova_demo.boot(name="tagged-later")
        made.append(second)
        nova_demo.wait(second, "ACTIVE")
        collection = f"{ooi_url}/occi1.2/{tag['term']}/"
        root = f"{ooi_url}/occi1.2/compute/"
        added = _send("POST", collection, demo_token, f"X-OCCI-Location: {root}{second}")
        assert added.status_code == 200, added.text
        members = _send("GET", collection, demo_token, Accept="text/uri-list").text.split()
        assert sorted(members) == sorted(f"{root}{i}" for i in made)
        filtered = _send(
            "GET", f"{root}?category={quote(tag['type_id'])}", demo_token, Accept="text/uri-list"
        )
        assert sorted(filtered.text.split()) == sorted(members)

        removed = _send("DELETE", collection, demo_token, f"X-OCCI-Location: {root}{second}")
        assert removed.status_code == 200, removed.text
        assert nova_demo.nova.get(f"/servers/{second}")["server"]["tags"] == []
        members = _send("GET", collection, demo_token, Accept="text/uri-list").text.split()
        assert members == [f"{root}{first}"]

        # Deleting the definition takes the tags off the computes.
        nova_demo.wait(first, "ACTIVE")
        gone = _send("DELETE", ooi_url + "/occi1.2/-/", demo_token, tag["definition"])
        assert gone.status_code == 200, gone.text
        assert nova_demo.nova.get(f"/servers/{first}")["server"]["tags"] == []
        assert tag["term"] not in _send("GET", ooi_url + "/occi1.2/-/", demo_token).text
    finally:
        for server_id in made:
            nova_demo.delete(server_id)


@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
def test_storages_and_networks_carry_user_mixins(ooi_url, cloud, alt_demo_token, prefix):
    """The same tag on volumes (cinder metadata) and networks (neutron tags): at create, by
    POST/PUT/DELETE on its collection, listed there in every rendering, filtered by, and
    taken off when the definition goes. In alt_demo: demo keeps its one network."""
    from tests.functional.test_storage import Cloud

    witness = Cloud(cloud, "alt_demo")
    base = f"{ooi_url}{prefix}/"
    term = f"tag{uuid.uuid4().hex[:8]}"
    definition = _definition(term, f"/{term}/")
    tag_category = f'Category: {term}; scheme="{SCHEME}"; class="mixin"'
    infra = "http://schemas.ogf.org/occi/infrastructure#"
    net_name = f"ooi-net-{term}"
    collection = f"{base}{term}/"
    volumes: list[str] = []
    networks: list[str] = []

    def create(kind_collection: str, body: str, made: list[str]) -> str:
        """POST a create; the new entity's URL (its id kept in ``made`` for the clean-up)."""
        resp = _send("POST", base + kind_collection, alt_demo_token, body)
        assert resp.status_code == 201, resp.text
        made.append(resp.headers["Location"].rsplit("/", 1)[1])
        return resp.headers["Location"]

    resp = _send("POST", base + "-/", alt_demo_token, definition)
    assert resp.status_code == 200, resp.text
    try:
        # At create: a storage and a network, each with the tag.
        storage_body = "\n".join(
            [
                f'Category: storage; scheme="{infra}"; class="kind"',
                tag_category,
                "X-OCCI-Attribute: occi.storage.size=1",
                f'X-OCCI-Attribute: occi.core.title="{term}-a"',
            ]
        )
        first = create("storage/", storage_body, volumes)
        network_body = "\n".join(
            [
                f'Category: network; scheme="{infra}"; class="kind"',
                'Category: ipnetwork; scheme="http://schemas.ogf.org/occi/infrastructure/'
                'network#"; class="mixin"',
                tag_category,
                'X-OCCI-Attribute: occi.network.address="10.68.0.0/24"',
                f'X-OCCI-Attribute: occi.core.title="{net_name}"',
            ]
        )
        network = create("network/", network_body, networks)
        metadata = witness.volume(volumes[0])["metadata"]
        (tag,) = [k for k in metadata if k.startswith("ooi-")]
        assert metadata[tag] == SCHEME + term
        assert witness.neutron.get(f"/networks/{networks[0]}")["network"]["tags"] == [tag]
        for url in (first, network):
            shown = _send("GET", url, alt_demo_token)
            assert tag_category in shown.text, shown.text

        # PUT on the collection: exactly the two storages (a new untagged one joins, the
        # network leaves); POST: the network joins again.
        plain_body = "\n".join(ln for ln in storage_body.splitlines() if ln != tag_category)
        second = create("storage/", plain_body, volumes)
        assert tag not in witness.volume(volumes[1])["metadata"]
        put = _send("PUT", collection, alt_demo_token, f"X-OCCI-Location: {first}, {second}")
        assert put.status_code == 200, put.text
        assert tag in witness.volume(volumes[1])["metadata"]
        assert witness.neutron.get(f"/networks/{networks[0]}")["network"]["tags"] == []
        added = _send("POST", collection, alt_demo_token, f"X-OCCI-Location: {network}")
        assert added.status_code == 200, added.text
        assert witness.neutron.get(f"/networks/{networks[0]}")["network"]["tags"] == [tag]

        # Listed in every rendering, and filtered by.
        members = sorted([first, second, network])
        listing = _send("GET", collection, alt_demo_token, Accept="text/uri-list")
        assert sorted(listing.text.split()) == members
        plain = _send("GET", collection, alt_demo_token, Accept="text/plain")
        assert sorted(ln.split(": ", 1)[1] for ln in plain.text.splitlines()) == members
        as_json = _send("GET", collection, alt_demo_token, Accept="application/occi+json")
        found = as_json.json()
        entities = found.get("resources", []) if isinstance(found, dict) else found
        assert sorted(e["id"] for e in entities) == sorted(m.rsplit("/", 1)[1] for m in members)
        assert all(SCHEME + term in e["mixins"] for e in entities)
        for kind, expected in (("storage", [first, second]), ("network", [network])):
            filtered = _send(
                "GET",
                f"{base}{kind}/?category={quote(SCHEME + term)}",
                alt_demo_token,
                Accept="text/uri-list",
            )
            assert sorted(filtered.text.split()) == sorted(expected), filtered.text

        # DELETE naming one member; an entity that carries no user mixins is a 400.
        removed = _send("DELETE", collection, alt_demo_token, f"X-OCCI-Location: {network}")
        assert removed.status_code == 200, removed.text
        assert witness.neutron.get(f"/networks/{networks[0]}")["network"]["tags"] == []
        link = f"{base}networklink/{uuid.uuid4()}_10.0.0.1"
        refused = _send("POST", collection, alt_demo_token, f"X-OCCI-Location: {link}")
        assert refused.status_code == 400, refused.text
        missing = f"{base}storage/{uuid.uuid4()}"
        refused = _send("POST", collection, alt_demo_token, f"X-OCCI-Location: {missing}")
        assert refused.status_code == 404, refused.text

        # The definition goes: so do the tags.
        _send("POST", collection, alt_demo_token, f"X-OCCI-Location: {network}")
        gone = _send("DELETE", base + "-/", alt_demo_token, definition)
        assert gone.status_code == 200, gone.text
        for volume_id in volumes:
            assert tag not in witness.volume(volume_id)["metadata"]
        assert witness.neutron.get(f"/networks/{networks[0]}")["network"]["tags"] == []
    finally:
        _send("DELETE", base + "-/", alt_demo_token, definition)
        for network_id in networks:
            _send("DELETE", f"{base}network/{network_id}", alt_demo_token)
        for volume_id in volumes:
            witness.forget_volume(volume_id)


def test_definitions_and_associations_outlive_the_ooi_process(cloud, alt_demo_token, tmp_path):
    """A user mixin defined and applied through one ooi process is there, with its members,
    for the next process on the same store (a restart), and goes from there."""
    from tests.functional.extra_ooi import ooi_api

    neutron = cloud.client("neutron", "alt_demo")
    private = neutron.find("/networks", "networks", "private")
    term = f"tag{uuid.uuid4().hex[:8]}"
    definition = _definition(term, f"/{term}/")
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    try:
        with ooi_api(cloud, tmp_path / "first", "") as url:
            assert _send("POST", url + "/occi1.2/-/", alt_demo_token, definition).status_code == 200
            network = f"{url}/occi1.2/network/{private['id']}"
            added = _send(
                "POST", f"{url}/occi1.2/{term}/", alt_demo_token, f"X-OCCI-Location: {network}"
            )
            assert added.status_code == 200, added.text
        with ooi_api(cloud, tmp_path / "second", "") as url:
            assert f"Category: {term};" in _send("GET", url + "/occi1.2/-/", alt_demo_token).text
            members = _send("GET", f"{url}/occi1.2/{term}/", alt_demo_token, Accept="text/uri-list")
            assert members.text.split() == [f"{url}/occi1.2/network/{private['id']}"]
            gone = _send("DELETE", url + "/occi1.2/-/", alt_demo_token, definition)
            assert gone.status_code == 200, gone.text
        assert neutron.get(f"/networks/{private['id']}")["network"]["tags"] == []
    finally:
        _send("DELETE", cloud.endpoints["ooi"] + "/occi1.2/-/", alt_demo_token, definition)


def test_an_update_adds_user_mixins_and_a_replace_keeps_those_named(
    ooi_url, cloud, demo_token, tag, nova_demo
):
    from tests.functional.test_storage import Cloud

    witness = Cloud(cloud, "demo")
    infra = "http://schemas.ogf.org/occi/infrastructure#"
    tag_category = f'Category: {tag["term"]}; scheme="{SCHEME}"; class="mixin"'
    made = _send(
        "POST",
        ooi_url + "/occi1.2/storage/",
        demo_token,
        f'Category: storage; scheme="{infra}"; class="kind"\nX-OCCI-Attribute: occi.storage.size=1',
    )
    assert made.status_code == 201, made.text
    volume_id = made.headers["Location"].rsplit("/", 1)[1]
    server_id = nova_demo.boot(name="tagged-by-update")
    try:
        nova_demo.wait(server_id, "ACTIVE")
        for kind, url, tags in (
            (
                "storage",
                made.headers["Location"],
                lambda: [k for k in witness.volume(volume_id)["metadata"] if k.startswith("ooi-")],
            ),
            (
                "compute",
                f"{ooi_url}/occi1.2/compute/{server_id}",
                lambda: nova_demo.nova.get(f"/servers/{server_id}")["server"]["tags"],
            ),
        ):
            kind_category = f'Category: {kind}; scheme="{infra}"; class="kind"'
            updated = _send("POST", url, demo_token, f"{kind_category}\n{tag_category}")
            assert updated.status_code == 200, updated.text
            assert tag_category in updated.text and len(tags()) == 1
            # An update without it keeps it; a replace without it drops it.
            again = _send("POST", url, demo_token, kind_category)
            assert again.status_code == 200 and len(tags()) == 1, again.text
            replaced = _send("PUT", url, demo_token, kind_category)
            assert replaced.status_code == 200, replaced.text
            assert tag_category not in replaced.text and tags() == []
    finally:
        nova_demo.delete(server_id)
        witness.forget_volume(volume_id)
