"""A second real `ooi-api` against the box, with options of a test's own (one worker)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def ooi_api(cloud: Any, directory: Path, options: str) -> Iterator[str]:
    """Runs `ooi-api` with the box's configuration plus ``options`` ([DEFAULT] lines); yields
    its root URL once it answers, stops it afterwards."""
    port = free_port()
    override = directory / "override.conf"
    override.write_text(f"[DEFAULT]\nooi_listen_port = {port}\nooi_workers = 1\n{options}")
    base = Path(cloud.box.conf("ooi"))
    command = [sys.executable, "-m", "ooi.cmd.api", "--config-file", str(base)]
    with serving(command + ["--config-file", str(override)], port) as url:
        yield url


@contextlib.contextmanager
def serving(command: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """Runs the server ``command`` that listens on ``port``; yields its URL once it answers,
    stops it afterwards."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_until_serving(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until the server ``proc`` runs answers at ``url`` (its stderr tail if it dies first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url + "/occi1.2/-/", timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or busy starting
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
            assert time.monotonic() < deadline, f"nothing answers at {url}"
            time.sleep(0.3)
