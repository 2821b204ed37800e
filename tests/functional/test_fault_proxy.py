"""ooi in front of services that fail in every way a fault proxy can make them fail.

A second `ooi-api` (the real server, standalone mode) reaches the box's neutron and nova through
a `FaultProxy` each (tests/functional/fault_proxy.py) with a deadline of 3 s. For each mode:
the answer comes within the deadline + 1 s with the mapped status (503 refused, 504 hung, 502
for a 5xx, a truncated body or a reset), names the service and none of its internals; what needs
no faulty service keeps working; a create under faults leaves no server behind.
(nova's pipeline: tests/openstack/test_transport.py bounds its in-process sub-requests.)
"""

from __future__ import annotations

import concurrent.futures
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.functional.extra_ooi import ooi_api
from tests.functional.fault_proxy import FaultProxy, fault_proxy
from tests.functional.occi_names import OS_TPL_SCHEME, RES_TPL_SCHEME
from tests.functional.test_compute_lifecycle import post, text_body

pytestmark = pytest.mark.cloud

DEADLINE = 3.0
# A deadline a boot fits in on this box (nova takes 1-3 s), for the reconciliation test.
RECONCILE_DEADLINE = 8.0
MAPPED = {"refuse": 503, "hang": 504, "500": 502, "truncate": 502, "reset": 502}
INTERNALS = ("127.0.0.1", "nova.exception", "<class", "10.0.0.1", "Traceback")


class Faulty:
    """An extra ooi-api with neutron and nova behind fault proxies."""

    def __init__(self, url: str, neutron: FaultProxy, nova: FaultProxy) -> None:
        self.url = url
        self.proxies = {"neutron": neutron, "nova": nova}

    def set(self, service: str, mode: str, methods: set[str] | None = None) -> None:
        for name, proxy in self.proxies.items():
            proxy.set(mode if name == service else "pass", methods if name == service else None)


@pytest.fixture(scope="module")
def faulty(cloud, tmp_path_factory) -> Iterator[Faulty]:  # noqa: ANN001
    box = cloud.box
    with fault_proxy(box.ports["neutron"]) as neutron, fault_proxy(box.ports["nova"]) as nova:
        options = (
            f"neutron_ooi_endpoint = http://127.0.0.1:{neutron.port}/v2.0\n"
            f"ooi_service_endpoints = compute:http://127.0.0.1:{nova.port}/v2.1\n"
            f"ooi_backend_timeout = {DEADLINE}\n"
            "ooi_backend_down_seconds = 0\n"
        )
        with ooi_api(cloud, tmp_path_factory.mktemp("faulty"), options) as url:
            yield Faulty(url, neutron, nova)
            neutron.set("pass")
            nova.set("pass")


def timed_get(url: str, token: str, accept: str = "text/plain") -> tuple[requests.Response, float]:
    started = time.monotonic()
    resp = requests.get(url, headers={"X-Auth-Token": token, "Accept": accept}, timeout=60)
    return resp, time.monotonic() - started


def assert_fault(resp: requests.Response, took: float, status: int, service: str) -> None:
    assert resp.status_code == status, resp.text
    assert took < DEADLINE + 1, took
    assert service in resp.text, resp.text
    for internal in INTERNALS:
        assert internal not in resp.text, resp.text


@pytest.fixture
def healthy(faulty) -> Iterator[Faulty]:  # noqa: ANN001
    faulty.set("none", "pass")
    yield faulty
    faulty.set("none", "pass")


@pytest.mark.parametrize("mode", list(MAPPED))
@pytest.mark.parametrize("accept", ["text/plain", "application/occi+json"])
def test_neutron_faults_are_mapped_within_the_deadline(healthy, demo_token, mode, accept):
    # Warm: the token is validated and cached before the clock matters.
    assert timed_get(healthy.url + "/occi1.2/network/", demo_token)[0].status_code == 200
    healthy.set("neutron", mode)
    resp, took = timed_get(healthy.url + "/occi1.2/network/", demo_token, accept)
    assert_fault(resp, took, MAPPED[mode], "neutron")
    assert resp.headers["Content-Type"].startswith(accept)
    # What needs no neutron keeps working meanwhile.
    storage, took = timed_get(healthy.url + "/occi1.2/storage/", demo_token)
    assert storage.status_code == 200, storage.text


