"""sqlite that survives many threads: `BEGIN IMMEDIATE` and a busy timeout on every engine.

oslo.db starts sqlite transactions with a deferred `BEGIN`; two threads that read and then
write both hold a shared lock and deadlock on the upgrade, and sqlite fails one of them at once
with "database is locked" (its busy handler is not used for that case). Taking the write lock at
`BEGIN` makes them queue instead, and the busy timeout makes the queue wait rather than fail.
"""

from __future__ import annotations

from typing import Any

BUSY_TIMEOUT_MS = 30_000

_installed = False


def install(immediate: bool = True) -> None:
    """Adds the listeners to every SQLAlchemy engine of this process (before oslo.db's own).

    With `immediate`, every transaction takes the write lock at once. That serializes the
    threads of nova and placement cleanly, but deadlocks a thread that opens a second, nested
    transaction on another connection (cinder's volume service does, at start): such services
    get only the busy timeout.
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
        if immediate and connection.dialect.name == "sqlite" and "in_transaction" not in connection.info:
            connection.execute(text("BEGIN IMMEDIATE"))
            # oslo.db's own listener checks this marker and then emits no second BEGIN.
            connection.info["in_transaction"] = True

    def on_end(connection: Any) -> None:
        connection.info.pop("in_transaction", None)

    event.listen(Engine, "connect", on_connect)
    event.listen(Engine, "begin", on_begin)
    event.listen(Engine, "commit", on_end)
    event.listen(Engine, "rollback", on_end)
    _installed = True


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")
