"""A box for a test run: reuse a running one, or start one (in the background) and stop it.

`OOI_CLOUD_STATE` names a box to reuse when all of it is up (a developer's `make run`, or an
earlier `ooi-cloud start`): a test run then takes seconds and leaves the box running.
Otherwise a box is started for the run — in `OOI_CLOUD_STATE` if set, else in a temporary
directory, on devstack's ports or, when they are taken, on ports shifted by 10000 — and
stopped at the end. Starting it early, in a thread, lets the cold start overlap the unit tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ooi.cloud import box as boxes
from ooi.cloud import settings, supervisor
from ooi.cloud.client import Client, token


@dataclass
class Project:
    name: str
    id: str
    user_id: str
    token: str


@dataclass
class Cloud:
    """What tests get: endpoints, an admin token and two member projects."""

    box: settings.Box
    endpoints: dict[str, str]
    admin_token: str
    projects: dict[str, Project]

    def client(self, service: str, project: str | None = None, path: str = "") -> Client:
        """A client of `service` for `project` (a member project's name) or admin."""
        tok = self.projects[project].token if project else self.admin_token
        return Client(self.endpoints[service] + path, tok)


def connect(box: settings.Box) -> Cloud:
    """Tokens and endpoints of a running box."""
    projects = {}
    for name in settings.MEMBER_PROJECTS:
        tok, body = token(box.auth_url, name, box.password(name), name)
        projects[name] = Project(name, body["project"]["id"], body["user"]["id"], tok)
    admin, _ = token(box.auth_url, "admin", box.password("admin"), "admin")
    endpoints = {service: box.url(service) for service in settings.DEFAULT_PORTS}
    endpoints["nova"] += "/v2.1"
    endpoints["neutron"] += "/v2.0"
    endpoints["keystone"] += "/v3"
    return Cloud(box, endpoints, admin, projects)


def shifted_ports() -> dict[str, int]:
    """devstack's ports if free, else the first of +10000, +20000, ... with all free."""
    for shift in range(0, 50_000, 10_000):
        ports = {name: port + shift for name, port in settings.DEFAULT_PORTS.items()}
        if not any(supervisor.port_in_use("127.0.0.1", p) for p in ports.values()):
            return ports
    raise RuntimeError("no free set of ports for a cloud box")


REUSE_WAIT = 300
"""Seconds a run waits for a box that another run is (re)starting."""


class BoxSession:
    """The box of one test run; `start_soon()` early, `cloud()` when a test needs it."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._box: settings.Box | None = None
        self.owned = False
        self.temporary = False
        self.started: boxes.Started | None = None

    def _reusable(self) -> settings.Box | None:
        state = os.environ.get("OOI_CLOUD_STATE", "").strip()
        if not state:
            return None
        box = settings.load(Path(state))
        if not box.settings_file.exists():
            return None
        # Some services up and some not: another run is restarting them. That box is not ours
        # to start (a second start on one state directory loses track of its processes), nor
        # to stop at the end: wait for it.
        deadline = time.monotonic() + REUSE_WAIT
        while True:
            states = set(boxes.status(box).values())
            if states == {"up"}:
                return box
            if states == {"stopped"}:
                return None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the box in {state} is not all up after {REUSE_WAIT} s")
            time.sleep(1)

    def start_soon(self) -> None:
        if self._thread is not None or self._box is not None:
            return
        reused = self._reusable()
        if reused is not None:
            self._box = reused
            return
        state = os.environ.get("OOI_CLOUD_STATE", "").strip()
        path = Path(state) if state else Path(tempfile.mkdtemp(prefix="ooi-cloud-"))
        self.temporary = not state
        loaded = settings.load(path)
        box = loaded if loaded.data.exists() else settings.load(path, shifted_ports())
        self._box = box
        self.owned = True
        self._thread = threading.Thread(target=self._start, args=(box,), daemon=True)
        self._thread.start()

    def _start(self, box: settings.Box) -> None:
        try:
            self.started = boxes.start(box, say=lambda _line: None)
        except BaseException as exc:  # reported to the first test that asks
            self._error = exc

    def cloud(self) -> Cloud:
        self.start_soon()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._box is not None
        return connect(self._box)

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self.owned and self._box is not None:
            boxes.stop(self._box)
            if self.temporary:
                shutil.rmtree(self._box.state, ignore_errors=True)


def flavors(cloud: Cloud) -> list[dict[str, object]]:
    return cloud.client("nova").get("/flavors/detail")["flavors"]
