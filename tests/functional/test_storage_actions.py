"""Storage actions and updates over HTTP, in both modes: 1.1's online, offline, snapshot,
backup, resize; 1.2's online, offline, the OpenStack-scheme snapshot and backup, and resizing by
updating ``occi.storage.size`` (POST or PUT). Checked through cinder's own API; every volume,
snapshot and backup made here is removed afterwards."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.cloud.waiting import until
from tests.functional.test_storage import (
    STORAGE,
    Cloud,
    create_volume,
    get,
    headers,
    lines,
    post,
    text_body,
)

pytestmark = pytest.mark.cloud

SPEC_ACTIONS = "http://schemas.ogf.org/occi/infrastructure/storage/action#"
OS_ACTIONS = "http://schemas.openstack.org/storage/action#"


@pytest.fixture(scope="module")
def demo(cloud: Any) -> Cloud:
    return Cloud(cloud, "demo")


def _purge_failed_backups(cloud: Any, volume_id: str) -> None:
    """Backups cinder failed for want of a backup service can only be deleted by that service:
    the box removes their records from cinder's database itself."""
    path = cloud.box.db_url("cinder").removeprefix("sqlite:///")
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    with sqlite3.connect(path, timeout=30) as db:
        db.execute(
            "UPDATE backups SET deleted = 1, deleted_at = ?, status = 'deleted' "
            "WHERE volume_id = ? AND deleted = 0",
            (now, volume_id),
        )


@pytest.fixture
def volume(ooi_url, demo_token, demo, cloud) -> Iterator[str]:
    """An available 1 GiB volume; its snapshots and backups go with it afterwards."""
    made: list[str] = []
    volume_id = create_volume(ooi_url + "/occi1.2", demo_token, made, **{"occi.core.title": "acts"})
    try:
        demo.wait_volume(volume_id, "available")
        yield volume_id
    finally:
        snapshots = demo.cinder.get(f"/snapshots?volume_id={volume_id}")["snapshots"]
        for snapshot in snapshots:
            until(
                "snapshot settled",
                lambda s=snapshot: (
                    demo.cinder.get(f"/snapshots/{s['id']}")["snapshot"]["status"] != "creating"
                ),
            )
            demo.cinder.call("DELETE", f"/snapshots/{snapshot['id']}", ok=(404,))
        for snapshot in snapshots:
            until(
                "snapshot gone",
                lambda s=snapshot: (
                    demo.cinder.call("GET", f"/snapshots/{s['id']}", ok=(404,)) is None
                ),
            )
        _purge_failed_backups(cloud, volume_id)
        demo.forget_volume(volume_id)


def act(url: str, token: str, term: str, scheme: str | None, **params: object):
    body = ""
    if scheme is not None:
        body = f'Category: {term}; scheme="{scheme}"; class="action"'
        body += "".join(
            f"\nX-OCCI-Attribute: {n}={v!r}".replace("'", '"') for n, v in params.items()
        )
    return post(f"{url}?action={term}", token, body)


def _actions_shown(url: str, token: str) -> list[str]:
    body = get(url, token).text
    return sorted(
        ln.split("?action=")[1].split(">")[0] for ln in lines(body, "Link: ") if "?action=" in ln
    )


@pytest.mark.parametrize(
    ("prefix", "scheme"), [("/occi1.1", SPEC_ACTIONS), ("/occi1.2", OS_ACTIONS)]
)
def test_snapshot(ooi_url, demo_token, demo, volume, prefix, scheme):
    url = f"{ooi_url}{prefix}/storage/{volume}"
    params = {"name": "snap-1"} if prefix == "/occi1.2" else {}
    resp = act(url, demo_token, "snapshot", scheme, **params)
    assert resp.status_code == 200, resp.text
    (snapshot,) = demo.cinder.get(f"/snapshots?volume_id={volume}")["snapshots"]
    detail = demo.cinder.get(f"/snapshots/{snapshot['id']}")["snapshot"]
    assert detail["name"] == ("snap-1" if params else "acts")
    # Without a body the action of ?action= is meant (IM sends only the query).
    again = post(f"{url}?action=snapshot", demo_token, "")
    assert again.status_code == 200, again.text
    assert len(demo.cinder.get(f"/snapshots?volume_id={volume}")["snapshots"]) == 2


