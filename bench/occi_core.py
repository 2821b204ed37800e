"""Benchmark of the OCCI core: render and parse 10,000 computes with 3 links each.

Run with ``make bench`` (or ``.venv/bin/python bench/occi_core.py``). For each rendering it
times rendering every compute on its own (``Renderer.resource``) and parsing each rendering back
(``parse_entity``), and for text/uri-list rendering and parsing the whole collection; it prints
entities per second, the best of ``--runs`` runs, with the Python version and the machine.

The computes are realistic: the compute kind, an OS template and a resource template (from a
few images and flavors, as in a real cloud), eight attributes, two network interfaces with the
IP network interface mixin and one storage link, all with their attributes, and the action
links of an active compute.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import time
import uuid
from collections.abc import Callable

from ooi.occi import infrastructure as infra
from ooi.occi import openstack as os_
from ooi.occi.model import Link, Resource
from ooi.occi.parsing import parser_for
from ooi.occi.parsing import text as text_parsing
from ooi.occi.rendering import Rendered, renderer_for

BASE_URL = "http://cloud.example.org:8787/occi1.2/"
ENTITY_RENDERINGS = ("text/plain", "text/occi", "application/occi+json")


def _uuid(rng_index: int, salt: str) -> str:
    # Deterministic ids, so that every run renders the same bytes.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{salt}/{rng_index}"))


IMAGES = [
    os_.os_template(_uuid(i, "image"), name)
    for i, name in enumerate(["Ubuntu 24.04", "Debian 12", "CentOS Stream 9", "Alpine 3.20"])
]
FLAVORS = [
    os_.resource_template(str(i), name, cores, memory, disk)
    for i, (name, cores, memory, disk) in enumerate(
        [("m1.small", 1, 2.0, 20), ("m1.medium", 2, 4.0, 40), ("m1.large", 4, 8.0, 80)], 1
    )
]
ACTIVE_ACTIONS = [infra.STOP, infra.RESTART, infra.SUSPEND, infra.SAVE]


def _network_interface(compute: Resource, index: int, number: int) -> Link:
    link_id = _uuid(index * 3 + number, "port")
    return Link(
        kind=infra.NETWORKINTERFACE,
        id=link_id,
        mixins=[infra.IPNETWORKINTERFACE],
        attributes={
            "occi.networkinterface.interface": f"eth{number}",
            "occi.networkinterface.mac": f"fa:16:3e:{index % 256:02x}:{number:02x}:1c",
            "occi.networkinterface.state": "active",
            "occi.networkinterface.address": f"10.{number}.{index // 256 % 256}.{index % 256}",
            "occi.networkinterface.gateway": f"10.{number}.0.1",
            "occi.networkinterface.allocation": "dynamic",
        },
        source=compute.location or "",
        target=f"network/{_uuid(number, 'network')}",
        source_kind=infra.COMPUTE,
        target_kind=infra.NETWORK,
    )


def _storage_link(compute: Resource, index: int) -> Link:
    volume = _uuid(index, "volume")
    return Link(
        kind=infra.STORAGELINK,
        id=f"{compute.id}_{volume}",
        attributes={
            "occi.storagelink.deviceid": "/dev/vdb",
            "occi.storagelink.mountpoint": "/mnt/data",
            "occi.storagelink.state": "active",
        },
        source=compute.location or "",
        target=f"storage/{volume}",
        source_kind=infra.COMPUTE,
        target_kind=infra.STORAGE,
    )


def build_computes(count: int) -> list[Resource]:
    computes = []
    for index in range(count):
        flavor = FLAVORS[index % len(FLAVORS)]
        defaults = {a.name: a.default for a in flavor.attributes}
        compute = Resource(
            kind=infra.COMPUTE,
            id=_uuid(index, "server"),
            title=f"server-{index}",
            summary="A compute of the OCCI core benchmark",
            mixins=[IMAGES[index % len(IMAGES)], flavor],
            attributes={
                "occi.compute.architecture": "x64",
                "occi.compute.cores": defaults["occi.compute.cores"],
                "occi.compute.hostname": f"server-{index}.example.org",
                "occi.compute.share": 1024,
                "occi.compute.memory": defaults["occi.compute.memory"],
                "occi.compute.state": "active",
                "occi.compute.state.message": "running",
                "org.openstack.flavor.name": defaults["org.openstack.flavor.name"],
            },
            actions=list(ACTIVE_ACTIONS),
        )
        compute.links = [
            _network_interface(compute, index, 0),
            _network_interface(compute, index, 1),
            _storage_link(compute, index),
        ]
        computes.append(compute)
    return computes


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest wall time of ``runs`` calls of ``work``."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def check_parsed(media_type: str, rendered: Rendered) -> None:
    """One rendering parsed back must be what went in (a benchmark of a broken parser is
    worth nothing)."""
    doc = parser_for(media_type, "parse_entity")(rendered.headers, rendered.body)
    assert doc.kind == infra.COMPUTE.type_id, (media_type, doc.kind)
    assert len(doc.mixins) == 2 and len(doc.links) == 3, media_type
    assert doc.attributes["occi.compute.memory"] == float(doc.attributes["occi.compute.memory"])


def bench_entities(
    media_type: str, computes: list[Resource], runs: int
) -> tuple[float, float, int]:
    renderer = renderer_for(media_type, BASE_URL, "1.2")
    parse = parser_for(media_type, "parse_entity")
    rendered: list[Rendered] = []

    def render_all() -> None:
        rendered[:] = [renderer.resource(compute) for compute in computes]

    def parse_all() -> None:
        for item in rendered:
            parse(item.headers, item.body)

    render_time = best_of(runs, render_all)
    check_parsed(media_type, rendered[0])
    parse_time = best_of(runs, parse_all)
    size = sum(len(r.body) + sum(len(n) + len(v) + 4 for n, v in r.headers) for r in rendered)
    return render_time, parse_time, size // len(rendered)


def bench_uri_list(computes: list[Resource], runs: int) -> tuple[float, float, int]:
    renderer = renderer_for("text/uri-list", BASE_URL, "1.2")
    rendered: list[Rendered] = []

    def render() -> None:
        rendered[:] = [renderer.entities(computes)]

    def parse() -> None:
        uris = text_parsing.parse_uri_list(rendered[0].body)
        assert len(uris) == len(computes)

    render_time = best_of(runs, render)
    parse_time = best_of(runs, parse)
    return render_time, parse_time, len(rendered[0].body) // len(computes)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="computes (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs, the best counts (default 3)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    computes = build_computes(args.count)
    print(
        f"OCCI core: {args.count} computes with 3 links each, best of {args.runs} runs "
        f"(entities per second)"
    )
    print(f"Python {platform.python_version()} ({platform.python_implementation()})")
    print(f"Machine: {machine()}")
    print(f"{'rendering':<24}{'render/s':>12}{'parse/s':>12}{'bytes/entity':>14}")
    for media_type in ENTITY_RENDERINGS:
        render_time, parse_time, size = bench_entities(media_type, computes, args.runs)
        print(
            f"{media_type:<24}{args.count / render_time:>12,.0f}"
            f"{args.count / parse_time:>12,.0f}{size:>14,}"
        )
    render_time, parse_time, size = bench_uri_list(computes, args.runs)
    print(
        f"{'text/uri-list (list)':<24}{args.count / render_time:>12,.0f}"
        f"{args.count / parse_time:>12,.0f}{size:>14,}"
    )
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
