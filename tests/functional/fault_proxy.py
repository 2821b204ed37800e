"""A fault-injecting HTTP proxy for tests: put it in front of one of the box's services and
choose how that service fails.

Modes (``proxy.mode``), applied to requests whose method is in ``proxy.methods`` (all when
empty); other requests pass through:

- ``pass``: forwards the request and its answer unchanged;
- ``refuse``: nothing listens (connection refused);
- ``hang``: reads the request and never answers (until the proxy stops);
- ``swallow``: forwards the request (the service acts on it) but never answers: a service
  that did the work and then hung;
- ``500``: answers 500 with an OpenStack-style error body that names internals;
- ``truncate``: forwards, then sends the answer with its body cut in half and closes;
- ``reset``: reads the request and resets the connection (TCP RST).

One request per connection (answers carry ``Connection: close``). Counts the requests it saw
by method (``proxy.seen``).
"""

from __future__ import annotations

import collections
import contextlib
import socket
import struct
import threading
from collections.abc import Iterator

MODES = ("pass", "refuse", "hang", "swallow", "500", "truncate", "reset")

_ERROR_BODY = (
    b'{"computeFault": {"code": 500, "message": "Unexpected error '
    b"<class 'nova.exception.Secret'> at http://10.0.0.1:8774/internal\"}}"
)


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.methods: set[str] = set()
        self.seen: collections.Counter[str] = collections.Counter()
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.port = 0
        self._listen()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    # -- control ---------------------------------------------------------------------------

    def set(self, mode: str, methods: set[str] | None = None) -> None:
        """Fail in ``mode`` from now on (for ``methods``, or every method)."""
        assert mode in MODES, mode
        with self._lock:
            self.methods = set(methods or ())
            self.mode = mode
            # At once, not at the next turn of the accept loop: a test's next request must meet
            # the new mode.
            refusing = mode == "refuse" and not self.methods
            if refusing and self._listener is not None:
                # shutdown stops the listening at once (the accept loop may still hold the
                # socket for its poll); close alone would leave it open until that poll ends.
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            elif not refusing and self._listener is None:
                self._listen()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._release()
        if self._listener is not None:
            self._listener.close()

    def _release(self) -> None:
        with self._lock:
            held, self._held = self._held, []
        for conn in held:
            conn.close()

    # -- serving ---------------------------------------------------------------------------

    def _listen(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        sock.settimeout(0.1)
        self.port = sock.getsockname()[1]
        self._listener = sock

    def _serve(self) -> None:
        while not self._stop.is_set():
            listener = self._listener
            if listener is None:
                self._stop.wait(0.05)
                continue
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            request = _read_request(conn)
        except OSError:
            conn.close()
            return
        if request is None:
            conn.close()
            return
        method = request.split(b" ", 1)[0].decode("latin-1")
        self.seen[method] += 1
        mode = self.mode if not self.methods or method in self.methods else "pass"
        try:
            self._answer(conn, request, mode)
        except OSError:
            conn.close()

    def _answer(self, conn: socket.socket, request: bytes, mode: str) -> None:
        if mode in ("hang", "refuse"):  # refuse for some methods only: hang up at once
            if mode == "refuse":
                conn.close()
                return
            with self._lock:
                self._held.append(conn)
            return
        if mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            return
        if mode == "500":
            conn.sendall(
                b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                % (len(_ERROR_BODY), _ERROR_BODY)
            )
            conn.close()
            return
        answer = self._forward(request)
        if mode == "swallow":
            with self._lock:
                self._held.append(conn)
            return
        if mode == "truncate":
            head, _, body = answer.partition(b"\r\n\r\n")
            answer = head + b"\r\n\r\n" + body[: len(body) // 2]
        conn.sendall(answer)
        conn.close()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=60) as up:
            up.sendall(request)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _read_request(conn: socket.socket) -> bytes | None:
    """One whole request (head and Content-Length body), with ``Connection: close``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"content-length":
            length = int(line.split(b":", 1)[1])
        if name not in (b"connection", b"keep-alive"):
            kept.append(line)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return b"\r\n".join([*kept, b"Connection: close"]) + b"\r\n\r\n" + body


@contextlib.contextmanager
def fault_proxy(upstream_port: int) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream_port)
    try:
        yield proxy
    finally:
        proxy.stop()
