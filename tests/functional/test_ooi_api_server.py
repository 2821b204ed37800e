"""`ooi-api` as a site runs it: worker processes, SIGHUP rereads the configuration without
dropping requests, SIGTERM lets requests in progress finish, and clear exits for a bad
configuration or a taken port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.functional.extra_ooi import free_port, wait_until_serving

pytestmark = pytest.mark.cloud


class Server:
    """One `ooi-api` process with the box's configuration plus an override file."""

    def __init__(self, cloud: Any, directory: Path, options: str = "", workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.override = directory / "override.conf"
        self._workers = workers
        self.configure(options)
        self.command = [
            sys.executable,
            "-m",
            "ooi.cmd.api",
            "--config-file",
            str(cloud.box.conf("ooi")),
            "--config-file",
            str(self.override),
        ]
        self.proc: subprocess.Popen[bytes] | None = None

    def configure(self, options: str) -> None:
        self.override.write_text(
            f"[DEFAULT]\nooi_listen_port = {self.port}\nooi_workers = {self._workers}\n{options}"
        )

    def start(self) -> None:
        self.proc = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        wait_until_serving(self.url, self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)


@pytest.fixture
def server(cloud: Any, tmp_path: Path) -> Iterator[Server]:
    made = Server(cloud, tmp_path)
    made.start()
    try:
        yield made
    finally:
        made.stop()


def _workers(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in found.split()]


def _compute_location(url: str, token: str) -> str:
    resp = requests.get(
        f"{url}/occi1.2/-/",
        headers={"X-Auth-Token": token, "Accept": "text/plain"},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text
    line = next(li for li in resp.text.splitlines() if li.startswith("Category: compute;"))
    return line.split('location="')[1].split('"')[0]


def test_serves_with_the_workers_it_is_configured_for(server: Server, demo_token: str) -> None:
    assert server.proc is not None
    assert len(_workers(server.proc.pid)) == 2
    assert _compute_location(server.url, demo_token) == "/occi1.2/compute/"


def test_sighup_rereads_the_configuration_without_dropping_requests(
    server: Server, demo_token: str
) -> None:
    assert server.proc is not None
    failures: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                _compute_location(server.url, demo_token)
            except (AssertionError, requests.RequestException) as exc:
                failures.append(repr(exc))

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        server.configure("ooi_location_style = absolute\n")
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while _compute_location(server.url, demo_token).startswith("/"):
            assert time.monotonic() < deadline, "the new option never took effect"
            time.sleep(0.3)
    finally:
        stop.set()
        asking.join()
    assert _compute_location(server.url, demo_token) == f"{server.url}/occi1.2/compute/"
    assert failures == []
    assert server.proc.poll() is None


def test_sigterm_lets_a_request_in_progress_finish(server: Server, demo_token: str) -> None:
    assert server.proc is not None
    body = b'Category: nothing; scheme="http://example.com/occi#"; class="kind"\n'
    head = (
        "POST /occi1.2/compute/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        f"X-Auth-Token: {demo_token}\r\n"
        "Content-Type: text/plain\r\nAccept: text/plain\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        # The worker has the request and waits for the rest of its body when the signal comes.
        sock.sendall(head + body[:10])
        time.sleep(1.5)
        server.proc.send_signal(signal.SIGTERM)
        time.sleep(1.5)
        sock.sendall(body[10:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode()
    assert status_line.startswith("HTTP/1.1 400"), answer[:500]
    assert b"nothing" in answer  # the OCCI error names the unknown kind
    assert server.proc.wait(timeout=60) == 0


def test_a_bad_configuration_exits_2_saying_what_is_wrong(cloud: Any, tmp_path: Path) -> None:
    made = Server(cloud, tmp_path, "ooi_backend_timeout = soon\n")
    done = subprocess.run(made.command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "ooi_backend_timeout" in done.stderr
    missing = made.command[:-1] + [str(tmp_path / "absent.conf")]
    done = subprocess.run(missing, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "absent.conf" in done.stderr


def test_a_taken_port_exits_3_saying_so(cloud: Any, tmp_path: Path) -> None:
    made = Server(cloud, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", made.port))
        taken.listen()
        made.configure("ooi_listen = 127.0.0.1\n")
        done = subprocess.run(made.command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert f"cannot listen on 127.0.0.1:{made.port}: the port is in use" in done.stderr


def test_a_dead_worker_is_replaced(server: Server, demo_token: str) -> None:
    assert server.proc is not None
    before = _workers(server.proc.pid)
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while len(after := _workers(server.proc.pid)) < 2 or before[0] in after:
        assert time.monotonic() < deadline, f"workers {before} → {after}"
        time.sleep(0.3)
    assert _compute_location(server.url, demo_token) == "/occi1.2/compute/"
