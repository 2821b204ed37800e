"""Starting, watching and stopping the box's service processes, by PID.

Each service runs as `python -m ooi.cloud.serve` in a session of its own (its gunicorn
master is the session and process-group leader), so a stop signals exactly that group and
nothing else, and Ctrl-C on a foreground run reaches only the supervisor, which stops them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ooi.cloud.procs import BoxError, tail
from ooi.cloud.settings import Box

READY_PATHS = {
    "keystone": "/v3",
    "placement": "/",
    "glance": "/versions",
    "cinder": "/",
    "neutron": "/",
    "nova": "/",
    "ooi_standalone": "/occi1.2/-/",
}


def command(box: Box, service: str) -> list[str]:
    """The OpenStack services run from our launcher; ooi standalone is the product's command."""
    if service == "ooi_standalone":
        return [sys.executable, "-m", "ooi.cmd.api", "--config-file", str(box.conf("ooi"))]
    return [sys.executable, "-m", "ooi.cloud.serve", service, str(box.state)]


def spawn(box: Box, service: str) -> int:
    """Starts `service`; its output goes to `<state>/logs/<service>.log`."""
    box.logs.mkdir(parents=True, exist_ok=True)
    box.run.mkdir(parents=True, exist_ok=True)
    with box.log(service).open("ab") as log:
        proc = subprocess.Popen(
            command(box, service),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=box.state,
            start_new_session=True,
        )
    box.pidfile(service).write_text(f"{proc.pid} {_start_time(proc.pid)}\n")
    _children[proc.pid] = proc
    return proc.pid


_children: dict[int, subprocess.Popen[bytes]] = {}
"""Processes spawned by this process, reaped when they exit (no zombies)."""


def pid_of(box: Box, service: str) -> int | None:
    """The PID of `service` if it is running and is this box's (checked on its command line)."""
    try:
        pid, started = box.pidfile(service).read_text().split()
    except (FileNotFoundError, ValueError):
        return None
    child = _children.get(int(pid))
    if child is not None and child.poll() is not None:
        return None
    # gunicorn rewrites its command line; the start time tells a reused PID apart.
    return int(pid) if _start_time(int(pid)) == started else None


def _stat(pid: int) -> list[str]:
    """Fields 3.. of /proc/PID/stat (state first); empty if there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _start_time(pid: int) -> str:
    fields = _stat(pid)
    return fields[19] if fields and fields[0] != "Z" else ""


def answers(url: str, timeout: float = 5.0) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout).close()
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def ready_url(box: Box, service: str) -> str:
    return box.url(service) + READY_PATHS[service]


def wait_ready(box: Box, service: str, timeout: float = 300) -> float:
    """Waits until `service` answers; a process that dies meanwhile raises with its log."""
    start = time.monotonic()
    url = ready_url(box, service)
    while not answers(url):
        if pid_of(box, service) is None:
            raise BoxError(
                f"{service} died while starting; {box.log(service)}:\n{dead_tail(box, service)}"
            )
        if time.monotonic() - start > timeout:
            raise BoxError(
                f"{service} did not answer at {url} within {timeout:.0f} s; "
                f"{box.log(service)}:\n{tail(box.log(service))}"
            )
        time.sleep(0.3)
    return time.monotonic() - start


def dead_tail(box: Box, service: str) -> str:
    return tail(box.log(service), 40)


def group_pids(leader: int) -> list[int]:
    """Every live process in the process group led by `leader`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields and int(fields[2]) == leader and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def stop(box: Box, services: list[str], timeout: float = 20) -> list[str]:
    """SIGTERM to each running service's group, SIGKILL after `timeout`; returns those stopped."""
    running = {s: pid for s in services if (pid := pid_of(box, s)) is not None}
    # Pidfiles go first: a foreground `watch` then sees a stop, not a service that died.
    for service in services:
        box.pidfile(service).unlink(missing_ok=True)
    for pid in running.values():
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for pid in running.values():
        while group_pids(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.1)
        if group_pids(pid):
            _signal_group(pid, signal.SIGKILL)
            while group_pids(pid):
                _reap(pid)
                time.sleep(0.1)
        _reap(pid)
    return list(running)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def _reap(pid: int) -> None:
    child = _children.get(pid)
    if child is not None:
        child.poll()


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False
