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


# --- reads: the volume alone unless an attachment is under way --------------------------------

SERVER = "6f1e1a9e-0000-4000-8000-0000000000aa"
OTHER = "6f1e1a9e-0000-4000-8000-0000000000bb"


def _volume(number: int, status: str, attached_to: str | None = None) -> dict[str, Any]:
    attachments = [{"server_id": attached_to, "device": "/dev/vdb"}] if attached_to else []
    return {
        "id": f"6f1e1a9e-0000-4000-8000-00000000000{number}",
        "status": status,
        "attachments": attachments,
    }


class _Cinder:
    """cinder's volume reads and its attachments list, counting the calls."""

    def __init__(self, monkeypatch, volumes: list[dict[str, Any]], attachments: list[Any]):  # noqa: ANN001
        self.asked: list[str | None] = []
        self.volumes = volumes
        monkeypatch.setattr(cinder, "volumes_detail", lambda os: self.volumes)
        monkeypatch.setattr(
            cinder, "volume", lambda os, vid: next(v for v in self.volumes if v["id"] == vid)
        )

        def listed(os: Any, volume_id: str | None = None) -> list[Any]:
            self.asked.append(volume_id)
            return [a for a in attachments if volume_id in (None, a["volume_id"])]

        monkeypatch.setattr(cinder, "attachments", listed)


def _ctx(version: str = "1.2") -> Any:
    return SimpleNamespace(version=version, openstack=SimpleNamespace(has=lambda s: True))


def test_settled_volumes_are_read_without_the_attachments_api(monkeypatch) -> None:
    fake = _Cinder(monkeypatch, [_volume(1, "in-use", SERVER), _volume(2, "available")], [])
    links = storage_links.all_links(_ctx())
    assert [(ln.id, ln.attributes["occi.storagelink.state"]) for ln in links] == [
        (f"{SERVER}_{fake.volumes[0]['id']}", "active")
    ]
    assert links[0].attributes["occi.storagelink.deviceid"] == "/dev/vdb"
    shown = storage_links.describe(_ctx(), f"{SERVER}_{fake.volumes[0]['id']}")
    assert shown.attributes["occi.storagelink.mountpoint"] == "/dev/vdb"
    assert fake.asked == []


@pytest.mark.parametrize(
    ("version", "state", "says"),
    [("1.2", "inactive", None), ("1.1", "inactive", "The attachment is reserved")],
)
def test_attachments_under_way_are_asked_for_once(monkeypatch, version, state, says) -> None:
    volumes = [
        _volume(1, "reserved"),
        _volume(2, "attaching"),
        _volume(3, "in-use", OTHER),
        _volume(4, "available"),
        _volume(5, "attaching"),
    ]
    pending = [
        {"instance": SERVER, "volume_id": volumes[0]["id"], "status": "reserved"},
        {"instance": SERVER, "volume_id": volumes[1]["id"], "status": "error_attaching"},
        {"instance": OTHER, "volume_id": volumes[2]["id"], "status": "attached"},
        # Attached between the read of its volume and that of the attachments.
        {"instance": OTHER, "volume_id": volumes[4]["id"], "status": "attached"},
    ]
    fake = _Cinder(monkeypatch, volumes, pending)
    links = {ln.id: ln for ln in storage_links.all_links(_ctx(version))}
    assert fake.asked == [None]  # one listing for all the volumes under way
    assert sorted(links) == sorted(
        [
            f"{SERVER}_{volumes[0]['id']}",
            f"{SERVER}_{volumes[1]['id']}",
            f"{OTHER}_{volumes[2]['id']}",
            f"{OTHER}_{volumes[4]['id']}",
        ]
    )
    reserved = links[f"{SERVER}_{volumes[0]['id']}"]
    assert reserved.attributes["occi.storagelink.state"] == state
    assert "occi.storagelink.deviceid" not in reserved.attributes
    assert reserved.title == says
    if version == "1.2":
        assert reserved.attributes["occi.storagelink.state.message"] == "The attachment is reserved"
    failed = links[f"{SERVER}_{volumes[1]['id']}"]
    assert failed.attributes["occi.storagelink.state"] == ("error" if version == "1.2" else state)
    assert links[f"{OTHER}_{volumes[2]['id']}"].attributes["occi.storagelink.state"] == "active"
    assert links[f"{OTHER}_{volumes[2]['id']}"].attributes["occi.storagelink.deviceid"]
    meanwhile = links[f"{OTHER}_{volumes[4]['id']}"]
    assert meanwhile.attributes == {"occi.storagelink.state": "active"}
    assert meanwhile.title is None

    shown = storage_links.describe(_ctx(version), f"{SERVER}_{volumes[0]['id']}")
    assert shown.attributes["occi.storagelink.state"] == state
    assert fake.asked == [None, volumes[0]["id"]]  # the show asks for its volume's alone
    with pytest.raises(RequestRefused, match="Not found"):
        storage_links.describe(_ctx(version), f"{SERVER}_{volumes[3]['id']}")
    assert fake.asked == [None, volumes[0]["id"]]  # available: the volume says all
