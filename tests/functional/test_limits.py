"""Limits on what one request may carry: 413 for a body too large, 400 for too many or too
long headers, too many inline links or an attribute value too long; each with a message,
before anything is made.

The box's ooi (both modes) with the default limits, and a second `ooi-api` with small ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.functional.extra_ooi import ooi_api
from tests.functional.occi_names import OS_TPL_SCHEME, RES_TPL_SCHEME
from tests.functional.test_compute_lifecycle import post, text_body

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def image_id(cloud) -> str:  # noqa: ANN001
    images = cloud.client("glance", "demo").get("/v2/images?status=active")["images"]
    return next(i["id"] for i in images if i["name"] == "box-raw")


def _body(image_id: str, links: int = 0, title: str = "limits-never-made") -> str:
    network = "/occi1.2/network/00000000-0000-0000-0000-000000000000"
    link = (
        f'<{network}>; rel="http://schemas.ogf.org/occi/infrastructure#network"; '
        'category="http://schemas.ogf.org/occi/infrastructure#networkinterface"'
    )
    mixins = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1"]
    return text_body(mixins, {"occi.core.title": title}, [link] * links)


def _refused(resp: requests.Response, status: int, *words: str) -> None:
    assert resp.status_code == status, resp.text
    for word in words:
        assert word in resp.text, resp.text


def test_default_limits_on_links_and_attributes(ooi_url, cloud, demo_token, image_id):
    url = ooi_url + "/occi1.2/compute/"
    _refused(post(url, demo_token, _body(image_id, links=33)), 400, "33 links", "32")
    long_title = "x" * 65537
    _refused(post(url, demo_token, _body(image_id, title=long_title)), 400, "occi.core.title")
    servers = cloud.client("nova", "demo").get("/servers")["servers"]
    assert not [s for s in servers if s["name"] in ("limits-never-made", long_title)]


@pytest.fixture(scope="module")
def strict(cloud, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    options = (
        "ooi_max_body_size = 2000\nooi_max_header_count = 20\nooi_max_header_size = 500\n"
        "ooi_max_inline_links = 2\nooi_max_attribute_length = 100\n"
    )
    with ooi_api(cloud, tmp_path_factory.mktemp("strict"), options) as url:
        yield url


def test_configured_limits(strict, demo_token, image_id):
    url = strict + "/occi1.2/compute/"
    _refused(post(url, demo_token, "x" * 2001), 413, "2000")
    chunked = requests.post(
        url,
        data=iter([b"x" * 1500, b"x" * 1500]),  # no length: sent chunked
        headers={"X-Auth-Token": demo_token, "Content-Type": "text/plain"},
        timeout=60,
    )
    _refused(chunked, 413, "2000")
    many = {f"X-Extra-{i}": "1" for i in range(25)}
    _refused(requests.get(url, headers={"X-Auth-Token": demo_token, **many}, timeout=60), 400)
    long_header = {"X-Auth-Token": demo_token, "X-Extra": "y" * 600}
    _refused(requests.get(url, headers=long_header, timeout=60), 400, "X-Extra", "500")
    _refused(post(url, demo_token, _body(image_id, links=3)), 400, "3 links")
    _refused(post(url, demo_token, _body(image_id, title="t" * 101)), 400, "occi.core.title")
    # Within every limit: served.
    assert requests.get(url, headers={"X-Auth-Token": demo_token}, timeout=60).status_code == 200
