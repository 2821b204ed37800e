"""The transports' deadline and fail-fast rules, without a cloud.

nova's in-process sub-requests (nova's pipeline) are driven with WSGI apps that hang or fail:
the real nova cannot be made to hang on demand inside its own process.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ooi.openstack.deadline import Deadline
from ooi.openstack.errors import BackendError
from ooi.openstack.health import THRESHOLD, Health
from ooi.openstack.transport import HEALTH, HTTPTransport, PipelineTransport


def test_deadline_counts_down_and_holds_back():
    deadline = Deadline(10)
    assert 9 < deadline.remaining() <= 10
    with deadline.hold_back(4):
        assert 5 < deadline.remaining() <= 6
    assert 9 < deadline.remaining() <= 10
    assert Deadline(0).expired()


def test_a_service_is_down_after_failures_in_a_row_and_up_after_an_answer():
    health = Health()
    for _ in range(THRESHOLD - 1):
        health.failed("neutron", 5)
    assert health.retry_after("neutron") is None
    health.failed("neutron", 5)
    assert health.retry_after("neutron") == 5
    health.answered("neutron")
    assert health.retry_after("neutron") is None


def test_fail_fast_off_never_marks_down():
    health = Health()
    for _ in range(THRESHOLD * 2):
        health.failed("neutron", 0)
    assert health.retry_after("neutron") is None


def _pipeline(app: Callable[..., Any], timeout: float, down: float = 0) -> PipelineTransport:
    return PipelineTransport(app, "/v2.1", {}, {}, "token", timeout, down_seconds=down)


@pytest.fixture
def hung_nova() -> Iterator[tuple[Callable[..., Any], threading.Event]]:
    release = threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        release.wait(10)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    yield app, release
    release.set()
    HEALTH.answered("nova in process")


def test_a_hung_in_process_nova_is_504_at_the_deadline(hung_nova):
    app, _ = hung_nova
    transport = _pipeline(app, 1.0)
    started = time.monotonic()
    with pytest.raises(BackendError) as caught:
        transport.call("compute", "GET", "/servers")
    assert caught.value.status == 504 and "nova" in caught.value.message
    assert time.monotonic() - started < 1.5


def test_calls_share_one_deadline(hung_nova):
    app, _ = hung_nova
    transport = _pipeline(app, 1.0)
    started = time.monotonic()
    for _ in range(3):  # the second and third are not even tried
        with pytest.raises(BackendError) as caught:
            transport.call("compute", "GET", "/servers")
        assert caught.value.status == 504
    assert time.monotonic() - started < 1.5


def test_a_failing_nova_fails_fast_with_retry_after(hung_nova):
    app, _ = hung_nova
    for _ in range(THRESHOLD):
        with pytest.raises(BackendError):
            _pipeline(app, 0.2, down=30).call("compute", "GET", "/servers")
    started = time.monotonic()
    with pytest.raises(BackendError) as caught:
        _pipeline(app, 5, down=30).call("compute", "GET", "/servers")
    assert time.monotonic() - started < 0.1
    assert caught.value.status == 503 and caught.value.retry_after in range(28, 31)


def test_an_exception_in_process_is_502_without_internals():
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise RuntimeError("<class 'nova.exception.Secret'> at http://10.0.0.1/")

    with pytest.raises(BackendError) as caught:
        _pipeline(app, 5).call("compute", "GET", "/servers")
    assert caught.value.status == 502
    assert "nova.exception" not in caught.value.message


def test_refused_connection_is_503_and_a_read_is_tried_twice():
    # A port nobody listens on: a real connection failure.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = HTTPTransport({"network": f"http://127.0.0.1:{port}/v2.0"}, "token", 5)
    with pytest.raises(BackendError) as caught:
        transport.call("network", "GET", "/networks")
    assert caught.value.status == 503 and "127.0.0.1" not in caught.value.message
    HEALTH.answered(f"neutron http://127.0.0.1:{port}/v2.0")
