"""A backend that cannot be reached or hangs: ooi answers 503 / 504 naming it, never 500 or a
hang, and never asks twice what may not be asked twice.

A second `ooi-api` (the real server) runs against the box with neutron's endpoint set to a port
where nothing listens (a real connection failure, no fake), or behind a fault proxy that reads
requests and never answers (more faults: test_fault_proxy.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from tests.functional.extra_ooi import free_port, ooi_api
from tests.functional.fault_proxy import FaultProxy, fault_proxy

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def ooi_without_neutron(cloud, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    dead = free_port()
    options = f"neutron_ooi_endpoint = http://127.0.0.1:{dead}/v2.0\n"
    with ooi_api(cloud, tmp_path_factory.mktemp("ooi"), options) as url:
        yield url


@pytest.mark.parametrize("accept", ["text/plain", "application/occi+json"])
def test_unreachable_neutron_is_503_naming_it(ooi_without_neutron, demo_token, accept):
    resp = requests.get(
        ooi_without_neutron + "/occi1.2/network/",
        headers={"X-Auth-Token": demo_token, "Accept": accept},
        timeout=60,
    )
    assert resp.status_code == 503
    assert "neutron" in resp.text and "127.0.0.1" not in resp.text
    assert resp.headers["Content-Type"].startswith(accept)
    assert resp.headers["Server"].startswith("ooi/")


def test_what_needs_no_neutron_keeps_working_without_it(ooi_without_neutron, demo_token):
    headers = {"X-Auth-Token": demo_token}
    query = requests.get(ooi_without_neutron + "/occi1.2/-/", headers=headers, timeout=60)
    assert query.status_code == 200, query.text
    # The query interface lacks only neutron's part, and says so.
    assert "floatingippool" not in query.text
    assert 'Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"' in query.text
    assert query.headers["Warning"].startswith('199 ooi "neutron failed (503)')
    computes = requests.get(ooi_without_neutron + "/occi1.2/compute/", headers=headers, timeout=60)
    assert computes.status_code == 200, computes.text


@pytest.fixture(scope="module")
def ooi_with_hanging_neutron(cloud, tmp_path_factory) -> Iterator[tuple[str, FaultProxy]]:  # noqa: ANN001
    with fault_proxy(cloud.box.ports["neutron"]) as hanging:
        hanging.set("hang")
        options = (
            f"neutron_ooi_endpoint = http://127.0.0.1:{hanging.port}/v2.0\n"
            "ooi_backend_timeout = 3\n"
        )
        with ooi_api(cloud, tmp_path_factory.mktemp("hang"), options) as url:
            yield url, hanging


def test_a_hung_backend_is_one_504_at_the_deadline_and_is_not_asked_again(
    ooi_with_hanging_neutron, demo_token
):
    url, hanging = ooi_with_hanging_neutron
    before = hanging.seen["GET"]
    started = time.monotonic()
    resp = requests.get(url + "/occi1.2/network/", headers={"X-Auth-Token": demo_token}, timeout=60)
    took = time.monotonic() - started
    assert resp.status_code == 504, resp.text
    assert "neutron" in resp.text and "127.0.0.1" not in resp.text
    # One try of the listing that hung, not a second one after the timeout.
    assert hanging.seen["GET"] - before == 1
    # Within the deadline (3 s) and a margin, not twice the deadline.
    assert took < 3 + 2, took


def test_a_compute_shows_nova_s_addresses_while_neutron_fails(
    cloud, ooi_without_neutron, demo_token
):
    from tests.functional.test_compute_read import Nova

    nova = Nova(cloud, "demo")
    server_id = nova.boot()
    try:
        server = nova.wait(server_id, "ACTIVE")
        address = next(iter(server["addresses"].values()))[0]["addr"]
        headers = {"X-Auth-Token": demo_token}
        shown = requests.get(
            f"{ooi_without_neutron}/occi1.2/compute/{server_id}", headers=headers, timeout=60
        )
        assert shown.status_code == 200, shown.text
        assert f'occi.networkinterface.address="{address}"' in shown.text
        assert "neutron failed" in shown.headers["Warning"]
        listed = requests.get(
            f"{ooi_without_neutron}/occi1.2/compute/",
            headers={**headers, "Accept": "application/occi+json"},
            timeout=60,
        )
        assert listed.status_code == 200, listed.text
        assert server_id in {r["id"] for r in listed.json()["resources"]}
    finally:
        nova.delete(server_id)
