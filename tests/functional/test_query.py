"""The query interface and the HTTP frame, over HTTP through nova's pipeline in the cloud box."""

from __future__ import annotations

import re

import pytest
import requests

from ooi.occi.schema import definition

pytestmark = pytest.mark.cloud

PREFIXES = ["/occi1.1", "/occi1.2"]
CATEGORY = re.compile(r'^Category: ([^;]+); scheme="([^"]+)"; class="(kind|mixin|action)"')


def _get(url: str, token: str | None = None, method: str = "GET", **headers: str):
    if token:
        headers["X-Auth-Token"] = token
    return requests.request(method, url, headers=headers, timeout=60)


def _categories(body: str) -> list[tuple[str, str, str]]:
    found = []
    for line in body.splitlines():
        match = CATEGORY.match(line)
        assert match, f"not a Category line: {line!r}"
        found.append(match.groups())
    return found


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_no_token_gets_single_quoted_keystone_challenge(ooi_url, box_keystone_url, prefix, method):
    resp = _get(ooi_url + prefix + "/-/", method=method)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == f"Keystone uri='{box_keystone_url.rstrip('/')}'"
    assert resp.headers["Server"].startswith("ooi/")
    assert "text/plain" in resp.headers["Content-Type"]


def test_bad_token_gets_the_challenge(ooi_url):
    resp = _get(ooi_url + "/occi1.2/-/", "not-a-token")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Keystone uri='")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_query_interface_lists_the_clouds_templates(ooi_url, demo_token, box_flavors, prefix):
    resp = _get(ooi_url + prefix + "/-/", demo_token)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert re.match(r"ooi/\S+ OCCI/1\.2 OCCI/1\.1", resp.headers["Server"])
    categories = _categories(resp.text)
    infra = "http://schemas.ogf.org/occi/infrastructure#"
    assert ("compute", infra, "kind") in categories
    assert ("stop", infra[:-1] + "/compute/action#", "action") in categories
    lines = resp.text.splitlines()
    # One resource_tpl mixin per flavor, memory in GiB, and one os_tpl mixin per image.
    for flavor in box_flavors:
        line = next((ln for ln in lines if f'title="Flavor: {flavor["name"]}"' in ln), None)
        assert line is not None, f"no template for flavor {flavor['name']}"
        assert 'rel="http://schemas.ogf.org/occi/infrastructure#resource_tpl"' in line
        # Category locations: host-absolute paths with the endpoint's prefix.
        assert f'location="{prefix}/resource_tpl/' in line
    os_tpls = [
        ln for ln in lines if 'rel="http://schemas.ogf.org/occi/infrastructure#os_tpl"' in ln
    ]
    assert os_tpls, "the box's image is not offered as an os_tpl"
    assert all('scheme="http://schemas.openstack.org/template/os#"' in ln for ln in os_tpls)
    # The box's external network is a floating IP pool.
    assert any(
        'scheme="http://schemas.openstack.org/network/floatingippool#"' in ln for ln in lines
    )


def test_head_answers_like_get_without_body(ooi_url, demo_token):
    get = _get(ooi_url + "/occi1.2/-/", demo_token)
    head = _get(ooi_url + "/occi1.2/-/", demo_token, method="HEAD")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_well_known_path_mirrors_query_interface(ooi_url, demo_token):
    plain = _get(ooi_url + "/occi1.2/-/", demo_token)
    known = _get(ooi_url + "/occi1.2/.well-known/org/ogf/occi/-/", demo_token)
    assert known.status_code == 200

    # Templates can change between the two requests (other tests make flavors and images, and
    # each worker process caches its own), so compare the rest exactly.
    def steady(text: str) -> list[str]:
        return [ln for ln in text.splitlines() if "schemas.openstack.org/template/" not in ln]

    assert steady(known.text) == steady(plain.text)
    assert len(steady(plain.text)) > 20


