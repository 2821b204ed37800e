"""Timing one workload against one target with C concurrent clients (threads).

Each client has its own `requests.Session` (keep-alive), makes one untimed request first (a
connection, and ooi's per-project caches, as a client that has just looked at `/-/`), then
repeats the workload until the time is up or, for workloads that change servers, until the
count is reached. Backend calls per request come from ooi's `X-OOI-Backend-Calls` (summed over
the responses of one workload request); the floor's are the calls it makes.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.fleet import Fleet
from bench.workloads import Workload, settle


@dataclass
class Result:
    workload: str
    target: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # CPU seconds the serving processes spent during the timed requests (None: not measured).
    cpu_seconds: float | None = None
    # ooi's own CPU milliseconds per timed request, as its X-OOI-CPU header says (its request
    # thread, authentication and HTTP client left out; none from the original or the floor).
    own_cpu: list[float] = field(default_factory=list)

    def pooled(self, other: Result) -> Result:
        """This result and ``other`` (the same workload and target, another round) as one."""
        cpu = None
        if self.cpu_seconds is not None or other.cpu_seconds is not None:
            cpu = (self.cpu_seconds or 0.0) + (other.cpu_seconds or 0.0)
        return Result(
            self.workload,
            self.target,
            self.clients,
            self.latencies + other.latencies,
            self.calls + other.calls,
            self.errors + other.errors,
            cpu,
            self.own_cpu + other.own_cpu,
        )

    @property
    def own_cpu_ms(self) -> float | None:
        return statistics.median(self.own_cpu) if self.own_cpu else None

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.cpu_seconds is None or not self.requests:
            return None
        return self.cpu_seconds * 1000 / self.requests

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        # Clients busy all the time: throughput = clients / mean latency. (The restart
        # workload waits, untimed, for each server to settle between its requests.)
        busy = sum(self.latencies)
        return self.clients * self.requests / busy if busy else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p95(self) -> float:
        if len(self.latencies) < 2:
            return self.p50
        return statistics.quantiles(self.latencies, n=20, method="inclusive")[-1] * 1000

    @property
    def calls_per_request(self) -> float | None:
        return statistics.median(self.calls) if self.calls else None

    def as_dict(self) -> dict[str, object]:
        return {
            "workload": self.workload,
            "target": self.target,
            "clients": self.clients,
            "requests": self.requests,
            "req_per_s": round(self.rps, 2),
            "median_ms": round(self.p50, 2),
            "p95_ms": round(self.p95, 2),
            "backend_calls_per_request": self.calls_per_request,
            "cpu_ms_per_request": (
                None if self.cpu_ms_per_request is None else round(self.cpu_ms_per_request, 2)
            ),
            "own_cpu_ms_per_request": (
                None if self.own_cpu_ms is None else round(self.own_cpu_ms, 3)
            ),
            "errors": len(self.errors),
            "first_errors": self.errors[:3],
        }


def _calls(responses: list[requests.Response], floor: bool) -> int | None:
    if floor:
        return len(responses)
    total = None
    for resp in responses:
        header = resp.headers.get("X-OOI-Backend-Calls")
        if header is None:
            continue  # the original ooi does not count
        pairs = (item.split("=") for item in header.replace(" ", "").split(",") if item)
        total = (total or 0) + sum(int(n) for _, n in pairs)
    return total


def _own_cpu(responses: list[requests.Response]) -> float | None:
    """The ``own=`` milliseconds of the answers' X-OOI-CPU headers, summed (None: none)."""
    total = None
    for resp in responses:
        header = resp.headers.get("X-OOI-CPU")
        if header is None:
            continue
        spent = dict(item.split("=", 1) for item in header.replace(" ", "").split(",") if item)
        total = (total or 0.0) + float(spent.get("own", "0ms").removesuffix("ms"))
    return total


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes so far (those gone count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def run(
    workload: Workload,
    target: str,
    base: str,
    fleet: Fleet,
    clients: int,
    duration: float,
    max_writes: int,
    serving: Callable[[], list[int]] | None = None,
) -> Result:
    """Measures `workload` on `base` ("" for the floor) for `duration` s (or `max_writes`).
    ``serving``: the processes that serve it alone (ooi-api's), whose CPU time per timed
    request the result reports (warm-ups included: a few requests out of hundreds)."""
    floor = not base
    call = workload.floor if floor else workload.occi
    result = Result(workload.name, target, clients)
    lock = threading.Lock()
    session_of: dict[int, requests.Session] = {}
    numbers = iter(range(1_000_000))
    deadline = time.monotonic() + duration + (0 if workload.writes else 1)

    def timed(i: int, warm_up: bool = False) -> float:
        """One workload request, recorded; its time (a failure counts as the duration).
        A warm-up is recorded only when it alone outlasts three durations (the original's
        `/networklink/`): then it is the only sample that fits."""
        start = time.perf_counter()
        try:
            responses = call(session_of[threading.get_ident()], base, fleet, i)
            failed: list[Any] = [r for r in responses if r.status_code >= 400]
        except requests.RequestException as exc:
            responses, failed = [], [exc]
        elapsed = time.perf_counter() - start
        if warm_up and elapsed <= 3 * duration and not failed:
            return elapsed
        with lock:
            if failed:
                first = failed[0]
                text = first if isinstance(first, Exception) else first.text[:200]
                result.errors.append(f"{getattr(first, 'status_code', 'error')} {text}")
                return duration
            result.latencies.append(elapsed)
            calls = _calls(responses, floor)
            if calls is not None:
                result.calls.append(calls)
            own = None if floor else _own_cpu(responses)
            if own is not None:
                result.own_cpu.append(own)
        return elapsed

    def client(index: int) -> None:
        session_of[threading.get_ident()] = requests.Session()
        # A warm-up, untimed (it fills ooi's caches in the worker that answers, as a client
        # that has just read /-/ finds them); unless it alone outlasts three durations (the
        # original's /networklink/ makes 2 + 2N calls): then it is the sample, and the client
        # is done.
        if not workload.writes and timed(index, warm_up=True) > 3 * duration:
            return
        done = 0
        # Until the time is up, but at least one timed request each (a slow target).
        while time.monotonic() < deadline or (done < 1 and not workload.writes):
            done += 1
            with lock:
                i = next(numbers)
            if workload.writes and i >= max_writes:
                return
            if workload.per_client_server:
                i = index
            if timed(i) >= duration and not workload.writes:
                return
            if workload.per_client_server:
                settle(fleet, fleet.acting[index])

    pids = serving() if serving is not None else []
    cpu_before = cpu_seconds(pids)
    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if serving is not None:
        result.cpu_seconds = cpu_seconds(pids) - cpu_before
    return result
