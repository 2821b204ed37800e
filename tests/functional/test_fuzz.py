"""Fuzzing every route over HTTP against the box: no input may get a 5xx (but a deliberate 501),
a traceback, or an answer without a Content-Type.

Requests are drawn by hypothesis: methods, paths (every collection, ids of every shape,
percent-encoded bytes that are not UTF-8, NUL), query strings, media types with q-values,
bodies (mutated OCCI text and JSON, deep JSON, random bytes), header floods. A budget of
``OOI_FUZZ_EXAMPLES`` requests per mode (default 600; ``make fuzz`` sends more) keeps CI short;
the count is printed at the end of the run.

Nothing destructive is drawn on purpose (no DELETE of a whole collection, no action on one), and
whatever a lucky body created is deleted afterwards: the project is left as it was.
"""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.cloud

EXAMPLES = int(os.environ.get("OOI_FUZZ_EXAMPLES", "600"))
# Requests sent and answers seen, for the summary line (tests/conftest.py prints it).
SENT: dict[str, int] = {"requests": 0, "5xx": 0}

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COLLECTIONS = [
    "compute/",
    "storage/",
    "storagelink/",
    "network/",
    "networklink/",
    "ipreservation/",
    "securitygroup/",
    "securitygrouplink/",
    "resource/",
    "link/",
    "os_tpl/",
    "resource_tpl/",
    "ipnetwork/",
]
IDS = st.one_of(
    st.uuids().map(str),
    st.sampled_from(["detail", "..", ".", "%2e%2e", "PUBLIC", "x_y", "%00", "%C0%AF", "%ff%fe"]),
    st.text(alphabet="abcdefXYZ019_-.~", min_size=1, max_size=40),
    st.text(min_size=1, max_size=20).map(lambda t: "".join(f"%{b:02X}" for b in t.encode())),
    st.just("a" * 3000),
    st.uuids().map(lambda u: f"{u}_10.0.0.5"),
)
MEDIA = st.sampled_from(
    [
        "text/plain",
        "text/occi",
        "text/uri-list",
        "application/occi+json",
        "application/json",
        "*/*",
        "text/*",
        "text/plain;q=0",
        "text/occi;q=0.5, application/occi+json;q=0.9",
        "text/plain,text/occi",
        "image/png",
        "garbage/;;;q=x",
        "",
    ]
)
TERMS = st.sampled_from(["compute", "storage", "network", "start", "stop", "os_tpl", "x", ""])


def _category_line() -> st.SearchStrategy[str]:
    return st.builds(
        lambda term, scheme, cls, extra: (
            f'Category: {term}; scheme="{scheme}"; class="{cls}"{extra}'
        ),
        TERMS,
        st.sampled_from([INFRA, "http://schemas.openstack.org/template/os#", "x", ""]),
        st.sampled_from(["kind", "mixin", "action", "", "bogus"]),
        st.sampled_from(["", '; location="/t/"', '; title="a', ";;;", '; rel="' + INFRA + '"']),
    )


LINES = st.one_of(
    _category_line(),
    st.builds(
        lambda name, value: f"X-OCCI-Attribute: {name}={value}",
        st.sampled_from(
            [
                "occi.core.title",
                "occi.storage.size",
                "occi.compute.cores",
                "occi.core.target",
                "occi.network.address",
                "x",
            ]
        ),
        st.sampled_from(['"a"', "1", "-5", "1e999", '"', "true", '"' + "x" * 5000 + '"', ""]),
    ),
    st.builds(lambda target: f'Link: <{target}>; rel="{INFRA}network"', IDS),
    st.builds(lambda loc: f"X-OCCI-Location: {loc}", IDS),
    st.text(max_size=80),
)


def _deep(depth: int) -> str:
    """JSON nested ``depth`` levels (written out: json.dumps itself would recurse too deep)."""
    return '{"kind": [' * depth + '"x"' + "]}" * depth


JSON_BODIES = st.one_of(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(["kind", "mixins", "attributes", "links", "action", "id", "x"]),
                inner,
                max_size=5,
            ),
        ),
        max_leaves=20,
    ).map(json.dumps),
    st.integers(min_value=50, max_value=3000).map(_deep),
)
BODIES = st.one_of(
    st.just(""),
    st.lists(LINES, max_size=8).map("\n".join),
    JSON_BODIES,
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)
QUERIES = st.one_of(
    st.just(""),
    st.builds(lambda t: f"?action={t}", TERMS),
    st.builds(
        lambda p, n: f"?page={p}&number={n}",
        st.sampled_from(["1", "0", "x", "99"]),
        st.sampled_from(["1", "-1", "100000", ""]),
    ),
    st.sampled_from(["?action=%ff", "?category=%C0", "?attribute=a", "?category=x%23y", "?;;&&=="]),
)


