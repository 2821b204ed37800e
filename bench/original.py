"""The original ooi 1.2.0 beside ours: installed from PyPI into bench/.original (gitignored) and
served in a second nova API process over the box (bench/original_nova.py).

Its configuration is the box's nova.conf plus `neutron_ooi_endpoint` (as its deployments set
it), and nova's shipped api-paste.ini plus the `ooi` composite the original documented, its
filter `ooi.wsgi:OCCIMiddleware.factory` just before the compute app. On Python 3.11 the
original imports only with `collections.Mapping` and friends, gone since 3.10: a
sitecustomize.py in bench/.original puts them back (its files stay as PyPI ships them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from ooi.cloud import paste
from ooi.cloud.settings import Box, shipped_etc

HERE = Path(__file__).resolve().parent
TARGET = HERE / ".original"
VERSION = "1.2.0"
SHIM = '''"""Python 3.10 moved these to collections.abc; ooi 1.2.0 reads them in collections."""
import collections
import collections.abc

for _name in ("Mapping", "MutableMapping", "Sequence", "MutableSequence", "Iterable",
              "Callable", "Set", "MutableSet", "Hashable", "Sized", "Container"):
    setattr(collections, _name, getattr(collections.abc, _name))
'''
BRIDGE_APP = "bench_nova"


def install() -> None:
    """ooi 1.2.0 from PyPI, without its dependencies (nova's environment has what it needs)."""
    if not (TARGET / "ooi" / "wsgi" / "__init__.py").exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
             str(TARGET), f"ooi=={VERSION}"],
            check=True,
        )  # fmt: skip
    (TARGET / "sitecustomize.py").write_text(SHIM)


def write_config(box: Box) -> Path:
    """bench/.original/etc/: the box's nova.conf with neutron_ooi_endpoint; the paste file."""
    etc = TARGET / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    conf = box.conf("nova").read_text()
    endpoint = f"neutron_ooi_endpoint = {box.url('neutron')}/v2.0\n"
    conf = conf.replace("[DEFAULT]\n", "[DEFAULT]\n" + endpoint, 1)
    (etc / "nova.conf").write_text(conf)
    shipped = (shipped_etc("nova") / "api-paste.ini").read_text()
    # The same `ooi` composite as the box's pipeline, without our 401 filter, ending in the
    # read/write bridge to the box's nova (see original_nova.py) instead of the compute app.
    sections = paste.ooi_sections(shipped, challenge=False)
    sections = sections.replace(" occi osapi_compute_app_v21", f" occi {BRIDGE_APP}")
    sections += (
        f"\n[app:{BRIDGE_APP}]\npaste.app_factory = original_nova:app_factory\n"
        f"remote = {box.url('nova')}\n"
    )
    (etc / "api-paste.ini").write_text(shipped.rstrip("\n") + "\n" + sections)
    return etc


class OriginalServer:
    """The second nova API process, on `port`; a context manager that stops it."""

    def __init__(self, box: Box, port: int) -> None:
        self.box = box
        self.port = port
        self.url = f"http://{box.host}:{port}"
        self.log = TARGET / "nova-original.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> OriginalServer:
        install()
        etc = write_config(self.box)
        env = {**os.environ, "PYTHONPATH": str(TARGET)}
        argv = [sys.executable, str(HERE / "original_nova.py"), str(etc), self.box.host]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [*argv, str(self.port)], stdout=out, stderr=subprocess.STDOUT, env=env,
                cwd=TARGET, start_new_session=True,
            )  # fmt: skip
        try:
            self._wait()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait(self, timeout: float = 120) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the original ooi's nova exited; see {self.log}")
            try:
                # The worker loads nova and the original on its first request: be patient.
                requests.get(f"{self.url}/occi1.2/-/", timeout=60)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        raise RuntimeError(f"the original ooi's nova did not answer in {timeout:.0f} s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
