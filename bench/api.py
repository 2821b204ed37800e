"""Benchmark of ooi over HTTP against the cloud box: ours in both modes, the original ooi 1.2.0
and the floor (the direct OpenStack calls answering the same question), side by side.

Run with ``make bench-api`` (or ``.venv/bin/python -m bench.api --help`` in the repository).
Loopback only. It reuses the running box when ``OOI_CLOUD_STATE`` names one, else starts one
(and stops it at the end); makes the bench project and its N computes (bench/fleet.py), starts
the original in a second nova API process (bench/original.py), measures every workload
(bench/workloads.py) on every target with C concurrent clients, prints the table and writes
``bench/results/api-<time>.json``. Everything it made is deleted at the end, also after an
error or Ctrl-C. ``--scale`` measures the list workloads at N = 10, 50 and 200 instead, with the
cost per entity. ``--lock /tmp/ooi-box.lock`` holds that file's lock (exclusively) only while
measuring, so that tests sharing the box neither disturb nor wait for the set-up.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import platform
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench.fleet import Fleet
from bench.measure import Result, run
from bench.original import OriginalServer
from bench.workloads import WORKLOADS, Workload
from ooi.cloud import box as boxes
from ooi.cloud import settings, supervisor
from ooi.cloud.session import BoxSession, Cloud, connect

RESULTS = Path(__file__).resolve().parent / "results"
SCALE = (10, 50, 200)


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=50, help="computes to read (default 50)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument(
        "--duration", type=float, default=4.0, help="seconds per workload, target and round (4)"
    )
    parser.add_argument(
        "--writes", type=int, default=12, help="at most this many create+delete per target (12)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="reads: rounds over all targets, each `--duration` long, pooled (3)",
    )
    parser.add_argument("--scale", action="store_true", help="list workloads at N=10, 50, 200")
    parser.add_argument(
        "--sizes", default=",".join(map(str, SCALE)), help="the N of --scale (10,50,200)"
    )
    parser.add_argument("--no-original", action="store_true", help="skip the original ooi")
    parser.add_argument("--original-port", type=int, default=8789)
    parser.add_argument("--only", default="", help="workloads whose name contains this")
    parser.add_argument("--lock", default="", help="a file to flock exclusively while measuring")
    args = parser.parse_args(argv)
    for name in ("servers", "clients", "writes", "rounds"):
        if not 1 <= getattr(args, name) <= 1000:
            parser.error(f"--{name} must be between 1 and 1000")
    try:
        args.sizes = sorted({int(n) for n in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes must be numbers separated by commas")
    if not all(1 <= n <= 1000 for n in args.sizes):
        parser.error("--sizes must be between 1 and 1000")
    if not 0.5 <= args.duration <= 120:
        parser.error("--duration must be between 0.5 and 120 seconds")
    return args


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    if not path:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _targets(box_url: dict[str, str], original: OriginalServer | None) -> dict[str, str]:
    targets = {"pipeline": box_url["ooi"] + "/occi1.2", "standalone": box_url["ooi_standalone"]}
    targets["standalone"] += "/occi1.2"
    if original is not None:
        targets["original"] = original.url + "/occi1.2"
    targets["floor"] = ""
    return targets


def _measure(
    workloads: list[Workload],
    targets: dict[str, str],
    fleet: Fleet,
    args: argparse.Namespace,
) -> list[Result]:
    leader = supervisor.pid_of(fleet.box, "ooi_standalone")
    # ooi-api's processes serve only ooi: their CPU time is ooi's own work (nova's pipeline
    # shares its process with nova, so it has no such number).
    serving = {"standalone": lambda: supervisor.group_pids(leader)} if leader else {}
    results = []
    for workload in workloads:
        # Reads take turns in rounds over the targets: the box's own load comes and goes (its
        # periodic tasks), and the same 4 s at another moment can differ by half; in turns,
        # every target meets the same moments. Writes (bounded by count) and actions on fresh
        # servers run once.
        rounds = 1 if workload.writes or workload.per_client_server else args.rounds
        pooled: dict[str, Result] = {}
        for _ in range(rounds):
            # Each round under the lock on its own: tests that share the box wait only briefly.
            with _locked(args.lock):
                for target, base in targets.items():
                    if workload.per_client_server:
                        fleet.boot_acting(args.clients)
                    result = run(
                        workload,
                        target,
                        base,
                        fleet,
                        args.clients,
                        args.duration,
                        args.writes,
                        serving.get(target),
                    )
                    pooled[target] = pooled[target].pooled(result) if target in pooled else result
        for target, result in pooled.items():
            print(f"  {workload.name:<36} {target:<10} {_line(result)}", flush=True)
            results.append(result)
    return results


def _line(r: Result) -> str:
    calls = "-" if r.calls_per_request is None else f"{r.calls_per_request:g}"
    errors = f"  {len(r.errors)} errors: {r.errors[0][:120]}" if r.errors else ""
    cpu = "" if r.cpu_ms_per_request is None else f"  cpu {r.cpu_ms_per_request:.1f} ms"
    cpu += "" if r.own_cpu_ms is None else f"  own cpu {r.own_cpu_ms:.2f} ms"
    line = f"{r.rps:8.1f} req/s  p50 {r.p50:7.1f} ms  p95 {r.p95:7.1f} ms  calls {calls}"
    return line + cpu + errors


def _ratio(a: Result | None, b: Result | None) -> str:
    if a is None or b is None or not a.rps or not b.rps:
        return "-"
    return f"{a.rps / b.rps:.2f}"


def table(results: list[Result]) -> str:
    """A Markdown table: one row per workload and ooi mode, with ratios of req/s."""
    by = {(r.workload, r.target): r for r in results}
    head = (
        "| request | ooi | req/s | median ms | p95 ms | backend calls | ooi CPU ms "
        "| ooi own CPU ms | original req/s | ours/original | floor req/s | ours/floor |"
    )
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for workload in dict.fromkeys(r.workload for r in results):
        original, floor = by.get((workload, "original")), by.get((workload, "floor"))
        for mode in ("pipeline", "standalone"):
            r = by.get((workload, mode))
            if r is None:
                continue
            calls = "-" if r.calls_per_request is None else f"{r.calls_per_request:g}"
            cells = [
                workload,
                mode,
                f"{r.rps:.1f}",
                f"{r.p50:.0f}",
                f"{r.p95:.0f}",
                calls,
                "-" if r.cpu_ms_per_request is None else f"{r.cpu_ms_per_request:.1f}",
                "-" if r.own_cpu_ms is None else f"{r.own_cpu_ms:.2f}",
                f"{original.rps:.1f}" if original and original.requests else "-",
                _ratio(r, original),
                f"{floor.rps:.1f}" if floor else "-",
                _ratio(r, floor),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scale_table(rows: list[tuple[int, Result]]) -> str:
    """Cost per entity of each list workload and target as the collection grows."""
    lines = [
        "| request | target | N | req/s | median ms | ms per entity | backend calls "
        "| ooi CPU ms per entity | ooi own CPU ms per entity |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in rows:
        calls = "-" if r.calls_per_request is None else f"{r.calls_per_request:g}"
        cpu = "-" if r.cpu_ms_per_request is None else f"{r.cpu_ms_per_request / n:.2f}"
        own = "-" if r.own_cpu_ms is None else f"{r.own_cpu_ms / n:.3f}"
        cells = [r.workload, r.target, str(n), f"{r.rps:.1f}", f"{r.p50:.0f}"]
        cells += [f"{r.p50 / n:.2f}", calls, cpu, own]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"python": platform.python_version(), "cpu": cpu, "cpus": os.cpu_count()}


def _cloud(session: BoxSession) -> Cloud:
    """The box of `OOI_CLOUD_STATE` (or the repository's .ooi-cloud/) when it has one, else a
    box of the bench's own, started by `session` (and stopped at the end).

    A named box is only ever used: if it is not all up (someone restarting it), the bench
    waits, and fails rather than start or stop any of it, since others share it.
    """
    state = os.environ.get("OOI_CLOUD_STATE", "").strip()
    box = settings.load(Path(state)) if state else None
    if box is None and settings.default_state_dir().joinpath("box.json").exists():
        box = settings.load(settings.default_state_dir())
    if box is None or not box.settings_file.exists():
        print("box: starting one for the bench ...", flush=True)
        return session.cloud()
    print(f"box: using the one in {box.state}", flush=True)
    deadline = time.monotonic() + 300
    while set(boxes.status(box).values()) != {"up"}:
        if time.monotonic() > deadline:
            raise SystemExit(f"the box in {box.state} is not up: {boxes.status(box)}")
        time.sleep(2)
    return connect(box)


def memory(box: settings.Box, original: OriginalServer | None) -> dict[str, list[float]]:
    """RSS in MB of each process: ooi-api's master and workers (ours standalone, the worker
    alone is what a request costs in memory); the original's nova API process (nova's API and
    the original ooi; the box's nova process also holds conductor, scheduler and compute, so
    ours in nova's pipeline has no number of its own)."""
    found: dict[str, list[float]] = {}
    leader = supervisor.pid_of(box, "ooi_standalone")
    if leader is not None:
        pids = sorted(supervisor.group_pids(leader))
        found["ooi-api (master, workers)"] = [round(supervisor.rss_mb([p]), 1) for p in pids]
    if original is not None and original.proc is not None:
        pids = sorted(supervisor.group_pids(original.proc.pid))
        found["original in nova API (master, worker)"] = [
            round(supervisor.rss_mb([p]), 1) for p in pids
        ]
    return found


