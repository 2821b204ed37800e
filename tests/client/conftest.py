"""Running the installed `occi` as a subprocess against the cloud box."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

OCCI = Path(sys.executable).parent / "occi"
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDn5c9VJ0TSzFtAu3sIe0R2gPU0ZBq1n8H2J0k9x8d0P e2e"


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def ok(ran: Ran) -> Ran:
    """The run, once it is known to have succeeded without a traceback."""
    assert ran.code == 0, f"exit {ran.code}: {ran.err}"
    assert "Traceback" not in ran.err
    return ran


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> Ran:
    """`occi args...` with only the environment given (no OS_* of the developer's shell)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "OCCI_"))}
    done = subprocess.run(
        [str(OCCI), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def clouds_yaml(cloud) -> dict[str, str]:  # noqa: ANN001
    """The environment that points `occi --os-cloud ooi-box` at the box's clouds.yaml."""
    path = Path(cloud.box.state) / "clouds.yaml"
    assert path.is_file(), path
    return {"OS_CLIENT_CONFIG_FILE": str(path)}


@pytest.fixture(scope="session")
def occi_as_demo(clouds_yaml: dict[str, str]) -> Callable[..., Ran]:
    """`occi --os-cloud ooi-box --endpoint E args...` as the demo project."""

    def occi(endpoint: str, *args: str, timeout: float = 300, **env: str) -> Ran:
        return run("--os-cloud", "ooi-box", "--endpoint", endpoint, *args,
                   env={**clouds_yaml, **env}, timeout=timeout)  # fmt: skip

    return occi


@pytest.fixture(scope="module")
def demo(cloud):  # noqa: ANN001, ANN201 - the functional tests' view of the demo project
    """The demo project's cinder, nova and neutron, as their own APIs show them."""
    from tests.functional.test_storage import Cloud

    return Cloud(cloud, "demo")
