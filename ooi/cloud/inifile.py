"""Writing oslo.config style ini files from plain dictionaries."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

Sections = Mapping[str, Mapping[str, object]]


def render(sections: Sections) -> str:
    """`{"DEFAULT": {"debug": False}}` → `[DEFAULT]\\ndebug = false\\n`; lists join with commas."""
    out: list[str] = []
    for name, options in sections.items():
        out.append(f"[{name}]")
        for key, value in options.items():
            out.append(f"{key} = {_value(value)}")
        out.append("")
    return "\n".join(out)


def write(path: Path, sections: Sections) -> Path:
    """Write a config readable by its owner only: configs hold the services' passwords."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)  # a file from an older box keeps its mode on touch
    path.write_text(render(sections))
    return path


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(_value(v) for v in value)
    return str(value)