def _write(report: dict[str, object], kind: str, text: str) -> Path:
    """bench/results/<kind>-<start time>.json (one file per run, rewritten as it grows)."""
    RESULTS.mkdir(exist_ok=True)
    started = str(report["started"]).replace("-", "").replace(":", "")
    out = RESULTS / f"{kind}-{started}.json"
    out.write_text(json.dumps({**report, "table": text}, indent=2) + "\n")
    return out


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    args = _args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    workloads = [w for w in WORKLOADS if args.only in w.name]
    if args.scale:
        workloads = [w for w in workloads if w.listing]
    session = BoxSession()
    fleet: Fleet | None = None
    original: OriginalServer | None = None
    report: dict[str, object] = {
        "machine": _machine(),
        "args": {k: v for k, v in vars(args).items() if k != "lock"},
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        cloud = _cloud(session)
        fleet = Fleet(cloud.box, say=lambda line: print(line, flush=True))
        fleet.open()
        if not args.no_original:
            print(f"original ooi {platform.python_version()}: starting ...", flush=True)
            original = OriginalServer(cloud.box, args.original_port).__enter__()
        targets = _targets(cloud.endpoints, original)
        if args.scale:
            rows: list[tuple[int, Result]] = []
            for n in args.sizes:
                print(f"{n} computes ...", flush=True)
                fleet.grow(n)
                rows += [(n, r) for r in _measure(workloads, targets, fleet, args)]
                # Written after each size: a run stopped before the largest keeps the rest.
                report["scale"] = [{"servers": n, **r.as_dict()} for n, r in rows]
                _write(report, "scale", scale_table(rows))
            text = scale_table(rows)
        else:
            print(f"{args.servers} computes ...", flush=True)
            fleet.grow(args.servers)
            results = _measure(workloads, targets, fleet, args)
            rss = memory(cloud.box, original)
            text = table(results) + "\n\nRSS MB: " + "; ".join(f"{k}: {v}" for k, v in rss.items())
            report["results"] = [r.as_dict() for r in results]
            report["rss_mb"] = rss
        print()
        print(text)
        out = _write(report, "scale" if args.scale else "api", text)
        print(f"\nwritten: {out}")
        return 0
    except KeyboardInterrupt:
        print("interrupted: cleaning up", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the clean-up
        if original is not None:
            original.__exit__()
        if fleet is not None:
            print("deleting the bench project ...", flush=True)
            fleet.teardown()
        session.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
