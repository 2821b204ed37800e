"""rOCCI-cli's command lines (`occi --endpoint E --action list --resource compute ...`)."""

from __future__ import annotations


def is_rocci(argv: list[str]) -> bool:
    return any(a == "--action" or a.startswith("--action=") or a == "-a" for a in argv)


def main(argv: list[str]) -> int:
    raise NotImplementedError
