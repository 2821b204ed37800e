"""Preparing each service's database (and keys) in the state directory, once."""

from __future__ import annotations

import grp
import os
import pwd
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ooi.cloud import configs
from ooi.cloud.procs import run_logged, tool
from ooi.cloud.settings import REGION, Box

Commands = list[list[str]]


def keystone(box: Box) -> Commands:
    conf = ["--config-file", str(box.conf("keystone"))]
    owner = [
        "--keystone-user",
        pwd.getpwuid(os.getuid()).pw_name,
        "--keystone-group",
        grp.getgrgid(os.getgid()).gr_name,
    ]
    url = box.url("keystone")
    manage = tool("keystone-manage")
    bootstrap = [
        *("--bootstrap-password", box.password("admin")),
        *("--bootstrap-region-id", REGION),
        *("--bootstrap-admin-url", url),
        *("--bootstrap-internal-url", url),
        *("--bootstrap-public-url", url),
    ]
    return [
        [manage, *conf, "db_sync"],
        [manage, *conf, "fernet_setup", *owner],
        [manage, *conf, "credential_setup", *owner],
        [manage, *conf, "bootstrap", *bootstrap],
    ]


def placement(box: Box) -> Commands:
    return [[tool("placement-manage"), "--config-file", str(box.conf("placement")), "db", "sync"]]


def nova(box: Box) -> Commands:
    manage = [tool("nova-manage"), "--config-file", str(box.conf("nova"))]
    return [
        [*manage, "api_db", "sync"],
        [*manage, "cell_v2", "map_cell0", "--database_connection", configs.cell0_url(box)],
        [*manage, "db", "sync"],
        # `none:` makes cell1's RPC use the process-wide fake transport (one bus per transport).
        [*manage, "cell_v2", "create_cell", "--name", "cell1", "--transport-url", "none:///cell1"],
    ]


def glance(box: Box) -> Commands:
    conf = str(box.etc / "glance" / "glance-api.conf")
    return [[tool("glance-manage"), "--config-file", conf, "db_sync"]]


def cinder(box: Box) -> Commands:
    return [[tool("cinder-manage"), "--config-file", str(box.conf("cinder")), "db", "sync"]]


def neutron(box: Box) -> Commands:
    ml2 = str(box.etc / "neutron" / "ml2_conf.ini")
    return [[sys.executable, "-m", "ooi.cloud.neutron_schema", str(box.conf("neutron")), ml2]]


STEPS: dict[str, Callable[[Box], Commands]] = {
    "keystone": keystone,
    "placement": placement,
    "nova": nova,
    "glance": glance,
    "cinder": cinder,
    "neutron": neutron,
    "ooi_standalone": lambda box: [],  # no database
}


def marker(box: Box, service: str) -> Path:
    return box.data / f".prepared-{service}"


def prepare(box: Box, service: str) -> bool:
    """Prepares `service`'s database unless done before; True if work was done."""
    if marker(box, service).exists():
        return False
    for sub in ("db", service):
        (box.data / sub).mkdir(parents=True, exist_ok=True)
    log = box.logs / f"{service}-prepare.log"
    log.unlink(missing_ok=True)
    for argv in STEPS[service](box):
        run_logged(argv, log)
    marker(box, service).touch()
    return True


def prepare_all(box: Box, services: list[str], workers: int = 3) -> list[str]:
    """Prepares the databases of `services` in parallel; returns those that needed work."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = dict(zip(services, pool.map(lambda s: prepare(box, s), services), strict=True))
    return [s for s, worked in done.items() if worked]
