"""The box as a whole: start (prepare, spawn, wait, seed), stop and status."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ooi.cloud import clouds, configs, dbprep, seed, supervisor
from ooi.cloud.client import token
from ooi.cloud.procs import BoxError
from ooi.cloud.settings import SERVICES, Box

Say = Callable[[str], None]


@dataclass
class Started:
    cold: bool
    seconds: float
    rss_mb: float
    timings: dict[str, float] = field(default_factory=dict)


def running(box: Box) -> dict[str, int]:
    return {s: pid for s in SERVICES if (pid := supervisor.pid_of(box, s)) is not None}


def seeded_marker(box: Box) -> Path:
    return box.data / ".seeded"


def start(box: Box, say: Say = print) -> Started:
    """Brings every service up (or finds them up) and seeds the cloud; stops all on failure."""
    t0 = time.monotonic()
    up = running(box)
    if len(up) == len(SERVICES):
        say(f"the box in {box.state} is already running")
        return Started(cold=False, seconds=0.0, rss_mb=memory(box))
    if up:
        supervisor.stop(box, list(up))
    busy = [
        f"{name} {port}"
        for name, port in box.ports.items()
        if supervisor.port_in_use(box.host, port)
    ]
    if busy:
        raise BoxError(
            f"ports in use on {box.host}: {', '.join(busy)} (another box? `ooi-cloud stop`)"
        )
    box.save()
    configs.write_all(box)
    clouds.write(box)
    cold = not seeded_marker(box).exists()
    timings: dict[str, float] = {}
    try:
        _bring_up(box, say, timings)
        if cold:
            t = time.monotonic()
            seed.resources(box)
            seeded_marker(box).touch()
            timings["seed"] = time.monotonic() - t
    except BaseException:
        supervisor.stop(box, list(SERVICES))
        raise
    return Started(cold, time.monotonic() - t0, memory(box), timings)


def _bring_up(box: Box, say: Say, timings: dict[str, float]) -> None:
    t0 = time.monotonic()
    others = [s for s in SERVICES if s != "keystone"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        preparing = {s: pool.submit(dbprep.prepare, box, s) for s in SERVICES}
        preparing["keystone"].result()
        timings["keystone db"] = time.monotonic() - t0
        supervisor.spawn(box, "keystone")
        timings["keystone up"] = supervisor.wait_ready(box, "keystone") + timings["keystone db"]
        say(f"  keystone   {box.url('keystone')}  ({time.monotonic() - t0:.1f} s)")
        if not seeded_marker(box).exists():
            seed.identity(box)
        for service in others:
            preparing[service].result()
            supervisor.spawn(box, service)
    for service in others:
        supervisor.wait_ready(box, service)
        timings[f"{service} up"] = time.monotonic() - t0
        say(f"  {service:<10} {box.url(service)}  ({time.monotonic() - t0:.1f} s)")
    say(f"  ooi        {box.url('ooi')}/occi1.1/  (in nova's pipeline)")


# The services that run ooi's own code: restarting them picks up a change to ooi.
OOI_SERVICES = ("nova", "ooi_standalone")


def restart(box: Box, services: list[str], say: Say = print) -> float:
    """Restart running ``services`` of an up box (configs rewritten, data kept); seconds taken.

    ooi's modules are imported first in a child process, so that a change that does not import
    fails here with its traceback instead of taking nova down.
    """
    unknown = [s for s in services if s not in SERVICES]
    if unknown:
        raise BoxError(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(SERVICES)}")
    check = subprocess.run(
        [sys.executable, "-c", "import ooi.api, ooi.wsgi, ooi.wsgi.standalone"],
        capture_output=True,
        text=True,
    )
    if check.returncode:
        raise BoxError(f"ooi does not import, nothing restarted:\n{check.stderr.strip()}")
    t0 = time.monotonic()
    configs.write_all(box)
    supervisor.stop(box, services)
    for service in services:
        supervisor.spawn(box, service)
    for service in services:
        supervisor.wait_ready(box, service)
        say(f"  {service:<10} {box.url(service)}  ({time.monotonic() - t0:.1f} s)")
    return time.monotonic() - t0


def memory(box: Box) -> float:
    return sum(supervisor.rss_mb(supervisor.group_pids(pid)) for pid in running(box).values())


def stop(box: Box) -> list[str]:
    stopped = supervisor.stop(box, list(SERVICES))
    if not stopped:  # ports held by anything else are not this box's to report
        return stopped
    busy = [p for p in box.ports.values() if supervisor.port_in_use(box.host, p)]
    if busy:
        raise BoxError(f"stopped {stopped}, but ports are still in use: {busy}")
    return stopped


def status(box: Box) -> dict[str, str]:
    """Per service: `up` (answers), `starting` (running, silent) or `stopped`."""
    result = {}
    for service in SERVICES:
        if supervisor.pid_of(box, service) is None:
            result[service] = "stopped"
        elif supervisor.answers(supervisor.ready_url(box, service)):
            result[service] = "up"
        else:
            result[service] = "starting"
    return result


def demo_token(box: Box, project: str = "demo") -> str:
    return token(box.auth_url, project, box.password(project), project)[0]


def watch(box: Box, say: Say = print) -> int:
    """Foreground supervision: returns when a service dies (1), or on Ctrl-C/SIGTERM or a stop
    from elsewhere (0)."""
    stopping = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stopping:
            for service in SERVICES:
                if not box.pidfile(service).exists():
                    say("the box was stopped (ooi-cloud stop)")
                    return 0
                if supervisor.pid_of(box, service) is None:
                    say(
                        f"{service} died; {box.log(service)}:\n{supervisor.dead_tail(box, service)}"
                    )
                    return 1
            time.sleep(1)
        return 0
    finally:
        say("stopping the box ...")
        stop(box)
        say("stopped")
        sys.stdout.flush()
