"""sqlite that survives many threads: `BEGIN IMMEDIATE` and a busy timeout on every engine.

oslo.db starts sqlite transactions with a deferred `BEGIN`; two threads that read and then
write both hold a shared lock and deadlock on the upgrade, and sqlite fails one of them at once
with "database is locked" (its busy handler is not used for that case). Taking the write lock at
`BEGIN` makes them queue instead, and the busy timeout makes the queue wait rather than fail.

A thread that opens a second transaction on another connection while its first is still open
(placement re-reads providers in an `independent` reader after a generation conflict) would
then wait for itself until the timeout; such nested transactions begin deferred: they may
read beside the outer one's write lock.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

BUSY_TIMEOUT_MS = 30_000

_installed = False
_open = threading.local()
"""Per thread: how many transactions it has open, per database URL."""


def install(immediate: bool = True) -> None:
    """Adds the listeners to every SQLAlchemy engine of this process (before oslo.db's own).

    Without `immediate`, only the busy timeout is added (and transactions begin deferred).
    """
    global _installed
    if _installed:
        return
    from sqlalchemy import event, text
    from sqlalchemy.engine import Engine

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if _is_sqlite(dbapi_connection):
            dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def on_begin(connection: Any) -> None:
        if connection.dialect.name != "sqlite" or "in_transaction" in connection.info:
            return
        url = str(connection.engine.url)
        counts = _counts()
        nested = counts[url] > 0
        connection.execute(text("BEGIN" if nested or not immediate else "BEGIN IMMEDIATE"))
        # oslo.db's own listener checks this marker and then emits no second BEGIN.
        connection.info["in_transaction"] = True
        connection.info["ooi_box_url"] = url
        counts[url] += 1

    def on_end(connection: Any) -> None:
        connection.info.pop("in_transaction", None)
        url = connection.info.pop("ooi_box_url", None)
        if url is not None:
            _counts()[url] -= 1

    event.listen(Engine, "connect", on_connect)
    event.listen(Engine, "begin", on_begin)
    event.listen(Engine, "commit", on_end)
    event.listen(Engine, "rollback", on_end)
    _locked_is_a_deadlock()
    _installed = True


def _locked_is_a_deadlock() -> None:
    """Report sqlite's "database is locked" as oslo.db's DBDeadlock, which the services retry
    where they retry a database deadlock (``wrap_db_retry(retry_on_deadlock=True)``; cinder's
    quota reservations, which otherwise fail a volume create now and then with a 500)."""
    from oslo_db import exception as db_exc
    from oslo_db.sqlalchemy import exc_filters
    from sqlalchemy import exc as sqla_exc

    @exc_filters.filters("sqlite", sqla_exc.OperationalError, r"^.*database is locked")
    def _deadlock(error: Any, match: Any, engine_name: str, is_disconnect: bool) -> None:
        raise db_exc.DBDeadlock(error)


def _counts() -> Counter[str]:
    if not hasattr(_open, "counts"):
        _open.counts = Counter()
    return _open.counts


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")
