"""Running commands and reporting their failures with the tail of their log."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


class BoxError(RuntimeError):
    """Something of the box failed; the message says what and shows the log's tail."""


def tool(name: str) -> str:
    """A console script of this virtual environment (e.g. `nova-manage`)."""
    return str(Path(sys.executable).with_name(name))


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def masked(argv: Sequence[str]) -> list[str]:
    """``argv`` for a log: the value after any ``--…password…`` option (keystone-manage
    bootstrap's admin password) and in any ``--…password…=value`` replaced by ``***``."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1].startswith("--") and "password" in out[-1] and "=" not in out[-1]:
            out.append("***")
        elif arg.startswith("--") and "password" in arg and "=" in arg:
            out.append(arg.split("=", 1)[0] + "=***")
        else:
            out.append(arg)
    return out


def run_logged(argv: Sequence[str], log: Path, timeout: float = 300) -> None:
    """Runs `argv` with its output appended to `log`; a failure raises with the log's tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as out:
        out.write(f"$ {' '.join(masked(argv))}\n")
        out.flush()
        try:
            code = subprocess.run(
                list(argv), stdout=out, stderr=subprocess.STDOUT, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired as exc:
            raise BoxError(f"{argv[0]} took over {timeout:.0f} s; {log}:\n{tail(log)}") from exc
    if code != 0:
        raise BoxError(f"{' '.join(argv[:3])}... exited {code}; {log}:\n{tail(log)}")
