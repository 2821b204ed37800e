"""Load on loopback: `ooi-api` with 2 workers against the running cloud box, 32 concurrent
clients for 60 s of mixed reads, with a trickle of creates and deletes.

    OOI_CLOUD_STATE=$PWD/.ooi-cloud .venv/bin/python -m bench.load [--clients 32] [--duration 60]

(``make bench-load``). Reports requests per second, latency percentiles (p50, p95, p99), errors
(answers ≥ 500 and failed connections; 4xx counted apart) and the workers' RSS before and after,
and writes ``bench/results/load-<time>.json``. Every compute it made is deleted at the end.
The box must be running (``ooi-cloud start``); this starts and stops its own ``ooi-api``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

from ooi.cloud import settings
from ooi.cloud.session import Cloud, connect

RESULTS = Path(__file__).resolve().parent / "results"
OS_TPL = "http://schemas.openstack.org/template/os#"
RES_TPL = "http://schemas.openstack.org/template/resource#"
COMPUTE = 'Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind"'

# What a client asks, and how often (weights): reads of every kind, mostly lists and shows.
READS = (
    ("list computes", "/occi1.2/compute/", 4),
    ("show compute", "/occi1.2/compute/{server}", 4),
    ("query /-/", "/occi1.2/-/", 2),
    ("list networks", "/occi1.2/network/", 1),
    ("list storage", "/occi1.2/storage/", 1),
)


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--create-every", type=float, default=5.0, help="seconds between creates")
    return parser.parse_args(argv)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(master: int) -> float:
    """RSS of the server's worker processes (the master's children), in MB."""
    total = 0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


class Server:
    """`ooi-api` with the box's configuration and ``workers`` workers, on a free port."""

    def __init__(self, box: settings.Box, workers: int, directory: Path) -> None:
        self.port = _free_port()
        override = directory / "load.conf"
        override.write_text(
            f"[DEFAULT]\nooi_listen_port = {self.port}\nooi_workers = {workers}\n"
            "ooi_debug_headers = false\n"
        )
        command = [sys.executable, "-m", "ooi.cmd.api", "--config-file", str(box.conf("ooi"))]
        command += ["--config-file", str(override)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/occi1.2/-/", timeout=5)
                break
            except requests.RequestException:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("ooi-api did not start") from None
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Load:
    def __init__(self, url: str, token: str, image: str, clients: int) -> None:
        self.url = url
        self.headers = {"X-Auth-Token": token}
        self.image = image
        self.clients = clients
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = collections.defaultdict(list)
        self.statuses: collections.Counter[int] = collections.Counter()
        self.failures = 0
        self.made: list[str] = []
        self._lock = threading.Lock()
        self._session = threading.local()

    def request(self, kind: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        session = getattr(self._session, "s", None) or requests.Session()
        self._session.s = session
        started = time.monotonic()
        try:
            resp = session.request(
                method,
                self.url + path,
                headers={**self.headers, **kwargs.pop("headers", {})},
                timeout=120,
                **kwargs,
            )
        except requests.RequestException:
            resp = None
        took = time.monotonic() - started
        with self._lock:
            self.latencies.append(took)
            self.by_kind[kind].append(took)
            if resp is None:
                self.failures += 1
            else:
                self.statuses[resp.status_code] += 1
        return resp

    def create(self, title: str) -> str | None:
        body = "\n".join(
            [
                COMPUTE,
                f'Category: {self.image}; scheme="{OS_TPL}"; class="mixin"',
                f'Category: 1; scheme="{RES_TPL}"; class="mixin"',
                f'X-OCCI-Attribute: occi.core.title="{title}"',
            ]
        )
        resp = self.request(
            "create compute",
            "POST",
            "/occi1.2/compute/",
            data=body,
            headers={"Content-Type": "text/plain"},
        )
        if resp is None or resp.status_code != 201:
            return None
        server = resp.headers["Location"].rsplit("/", 1)[1]
        with self._lock:
            self.made.append(server)
        return server

    def delete(self, server: str) -> None:
        self.request("delete compute", "DELETE", f"/occi1.2/compute/{server}")

    def reader(self, until: float, server: str, seed: int) -> None:
        rng = random.Random(seed)
        kinds = [(name, path) for name, path, weight in READS for _ in range(weight)]
        while time.monotonic() < until:
            name, path = rng.choice(kinds)
            self.request(name, "GET", path.format(server=server))

    def trickle(self, until: float, every: float) -> None:
        """A create every ``every`` seconds; each compute deleted at the next turn."""
        previous = None
        n = 0
        while time.monotonic() < until:
            n += 1
            current = self.create(f"load-{os.getpid()}-{n}")
            if previous:
                self.delete(previous)
            previous = current
            time.sleep(every)
        if previous:
            self.delete(previous)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _image(cloud: Cloud) -> str:
    images = cloud.client("glance", "demo").get("/v2/images?status=active")["images"]
    return next(i["id"] for i in images if i["name"] == "box-raw")


def main(argv: list[str] | None = None) -> int:
    args = _args(sys.argv[1:] if argv is None else argv)
    state = Path(os.environ.get("OOI_CLOUD_STATE") or ".ooi-cloud")
    box = settings.load(state)
    cloud = connect(box)
    token = cloud.projects["demo"].token
    RESULTS.mkdir(exist_ok=True)
    server = Server(box, args.workers, RESULTS)
    load = Load(server.url, token, _image(cloud), args.clients)
    try:
        target = load.create("load-shown")
        if target is None:
            raise SystemExit("could not create the compute the reads show")
        # Warm every worker (token cache, discovery cache) before measuring.
        for _ in range(args.workers * 4):
            load.request("warm", "GET", "/occi1.2/-/")
        load.latencies.clear()
        load.by_kind.clear()
        load.statuses.clear()
        rss_before = _rss_mb(server.proc.pid)
        started = time.monotonic()
        until = started + args.duration
        threads = [
            threading.Thread(target=load.reader, args=(until, target, i))
            for i in range(args.clients)
        ]
        threads.append(threading.Thread(target=load.trickle, args=(until, args.create_every)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        rss_after = _rss_mb(server.proc.pid)
    finally:
        for made in load.made:
            cloud.client("nova").call("DELETE", f"/servers/{made}", ok=(404,))
        server.stop()
    errors = load.failures + sum(n for status, n in load.statuses.items() if status >= 500)
    client_errors = sum(n for status, n in load.statuses.items() if 400 <= status < 500)
    result = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        "requests": len(load.latencies),
        "req_per_s": round(len(load.latencies) / elapsed, 1),
        "p50_s": round(_percentile(load.latencies, 0.50), 3),
        "p95_s": round(_percentile(load.latencies, 0.95), 3),
        "p99_s": round(_percentile(load.latencies, 0.99), 3),
        "errors": errors,
        "client_errors": client_errors,
        "statuses": dict(sorted(load.statuses.items())),
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_after": round(rss_after, 1),
        "by_kind": {
            kind: {
                "n": len(values),
                "p50_s": round(statistics.median(values), 3),
                "p95_s": round(_percentile(values, 0.95), 3),
            }
            for kind, values in sorted(load.by_kind.items())
        },
    }
    out = RESULTS / f"load-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
