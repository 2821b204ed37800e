"""Failures the box cannot be made to produce on demand, each with its exit status: a server
that never answers (7), one that answers 500 or unreadable JSON (6), a refused connection (6);
--wait on an entity that goes into error (1) or never gets there (7)."""

from __future__ import annotations

import http.server
import io
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from occi_client import errors, wait
from occi_client.model import Entity


def _occi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "occi_client.app", "--no-auth", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


class _Answers(http.server.BaseHTTPRequestHandler):
    status, body, ctype = 500, b"boom", "text/plain"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(self.status)
        self.send_header("Content-Type", self.ctype)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def _serving(handler: type) -> tuple[http.server.HTTPServer, str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/occi1.2"


def test_no_answer_in_time_exits_7(silent_port: int) -> None:
    done = _occi("--endpoint", f"http://127.0.0.1:{silent_port}/occi1.2", "--timeout", "1",
                 "discover")  # fmt: skip
    assert done.returncode == errors.TIMEOUT, done.stderr
    assert "Traceback" not in done.stderr


def test_refused_connection_exits_6() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = _occi("--endpoint", f"http://127.0.0.1:{port}/occi1.2", "discover")
    assert done.returncode == errors.SERVER, done.stderr


@pytest.mark.parametrize(
    ("status", "body", "ctype", "code"),
    [
        (500, b"boom", "text/plain", errors.SERVER),
        (200, b"{not json", "application/occi+json", errors.SERVER),
        (404, b'{"code": 404, "message": "no such thing"}', "application/json", errors.NOT_FOUND),
        (409, b"busy", "text/plain", errors.CONFLICT),
    ],
)
def test_server_answers(status: int, body: bytes, ctype: str, code: int) -> None:
    handler = type("Handler", (_Answers,), {"status": status, "body": body, "ctype": ctype})
    server, endpoint = _serving(handler)
    try:
        done = _occi("--endpoint", endpoint, "discover")
    finally:
        server.shutdown()
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


def _states(*states: str):  # noqa: ANN202
    seen = iter(states)

    def fetch() -> Entity:
        return Entity(kind=None, attributes={"occi.core.title": "vm", "x.state": next(seen)})

    return fetch


def test_wait_fails_on_error_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wait, "INTERVAL", 0)
    out = io.StringIO()
    with pytest.raises(errors.OCCIError) as caught:
        wait.until_state(_states("waiting", "error"), "x.state", "active", 60, out)
    assert caught.value.exit_code == errors.FAILED and "error" in str(caught.value)
    assert out.getvalue().splitlines()[0].startswith("vm: waiting")


def test_wait_gives_up_after_its_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wait, "INTERVAL", 0.01)
    with pytest.raises(errors.Timeout) as caught:
        wait.until_state(_states(*["waiting"] * 1000), "x.state", "active", 0.05, io.StringIO())
    assert caught.value.exit_code == errors.TIMEOUT
