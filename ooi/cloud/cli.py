"""`ooi-cloud`: the cloud in a box — start, stop, status, token, env."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ooi.cloud import box as boxes
from ooi.cloud import clouds, settings
from ooi.cloud.procs import BoxError


def _ports(values: list[str]) -> dict[str, int]:
    ports = {}
    for value in values:
        name, _, port = value.partition("=")
        if not port.isdigit():
            raise argparse.ArgumentTypeError(f"--port wants SERVICE=PORT, not {value!r}")
        ports[name] = int(port)
    return ports


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ooi-cloud", description=__doc__)
    p.add_argument(
        "--state",
        type=Path,
        default=None,
        help="state directory (default: $OOI_CLOUD_STATE or <repo>/.ooi-cloud)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start the box (in the background unless --foreground)")
    start.add_argument("--foreground", action="store_true", help="stay, stop all on Ctrl-C")
    start.add_argument("--fresh", action="store_true", help="forget all data first (cold start)")
    start.add_argument(
        "--port", action="append", default=[], metavar="SERVICE=PORT", help="override a port"
    )
    sub.add_parser("stop", help="stop every service of the box")
    restart = sub.add_parser(
        "restart", help="restart services of a running box (default: those running ooi's code)"
    )
    restart.add_argument("services", nargs="*", default=list(boxes.OOI_SERVICES))
    sub.add_parser("status", help="which services are up")
    token = sub.add_parser("token", help="print a project-scoped token (user demo)")
    token.add_argument("--project", default="demo", choices=settings.MEMBER_PROJECTS)
    sub.add_parser("env", help="print OS_* variables for the openstack client")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BoxError as exc:
        print(f"ooi-cloud: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ooi-cloud: interrupted (every service started was stopped)", file=sys.stderr)
        return 130


def _box(args: argparse.Namespace, ports: dict[str, int] | None = None) -> settings.Box:
    return settings.load(args.state, ports)


def cmd_start(args: argparse.Namespace) -> int:
    state = (args.state or settings.default_state_dir()).resolve()
    if args.fresh:
        box = settings.load(state)
        boxes.stop(box)
        shutil.rmtree(box.data, ignore_errors=True)
    try:
        box = _box(args, _ports(args.port))
    except ValueError as exc:
        raise BoxError(str(exc)) from exc
    print(f"starting the cloud in a box in {box.state} ...", flush=True)
    started = boxes.start(box, say=lambda line: print(line, flush=True))
    kind = "cold" if started.cold else "warm"
    print(f"logs: {box.logs}/   clouds.yaml: {clouds.path(box)} (cloud {clouds.CLOUD})")
    print(f"start: {started.seconds:.1f} s ({kind}), memory: {started.rss_mb:.0f} MB RSS")
    print("try:")
    state = f" --state {box.state}" if args.state else ""
    print(f"  export KID=$({_self()}{state} token)")
    print(f'  curl -H "x-auth-token: $KID" http://localhost:{box.ports["ooi"]}/occi1.1/-/')
    print(f"ooi-cloud: ready ({box.url('ooi')})", flush=True)
    if args.foreground:
        print("Ctrl-C stops the box.", flush=True)
        return boxes.watch(box)
    return 0


def _self() -> str:
    exe = Path(sys.argv[0])
    return str(exe) if exe.name == "ooi-cloud" else "ooi-cloud"


def cmd_stop(args: argparse.Namespace) -> int:
    stopped = boxes.stop(_box(args))
    print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return 0


def cmd_restart(args: argparse.Namespace) -> int:
    box = _box(args)
    down = [s for s, state in boxes.status(box).items() if state != "up"]
    if down:
        raise BoxError(f"the box is not up ({', '.join(down)} not answering): ooi-cloud start")
    seconds = boxes.restart(box, args.services, say=lambda line: print(line, flush=True))
    print(f"restarted {', '.join(args.services)} in {seconds:.1f} s")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    box = _box(args)
    states = boxes.status(box)
    for service, state in states.items():
        print(f"{service:<10} {state:<9} {box.url(service)}")
    if states["nova"] == "up":
        print(f"{'ooi':<10} {'up':<9} {box.url('ooi')}/occi1.1/")
    print(f"memory: {boxes.memory(box):.0f} MB RSS")
    values = set(states.values())
    return 0 if values == {"up"} else 3 if values == {"stopped"} else 1


def cmd_token(args: argparse.Namespace) -> int:
    print(boxes.demo_token(_box(args), args.project))
    return 0


def cmd_env(args: argparse.Namespace) -> int:
    box = _box(args)
    if not clouds.path(box).exists():
        clouds.write(box)
    print("\n".join(clouds.env_lines(box)))
    return 0


COMMANDS = {
    "start": cmd_start,
    "stop": cmd_stop,
    "restart": cmd_restart,
    "status": cmd_status,
    "token": cmd_token,
    "env": cmd_env,
}

if __name__ == "__main__":
    sys.exit(main())
