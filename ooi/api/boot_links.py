"""What the links inline in a compute create add to the boot, one plan per kind of link.

``storage_links.inline_plan`` and ``network_links.inline_plan`` check their links (raising
InvalidInput / RequestRefused before anything changes) and return a ``BootLinks``; the create
then runs, inside one ``Steps``: every ``prepare`` (may make resources, each as a step with its
undo, and add fields to nova's boot body), the boot itself, then every ``finish`` with the new
server's id (e.g. a floating IP once the server's port exists). A failure anywhere undoes all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ooi.api.steps import Steps


def _nothing(steps: Steps, target: Any) -> None:
    return None


@dataclass(frozen=True)
class BootLinks:
    # Before the boot: (steps, nova's boot body {"name", "imageRef", ...}) → may add to the body.
    prepare: Callable[[Steps, dict[str, Any]], None] = _nothing
    # After nova accepted the boot: (steps, server id).
    finish: Callable[[Steps, str], None] = _nothing
