"""ooi's only state of its own: the user mixins (tags) each project defined, in SQL.

OCCI lets clients define mixins (POST /-/); OpenStack has nowhere to keep such a definition, so
ooi keeps them here, per project: scheme, term, title, location, what they depend on and apply
to, and the tag that marks their members. Which entities carry a mixin is kept on the OpenStack
resources themselves (nova server tags, cinder volume metadata, neutron tags:
ooi/api/mixin_carriers.py), so that it survives ooi and shows in other tools.

One SQLAlchemy URL (``ooi_store_url``): a SQLite file by default, or the site's MySQL or
PostgreSQL when several ooi hosts must share it. The schema is created on first use and
versioned: ``_MIGRATIONS`` are applied in order, the number reached is kept in
``ooi_schema_version`` (the schema is one table; alembic's script directory would weigh more
than it serves).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

METADATA = sa.MetaData()

USER_MIXINS = sa.Table(
    "ooi_user_mixins",
    METADATA,
    sa.Column("project_id", sa.String(64), primary_key=True),
    sa.Column("scheme", sa.String(255), primary_key=True),
    sa.Column("term", sa.String(255), primary_key=True),
    sa.Column("title", sa.String(255), nullable=True),
    sa.Column("location", sa.String(255), nullable=False),
    sa.Column("depends", sa.Text, nullable=False, default="[]"),
    sa.Column("applies", sa.Text, nullable=False, default="[]"),
    sa.Column("tag", sa.String(60), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("project_id", "location", name="uq_ooi_user_mixins_location"),
)

VERSION = sa.Table(
    "ooi_schema_version",
    METADATA,
    sa.Column("version", sa.Integer, nullable=False),
)


def _create_user_mixins(conn: Connection) -> None:
    USER_MIXINS.create(conn, checkfirst=True)


# Schema changes, in order; a store at version N has had the first N applied.
_MIGRATIONS: Sequence[Callable[[Connection], None]] = (_create_user_mixins,)


@dataclass(frozen=True)
class UserMixin:
    """A project's own mixin; ``depends`` and ``applies`` are type identifiers."""

    project_id: str
    scheme: str
    term: str
    location: str
    tag: str
    title: str | None = None
    depends: tuple[str, ...] = ()
    applies: tuple[str, ...] = ()

    @property
    def type_id(self) -> str:
        return self.scheme + self.term


# Every request reads its project's definitions: the statement is built once (SQLAlchemy then
# finds it compiled in its cache at once).
_PROJECT_MIXINS = (
    sa.select(USER_MIXINS)
    .where(USER_MIXINS.c.project_id == sa.bindparam("project"))
    .order_by(USER_MIXINS.c.created_at, USER_MIXINS.c.scheme, USER_MIXINS.c.term)
)


class Clash(Exception):
    """A definition with that type identifier or location exists in the project already."""


class Store:
    """The user-mixin definitions behind one SQLAlchemy URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def _connect(self) -> Engine:
        with self._lock:
            if self._engine is None:
                engine = _engine(self.url)
                migrate(engine)
                self._engine = engine
            return self._engine

    def mixins(self, project_id: str) -> list[UserMixin]:
        with self._connect().connect() as conn:
            return [
                _from_row(row) for row in conn.execute(_PROJECT_MIXINS, {"project": project_id})
            ]

    def add(
        self,
        project_id: str,
        scheme: str,
        term: str,
        location: str,
        title: str | None = None,
        depends: Sequence[str] = (),
        applies: Sequence[str] = (),
    ) -> UserMixin:
        """Define a mixin (its members' tag made here); Clash when its type identifier or
        location is taken in the project."""
        mixin = UserMixin(
            project_id,
            scheme,
            term,
            location,
            f"ooi-{uuid.uuid4().hex[:24]}",
            title,
            tuple(depends),
            tuple(applies),
        )
        values = {
            "project_id": project_id,
            "scheme": scheme,
            "term": term,
            "title": title,
            "location": location,
            "depends": json.dumps(list(depends)),
            "applies": json.dumps(list(applies)),
            "tag": mixin.tag,
            # Microseconds: definitions list in the order they were made.
            "created_at": datetime.now(UTC).replace(tzinfo=None),
        }
        try:
            with self._connect().begin() as conn:
                conn.execute(USER_MIXINS.insert().values(**values))
        except sa.exc.IntegrityError as exc:
            raise Clash(f"{scheme}{term} or location {location}") from exc
        return mixin

    def remove(self, project_id: str, scheme: str, term: str) -> None:
        with self._connect().begin() as conn:
            conn.execute(
                USER_MIXINS.delete().where(
                    USER_MIXINS.c.project_id == project_id,
                    USER_MIXINS.c.scheme == scheme,
                    USER_MIXINS.c.term == term,
                )
            )


def _from_row(row: sa.Row) -> UserMixin:
    return UserMixin(
        project_id=row.project_id,
        scheme=row.scheme,
        term=row.term,
        location=row.location,
        tag=row.tag,
        title=row.title,
        depends=tuple(json.loads(row.depends or "[]")),
        applies=tuple(json.loads(row.applies or "[]")),
    )


def _engine(url: str) -> Engine:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # Created on first use, directory included.
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # Several ooi processes share the file: wait for a writer rather than fail.
        return sa.create_engine(url, connect_args={"timeout": 15})
    return sa.create_engine(url, pool_pre_ping=True)


def schema_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table(VERSION.name):
        return 0
    return int(conn.execute(sa.select(VERSION.c.version)).scalar() or 0)


def migrate(engine: Engine) -> int:
    """Bring the store's schema to the newest version; the version it is at."""
    try:
        _migrate(engine)
    except sa.exc.DatabaseError:
        # Another ooi process migrated at the same moment: what it made is there now.
        _migrate(engine)
    return len(_MIGRATIONS)


def _migrate(engine: Engine) -> None:
    with engine.begin() as conn:
        VERSION.create(conn, checkfirst=True)
        current = schema_version(conn)
        for migration in _MIGRATIONS[current:]:
            migration(conn)
        if current < len(_MIGRATIONS):
            conn.execute(VERSION.delete())
            conn.execute(VERSION.insert().values(version=len(_MIGRATIONS)))


_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def store(url: str) -> Store:
    """The process's store for ``url`` (one engine and pool per URL)."""
    with _STORES_LOCK:
        if url not in _STORES:
            _STORES[url] = Store(url)
        return _STORES[url]
