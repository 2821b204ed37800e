"""A backend that cannot be reached: ooi answers 503 naming it, never 500 or a hang.

A second `ooi-api` (the real server) runs against the box with neutron's endpoint set to a port
where nothing listens — a real connection failure, no fake.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.functional.extra_ooi import free_port, ooi_api

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
        ooi_without_neutron + "/occi1.2/-/",
        headers={"X-Auth-Token": demo_token, "Accept": accept},
        timeout=60,
    )
    assert resp.status_code == 503
    assert "neutron" in resp.text
    assert resp.headers["Content-Type"].startswith(accept)
    assert resp.headers["Server"].startswith("ooi/")
