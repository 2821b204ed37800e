"""The docs' `sh` blocks, run as a reader would run them: in order, one shell per page, against
the cloud in a box, with the variables the pages name. A block that fails fails the test with
its output."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.docs_check import DOCS, blocks
from tests.functional.extra_ooi import ooi_api

pytestmark = pytest.mark.cloud


def _script(page: Path) -> str:
    runnable = [b.text for b in blocks(page) if b.language == "sh"]
    assert runnable, f"{page.name} has no sh block"
    # As a reader's shell runs them, but stopping at the first failing command (no pipefail:
    # `curl … | head` is fine for a reader even when head closes the pipe early).
    return "\n".join(["set -eu", *runnable])


def _run(page: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", _script(page)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{page.name}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture
def env(cloud: Any, demo_token: str) -> dict[str, str]:
    """What the pages say a reader has: OpenStack client settings, a token, the endpoints."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "OS_CLIENT_CONFIG_FILE": str(cloud.box.state / "clouds.yaml"),
        "OS_CLOUD": "ooi-box",
        "KID": demo_token,
        "NOVA_ROOT": cloud.box.url("nova"),
        "OOI_STANDALONE": cloud.endpoints["ooi_standalone"],
    }


@pytest.fixture
def no_docs_servers(cloud: Any) -> Iterator[None]:
    yield
    # The page deletes what it made; if a block failed half-way, this does.
    nova = cloud.client("nova", "demo")
    for server in nova.get("/servers/detail?name=^docs-example$")["servers"]:
        if server.get("OS-EXT-STS:task_state") != "deleting":
            nova.call("DELETE", f"/servers/{server['id']}", ok=(204, 404))


@pytest.mark.parametrize("where", ["pipeline", "standalone root"])
def test_using_curl(env: dict[str, str], cloud: Any, no_docs_servers: None, where: str) -> None:
    base = cloud.endpoints["ooi"] + "/occi1.2" if where == "pipeline" else None
    env["OOI"] = base or cloud.endpoints["ooi_standalone"]
    out = _run(DOCS / "using-curl.md", env)
    assert "WWW-Authenticate: Keystone uri='" in out
    assert f"{env['OOI']}/compute/" in out  # the new machine's URL, echoed
    assert "Unknown mixin" in out or "nosuchimage" in out


@pytest.mark.parametrize(
    "page", ["keystone.md", "nova-pipeline.md", "standalone.md"], ids=lambda p: p
)
def test_page(env: dict[str, str], cloud: Any, page: str) -> None:
    env["OOI"] = cloud.endpoints["ooi"] + "/occi1.2"
    _run(DOCS / page, env)


def test_tls_proxy(env: dict[str, str], cloud: Any, tmp_path: Path) -> None:
    ini = next(b for b in blocks(DOCS / "tls-proxy.md") if b.language == "ini")
    parser = configparser.RawConfigParser()
    parser.read_string(ini.text)
    options = "".join(f"{k} = {v}\n" for k, v in parser.defaults().items())
    with ooi_api(cloud, tmp_path, options) as url:
        env["OOI_BEHIND_PROXY"] = url
        _run(DOCS / "tls-proxy.md", env)
        # Without the header, the request's own scheme.
        plain = requests.get(
            f"{url}/occi1.2/network/",
            headers={"X-Auth-Token": env["KID"], "Accept": "text/uri-list"},
            timeout=60,
        )
        assert plain.text.startswith(f"{url}/occi1.2/network/"), plain.text
