"""Requests that once made ooi answer 500 (issue 9's fuzzing), over HTTP in both modes: each
must get a 4xx with an OCCI error message, in the rendering asked for."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.cloud


def _send(method: str, url: str, token: str, **headers: str) -> requests.Response:
    return requests.request(method, url, headers={"X-Auth-Token": token, **headers}, timeout=60)


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
@pytest.mark.parametrize("path", ["/compute/%C0%AF", "/-/%ff", "/%80%81/"])
def test_a_path_that_is_not_utf8_is_a_400(ooi_url, demo_token, prefix, path):
    resp = _send("GET", ooi_url + prefix + path, demo_token)
    assert resp.status_code == 400, resp.text
    assert resp.text == "Bad request: the path is not valid UTF-8"


def test_a_query_that_is_not_utf8_is_a_400(ooi_url, demo_token):
    resp = _send(
        "POST",
        ooi_url + "/occi1.2/compute/?action=%ff",
        demo_token,
        **{"Content-Type": "text/plain"},
    )
    assert resp.status_code == 400, resp.text
    assert "query string is not valid UTF-8" in resp.text


@pytest.mark.parametrize("server_id", ["detail", "..", "x" * 300, "0" * 35])
def test_ids_nova_cannot_have_are_404_without_reaching_nova(ooi_url, demo_token, server_id):
    for method in ("GET", "DELETE"):
        resp = _send(method, ooi_url + "/occi1.1/compute/" + server_id, demo_token)
        assert resp.status_code == 404, (method, resp.text)
        assert resp.headers.get("X-OOI-Backend-Calls", "") == ""


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_control_characters_are_not_echoed_into_headers(ooi_url, demo_token, method):
    resp = _send(method, ooi_url + "/occi1.1/-/%00%01", demo_token, Accept="text/occi")
    assert resp.status_code == 404
    error = resp.headers["X-OCCI-Error"]
    assert error.startswith("Not found: /-/") and not any(ord(c) < 32 for c in error)
