"""Faults in nova's pipeline: ooi in a second nova API process (tests/functional/extra_nova.py)
with neutron, and the nova that writes go to, behind fault proxies, and a deadline of 3 s.

neutron's faults are mapped as standalone (503, 504, 502) within the deadline + 1 s; a nova
sub-request that hangs (in process, waiting for the nova it forwards a write to) is abandoned
at the deadline (504), and a boot whose answer is lost is reconciled to the server nova made.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.functional import test_fault_proxy as faults
from tests.functional.extra_nova import nova_pipeline
from tests.functional.fault_proxy import FaultProxy, fault_proxy
from tests.functional.test_fault_proxy import (
    DEADLINE,
    MAPPED,
    _create,
    _servers_named,
    assert_fault,
    timed_get,
)

# The same fixtures as the standalone fault tests.
image_id = faults.image_id
title = faults.title

pytestmark = pytest.mark.cloud


class Pipeline:
    def __init__(self, url: str, neutron: FaultProxy, nova: FaultProxy) -> None:
        self.url = url
        self.neutron = neutron
        self.nova = nova

    def healthy(self) -> None:
        self.neutron.set("pass")
        self.nova.set("pass")


@pytest.fixture(scope="module")
def pipeline(cloud, tmp_path_factory) -> Iterator[Pipeline]:  # noqa: ANN001
    box = cloud.box
    with fault_proxy(box.ports["neutron"]) as neutron, fault_proxy(box.ports["nova"]) as nova:
        options = (
            f"neutron_ooi_endpoint = http://127.0.0.1:{neutron.port}/v2.0\n"
            f"ooi_backend_timeout = {DEADLINE}\nooi_backend_down_seconds = 0\n"
        )
        directory = tmp_path_factory.mktemp("nova")
        with nova_pipeline(cloud, directory, options, f"http://127.0.0.1:{nova.port}") as url:
            yield Pipeline(url, neutron, nova)


@pytest.fixture
def healthy(pipeline) -> Iterator[Pipeline]:  # noqa: ANN001
    pipeline.healthy()
    yield pipeline
    pipeline.healthy()


@pytest.mark.parametrize("mode", list(MAPPED))
def test_neutron_faults_in_nova_s_pipeline(healthy, demo_token, mode):
    assert timed_get(healthy.url + "/occi1.2/network/", demo_token)[0].status_code == 200
    healthy.neutron.set(mode)
    resp, took = timed_get(healthy.url + "/occi1.2/network/", demo_token)
    assert_fault(resp, took, MAPPED[mode], "neutron")
    storage, _ = timed_get(healthy.url + "/occi1.2/storage/", demo_token)
    assert storage.status_code == 200, storage.text


def test_a_hung_in_process_nova_call_is_504_at_the_deadline(
    healthy, cloud, demo_token, image_id, title
):
    assert timed_get(healthy.url + "/occi1.2/compute/", demo_token)[0].status_code == 200
    healthy.nova.set("hang", {"POST"})  # the boot never reaches the nova that would make it
    resp, took = _create(healthy.url, demo_token, image_id, title)
    assert_fault(resp, took, 504, "nova")
    healthy.healthy()
    assert _servers_named(cloud, title) == []
    # The worker is not stuck: reads answer.
    assert timed_get(healthy.url + "/occi1.2/compute/", demo_token)[0].status_code == 200


def test_a_lost_boot_answer_is_reconciled_in_nova_s_pipeline(
    cloud, tmp_path_factory, demo_token, image_id, title
):
    # A deadline a boot fits in on this box: what is tested is the lookup after the loss.
    with fault_proxy(cloud.box.ports["nova"]) as nova:
        options = "ooi_backend_timeout = 8\n"
        directory = tmp_path_factory.mktemp("patient-nova")
        with nova_pipeline(cloud, directory, options, f"http://127.0.0.1:{nova.port}") as url:
            assert timed_get(url + "/occi1.2/compute/", demo_token)[0].status_code == 200
            nova.set("swallow", {"POST"})
            resp, took = _create(url, demo_token, image_id, title)
            nova.set("pass")
    assert resp.status_code == 201, resp.text
    assert took < 8 + 1, took
    made = _servers_named(cloud, title)
    assert [s["id"] for s in made] == [resp.headers["Location"].rsplit("/", 1)[1]]
    assert nova.seen["POST"] == 1