@pytest.mark.parametrize("mode", list(MAPPED))
def test_nova_faults_are_mapped_within_the_deadline(healthy, demo_token, mode):
    assert timed_get(healthy.url + "/occi1.2/compute/", demo_token)[0].status_code == 200
    healthy.set("nova", mode)
    resp, took = timed_get(healthy.url + "/occi1.2/compute/", demo_token)
    assert_fault(resp, took, MAPPED[mode], "nova")
    networks, _ = timed_get(healthy.url + "/occi1.2/network/", demo_token)
    assert networks.status_code == 200, networks.text


def test_one_deadline_for_all_calls_of_a_request(healthy, demo_token):
    # /-/ calls nova (flavors), glance and neutron; with neutron hung the whole request still
    # answers within the one deadline, whatever its calls do after it.
    healthy.set("neutron", "hang")
    resp, took = timed_get(healthy.url + "/occi1.2/-/", demo_token)
    assert took < DEADLINE + 1, took
    assert resp.status_code in (200, 504), resp.text


def _servers_named(cloud: Any, title: str) -> list[dict[str, Any]]:
    servers = cloud.client("nova", "demo").get("/servers/detail")["servers"]
    return [s for s in servers if s["name"] == title]


def _create(url: str, token: str, image_id: str, title: str) -> tuple[requests.Response, float]:
    body = text_body([OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1"], {"occi.core.title": title})
    started = time.monotonic()
    resp = post(url + "/occi1.2/compute/", token, body)
    return resp, time.monotonic() - started


@pytest.fixture(scope="module")
def image_id(cloud) -> str:  # noqa: ANN001
    images = cloud.client("glance", "demo").get("/v2/images?status=active")["images"]
    return next(i["id"] for i in images if i["name"] == "box-raw")


@pytest.fixture
def title(cloud) -> Iterator[str]:  # noqa: ANN001
    """A unique server name; whatever carries it is deleted afterwards (and counted first)."""
    name = f"fault-{uuid.uuid4().hex[:8]}"
    yield name
    for server in _servers_named(cloud, name):
        cloud.client("nova").call("DELETE", f"/servers/{server['id']}", ok=(404,))


@pytest.mark.parametrize(
    ("service", "mode", "methods"),
    [
        ("nova", "hang", {"POST"}),
        ("nova", "refuse", {"POST"}),
        ("nova", "reset", {"POST"}),
        ("nova", "500", {"POST"}),
        ("neutron", "hang", None),
        ("neutron", "refuse", None),
    ],
)
def test_a_create_under_faults_is_bounded_and_leaves_nothing(
    healthy, cloud, demo_token, image_id, title, service, mode, methods
):
    assert timed_get(healthy.url + "/occi1.2/compute/", demo_token)[0].status_code == 200
    healthy.set(service, mode, methods)
    resp, took = _create(healthy.url, demo_token, image_id, title)
    assert resp.status_code in (502, 503, 504), resp.text
    assert took < DEADLINE + 1, took
    for internal in INTERNALS:
        assert internal not in resp.text, resp.text
    healthy.set("none", "pass")
    # Nothing was booted for it (a POST that never reached nova), nor twice.
    assert _servers_named(cloud, title) == []


@pytest.fixture(scope="module")
def failing_fast(cloud, tmp_path_factory) -> Iterator[tuple[str, FaultProxy]]:  # noqa: ANN001
    with fault_proxy(cloud.box.ports["neutron"]) as neutron:
        options = (
            f"neutron_ooi_endpoint = http://127.0.0.1:{neutron.port}/v2.0\n"
            "ooi_backend_timeout = 2\nooi_backend_down_seconds = 4\n"
        )
        with ooi_api(cloud, tmp_path_factory.mktemp("fast"), options) as url:
            yield url, neutron


def test_a_service_that_keeps_failing_fails_fast_then_recovers(failing_fast, demo_token):
    url, neutron = failing_fast
    networks = url + "/occi1.2/network/"
    assert timed_get(networks, demo_token)[0].status_code == 200
    neutron.set("hang")
    for _ in range(3):  # three timeouts in a row ...
        resp, _ = timed_get(networks, demo_token)
        assert resp.status_code == 504, resp.text
    asked = sum(neutron.seen.values())
    # ... and neutron is taken for down: answered at once, without asking it.
    resp, took = timed_get(networks, demo_token)
    assert resp.status_code == 503, resp.text
    assert took < 0.5, took
    assert "neutron" in resp.text and 1 <= int(resp.headers["Retry-After"]) <= 4
    assert sum(neutron.seen.values()) == asked
    # What needs no neutron is not held up meanwhile.
    assert timed_get(url + "/occi1.2/storage/", demo_token)[0].status_code == 200
    neutron.set("pass")
    time.sleep(int(resp.headers["Retry-After"]))
    assert timed_get(networks, demo_token)[0].status_code == 200


@pytest.fixture(scope="module")
def patient(cloud, tmp_path_factory) -> Iterator[tuple[str, FaultProxy]]:  # noqa: ANN001
    """An ooi with nova behind a proxy and a deadline that a boot on this box fits in (a boot
    takes nova 1-3 s here): what is tested is the lookup after the boot's answer is lost."""
    with fault_proxy(cloud.box.ports["nova"]) as nova:
        options = (
            f"ooi_service_endpoints = compute:http://127.0.0.1:{nova.port}/v2.1\n"
            f"ooi_backend_timeout = {RECONCILE_DEADLINE}\n"
        )
        with ooi_api(cloud, tmp_path_factory.mktemp("patient"), options) as url:
            yield url, nova


def test_a_boot_without_its_answer_is_reconciled_to_the_server_nova_made(
    patient, cloud, demo_token, image_id, title
):
    url, nova = patient
    assert timed_get(url + "/occi1.2/compute/", demo_token)[0].status_code == 200
    # nova gets the boot and makes the server; its answer never comes back.
    nova.set("swallow", {"POST"})
    try:
        resp, took = _create(url, demo_token, image_id, title)
    finally:
        nova.set("pass")
    made = _servers_named(cloud, title)
    assert resp.status_code == 201, resp.text
    assert took < RECONCILE_DEADLINE + 1, took
    # One server, the one the answer names: the lookup found it, and nothing was re-sent.
    assert [s["id"] for s in made] == [resp.headers["Location"].rsplit("/", 1)[1]]
    assert nova.seen["POST"] == 1


def test_requests_stuck_on_a_hung_service_do_not_take_the_server_down(failing_fast, demo_token):
    url, neutron = failing_fast
    assert timed_get(url + "/occi1.2/storage/", demo_token)[0].status_code == 200
    neutron.set("hang")
    try:
        # More requests needing neutron than the server has threads (1 worker, 8 threads) ...
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            stuck = [
                pool.submit(timed_get, url + "/occi1.2/network/", demo_token) for _ in range(16)
            ]
            time.sleep(0.5)
            # ... and one that needs no neutron: served within the deadline (2 s) + 1 s.
            storage, took = timed_get(url + "/occi1.2/storage/", demo_token)
            answers = [future.result() for future in stuck]
    finally:
        neutron.set("pass")
    assert storage.status_code == 200, storage.text
    assert took < 2 + 1, took
    # Every stuck one answered by its deadline (504) or, once neutron is taken for down, at
    # once (503); none waited for another's deadline and then its own.
    assert {resp.status_code for resp, _ in answers} <= {503, 504}
    assert max(took for _, took in answers) < 2 * 2 + 1