@pytest.mark.parametrize(
    ("prefix", "scheme"), [("/occi1.1", SPEC_ACTIONS), ("/occi1.2", OS_ACTIONS)]
)
def test_backup_without_a_backup_service_is_501(ooi_url, demo_token, demo, volume, prefix, scheme):
    resp = act(f"{ooi_url}{prefix}/storage/{volume}", demo_token, "backup", scheme)
    assert resp.status_code == 501, resp.text
    assert "no backup service" in resp.text
    demo.wait_volume(volume, "available")


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_online_and_offline(ooi_url, demo_token, volume, prefix):
    url = f"{ooi_url}{prefix}/storage/{volume}"
    online = act(url, demo_token, "online", SPEC_ACTIONS)
    assert online.status_code == 200, online.text
    offline = act(url, demo_token, "offline", SPEC_ACTIONS)
    assert offline.status_code == 501, offline.text
    assert "offline" in offline.text
    unknown = act(url, demo_token, "explode", None)
    assert unknown.status_code == 400


def test_actions_rendered_per_version(ooi_url, demo_token, volume):
    assert _actions_shown(f"{ooi_url}/occi1.1/storage/{volume}", demo_token) == [
        "backup",
        "resize",
        "snapshot",
    ]
    assert _actions_shown(f"{ooi_url}/occi1.2/storage/{volume}", demo_token) == [
        "backup",
        "snapshot",
    ]
    query = get(f"{ooi_url}/occi1.2/-/", demo_token).text
    assert f'Category: snapshot; scheme="{OS_ACTIONS}"; class="action"' in query
    assert f'Category: backup; scheme="{OS_ACTIONS}"; class="action"' in query


def test_resize_in_11(ooi_url, demo_token, demo, volume):
    url = f"{ooi_url}/occi1.1/storage/{volume}"
    resp = act(url, demo_token, "resize", SPEC_ACTIONS, size=2)
    assert resp.status_code == 200, resp.text
    assert until("extended", lambda: demo.volume(volume)["size"] == 2)
    demo.wait_volume(volume, "available")
    shrink = act(url, demo_token, "resize", SPEC_ACTIONS, size=1)
    assert shrink.status_code == 400 and "shrink" in shrink.text
    missing = act(url, demo_token, "resize", SPEC_ACTIONS)
    assert missing.status_code == 400 and "size" in missing.text


def test_update_renames_and_extends_in_12(ooi_url, demo_token, demo, volume):
    url = f"{ooi_url}/occi1.2/storage/{volume}"
    body = "\n".join(
        [
            'X-OCCI-Attribute: occi.core.title="renamed"',
            'X-OCCI-Attribute: occi.core.summary="more"',
            "X-OCCI-Attribute: occi.storage.size=3",
        ]
    )
    resp = post(url, demo_token, body)
    assert resp.status_code == 200, resp.text
    assert 'X-OCCI-Attribute: occi.core.title="renamed"' in resp.text
    until("extended", lambda: demo.volume(volume)["size"] == 3)
    found = demo.wait_volume(volume, "available")
    assert found["name"] == "renamed" and found["description"] == "more"
    shrink = post(url, demo_token, "X-OCCI-Attribute: occi.storage.size=1")
    assert shrink.status_code == 400 and "shrink" in shrink.text
    assert demo.volume(volume)["name"] == "renamed"


def test_replace_with_put(ooi_url, demo_token, demo, volume):
    url = f"{ooi_url}/occi1.2/storage/{volume}"
    current = get(url, demo_token).text
    body = "\n".join(
        ln.replace("occi.storage.size=1", "occi.storage.size=2")
        for ln in current.splitlines()
        if ln.startswith(("Category:", "X-OCCI-Attribute:"))
    )
    resp = requests.put(url, data=body, headers=headers(demo_token), timeout=60)
    assert resp.status_code == 200, resp.text
    until("extended", lambda: demo.volume(volume)["size"] == 2)
    same = requests.put(
        url,
        data=text_body(STORAGE, {"occi.storage.size": 2}),
        headers=headers(demo_token),
        timeout=60,
    )
    assert same.status_code == 200, same.text
