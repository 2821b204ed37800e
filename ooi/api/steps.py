"""Multi-step changes: each step with its undo, run in order, undone in reverse on failure.

One mechanism for every OCCI request that makes several OpenStack resources (a compute with
inline volumes and public IPs, a network with its subnet and router, a link): a failure at any
step leaves nothing that the request made behind.

    with Steps() as steps:
        volume = steps.run("creating volume", make_volume, undo=delete_volume)
        server = steps.run("booting", boot, undo=delete_server)

An undo that fails is logged and the others still run; the error being answered is the
original one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

LOG = logging.getLogger(__name__)

T = TypeVar("T")


class Steps:
    """The undos of the steps done so far; ``with`` undoes them when the block raises."""

    def __init__(self) -> None:
        self._undos: list[tuple[str, Callable[[], Any]]] = []

    def run(
        self,
        what: str,
        do: Callable[[], T],
        undo: Callable[[T], Any] | None = None,
    ) -> T:
        """Do one step; remember its undo (called with the step's result) for a failure later."""
        result = do()
        if undo is not None:
            self._undos.append((what, lambda: undo(result)))
        return result

    def on_failure(self, what: str, undo: Callable[[], Any]) -> None:
        """Remember an undo for something done outside ``run`` (e.g. by nova for us)."""
        self._undos.append((what, undo))

    def undo(self) -> None:
        """Undo every step done, the last first; failures of undos are logged, not raised."""
        while self._undos:
            what, undo = self._undos.pop()
            try:
                undo()
            except Exception:
                LOG.warning("could not undo %s", what, exc_info=True)

    def __enter__(self) -> Steps:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self.undo()
        self._undos.clear()
