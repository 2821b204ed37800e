"""Where ooi's own time goes: the standalone app, in this process under cProfile, answering
the hottest requests (a compute show, the query interface, a JSON list of computes) against the
running cloud box.

Run with ``make bench-profile`` (``.venv/bin/python -m bench.profile --help``). It needs a
running box (``OOI_CLOUD_STATE``, else the repository's .ooi-cloud/), boots one server in the
demo project through nova for the show and deletes it at the end. Prints, per request kind, the
wall time and CPU time per request and the functions that took the most time of their own;
writes the whole profile to ``bench/results/profile-<time>.prof`` (``python -m pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

import webob

from ooi.cloud import settings
from ooi.cloud.session import connect
from ooi.wsgi import standalone
from tests.cloud.waiting import gone, server_status

RESULTS = Path(__file__).resolve().parent / "results"
# Waiting on a socket or a lock is the backends' time (or another thread's), not ooi's work.
_WAITS = ("recv_into", "poll", "select", "acquire", "wait", "sleep", "connect", "sendall")


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per request kind (200)")
    parser.add_argument("--top", type=int, default=15, help="functions shown per kind (15)")
    args = parser.parse_args(argv)
    if not 10 <= args.requests <= 5000 or not 1 <= args.top <= 100:
        parser.error("--requests must be 10..5000 and --top 1..100")
    return args


def _box() -> settings.Box:
    state = os.environ.get("OOI_CLOUD_STATE", "").strip()
    box = settings.load(Path(state) if state else settings.default_state_dir())
    if box is None:
        raise SystemExit("no cloud box: start one with `make run` (or .venv/bin/ooi-cloud start)")
    return box


def _own_time(stats: pstats.Stats, top: int) -> str:
    """The functions with the most time of their own, waits left out."""
    rows = []
    for (filename, line, name), (_, calls, own, _cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if any(w in name for w in _WAITS):
            continue
        where = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        rows.append((own, calls, f"{where}:{line}({name})"))
    rows.sort(reverse=True)
    return "\n".join(
        f"    {own * 1000:9.1f} ms {calls:8d}  {what}" for own, calls, what in rows[:top]
    )


def main(argv: list[str]) -> int:
    args = _args(argv)
    box = _box()
    cloud = connect(box)
    nova = cloud.client("nova", "demo")
    glance = cloud.client("glance", "demo", "/v2")
    neutron = cloud.client("neutron", "demo")
    body = {
        "server": {
            "name": f"profile-{uuid.uuid4().hex[:8]}",
            "flavorRef": "1",
            "imageRef": glance.find("/images", "images", "box-raw")["id"],
            "networks": [{"uuid": neutron.find("/networks", "networks", "private")["id"]}],
        }
    }
    server_id = nova.post("/servers", body)["server"]["id"]
    try:
        server_status(nova, server_id, "ACTIVE")
        app = standalone.init_application(["--config-file", str(box.conf("ooi"))])
        token = cloud.projects["demo"].token
        kinds = {
            "GET /compute/{id} (JSON)": (
                f"/occi1.2/compute/{server_id}",
                "application/occi+json",
                "compute-show",
            ),
            "GET /-/ (text/plain)": ("/occi1.2/-/", "text/plain", "query"),
            "GET /compute/ (JSON)": ("/occi1.2/compute/", "application/occi+json", "compute-list"),
        }
        RESULTS.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        report = io.StringIO()
        for kind, (path, accept, slug) in kinds.items():

            def one(path: str = path, accept: str = accept, kind: str = kind) -> None:
                req = webob.Request.blank(path, headers={"X-Auth-Token": token, "Accept": accept})
                req.host = "127.0.0.1:8788"
                resp = req.get_response(app)
                if resp.status_code != 200:
                    raise SystemExit(f"{kind}: {resp.status} {resp.text[:300]}")

            one()  # warm: the token validated, the caches filled
            profile = cProfile.Profile()
            wall, cpu = time.perf_counter(), time.process_time()
            profile.enable()
            for _ in range(args.requests):
                one()
            profile.disable()
            wall = (time.perf_counter() - wall) * 1000 / args.requests
            cpu = (time.process_time() - cpu) * 1000 / args.requests
            out = RESULTS / f"profile-{stamp}-{slug}.prof"
            profile.dump_stats(out)
            stats = pstats.Stats(profile)
            print(
                f"{kind}: {wall:.1f} ms wall, {cpu:.2f} ms CPU per request (profiled: slower)",
                file=report,
            )
            print(_own_time(stats, args.top), file=report)
            print(f"    whole profile: {out}", file=report)
        print(report.getvalue())
        return 0
    finally:
        nova.call("DELETE", f"/servers/{server_id}", ok=(404,))
        gone(nova, f"/servers/{server_id}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
