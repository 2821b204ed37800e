"""The client installs on its own: a fresh virtual environment with only `pip install client/`
gets a working `occi` and nothing of the server (`ooi`) or the cloud box."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "client"
# pip's words when it cannot reach the package index (then there is nothing to test here).
OFFLINE = ("NewConnectionError", "Network is unreachable", "Temporary failure in name resolution")


def test_installed_alone(tmp_path: Path) -> None:
    # A copy, so that the build leaves nothing in the working tree.
    source = tmp_path / "client"
    shutil.copytree(CLIENT, source, ignore=shutil.ignore_patterns("*.egg-info", "build"))
    venv = tmp_path / "venv"
    # Without pip of its own (ensurepip is slow): this run's pip installs into it.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    installed = subprocess.run(
        [*pip, "install", "--quiet", "--no-compile", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    if installed.returncode != 0 and any(word in installed.stderr for word in OFFLINE):
        pytest.skip(f"pip cannot reach the package index: {installed.stderr[-300:]}")
    assert installed.returncode == 0, installed.stderr

    helped = subprocess.run(
        [str(venv / "bin" / "occi"), "--help"], capture_output=True, text=True, timeout=60, env=env
    )
    assert helped.returncode == 0, helped.stderr
    assert "compute create" in helped.stdout and "--os-cloud" in helped.stdout

    python = str(venv / "bin" / "python")
    probe = (
        "import importlib.util, sys, occi_client.app\n"
        "assert importlib.util.find_spec('ooi') is None, 'ooi is importable'\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('ooi', 'nova', 'keystone')]\n"
    )
    checked = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stderr
