"""The user-mixin store on a SQLite file: definitions per project, clashes, schema versions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ooi.store import Clash, Store, migrate, schema_version

SCHEME = "http://example.com/tags#"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path}/deep/er/ooi.sqlite")


def test_definitions_are_per_project_and_keep_what_was_given(store):
    web = store.add("p1", SCHEME, "web", "web/", "Web servers", [SCHEME + "base"], ["k#compute"])
    store.add("p1", SCHEME, "db", "db/")
    store.add("p2", SCHEME, "web", "web/")
    found = store.mixins("p1")
    assert [m.term for m in found] == ["web", "db"]
    assert found[0] == web
    assert web.depends == (SCHEME + "base",) and web.applies == ("k#compute",)
    assert web.tag.startswith("ooi-") and len(web.tag) <= 60
    assert [m.term for m in store.mixins("p2")] == ["web"]
    assert store.mixins("p2")[0].tag != web.tag


def test_type_id_and_location_are_unique_in_a_project(store):
    store.add("p1", SCHEME, "web", "web/")
    with pytest.raises(Clash):
        store.add("p1", SCHEME, "web", "other/")
    with pytest.raises(Clash):
        store.add("p1", SCHEME, "other", "web/")


def test_remove_and_a_second_store_on_the_same_file(store):
    store.add("p1", SCHEME, "web", "web/")
    again = Store(store.url)
    assert [m.term for m in again.mixins("p1")] == ["web"]
    again.remove("p1", SCHEME, "web")
    assert store.mixins("p1") == []


def test_the_schema_is_versioned_and_migrating_twice_changes_nothing(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path}/s.sqlite")
    assert migrate(engine) == migrate(engine) == 1
    with engine.connect() as conn:
        assert schema_version(conn) == 1