@st.composite
def requests_(draw: st.DrawFn, root_allowed: bool) -> dict[str, Any]:
    prefixes = ["/occi1.1/", "/occi1.2/"] + (["/"] if root_allowed else [])
    prefix = draw(st.sampled_from(prefixes))
    kind = draw(st.sampled_from(["query", "collection", "entity", "odd"]))
    method = draw(st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]))
    query = draw(QUERIES)
    if kind == "query":
        path = draw(st.sampled_from(["-/", ".well-known/org/ogf/occi/-/", "-/%00"]))
    elif kind == "collection":
        path = draw(st.sampled_from(COLLECTIONS))
    elif kind == "entity":
        path = draw(st.sampled_from(COLLECTIONS)) + draw(IDS)
    else:
        path = draw(st.sampled_from(["", "%80", "a/b/c/d", "compute", "-", "//compute//"]))
    if kind != "entity" and path.strip("/") in {c.strip("/") for c in COLLECTIONS}:
        # Nothing that acts on a whole collection (``compute`` is one too, without its slash):
        # it would touch the resources of the project's other tests.
        if method == "DELETE":
            method = "GET"
        if "action=" in query:
            query = ""
    headers = {"Accept": draw(MEDIA), "Content-Type": draw(MEDIA)}
    headers["User-Agent"] = draw(st.sampled_from(["", "rOCCI-cli OCCI/1.1", "OCCI/9.9", "x"]))
    if draw(st.booleans()):
        headers["Category"] = draw(_category_line()).split(": ", 1)[1]
    if draw(st.booleans()):
        headers["X-OCCI-Attribute"] = draw(st.sampled_from(['occi.core.title="a"', "a=", "="]))
    flood = draw(st.integers(min_value=0, max_value=60))
    headers.update({f"X-Flood-{i}": "v" * 100 for i in range(flood)})
    return {
        "method": method,
        "path": prefix + path + query,
        "headers": headers,
        "body": draw(BODIES),
    }


def _send(url: str, token: str, request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    headers = {"X-Auth-Token": token, **request["headers"]}
    body = request["body"].encode("utf-8", "surrogateescape") if request["body"] else None
    try:
        conn.request(request["method"], request["path"], body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


# --- leaving the project as it was ---------------------------------------------------------


def _inventory(cloud: Any) -> dict[str, set[str]]:
    pid = cloud.projects["demo"].id
    nova = cloud.client("nova", "demo")
    cinder = cloud.client("cinder", "demo", f"/v3/{pid}")
    neutron = cloud.client("neutron", "demo")
    return {
        "servers": {s["id"] for s in nova.get("/servers")["servers"]},
        "volumes": {v["id"] for v in cinder.get("/volumes")["volumes"]},
        "networks": {n["id"] for n in neutron.get(f"/networks?project_id={pid}")["networks"]},
        "floatingips": {
            f["id"] for f in neutron.get(f"/floatingips?project_id={pid}")["floatingips"]
        },
        "security-groups": {
            g["id"] for g in neutron.get(f"/security-groups?project_id={pid}")["security_groups"]
        },
    }


def _remove_new(cloud: Any, before: dict[str, set[str]]) -> None:
    after = _inventory(cloud)
    pid = cloud.projects["demo"].id
    nova, cinder = cloud.client("nova"), cloud.client("cinder", "demo", f"/v3/{pid}")
    neutron = cloud.client("neutron")
    for server in after["servers"] - before["servers"]:
        nova.call("DELETE", f"/servers/{server}", ok=(404,))
    for volume in after["volumes"] - before["volumes"]:
        cinder.call("DELETE", f"/volumes/{volume}", ok=(404, 400))
    for fip in after["floatingips"] - before["floatingips"]:
        neutron.call("DELETE", f"/floatingips/{fip}", ok=(404,))
    for group in after["security-groups"] - before["security-groups"]:
        neutron.call("DELETE", f"/security-groups/{group}", ok=(404, 409))
    for network in after["networks"] - before["networks"]:
        neutron.call("DELETE", f"/networks/{network}", ok=(404, 409))


def _user_mixins(url: str, token: str) -> set[str]:
    status, _, body = _send(
        url,
        token,
        {
            "method": "GET",
            "path": "/occi1.2/-/",
            "headers": {"Accept": "application/occi+json"},
            "body": "",
        },
    )
    assert status == 200
    return {m["scheme"] + m["term"] for m in json.loads(body).get("mixins", [])}


@pytest.fixture
def clean_project(cloud: Any, ooi_url: str, demo_token: str) -> Iterator[None]:
    before = _inventory(cloud)
    mixins = _user_mixins(ooi_url, demo_token)
    yield
    for type_id in _user_mixins(ooi_url, demo_token) - mixins:
        scheme, term = type_id.split("#", 1)
        body = f'Category: {term}; scheme="{scheme}#"; class="mixin"'
        _send(
            ooi_url,
            demo_token,
            {
                "method": "DELETE",
                "path": "/occi1.2/-/",
                "headers": {"Content-Type": "text/plain"},
                "body": body,
            },
        )
    _remove_new(cloud, before)


def test_no_input_gets_a_5xx(cloud, ooi_url, demo_token, clean_project):
    root_allowed = ooi_url == cloud.endpoints["ooi_standalone"]
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests_(root_allowed))
    def one(request: dict[str, Any]) -> None:
        status, headers, body = _send(ooi_url, demo_token, request)
        SENT["requests"] += 1
        summary = f"{request['method']} {request['path'][:200]} -> {status} {body[:200]!r}"
        if status >= 500 and status != 501:
            SENT["5xx"] += 1
            failures.append(summary)
        assert not (status >= 500 and status != 501), summary
        assert b"Traceback" not in body, summary
        # OPTIONS is answered by the WSGI server or nova's CORS filter, not by ooi.
        if request["method"] not in ("HEAD", "OPTIONS") and status != 401:
            assert headers.get("content-type"), summary

    one()
    assert not failures, failures[:5]
