"""The wheel as a site installs it: built from the checkout, installed into a fresh virtualenv
without the extras, `ooi-api` and the WSGI module there and nothing of the cloud in a box."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import ooi

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a virtualenv holding only the wheel and its dependencies."""
    where = tmp_path_factory.mktemp("wheel")
    # From a copy of the tracked files: setuptools builds in the source tree (build/), and
    # what is left there from earlier builds would go into the wheel.
    source = where / "source"
    tracked = _run("git", "ls-files", "-z", cwd=ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(where), str(source))
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(where.glob("ooi-*.whl"))
    env = where / "venv"
    venv.create(env, with_pip=True)
    done = _run(str(env / "bin" / "pip"), "install", "--quiet", str(wheel))
    if done.returncode and "Could not find a version" in done.stderr:
        pytest.skip(f"no package index reachable: {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stderr[-2000:]
    return env / "bin"


def test_the_wheel_carries_the_version_from_one_place(installed: Path) -> None:
    done = _run(str(installed / "ooi-api"), "--version")
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).strip() == ooi.__version__


def test_the_wheel_serves_without_the_cloud_in_a_box(installed: Path, tmp_path: Path) -> None:
    # Outside the checkout, so that only the installed package can be imported.
    probe = (
        "import importlib.util as u, ooi.wsgi.standalone, ooi.cmd.api;"
        "print(u.find_spec('nova') is None, u.find_spec('neutron') is None)"
    )
    done = _run(str(installed / "python"), "-c", probe, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
    help_text = _run(str(installed / "ooi-api"), "--help", cwd=tmp_path)
    assert help_text.returncode == 0 and "--config-file" in help_text.stdout
