"""Storage links: the undo of a volume made for a boot, and how inline links are read."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ooi.api import storage_links
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.documents import EntityDoc, LinkDoc
from ooi.occi.validation import resolve_entity
from ooi.openstack import cinder


def test_undo_deletes_a_made_volume_once_the_server_lets_it_go(monkeypatch) -> None:
    seen = iter(
        [
            {"status": "in-use", "attachments": [{"server_id": "s"}]},
            {"status": "detaching", "attachments": [{"server_id": "s"}]},
            {"status": "available", "attachments": []},
        ]
    )
    events: list[str] = []

    def volume(os: Any, volume_id: str) -> dict[str, Any]:
        events.append("get")
        return next(seen)

    monkeypatch.setattr(cinder, "volume", volume)
    monkeypatch.setattr(cinder, "delete_volume", lambda os, vid: events.append(f"delete {vid}"))
    monkeypatch.setattr(cinder, "_POLL", 0)
    storage_links._forget_volume(SimpleNamespace(openstack=object()), "v1")  # type: ignore[arg-type]
    assert events == ["get", "get", "get", "delete v1"]


def test_undo_gives_up_waiting_and_still_tries_the_delete(monkeypatch) -> None:
    events: list[str] = []
    monkeypatch.setattr(cinder, "volume", lambda os, vid: {"status": "in-use", "attachments": [1]})
    monkeypatch.setattr(cinder, "delete_volume", lambda os, vid: events.append("delete"))
    monkeypatch.setattr(cinder, "_POLL", 0)
    monkeypatch.setattr(storage_links, "VOLUME_WAIT", 0.01)
    storage_links._forget_volume(SimpleNamespace(openstack=object()), "v1")  # type: ignore[arg-type]
    assert events == ["delete"]


@pytest.mark.parametrize(
    ("value", "ok"), [(1, True), (2.0, True), (1.5, False), (0, False), (-3, False)]
)
def test_sizes_are_whole_gib(value: float, ok: bool) -> None:
    if ok:
        assert storage_links.whole_gib(value) == int(value)
    else:
        with pytest.raises(ValueError, match="whole number of GiB"):
            storage_links.whole_gib(value)


def test_link_ids_split_at_the_first_underscore() -> None:
    server, volume = "6f1e1a9e-0000-4000-8000-000000000001", "6f1e1a9e-0000-4000-8000-000000000002"
    assert storage_links._split(f"{server}_{volume}") == (server, volume)
    with pytest.raises(Exception, match="Not found"):
        storage_links._split(f"detail_{volume}")


def test_inline_storage_links_may_describe_a_new_storage_by_size() -> None:
    registry = catalog.static_categories("1.2")
    compute = registry.kind(infra.COMPUTE.type_id)
    doc = EntityDoc(
        kind=infra.COMPUTE.type_id,
        links=[
            LinkDoc(target="/storage/", attributes={"occi.storage.size": 3}),
            LinkDoc(target="/storage/v1", kind=infra.STORAGELINK.type_id),
        ],
    )
    resolved = resolve_entity(doc, registry, kind=compute, purpose="update")
    assert resolved.links[0].attributes == {"occi.storage.size": 3}
    assert resolved.links[1].attributes == {}


class _NoCinder:
    def has(self, service: str) -> bool:
        return service != "volume"


def test_without_block_storage_the_collections_answer_501() -> None:
    ctx = SimpleNamespace(openstack=_NoCinder())
    with pytest.raises(RequestRefused) as refused:
        storage_links.require_cinder(ctx)  # type: ignore[arg-type]
    assert refused.value.status == 501 and "no block storage" in str(refused.value)


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_storage_categories_are_those_a_cloud_without_cinder_leaves_out(version: str) -> None:
    registry = catalog.with_extra(version, [openstack.volume_type("t1", "fast")])
    left_out = sorted(c.type_id for c in registry if storage_links.storage_categories(c))
    expected_actions = 5 if version == "1.1" else 4  # 1.2: online, offline + OpenStack's two
    assert infra.STORAGE.type_id in left_out and infra.STORAGELINK.type_id in left_out
    assert openstack.VOLUME_TYPE_SCHEME + "t1" in left_out
    assert openstack.VOLUME_TYPE.type_id in left_out
    assert len(left_out) == 2 + expected_actions + 2
    assert infra.COMPUTE.type_id not in left_out
