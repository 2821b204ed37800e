"""Loading each service's WSGI application inside the box's server process.

oslo.config reads `sys.argv` when these apps load, so each loader sets `sys.argv` and the
config-location variables of its service first. nova and cinder also start their other
services (conductor, scheduler, compute; scheduler, volume) in the same process on the
in-memory `fake:/` message bus.
"""

from __future__ import annotations

import configparser
import os
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

from ooi.cloud import sqlite
from ooi.cloud.settings import Box

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def keystone(box: Box) -> WSGIApp:
    os.environ["OS_KEYSTONE_CONFIG_FILES"] = str(box.conf("keystone"))
    sys.argv = ["keystone-wsgi-public"]
    from keystone.server import wsgi

    return wsgi.initialize_public_application()


def placement(box: Box) -> WSGIApp:
    os.environ["OS_PLACEMENT_CONFIG_DIR"] = str(box.etc / "placement")
    sys.argv = ["placement-api"]
    from placement import wsgi

    return wsgi.init_application()


def glance(box: Box) -> WSGIApp:
    os.environ["OS_GLANCE_CONFIG_DIR"] = str(box.etc / "glance")
    sys.argv = ["glance-api"]
    from glance.common import wsgi_app

    return wsgi_app.init_app()


def neutron(box: Box) -> WSGIApp:
    os.environ["OS_NEUTRON_CONFIG_DIR"] = str(box.etc / "neutron")
    os.environ["OS_NEUTRON_CONFIG_FILES"] = "neutron.conf;ml2_conf.ini"
    sys.argv = ["neutron-api"]
    from neutron import server
    from neutron.server import api

    return server.boot_server(api.api_server, prog="neutron-api")


def cinder(box: Box) -> WSGIApp:
    """cinder's API, with its scheduler and one volume service (fake driver) beside it."""
    # Native threads, and stay so: the fake driver's package (cinder.tests.unit) patches again.
    os.environ["OS_CINDER_DISABLE_EVENTLET_PATCHING"] = "1"
    from cinder import monkey_patch

    monkey_patch.patch(backend="threading")
    sys.argv = ["cinder-api", "--config-file", str(box.conf("cinder"))]
    from cinder.wsgi import wsgi

    app = wsgi.initialize_application()
    from cinder import service
    from oslo_config import cfg

    conf = cfg.CONF
    # The volume service first: the scheduler asks the volumes for their capabilities as it
    # starts and waits (up to scheduler_driver_init_wait_time, 60 s) for a first answer.
    for kwargs in (
        {
            "binary": "cinder-volume",
            "host": f"{conf.host}@{conf.enabled_backends[0]}",
            "service_name": conf.enabled_backends[0],
            "coordination": True,
        },
        {"binary": "cinder-scheduler"},
    ):
        svc = service.Service.create(**kwargs)
        svc.report_state = _own_heartbeat(service.Service, svc)
        svc.start()
    return app


_heartbeat_lock = threading.Lock()


def _own_heartbeat(cls: Any, svc: Any) -> Callable[[], None]:
    """cinder keeps the service's database id in a class attribute (`Service.service_id`),
    so with two services in one process both heartbeats would update the last one's row and
    the other would look down ("No valid backend"). Each heartbeat sets its own id first."""
    report = svc.report_state

    def report_state() -> None:
        with _heartbeat_lock:
            cls.service_id = svc.origin_service_id
            report()

    return report_state


def nova(box: Box) -> WSGIApp:
    """nova's API (and ooi's pipeline) with conductor, scheduler and compute beside it."""
    from nova import monkey_patch

    monkey_patch.patch(backend="threading")
    os.environ["OS_NOVA_CONFIG_DIR"] = str(box.etc / "nova")
    os.environ["OS_NOVA_CONFIG_FILES"] = "api-paste.ini;nova.conf"
    sys.argv = ["nova-api-os-compute"]
    from nova.api.openstack import wsgi_app

    conf_files = wsgi_app._get_config_files()
    wsgi_app.init_global_data(conf_files, "osapi_compute", sys.argv[0])

    from nova import context, service
    from nova.compute import rpcapi as compute_rpcapi
    from nova.conductor import rpcapi as conductor_rpcapi
    from nova.objects import host_mapping
    from nova.scheduler import rpcapi as scheduler_rpcapi
    from oslo_config import cfg
    from paste import deploy

    from ooi.cloud import fake_driver

    # nova imports drivers as `nova.virt.<compute_driver>`.
    sys.modules["nova.virt.ooi_box"] = fake_driver
    conf = cfg.CONF
    service.Service.create(binary="nova-conductor", topic=conductor_rpcapi.RPC_TOPIC).start()
    service.Service.create(binary="nova-scheduler", topic=scheduler_rpcapi.RPC_TOPIC).start()
    # The compute reports its resources to placement as it starts; give placement time to come.
    wait_for_url(box.url("placement"), timeout=180)
    service.Service.create(
        binary="nova-compute",
        topic=compute_rpcapi.RPC_TOPIC,
        topic_alt=compute_rpcapi.RPC_TOPIC_ALT,
    ).start()
    host_mapping.discover_hosts(context.get_admin_context())
    wsgi_app._setup_service(conf.host, "osapi_compute")
    service.setup_profiler("osapi_compute", conf.host)

    paste_ini = f"config:{conf.wsgi.api_paste_config}"
    ports = {
        str(box.ports["nova"]): deploy.loadapp(paste_ini, name="osapi_compute"),
        str(ooi_listen(box)[1]): deploy.loadapp(paste_ini, name="ooi"),
    }
    return PortDispatch(ports)


def ooi_listen(box: Box) -> tuple[str, int]:
    """`ooi_listen` and `ooi_listen_port` from nova.conf, as nova-api once read them."""
    parser = configparser.RawConfigParser(strict=False)
    parser.read(box.conf("nova"))
    host = parser.get("DEFAULT", "ooi_listen", fallback="0.0.0.0")
    return host, parser.getint("DEFAULT", "ooi_listen_port", fallback=8787)


class PortDispatch:
    """One process, several listening sockets: the app for each local port."""

    def __init__(self, apps: dict[str, WSGIApp]) -> None:
        self.apps = apps

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        return self.apps[environ["SERVER_PORT"]](environ, start_response)


def wait_for_url(url: str, timeout: float) -> None:
    """Waits until `url` answers HTTP at all (any status)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


LOADERS: dict[str, Callable[[Box], WSGIApp]] = {
    "keystone": keystone,
    "placement": placement,
    "glance": glance,
    "cinder": cinder,
    "neutron": neutron,
    "nova": nova,
}


IMMEDIATE_TRANSACTIONS = {"nova", "placement"}


def load(service: str, box: Box) -> WSGIApp:
    sqlite.install(immediate=service in IMMEDIATE_TRANSACTIONS)
    return LOADERS[service](box)