def test_json_rendering_is_schema_valid(ooi_url, demo_token):
    jsonschema = pytest.importorskip("jsonschema")
    resp = _get(ooi_url + "/occi1.2/-/", demo_token, Accept="application/occi+json")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/occi+json")
    document = resp.json()
    jsonschema.validate(document, definition("model"))
    assert {k["term"] for k in document["kinds"]} >= {"compute", "storage", "network"}
    assert any(
        m.get("depends") == ["http://schemas.ogf.org/occi/infrastructure#os_tpl"]
        for m in document["mixins"]
    )


def test_text_occi_rendering_is_in_headers(ooi_url, demo_token):
    resp = _get(ooi_url + "/occi1.2/-/", demo_token, Accept="text/occi")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/occi")
    assert resp.text == "OK"
    assert "compute; scheme=" in resp.headers["Category"]


def test_filter_by_category_returns_related_ones(ooi_url, demo_token):
    resp = _get(
        ooi_url + "/occi1.2/-/",
        demo_token,
        Category='os_tpl; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="mixin"',
    )
    assert resp.status_code == 200
    categories = _categories(resp.text)
    assert ("os_tpl", "http://schemas.ogf.org/occi/infrastructure#", "mixin") in categories
    assert all(
        scheme
        in (
            "http://schemas.ogf.org/occi/infrastructure#",
            "http://schemas.openstack.org/template/os#",
        )
        for _, scheme, _ in categories
    )
    assert len(categories) >= 2


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Accept": "application/xml"}, 406),
        ({"User-Agent": "client OCCI/1.3"}, 501),
    ],
)
def test_negotiation_errors(ooi_url, demo_token, headers, status):
    resp = _get(ooi_url + "/occi1.2/-/", demo_token, **headers)
    assert resp.status_code == status
    assert resp.text.strip(), "errors carry a message"
    assert resp.headers["Server"].startswith("ooi/")


