"""A backend that cannot be reached: ooi answers 503 naming it, never 500 or a hang.

A second `ooi-api` (the real server) runs against the box with neutron's endpoint set to a port
where nothing listens — a real connection failure, no fake.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.cloud


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ooi_without_neutron(cloud, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    port, dead = _free_port(), _free_port()
    override = tmp_path_factory.mktemp("ooi") / "override.conf"
    override.write_text(
        "[DEFAULT]\n"
        f"ooi_listen_port = {port}\n"
        "ooi_workers = 1\n"
        f"neutron_ooi_endpoint = http://127.0.0.1:{dead}/v2.0\n"
    )
    base = Path(cloud.box.conf("ooi"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ooi.cmd.api", "--config-file", str(base)]
        + ["--config-file", str(override)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/occi1.2/-/", timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "ooi-api did not start"
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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
