"""Locations that cannot be forged: what a request's Host and proxy headers may put in the URLs
ooi renders, and the site's own public endpoint (ooi_public_endpoint) over all of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.cloud.waiting import volume_status
from tests.functional.extra_ooi import ooi_api

pytestmark = pytest.mark.cloud

VOLUME = (
    'Category: storage; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind"\n'
    "X-OCCI-Attribute: occi.storage.size=1\n"
    'X-OCCI-Attribute: occi.core.title="ooi-forged"'
)


def _create_volume(root: str, token: str, cleanup: list[str], **headers: str) -> str:
    """A volume made through ooi; the Location ooi answered with."""
    resp = requests.post(
        root + "/occi1.2/storage/",
        data=VOLUME,
        headers={"X-Auth-Token": token, "Content-Type": "text/plain", **headers},
        timeout=60,
    )
    assert resp.status_code == 201, resp.text
    cleanup.append(resp.headers["Location"].rsplit("/", 1)[1])
    return resp.headers["Location"]


@pytest.fixture
def volumes(cloud: Any) -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    pid = cloud.projects["demo"].id
    cinder = cloud.client("cinder", "demo", f"/v3/{pid}")
    for volume_id in made:
        volume_status(cinder, volume_id, "available")  # cinder deletes no volume it is making
        cinder.call("DELETE", f"/volumes/{volume_id}", ok=(404,))


@pytest.mark.parametrize(
    "host", ["evil.example/x", "a b", "javascript:alert(1)//", 'x"y', "", "[::1"]
)
def test_a_host_header_that_is_no_host_is_refused(ooi_url, demo_token, host):
    resp = requests.get(
        ooi_url + "/occi1.2/compute/",
        headers={"X-Auth-Token": demo_token, "Host": host},
        timeout=60,
    )
    assert resp.status_code == 400, resp.text


def test_the_proxy_scheme_header_counts_only_as_http_or_https(ooi_url, demo_token, volumes):
    # The box sets ooi_secure_proxy_ssl_header = HTTP_X_FORWARDED_SCHEME.
    forged = _create_volume(
        ooi_url, demo_token, volumes, **{"X-Forwarded-Scheme": "javascript:alert(1)//"}
    )
    assert forged.startswith(ooi_url + "/occi1.2/storage/"), forged
    https = _create_volume(ooi_url, demo_token, volumes, **{"X-Forwarded-Scheme": "HTTPS"})
    assert https.startswith("https://" + ooi_url.split("://", 1)[1]), https


def test_the_public_endpoint_wins_over_host_and_scheme(cloud, demo_token, volumes, tmp_path):
    options = "ooi_public_endpoint = https://occi.example.org:9999/\n"
    with ooi_api(cloud, tmp_path, options) as url:
        location = _create_volume(
            url, demo_token, volumes, Host="evil.example", **{"X-Forwarded-Scheme": "http"}
        )
        assert location.startswith("https://occi.example.org:9999/occi1.2/storage/"), location
        listed = requests.get(
            url + "/occi1.2/storage/",
            headers={"X-Auth-Token": demo_token, "Accept": "text/uri-list"},
            timeout=60,
        )
        assert location in listed.text.split()
