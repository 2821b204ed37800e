"""A second nova API process with ooi in its pipeline, for tests that need nova's pipeline with
options of their own (e.g. a deadline, a neutron behind a fault proxy).

It is bench/original_nova.py's process (the box's conductor and compute are out of its reach:
reads run in this process, writes are forwarded over HTTP to ``nova_url``, by default the box's
nova API) serving the box's api-paste.ini pipeline with our ooi, and the box's nova.conf with
``options`` added to ``[DEFAULT]``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ooi.cloud import paste
from ooi.cloud.settings import shipped_etc
from tests.functional.extra_ooi import free_port, wait_until_serving

BENCH = Path(__file__).resolve().parents[2] / "bench"
BRIDGE = "test_nova"


def write_config(box: Any, directory: Path, options: str, nova_url: str) -> Path:
    conf = box.conf("nova").read_text()
    (directory / "nova.conf").write_text(conf.replace("[DEFAULT]\n", "[DEFAULT]\n" + options, 1))
    shipped = (shipped_etc("nova") / "api-paste.ini").read_text()
    sections = paste.ooi_sections(shipped).replace(" occi osapi_compute_app_v21", f" occi {BRIDGE}")
    sections += (
        f"\n[app:{BRIDGE}]\npaste.app_factory = original_nova:app_factory\nremote = {nova_url}\n"
    )
    (directory / "api-paste.ini").write_text(shipped.rstrip("\n") + "\n" + sections)
    return directory


@contextlib.contextmanager
def nova_pipeline(
    cloud: Any, directory: Path, options: str, nova_url: str | None = None
) -> Iterator[str]:
    """Runs the process; yields its root URL (OCCI at /occi1.1 and /occi1.2), stops it after."""
    box = cloud.box
    etc = write_config(box, directory, options, nova_url or box.url("nova"))
    port = free_port()
    command = [sys.executable, str(BENCH / "original_nova.py"), str(etc), "127.0.0.1", str(port)]
    # Our ooi first on the path (the bench puts the original's there instead).
    env = {**os.environ, "PYTHONPATH": str(BENCH.parent)}
    url = f"http://127.0.0.1:{port}"
    # nova logs every request: to a file, not a pipe nobody reads while the tests run.
    with (directory / "nova.log").open("wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(url, proc, timeout=120)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
