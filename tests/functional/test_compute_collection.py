"""The compute collection filtered and paged (?page=&number=, categories, attributes), over
HTTP in both modes, against servers nova really runs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import pytest
import requests

from tests.cloud.waiting import until
from tests.functional.occi_names import OS_TPL_SCHEME, RES_TPL_SCHEME
from tests.functional.test_compute_read import Nova

pytestmark = pytest.mark.cloud

# What sets this module's servers apart from any other test's (which come and go meanwhile).
SUMMARY = f"paged-{uuid.uuid4().hex[:8]}"


COUNT = 25
"""As many servers as the issue pages through, 10 at a time."""


@pytest.fixture(scope="module")
def servers(cloud: Any) -> Iterator[dict[str, str]]:
    """COUNT servers of the demo project (flavor 1, the box's image) whose description is this
    module's tag (SUMMARY): name → id."""
    nova = Nova(cloud, "demo")
    tag = uuid.uuid4().hex[:6]
    made: dict[str, str] = {}
    names = [f"page-{tag}-{i:02d}" for i in range(COUNT)]

    def settled(server_id: str) -> str:
        def probe() -> str | None:
            server = nova.server(server_id)
            if server["status"] == "ERROR":
                return "ERROR"
            active = server["status"] == "ACTIVE" and not server.get("OS-EXT-STS:task_state")
            return "ACTIVE" if active else None

        return until(f"server {server_id} ACTIVE or ERROR", probe)

    def boot(name: str) -> None:
        # Scheduled first: nova lists a server still waiting for a cell among its build
        # requests, ahead of the others, so its place moves once it is placed. A boot the
        # box's scheduler fails now and then (NoValidHost under load) is made again.
        for _ in range(3):
            # No network: 25 port bindings at once can outlast the wait on a busy box.
            made[name] = nova.boot(name=name, description=SUMMARY, network=False)
            if settled(made[name]) == "ACTIVE":
                return
            nova.delete(made.pop(name))
        raise AssertionError(f"{name} never became ACTIVE")

    try:
        with ThreadPoolExecutor(5) as pool:
            list(pool.map(boot, names))
        yield made
    finally:
        with ThreadPoolExecutor(5) as pool:
            list(pool.map(nova.delete, made.values()))


def _get(url: str, token: str, accept: str = "text/uri-list", **headers: str) -> requests.Response:
    return requests.get(
        url, headers={"X-Auth-Token": token, "Accept": accept, **headers}, timeout=60
    )


def _uris(resp: requests.Response) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [line for line in resp.text.splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_pages_cover_the_collection_once(ooi_url, demo_token, servers, prefix):
    url = f"{ooi_url}{prefix}/compute/"
    # Paged among this module's servers only: others' deletions would shift the pages.
    mine = f"attribute=occi.core.summary%3D{SUMMARY}"
    seen: list[str] = []
    for page, size, more in ((1, 10, True), (2, 10, True), (3, 5, False), (4, 0, False)):
        resp = _get(f"{url}?{mine};page={page};number=10", demo_token)
        got = _uris(resp)
        assert len(got) == size, (page, got)
        if more:
            assert resp.headers["Link"] == f'<{url}?{mine}&page={page + 1}&number=10>; rel="next"'
        else:
            assert "Link" not in resp.headers
        seen += got
    assert sorted(seen) == sorted(f"{url}{i}" for i in servers.values())
    # JSON pages hold full entities.
    first = _get(f"{url}?page=1&number=2", demo_token, "application/occi+json").json()
    assert len(first["resources"]) == 2


def test_filters_by_attribute_in_the_query_or_the_headers(ooi_url, demo_token, servers):
    url = f"{ooi_url}/occi1.2/compute/"
    name, server_id = next(iter(servers.items()))
    by_query = _uris(_get(f"{url}?attribute=occi.core.title%3D{name}", demo_token))
    assert by_query == [f"{url}{server_id}"]
    by_headers = _get(
        url, demo_token, "text/plain", **{"X-OCCI-Attribute": f'occi.core.title="{name}"'}
    )
    assert by_headers.text.splitlines() == [f"X-OCCI-Location: {url}{server_id}"]
    as_json = _get(f"{url}?attribute=occi.core.title%3D{name}", demo_token, "application/json")
    assert [r["id"] for r in as_json.json()["resources"]] == [server_id]


def test_filters_by_category(ooi_url, cloud, demo_token, servers):
    url = f"{ooi_url}/occi1.2/compute/"
    image = cloud.client("glance", "demo", "/v2").find("/images", "images", "box-raw")
    ours = {f"{url}{i}" for i in servers.values()}

    def having(type_id: str) -> set[str]:
        return set(_uris(_get(f"{url}?category={quote(type_id)}", demo_token)))

    assert ours <= having(OS_TPL_SCHEME + image["id"])
    assert ours <= having(RES_TPL_SCHEME + "1")
    assert not ours & having(RES_TPL_SCHEME + "3")
    header = f'3; scheme="{RES_TPL_SCHEME}"; class="mixin"'
    assert not ours & set(_uris(_get(url, demo_token, Category=header)))


@pytest.mark.parametrize(
    ("query", "status", "fragment"),
    [
        ("page=0&number=2", 400, "page"),
        ("page=x", 400, "page"),
        ("number=-1", 400, "number"),
        ("number=1000000", 413, "at most 1000"),
        ("attribute=nothing", 400, "name=value"),
        ("category=compute", 400, "scheme#term"),
    ],
)
def test_bad_pages_and_filters_are_refused(ooi_url, demo_token, query, status, fragment):
    resp = _get(f"{ooi_url}/occi1.2/compute/?{query}", demo_token, "text/plain")
    assert resp.status_code == status, resp.text
    assert fragment in resp.text


# --- mixin collections ---------------------------------------------------------------------


def test_a_templates_location_lists_the_computes_that_carry_it(ooi_url, cloud, demo_token, servers):
    image = cloud.client("glance", "demo", "/v2").find("/images", "images", "box-raw")
    for prefix in ("/occi1.1", "/occi1.2"):
        root = f"{ooi_url}{prefix}/"
        ours = {f"{root}compute/{i}" for i in servers.values()}
        # The locations /-/ advertises, joined to scheme://host:port as rOCCI and IM do.
        query = _get(root + "-/", demo_token, "application/occi+json").json()
        locations = {m["term"]: m["location"] for m in query["mixins"]}

        def members(location: str) -> set[str]:
            return set(_uris(_get(ooi_url + location, demo_token)))

        assert ours <= members(locations[image["id"]])
        assert ours <= members(locations["1"])  # m1.tiny
        assert not ours & members(locations["3"])  # m1.medium
        assert ours <= members(locations["os_tpl"])
        assert ours <= members(locations["nova"])  # the availability zone
        paged = _get(ooi_url + locations["1"] + "?page=1&number=1", demo_token)
        assert len(_uris(paged)) == 1


def test_a_provider_mixins_members_cannot_be_changed_and_unknown_paths_are_404(
    ooi_url, demo_token, servers
):
    server = next(iter(servers.values()))
    resp = requests.post(
        f"{ooi_url}/occi1.2/resource_tpl/3",
        data=f"X-OCCI-Location: {ooi_url}/occi1.2/compute/{server}",
        headers={"X-Auth-Token": demo_token, "Content-Type": "text/plain"},
        timeout=60,
    )
    assert resp.status_code == 400, resp.text
    assert "resize" in resp.text
    missing = _get(f"{ooi_url}/occi1.2/no_such_mixin/", demo_token, "text/plain")
    assert missing.status_code == 404
    assert missing.text == "Not found: /no_such_mixin/"
