"""--wait: poll an entity until it reaches a state, fails, goes away, or time runs out;
progress on stderr, so stdout keeps only the command's output."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from occi_client.errors import NotFound, OCCIError, Timeout
from occi_client.model import Entity

DEFAULT_TIMEOUT = 600.0
INTERVAL = 1.0
ERROR_STATES = {"error", "failed"}


def _state(entity: Entity, state_attribute: str) -> str:
    return str(entity.attributes.get(state_attribute, "")).lower()


def until_state(
    fetch: Callable[[], Entity],
    state_attribute: str,
    wanted: str,
    timeout: float = DEFAULT_TIMEOUT,
    out: TextIO = sys.stderr,
    ready: Callable[[Entity], bool] | None = None,
) -> Entity:
    """The entity once `state_attribute` is `wanted` (and `ready` says it is done: a state
    alone may not have changed yet); an error state or the timeout fail."""
    start = time.monotonic()
    seen = None
    while True:
        entity = fetch()
        state = _state(entity, state_attribute)
        if state != seen:
            out.write(
                f"{entity.title or entity.id}: {state or '?'} ({time.monotonic() - start:.0f} s)\n"
            )
            out.flush()
            seen = state
        if state == wanted and (ready is None or ready(entity)):
            return entity
        if state in ERROR_STATES:
            why = entity.attributes.get(state_attribute + ".message") or "no reason given"
            raise OCCIError(f"{entity.title or entity.id} went into state {state}: {why}")
        if time.monotonic() - start > timeout:
            raise Timeout(
                f"{entity.title or entity.id} is {state}, not {wanted}, after {timeout:g} s"
            )
        time.sleep(INTERVAL)


def until_gone(
    fetch: Callable[[], Entity],
    name: str,
    timeout: float = DEFAULT_TIMEOUT,
    out: TextIO = sys.stderr,
) -> None:
    """Returns once fetching answers 404."""
    start = time.monotonic()
    out.write(f"{name}: deleting\n")
    while True:
        try:
            fetch()
        except NotFound:
            out.write(f"{name}: deleted ({time.monotonic() - start:.0f} s)\n")
            return
        if time.monotonic() - start > timeout:
            raise Timeout(f"{name} still exists after {timeout:g} s")
        time.sleep(INTERVAL)
