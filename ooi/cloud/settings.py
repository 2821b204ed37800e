"""Where the box lives and how it is reached: state directory, ports, passwords, paths."""

from __future__ import annotations

import json
import os
import secrets
import sysconfig
from dataclasses import asdict, dataclass, field
from pathlib import Path

SERVICES = ("keystone", "placement", "glance", "cinder", "neutron", "nova", "ooi_standalone")
"""Every service process of the box, in start order (keystone first, nova last)."""

DEFAULT_PORTS = {
    "keystone": 5000,
    "nova": 8774,
    "placement": 8778,
    "neutron": 9696,
    "cinder": 8776,
    "glance": 9292,
    "ooi": 8787,
    "ooi_standalone": 8788,
}
"""devstack's usual ports; `ooi` (in nova's pipeline) is served by the nova process,
`ooi_standalone` by `ooi-api` (its own Keystone authentication, nova over HTTP)."""

SERVICE_USERS = ("placement", "glance", "cinder", "neutron", "nova")
"""The OpenStack services' users in keystone (ooi validates tokens as nova's user)."""

REGION = "RegionOne"
SERVICE_PROJECT = "service"
MEMBER_PROJECTS = ("demo", "alt_demo")
"""Each gets a member user of the same name, a `private` network and a router to `public`."""

COMPUTE_HOST = "box"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def default_state_dir() -> Path:
    """`$OOI_CLOUD_STATE` or `<repo>/.ooi-cloud/`."""
    env = os.environ.get("OOI_CLOUD_STATE", "").strip()
    return Path(env).resolve() if env else repo_root() / ".ooi-cloud"


def shipped_etc(service: str) -> Path:
    """The config files a wheel installs under `<venv>/etc/<service>/`."""
    return Path(sysconfig.get_paths()["data"]) / "etc" / service


@dataclass
class Box:
    """The settings of one box; kept as `box.json` in its state directory."""

    state: Path
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    passwords: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A state directory from an older box may lack ports added since.
        self.ports = {**DEFAULT_PORTS, **self.ports}

    # -- paths -------------------------------------------------------------------------------
    @property
    def etc(self) -> Path:
        return self.state / "etc"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def run(self) -> Path:
        return self.state / "run"

    @property
    def data(self) -> Path:
        """Everything a service writes: databases, keys, images, instance files."""
        return self.state / "data"

    def db_url(self, name: str) -> str:
        return f"sqlite:///{self.data / 'db' / name}.sqlite"

    def conf(self, service: str) -> Path:
        return self.etc / service / f"{service}.conf"

    def log(self, service: str) -> Path:
        return self.logs / f"{service}.log"

    def pidfile(self, service: str) -> Path:
        return self.run / f"{service}.pid"

    # -- endpoints ---------------------------------------------------------------------------
    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    @property
    def auth_url(self) -> str:
        return self.url("keystone") + "/v3"

    def password(self, user: str) -> str:
        return self.passwords[user]

    # -- persistence -------------------------------------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.state / "box.json"

    def save(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        data["state"] = str(self.state)
        self.settings_file.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        self.settings_file.chmod(0o600)


def users() -> list[str]:
    """Every keystone user the box knows a password for."""
    return ["admin", *SERVICE_USERS, *MEMBER_PROJECTS]


def load(state: Path | None = None, ports: dict[str, int] | None = None) -> Box:
    """The box in `state` (created with fresh passwords if new); `ports` override its ports.

    Ports can only change while the box has no prepared data (they end up in keystone's
    catalog), so overrides for an existing box must match what it was made with.
    """
    state = (state or default_state_dir()).resolve()
    box = Box(state=state)
    if box.settings_file.exists():
        saved = json.loads(box.settings_file.read_text())
        box.host = saved.get("host", box.host)
        box.ports.update(saved.get("ports", {}))
        box.passwords.update(saved.get("passwords", {}))
    if ports:
        changed = {k: v for k, v in ports.items() if box.ports.get(k) != v}
        if changed and box.data.exists():
            raise ValueError(
                f"{state} was prepared with ports {box.ports}; to change {changed} "
                "start with --fresh or use another state directory"
            )
        unknown = set(ports) - set(DEFAULT_PORTS)
        if unknown:
            raise ValueError(f"unknown services in port overrides: {sorted(unknown)}")
        box.ports.update(ports)
    for user in users():
        box.passwords.setdefault(user, secrets.token_urlsafe(12))
    return box