def test_wrong_method_is_405_with_allow(ooi_url, demo_token):
    resp = _get(ooi_url + "/occi1.2/-/", demo_token, method="PUT")
    assert resp.status_code == 405
    assert set(resp.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert "PUT" in resp.text


def test_unknown_path_is_404_with_message(ooi_url, demo_token):
    resp = _get(ooi_url + "/occi1.2/no-such-thing/", demo_token, Accept="application/occi+json")
    assert resp.status_code == 404
    assert resp.json()["code"] == 404
    assert "no-such-thing" in resp.json()["message"]


def test_challenge_is_readable_whatever_was_accepted(ooi_url):
    # The 401 is a text/plain line every client can show, even to a JSON client.
    resp = _get(ooi_url + "/occi1.2/-/", Accept="application/occi+json")
    assert resp.status_code == 401
    assert "token" in resp.text.lower()


def test_discovery_data_is_cached_per_project(ooi_url, demo_token, alt_demo_token):
    for token in (demo_token, alt_demo_token):
        # One connection, so one worker process of the standalone server (caches are local).
        with requests.Session() as session:
            headers = {"X-Auth-Token": token}
            session.get(ooi_url + "/occi1.2/-/", headers=headers, timeout=60)
            again = session.get(ooi_url + "/occi1.2/-/", headers=headers, timeout=60)
        assert again.status_code == 200
        # ooi_debug_headers is on in the box: no OpenStack call was needed the second time.
        assert again.headers["X-OOI-Backend-Calls"] == ""


def test_category_locations_are_paths_whatever_the_scheme(ooi_url, demo_token):
    # The box sets ooi_secure_proxy_ssl_header = HTTP_X_FORWARDED_SCHEME; Category locations
    # carry no scheme or host at all (entity URLs follow the proxy: test_compute_read).
    for headers in ({}, {"X-Forwarded-Scheme": "https"}):
        resp = _get(ooi_url + "/occi1.2/-/", demo_token, **headers)
        assert 'location="/occi1.2/compute/"' in resp.text
        assert "://" not in "".join(re.findall(r'location="([^"]*)"', resp.text))
    as_json = _get(ooi_url + "/occi1.1/-/", demo_token, Accept="application/occi+json").json()
    locations = {k["term"]: k.get("location") for k in as_json["kinds"]}
    assert locations["compute"] == "/occi1.1/compute/"


def test_a_client_joining_host_and_category_location_reaches_every_collection(ooi_url, demo_token):
    """rOCCI, IM and jOCCI join scheme://host:port and a Category's location."""
    for prefix in ("/occi1.1", "/occi1.2"):
        resp = _get(ooi_url + prefix + "/-/", demo_token, Accept="application/occi+json")
        kinds = {k["term"]: k.get("location") for k in resp.json()["kinds"]}
        for term in ("compute",):
            listing = _get(ooi_url + kinds[term], demo_token, Accept="text/uri-list")
            assert listing.status_code == 200, (term, kinds[term], listing.text)


def _every_location(root: str, token: str) -> dict[str, str]:
    found = _get(root + "-/", token, Accept="application/occi+json").json()
    return {
        c["scheme"] + c["term"]: c["location"]
        for c in [*found["kinds"], *found.get("mixins", [])]
        if c.get("location")
    }


def test_every_category_location_answers_where_clients_resolve_it(cloud, demo_token):
    """Compliance clients join their endpoint URL and a location (at a port's root); rOCCI, IM
    and jOCCI join scheme://host:port and the location (behind /occi1.x too)."""
    standalone = cloud.endpoints["ooi_standalone"]
    bases = [
        (standalone + "/", standalone.rstrip("/")),  # root endpoint: endpoint URL + location
        (standalone + "/occi1.1/", standalone),  # host + host-absolute location
        (cloud.endpoints["ooi"] + "/occi1.2/", cloud.endpoints["ooi"]),
    ]
    for endpoint, join in bases:
        for type_id, location in _every_location(endpoint, demo_token).items():
            resp = _get(join + location, demo_token, Accept="text/uri-list")
            assert resp.status_code == 200, (endpoint, type_id, location, resp.text)


def test_the_root_endpoint_speaks_the_configured_version(cloud, demo_token, tmp_path):
    from tests.functional.extra_ooi import ooi_api

    root = _get(cloud.endpoints["ooi_standalone"] + "/-/", demo_token)
    assert 'location="/compute/"' in root.text
    for version, expected in (("1.1", 200), ("none", 404)):
        (tmp_path / version).mkdir()
        with ooi_api(cloud, tmp_path / version, f"ooi_root_version = {version}\n") as url:
            resp = _get(url + "/-/", demo_token, Accept="application/occi+json")
            assert resp.status_code == expected, resp.text
            if expected == 200:
                kinds = {k["term"]: k for k in resp.json()["kinds"]}
                # OCCI 1.1's compute has no state message (1.2 added it).
                assert "occi.compute.state.message" not in kinds["compute"]["attributes"]
            assert _get(url + "/occi1.2/-/", demo_token).status_code == 200


def test_every_answer_has_a_request_id_that_the_services_log(cloud, ooi_url, demo_token):
    ids = set()
    for path in ("/occi1.2/compute/", "/occi1.2/-/", "/occi1.2/nothing"):
        resp = _get(ooi_url + path, demo_token)
        request_id = resp.headers["X-Openstack-Request-Id"]
        assert re.fullmatch(r"req-[0-9a-f-]{36}", request_id), request_id
        ids.add(request_id)
    assert len(ids) == 3
    # The compute listing's id reached nova (its own in the pipeline; the global request id
    # standalone), so one id finds the request in every log.
    listed = _get(ooi_url + "/occi1.2/compute/", demo_token).headers["X-Openstack-Request-Id"]
    log = (cloud.box.logs / "nova.log").read_text(errors="replace")
    assert listed in log
